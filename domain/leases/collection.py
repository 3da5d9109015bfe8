"""Collecting rent: receipts settled oldest first, arrears aging and late fees.

Source: DOMAIN.md §4 (Receipts, Arrears aging, Late fee). Pure: the as-of date of
every computation is passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain.leases.errors import (
    DuplicateInvoiceNumber,
    InvalidCollectionAmount,
    InvalidDailyRate,
    LeaseRuleBroken,
    PaymentsExceedAmountDue,
)
from domain.leases.invoice import Invoice
from ledger.money import ZERO, InvalidAmount, parse_amount, round_half_up_to_fen
from ledger.values import value_type

#: DOMAIN.md §4 Late fee: configurable daily rate, default 0.05 % per day.
LATE_FEE_DAILY_RATE_DEFAULT = Decimal("0.0005")
#: Bound on the rate a run may charge (1 % a day): anything above is a typing error.
LATE_FEE_DAILY_RATE_MAX = Decimal("0.01")
#: DOMAIN.md §4 Arrears aging, in order: (bucket, most days overdue it holds).
AGING_BUCKET_LIMITS_DAYS: tuple[tuple[str, int | None], ...] = (
    ("not_due", 0),
    ("1-30", 30),
    ("31-90", 90),
    ("91-180", 180),
    ("over_180", None),
)
AGING_BUCKETS = tuple(bucket for bucket, _ in AGING_BUCKET_LIMITS_DAYS)


def checked_amount(value: object, what: str, broken: type[LeaseRuleBroken] = InvalidCollectionAmount, *,
                   zero_allowed: bool = False) -> Decimal:
    """Money received or owed is > 0 yuan with at most two decimals (DOMAIN.md §1); ``broken`` names the rule."""
    try:
        amount = parse_amount(value)
    except InvalidAmount as error:
        raise broken(f"{what}: {error}") from None
    if amount == ZERO and not zero_allowed:
        raise broken(f"{what} must be > 0")
    return amount


@dataclass(frozen=True)
class OpenInvoice:
    """An invoice with an amount still open (unpaid) on it (a working value, never stored in an event)."""

    invoice_number: str
    due_on: date
    amount_open: Decimal

    def __post_init__(self) -> None:
        amount_open = checked_amount(self.amount_open, f"open amount of {self.invoice_number}")
        object.__setattr__(self, "amount_open", amount_open)


@value_type("anju.leases.SettlementLine")
class SettlementLine:
    """The part of a receipt applied to one invoice."""

    invoice_number: str
    amount_applied: Decimal


@dataclass(frozen=True)
class Settlement:
    """How a receipt was applied; ``amount_unapplied`` becomes a credit on the tenant."""

    lines: tuple[SettlementLine, ...]
    amount_unapplied: Decimal

    @property
    def amount_applied(self) -> Decimal:
        return sum((line.amount_applied for line in self.lines), ZERO)


def settle_oldest_first(open_invoices: Sequence[OpenInvoice], amount: object) -> Settlement:
    """Apply a receipt to the oldest open invoice first. DOMAIN.md §4 Receipts.

    Oldest = earliest ``due_on``, ties by invoice number (compared as text, so
    numbers are zero-padded like vouchers). Each invoice takes at most its open
    amount; what is left is returned unapplied (a credit on the tenant, held as a
    liability until later invoices use it). Only invoices that receive money get a line.
    """
    receipt = checked_amount(amount, "receipt")
    numbers = [invoice.invoice_number for invoice in open_invoices]
    if len(set(numbers)) != len(numbers):
        raise DuplicateInvoiceNumber(f"open invoices repeat a number: {sorted(numbers)}")
    remaining = receipt
    lines: list[SettlementLine] = []
    for invoice in sorted(open_invoices, key=lambda invoice: (invoice.due_on, invoice.invoice_number)):
        if remaining == ZERO:
            break
        applied = min(invoice.amount_open, remaining)
        lines.append(SettlementLine(invoice.invoice_number, applied))
        remaining -= applied
    settlement = Settlement(tuple(lines), remaining)
    assert settlement.amount_applied + settlement.amount_unapplied == receipt, "a receipt is applied in full"
    return settlement


def aging_bucket(days_overdue: int) -> str:
    """The arrears-aging bucket for a number of days overdue. DOMAIN.md §4 Arrears aging.

    "not_due" (≤ 0), "1-30", "31-90", "91-180", "over_180" (> 180 days).
    """
    for bucket, most_days in AGING_BUCKET_LIMITS_DAYS:
        if most_days is None or days_overdue <= most_days:
            return bucket
    raise AssertionError("the last bucket is open-ended")


@dataclass(frozen=True)
class AgedInvoice:
    """One open invoice aged as of a date."""

    invoice_number: str
    due_on: date
    amount_open: Decimal
    days_overdue: int
    bucket: str


def age_invoices(open_items: Sequence[OpenInvoice], as_of: date) -> list[AgedInvoice]:
    """Age open invoices as of a date: days overdue = as_of − due date. DOMAIN.md §4 Arrears aging."""
    aged = []
    for item in open_items:
        days_overdue = (as_of - item.due_on).days
        bucket = aging_bucket(days_overdue)
        aged.append(AgedInvoice(item.invoice_number, item.due_on, item.amount_open, days_overdue, bucket))
    return aged


def aging_totals(aged: Sequence[AgedInvoice]) -> dict[str, Decimal]:
    """Open amounts summed per bucket, every bucket present, in bucket order. DOMAIN.md §4 Arrears aging."""
    totals = {bucket: ZERO for bucket in AGING_BUCKETS}
    for item in aged:
        totals[item.bucket] += item.amount_open
    return totals


def late_fee(
    amount_due: object,
    due_on: date,
    payments: Sequence[tuple[date, Decimal]],
    accrue_from_exclusive: date,
    as_of: date,
    daily_rate: Decimal = LATE_FEE_DAILY_RATE_DEFAULT,
) -> Decimal:
    """Late fee on one invoice for one run, half-up to the fen. DOMAIN.md §4 Late fee.

    Simple, not compounding: ``daily_rate`` × the amount that was unpaid at the *start*
    of each day, for each day after ``due_on`` and after ``accrue_from_exclusive`` (the
    previous run's as-of date, so runs never charge a day twice) up to and including
    ``as_of`` — 至实际缴纳之日止 (税收征收管理法实施细则 Art. 75): a payment on day d
    still bears the fee for day d, and none from d + 1. 3,100.00 due 2024-07-01, paid in
    full on 2024-07-11 → 10 days → 15.50; unpaid, as of 2024-07-31 → 30 days → 46.50.
    """
    due = checked_amount(amount_due, "amount due", zero_allowed=True)
    rate = _daily_rate(daily_rate)
    paid = [(paid_on, checked_amount(paid_amount, f"payment on {paid_on}")) for paid_on, paid_amount in payments]
    if sum((paid_amount for _, paid_amount in paid), ZERO) > due:
        raise PaymentsExceedAmountDue(f"payments exceed the amount due {due}")
    first_on = max(due_on, accrue_from_exclusive).toordinal() + 1
    last_on = as_of.toordinal()
    # Σ over charged days of the amount unpaid at the day's start = due × days − each
    # payment × the charged days *after* its day (exact: payments never exceed the due).
    unpaid_days_total = due * _days_between(first_on, last_on)
    for paid_on, paid_amount in paid:
        unpaid_days_total -= paid_amount * _days_between(max(first_on, paid_on.toordinal() + 1), last_on)
    return round_half_up_to_fen(unpaid_days_total * rate)


def _days_between(first_ordinal: int, last_ordinal: int) -> int:
    """Days from first to last inclusive; 0 when last precedes first."""
    return max(0, last_ordinal - first_ordinal + 1)


def _daily_rate(daily_rate: object) -> Decimal:
    if isinstance(daily_rate, bool) or not isinstance(daily_rate, (Decimal, int)):
        raise InvalidDailyRate(f"daily rate {daily_rate!r} must be a Decimal, never float")
    rate = Decimal(daily_rate)
    if not rate.is_finite() or rate < 0:
        raise InvalidDailyRate(f"daily rate {daily_rate!r} must be ≥ 0")
    return rate


def check_run_daily_rate(daily_rate: object) -> Decimal:
    """A late-fee run's daily rate: a Decimal from 0 to 1 % a day. DOMAIN.md §4 Late fee (*configurable*)."""
    if isinstance(daily_rate, bool) or not isinstance(daily_rate, Decimal) or not daily_rate.is_finite() \
            or daily_rate < 0 or daily_rate > LATE_FEE_DAILY_RATE_MAX:
        raise InvalidDailyRate(f"daily rate {daily_rate!r} must be a decimal from 0 to 0.01 (1 % a day)")
    return daily_rate


@dataclass
class LateFeeRun:
    """What a late-fee run as of a date charged: one late-fee invoice per tenant with new fees."""

    as_of: date
    daily_rate: Decimal
    charged: dict[str, Invoice] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum((invoice.amount for invoice in self.charged.values()), ZERO)
