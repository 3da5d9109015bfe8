"""Interest and other value-added income (增值收益), allocated to sub-ledgers exactly.

Source: 165号令 Art. 27 (value-added income stays in the fund and goes to the owners'
sub-ledgers); DOMAIN.md §6 Interest (*configurable basis*: balance at period end by default,
or the daily product 日积数) and Exact readings (the daily product sums each day's closing
balance over the period, counting the day of a deposit and the period's last day; interest
is allocated on balances before that interest is credited); DOMAIN.md §1 Allocation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum

from domain.maintenance_fund.contribution import Line
from domain.maintenance_fund.errors import InvalidInterestAllocation, NoBalanceToAllocate
from ledger.money import allocate
from ledger.values import value_type


class InterestBasis(str, Enum):
    PERIOD_END = "period_end"  # 期末余额 (default)
    DAILY_PRODUCT = "daily_product"  # 日积数


def parse_basis(value: object) -> InterestBasis:
    try:
        return InterestBasis(value)
    except ValueError:
        raise InvalidInterestAllocation(
            f"interest basis must be one of {', '.join(b.value for b in InterestBasis)}") from None


def check_interest_period(period_from: date, period_to: date, last_interest_to: date | None,
                          latest_movement_on: date) -> None:
    """Periods run forward, each after the last, and cover every movement recorded so far (Art. 27)."""
    if period_to < period_from:
        raise InvalidInterestAllocation("the period ends before it starts")
    if last_interest_to is not None and period_from <= last_interest_to:
        raise InvalidInterestAllocation(f"interest was allocated through {last_interest_to}")
    if period_to < latest_movement_on:
        raise InvalidInterestAllocation(f"the period must run through the latest movement ({latest_movement_on})")


def interest_weight(basis: InterestBasis, closing_fen: int, since_interest: Iterable[tuple[date, int]],
                    period_from: date, period_to: date) -> int:
    """A unit's share basis in fen: its closing balance, or (daily product) Σ of its daily balances."""
    if basis is InterestBasis.PERIOD_END:
        return period_end_weight(closing_fen)
    inside = [(on, fen) for on, fen in since_interest if on >= period_from]
    return daily_product(closing_fen - sum(fen for _, fen in inside), inside, period_from, period_to)


def daily_product(closing_fen_before: int, movements: Iterable[tuple[date, int]], period_from: date,
                  period_to: date) -> int:
    """日积数: Σ over every day of the period of that day's closing balance (whole fen × days).

    Source: DOMAIN.md §6 Exact readings. ``closing_fen_before`` is the balance at the close of
    the day before ``period_from``; each movement dated inside the period counts from its own
    day (a deposit counts on the day it is made) through the period's last day inclusive.
    Movements must not be dated after ``period_to``; earlier ones belong in the opening balance.
    """
    days = (period_to - period_from).days + 1
    total = closing_fen_before * days
    for on, delta_fen in movements:
        if on > period_to:
            raise InvalidInterestAllocation(f"a movement dated {on} lies after the period ({period_to})")
        if on >= period_from:
            total += delta_fen * ((period_to - on).days + 1)
    return total


def period_end_weight(closing_fen: int) -> int:
    """The default basis: the balance at the period's end, before the interest is credited (Art. 27)."""
    return closing_fen


def allocate_interest(total: Decimal, weights: Sequence[tuple[str, int]]) -> list[Line]:
    """Split the period's income over units in proportion to their basis, exact to the fen.

    Source: DOMAIN.md §6 Interest; §1 Allocation (largest remainder; ties by unit id as
    text). Units with a zero basis get nothing; lines of 0.00 are left out.
    """
    weighted = sorted(((unit_id, w) for unit_id, w in weights if w > 0), key=lambda pair: pair[0])
    if not weighted:
        raise NoBalanceToAllocate("no unit had a balance in the period: there is no basis to allocate on")
    return [Line(unit_id, amount) for unit_id, amount in allocate(total, weighted) if amount > 0]


@value_type("anju.maintenance_fund.InterestAllocation", slots=True)
class InterestAllocation:
    """The period's income, how it was allocated (the method), and every unit's line."""

    period_from: date
    period_to: date
    basis: str  # an ``InterestBasis`` value
    total: Decimal
    lines: tuple[Line, ...]
    method: str = "largest-remainder"
    reference: str = ""
    voucher_numbers: tuple[str, ...] = ()
