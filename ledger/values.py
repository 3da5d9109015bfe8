"""Value types that travel inside events, registered for exact round-trips in the store.

Every value that an event carries is declared ``@value_type(name)``: an enum stays as it is, any
other class becomes a frozen dataclass (the decorator applies ``dataclass(frozen=True, …)`` itself,
so no value type can be mutable; a class already made a dataclass is refused). The name, not the
Python path, is what is stored, so classes can move without breaking history. When a value type's shape changes, its ``upcast`` function turns a stored
older shape into the current one as history is read (``@value_type(name, upcast=…)``); no rule
runs at decoding, so an event stored under an older rule still loads (DOMAIN.md §1 retention). Decimal (as a string), date, datetime and UUID round-trip exactly.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import Enum
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform

from eventsourcing.persistence import Transcoding

T = TypeVar("T", bound=type)

Upcast = Callable[[dict[str, Any]], dict[str, Any]]

_REGISTRY: dict[str, type] = {}
_UPCASTS: dict[str, Upcast] = {}


@dataclass_transform(frozen_default=True)
def value_type(name: str, upcast: Upcast | None = None, **dataclass_options: Any):  # noqa: ANN201 - decorator
    """Declare a value type carried by events and register it under a stable stored name.

    An ``Enum`` is registered as it is. Any other class is made a frozen dataclass here
    (``dataclass(frozen=True, **dataclass_options)``: ``slots``, ``kw_only``, ``order``, … pass
    through), so every value an event carries is immutable; a class that is already a dataclass,
    an option ``frozen`` or options on an enum are refused. ``upcast`` (dataclasses only) receives
    the stored fields as a dict and returns the fields of the current class: how a value type whose
    shape changed keeps its old events loading.
    """
    if "frozen" in dataclass_options:
        raise TypeError(f"value type {name!r}: value types are always frozen; do not pass frozen=")

    def declare(cls: T) -> T:
        if issubclass(cls, Enum):
            if dataclass_options:
                raise TypeError(f"value type {name!r}: an enum takes no dataclass options")
        elif "__dataclass_fields__" in cls.__dict__:
            raise TypeError(f"value type {name!r}: {cls.__qualname__} is already a dataclass; "
                            "@value_type makes it a frozen dataclass itself — drop the @dataclass")
        else:
            cls = dataclasses.dataclass(frozen=True, **dataclass_options)(cls)
        return register(cls)

    def register(cls: T) -> T:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.__qualname__ != cls.__qualname__:
            raise RuntimeError(f"value type name {name!r} already used by {existing}")
        _REGISTRY[name] = cls
        if upcast is not None:
            _UPCASTS[name] = upcast
        return cls

    return declare


def registered() -> dict[str, type]:
    """Every registered value type by its stored name (import the domain first)."""
    return dict(_REGISTRY)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class DataclassTranscoding(Transcoding):
    """Encodes a frozen dataclass as a dict of its fields; lists come back as tuples.

    Decoding builds the instance **without calling its constructor**, so no ``__post_init__``
    check runs on history: a rule tightened later (``Audit`` refusing what it once accepted)
    never stops an old event from loading. A stored field the class no longer has, or a field
    it gained without a default, is an error for the type's ``upcast`` to resolve.
    """

    def __init__(self, cls: type, name: str, upcast: Upcast | None = None) -> None:
        self.type = cls
        self.name = name
        self.fields = [f for f in dataclasses.fields(cls) if f.init]
        self.field_names = [f.name for f in self.fields]
        self.upcast = upcast

    def encode(self, obj: Any) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in self.field_names}

    def decode(self, data: dict[str, Any]) -> Any:
        if self.upcast is not None:
            data = self.upcast(dict(data))
        unknown = set(data) - set(self.field_names)
        if unknown:
            raise TypeError(f"stored {self.name} has fields {sorted(unknown)} that {self.type.__qualname__} lacks")
        obj = object.__new__(self.type)
        for f in self.fields:
            if f.name in data:
                value = data[f.name]
                value = tuple(value) if isinstance(value, list) else value
            elif f.default is not dataclasses.MISSING:
                value = f.default
            elif f.default_factory is not dataclasses.MISSING:
                value = f.default_factory()
            else:
                raise TypeError(f"stored {self.name} lacks field {f.name!r} and {self.type.__qualname__} has no default")
            object.__setattr__(obj, f.name, value)  # frozen: set as the constructor would, without its checks
        return obj


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
