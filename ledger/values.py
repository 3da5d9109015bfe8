"""Value types that travel inside events, registered for exact round-trips in the store.

Every frozen dataclass or enum that an event carries is decorated ``@value_type(name)``.
The name, not the Python path, is what is stored, so classes can move without
breaking history. Decimal (as a string), date, datetime and UUID round-trip exactly.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from eventsourcing.persistence import Transcoding

T = TypeVar("T", bound=type)

_REGISTRY: dict[str, type] = {}


def value_type(name: str):  # noqa: ANN201 - decorator
    """Register a frozen dataclass or enum under a stable stored name."""

    def register(cls: T) -> T:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.__qualname__ != cls.__qualname__:
            raise RuntimeError(f"value type name {name!r} already used by {existing}")
        _REGISTRY[name] = cls
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

    def __init__(self, cls: type, name: str) -> None:
        self.type = cls
        self.name = name
        self.field_names = [f.name for f in dataclasses.fields(cls)]

    def encode(self, obj: Any) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in self.field_names}

    def decode(self, data: dict[str, Any]) -> Any:
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
            result.append(DataclassTranscoding(cls, name))
    return result
