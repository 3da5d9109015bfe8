"""The pure rules of DOMAIN.md §6, one test (or a few) per rule function, named after it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.maintenance_fund.contribution import (
    LandQuotaTrade,
    Target,
    allocate_by_floor_area,
    first_deposit_amount,
    land_quota_contribution,
    parse_deposit_standard,
    parse_retained_percent,
)
from domain.maintenance_fund.errors import (
    ExcludedUse,
    InvalidContribution,
    InvalidDepositStandard,
    InvalidEmergency,
    InvalidFloorArea,
    InvalidLandQuotaTrade,
    InvalidUnit,
    InvalidVote,
    NoBalanceToAllocate,
    NoUnitsInTarget,
    OwnerNotAffected,
)
from domain.maintenance_fund.interest import (
    InterestBasis,
    allocate_interest,
    daily_product,
    interest_weight,
    period_end_weight,
)
from domain.maintenance_fund.replenishment import (
    amount_to_restore,
    needs_replenishment,
    replenishment_line,
    replenishment_of,
)
from domain.maintenance_fund.unit import DEVELOPER_VOTER, Owner, UnitRecord, parse_floor_area, voter_key
from domain.maintenance_fund.vote import (
    Ballot,
    Matter,
    check_ballots,
    participation_met,
    special_approved,
    tally,
    use_approved,
    voters_of,
)
from domain.maintenance_fund.works import (
    Emergency,
    WorksNature,
    WorksScope,
    affected_units,
    apportion_cost,
    check_use_is_payable,
    split_charge,
)

D = Decimal


def owner(owner_id: str) -> Owner:
    return Owner.named(owner_id, "owner")


DEVELOPER = Owner.named("county-platform", "developer")
UNASSIGNED = Owner.named("", "developer")
COLLECTIVE = Owner.named("c1-collective", "collective")


# --- first deposit (165号令 Art. 7) ----------------------------------------------------------------
def test_first_deposit_amount_is_area_times_standard_half_up_to_the_fen():
    assert first_deposit_amount(D("75.55"), D("45.50")) == D("3437.53")  # 3,437.525 → half-up
    assert first_deposit_amount(D("80.00"), D("50.00")) == D("4000.00")
    assert first_deposit_amount(D("0.01"), D("0.49")) == D("0.00")  # 0.0049 rounds down


def test_parse_deposit_standard_refuses_floats_zero_and_a_third_decimal():
    assert parse_deposit_standard("45.50") == D("45.50")
    for bad in (0.5, "0", "45.505", "-1"):
        with pytest.raises((InvalidDepositStandard, ValueError)):
            parse_deposit_standard(bad)


# --- sources and allocation (DOMAIN.md §6 Sources, §1 Allocation) ----------------------------------
def test_allocate_by_floor_area_is_exact_with_largest_remainders():
    lines = allocate_by_floor_area(D("1000.01"), [("U1", D("80.00")), ("U2", D("100.50")), ("U3", D("60.00"))])
    # exact shares 332.6445…, 417.8794…, 249.4833…: floors leave 2 fen, to U2 (.94) then U1 (.45)
    assert lines == [("U1", D("332.65")), ("U2", D("417.88")), ("U3", D("249.48"))]


def test_allocate_by_floor_area_breaks_ties_by_unit_id_as_text():
    # three equal areas, 1.00 → 0.33 each + 1 fen; the tie goes to the smallest id *as text*: "U10" < "U2" < "U9"
    lines = dict(allocate_by_floor_area(D("1.00"), [("U9", D("50")), ("U2", D("50")), ("U10", D("50"))]))
    assert lines == {"U10": D("0.34"), "U2": D("0.33"), "U9": D("0.33")}


@given(st.integers(1, 10**9), st.lists(st.integers(1, 50_000), min_size=1, max_size=40))
def test_allocate_by_floor_area_always_sums_to_the_amount(fen, areas):
    amount = D(fen) / 100
    lines = allocate_by_floor_area(amount, [(f"U{i}", D(a) / 100) for i, a in enumerate(areas)])
    assert sum(a for _, a in lines) == amount


def test_land_quota_contribution_is_trade_amount_times_retained_ratio_half_up():
    assert land_quota_contribution(D("1234567.89"), D("3.3333")) == D("41151.85")  # 41,151.851… → .85
    assert land_quota_contribution(D("100.01"), D("50")) == D("50.01")  # 50.005 → half-up .01
    trade = LandQuotaTrade.traded("2000000.00", "2.5", "黔西南增减挂钩〔2023〕7号")
    assert trade.contribution == D("50000.00")


def test_parse_retained_percent_lies_in_zero_to_hundred():
    assert parse_retained_percent("100") == D("100")
    for bad in ("0", "100.01", "1.00001", 1.5, "x"):
        with pytest.raises(InvalidLandQuotaTrade):
            parse_retained_percent(bad)


def test_target_names_one_unit_a_building_or_the_fund():
    assert Target.parsed("fund", "ignored") == Target("fund", "")
    assert Target.parsed("building", "B1").pooled
    assert not Target.parsed("unit", "U1").pooled
    with pytest.raises(InvalidContribution):
        Target.parsed("stairwell", "1")
    with pytest.raises(InvalidContribution):
        Target.parsed("unit", "")


# --- interest (Art. 27; DOMAIN.md §6 Exact readings) ------------------------------------------------
def test_daily_product_counts_the_deposit_day_and_the_last_day():
    # January (31 days): opening 100.00; +50.00 on the 31st counts 1 day; +10.00 on the 1st counts 31 days
    product = daily_product(10_000, [(date(2024, 1, 1), 1_000), (date(2024, 1, 31), 5_000)],
                            date(2024, 1, 1), date(2024, 1, 31))
    assert product == 10_000 * 31 + 1_000 * 31 + 5_000 * 1


def test_daily_product_of_a_charge_reduces_from_its_own_day():
    assert daily_product(10_000, [(date(2024, 2, 29), -4_000)], date(2024, 2, 1), date(2024, 2, 29)) == \
        10_000 * 29 - 4_000


def test_period_end_weight_is_the_closing_balance_before_the_interest():
    assert period_end_weight(123_456) == 123_456
    movements = [(date(2024, 3, 1), 10_000), (date(2024, 6, 30), 5_000)]  # dated inside the period: still ignored
    assert interest_weight(InterestBasis.PERIOD_END, 123_456, movements, date(2024, 1, 1), date(2024, 12, 31)) == 123_456


def test_allocate_interest_is_exact_and_skips_units_without_a_basis():
    lines = allocate_interest(D("100.00"), [("U3", 1), ("U1", 1), ("U2", 1), ("U0", 0)])
    assert [(l.unit_id, l.amount) for l in lines] == [("U1", D("33.34")), ("U2", D("33.33")), ("U3", D("33.33"))]
    with pytest.raises(NoBalanceToAllocate):
        allocate_interest(D("1.00"), [("U1", 0)])


# --- owners and votes (民法典 Art. 278; 司法解释 Arts. 8–9) ---------------------------------------------
def test_voter_key_counts_the_developers_units_as_one_owner():
    assert voter_key(DEVELOPER) == voter_key(UNASSIGNED) == DEVELOPER_VOTER
    assert voter_key(owner("o1")) == "o1"
    assert voter_key(COLLECTIVE) == "c1-collective"
    with pytest.raises(InvalidUnit):
        Owner.named(DEVELOPER_VOTER, "owner")


def test_voters_of_counts_one_owner_once_with_their_total_area():
    voters = voters_of([(owner("o1"), D("80.00")), (owner("o1"), D("60.00")), (owner("o2"), D("100.00")),
                        (DEVELOPER, D("90.00")), (UNASSIGNED, D("70.00")),
                        (COLLECTIVE, D("45.00")), (COLLECTIVE, D("55.50"))])
    assert {k: (v.area_m2, v.units) for k, v in voters.items()} == {
        "o1": (D("140.00"), 2), "o2": (D("100.00"), 1), DEVELOPER_VOTER: (D("160.00"), 2),
        "c1-collective": (D("100.50"), 2)}


def test_participation_met_at_exactly_two_thirds_of_area_and_owners():
    assert participation_met(D("200.00"), D("300.00"), 2, 3)
    assert not participation_met(D("199.99"), D("300.00"), 2, 3)  # area just below
    assert not participation_met(D("299.00"), D("300.00"), 1, 3)  # headcount below: AND, not OR


def test_use_approved_fails_at_exactly_half():
    assert not use_approved(D("100.00"), D("200.00"), 2, 3)  # exactly half the area
    assert not use_approved(D("150.00"), D("200.00"), 1, 2)  # exactly half the owners
    assert use_approved(D("100.01"), D("200.00"), 2, 3)


def test_special_approved_passes_at_exactly_three_quarters():
    assert special_approved(D("300.00"), D("400.00"), 3, 4)
    assert not special_approved(D("299.99"), D("400.00"), 3, 4)
    assert not special_approved(D("400.00"), D("400.00"), 2, 3)


def test_check_ballots_refuses_outsiders_and_a_second_answer():
    voters = voters_of([(owner("o1"), D("80.00")), (owner("o1"), D("60.00"))])
    with pytest.raises(OwnerNotAffected):
        check_ballots(voters, [Ballot.cast("o9", "for")])
    with pytest.raises(InvalidVote):
        check_ballots(voters, [Ballot.cast("o1", "for"), Ballot.cast("o1", "against")])
    with pytest.raises(InvalidVote):
        Ballot.cast("o1", "maybe")


def test_tally_exactly_two_thirds_participate_and_exactly_half_approve_fails():
    voters = voters_of([(owner("a"), D("100.00")), (owner("b"), D("100.00")), (owner("c"), D("100.00"))])
    result = tally(Matter.USE, voters, [Ballot.cast("a", "for"), Ballot.cast("b", "against")])
    assert result.participation_met and not result.approval_met and not result.passed
    assert (result.participating_area, result.participating_owners, result.absent_owners) == (D("200.00"), 2, 1)


def test_tally_of_a_raising_plan_needs_three_quarters():
    voters = voters_of([(owner(k), D("100.00")) for k in "abcd"])
    ballots = [Ballot.cast(k, "for") for k in "abc"] + [Ballot.cast("d", "against")]
    assert tally(Matter.RAISE, voters, ballots).passed  # exactly 3/4 of both
    ballots[2] = Ballot.cast("c", "abstain")  # an abstention participates but does not approve
    assert not tally(Matter.RAISE, voters, ballots).passed
    assert tally(Matter.USE, voters, [Ballot.cast(k, "for") for k in "abc"]).passed


def test_tally_counts_the_developer_and_the_collective_once_each():
    voters = voters_of([(owner("o1"), D("100.00")), (DEVELOPER, D("100.00")), (UNASSIGNED, D("100.00")),
                        (COLLECTIVE, D("50.00")), (COLLECTIVE, D("50.00"))])
    # 3 owners, 400 m²: the developer (200 m²) and the collective (100 m²) for → 2/3 heads, 3/4 area
    result = tally(Matter.USE, voters, [Ballot.cast(DEVELOPER_VOTER, "for"), Ballot.cast("c1-collective", "for")])
    assert (result.total_owners, result.total_area) == (3, D("400.00"))
    assert result.participation_met and result.passed


# --- use, emergency, apportionment (165号令 Arts. 18–25) -----------------------------------------------
@pytest.mark.parametrize("nature", ["developer_warranty", "utility_owned", "damage_by_person",
                                    "property_company_contract"])
def test_check_use_is_payable_rejects_the_excluded_items(nature):
    with pytest.raises(ExcludedUse):
        check_use_is_payable(nature)


def test_check_use_is_payable_accepts_repair_renewal_retrofit():
    assert check_use_is_payable("repair") is WorksNature.REPAIR
    assert check_use_is_payable("retrofit") is WorksNature.RETROFIT


def test_emergency_declared_names_an_article_24_danger_and_its_authority():
    assert Emergency.declared("roof_leak", "兴义市住房和城乡建设局").emergency_type == "roof_leak"
    with pytest.raises(InvalidEmergency):
        Emergency.declared("broken_window", "住建局")
    with pytest.raises(InvalidEmergency):
        Emergency.declared("lift_failure", " ")


def test_affected_units_by_building_stairwell_or_area():
    units = [("U1", "B1", "1"), ("U2", "B1", "2"), ("U3", "B2", "1")]
    assert affected_units(WorksScope.parsed("area"), units) == ("U1", "U2", "U3")
    assert affected_units(WorksScope.parsed("building", "B1"), units) == ("U1", "U2")
    assert affected_units(WorksScope.parsed("stairwell", "B1", "2"), units) == ("U2",)
    with pytest.raises(NoUnitsInTarget):
        affected_units(WorksScope.parsed("building", "B9"), units)


def test_split_charge_leaves_a_receivable_never_a_negative_sub_ledger():
    line = split_charge("U1", D("500.00"), D("120.40"))
    assert (line.from_balance, line.receivable) == (D("120.40"), D("379.60"))
    assert split_charge("U2", D("10.00"), D("99.00")).receivable == D("0.00")


def test_apportion_cost_by_floor_area_with_a_remainder_and_a_shortfall():
    lines = apportion_cost(D("10000.00"), [("U1", D("70.00"), D("9000.00")), ("U2", D("70.00"), D("1000.00")),
                                           ("U3", D("70.00"), D("9000.00"))])
    assert [(l.unit_id, l.share) for l in lines] == [("U1", D("3333.34")), ("U2", D("3333.33")),
                                                     ("U3", D("3333.33"))]
    assert (lines[1].from_balance, lines[1].receivable) == (D("1000.00"), D("2333.33"))


# --- replenishment (Art. 17) ----------------------------------------------------------------------
def test_replenishment_line_is_thirty_percent_half_up():
    assert replenishment_line(D("3437.53")) == D("1031.26")  # 1,031.259
    assert replenishment_line(D("0.05")) == D("0.02")  # 0.015 → half-up


def test_needs_replenishment_only_strictly_below_the_line():
    assert not needs_replenishment(D("1031.26"), D("1031.26"))
    assert needs_replenishment(D("1031.25"), D("1031.26"))


def test_amount_to_restore_is_line_minus_balance():
    assert amount_to_restore(D("200.00"), D("1031.26")) == D("831.26")
    assert amount_to_restore(D("2000.00"), D("1031.26")) == D("0.00")
    assert replenishment_of(None, D("0.00")) is None
    assert replenishment_of(D("4000.00"), D("1199.99")).to_restore == D("0.01")


# --- units ------------------------------------------------------------------------------------------
def test_parse_floor_area_refuses_floats_zero_and_a_third_decimal():
    assert parse_floor_area("75.5") == D("75.50")
    for bad in (75.5, "0", "-1", "75.555", "abc", True):
        with pytest.raises(InvalidFloorArea):
            parse_floor_area(bad)


def test_unit_record_registered_validates_where_input_is_parsed():
    record = UnitRecord.registered(unit_id="B1-1-301", kind="flat", floor_area_m2="80.00", building="B1",
                                   stairwell="1", owner=owner("o1"), household_id="H0001")
    assert record.claims == ("household:H0001",)
    # the constructor itself never validates (stored units load as they were recorded)
    assert UnitRecord("bad id!", "flat", D("-1"), "", "", owner("o1")).unit_id == "bad id!"
    with pytest.raises(InvalidUnit):
        UnitRecord.registered(unit_id="S1", kind="shop_front", floor_area_m2="40", building="B1", stairwell="",
                              owner=COLLECTIVE, household_id="H1")
