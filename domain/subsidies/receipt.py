"""A household's receipts (收款) and how they settle its charges: the oldest open charge first.

Source: DOMAIN.md §5 Money ("receipts clear the receivables"), with §4's "receipts settle the
oldest open invoice first" by analogy. A receipt is recorded on the household's own stream
(``Household.record_receipt``); the figures here are pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from domain.subsidies.errors import ReceiptExceedsAmountOwed
from ledger.money import ZERO
from ledger.values import value_type


@value_type("anju.subsidies.SettledCharge")
class SettledCharge:
    run_month: str
    amount: Decimal


@value_type("anju.subsidies.HouseholdReceipt")
class HouseholdReceipt:
    receipt_number: str
    received_on: date
    amount: Decimal
    reference: str
    voucher_number: str
    settled: tuple[SettledCharge, ...]


def settle_oldest_first(charges: Sequence[tuple[str, Decimal]], paid: Decimal,
                        amount: Decimal) -> tuple[SettledCharge, ...]:
    """Apply a receipt to the oldest open charge first (DOMAIN.md §5 Money; §4 Receipts by analogy).

    ``charges`` are (run month, amount) in billing order, negative ones being credits (an
    adjustment that lowered a billed share); credits and earlier receipts (``paid``) are
    applied first, oldest first, so what remains open is the newest part of what is owed.
    """
    open_charges = open_amounts(charges, paid)
    owed = sum((open_amount for _, open_amount in open_charges), ZERO)
    if amount > owed:
        raise ReceiptExceedsAmountOwed(f"the household owes {owed}; a receipt of {amount} would leave a credit, "
                                       "and there is no credit rule")
    lines, left = [], amount
    for run_month, open_amount in open_charges:
        if left <= ZERO:
            break
        applied = min(open_amount, left)
        lines.append(SettledCharge(run_month, applied))
        left -= applied
    return tuple(lines)


def open_amounts(charges: Sequence[tuple[str, Decimal]], paid: Decimal) -> list[tuple[str, Decimal]]:
    """What is still open of each positive charge after credits and receipts, oldest first."""
    available = paid + sum((-amount for _, amount in charges if amount < ZERO), ZERO)
    result = []
    for run_month, amount in charges:
        if amount <= ZERO:
            continue
        applied = min(amount, available)
        available -= applied
        if amount - applied > ZERO:
            result.append((run_month, amount - applied))
    return result
