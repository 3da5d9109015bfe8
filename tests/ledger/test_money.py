"""Money: parsing, rounding, allocation and uppercase amounts (DOMAIN.md §1)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.money import (
    AMOUNT_LIMIT,
    InvalidAllocation,
    InvalidAmount,
    allocate,
    parse_amount,
    parse_positive_amount,
    round_half_up_to_fen,
    uppercase_amount,
)

D = Decimal


@pytest.mark.parametrize("text", ["0", "1", "1.5", "1.50", "999999999999.99", "0.01"])
def test_parse_amount_accepts_yuan_with_at_most_two_decimals(text):
    assert parse_amount(text) == D(text).quantize(D("0.01"))
    assert parse_amount(text).as_tuple().exponent == -2


@pytest.mark.parametrize("value", ["1.001", "0.005", "1e3", "NaN", "Infinity", "-Infinity", "", " 1", "1_000",
                                   "abc", 1.5, float("nan"), True, None, "1000000000000.00"])
def test_parse_amount_rejects_floats_over_precision_non_finite_and_absurd(value):
    with pytest.raises(InvalidAmount):
        parse_amount(value)


def test_parse_amount_rejects_negative_unless_allowed():
    with pytest.raises(InvalidAmount):
        parse_amount("-1.00")
    assert parse_amount("-1.00", allow_negative=True) == D("-1.00")


def test_parse_amount_trailing_zeros_beyond_fen_are_exact_not_rounded():
    assert parse_amount("1.500") == D("1.50")


@given(st.decimals(min_value=0, max_value=AMOUNT_LIMIT, places=2, allow_nan=False, allow_infinity=False))
def test_parse_amount_round_trips_every_valid_amount(amount):
    assert parse_amount(str(amount)) == amount


@given(st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_parse_amount_never_rounds_a_third_decimal(amount):
    if amount != amount.quantize(D("0.01")):
        with pytest.raises(InvalidAmount):
            parse_amount(str(amount))


def test_round_half_up_to_fen():
    assert round_half_up_to_fen(D("0.005")) == D("0.01")
    assert round_half_up_to_fen(D("0.0049")) == D("0.00")
    assert round_half_up_to_fen(D("-0.005")) == D("-0.01")
    assert round_half_up_to_fen(D("3255.000")) == D("3255.00")


def test_allocation_largest_remainder_matches_domain_example():
    lines = allocate(D("8999.99"), [("m1", 3), ("m2", 3), ("m3", 1)])
    assert lines == [("m1", D("3857.14")), ("m2", D("3857.14")), ("m3", D("1285.71"))]


def test_allocation_ties_go_to_smaller_party_id_in_stable_order():
    assert allocate(D("0.02"), [("b", 1), ("a", 1), ("c", 1)]) == [("b", D("0.01")), ("a", D("0.01")),
                                                                    ("c", D("0.00"))]


def test_allocation_of_negative_total_mirrors_positive():
    positive = allocate(D("100.00"), [("a", 1), ("b", 2)])
    negative = allocate(D("-100.00"), [("a", 1), ("b", 2)])
    assert [(k, -v) for k, v in negative] == positive


@pytest.mark.parametrize("weights", [[], [("a", 0)], [("a", -1), ("b", 2)], [("a", 1), ("a", 2)], [("a", 1.5)]])
def test_allocation_rejects_bad_weights(weights):
    with pytest.raises(InvalidAllocation):
        allocate(D("1.00"), weights)


@given(
    st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    st.lists(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False),
             min_size=1, max_size=40),
)
def test_allocation_sums_exactly_and_each_line_within_one_fen(total, raw_weights):
    if sum(raw_weights) == 0:
        raw_weights = [*raw_weights[:-1], D(1)]
    weights = [(f"p{i:03d}", w) for i, w in enumerate(raw_weights)]
    lines = allocate(total, weights)
    assert sum(amount for _, amount in lines) == total
    weight_total = sum(raw_weights)
    for (_, amount), (_, weight) in zip(lines, weights, strict=True):
        exact = total * weight / weight_total
        assert abs(amount - exact) < D("0.01")
    assert allocate(total, weights) == lines  # deterministic


DOMAIN_VECTORS = {
    "1409.50": "壹仟肆佰零玖元伍角整",
    "6007.14": "陆仟零柒元壹角肆分",
    "16409.02": "壹万陆仟肆佰零玖元零贰分",
    "325.04": "叁佰贰拾伍元零肆分",
    "100.00": "壹佰元整",
    "0.05": "伍分",
    "10.00": "壹拾元整",
    "107000.53": "壹拾万柒仟元零伍角叁分",
    "1680.32": "壹仟陆佰捌拾元零叁角贰分",
}
EDGE_VECTORS = {
    "0.00": "零元整",
    "0.50": "伍角整",
    "1.00": "壹元整",
    "15.00": "壹拾伍元整",
    "100000000.00": "壹亿元整",
    "100000001.00": "壹亿零壹元整",
    "100070000.00": "壹亿零柒万元整",
    "100700.00": "壹拾万零柒佰元整",
    "10000.10": "壹万元零壹角整",
    "20001.00": "贰万零壹元整",
    "1010.10": "壹仟零壹拾元零壹角整",
    "999999999999.99": "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
    "-500.00": "负伍佰元整",
}


@pytest.mark.parametrize(("amount", "expected"), [*DOMAIN_VECTORS.items(), *EDGE_VECTORS.items()])
def test_uppercase_amount_vectors(amount, expected):
    assert uppercase_amount(D(amount)) == expected


@given(st.decimals(min_value=0, max_value=AMOUNT_LIMIT, places=2, allow_nan=False, allow_infinity=False))
def test_uppercase_amount_ends_with_zheng_exactly_when_no_fen(amount):
    text = uppercase_amount(amount)
    has_fen = (amount * 100) % 10 != 0
    assert text.endswith("分") == has_fen
    assert text.endswith("整") == (not has_fen)
    assert "零零" not in text


class _InvalidRent(ValueError):
    """Stands for a capability's own rule error."""


@pytest.mark.parametrize("value, message", [
    ("0", "rent must be > 0, not 0.00"),
    ("0.00", "rent must be > 0, not 0.00"),
    ("-1.00", "rent: amount '-1.00' must not be negative"),
    ("1.234", "rent: amount '1.234' has more than two decimals (fen)"),
    (1.5, "rent: amount must be a decimal string, not float"),
])
def test_parse_positive_amount_refuses_zero_and_bad_amounts_with_the_capabilitys_error(value, message):
    with pytest.raises(_InvalidRent) as refused:
        parse_positive_amount(value, "rent", _InvalidRent)
    assert str(refused.value) == message


def test_parse_positive_amount_returns_yuan_to_the_fen():
    assert parse_positive_amount("12.5", "rent", _InvalidRent) == Decimal("12.50")


def test_parse_positive_amount_raises_the_malformed_error_for_a_value_that_is_no_amount():
    with pytest.raises(InvalidAmount, match=r"^estimated cost: amount '1.005' has more than two decimals"):
        parse_positive_amount("1.005", "estimated cost", _InvalidRent, malformed=InvalidAmount)
    with pytest.raises(_InvalidRent, match=r"^estimated cost must be > 0, not 0.00$"):
        parse_positive_amount("0", "estimated cost", _InvalidRent, malformed=InvalidAmount)
