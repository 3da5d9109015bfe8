"""DOMAIN.md §5 register, policy, programme, claim and settlement rules (pure, in memory)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.subsidies.billing import correction_adjustment, plan_household_bill
from domain.subsidies.claim import claim_lines, claim_months
from domain.subsidies.errors import (
    FeeStandardOutOfOrder,
    InvalidBuilding,
    InvalidClaimPeriod,
    InvalidFeeStandard,
    InvalidFloorArea,
    InvalidHouseholdCounts,
    InvalidSubsidyPolicy,
    MoveOutBeforeMoveIn,
    PolicyVersionOverlaps,
    ReceiptExceedsAmountOwed,
)
from domain.subsidies.household import (
    CountsFrom,
    Household,
    check_moved_in_before_moved_out,
    floor_area,
)
from domain.subsidies.policy import (
    FeeStandard,
    FeeStandards,
    PolicyVersion,
    SubsidyPolicy,
    building_type_of,
    in_force_on,
)
from domain.subsidies.programmes import programme_premiums
from domain.subsidies.receipt import SettledCharge, settle_oldest_first
from domain.subsidies.schedule import AreaFrom, HouseholdTerms, MoveInFrom
from ledger.audit import Audit

D = Decimal
AUDIT = Audit("acc", "accountant", "test")


def household(moved_in_on: date = date(2019, 6, 20), area: str = "80", billing_from: str = "2019-06") -> Household:
    return Household(audit=AUDIT, book_code="b1", household_id="H1", building_code="B1", building_type="mid_rise",
                     flat_number="1-101", floor_area_m2=D(area), moved_in_on=moved_in_on, head=None,
                     counts=CountsFrom(moved_in_on, 4, 2), billing_from_month=billing_from)


def test_floor_area_keeps_its_precision():
    assert str(floor_area("80.5")) == "80.5"
    assert str(floor_area("80.25")) == "80.25"
    assert floor_area(75) == D(75)


@pytest.mark.parametrize("bad", ["0", "-1.00", "80.255", "abc", 80.5, "1e2", "10000.01", " 80"])
def test_floor_area_rejects_non_positive_or_over_precise(bad):
    with pytest.raises(InvalidFloorArea):
        floor_area(bad)


def test_check_moved_in_before_moved_out():
    check_moved_in_before_moved_out(date(2019, 6, 20), date(2019, 6, 20))
    with pytest.raises(MoveOutBeforeMoveIn):
        check_moved_in_before_moved_out(date(2019, 6, 20), date(2019, 6, 19))


def test_building_type_of_storeys():
    assert [building_type_of(n) for n in (1, 5, 6, 9, 10, 33)] == [
        "low_rise", "low_rise", "mid_rise", "mid_rise", "high_rise", "high_rise"]
    with pytest.raises(InvalidBuilding):
        building_type_of(0)


def test_fee_standard_configured_validates_input():
    with pytest.raises(InvalidFeeStandard):
        FeeStandard.configured("mid_rise", date(2024, 1, 1), "0")
    with pytest.raises(InvalidFeeStandard):
        FeeStandard.configured("tower", date(2024, 1, 1), "1.00")
    with pytest.raises(InvalidFeeStandard):
        FeeStandard.configured("mid_rise", date(2024, 1, 1), "0.123456")


def test_fee_standards_are_set_in_date_order():
    standards = FeeStandards(audit=AUDIT, book_code="b1")
    standards.set_standard(AUDIT, FeeStandard.configured("mid_rise", date(2024, 1, 1), "1.00"))
    standards.set_standard(AUDIT, FeeStandard.configured("low_rise", date(2023, 1, 1), "0.70"))
    with pytest.raises(FeeStandardOutOfOrder):
        standards.set_standard(AUDIT, FeeStandard.configured("mid_rise", date(2024, 1, 1), "1.10"))


def test_policy_version_adopted_validates_input():
    version = PolicyVersion.adopted(1, date(2024, 1, 1))
    assert (version.full_years, version.partial_through_years, version.partial_percent) == (3, 5, D(50))
    assert version.extension_until == date(2025, 12, 31) and version.transition_end == date(2025, 12, 31)
    for bad in ({"partial_percent": "101"}, {"partial_percent": "50.001"}, {"full_years": 6},
                {"partial_through_years": -1}, {"partial_percent": 0.5}):
        with pytest.raises(InvalidSubsidyPolicy):
            PolicyVersion.adopted(1, date(2024, 1, 1), **bad)


def test_policy_versions_do_not_overlap():
    policy = SubsidyPolicy(audit=AUDIT, book_code="b1")
    policy.adopt(AUDIT, PolicyVersion.adopted(policy.next_version, date(2024, 1, 1)))
    with pytest.raises(PolicyVersionOverlaps):
        policy.adopt(AUDIT, PolicyVersion.adopted(policy.next_version, date(2024, 1, 1)))
    policy.adopt(AUDIT, PolicyVersion.adopted(policy.next_version, date(2024, 1, 2)))
    assert [v.version for v in policy.versions] == [1, 2]


def test_in_force_on():
    registered, corrected = AreaFrom(date.min, D("80")), AreaFrom(date(2023, 3, 1), D("82.5"))
    assert in_force_on((), date(2023, 3, 1)) is None
    assert in_force_on((registered, corrected), date(2023, 2, 28)) == registered
    assert in_force_on((registered, corrected), date(2023, 3, 1)) == corrected  # from its effective date on
    assert in_force_on((corrected, registered), date(2024, 1, 1)) == corrected  # the latest date, not the last listed
    again = AreaFrom(date(2023, 3, 1), D("83"))
    assert in_force_on((registered, corrected, again), date(2023, 3, 1)) == again  # one date twice: the later recorded
    assert in_force_on((corrected,), date(2023, 2, 28)) is None


def test_counts_from_counted_validates():
    assert CountsFrom.counted(date(2024, 1, 1), 4, 2) == CountsFrom(date(2024, 1, 1), 4, 2)
    with pytest.raises(InvalidHouseholdCounts):
        CountsFrom.counted(date(2024, 1, 1), 2, 3)
    with pytest.raises(InvalidHouseholdCounts):
        CountsFrom.counted(date(2024, 1, 1), -1, 0)


def test_programme_premiums_prorated_by_days_of_the_year():
    counts = (CountsFrom(date(2023, 1, 1), 4, 2),)
    full = programme_premiums(counts, 2023)
    assert (str(full.housing_insurance), str(full.employment_insurance)) == ("80.00", "60.00")
    changed = (CountsFrom(date(2023, 1, 1), 4, 2), CountsFrom(date(2024, 3, 1), 5, 1))
    leap = programme_premiums(changed, 2024)  # 60 days at 4/2, 306 days at 5/1, of 366
    assert leap.person_days == 4 * 60 + 5 * 306
    assert (str(leap.housing_insurance), str(leap.employment_insurance)) == ("96.72", "34.92")


def test_programme_premiums_start_at_the_count_date_and_stop_after_move_out():
    counts = (CountsFrom(date(2023, 7, 1), 3, 1),)
    year = programme_premiums(counts, 2023, moved_out_on=date(2023, 9, 30))  # 92 days
    assert year.person_days == 3 * 92
    assert (str(year.housing_insurance), str(year.employment_insurance)) == ("15.12", "7.56")


def test_claim_months_of_a_month_or_a_quarter():
    assert claim_months("2024-06") == ("2024-06",)
    assert claim_months("2024-Q2") == ("2024-04", "2024-05", "2024-06")
    for bad in ("2024-13", "2024-Q5", "2024Q1", "Q1"):
        with pytest.raises(InvalidClaimPeriod):
            claim_months(bad)


def test_claim_lines_sum_three_months_and_keep_zero_households():
    lines = claim_lines([{"H1": D("60.00"), "H2": D("0.00")}, {"H1": D("36.00"), "H2": D("0.00")},
                         {"H1": D("-1.50"), "H3": D("10.00")}])
    assert [(l.household_id, str(l.amount)) for l in lines] == [("H1", "94.50"), ("H2", "0.00"), ("H3", "10.00")]


def test_settle_oldest_first_after_credits_and_earlier_receipts():
    charges = [("2024-01", D("12.00")), ("2024-02", D("12.00")), ("2024-03", D("-2.00")), ("2024-04", D("12.00"))]
    assert settle_oldest_first(charges, D("5.00"), D("10.00")) == (
        SettledCharge("2024-01", D("5.00")), SettledCharge("2024-02", D("5.00")))
    with pytest.raises(ReceiptExceedsAmountOwed):
        settle_oldest_first(charges, D("5.00"), D("29.01"))


def _bill_through(h: Household, month: str, standards=(), policies=()) -> None:
    bill = plan_household_bill(h, month, standards, policies)
    h.bill(AUDIT, month, date(2024, 1, 1), bill.months, bill.adjustments, "记-x")


def test_plan_household_bill_bills_each_unbilled_month_once():
    h = household(billing_from="2022-05")
    _bill_through(h, "2022-06")
    assert sorted(h.billed) == ["2022-05", "2022-06"]
    assert plan_household_bill(h, "2022-06", (), ()).months == ()
    assert [m.figures.month for m in plan_household_bill(h, "2022-08", (), ()).months] == ["2022-07", "2022-08"]


def test_correction_adjustment_recomputes_billed_months_with_their_own_policy():
    h = household(billing_from="2024-05")
    _bill_through(h, "2024-06")  # default policy: May 36.00, June 24.00 subsidy
    later = (PolicyVersion.adopted(1, date(2024, 1, 1), extension_granted=True),)  # adopted after billing
    corrected = HouseholdTerms("mid_rise", (*h.areas, AreaFrom(date(2024, 6, 1), D("90"))), h.move_ins)
    adjustment = correction_adjustment(h, corrected, date(2024, 6, 1), "floor_area", (), later)
    # June recomputed at 90 m² with the policy known when billed (no extension): fee 81.00, subsidy 27.00
    assert [(d.month, str(d.fee), str(d.subsidy)) for d in adjustment.months] == [("2024-06", "9.00", "3.00")]
    assert (str(adjustment.fee), str(adjustment.subsidy), str(adjustment.household_share)) == ("9.00", "3.00", "6.00")


def test_correction_adjustment_goes_into_the_next_run_once():
    h = household(billing_from="2024-05")
    _bill_through(h, "2024-06")
    corrected = HouseholdTerms("mid_rise", h.areas, (*h.move_ins, MoveInFrom(date(2019, 6, 1), date(2019, 7, 1))))
    adjustment = correction_adjustment(h, corrected, date(2019, 6, 1), "move_in", (), ())
    h.correct_move_in(AUDIT, MoveInFrom(date(2019, 6, 1), date(2019, 7, 1)), adjustment)
    # moved in 2019-07-01: the 5th anniversary is 2024-07-01, so all of June 2024 is at 50 %
    assert (str(adjustment.subsidy), str(adjustment.household_share)) == ("12.00", "-12.00")
    bill = plan_household_bill(h, "2024-07", (), ())
    # July: 1 day at 50 % (the 5th anniversary) → share 72.00 − 1.16 = 70.84, plus the −12.00 line
    assert bill.adjustments == (adjustment,) and str(bill.household_share) == "58.84"
    h.bill(AUDIT, "2024-07", date(2024, 7, 1), bill.months, bill.adjustments, "记-y")
    assert h.pending == () and plan_household_bill(h, "2024-08", (), ()).adjustments == ()
    assert correction_adjustment(h, h.terms(), date(2019, 6, 1), "move_in", (), ()) is None
