"""The shop-front register: units, floor areas and their three rights holders (三权分置).

Source: DOMAIN.md §4 (Shop-front register).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.leases.terms import LeaseRuleBroken
from ledger.money import InvalidAmount, parse_amount, round_half_up_to_fen

#: DOMAIN.md §4: default share credited to the collective where it is the operator.
COLLECTIVE_SHARE_PERCENT_WHERE_OPERATOR = Decimal("100")


class MissingRightsHolder(LeaseRuleBroken):
    """Owner, operator or manager of a shop-front is not named."""

    type_slug = "shop-front-rights-holder-missing"


class InvalidShopFront(LeaseRuleBroken):
    """A shop-front without a unit number or with a floor area that is not > 0."""

    type_slug = "shop-front-invalid"


class CollectiveSharePercentRequired(LeaseRuleBroken):
    """No share was configured and the collective is not the operator, so there is no default."""

    type_slug = "collective-share-percent-required"


class InvalidSharePercent(LeaseRuleBroken):
    """A share percent that is not a Decimal from 0 to 100."""

    type_slug = "collective-share-percent-invalid"


@dataclass(frozen=True)
class RightsHolders:
    """三权分置: owner (所有权), operator (经营权), manager (管理权). DOMAIN.md §4 Shop-front register.

    Each is a party id, e.g. the county platform company, the community collective,
    the community property company. One party may hold several rights.
    """

    owner: str
    operator: str
    manager: str

    def __post_init__(self) -> None:
        for right in ("owner", "operator", "manager"):
            holder = getattr(self, right)
            if not isinstance(holder, str) or not holder.strip():
                raise MissingRightsHolder(f"the shop-front's {right} must be named")


@dataclass(frozen=True)
class ShopFront:
    """One shop-front (门面/商铺) in the register. DOMAIN.md §4 Shop-front register."""

    unit_number: str
    location: str
    floor_area_m2: Decimal
    rights_holders: RightsHolders

    def __post_init__(self) -> None:
        if not self.unit_number.strip():
            raise InvalidShopFront("a shop-front needs a unit number")
        try:
            area = parse_amount(self.floor_area_m2)
        except InvalidAmount as error:
            raise InvalidShopFront(f"floor area (m²): {error}") from None
        if area <= 0:
            raise InvalidShopFront(f"floor area {area} m² must be > 0")
        object.__setattr__(self, "floor_area_m2", area)


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
