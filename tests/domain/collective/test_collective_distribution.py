"""Year-end distribution: Art. 42 and the figures of DOMAIN.md §3."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.collective.distribution import distribution_vouchers
from domain.collective.distribution_figures import (
    ALLOCATION_METHOD,
    MemberLine,
    YearEndDistribution,
    allocate_to_shares,
    compute_year_end_distribution,
    declared_distribution,
    distributable_income,
    distributable_to_members,
    loss_covered,
    parse_reserve_rate_percent,
    reserve_withdrawal,
    withdrawal_base,
)
from domain.collective.errors import (
    DistributionExceedsDistributable,
    InvalidReserveRate,
    InvalidShareUnits,
    NoShareUnits,
)
from ledger.money import InvalidAmount

D = Decimal
ZERO = D("0.00")
EXAMPLE_UNITS = {"m1": D(3), "m2": D(3), "m3": D(1)}


class Posted(NamedTuple):
    """One line the distribution posts: account, sub-ledger, debit, credit."""

    account_code: str
    subledger: str
    debit: Decimal
    credit: Decimal


def distribution_postings(result: YearEndDistribution) -> tuple[Posted, ...]:
    """Every line of the vouchers ``adopt_distribution`` posts for ``result``, in order."""
    return tuple(Posted(line.account_code, line.subledger, line.debit, line.credit)
                 for voucher in distribution_vouchers(result, 2024) for line in voucher.lines)


def distribute(net: str, opening: str = "0.00", rate: Decimal | int = 10, **options: object) -> YearEndDistribution:
    options.setdefault("units_by_member", EXAMPLE_UNITS)
    return compute_year_end_distribution(
        net_income=D(net),
        opening_undistributed=D(opening),
        reserve_rate_percent=rate,
        **options,  # type: ignore[arg-type]
    )


def test_year_end_distribution_reproduces_the_domain_example() -> None:
    result = distribute("9999.99")
    assert result.reserve_withdrawal == D("1000.00")
    assert result.distributable_to_members == D("8999.99") == result.declared
    assert result.member_lines == (
        MemberLine("m1", D(3), D("3857.14")),
        MemberLine("m2", D(3), D("3857.14")),
        MemberLine("m3", D(1), D("1285.71")),
    )
    assert (result.loss_covered, result.withdrawal_base, result.collective_share_amount) == (ZERO, D("9999.99"), ZERO)
    assert result.undistributed_after == ZERO
    assert result.allocation_method == ALLOCATION_METHOD == "largest-remainder-fen"


def test_distributable_income_adds_opening_undistributed() -> None:
    assert distributable_income(D("9999.99"), D("500.00")) == D("10499.99")
    assert distributable_income(D("3000.00"), D("-5000.00")) == D("-2000.00")
    assert distribute("1000.00", "250.00").distributable_income == D("1250.00")


@pytest.mark.parametrize(
    "net, opening, covered",
    [
        ("10000.00", "0.00", "0.00"),  # no prior loss
        ("10000.00", "2500.00", "0.00"),  # prior profit, nothing to cover
        ("3000.00", "-5000.00", "3000.00"),  # partial cover: all of this year's income
        ("10000.00", "-4000.00", "4000.00"),  # full cover
        ("4000.00", "-4000.00", "4000.00"),  # exactly covered
        ("-1000.00", "-4000.00", "0.00"),  # a loss covers nothing
    ],
)
def test_loss_covered_is_the_part_of_net_income_covering_prior_losses(net: str, opening: str, covered: str) -> None:
    assert loss_covered(D(net), D(opening)) == D(covered)


@pytest.mark.parametrize(
    "net, covered, base",
    [
        ("10000.00", "4000.00", "6000.00"),
        ("3000.00", "3000.00", "0.00"),
        ("-500.00", "0.00", "0.00"),
        ("0.00", "0.00", "0.00"),
    ],
)
def test_withdrawal_base_is_net_income_less_loss_covered_floored_at_zero(net: str, covered: str, base: str) -> None:
    assert withdrawal_base(D(net), D(covered)) == D(base)


@pytest.mark.parametrize(
    "base, rate, withdrawal",
    [
        ("9999.99", D(10), "1000.00"),  # 999.999 → up
        ("0.05", D(10), "0.01"),  # 0.005 → half goes up
        ("0.04", D(10), "0.00"),  # 0.004 → down
        ("1234.56", D("12.5"), "154.32"),  # 154.32
        ("100.01", D("12.5"), "12.50"),  # 12.50125 → down
        ("100.03", D("12.5"), "12.50"),  # 12.50375 → 12.50
        ("100.04", D("12.5"), "12.51"),  # 12.505 → half up
        ("5000.00", D(0), "0.00"),
        ("5000.00", D(100), "5000.00"),
        ("0.00", D(10), "0.00"),
    ],
)
def test_reserve_withdrawal_half_up_to_fen(base: str, rate: Decimal, withdrawal: str) -> None:
    assert reserve_withdrawal(D(base), rate) == D(withdrawal)
    assert reserve_withdrawal(D(base), rate).as_tuple().exponent == -2


def test_distributable_to_members_is_income_less_withdrawal_and_nothing_when_not_positive() -> None:
    assert distributable_to_members(D("9999.99"), D("1000.00")) == D("8999.99")
    assert distributable_to_members(D("1000.00"), D("1000.00")) == ZERO
    assert distributable_to_members(D("-2000.00"), ZERO) == ZERO


def test_declared_distribution_defaults_to_all_distributable() -> None:
    assert declared_distribution(None, D("8999.99")) == D("8999.99")
    assert declared_distribution(D("8999.99"), D("8999.99")) == D("8999.99")
    assert declared_distribution(D("5000"), D("8999.99")) == D("5000.00")


def test_declared_distribution_must_not_exceed_distributable() -> None:
    with pytest.raises(DistributionExceedsDistributable):
        declared_distribution(D("9000.00"), D("8999.99"))
    with pytest.raises(DistributionExceedsDistributable):
        distribute("9999.99", declared_amount=D("9000.00"))
    with pytest.raises(DistributionExceedsDistributable):
        distribute("-100.00", declared_amount=D("0.01"))


@pytest.mark.parametrize("declared", [D("-1.00"), D("1.001"), 1.5])
def test_declared_distribution_is_an_amount_in_yuan(declared: object) -> None:
    with pytest.raises(InvalidAmount):
        declared_distribution(declared, D("8999.99"))


def test_declared_amount_below_distributable_leaves_the_rest_undistributed() -> None:
    result = distribute("9999.99", declared_amount=D("7000.00"))
    assert result.declared == D("7000.00")
    assert [line.amount_yuan for line in result.member_lines] == [D("3000.00"), D("3000.00"), D("1000.00")]
    assert result.undistributed_after == D("1999.99")


@pytest.mark.parametrize("rate", [None, 10.0, True, D("-0.01"), D("100.01"), D("10.00001"), D("NaN"), "10"])
def test_parse_reserve_rate_percent_is_required_and_within_0_to_100(rate: object) -> None:
    with pytest.raises(InvalidReserveRate):
        parse_reserve_rate_percent(rate)
    with pytest.raises(InvalidReserveRate):
        distribute("9999.99", rate=rate)  # type: ignore[arg-type]


def test_reserve_rate_has_no_default() -> None:
    with pytest.raises(TypeError):
        compute_year_end_distribution(  # type: ignore[call-arg]
            net_income=D("100.00"), opening_undistributed=ZERO, units_by_member=EXAMPLE_UNITS
        )
    assert parse_reserve_rate_percent(D("12.5")) == D("12.5")


def test_year_with_a_loss_distributes_nothing_and_withdraws_nothing() -> None:
    result = distribute("-5000.00")
    assert (result.distributable_income, result.reserve_withdrawal, result.distributable_to_members) == (
        D("-5000.00"),
        ZERO,
        ZERO,
    )
    assert result.declared == ZERO and all(line.amount_yuan == ZERO for line in result.member_lines)
    assert result.undistributed_after == D("-5000.00")
    assert distribution_postings(result) == ()


def test_year_with_a_loss_may_distribute_earlier_undistributed_income() -> None:
    result = distribute("-1000.00", "3000.00")
    assert (result.reserve_withdrawal, result.distributable_to_members) == (ZERO, D("2000.00"))


def test_year_covering_a_prior_loss_partially() -> None:
    result = distribute("3000.00", "-5000.00")
    assert (result.loss_covered, result.withdrawal_base, result.reserve_withdrawal) == (D("3000.00"), ZERO, ZERO)
    assert (result.distributable_income, result.distributable_to_members) == (D("-2000.00"), ZERO)
    assert result.undistributed_after == D("-2000.00")


def test_year_covering_a_prior_loss_fully() -> None:
    result = distribute("10000.00", "-4000.00")
    assert (result.loss_covered, result.withdrawal_base, result.reserve_withdrawal) == (
        D("4000.00"),
        D("6000.00"),
        D("600.00"),
    )
    assert (result.distributable_income, result.distributable_to_members) == (D("6000.00"), D("5400.00"))
    assert [line.amount_yuan for line in result.member_lines] == [D("2314.29"), D("2314.28"), D("771.43")]
    assert result.undistributed_after == ZERO


def test_allocate_to_shares_reports_the_collective_class_separately() -> None:
    lines, collective_amount = allocate_to_shares(D("1000.00"), {"m1": D(3), "m2": D(3)}, D(4))
    assert lines == (MemberLine("m1", D(3), D("300.00")), MemberLine("m2", D(3), D("300.00")))
    assert collective_amount == D("400.00")
    result = distribute("1111.11", units_by_member={"m1": D(3), "m2": D(3)}, collective_units=D(4))
    assert result.collective_share_amount == D("400.00")
    assert sum(line.amount_yuan for line in result.member_lines) + result.collective_share_amount == result.declared


def test_allocate_to_shares_ties_go_by_member_id_then_to_members_before_the_collective() -> None:
    assert allocate_to_shares(D("0.01"), {"m2": D(1), "m1": D(1)}, D(0)) == (
        (MemberLine("m1", D(1), D("0.01")), MemberLine("m2", D(1), ZERO)),
        ZERO,
    )
    assert allocate_to_shares(D("0.01"), {"m1": D(1)}, D(1)) == ((MemberLine("m1", D(1), D("0.01")),), ZERO)


def test_allocate_to_shares_needs_shares_to_distribute_to() -> None:
    with pytest.raises(NoShareUnits):
        allocate_to_shares(D("0.01"), {}, D(0))
    assert allocate_to_shares(ZERO, {}, D(0)) == ((), ZERO)
    with pytest.raises(NoShareUnits):
        distribute("100.00", units_by_member={})
    assert distribute("100.00", units_by_member={}, declared_amount=ZERO).undistributed_after == D("90.00")


def test_allocate_to_shares_only_collective_class() -> None:
    result = distribute("100.00", units_by_member={}, collective_units=5)
    assert result.member_lines == () and result.collective_share_amount == D("90.00")


@pytest.mark.parametrize(
    "inputs, error",
    [
        ({"net_income": 9999.99}, InvalidAmount),
        ({"net_income": D("9999.999")}, InvalidAmount),
        ({"opening_undistributed": D("0.001")}, InvalidAmount),
        ({"units_by_member": {"m1": 3.0}}, InvalidShareUnits),
        ({"units_by_member": {"m1": D(0)}}, InvalidShareUnits),
        ({"collective_units": D("-1")}, InvalidShareUnits),
    ],
)
def test_distribution_rejects_floats_and_bad_figures(inputs: dict[str, object], error: type[Exception]) -> None:
    arguments: dict[str, object] = {
        "net_income": D("9999.99"),
        "opening_undistributed": ZERO,
        "reserve_rate_percent": 10,
        "units_by_member": EXAMPLE_UNITS,
    }
    arguments.update(inputs)
    with pytest.raises(error):
        compute_year_end_distribution(**arguments)  # type: ignore[arg-type]


def test_distribution_postings_of_the_domain_example() -> None:
    assert distribution_postings(distribute("9999.99")) == (
        Posted("322.02", "", D("1000.00"), ZERO),
        Posted("311", "", ZERO, D("1000.00")),
        Posted("322.03", "", D("8999.99"), ZERO),
        Posted("211", "member:m1", ZERO, D("3857.14")),
        Posted("211", "member:m2", ZERO, D("3857.14")),
        Posted("211", "member:m3", ZERO, D("1285.71")),
    )


def test_distribution_postings_credit_the_collective_share_to_311() -> None:
    postings = distribution_postings(
        distribute("1111.11", units_by_member={"m1": D(3), "m2": D(3)}, collective_units=D(4))
    )
    assert postings[2:] == (
        Posted("322.03", "", D("1000.00"), ZERO),
        Posted("211", "member:m1", ZERO, D("300.00")),
        Posted("211", "member:m2", ZERO, D("300.00")),
        Posted("311", "", ZERO, D("400.00")),
    )


def test_distribution_postings_leave_out_zero_lines() -> None:
    result = distribute("1.11", rate=0, units_by_member={"big": D(1_000_000), "tiny": D("0.0001")})
    assert [line.amount_yuan for line in result.member_lines] == [D("1.11"), ZERO]
    postings = distribution_postings(result)
    assert postings == (Posted("322.03", "", D("1.11"), ZERO), Posted("211", "member:big", ZERO, D("1.11")))
    assert all(line.debit > 0 or line.credit > 0 for line in postings)


def test_distribution_postings_have_no_loss_cover_line() -> None:
    postings = distribution_postings(distribute("10000.00", "-4000.00"))
    assert {line.account_code for line in postings} == {"322.02", "311", "322.03", "211"}
    assert sum(line.debit for line in postings) == D("600.00") + D("5400.00")


# --- Properties ----------------------------------------------------------------------

amounts = st.decimals(min_value=D("-10000000"), max_value=D("10000000"), places=2)
rates = st.decimals(min_value=D(0), max_value=D(100), places=2)
units = st.decimals(min_value=D("0.0001"), max_value=D(10_000), places=4)
holdings = st.dictionaries(st.from_regex(r"m[0-9]{1,3}", fullmatch=True), units, min_size=1, max_size=25)
collective = st.one_of(st.just(D(0)), units)


def any_year_with_holdings(test: Callable[..., None]) -> Callable[..., None]:
    """Any year's figures and holdings (pure and fast: no wall-clock deadline, which flakes on shared cores)."""
    return settings(deadline=None)(
        given(net=amounts, opening=amounts, rate=rates, held=holdings, collective_units=collective)(test))


@any_year_with_holdings
def test_distribution_lines_sum_exactly_to_declared(
    net: Decimal, opening: Decimal, rate: Decimal, held: dict[str, Decimal], collective_units: Decimal
) -> None:
    result = distribute(str(net), str(opening), rate, units_by_member=held, collective_units=collective_units)
    assert sum(line.amount_yuan for line in result.member_lines) + result.collective_share_amount == result.declared
    assert result.declared == result.distributable_to_members
    postings = distribution_postings(result)
    assert sum(line.debit for line in postings) == sum(line.credit for line in postings)


@any_year_with_holdings
def test_each_line_is_within_one_fen_of_its_exact_share(
    net: Decimal, opening: Decimal, rate: Decimal, held: dict[str, Decimal], collective_units: Decimal
) -> None:
    result = distribute(str(net), str(opening), rate, units_by_member=held, collective_units=collective_units)
    units_total = Fraction(sum(held.values()) + collective_units)
    parts = [(line.units, line.amount_yuan) for line in result.member_lines]
    parts.append((collective_units, result.collective_share_amount))
    for held_units, amount in parts:
        exact = Fraction(result.declared) * Fraction(held_units) / units_total
        assert abs(Fraction(amount) - exact) < Fraction(1, 100)


@settings(deadline=None)  # pure and fast; wall-clock deadlines flake on shared cores
@given(net=amounts, opening=amounts, rate=rates)
def test_reserve_withdrawal_is_never_negative_nor_above_its_base(net: Decimal, opening: Decimal, rate: Decimal) -> None:
    result = distribute(str(net), str(opening), rate)
    assert ZERO <= result.reserve_withdrawal <= result.withdrawal_base
    assert result.withdrawal_base <= max(net, ZERO)
    assert ZERO <= result.loss_covered <= max(-opening, ZERO)
    assert result.distributable_to_members >= ZERO
    assert result.undistributed_after == result.distributable_income - result.reserve_withdrawal - result.declared


def test_distribution_vouchers_are_dated_31_december_and_split_below_the_voucher_line_limit() -> None:
    members = {f"m{i:05d}": D(1) for i in range(12_001)}
    result = distribute("13000.00", rate=1, units_by_member=members, declared_amount=D("12001.00"))
    vouchers = distribution_vouchers(result, 2024)
    assert [len(v.lines) for v in vouchers] == [2, 5_001, 5_001, 2_002]
    assert [v.summary for v in vouchers[:2]] == ["2024年度收益分配：提取公积公益金", "2024年度收益分配：向成员分配"]
    assert {(v.voucher_date.isoformat(), v.source) for v in vouchers} == {("2024-12-31", "collective:distribution:2024")}
    for voucher in vouchers:
        assert sum(l.debit for l in voucher.lines) == sum(l.credit for l in voucher.lines)
