"""Replenishment (续交): a unit below 30 % of its first deposit is flagged, with the amount to restore.

Source: 165号令 Art. 17 (when a unit's balance falls below 30 % of its first deposit, the
owner replenishes it); DOMAIN.md §6 Replenishment and Exact readings (the line is first
deposit × 30 %, half-up to the fen; flagged when the balance is strictly below the line;
the amount to restore is line − balance, separate from any receivable a charge left).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ledger.money import ZERO, round_half_up_to_fen

REPLENISHMENT_RATIO = Decimal("0.30")


def replenishment_line(first_deposit: Decimal) -> Decimal:
    """The 30 % line of a unit: first deposit × 30 %, rounded half-up to the fen (Art. 17)."""
    return round_half_up_to_fen(first_deposit * REPLENISHMENT_RATIO)


def needs_replenishment(balance: Decimal, line: Decimal) -> bool:
    """Flagged when the balance is strictly below the line (a balance exactly at it is not)."""
    return balance < line


def amount_to_restore(balance: Decimal, line: Decimal) -> Decimal:
    """What brings a flagged unit back to its line: line − balance (0.00 when not flagged)."""
    return line - balance if needs_replenishment(balance, line) else ZERO


@dataclass(frozen=True)
class Replenishment:
    first_deposit: Decimal
    line: Decimal
    balance: Decimal
    flagged: bool
    to_restore: Decimal


def replenishment_of(first_deposit: Decimal | None, balance: Decimal) -> Replenishment | None:
    """A unit's replenishment figures; None for a unit without a first deposit (no base, Art. 17)."""
    if first_deposit is None:
        return None
    line = replenishment_line(first_deposit)
    return Replenishment(first_deposit, line, balance, needs_replenishment(balance, line),
                         amount_to_restore(balance, line))
