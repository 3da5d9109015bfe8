"""Every value an event carries is immutable: ``@value_type`` makes it a frozen dataclass (or keeps an enum).

The rule is held by the decorator itself, not by each declaration remembering ``@dataclass(frozen=True)``:
a class already made a dataclass (mutable or not) is refused, ``frozen=False`` cannot be asked for, and
every value type registered by the capabilities is checked here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal
from enum import Enum

import pytest

from api import capabilities
from ledger import values
from ledger.audit import system_audit
from ledger.journal import debit

TEST_NAME = "anju.test.frozen.Probe"


@pytest.fixture
def clean_registry() -> Iterator[None]:
    """Names registered by a test are removed afterwards, whatever happened."""
    before = values.registered()
    try:
        yield
    finally:
        for name in set(values.registered()) - set(before):
            values._REGISTRY.pop(name)  # noqa: SLF001 - undo the test's registrations
            values._UPCASTS.pop(name, None)  # noqa: SLF001


def test_value_types_are_frozen_dataclasses() -> None:
    capabilities.import_domain_modules()
    registry = values.registered()
    for prefix in ("anju.", "anju.collective.", "anju.leases.", "anju.subsidies.", "anju.maintenance_fund."):
        assert any(name.startswith(prefix) for name in registry), f"no value type registered under {prefix}"
    not_frozen = {
        name: cls for name, cls in registry.items()
        if not issubclass(cls, Enum)
        and not (dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen)  # type: ignore[attr-defined]
    }
    assert not_frozen == {}
    assert any(issubclass(cls, Enum) for cls in registry.values())  # enums are registered as they are


def test_assigning_to_a_field_of_a_value_fails() -> None:
    audit = system_audit("probe")
    with pytest.raises(dataclasses.FrozenInstanceError):
        audit.actor = "someone else"  # type: ignore[misc]
    line = debit("102", Decimal("1.00"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        line.debit = Decimal("1000000.00")  # type: ignore[misc]
    assert (audit.actor, line.debit) == ("system", Decimal("1.00"))


def test_a_declared_value_type_is_a_frozen_dataclass_with_its_options(clean_registry: None) -> None:
    @values.value_type(TEST_NAME, slots=True, order=True)
    class Probe:
        """A probe value."""

        amount: Decimal
        note: str = ""

    assert values.registered()[TEST_NAME] is Probe
    assert [field.name for field in dataclasses.fields(Probe)] == ["amount", "note"]
    assert Probe.__dataclass_params__.frozen and Probe.__dataclass_params__.order  # type: ignore[attr-defined]
    assert "__slots__" in Probe.__dict__
    probe = Probe(Decimal("2.50"))
    assert probe < Probe(Decimal("3.00")) and probe == Probe(Decimal("2.50"), "")
    with pytest.raises(dataclasses.FrozenInstanceError):
        probe.amount = Decimal("0")  # type: ignore[misc]


@pytest.mark.parametrize("frozen", [False, True], ids=["mutable", "frozen"])
def test_registering_a_class_that_is_already_a_dataclass_fails(clean_registry: None, frozen: bool) -> None:
    @dataclasses.dataclass(frozen=frozen)
    class AlreadyADataclass:
        amount: Decimal

    with pytest.raises(TypeError, match="already a dataclass"):
        values.value_type(TEST_NAME)(AlreadyADataclass)
    assert TEST_NAME not in values.registered()


def test_a_mutable_value_type_cannot_be_asked_for(clean_registry: None) -> None:
    with pytest.raises(TypeError, match="always frozen"):
        values.value_type(TEST_NAME, frozen=False)
    assert TEST_NAME not in values.registered()


def test_a_value_type_cannot_extend_a_mutable_dataclass(clean_registry: None) -> None:
    @dataclasses.dataclass
    class MutableBase:
        amount: Decimal

    class Derived(MutableBase):
        note: str = ""

    with pytest.raises(TypeError):
        values.value_type(TEST_NAME)(Derived)
    assert TEST_NAME not in values.registered()


def test_an_enum_is_registered_as_it_is(clean_registry: None) -> None:
    @values.value_type(TEST_NAME)
    class Colour(Enum):
        RED = "red"

    assert values.registered()[TEST_NAME] is Colour
    assert not dataclasses.is_dataclass(Colour)
    with pytest.raises(TypeError, match="no dataclass options"):
        values.value_type(TEST_NAME + "2", slots=True)(Colour)


def test_type_checkers_see_value_type_as_a_frozen_dataclass_transform() -> None:
    transform = values.value_type.__dataclass_transform__  # type: ignore[attr-defined]
    # Python 3.11 keeps frozen_default among the extra keywords; 3.12 names it.
    assert transform.get("frozen_default", transform.get("kwargs", {}).get("frozen_default")) is True
