"""Billing a lease month by month: invoices in advance, income recognised as it is earned.

Source: DOMAIN.md §4 (Accrual, Terms, Termination). Pure functions of the lease's terms
and state, which the ``Lease`` aggregate calls on itself. A billing run bills calendar
months. For month M a lease gets at most one invoice — for the billing period (month,
quarter or year) that falls due in M — and recognises as income only the rent of M's own
days. The difference is held as a liability (211 ``deferred:<lease>``) and recognised in
the months it covers, never at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from domain.leases.invoice import (
    Invoice,
    InvoiceKind,
    invoice_amount,
    invoice_lines,
    invoice_number,
    period_due_in,
)
from domain.leases.rights import (
    IncomeShare,
    UnitRights,
    income_shares,
    shares_taken,
    subtract_shares,
)
from domain.leases.terms import LeaseTerms
from ledger.calendar import month_first_day, month_last_day
from ledger.money import ZERO
from ledger.values import value_type


@value_type("anju.leases.MonthBilling")
class MonthBilling:
    """What billing one calendar month of a lease produced."""

    month: str
    voucher_date: date
    invoice: Invoice | None
    recognised: Decimal
    income_shares: tuple[IncomeShare, ...]
    voucher_number: str = ""

    @property
    def invoiced(self) -> Decimal:
        return self.invoice.amount if self.invoice else ZERO

    def numbered(self, voucher_number: str) -> MonthBilling:
        """The billing with its posted voucher named (on the month and on its invoice)."""
        invoice = replace(self.invoice, voucher_number=voucher_number) if self.invoice else None
        return replace(self, invoice=invoice, voucher_number=voucher_number)


@value_type("anju.leases.MonthCredit")
class MonthCredit:
    """On early termination: how much of a billed month's invoice and income is taken back."""

    month: str
    invoice_number: str
    invoice_reduction: Decimal
    recognised_reduction: Decimal
    income_shares: tuple[IncomeShare, ...]


@dataclass(frozen=True)
class BilledDays:
    """What of a lease can be billed: its terms, first billed day and last day of accrual."""

    lease_code: str
    terms: LeaseTerms
    billing_from: date
    stop_after: date | None  # the termination date, inclusive; None runs to the end of the term


def month_invoice(lease: BilledDays, month: str) -> Invoice | None:
    """The invoice of the billing period falling due in ``month`` (in advance); None without one or at 0.00."""
    period = period_due_in(lease.terms, lease.billing_from, month, lease.stop_after)
    if period is None:
        return None
    amount = invoice_amount(invoice_lines(lease.terms, period.period_start, period.period_end, lease.stop_after))
    if amount == ZERO:
        return None  # wholly rent-free
    return Invoice(invoice_number(lease.lease_code, month), InvoiceKind.RENT, lease.lease_code,
                   issued_on=period.due_on, due_on=period.due_on, amount=amount,
                   period_start=period.period_start, period_end=period.period_end)


def month_days(lease: BilledDays, month: str) -> tuple[date, date] | None:
    """The lease's billed days within ``month`` (first, last), or None."""
    terms = lease.terms
    first_on = max(month_first_day(month), lease.billing_from, terms.start_on)
    last_on = min(month_last_day(month), lease.stop_after or terms.end_on, terms.end_on)
    return (first_on, last_on) if first_on <= last_on else None


def month_rent_earned(lease: BilledDays, month: str) -> Decimal:
    """Rent earned by the days of ``month``: its invoice lines, prorated by day. DOMAIN.md §4 Accrual."""
    days = month_days(lease, month)
    if days is None:
        return ZERO
    return invoice_amount(invoice_lines(lease.terms, days[0], days[1], lease.stop_after))


def plan_month(lease: BilledDays, month: str, units: Sequence[UnitRights], collective: str) -> MonthBilling:
    """What billing ``month`` of a lease invoices and recognises (voucher number still empty).

    DOMAIN.md §4 Accrual; the income is split by floor area and rights (``income_shares``).
    """
    days = month_days(lease, month)
    voucher_date = days[0] if days else max(month_first_day(month), lease.billing_from)
    recognised = month_rent_earned(lease, month)
    return MonthBilling(month, voucher_date, month_invoice(lease, month), recognised,
                        income_shares(recognised, units, collective))


def termination_credits(lease: BilledDays, billed: Mapping[str, MonthBilling],
                        terminated_on: date) -> tuple[MonthCredit, ...]:
    """What early termination takes back from the months already billed. DOMAIN.md §4 Termination.

    Accrual stops at the termination date: each billed month's invoice and earned
    rent are recomputed as if billed with the termination known; the differences
    are credited. Income taken back is split like the income it reverses.
    """
    ended = replace(lease, stop_after=terminated_on)
    credits = []
    for month, billing in sorted(billed.items()):
        invoice_reduction = ZERO
        if billing.invoice is not None:
            corrected = month_invoice(ended, month)
            invoice_reduction = billing.invoice.amount - (corrected.amount if corrected else ZERO)
        recognised_reduction = billing.recognised - month_rent_earned(ended, month)
        if invoice_reduction == ZERO and recognised_reduction == ZERO:
            continue
        credits.append(MonthCredit(month, billing.invoice.invoice_number if billing.invoice else "",
                                   invoice_reduction, recognised_reduction,
                                   shares_taken(billing.income_shares, recognised_reduction)))
    return tuple(credits)


def credited(billing: MonthBilling, credit: MonthCredit) -> MonthBilling:
    """A billed month after a termination credit: invoice, income and shares reduced."""
    invoice = billing.invoice
    if invoice is not None:
        invoice = replace(invoice, amount=invoice.amount - credit.invoice_reduction)
    return MonthBilling(billing.month, billing.voucher_date, invoice, billing.recognised - credit.recognised_reduction,
                        subtract_shares(billing.income_shares, credit.income_shares), billing.voucher_number)


@dataclass
class BillingRun:
    """What a billing run through ``month`` billed, per lease, and which leases it skipped."""

    month: str
    billed: dict[str, list[MonthBilling]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    @property
    def invoiced(self) -> Decimal:
        return sum((b.invoiced for bs in self.billed.values() for b in bs), ZERO)

    @property
    def recognised(self) -> Decimal:
        return sum((b.recognised for bs in self.billed.values() for b in bs), ZERO)
