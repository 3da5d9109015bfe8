"""The annual statement (年度账目), per unit and per fund, as a pure fold over sub-ledger movements.

Source: 165号令 Arts. 30–31 (at least yearly, per fund and per unit: opening balance, deposits,
value-added income, uses by project, closing balance; the totals reconcile with the fund's
bank account); DOMAIN.md §6 Annual statement. The same fold serves one unit's movements and
the sums of a whole fund's, so the two statements cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from ledger.money import ZERO, from_fen

#: Kinds of sub-ledger movement, as the read model records them.
FIRST_DEPOSIT = "first_deposit"
CONTRIBUTION = "contribution"
INTEREST = "interest"
USE = "use"
RECEIVABLE_PAYMENT = "receivable_payment"
REFUND = "refund"
BEFORE, INSIDE = "before", "inside"


@dataclass(frozen=True)
class MovementSum:
    """Movements of one kind (and source or works) summed over a bucket: before or inside the period."""

    bucket: str
    kind: str
    source: str
    works_code: str
    amount_fen: int  # signed effect on the sub-ledger (201)
    receivable_fen: int  # signed effect on the owner's receivable (112)


@dataclass
class StatementFigures:
    opening: Decimal = ZERO
    deposits_by_source: dict[str, Decimal] = field(default_factory=dict)  # first_deposit and the six sources
    value_added_income: Decimal = ZERO
    uses_by_works: dict[str, Decimal] = field(default_factory=dict)
    refunds: Decimal = ZERO
    closing: Decimal = ZERO
    receivable_opening: Decimal = ZERO
    receivable_charged: Decimal = ZERO
    receivable_paid: Decimal = ZERO
    receivable_closing: Decimal = ZERO

    @property
    def deposits(self) -> Decimal:
        return sum(self.deposits_by_source.values(), ZERO)

    @property
    def uses(self) -> Decimal:
        return sum(self.uses_by_works.values(), ZERO)


def fold_statement(sums: Iterable[MovementSum]) -> StatementFigures:
    """Opening, deposits by source, value-added income, uses by works, refunds and closing (Arts. 30–31).

    The identity closing = opening + deposits + income − uses − refunds is asserted, as is the
    receivable's: closing = opening + charged − paid.
    """
    figures = StatementFigures()
    for row in sums:
        amount, receivable = from_fen(row.amount_fen), from_fen(row.receivable_fen)
        if row.bucket == BEFORE:
            figures.opening += amount
            figures.receivable_opening += receivable
            continue
        if row.kind in (FIRST_DEPOSIT, CONTRIBUTION):
            key = FIRST_DEPOSIT if row.kind == FIRST_DEPOSIT else row.source
            figures.deposits_by_source[key] = figures.deposits_by_source.get(key, ZERO) + amount
        elif row.kind == INTEREST:
            figures.value_added_income += amount
        elif row.kind == USE:
            figures.uses_by_works[row.works_code] = figures.uses_by_works.get(row.works_code, ZERO) - amount
            figures.receivable_charged += receivable
        elif row.kind == RECEIVABLE_PAYMENT:
            figures.receivable_paid -= receivable
        elif row.kind == REFUND:
            figures.refunds -= amount
    figures.closing = (figures.opening + figures.deposits + figures.value_added_income - figures.uses
                       - figures.refunds)
    figures.receivable_closing = figures.receivable_opening + figures.receivable_charged - figures.receivable_paid
    return figures


@dataclass(frozen=True)
class BookBalances:
    """The fund's book as of the statement's end (balances in each account's normal direction)."""

    bank: Decimal
    bonds: Decimal
    receivables: Decimal
    funds_held: Decimal
    value_added_income: Decimal
    payables: Decimal


def fund_reconciles(sub_ledgers_total: Decimal, receivables_total: Decimal, book: BookBalances) -> bool:
    """The statement totals reconcile with the fund's bank account (165号令 Art. 31).

    Σ sub-ledgers equals the book's funds held (201) and Σ receivables its 112; and what the
    fund holds in bank, bonds and owners' receivables equals what it owes: the sub-ledgers,
    unallocated value-added income and unpaid contractors (102 + 111 + 112 = 201 + 202 + 211).
    """
    return (sub_ledgers_total == book.funds_held and receivables_total == book.receivables
            and book.bank + book.bonds + book.receivables == book.funds_held + book.value_added_income + book.payables)
