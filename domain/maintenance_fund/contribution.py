"""Money into the fund: first deposits and contributions from the six sources.

Source: 165号令 Art. 7 (first deposit = floor area × the local yuan/m² standard); the seeds
(seed 003) and DOMAIN.md §6 Sources (six sources, each contribution names its source and
one unit or all units by floor area); DOMAIN.md §1 Allocation (largest remainder, ties by
unit id compared as text).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum

from domain.maintenance_fund.errors import InvalidContribution, InvalidDepositStandard, InvalidLandQuotaTrade
from domain.maintenance_fund.vote import VoteTally
from ledger.money import InvalidAmount, allocate, parse_amount, parse_positive_amount, round_half_up_to_fen
from ledger.values import value_type

STANDARD_LIMIT = Decimal("10000.00")  # yuan per m²: beyond this is a typing error
REFERENCE_LIMIT = 200


class Source(str, Enum):
    """The six sources of seed 003, in its order (DOMAIN.md §6 Sources)."""

    LAND_QUOTA = "land_quota"  # (1) 增减挂钩节余指标交易收益
    FISCAL = "fiscal"  # (2) 财政资金
    DONATION = "donation"  # (3) 社会救助和捐赠
    SUPPORT_PROJECT = "support_project"  # (4) 后续扶持项目收益
    COMMUNITY_PUBLIC_INCOME = "community_public_income"  # (5) 安置社区公共收益 (民法典 Art. 282)
    RESIDENT_INSTALMENT = "resident_instalment"  # (6) 居民分期续筹


SOURCE_LABELS = {
    Source.LAND_QUOTA: ("增减挂钩节余指标交易收益", "Land-quota trading proceeds"),
    Source.FISCAL: ("财政资金", "Fiscal funds"),
    Source.DONATION: ("社会救助和捐赠", "Social assistance and donations"),
    Source.SUPPORT_PROJECT: ("后续扶持项目收益", "Follow-up support project income"),
    Source.COMMUNITY_PUBLIC_INCOME: ("社区公共收益", "Community public income"),
    Source.RESIDENT_INSTALMENT: ("居民分期续筹", "Residents' instalments"),
}
FIRST_DEPOSIT = "first_deposit"  # the kind of a first deposit's movement (首次交存), not one of the six


class TargetKind(str, Enum):
    UNIT = "unit"
    FUND = "fund"  # all open units of the fund, by floor area
    BUILDING = "building"  # all open units of one building, by floor area


def parse_source(value: object) -> Source:
    try:
        return Source(value)
    except ValueError:
        raise InvalidContribution(f"source must be one of {', '.join(s.value for s in Source)}") from None


def parse_deposit_standard(value: object) -> Decimal:
    """The first-deposit standard in yuan/m²: > 0, two decimals at most (DOMAIN.md §6, *configurable*)."""
    try:
        standard = parse_amount(value)
    except InvalidAmount as error:
        raise InvalidDepositStandard(f"deposit standard (yuan/m²): {error}") from None
    if standard <= 0 or standard > STANDARD_LIMIT:
        raise InvalidDepositStandard(f"deposit standard {standard} yuan/m² must be > 0 and ≤ {STANDARD_LIMIT}")
    return standard


def parse_contribution_amount(value: object) -> Decimal:
    """An amount in: yuan with at most two decimals (more is rejected, DOMAIN.md §1), > 0."""
    amount = parse_amount(value)
    if amount <= 0:
        raise InvalidContribution("a contribution's amount must be > 0")
    return amount


def first_deposit_amount(floor_area_m2: Decimal, standard_yuan_per_m2: Decimal) -> Decimal:
    """First deposit of a unit = floor area × the yuan/m² standard, half-up to the fen.

    Source: 165号令 Art. 7; DOMAIN.md §6 First deposit (recorded per unit; the base of the
    30 % rule); DOMAIN.md §1 (a computation rounds half-up to the fen where it multiplies areas).
    """
    return round_half_up_to_fen(floor_area_m2 * standard_yuan_per_m2)


def parse_retained_percent(value: object) -> Decimal:
    """The retained ratio of a land-quota trade, in percent: (0, 100], at most four decimals."""
    if isinstance(value, bool | float) or not isinstance(value, str | int | Decimal):
        raise InvalidLandQuotaTrade("the retained ratio is a decimal string (percent)")
    try:
        percent = Decimal(value)
    except InvalidOperation:
        raise InvalidLandQuotaTrade(f"retained ratio {value!r} is not a number") from None
    if not percent.is_finite() or not 0 < percent <= 100 or percent != percent.quantize(Decimal("0.0001")):
        raise InvalidLandQuotaTrade(f"retained ratio {value!r} % must lie in (0, 100] with ≤ 4 decimals")
    return percent


def land_quota_contribution(trade_amount: Decimal, retained_percent: Decimal) -> Decimal:
    """The fund's share of a land-quota trade = trade amount × retained ratio, half-up to the fen.

    Source: seed 003 source (1) (a share of proceeds from trading surplus land quotas,
    增减挂钩节余指标, of the emigration areas); DOMAIN.md §1 (half-up where a rule divides).
    """
    return round_half_up_to_fen(trade_amount * retained_percent / Decimal(100))


def allocate_by_floor_area(amount: Decimal, units: Sequence[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """Pooled money to sub-ledgers in proportion to floor area, exact to the fen.

    Source: DOMAIN.md §6 Sources ("all units of the fund by floor area"); DOMAIN.md §1
    Allocation: each unit's exact share rounded down to the fen, the remaining fen one each
    to the largest remainders; ties go to the smaller unit id compared as text (§6 Exact
    readings). The lines sum exactly to the amount; they come back in unit-id order.
    """
    ordered = sorted(units, key=lambda unit: unit[0])
    return allocate(amount, ordered)


@value_type("anju.maintenance_fund.Line", slots=True)
class Line:
    """One unit's part of a movement, in yuan."""

    unit_id: str
    amount: Decimal


@value_type("anju.maintenance_fund.Target", slots=True)
class Target:
    """One unit, all units of the fund, or all units of a building."""

    kind: str  # a ``TargetKind`` value
    code: str = ""  # the unit id or building code ("" for the whole fund)

    @classmethod
    def parsed(cls, kind: object, code: object = "") -> Target:
        try:
            target_kind = TargetKind(kind)
        except ValueError:
            raise InvalidContribution(f"target must be one of {', '.join(k.value for k in TargetKind)}") from None
        if target_kind is TargetKind.FUND:
            return cls(target_kind.value, "")
        if not isinstance(code, str) or not code:
            raise InvalidContribution(f"a {target_kind.value} target names its {target_kind.value}")
        return cls(target_kind.value, code)

    @property
    def pooled(self) -> bool:
        return self.kind != TargetKind.UNIT.value


@value_type("anju.maintenance_fund.LandQuotaTrade", slots=True)
class LandQuotaTrade:
    """A land-quota trade (增减挂钩节余指标交易): what was traded, and the share the fund retains."""

    trade_amount: Decimal
    retained_percent: Decimal
    trade_reference: str
    contribution: Decimal

    @classmethod
    def traded(cls, trade_amount: object, retained_percent: object, trade_reference: object) -> LandQuotaTrade:
        amount = parse_positive_amount(trade_amount, "trade amount", InvalidLandQuotaTrade)
        percent = parse_retained_percent(retained_percent)
        if not isinstance(trade_reference, str) or not trade_reference.strip() or len(trade_reference) > 200:
            raise InvalidLandQuotaTrade("a land-quota trade names its reference (交易文号)")
        share = land_quota_contribution(amount, percent)
        if share <= 0:
            raise InvalidLandQuotaTrade("the retained share rounds to 0.00")
        return cls(amount, percent, trade_reference, share)


@value_type("anju.maintenance_fund.CommunityTransfer", slots=True)
class CommunityTransfer:
    """Source (5): the collective's book and account the money left, with its voucher."""

    collective_book: str
    debit_account: str
    voucher_number: str = ""


@value_type("anju.maintenance_fund.Contribution", slots=True)
class Contribution:
    """Money from one of the six sources, allocated to sub-ledgers."""

    received_on: date
    source: str  # a ``Source`` value
    target: Target
    amount: Decimal
    lines: tuple[Line, ...]
    reference: str = ""
    land_quota: LandQuotaTrade | None = None
    community_transfer: CommunityTransfer | None = None
    vote: VoteTally | None = None  # a raising plan's vote (pooled residents' instalments)
    voucher_numbers: tuple[str, ...] = ()


@value_type("anju.maintenance_fund.FirstDeposits", slots=True)
class FirstDeposits:
    """First deposits of some units on one day, at the standard in force then (165号令 Art. 7)."""

    deposited_on: date
    standard_yuan_per_m2: Decimal
    lines: tuple[Line, ...]
    reference: str = ""
    voucher_numbers: tuple[str, ...] = ()


def check_reference(reference: object) -> str:
    if not isinstance(reference, str) or len(reference) > REFERENCE_LIMIT:
        raise InvalidContribution(f"a reference has at most {REFERENCE_LIMIT} characters")
    return reference
