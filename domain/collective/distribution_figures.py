"""The figures of a year-end income distribution (年终收益分配).

Source: 农村集体经济组织法 (2024) Art. 42 and the financial rules as stated in
DOMAIN.md §3 (Year-end distribution): (1) cover prior losses; (2) withdraw
公积公益金 at the charter rate; (3) distribute the rest, or a declared amount
not above it, pro rata to shares, allocated to the fen as in DOMAIN.md §1;
(4) anything left stays 未分配收益.

Everything here is a pure figure; the plan's vouchers and the aggregate of an
adopted plan are in ``distribution.py``, the one-distribution-per-year rule
belongs to the organisation. "其他转入" of the 收益及收益分配表 is not part of
these figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from domain.collective.errors import (
    DistributionExceedsDistributable,
    InvalidReserveRate,
    NoShareUnits,
)
from domain.collective.shares import check_holdings, parse_collective_units
from ledger.money import ZERO, allocate, parse_amount, round_half_up_to_fen

ALLOCATION_METHOD = "largest-remainder-fen"
RESERVE_RATE_PLACES = 4
HUNDRED = Decimal(100)


# The collective share class as an allocation party. A tuple never equals a
# member id (a str), and ledger.money orders tied remainders by type name then
# id, so on a tie the members ("str") come before the collective ("tuple").
_COLLECTIVE_PARTY = ("collective-share-class",)


class MemberLine(NamedTuple):
    """One member's dividend: units held and the amount in yuan."""

    member_id: str
    units: Decimal
    amount_yuan: Decimal


@dataclass(frozen=True)
class YearEndDistribution:
    """The figures of one organisation-year's distribution, in yuan (two places)."""

    distributable_income: Decimal
    loss_covered: Decimal
    withdrawal_base: Decimal
    reserve_withdrawal: Decimal
    distributable_to_members: Decimal
    declared: Decimal
    member_lines: tuple[MemberLine, ...]
    collective_share_amount: Decimal
    undistributed_after: Decimal
    allocation_method: str = ALLOCATION_METHOD


def parse_reserve_rate_percent(value: object) -> Decimal:
    """The charter's 公积公益金 rate in percent: required, 0–100, ≤ 4 places, never float.

    Source: DOMAIN.md §3 (charter rate, configurable per organisation, required,
    no default).
    """
    if value is None or isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise InvalidReserveRate(f"reserve rate percent must be a Decimal or int, not {value!r}")
    rate = Decimal(value)
    if not rate.is_finite() or not 0 <= rate <= HUNDRED:
        raise InvalidReserveRate(f"reserve rate percent must be within 0–100, not {value}")
    if rate != rate.quantize(Decimal(1).scaleb(-RESERVE_RATE_PLACES)):
        raise InvalidReserveRate(f"reserve rate percent {value} has more than {RESERVE_RATE_PLACES} places")
    return rate


def distributable_income(net_income: Decimal, opening_undistributed: Decimal) -> Decimal:
    """可分配收益 = 净收益 + 年初未分配收益 (negative when losses are carried).

    Source: DOMAIN.md §3 (Year-end distribution, Figures) and §2 (收益及收益分配表).
    """
    return net_income + opening_undistributed


def loss_covered(net_income: Decimal, opening_undistributed: Decimal) -> Decimal:
    """The part of this year's 净收益 that covers prior losses (step 1).

    Source: DOMAIN.md §3 (Order: (1) cover prior losses). Prior losses are a
    negative 年初未分配收益; only a positive 净收益 covers them.
    """
    prior_loss = max(-opening_undistributed, ZERO)
    return min(prior_loss, max(net_income, ZERO))


def withdrawal_base(net_income: Decimal, covered: Decimal) -> Decimal:
    """This year's 净收益 less the prior losses it covers, floored at zero.

    Source: DOMAIN.md §3 (Figures: the withdrawal base).
    """
    return max(net_income - covered, ZERO)


def reserve_withdrawal(base: Decimal, reserve_rate_percent: Decimal) -> Decimal:
    """提取公积公益金 = base × charter rate, rounded half-up to the fen (step 2).

    Source: DOMAIN.md §3 (Figures) and §1 (a rate divides: round half-up to the fen).
    """
    return round_half_up_to_fen(base * reserve_rate_percent / HUNDRED)


def distributable_to_members(income: Decimal, withdrawal: Decimal) -> Decimal:
    """可分配收益 − 提取公积公益金; nothing is distributable when that is ≤ 0.

    Source: DOMAIN.md §3 (Figures: distributable to members).
    """
    return max(income - withdrawal, ZERO)


def declared_distribution(declared_amount: object | None, distributable: Decimal) -> Decimal:
    """The amount to distribute: all that is distributable, or a declared amount not above it.

    Source: DOMAIN.md §3 (Order (3): the rest, or a declared amount not above it).
    """
    if declared_amount is None:
        return distributable
    declared = parse_amount(declared_amount)
    if declared > distributable:
        raise DistributionExceedsDistributable(f"declared {declared} exceeds distributable {distributable}")
    return declared


def allocate_to_shares(
    declared: Decimal,
    units_by_member: Mapping[str, Decimal],
    collective_units: Decimal,
) -> tuple[tuple[MemberLine, ...], Decimal]:
    """Split the declared amount pro rata to shares, members and 集体股 alike, exact to the fen.

    Source: DOMAIN.md §3 (distribute pro rata to shares, allocated as in §1;
    the collective class's dividends stay with the collective) and §1
    (largest remainder; ties by party id; members before the collective).
    Returns the member lines sorted by member id and the collective's amount.
    """
    members = sorted(units_by_member.items())
    weights: list[tuple[object, Decimal]] = [(member_id, units) for member_id, units in members]
    if collective_units > 0:
        weights.append((_COLLECTIVE_PARTY, collective_units))
    if not weights:
        if declared > 0:
            raise NoShareUnits("no shares to distribute to")
        return (), ZERO
    amounts = dict(allocate(declared, weights))
    lines = tuple(MemberLine(member_id, units, amounts[member_id]) for member_id, units in members)
    return lines, amounts.get(_COLLECTIVE_PARTY, ZERO)


def compute_year_end_distribution(
    *,
    net_income: Decimal,
    opening_undistributed: Decimal,
    reserve_rate_percent: Decimal | int,
    units_by_member: Mapping[str, Decimal | int],
    collective_units: Decimal | int = 0,
    declared_amount: Decimal | None = None,
) -> YearEndDistribution:
    """The year-end distribution figures, in the order of DOMAIN.md §3 (steps 1–4).

    Source: 农村集体经济组织法 Art. 42; DOMAIN.md §3 (Year-end distribution).
    """
    net = parse_amount(net_income, allow_negative=True)
    opening = parse_amount(opening_undistributed, allow_negative=True)
    rate = parse_reserve_rate_percent(reserve_rate_percent)
    holdings = check_holdings(units_by_member)
    collective = parse_collective_units(collective_units)

    income = distributable_income(net, opening)
    covered = loss_covered(net, opening)
    base = withdrawal_base(net, covered)
    withdrawal = reserve_withdrawal(base, rate)
    distributable = distributable_to_members(income, withdrawal)
    declared = declared_distribution(declared_amount, distributable)
    lines, collective_amount = allocate_to_shares(declared, holdings, collective)

    result = YearEndDistribution(
        distributable_income=income,
        loss_covered=covered,
        withdrawal_base=base,
        reserve_withdrawal=withdrawal,
        distributable_to_members=distributable,
        declared=declared,
        member_lines=lines,
        collective_share_amount=collective_amount,
        undistributed_after=income - withdrawal - declared,
    )
    check_distribution_invariants(result)
    return result


def check_distribution_invariants(result: YearEndDistribution) -> None:
    """Postconditions (TIGER_STYLE): lines sum to the declared amount; nothing negative; the books close.

    Source: DOMAIN.md §1 (allocation lines always sum to the total) and §2
    (年末未分配收益 = 可分配收益 − 提取公积公益金 − 向成员分配).
    """
    lines_total = sum((line.amount_yuan for line in result.member_lines), ZERO) + result.collective_share_amount
    assert lines_total == result.declared, "allocation must sum to the declared amount"
    assert result.reserve_withdrawal >= 0 and result.declared >= 0, "no negative withdrawal or distribution"
    assert result.reserve_withdrawal <= result.withdrawal_base, "the withdrawal never exceeds its base"
    assert result.declared <= result.distributable_to_members, "never more than distributable"
    expected_after = result.distributable_income - result.reserve_withdrawal - result.declared
    assert result.undistributed_after == expected_after, "year-end undistributed must reconcile"
