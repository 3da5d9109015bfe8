"""Use cases of a collective's year end: close the year, adopt or reverse its distribution, pay dividends.

``fn(uow, audit, ...)`` like every use case in ``domain.collective.application`` (which re-exports
these): the organisation's aggregates and the vouchers they post are saved together or not at all;
the balances a rule needs come from the book's ``BookMonth`` aggregates, never from read models.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.collective.application import get_membership, get_organisation
from domain.collective.distribution import BANK, Distribution, DividendPayment, distribution_id, dividend_payment_voucher
from domain.collective.errors import DividendsAlreadyPaid
from domain.collective.membership import Membership
from domain.collective.organisation import Organisation
from domain.collective.resolution import AssemblyResolution
from domain.collective.year_end import (
    YearClose,
    check_year,
    net_debit_by_account,
    undistributed_balance,
    year_end_closing,
)
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.book import BookMonth, book_month_id
from ledger.calendar import next_month
from ledger.journal import Voucher
from ledger.writer import UnitOfWork


# --- reading the book from its aggregates -----------------------------------------
def vouchers_in_months(uow: UnitOfWork, book_code: str, first_month: str, last_month: str) -> Iterator[Voucher]:
    """Every voucher (blue and red) of the months given, from the ``BookMonth`` aggregates."""
    month = first_month
    while month <= last_month:
        period = uow.get_optional(BookMonth, book_month_id(book_code, month))
        if period is not None:
            yield from period.vouchers.values()
        month = next_month(month)


# --- year end -----------------------------------------------------------------------
def close_year(uow: UnitOfWork, audit: Audit, book_code: str, year: int) -> YearClose:
    """Close the year: every income and expense account to 321, then 321 to 322 未分配收益.

    Source: DOMAIN.md §3 (Year-end distribution, first step). The closing
    vouchers are dated 31 December, so December must still be open.
    """
    organisation = get_organisation(uow, book_code)
    book = bookkeeping.get_book(uow, book_code)
    organisation.check_year_can_close(check_year(year), book.starts_on)
    net_debit = net_debit_by_account(vouchers_in_months(uow, book_code, f"{year:04d}-01", f"{year:04d}-12"))
    closing = year_end_closing(book.chart, year, net_debit)
    numbers = tuple(bookkeeping.record_voucher(uow, audit, book_code, draft).number for draft in closing.drafts)
    close = YearClose(year, closing.net_income, numbers)
    organisation.close_year(audit, close)
    return close


@dataclass(frozen=True)
class DistributionResult:
    distribution: Distribution
    vouchers: tuple[Voucher, ...]


def adopt_distribution(uow: UnitOfWork, audit: Audit, book_code: str, *, year: int, resolution: AssemblyResolution,
                       record_date: date | None = None, declared_amount: Decimal | None = None) -> DistributionResult:
    """Adopt the year's distribution plan and post it (DOMAIN.md §3, steps 1–4).

    未分配收益 comes from every voucher of the book through 31 December (aggregate
    state, not a read model); the organisation turns it into the plan.
    """
    organisation = get_organisation(uow, book_code)
    record_date = organisation.check_can_distribute(year, resolution, record_date)
    book = bookkeeping.get_book(uow, book_code)
    net_debit = net_debit_by_account(vouchers_in_months(uow, book_code, book.first_month, f"{year:04d}-12"))
    plan = organisation.plan_distribution(year, record_date, undistributed_balance(book.chart, net_debit),
                                          declared_amount)
    vouchers = tuple(bookkeeping.record_voucher(uow, audit, book_code, draft) for draft in plan.vouchers())
    attempt = organisation.adopt_distribution(audit, plan)
    distribution = uow.add(Distribution.adopt(audit, book_code=book_code, attempt=attempt, resolution=resolution,
                                              plan=plan, voucher_numbers=[v.number for v in vouchers]))
    return DistributionResult(distribution, vouchers)


def get_distribution_in_force(uow: UnitOfWork, organisation: Organisation, year: int) -> Distribution:
    attempt = organisation.distribution_in_force(check_year(year))
    return uow.get(Distribution, distribution_id(organisation.book_code, year, attempt))


def reverse_distribution(uow: UnitOfWork, audit: Audit, book_code: str, *, year: int, red_date: date) -> Distribution:
    """Cancel a distribution by red vouchers, so a new plan may be adopted; only while nothing is paid."""
    organisation = get_organisation(uow, book_code)
    distribution = get_distribution_in_force(uow, organisation, year)
    for line in distribution.lines:
        if line.amount > 0 and get_membership(uow, book_code, line.member_id).paid_for(year) > 0:
            raise DividendsAlreadyPaid(f"member {line.member_id} has been paid part of the {year} dividend")
    reds = [bookkeeping.reverse_voucher(uow, audit, book_code, number, red_date).red.number
            for number in distribution.voucher_numbers]
    distribution.reverse(audit, red_date, reds)
    organisation.reverse_distribution(audit, year, distribution.attempt)
    return distribution


def pay_dividends(uow: UnitOfWork, audit: Audit, book_code: str, *, year: int, paid_on: date,
                  payments: Sequence[DividendPayment], account_code: str = BANK) -> Voucher:
    """Pay dividends, in a batch or one by one; partial allowed, never above what is owed.

    Source: DOMAIN.md §3 (payment Dr 211 / Cr 102): one voucher per batch.
    """
    distribution = get_distribution_in_force(uow, get_organisation(uow, book_code), year)
    totals = distribution.check_payments(paid_on, payments, account_code)
    members: list[tuple[Membership, Decimal]] = []
    for member_id, amount in totals.items():
        membership = get_membership(uow, book_code, member_id)
        membership.check_payment_within_owed(year, distribution.declared_for(member_id), amount)
        members.append((membership, amount))
    voucher = bookkeeping.record_voucher(uow, audit, book_code,
                                         dividend_payment_voucher(year, paid_on, totals, account_code))
    for membership, amount in members:
        membership.pay_dividend(audit, year, distribution.declared_for(membership.member_id), amount, paid_on,
                                voucher.number)
    return voucher
