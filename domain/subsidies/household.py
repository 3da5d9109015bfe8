"""The household register (住户登记) and each household's account: bills, adjustments, receipts.

Source: DOMAIN.md §5 (Household register, Money, Exact readings) and §3 (identity numbers
stored masked plus a keyed hash — ``domain.collective.identity`` does it, reused here).
A ``Household`` is one stream per household of a community's book: the dated facts its
figures depend on (floor area, move-in, move-out, building type), its dated person and
labourer counts, the months billed with the figures they were billed at, the adjustment
lines corrections leave for the next billing run, the receipts (``domain.subsidies.receipt``: settled
oldest first), and the
reminders of its arrears (``domain.subsidies.reminder``: recorded and reminded only, 民法典 Art. 944).
Command methods check their rules, then trigger one event whose body only mutates state.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.collective.identity import ProtectedIdentity
from domain.subsidies.errors import (
    AlreadyMovedOut,
    InvalidCorrection,
    InvalidFloorArea,
    InvalidHouseholdCounts,
    MoveOutBeforeMoveIn,
)
from domain.subsidies.receipt import HouseholdReceipt
from domain.subsidies.reminder import Reminder, ReminderRules, check_reminder_method, check_reminder_note
from domain.subsidies.schedule import AreaFrom, HouseholdTerms, MonthFigures, MoveInFrom
from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE
from ledger.calendar import month_of, months_between, next_month, previous_month
from ledger.money import ZERO
from ledger.values import value_type

MAX_FLOOR_AREA_M2 = Decimal("10000")
AREA_PLACES = 2
MAX_PERSONS = 50
EARLIEST_DAY, LATEST_DAY = date(1990, 1, 1), date(2100, 12, 31)


def household_stream_id(book_code: str, household_id: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"subsidies/{book_code}/household/{household_id}")


# --- values validated where input is parsed ------------------------------------------------------
def floor_area(value: object) -> Decimal:
    """A floor area in m² as given (its precision kept): > 0, at most two decimals, ≤ 10,000.

    Source: DOMAIN.md §5 Household register (floor area from the title or survey) and §1
    (input with more decimals than its unit allows is rejected, not rounded); issue 8 Bad
    input ("non-positive or over-precise area").
    """
    if isinstance(value, bool | float) or not isinstance(value, str | int | Decimal):
        raise InvalidFloorArea("floor area must be a decimal string such as \"80.25\"")
    if isinstance(value, str) and (value != value.strip() or "e" in value.lower() or "_" in value):
        raise InvalidFloorArea(f"floor area {value!r} is not a plain decimal")
    try:
        area = value if isinstance(value, Decimal) else Decimal(value)
    except InvalidOperation:
        raise InvalidFloorArea(f"floor area {value!r} is not a decimal number") from None
    if not area.is_finite() or area <= 0:
        raise InvalidFloorArea("floor area must be greater than 0 m²")
    exponent = area.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > AREA_PLACES:
        raise InvalidFloorArea(f"floor area {value!r} has more than {AREA_PLACES} decimals (over-precise)")
    if area > MAX_FLOOR_AREA_M2:
        raise InvalidFloorArea(f"floor area must be at most {MAX_FLOOR_AREA_M2} m²")
    return area


def check_register_day(day: object, what: str) -> date:
    if not isinstance(day, date) or not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InvalidCorrection(f"{what} must be a date from {EARLIEST_DAY} to {LATEST_DAY}")
    return day


def check_moved_in_before_moved_out(moved_in_on: date, moved_out_on: date | None) -> None:
    """A household moves out on or after the day it moved in (issue 8 Bad input: move-in after move-out)."""
    if moved_out_on is not None and moved_out_on < moved_in_on:
        raise MoveOutBeforeMoveIn(f"move-out {moved_out_on} is before the move-in {moved_in_on}")


@value_type("anju.subsidies.CountsFrom")
class CountsFrom:
    """Persons and labourers in the household from ``effective_on`` (a count applies from its date)."""

    effective_on: date
    persons: int
    labourers: int

    @classmethod
    def counted(cls, effective_on: date, persons: object, labourers: object) -> CountsFrom:
        if not isinstance(effective_on, date) or not EARLIEST_DAY <= effective_on <= LATEST_DAY:
            raise InvalidHouseholdCounts(f"the counts' date must lie from {EARLIEST_DAY} to {LATEST_DAY}")
        for what, count in (("persons", persons), ("labourers", labourers)):
            if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_PERSONS:
                raise InvalidHouseholdCounts(f"{what} must be a whole number from 0 to {MAX_PERSONS}")
        if labourers > persons:  # type: ignore[operator]
            raise InvalidHouseholdCounts("a household cannot have more labourers than persons")
        return cls(effective_on, persons, labourers)  # type: ignore[arg-type]


@value_type("anju.subsidies.BilledMonth")
class BilledMonth:
    """A household-month as billed, in run ``run_month``, with the standards and policy versions then known."""

    run_month: str
    figures: MonthFigures
    standards_known: int
    policies_known: int


@value_type("anju.subsidies.MonthDelta")
class MonthDelta:
    """A billed month recomputed after a correction: corrected − accounted, of fee and subsidy."""

    month: str
    fee: Decimal
    subsidy: Decimal


@value_type("anju.subsidies.Adjustment")
class Adjustment:
    """One adjustment line (调整): the differences of a correction over the billed months it reaches."""

    cause: str  # floor_area | move_in | move_out
    effective_on: date
    fee: Decimal
    subsidy: Decimal
    household_share: Decimal
    months: tuple[MonthDelta, ...]


# --- the aggregate ---------------------------------------------------------------------------------
class Household(ReminderRules, Aggregate):
    """One household of a community's register and its property-fee account."""

    @staticmethod
    def create_id(book_code: str, household_id: str) -> UUID:  # type: ignore[override]
        return household_stream_id(book_code, household_id)

    @event("Registered")
    def __init__(self, audit: Audit, book_code: str, household_id: str, building_code: str, building_type: str,
                 flat_number: str, floor_area_m2: Decimal, moved_in_on: date, head: ProtectedIdentity | None,
                 counts: CountsFrom, billing_from_month: str) -> None:
        self.book_code = book_code
        self.household_id = household_id
        self.building_code = building_code
        self.building_type = building_type
        # "flat_number", not "unit_number": the shared stream index names a stream by the first
        # natural-code attribute it finds, and a household's stream is named by its household id.
        self.unit_number = flat_number
        self.areas: tuple[AreaFrom, ...] = (AreaFrom(date.min, floor_area_m2),)
        self.move_ins: tuple[MoveInFrom, ...] = (MoveInFrom(date.min, moved_in_on),)
        self.moved_out_on: date | None = None
        self.head = head
        self.counts: tuple[CountsFrom, ...] = (counts,)
        self.billing_from_month = billing_from_month
        self.billed: dict[str, BilledMonth] = {}
        self.accounted: dict[str, tuple[Decimal, Decimal]] = {}  # month → (fee, subsidy) incl. adjustments
        self.pending: tuple[Adjustment, ...] = ()
        self.charges: list[tuple[str, Decimal]] = []  # (run month, household share) in billing order
        self.charged_on: list[date] = []  # each charge's billing date (its voucher's)
        self.receipts: tuple[HouseholdReceipt, ...] = ()
        self.paid = ZERO
        self.reminders: tuple[Reminder, ...] = ()

    # --- facts ---------------------------------------------------------------------------------
    def terms(self) -> HouseholdTerms:
        return HouseholdTerms(self.building_type, self.areas, self.move_ins, self.moved_out_on)

    @property
    def moved_in_on(self) -> date:
        return self.terms().first_moved_in_on

    @property
    def floor_area_m2(self) -> Decimal:
        return max(self.areas, key=lambda fact: fact.effective_on).floor_area_m2

    @property
    def owed(self) -> Decimal:
        return sum((amount for _, amount in self.charges), ZERO) - self.paid

    # --- rules ---------------------------------------------------------------------------------
    def check_not_moved_out(self) -> None:
        if self.moved_out_on is not None:
            raise AlreadyMovedOut(f"household {self.household_id} moved out on {self.moved_out_on}")

    def check_counts_in_order(self, counts: CountsFrom) -> None:
        if counts.effective_on <= self.counts[-1].effective_on:
            raise InvalidHouseholdCounts(f"counts are dated after the latest ({self.counts[-1].effective_on})")

    def check_correction_in_order(self, facts: Sequence[AreaFrom] | Sequence[MoveInFrom], effective_on: date) -> None:
        """Corrections are dated events in date order: none before the latest correction of the same fact."""
        latest = max(fact.effective_on for fact in facts)
        if latest != date.min and effective_on <= latest:
            raise InvalidCorrection(f"a correction is already in force from {latest}; date this one after it")

    def billable_months_through(self, run_month: str) -> list[str]:
        """Months not yet billed from the first billed month through ``run_month`` while occupied.

        Billed months are contiguous (each run bills every month before it), so only the months
        before the first billed one (a move-in corrected earlier) and after the last are looked at.
        """
        first = max(self.billing_from_month, month_of(self.moved_in_on))
        last = run_month if self.moved_out_on is None else min(run_month, month_of(self.moved_out_on))
        if not self.billed:
            return months_between(first, last)
        billed_first, billed_last = min(self.billed), max(self.billed)
        before = months_between(first, min(last, previous_month(billed_first)))
        return before + months_between(max(first, next_month(billed_last)), last)

    def is_active_in(self, run_month: str) -> bool:
        """Whether the household belongs in a run's listing (billing started, not moved out before it)."""
        started = self.billing_from_month <= run_month
        return started and (self.moved_out_on is None or month_of(self.moved_out_on) >= run_month)

    # --- commands ------------------------------------------------------------------------------
    def correct_floor_area(self, audit: Audit, fact: AreaFrom, adjustment: Adjustment | None) -> None:
        self.check_correction_in_order(self.areas, fact.effective_on)
        self._area_corrected(audit=audit, fact=fact, adjustment=adjustment)

    @event("FloorAreaCorrected")
    def _area_corrected(self, audit: Audit, fact: AreaFrom, adjustment: Adjustment | None) -> None:
        self.areas = (*self.areas, fact)
        self._hold(adjustment)

    def correct_move_in(self, audit: Audit, fact: MoveInFrom, adjustment: Adjustment | None) -> None:
        self.check_correction_in_order(self.move_ins, fact.effective_on)
        check_moved_in_before_moved_out(fact.moved_in_on, self.moved_out_on)
        self._move_in_corrected(audit=audit, fact=fact, adjustment=adjustment)

    @event("MoveInCorrected")
    def _move_in_corrected(self, audit: Audit, fact: MoveInFrom, adjustment: Adjustment | None) -> None:
        self.move_ins = (*self.move_ins, fact)
        self._hold(adjustment)

    def move_out(self, audit: Audit, moved_out_on: date, adjustment: Adjustment | None) -> None:
        self.check_not_moved_out()
        check_moved_in_before_moved_out(self.moved_in_on, moved_out_on)
        self._moved_out(audit=audit, moved_out_on=moved_out_on, adjustment=adjustment)

    @event("MovedOut")
    def _moved_out(self, audit: Audit, moved_out_on: date, adjustment: Adjustment | None) -> None:
        self.moved_out_on = moved_out_on
        self._hold(adjustment)

    def _hold(self, adjustment: Adjustment | None) -> None:
        if adjustment is None:
            return
        self.pending = (*self.pending, adjustment)
        for delta in adjustment.months:
            fee, subsidy = self.accounted[delta.month]
            self.accounted[delta.month] = (fee + delta.fee, subsidy + delta.subsidy)

    def change_counts(self, audit: Audit, counts: CountsFrom) -> None:
        self.check_counts_in_order(counts)
        self._counts_changed(audit=audit, counts=counts)

    @event("CountsChanged")
    def _counts_changed(self, audit: Audit, counts: CountsFrom) -> None:
        self.counts = (*self.counts, counts)

    def bill(self, audit: Audit, run_month: str, billed_on: date, months: tuple[BilledMonth, ...],
             adjustments: tuple[Adjustment, ...], voucher_number: str) -> None:
        self._billed(audit=audit, run_month=run_month, billed_on=billed_on, months=months, adjustments=adjustments,
                     voucher_number=voucher_number)

    @event("Billed")
    def _billed(self, audit: Audit, run_month: str, billed_on: date, months: tuple[BilledMonth, ...],
                adjustments: tuple[Adjustment, ...], voucher_number: str) -> None:
        share = ZERO
        for billed in months:
            self.billed[billed.figures.month] = billed
            self.accounted[billed.figures.month] = (billed.figures.fee, billed.figures.subsidy)
            share += billed.figures.household_share
        share += sum((adjustment.household_share for adjustment in adjustments), ZERO)
        self.pending = self.pending[len(adjustments):]
        if months or adjustments:
            self.charges.append((run_month, share))
            self.charged_on.append(billed_on)

    def record_receipt(self, audit: Audit, receipt: HouseholdReceipt) -> None:
        self._receipt_recorded(audit=audit, receipt=receipt)

    @event("ReceiptRecorded")
    def _receipt_recorded(self, audit: Audit, receipt: HouseholdReceipt) -> None:
        self.receipts = (*self.receipts, receipt)
        self.paid += receipt.amount

    def remind(self, audit: Audit, reminded_on: date, method: str, note: str) -> Reminder:
        """A reminder (催缴) of the arrears: recorded only; no money moves and nothing is cut off (Art. 944)."""
        method, note = check_reminder_method(method), check_reminder_note(note)
        self.check_reminder_after_move_in(reminded_on)
        reminder = Reminder(reminded_on, method, note, self.check_reminder_for_arrears(reminded_on))
        self._arrears_reminded(audit=audit, reminder=reminder)
        return reminder

    @event("ArrearsReminded")
    def _arrears_reminded(self, audit: Audit, reminder: Reminder) -> None:
        self.reminders = (*self.reminders, reminder)
