"""Value types that travel inside events, registered for exact round-trips in the store.

Every frozen dataclass or enum that an event carries is decorated ``@value_type(name)``.
The name, not the Python path, is what is stored, so classes can move without
breaking history. When a value type's shape changes, its ``upcast`` function turns a stored
older shape into the current one as history is read (``@value_type(name, upcast=…)``); no rule
runs at decoding, so an event stored under an older rule still loads (DOMAIN.md §1 retention). Decimal (as a string), date, datetime and UUID round-trip exactly.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import Enum
from collections.abc import Callable
from typing import Any, TypeVar

from eventsourcing.persistence import Transcoding

T = TypeVar("T", bound=type)

Upcast = Callable[[dict[str, Any]], dict[str, Any]]

_REGISTRY: dict[str, type] = {}
_UPCASTS: dict[str, Upcast] = {}


def value_type(name: str, upcast: Upcast | None = None):  # noqa: ANN201 - decorator
    """Register a frozen dataclass or enum under a stable stored name.

    ``upcast`` (dataclasses only) receives the stored fields as a dict and returns the fields
    of the current class: how a value type whose shape changed keeps its old events loading.
    """

    def register(cls: T) -> T:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.__qualname__ != cls.__qualname__:
            raise RuntimeError(f"value type name {name!r} already used by {existing}")
        _REGISTRY[name] = cls
        if upcast is not None:
            _UPCASTS[name] = upcast
        return cls

    return register


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class DataclassTranscoding(Transcoding):
    """Encodes a frozen dataclass as a dict of its fields; lists come back as tuples."""

    def __init__(self, cls: type, name: str, upcast: Upcast | None = None) -> None:
        self.type = cls
        self.name = name
        self.field_names = [f.name for f in dataclasses.fields(cls)]
        self.upcast = upcast

    def encode(self, obj: Any) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in self.field_names}

    def decode(self, data: dict[str, Any]) -> Any:
        if self.upcast is not None:
            data = self.upcast(dict(data))
        return self.type(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


class EnumTranscoding(Transcoding):
    def __init__(self, cls: type[Enum], name: str) -> None:
        self.type = cls
        self.name = name

    def encode(self, obj: Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> Enum:
        return self.type(data)


def transcodings() -> list[Transcoding]:
    """All registered value types' transcodings (import the domain first)."""
    result: list[Transcoding] = [DateAsISO()]
    for name, cls in _REGISTRY.items():
        if isinstance(cls, type) and issubclass(cls, Enum):
            result.append(EnumTranscoding(cls, name))
        else:
            result.append(DataclassTranscoding(cls, name, _UPCASTS.get(name)))
    return result
