"""Billing a lease month by month: invoices in advance, income recognised as it is earned.

Source: DOMAIN.md §4 (Accrual, Terms, Termination). Pure: the lease's state, the
shop-fronts' areas and rights are passed in. A billing run bills calendar months.
For month M a lease gets at most one invoice — for the billing period (month,
quarter or year) that falls due in M — and recognises as income only the rent of
M's own days. The difference is held as a liability (211 ``deferred:<lease>``)
and recognised in the months it covers, never at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.leases.model import (
    IncomeShare,
    Invoice,
    InvoiceKind,
    Lease,
    MonthBilling,
    MonthCredit,
    RightsChange,
    month_first_day,
    month_last_day,
)
from domain.leases.rights import collective_operating_income_share
from domain.leases.terms import (
    BillingFrequency,
    BillingPeriod,
    _calendar_period_last_day,
    invoice_amount,
    invoice_lines,
)
from ledger.money import ZERO, allocate

COLLECTIVE = ""  # the party key of the collective itself in income shares


@dataclass(frozen=True)
class UnitRights:
    """A shop-front of the lease: its floor area and rights holders in force on a day."""

    unit_number: str
    floor_area_m2: Decimal
    rights: RightsChange


def period_due_in(lease: Lease, month: str, stop_after: date | None) -> BillingPeriod | None:
    """The billing period falling due in ``month``, clipped to the billed days; None if none does.

    Periods are calendar months, quarters or years clipped to the term (``terms.billing_periods``),
    and to the first billed day; each is due on its first day (in advance). Found directly
    rather than by listing the whole term, so billing a month costs the same in any year.
    """
    terms = lease.terms
    last_on = min(terms.end_on, stop_after or terms.end_on)
    first_on = max(month_first_day(month), lease.billing_from, terms.start_on)
    if first_on > min(month_last_day(month), last_on):
        return None
    due_on = max(_calendar_period_first_day(first_on, terms.billing_frequency), lease.billing_from, terms.start_on)
    if due_on < month_first_day(month):
        return None  # the period containing this month fell due in an earlier month
    period_end = min(_calendar_period_last_day(first_on, terms.billing_frequency), last_on)
    return BillingPeriod(due_on, period_end, due_on=due_on)


def _calendar_period_first_day(day: date, frequency: BillingFrequency) -> date:
    if frequency is BillingFrequency.YEARLY:
        return date(day.year, 1, 1)
    if frequency is BillingFrequency.QUARTERLY:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, day.month, 1)


def invoice_number(lease_code: str, month: str) -> str:
    """A lease has at most one invoice falling due per month, so the month names it."""
    return f"{lease_code}-{month}"


def month_invoice(lease: Lease, month: str, stop_after: date | None) -> Invoice | None:
    """The invoice of the billing period falling due in ``month`` (in advance); None without one or at 0.00."""
    period = period_due_in(lease, month, stop_after)
    if period is None:
        return None
    amount = invoice_amount(invoice_lines(lease.terms, period.period_start, period.period_end, stop_after))
    if amount == ZERO:
        return None  # wholly rent-free
    return Invoice(invoice_number(lease.lease_code, month), InvoiceKind.RENT, lease.lease_code,
                   issued_on=period.due_on, due_on=period.due_on, amount=amount,
                   period_start=period.period_start, period_end=period.period_end)


def month_days(lease: Lease, month: str, stop_after: date | None) -> tuple[date, date] | None:
    """The lease's billed days within ``month`` (first, last), or None."""
    first_on = max(month_first_day(month), lease.billing_from, lease.terms.start_on)
    last_on = min(month_last_day(month), stop_after or lease.terms.end_on, lease.terms.end_on)
    return (first_on, last_on) if first_on <= last_on else None


def month_rent_earned(lease: Lease, month: str, stop_after: date | None) -> Decimal:
    """Rent earned by the days of ``month``: its invoice lines, prorated by day. DOMAIN.md §4 Accrual."""
    days = month_days(lease, month, stop_after)
    if days is None:
        return ZERO
    return invoice_amount(invoice_lines(lease.terms, days[0], days[1], stop_after))


def income_shares(amount: Decimal, units: Sequence[UnitRights], collective: str) -> tuple[IncomeShare, ...]:
    """Split recognised rent between the collective and the other rights holders.

    DOMAIN.md §4 Shop-front register (按比例计提资产运营收益): rent is first allocated
    to the lease's shop-fronts by floor area (§1 allocation), then each part gives the
    collective its configured share (default 100 % where it is the operator). The rest
    is owed to the operator — or, where the collective operates, to the owner.
    """
    if amount == ZERO:
        return ()
    by_party: dict[str, Decimal] = {}
    parts = allocate(amount, [(unit.unit_number, unit.floor_area_m2) for unit in units])
    for unit, (_, part) in zip(units, parts, strict=True):
        holders = unit.rights.holders
        collective_part = collective_operating_income_share(part, holders, collective,
                                                            unit.rights.collective_share_percent)
        other = holders.operator if holders.operator != collective else holders.owner
        by_party[COLLECTIVE] = by_party.get(COLLECTIVE, ZERO) + collective_part
        if part != collective_part:
            by_party[other] = by_party.get(other, ZERO) + part - collective_part
    shares = tuple(IncomeShare(party, share) for party, share in sorted(by_party.items()) if share != ZERO)
    assert sum((share.amount for share in shares), ZERO) == amount, "income shares sum to the income"
    return shares


def plan_month(lease: Lease, month: str, units: Sequence[UnitRights], collective: str) -> MonthBilling:
    """What billing ``month`` of a lease invoices and recognises (voucher number still empty)."""
    stop_after = lease.terminated_on
    days = month_days(lease, month, stop_after)
    voucher_date = days[0] if days else max(month_first_day(month), lease.billing_from)
    recognised = month_rent_earned(lease, month, stop_after)
    return MonthBilling(month, voucher_date, month_invoice(lease, month, stop_after), recognised,
                        income_shares(recognised, units, collective))


def termination_credits(lease: Lease, terminated_on: date) -> tuple[MonthCredit, ...]:
    """What early termination takes back from the months already billed. DOMAIN.md §4 Termination.

    Accrual stops at the termination date: each billed month's invoice and earned
    rent are recomputed as if billed with the termination known; the differences
    are credited. Income taken back is split like the income it reverses.
    """
    credits = []
    for month, billed in sorted(lease.billed.items()):
        invoice_reduction = ZERO
        if billed.invoice is not None:
            corrected = month_invoice(lease, month, terminated_on)
            invoice_reduction = billed.invoice.amount - (corrected.amount if corrected else ZERO)
        recognised_reduction = billed.recognised - month_rent_earned(lease, month, terminated_on)
        if invoice_reduction == ZERO and recognised_reduction == ZERO:
            continue
        credits.append(MonthCredit(month, billed.invoice.invoice_number if billed.invoice else "",
                                   invoice_reduction, recognised_reduction,
                                   _shares_taken(billed.income_shares, recognised_reduction)))
    return tuple(credits)


def _shares_taken(shares: tuple[IncomeShare, ...], amount: Decimal) -> tuple[IncomeShare, ...]:
    weights = [(share.party, share.amount) for share in shares if share.amount > ZERO]
    if amount == ZERO or not weights:
        return ()
    return tuple(IncomeShare(party, part) for party, part in allocate(amount, weights) if part != ZERO)
