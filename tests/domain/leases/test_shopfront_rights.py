"""The shop-front register: rights holders and the collective's share of operating income (DOMAIN.md §4)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.leases.errors import (
    CollectiveSharePercentRequired,
    InvalidSharePercent,
    InvalidShopFront,
    MissingRightsHolder,
)
from domain.leases.rights import (
    RightsChange,
    RightsHolders,
    collective_operating_income_share,
)
from domain.leases.shop_front import ShopFront
from ledger.audit import Audit

COLLECTIVE = "collective:xinmin"
COLLECTIVE_OPERATES = RightsHolders.named(owner="platform:county-investment", operator=COLLECTIVE,
                                          manager="property:xinmin")
COMPANY_OPERATES = RightsHolders.named(owner=COLLECTIVE, operator="platform:county-investment",
                                        manager="property:xinmin")
AUDIT = Audit("test", "accountant", "test")


def test_rights_holders_name_owner_operator_and_manager() -> None:
    assert (COLLECTIVE_OPERATES.owner, COLLECTIVE_OPERATES.operator, COLLECTIVE_OPERATES.manager) == (
        "platform:county-investment",
        COLLECTIVE,
        "property:xinmin",
    )
    with pytest.raises(MissingRightsHolder) as raised:
        RightsHolders.named(owner="platform:county-investment", operator=" ", manager="property:xinmin")
    assert raised.value.type_slug == "shop-front-rights-holder-missing"
    # Read back from history, the holders are not checked again.
    assert RightsHolders("a", " ", "c").operator == " "


def test_shop_front_has_a_unit_number_and_a_positive_floor_area() -> None:
    rights = RightsChange.agreed(date(2024, 1, 1), COLLECTIVE_OPERATES, COLLECTIVE)
    shop = ShopFront.register(AUDIT, "b1", "A-101", "1F Block A", "86.37", rights)
    assert shop.floor_area_m2 == Decimal("86.37")
    for bad_area in ("0", "-3.00", "86.375", 86.37):
        with pytest.raises(InvalidShopFront):
            ShopFront.register(AUDIT, "b1", "A-101", "1F Block A", bad_area, rights)
    with pytest.raises(InvalidShopFront):
        ShopFront.register(AUDIT, "b1", " ", "1F Block A", Decimal("86.37"), rights)


def test_rights_change_needs_a_share_the_collective_can_be_credited() -> None:
    with pytest.raises(CollectiveSharePercentRequired):
        RightsChange.agreed(date(2024, 1, 1), COMPANY_OPERATES, COLLECTIVE)
    assert RightsChange.agreed(date(2024, 1, 1), COMPANY_OPERATES, COLLECTIVE,
                               Decimal("60")).collective_share_percent == Decimal("60")


def test_collective_operating_income_share_defaults_to_all_where_the_collective_operates() -> None:
    assert collective_operating_income_share(Decimal("3185.00"), COLLECTIVE_OPERATES, COLLECTIVE) == Decimal("3185.00")


def test_collective_operating_income_share_uses_the_configured_percent_half_up() -> None:
    # 1,000.05 × 30 % = 300.015 → 300.02 half-up.
    share = collective_operating_income_share(Decimal("1000.05"), COMPANY_OPERATES, COLLECTIVE, Decimal("30"))
    assert share == Decimal("300.02")
    nothing = collective_operating_income_share(Decimal("1000.05"), COLLECTIVE_OPERATES, COLLECTIVE, 0)
    assert nothing == Decimal("0.00")
    # A reversal mirrors the original.
    reversal = collective_operating_income_share(Decimal("-1000.05"), COMPANY_OPERATES, COLLECTIVE, Decimal("30"))
    assert reversal == Decimal("-300.02")


def test_collective_operating_income_share_must_be_configured_where_another_party_operates() -> None:
    with pytest.raises(CollectiveSharePercentRequired):
        collective_operating_income_share(Decimal("3185.00"), COMPANY_OPERATES, COLLECTIVE)


def test_collective_operating_income_share_percent_is_from_0_to_100() -> None:
    for bad in (Decimal("-0.01"), Decimal("100.01"), 30.0, Decimal("NaN")):
        with pytest.raises(InvalidSharePercent):
            collective_operating_income_share(Decimal("100.00"), COMPANY_OPERATES, COLLECTIVE, bad)


@given(
    income_fen=st.integers(min_value=0, max_value=10_000_000_000),
    share_percent=st.decimals(min_value=0, max_value=100, places=2),
)
def test_collective_operating_income_share_lies_between_nothing_and_all(
    income_fen: int, share_percent: Decimal
) -> None:
    income = Decimal(income_fen) / 100
    share = collective_operating_income_share(income, COMPANY_OPERATES, COLLECTIVE, share_percent)
    assert Decimal("0.00") <= share <= income
    assert abs(share - income * share_percent / 100) <= Decimal("0.005")
