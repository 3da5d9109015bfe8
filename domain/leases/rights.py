"""Rights holders of a shop-front (三权分置) and the collective's share of the operating income.

Source: DOMAIN.md §4 (Shop-front register): owner (所有权), operator (经营权) and manager
(管理权) are held separately; a configurable share of operating income is credited to the
community collective (按比例计提资产运营收益), default 100 % where it is the operator.
Values here travel in events, so their constructors check nothing; ``named`` and
``RightsChange.agreed`` check the rules when a command is accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.leases.errors import (
    CollectiveSharePercentRequired,
    InvalidSharePercent,
    MissingRightsHolder,
)
from ledger.money import ZERO, allocate, parse_amount, round_half_up_to_fen
from ledger.values import value_type

#: DOMAIN.md §4: default share credited to the collective where it is the operator.
COLLECTIVE_SHARE_PERCENT_WHERE_OPERATOR = Decimal("100")
#: The party key of the collective itself in income shares (its rent goes to 501.01).
COLLECTIVE = ""


@value_type("anju.leases.RightsHolders")
class RightsHolders:
    """三权分置: owner (所有权), operator (经营权), manager (管理权). DOMAIN.md §4 Shop-front register.

    Each is a party id, e.g. the county platform company, the community collective (named
    by its book code), the community property company. One party may hold several rights.
    """

    owner: str
    operator: str
    manager: str

    @classmethod
    def named(cls, owner: str, operator: str, manager: str) -> RightsHolders:
        """The three rights holders, each named. DOMAIN.md §4 Shop-front register."""
        holders = cls(owner, operator, manager)
        for right in ("owner", "operator", "manager"):
            holder = getattr(holders, right)
            if not isinstance(holder, str) or not holder.strip():
                raise MissingRightsHolder(f"the shop-front's {right} must be named")
        return holders


@value_type("anju.leases.RightsChange")
class RightsChange:
    """The rights holders in force from a date, and the collective's share of the income."""

    effective_on: date
    holders: RightsHolders
    collective_share_percent: Decimal | None = None

    @classmethod
    def agreed(cls, effective_on: date, holders: RightsHolders, collective: str,
               collective_share_percent: Decimal | None = None) -> RightsChange:
        """Rights from a date, with a share the collective can be credited (checked now, not on replay)."""
        collective_operating_income_share(ZERO, holders, collective, collective_share_percent)
        return cls(effective_on, holders, collective_share_percent)


def collective_operating_income_share(
    amount_income: object,
    rights_holders: RightsHolders,
    collective: str,
    share_percent: Decimal | None = None,
) -> Decimal:
    """The part of a shop-front's operating income credited to the community collective.

    DOMAIN.md §4 Shop-front register (按比例计提资产运营收益): a configurable share
    (Decimal percent 0–100), default 100 % where the collective is the operator;
    with another operator the share must be configured. amount × percent ÷ 100,
    half-up to the fen. A negative amount (a reversal) mirrors the positive one.
    """
    income = parse_amount(amount_income, allow_negative=True)
    percent = _share_percent(rights_holders, collective, share_percent)
    return round_half_up_to_fen(income * percent / 100)


def _share_percent(rights_holders: RightsHolders, collective: str, share_percent: object) -> Decimal:
    if share_percent is None:
        if rights_holders.operator != collective:
            raise CollectiveSharePercentRequired(f"{collective} is not the operator; configure its share")
        return COLLECTIVE_SHARE_PERCENT_WHERE_OPERATOR
    if isinstance(share_percent, bool) or not isinstance(share_percent, (Decimal, int)):
        raise InvalidSharePercent(f"share {share_percent!r} must be a Decimal percent, never float")
    percent = Decimal(share_percent)
    if not percent.is_finite() or not 0 <= percent <= 100:
        raise InvalidSharePercent(f"share {share_percent}% must be from 0 to 100")
    return percent


# --- splitting rent between the collective and the other rights holders ----------------


@value_type("anju.leases.IncomeShare")
class IncomeShare:
    """Part of recognised rent: ``party`` "" is the collective (501.01), others are owed (211)."""

    party: str
    amount: Decimal


@dataclass(frozen=True)
class UnitRights:
    """A shop-front of a lease: its floor area (kept by the lease) and the rights in force."""

    unit_number: str
    floor_area_m2: Decimal
    rights: RightsChange


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


def shares_taken(shares: tuple[IncomeShare, ...], amount: Decimal) -> tuple[IncomeShare, ...]:
    """Income taken back (early termination) is split like the income it reverses (§1 allocation)."""
    weights = [(share.party, share.amount) for share in shares if share.amount > ZERO]
    if amount == ZERO or not weights:
        return ()
    return tuple(IncomeShare(party, part) for party, part in allocate(amount, weights) if part != ZERO)


def subtract_shares(shares: tuple[IncomeShare, ...], taken: tuple[IncomeShare, ...]) -> tuple[IncomeShare, ...]:
    """What is left of each party's income after ``taken`` is reversed."""
    by_party = {share.party: share.amount for share in shares}
    for share in taken:
        by_party[share.party] = by_party.get(share.party, ZERO) - share.amount
    return tuple(IncomeShare(party, amount) for party, amount in by_party.items())
