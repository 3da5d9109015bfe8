"""Invoices of a lease: billing periods in advance, and invoice lines prorated by day.

Source: DOMAIN.md §4 (Lease: "monthly / quarterly / yearly, in advance"; Accrual: partial
months prorate by the days of that calendar month; Terms: one line per rent in a month
split between two rents, the invoice is the sum of its lines, due on the period's first day).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from domain.leases.errors import PeriodEndsBeforeStart
from domain.leases.terms import (
    BillingFrequency,
    LeaseTerms,
    rent_free_through,
    rent_on,
    rent_steps,
)
from ledger.calendar import ONE_DAY, days_in_month, month_first_day, month_last_day
from ledger.money import ZERO, round_half_up_to_fen
from ledger.values import value_type


@value_type("anju.leases.InvoiceKind")
class InvoiceKind(Enum):
    RENT = "rent"
    LATE_FEE = "late_fee"


@value_type("anju.leases.Invoice")
class Invoice:
    """An amount billed to a tenant, due on ``due_on`` (in advance: the period's first day)."""

    invoice_number: str
    kind: InvoiceKind
    lease_code: str
    issued_on: date
    due_on: date
    amount: Decimal
    period_start: date | None = None
    period_end: date | None = None
    voucher_number: str = ""


def invoice_number(lease_code: str, month: str) -> str:
    """A lease has at most one invoice falling due per month, so the month names it."""
    return f"{lease_code}-{month}"


# --- Billing periods --------------------------------------------------------------


@dataclass(frozen=True)
class BillingPeriod:
    """One billing period of a lease, billed in advance. DOMAIN.md §4 Terms."""

    period_start: date
    period_end: date
    due_on: date


def calendar_period_first_day(day: date, frequency: BillingFrequency) -> date:
    """First day of the calendar month, quarter or year containing ``day``."""
    if frequency is BillingFrequency.YEARLY:
        return date(day.year, 1, 1)
    if frequency is BillingFrequency.QUARTERLY:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, day.month, 1)


def calendar_period_last_day(day: date, frequency: BillingFrequency) -> date:
    """Last day of the calendar month, quarter or year containing ``day``."""
    if frequency is BillingFrequency.YEARLY:
        return date(day.year, 12, 31)
    month = day.month if frequency is BillingFrequency.MONTHLY else (day.month + 2) // 3 * 3
    return date(day.year, month, calendar.monthrange(day.year, month)[1])


def period_due_in(terms: LeaseTerms, billing_from: date, month: str, stop_after: date | None) -> BillingPeriod | None:
    """The billing period falling due in ``month``, clipped to the billed days; None if none does.

    DOMAIN.md §4 Lease ("monthly / quarterly / yearly, in advance") and Terms ("due on the
    period's first day"): periods are calendar months, quarters or years clipped to the term,
    ended early by ``stop_after`` (termination, inclusive) and clipped to the first billed day;
    each is due on its first day. Found directly rather than by listing the whole term, so
    billing a month costs the same in any year of the lease.
    """
    last_on = min(terms.end_on, stop_after or terms.end_on)
    first_on = max(month_first_day(month), billing_from, terms.start_on)
    if first_on > min(month_last_day(month), last_on):
        return None
    due_on = max(calendar_period_first_day(first_on, terms.billing_frequency), billing_from, terms.start_on)
    if due_on < month_first_day(month):
        return None  # the period containing this month fell due in an earlier month
    period_end = min(calendar_period_last_day(first_on, terms.billing_frequency), last_on)
    return BillingPeriod(due_on, period_end, due_on=due_on)


# --- Invoice lines ----------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceLine:
    """Rent for the days of one calendar month at one monthly rent. DOMAIN.md §4 Terms."""

    month_start: date
    first_day: date
    last_day: date
    days: int
    days_in_month: int
    monthly_rent: Decimal
    amount: Decimal


def prorated_rent(monthly_rent: Decimal, days: int, days_in_month: int) -> Decimal:
    """Rent for ``days`` of a calendar month: rent × days ÷ days in month, half-up to the fen.

    DOMAIN.md §4 Accrual ("Partial months prorate by the days of that calendar
    month"); a full month is exactly the monthly rent.
    """
    assert 0 < days <= days_in_month, "a line covers part of one calendar month"
    return round_half_up_to_fen(monthly_rent * days / days_in_month)


def invoice_lines(
    terms: LeaseTerms, period_start: date, period_end: date, stop_after: date | None = None
) -> list[InvoiceLine]:
    """Invoice lines for a period: one per (calendar month, rent in force), rent-free days excluded.

    DOMAIN.md §4 Terms: a month split between two rents bills one line per rent,
    each prorated and rounded on its own (March 2025, start 2024-03-15, 3,100.00
    at 5 %: 14 days → 1,400.00 plus 17 days → 1,785.00). The period is clipped to
    the term, and to ``stop_after`` (early termination: accrual stops at the
    termination date, inclusive; DOMAIN.md §4 Termination).
    """
    if period_end < period_start:
        raise PeriodEndsBeforeStart(f"period {period_start} – {period_end} ends before it starts")
    last_on = min(period_end, terms.end_on, stop_after or terms.end_on)
    free_through = rent_free_through(terms) or terms.start_on - ONE_DAY
    steps = rent_steps(terms)
    days_by_line: dict[tuple[date, Decimal], list[date]] = {}
    day = max(period_start, terms.start_on, free_through + ONE_DAY)
    while day <= last_on:
        days_by_line.setdefault((day.replace(day=1), rent_on(steps, day)), []).append(day)
        day += ONE_DAY
    return [_invoice_line(month_start, rent, days) for (month_start, rent), days in days_by_line.items()]


def _invoice_line(month_start: date, monthly_rent: Decimal, days: list[date]) -> InvoiceLine:
    # Rent-free days are a prefix of the lease and rents change only on anniversaries,
    # so the days of one (month, rent) are consecutive.
    assert (days[-1] - days[0]).days + 1 == len(days), "line days are consecutive"
    return InvoiceLine(
        month_start=month_start,
        first_day=days[0],
        last_day=days[-1],
        days=len(days),
        days_in_month=days_in_month(month_start),
        monthly_rent=monthly_rent,
        amount=prorated_rent(monthly_rent, len(days), days_in_month(month_start)),
    )


def invoice_amount(lines: Sequence[InvoiceLine]) -> Decimal:
    """The invoice is the sum of its lines. DOMAIN.md §4 Terms."""
    return sum((line.amount for line in lines), ZERO)
