"""A value type whose shape changed keeps its stored events loading: the upcast path (on both stores).

Books are kept 30 years (DOMAIN.md §1): an event stored under the old shape must decode into the
new class, through the same transcoding the store uses for every value type, with no rule re-run.
"""

from __future__ import annotations

from decimal import Decimal

from eventsourcing.domain import Aggregate, event

from ledger import values
from ledger.store import StoreConfig, open_application

NAME = "anju.test.AgreedRent"


@values.value_type(NAME)
class AgreedRentV1:
    """The old shape: an amount and a free-text basis."""

    amount: Decimal
    basis: str


class RentAgreement(Aggregate):
    @event("Agreed")
    def __init__(self, rent: object) -> None:
        self.rent = rent


def rent_v1_to_v2(stored: dict) -> dict:
    if "amount" not in stored:
        return stored  # already the new shape
    return {"monthly_rent_yuan": stored["amount"], "per_m2": stored["basis"] == "per-m2"}


def declare_rent_v2() -> type:
    """The new shape, declared under the old name with its upcast, as a release would."""

    @values.value_type(NAME, upcast=rent_v1_to_v2)
    class AgreedRentV2:
        """The amount names its unit, the basis became a per-m² flag."""

        monthly_rent_yuan: Decimal
        per_m2: bool

    return AgreedRentV2


def test_a_value_stored_in_an_older_shape_is_upcast_when_history_is_read(store_url) -> None:
    config = StoreConfig.from_url(store_url)
    app = open_application(config)
    try:
        old = RentAgreement(AgreedRentV1(Decimal("3100.00"), "per-m2"))
        app.save(old)
    finally:
        app.close()

    registered = values._REGISTRY.pop(NAME)  # noqa: SLF001 - the test replaces the class, as a release would
    try:
        AgreedRentV2 = declare_rent_v2()  # noqa: N806 - a class
        reopened = open_application(config)
        try:
            loaded = reopened.repository.get(old.id)
            assert loaded.rent == AgreedRentV2(Decimal("3100.00"), True)
            new = RentAgreement(AgreedRentV2(Decimal("12.50"), False))
            reopened.save(new)
            assert reopened.repository.get(new.id).rent == AgreedRentV2(Decimal("12.50"), False)
        finally:
            reopened.close()
    finally:
        values._REGISTRY[NAME] = registered  # noqa: SLF001
        values._UPCASTS.pop(NAME, None)  # noqa: SLF001
