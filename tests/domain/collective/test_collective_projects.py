"""Pooled asset-income projects (资产收益): DOMAIN.md §3 with the allocation rule of §1."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.collective.errors import InvalidProjectUnits
from domain.collective.project import (
    METHOD_FIXED_PER_UNIT,
    METHOD_SHARE_OF_INCOME,
    PayoutLine,
    cycle_payout_fixed_per_unit,
    cycle_payout_share_of_income,
)
from ledger.money import InvalidAmount

D = Decimal


def test_cycle_payout_fixed_per_unit_pays_2000_per_cow() -> None:
    payout = cycle_payout_fixed_per_unit({"h2": 1, "h1": 3}, D("2000.00"))
    assert payout.lines == (PayoutLine("h1", 3, D("6000.00")), PayoutLine("h2", 1, D("2000.00")))
    assert payout.total_yuan == D("8000.00")
    assert payout.method == METHOD_FIXED_PER_UNIT == "fixed-per-unit"


def test_cycle_payout_fixed_per_unit_is_exact_to_the_fen() -> None:
    payout = cycle_payout_fixed_per_unit({"h1": 7}, D("0.01"))
    assert payout.lines[0].amount_yuan == D("0.07") and payout.total_yuan == D("0.07")


@pytest.mark.parametrize("amount", [2000.0, D("2000.001"), D("-1.00"), "abc"])
def test_cycle_payout_fixed_per_unit_needs_an_amount_in_yuan(amount: object) -> None:
    with pytest.raises(InvalidAmount):
        cycle_payout_fixed_per_unit({"h1": 1}, amount)  # type: ignore[arg-type]


def test_cycle_payout_fixed_per_unit_total_within_the_amount_limit() -> None:
    with pytest.raises(InvalidAmount):
        cycle_payout_fixed_per_unit({"h1": 1_000_000, "h2": 1_000_000}, D("999999999.00"))


@pytest.mark.parametrize(
    "units_by_household",
    [{}, {"h1": 0}, {"h1": -1}, {"h1": D("0.5")}, {"h1": 1.0}, {"h1": True}, {"": 1}, {"h1": 1_000_001}],
)
def test_project_units_are_whole_numbers_per_household(units_by_household: dict[str, object]) -> None:
    with pytest.raises(InvalidProjectUnits):
        cycle_payout_fixed_per_unit(units_by_household, D("2000.00"))  # type: ignore[arg-type]
    with pytest.raises(InvalidProjectUnits):
        cycle_payout_share_of_income(units_by_household, D("2000.00"))  # type: ignore[arg-type]


def test_cycle_payout_share_of_income_allocates_to_the_fen() -> None:
    payout = cycle_payout_share_of_income({"h3": 1, "h1": 1, "h2": 1}, D("1000.00"))
    # 333.333… each: the one leftover fen goes to the smallest household id on the tie.
    assert payout.lines == (
        PayoutLine("h1", 1, D("333.34")),
        PayoutLine("h2", 1, D("333.33")),
        PayoutLine("h3", 1, D("333.33")),
    )
    assert payout.total_yuan == D("1000.00")
    assert payout.method == METHOD_SHARE_OF_INCOME == "largest-remainder-fen"


def test_cycle_payout_share_of_income_in_proportion_to_units() -> None:
    payout = cycle_payout_share_of_income({"h1": 3, "h2": 1}, D("8000.00"))
    assert [line.amount_yuan for line in payout.lines] == [D("6000.00"), D("2000.00")]


@pytest.mark.parametrize("income", [D("-0.01"), 100.0, D("0.001")])
def test_cycle_payout_share_of_income_needs_an_income_in_yuan(income: object) -> None:
    with pytest.raises(InvalidAmount):
        cycle_payout_share_of_income({"h1": 1}, income)  # type: ignore[arg-type]


households = st.dictionaries(
    st.from_regex(r"h[0-9]{1,3}", fullmatch=True), st.integers(1, 500), min_size=1, max_size=30
)
incomes = st.decimals(min_value=D(0), max_value=D("10000000"), places=2)


@settings(deadline=None)  # pure and fast; wall-clock deadlines flake on shared cores
@given(units_by_household=households, income=incomes)
def test_cycle_payout_share_of_income_sums_exactly_and_each_line_within_a_fen(
    units_by_household: dict[str, int], income: Decimal
) -> None:
    payout = cycle_payout_share_of_income(units_by_household, income)
    assert sum(line.amount_yuan for line in payout.lines) == income == payout.total_yuan
    units_total = sum(units_by_household.values())
    for line in payout.lines:
        assert abs(Fraction(line.amount_yuan) - Fraction(income) * line.units / units_total) < Fraction(1, 100)


@settings(deadline=None)  # pure and fast; wall-clock deadlines flake on shared cores
@given(units_by_household=households, amount=st.decimals(min_value=D(0), max_value=D("100000"), places=2))
def test_cycle_payout_fixed_per_unit_is_units_times_amount(units_by_household: dict[str, int], amount: Decimal) -> None:
    payout = cycle_payout_fixed_per_unit(units_by_household, amount)
    assert all(line.amount_yuan == amount * line.units for line in payout.lines)
    assert payout.total_yuan == amount * sum(units_by_household.values())
