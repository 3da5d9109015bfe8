"""Use cases of monthly billing runs: month by month, every household, once.

Source: DOMAIN.md §5 Money and Exact readings; issue 8 (idempotent per month: a second
run for the same month adds nothing; a run for month M bills every unbilled month up to
M). Each run month is opened, its households billed (one voucher per 5,000 households),
and finished; a claim may cover only finished runs. The demo and bench bill large
registers in chunks of households through ``start_run`` / ``bill_run_households`` /
``finish_run``; the API does all three in one command per request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.subsidies import lookups
from domain.subsidies.billing import (
    HOUSEHOLDS_PER_VOUCHER,
    BillingRun,
    HouseholdBill,
    billing_draft,
    billing_run_id,
    plan_household_bill,
    run_line,
)
from domain.subsidies.errors import BillingMonthInFuture, BillingRunNotFound, BillingRunTooLarge, NothingToBill
from domain.subsidies.household import Household
from ledger.audit import Audit
from ledger.calendar import month_first_day, month_of, months_between
from ledger.writer import UnitOfWork

#: Bound on one command's work, households × run months — about its events, saved in one
#: transaction (TIGER_STYLE: a limit on everything; very large inserts stall PostgreSQL's pipeline).
MAX_HOUSEHOLD_MONTHS_PER_COMMAND = 50_000


@dataclass
class RunResult:
    """What a request for month M did: the runs it started or completed (none: already billed)."""

    month: str
    runs: list[BillingRun] = field(default_factory=list)
    households_billed: int = 0  # distinct households with a month or an adjustment billed
    household_months: int = 0


def run_billing(uow: UnitOfWork, audit: Audit, book_code: str, month: str, *, today: date) -> RunResult:
    """Bill every household through ``month``: each run month in turn, once; a second request adds nothing.

    Source: DOMAIN.md §5 Money; issue 8 (idempotent per month: a run for month M bills every
    unbilled month up to M). Months after the current month (CST ``today``) are refused.
    """
    book = lookups.get_collective_book(uow, book_code)
    lookups.check_month(month)
    if month > month_of(today):
        raise BillingMonthInFuture(f"{month} has not begun (today is {today})")
    register = lookups.get_register(uow, audit, book)
    if register.next_run_month is None:
        raise NothingToBill("no household is registered yet")
    if register.first_billing_month is not None and month < register.first_billing_month:
        raise NothingToBill(f"no household is billed before {register.first_billing_month}")
    result, billed_households = RunResult(month), set()
    run_months = months_between(register.open_run or register.next_run_month, month)
    if len(run_months) * max(len(register.household_ids), 1) > MAX_HOUSEHOLD_MONTHS_PER_COMMAND:
        raise BillingRunTooLarge(f"{len(run_months)} months × {len(register.household_ids)} households is too much "
                                 "for one request; bill fewer months at a time")
    for run_month in run_months:
        run = start_run(uow, audit, book_code, run_month) if register.open_run != run_month else \
            get_run(uow, book_code, run_month)
        billed = bill_run_households(uow, audit, book_code, run_month, register.household_ids)
        billed_households.update(bill.household_id for bill in billed if bill.months or bill.adjustments)
        result.household_months += sum(len(bill.months) for bill in billed)
        finish_run(uow, audit, book_code, run_month)
        result.runs.append(run)
    result.households_billed = len(billed_households)
    return result


def get_run(uow: UnitOfWork, book_code: str, month: str) -> BillingRun:
    return uow.get(BillingRun, billing_run_id(book_code, month),
                        BillingRunNotFound(f"no billing run for {month} in book {book_code}"))


def start_run(uow: UnitOfWork, audit: Audit, book_code: str, month: str) -> BillingRun:
    """Open the run of the next month (runs go in month order)."""
    register = lookups.get_register(uow, audit, lookups.get_collective_book(uow, book_code))
    register.start_run(audit, lookups.check_month(month))
    existing = uow.get_optional(BillingRun, billing_run_id(book_code, month))
    return existing or uow.add(BillingRun(audit=audit, book_code=book_code, month=month))


def bill_run_households(uow: UnitOfWork, audit: Audit, book_code: str, month: str,
                        household_ids: Sequence[str]) -> list[HouseholdBill]:
    """Bill some households in the open run of ``month`` (those not yet in it); one voucher per 5,000."""
    book = lookups.get_collective_book(uow, book_code)
    register = lookups.get_register(uow, audit, book)
    register.check_run_open(month)
    run = get_run(uow, book_code, month)
    standards, policies = lookups.known_standards(uow, book_code), lookups.known_policies(uow, book_code)
    planned: list[tuple[Household, HouseholdBill]] = []
    for household_id in household_ids:
        if household_id in run.lines:
            continue
        household = lookups.get_household(uow, book_code, household_id)
        bill = plan_household_bill(household, month, standards, policies)
        if bill.months or bill.adjustments or household.is_active_in(month):
            planned.append((household, bill))
    voucher_date = max(month_first_day(month), book.starts_on)
    for start in range(0, len(planned), HOUSEHOLDS_PER_VOUCHER):
        chunk = planned[start:start + HOUSEHOLDS_PER_VOUCHER]
        draft = billing_draft(book.chart, month, voucher_date, register.township_id, [bill for _, bill in chunk])
        number = lookups.post(uow, audit, book_code, draft)
        for household, bill in chunk:
            if bill.months or bill.adjustments:
                household.bill(audit, month, voucher_date, bill.months, bill.adjustments, number)
        run.record_lines(audit, tuple(run_line(bill) for _, bill in chunk), number)
        uow.checkpoint()  # a chunk is a unit of work: its households are skipped when the run goes on
    return [bill for _, bill in planned]


def finish_run(uow: UnitOfWork, audit: Audit, book_code: str, month: str) -> BillingRun:
    register = lookups.get_register(uow, audit, lookups.get_collective_book(uow, book_code))
    register.finish_run(audit, month)
    run = get_run(uow, book_code, month)
    run.finish(audit)
    return run
