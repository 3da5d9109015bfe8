"""Monthly billing runs: what each household is billed, adjustment lines, and the run's vouchers.

Source: DOMAIN.md §5 (Monthly figures, Money, Exact readings). A run for month R bills,
for every household of the register, each month not yet billed through R (months billed
are never re-billed) and the adjustment lines corrections left since the last run. Each
billed month keeps how many fee standards and policy versions were known when it was
billed, so a later correction recomputes it "with its own policy", and a version adopted
later never reaches it. Postings: Dr 112 household:<id> (household share) and Dr 112
fiscal:<township> (subsidy) / Cr 501.02 物业服务收入 (fee), on the collective's book.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.subsidies.household import Adjustment, BilledMonth, Household, MonthDelta
from domain.subsidies.policy import FeeStandard, PolicyVersion
from domain.subsidies.schedule import HouseholdTerms, change_days, month_figures
from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE
from ledger.calendar import month_last_day
from ledger.chart import Chart
from ledger.journal import JournalLine, VoucherDraft, draft_of, signed_credit, signed_line
from ledger.money import ZERO
from ledger.values import value_type

#: A voucher's lines: one per household plus the subsidy and income lines, within the
#: journal's bound of 20,000 lines per voucher.
HOUSEHOLDS_PER_VOUCHER = 5_000
BILLING_SOURCE = "subsidies:billing"
RECEIVABLE_ROLE = "household_fee_receivable"
FISCAL_ROLE = "fiscal_subsidy_receivable"
INCOME_ROLE = "property_service_income"


def billing_run_id(book_code: str, month: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"subsidies/{book_code}/billing-run/{month}")


def household_key(household_id: str) -> str:
    return f"household:{household_id}"


def fiscal_key(township_id: str) -> str:
    """The sub-ledger key of the 财政补贴 receivable: the township that pays the subsidy."""
    return f"fiscal:{township_id}"


# --- planning a household's bill (pure) -------------------------------------------------------
@dataclass(frozen=True)
class HouseholdBill:
    """What a run bills one household: its unbilled months and its pending adjustment lines."""

    household_id: str
    months: tuple[BilledMonth, ...]
    adjustments: tuple[Adjustment, ...]

    @property
    def fee(self) -> Decimal:
        return sum((m.figures.fee for m in self.months), ZERO) + sum((a.fee for a in self.adjustments), ZERO)

    @property
    def subsidy(self) -> Decimal:
        return sum((m.figures.subsidy for m in self.months), ZERO) + sum((a.subsidy for a in self.adjustments), ZERO)

    @property
    def household_share(self) -> Decimal:
        return (sum((m.figures.household_share for m in self.months), ZERO)
                + sum((a.household_share for a in self.adjustments), ZERO))


def plan_household_bill(household: Household, run_month: str, standards: Sequence[FeeStandard],
                        policies: Sequence[PolicyVersion]) -> HouseholdBill:
    """Every month not yet billed through ``run_month``, at the standards and policies now known.

    Source: DOMAIN.md §5 Exact readings: a version effective in months already billed
    applies from the first unbilled month only (billed months are skipped here, never
    re-billed); adjustment lines left by corrections go into this run.
    """
    terms = household.terms()
    billable = household.billable_months_through(run_month)
    changes = change_days(terms, standards, policies) if billable else ()
    months = tuple(BilledMonth(run_month, month_figures(month, terms, standards, policies, changes), len(standards),
                               len(policies))
                   for month in billable)
    return HouseholdBill(household.household_id, months, household.pending)


def correction_adjustment(household: Household, corrected: HouseholdTerms, effective_on: date, cause: str,
                          standards: Sequence[FeeStandard], policies: Sequence[PolicyVersion]) -> Adjustment | None:
    """The one adjustment line a dated correction leaves for the next run (None when nothing changes).

    Source: DOMAIN.md §5 Exact readings: "each billed month from that date is recomputed
    with its own policy, and the difference (corrected − billed, each of fee, subsidy and
    household share, possibly negative) goes as one adjustment line into the next billing
    run". "Billed" is what the month now stands at (earlier adjustments included); "its own
    policy" is the standards and policy versions known when it was billed.
    """
    deltas = []
    for month, billed in sorted(household.billed.items()):
        if month_last_day(month) < effective_on:
            continue
        figures = month_figures(month, corrected, standards[:billed.standards_known], policies[:billed.policies_known])
        fee, subsidy = household.accounted[month]
        if figures.fee != fee or figures.subsidy != subsidy:
            deltas.append(MonthDelta(month, figures.fee - fee, figures.subsidy - subsidy))
    if not deltas:
        return None
    fee_delta = sum((d.fee for d in deltas), ZERO)
    subsidy_delta = sum((d.subsidy for d in deltas), ZERO)
    return Adjustment(cause, effective_on, fee_delta, subsidy_delta, fee_delta - subsidy_delta, tuple(deltas))


# --- postings ---------------------------------------------------------------------------------
def billing_draft(chart: Chart, run_month: str, voucher_date: date, township_id: str,
                  bills: Sequence[HouseholdBill]) -> VoucherDraft | None:
    """The run's voucher for a group of households (DOMAIN.md §5 Money); None when all is zero.

    Dr 112 household:<id> for each household share, Dr 112 fiscal:<township> for the
    subsidy, Cr 501.02 for the fee; negative adjustments turn a line to the other side.
    Balanced by construction: per household-month share = fee − subsidy.
    """
    receivable, fiscal, income = chart.code_for(RECEIVABLE_ROLE), chart.code_for(FISCAL_ROLE), chart.code_for(INCOME_ROLE)
    lines: list[JournalLine | None] = [signed_line(receivable, bill.household_share, household_key(bill.household_id))
                                       for bill in bills]
    subsidy = sum((bill.subsidy for bill in bills), ZERO)
    fee = sum((bill.fee for bill in bills), ZERO)
    lines.append(signed_line(fiscal, subsidy, fiscal_key(township_id), "财政补贴"))
    lines.append(signed_credit(income, fee))
    return draft_of(voucher_date, f"{run_month} 物业服务费计费（{len(bills)}户）", lines, f"{BILLING_SOURCE}:{run_month}")


# --- the run --------------------------------------------------------------------------------
@value_type("anju.subsidies.RunLine")
class RunLine:
    """One household's line in a run: months billed and totals (adjustments included)."""

    household_id: str
    months: tuple[str, ...]
    fee: Decimal
    subsidy: Decimal
    household_share: Decimal
    adjustment_fee: Decimal = ZERO
    adjustment_subsidy: Decimal = ZERO


def run_line(bill: HouseholdBill) -> RunLine:
    return RunLine(bill.household_id, tuple(m.figures.month for m in bill.months), bill.fee, bill.subsidy,
                   bill.household_share, sum((a.fee for a in bill.adjustments), ZERO),
                   sum((a.subsidy for a in bill.adjustments), ZERO))


class BillingRun(Aggregate):
    """A community's billing run for one month: its household lines and vouchers."""

    @staticmethod
    def create_id(book_code: str, month: str) -> UUID:  # type: ignore[override]
        return billing_run_id(book_code, month)

    @event("Started")
    def __init__(self, audit: Audit, book_code: str, month: str) -> None:
        self.book_code = book_code
        self.month = month
        self.lines: dict[str, RunLine] = {}
        self.voucher_numbers: tuple[str, ...] = ()
        self.finished = False

    def record_lines(self, audit: Audit, lines: tuple[RunLine, ...], voucher_number: str) -> None:
        self._lines_recorded(audit=audit, lines=lines, voucher_number=voucher_number)

    @event("LinesRecorded")
    def _lines_recorded(self, audit: Audit, lines: tuple[RunLine, ...], voucher_number: str) -> None:
        for line in lines:
            self.lines[line.household_id] = line
        if voucher_number:
            self.voucher_numbers = (*self.voucher_numbers, voucher_number)

    def finish(self, audit: Audit) -> None:
        self._finished(audit=audit, households=len(self.lines), fee=self.total("fee"),
                       subsidy=self.total("subsidy"), household_share=self.total("household_share"))

    @event("Finished")
    def _finished(self, audit: Audit, households: int, fee: Decimal, subsidy: Decimal,
                  household_share: Decimal) -> None:
        self.finished = True

    def total(self, field: str) -> Decimal:
        return sum((getattr(line, field) for line in self.lines.values()), ZERO)
