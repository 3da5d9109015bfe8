"""A community's property-fee register: its buildings, its roster of households, its runs and claims.

Source: DOMAIN.md §5 (Household register, Money). One ``HouseholdRegister`` stream per
collective book: the buildings with their storeys (which give the fee-standard class),
the households enrolled (so a billing run bills every one of them, from aggregate state,
never from a read model), the billing runs started and finished month by month, the
claims filed with the months they cover, and the township's receipts against claims.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.subsidies.errors import (
    BillingRunNotOpen,
    BillingRunOutOfOrder,
    BuildingAlreadyRegistered,
    BuildingNotFound,
    ClaimOverlapsAnother,
    InvalidBuilding,
)
from domain.subsidies.policy import building_type_of
from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE
from ledger.calendar import next_month
from ledger.values import value_type

MAX_BUILDING_NAME = 100


def register_id(book_code: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"subsidies/{book_code}/register")


@value_type("anju.subsidies.Building")
class Building:
    """A residential building of the community: storeys, lift, and its fee-standard class."""

    building_code: str
    name: str
    storeys: int
    has_lift: bool
    building_type: str

    @classmethod
    def registered(cls, building_code: str, name: str, storeys: int, has_lift: bool) -> Building:
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_BUILDING_NAME:
            raise InvalidBuilding(f"a building needs a name of at most {MAX_BUILDING_NAME} characters")
        if not isinstance(has_lift, bool):
            raise InvalidBuilding("has_lift must be true or false")
        return cls(building_code, name, storeys, has_lift, building_type_of(storeys))


@value_type("anju.subsidies.ClaimSettlement")
class ClaimSettlement:
    claim_code: str
    amount: Decimal


@value_type("anju.subsidies.SubsidyReceipt")
class SubsidyReceipt:
    """Money received from the township's fiscal side (财政补贴款), applied to claims oldest first."""

    receipt_number: str
    received_on: date
    amount: Decimal
    reference: str
    voucher_number: str
    settled: tuple[ClaimSettlement, ...]


class HouseholdRegister(Aggregate):
    """The community's register of the property-fee scheme, one per collective book."""

    @staticmethod
    def create_id(book_code: str) -> UUID:  # type: ignore[override]
        return register_id(book_code)

    @event("Started")
    def __init__(self, audit: Audit, book_code: str, township_id: str) -> None:
        self.book_code = book_code
        self.township_id = township_id
        self.buildings: dict[str, Building] = {}
        self.household_ids: list[str] = []
        self.first_billing_month: str | None = None
        self.last_run_month: str | None = None
        self.open_run: str | None = None
        self.claims: dict[str, tuple[str, ...]] = {}  # claim code → months, in filing order
        self.receipts: tuple[SubsidyReceipt, ...] = ()

    # --- buildings --------------------------------------------------------------------------
    def building(self, building_code: str) -> Building:
        found = self.buildings.get(building_code)
        if found is None:
            raise BuildingNotFound(f"no building {building_code!r} in book {self.book_code}")
        return found

    def register_building(self, audit: Audit, building: Building) -> None:
        if building.building_code in self.buildings:
            raise BuildingAlreadyRegistered(f"building {building.building_code} is already registered")
        self._building_registered(audit=audit, building=building)

    @event("BuildingRegistered")
    def _building_registered(self, audit: Audit, building: Building) -> None:
        self.buildings[building.building_code] = building

    # --- the roster ---------------------------------------------------------------------------
    def enrol(self, audit: Audit, household_ids: tuple[str, ...], first_billing_month: str) -> None:
        self._enrolled(audit=audit, household_ids=household_ids, first_billing_month=first_billing_month)

    @event("HouseholdsEnrolled")
    def _enrolled(self, audit: Audit, household_ids: tuple[str, ...], first_billing_month: str) -> None:
        self.household_ids.extend(household_ids)
        if self.first_billing_month is None or first_billing_month < self.first_billing_month:
            self.first_billing_month = first_billing_month

    # --- runs ---------------------------------------------------------------------------------
    @property
    def next_run_month(self) -> str | None:
        """The month the next run bills: after the last run, or the first month any household is billed."""
        if self.last_run_month is not None:
            return next_month(self.last_run_month)
        return self.first_billing_month

    def check_run_in_order(self, month: str) -> None:
        """Runs go month by month; a run waits for the one before it to finish (DOMAIN.md §5 Money)."""
        if self.open_run is not None:
            raise BillingRunOutOfOrder(f"the run for {self.open_run} is not finished")
        if month != self.next_run_month:
            raise BillingRunOutOfOrder(f"the next billing run is for {self.next_run_month}, not {month}")

    def start_run(self, audit: Audit, month: str) -> None:
        self.check_run_in_order(month)
        self._run_started(audit=audit, month=month)

    @event("RunStarted")
    def _run_started(self, audit: Audit, month: str) -> None:
        self.open_run = month

    def check_run_open(self, month: str) -> None:
        if self.open_run != month:
            raise BillingRunNotOpen(f"no billing run for {month} is open")

    def finish_run(self, audit: Audit, month: str) -> None:
        self.check_run_open(month)
        self._run_finished(audit=audit, month=month)

    @event("RunFinished")
    def _run_finished(self, audit: Audit, month: str) -> None:
        self.open_run = None
        self.last_run_month = month

    def run_finished(self, month: str) -> bool:
        return self.last_run_month is not None and month <= self.last_run_month and (
            self.first_billing_month is not None and month >= self.first_billing_month)

    # --- claims ---------------------------------------------------------------------------------
    def check_claim_does_not_overlap(self, claim_code: str, months: tuple[str, ...]) -> None:
        """A month is claimed once: by its own claim or by its quarter's, not both."""
        for code, claimed in self.claims.items():
            if set(claimed) & set(months):
                raise ClaimOverlapsAnother(f"claim {code} already covers {', '.join(sorted(set(claimed) & set(months)))}")

    def file_claim(self, audit: Audit, claim_code: str, months: tuple[str, ...]) -> None:
        self.check_claim_does_not_overlap(claim_code, months)
        self._claim_filed(audit=audit, claim_code=claim_code, months=months)

    @event("ClaimFiled")
    def _claim_filed(self, audit: Audit, claim_code: str, months: tuple[str, ...]) -> None:
        self.claims[claim_code] = months

    @property
    def next_receipt_number(self) -> str:
        return f"SR-{len(self.receipts) + 1:05d}"

    def record_subsidy_receipt(self, audit: Audit, receipt: SubsidyReceipt) -> None:
        self._subsidy_receipt_recorded(audit=audit, receipt=receipt)

    @event("SubsidyReceiptRecorded")
    def _subsidy_receipt_recorded(self, audit: Audit, receipt: SubsidyReceipt) -> None:
        self.receipts = (*self.receipts, receipt)
