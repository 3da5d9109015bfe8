"""DOMAIN.md §5: the day-by-day ratio and the monthly figures, checked to the fen."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.subsidies.errors import FeeStandardNotConfigured
from domain.subsidies.policy import (
    DEFAULT_POLICY,
    FeeStandard,
    PolicyVersion,
    fee_standard_on,
    policy_on,
)
from domain.subsidies.schedule import (
    AreaFrom,
    HouseholdTerms,
    MoveInFrom,
    household_share,
    month_figures,
    occupied_on,
    schedule_months,
    subsidy_last_day,
    subsidy_percent_on,
)
from ledger.calendar import month_first_day, month_last_day, month_of
from ledger.money import round_half_up_to_fen

D = Decimal
WORKED_MOVE_IN = date(2019, 6, 20)


def terms(moved_in_on: date = WORKED_MOVE_IN, area: str = "80", building_type: str = "mid_rise",
          moved_out_on: date | None = None, areas: tuple[AreaFrom, ...] = (),
          move_ins: tuple[MoveInFrom, ...] = ()) -> HouseholdTerms:
    return HouseholdTerms(building_type, (AreaFrom(date.min, D(area)), *areas),
                          (MoveInFrom(date.min, moved_in_on), *move_ins), moved_out_on)


def figures(month: str, household: HouseholdTerms | None = None, standards=(), policies=()) -> tuple[str, str, str]:
    result = month_figures(month, household or terms(), standards, policies)
    assert result.subsidy + result.household_share == result.fee
    return str(result.fee), str(result.subsidy), str(result.household_share)


def extension(until: date | None = None, transition_end: date | None = None, **kwargs) -> PolicyVersion:
    return PolicyVersion.adopted(1, date(2019, 1, 1), extension_granted=True, extension_until=until,
                                 transition_end=transition_end, **kwargs)


# --- DOMAIN.md §5 worked example ------------------------------------------------------------------
def test_month_figures_worked_example_june_2019_move_in_month():
    assert figures("2019-06") == ("26.40", "26.40", "0.00")


def test_month_figures_worked_example_june_2022_third_anniversary_mid_month():
    assert figures("2022-06") == ("72.00", "60.00", "12.00")


def test_month_figures_worked_example_june_2024_fifth_anniversary_mid_month():
    assert figures("2024-06") == ("72.00", "24.00", "48.00")


def test_month_figures_worked_example_june_2024_with_extension():
    assert figures("2024-06", policies=(extension(),)) == ("72.00", "36.00", "36.00")


def test_month_figures_worked_example_january_2026_after_transition():
    assert figures("2026-01") == ("72.00", "0.00", "72.00")
    assert figures("2026-01", policies=(extension(),)) == ("72.00", "0.00", "72.00")


def test_month_figures_lists_ratios_with_their_days_and_policy_version():
    result = month_figures("2022-06", terms(), (), ())
    assert [(str(r.percent), r.days, r.policy_version) for r in result.ratios] == [("100", 20, 0), ("50", 10, 0)]
    assert result.occupied_days == 30 and result.days_in_month == 30


# --- the rules one by one ---------------------------------------------------------------------------
def test_occupied_on_counts_move_in_and_move_out_days():
    assert occupied_on(date(2019, 6, 20), date(2019, 6, 20), None)
    assert not occupied_on(date(2019, 6, 19), date(2019, 6, 20), None)
    assert occupied_on(date(2023, 3, 10), date(2019, 6, 20), date(2023, 3, 10))
    assert not occupied_on(date(2023, 3, 11), date(2019, 6, 20), date(2023, 3, 10))


def test_subsidy_percent_on_counts_years_by_civil_code_201_202():
    assert subsidy_percent_on(date(2019, 6, 20), WORKED_MOVE_IN, DEFAULT_POLICY) == 100
    assert subsidy_percent_on(date(2022, 6, 20), WORKED_MOVE_IN, DEFAULT_POLICY) == 100
    assert subsidy_percent_on(date(2022, 6, 21), WORKED_MOVE_IN, DEFAULT_POLICY) == 50
    assert subsidy_percent_on(date(2024, 6, 20), WORKED_MOVE_IN, DEFAULT_POLICY) == 50
    assert subsidy_percent_on(date(2024, 6, 21), WORKED_MOVE_IN, DEFAULT_POLICY) == 0
    assert subsidy_percent_on(date(2019, 6, 19), WORKED_MOVE_IN, DEFAULT_POLICY) == 0


def test_subsidy_percent_on_leap_day_move_in_ends_on_28_february():
    leap = date(2016, 2, 29)
    assert subsidy_percent_on(date(2019, 2, 28), leap, DEFAULT_POLICY) == 100
    assert subsidy_percent_on(date(2019, 3, 1), leap, DEFAULT_POLICY) == 50
    assert subsidy_percent_on(date(2021, 2, 28), leap, DEFAULT_POLICY) == 50
    assert subsidy_percent_on(date(2021, 3, 1), leap, DEFAULT_POLICY) == 0


def test_subsidy_percent_on_extension_continues_partial_ratio_to_its_date():
    policy = extension(until=date(2025, 6, 15))
    assert subsidy_percent_on(date(2025, 6, 15), WORKED_MOVE_IN, policy) == 50
    assert subsidy_percent_on(date(2025, 6, 16), WORKED_MOVE_IN, policy) == 0


def test_subsidy_percent_on_transition_end_overrides_extension():
    policy = extension(until=date(2026, 6, 30), transition_end=date(2025, 12, 31))
    assert subsidy_percent_on(date(2025, 12, 31), WORKED_MOVE_IN, policy) == 50
    assert subsidy_percent_on(date(2026, 1, 1), WORKED_MOVE_IN, policy) == 0
    early_end = PolicyVersion.adopted(1, date(2019, 1, 1), transition_end=date(2021, 1, 31))
    assert subsidy_percent_on(date(2021, 2, 1), WORKED_MOVE_IN, early_end) == 0  # inside the full window


def test_subsidy_last_day():
    assert subsidy_last_day(WORKED_MOVE_IN, DEFAULT_POLICY) == date(2024, 6, 20)
    assert subsidy_last_day(WORKED_MOVE_IN, extension()) == date(2025, 12, 31)
    assert subsidy_last_day(WORKED_MOVE_IN, extension(until=date(2027, 1, 1))) == date(2025, 12, 31)
    assert subsidy_last_day(date(2016, 2, 29), DEFAULT_POLICY) == date(2021, 2, 28)


def test_household_share_is_fee_minus_subsidy():
    assert household_share(D("23.23"), D("11.61")) == D("11.62")


def test_fee_standard_on_defaults_by_building_type():
    assert fee_standard_on((), "low_rise", date(2020, 1, 1)) == D("0.60")
    assert fee_standard_on((), "mid_rise", date(2020, 1, 1)) == D("0.90")


def test_fee_standard_on_high_rise_has_no_default():
    with pytest.raises(FeeStandardNotConfigured):
        fee_standard_on((), "high_rise", date(2020, 1, 1))
    configured = (FeeStandard.configured("high_rise", date(2020, 1, 1), "1.20"),)
    assert fee_standard_on(configured, "high_rise", date(2020, 1, 1)) == D("1.20")
    with pytest.raises(FeeStandardNotConfigured):
        fee_standard_on(configured, "high_rise", date(2019, 12, 31))


def test_fee_standard_on_is_effective_dated():
    standards = (FeeStandard.configured("mid_rise", date(2023, 7, 16), "1.00"),)
    assert fee_standard_on(standards, "mid_rise", date(2023, 7, 15)) == D("0.90")
    assert fee_standard_on(standards, "mid_rise", date(2023, 7, 16)) == D("1.00")


def test_policy_on_takes_latest_version_effective_that_day():
    v1 = PolicyVersion.adopted(1, date(2020, 1, 1))
    v2 = PolicyVersion.adopted(2, date(2023, 5, 11), partial_percent="40")
    assert policy_on((v1, v2), date(2019, 12, 31)) is DEFAULT_POLICY
    assert policy_on((v1, v2), date(2023, 5, 10)) == v1
    assert policy_on((v1, v2), date(2023, 5, 11)) == v2


# --- hand-checked boundaries ---------------------------------------------------------------------
def test_month_figures_move_in_on_the_31st():
    household = terms(date(2019, 1, 31), area="60", building_type="low_rise")
    assert figures("2019-01", household) == ("1.16", "1.16", "0.00")
    assert figures("2022-01", household) == ("36.00", "36.00", "0.00")  # full through 2022-01-31
    assert figures("2022-02", household) == ("36.00", "18.00", "18.00")
    assert figures("2024-01", household) == ("36.00", "18.00", "18.00")  # partial through 2024-01-31
    assert figures("2024-02", household) == ("36.00", "0.00", "36.00")


def test_month_figures_move_in_on_29_february():
    household = terms(date(2016, 2, 29), area="60", building_type="low_rise")
    assert figures("2016-02", household) == ("1.24", "1.24", "0.00")  # 1 of 29 days
    assert figures("2019-02", household) == ("36.00", "36.00", "0.00")  # full through 2019-02-28
    assert figures("2019-03", household) == ("36.00", "18.00", "18.00")
    assert figures("2021-02", household) == ("36.00", "18.00", "18.00")
    assert figures("2021-03", household) == ("36.00", "0.00", "36.00")


def test_month_figures_move_out_mid_month_rounds_once():
    household = terms(moved_out_on=date(2023, 3, 10))
    assert figures("2023-03", household) == ("23.23", "11.61", "11.62")
    assert figures("2023-04", household) == ("0.00", "0.00", "0.00")


def test_month_figures_partial_ratio_other_than_fifty_percent():
    forty = (PolicyVersion.adopted(1, date(2019, 1, 1), partial_percent="40"),)
    assert figures("2022-06", policies=forty) == ("72.00", "57.60", "14.40")
    thirty = (PolicyVersion.adopted(1, date(2019, 1, 1), partial_percent="30"),)
    assert figures("2022-06", policies=thirty) == ("72.00", "55.20", "16.80")


def test_month_figures_extension_date_mid_month():
    assert figures("2025-06", policies=(extension(until=date(2025, 6, 15)),)) == ("72.00", "18.00", "54.00")


def test_month_figures_transition_end_mid_month():
    policy = extension(transition_end=date(2025, 9, 15))
    assert figures("2025-09", policies=(policy,)) == ("72.00", "18.00", "54.00")


def test_month_figures_floor_area_corrected_mid_month():
    household = terms(areas=(AreaFrom(date(2024, 3, 16), D("81.5")),))
    assert figures("2024-03", household) == ("72.70", "36.35", "36.35")


def test_month_figures_policy_version_mid_month():
    v2 = PolicyVersion.adopted(2, date(2023, 5, 11), partial_percent="40")
    result = month_figures("2023-05", terms(), (), (v2,))
    assert (str(result.fee), str(result.subsidy), str(result.household_share)) == ("72.00", "31.12", "40.88")
    assert [(str(r.percent), r.days, r.policy_version) for r in result.ratios] == [("50", 10, 0), ("40", 21, 2)]


def test_month_figures_fee_standard_changes_mid_month():
    standards = (FeeStandard.configured("mid_rise", date(2023, 7, 16), "1.00"),)
    assert figures("2023-07", standards=standards) == ("76.13", "38.06", "38.07")


def test_month_figures_high_rise_without_standard_is_refused():
    with pytest.raises(FeeStandardNotConfigured):
        month_figures("2024-01", terms(building_type="high_rise"), (), ())


def test_month_figures_move_in_corrected_later():
    household = terms(move_ins=(MoveInFrom(date(2019, 6, 1), date(2019, 6, 25)),))
    assert figures("2019-06", household) == ("14.40", "14.40", "0.00")  # 6 of 30 days


def test_schedule_months_run_from_move_in_to_the_end_of_the_subsidy():
    months = schedule_months(terms(), ())
    assert months[0] == "2019-06" and months[-1] == "2024-06"
    assert schedule_months(terms(), (extension(),))[-1] == "2025-12"
    assert schedule_months(terms(), (), through="2026-03")[-1] == "2026-03"


# --- properties -------------------------------------------------------------------------------------
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2027, 12, 31))
areas = st.decimals(min_value=D("10"), max_value=D("300"), places=2)
percents = st.decimals(min_value=D("0"), max_value=D("100"), places=2)


def _day_by_day(month: str, household: HouseholdTerms, standards, policies) -> tuple[Decimal, Decimal]:
    """The definition itself, one day at a time (the implementation cuts the month into runs)."""
    first, last = month_first_day(month), month_last_day(month)
    fee_sum = subsidy_sum = D(0)
    day = first
    while day <= last:
        moved_in_on = household.moved_in_on(day)
        if occupied_on(day, moved_in_on, household.moved_out_on):
            monthly = fee_standard_on(standards, household.building_type, day) * household.area_on(day)
            fee_sum += monthly
            subsidy_sum += monthly * subsidy_percent_on(day, moved_in_on, policy_on(policies, day)) / 100
        day += timedelta(days=1)
    return round_half_up_to_fen(fee_sum / last.day), round_half_up_to_fen(subsidy_sum / last.day)


@settings(max_examples=300, deadline=None)
@given(moved_in_on=days, month_day=days, area=areas, corrected=areas, corrected_on=days, percent=percents,
       version_on=days, standard_on=days, moved_out=st.one_of(st.none(), days), extended=st.booleans(),
       extension_until=days, transition_end=days)
def test_month_figures_equal_the_day_by_day_definition(moved_in_on, month_day, area, corrected, corrected_on, percent,
                                                       version_on, standard_on, moved_out, extended, extension_until,
                                                       transition_end):
    if moved_out is not None and moved_out < moved_in_on:
        moved_in_on, moved_out = moved_out, moved_in_on
    household = terms(moved_in_on, str(area), moved_out_on=moved_out, areas=(AreaFrom(corrected_on, corrected),))
    policies = (PolicyVersion.adopted(1, version_on, partial_percent=percent, extension_granted=extended,
                                      extension_until=extension_until, transition_end=transition_end),)
    standards = (FeeStandard.configured("mid_rise", standard_on, "1.15"),)
    month = month_of(month_day)
    result = month_figures(month, household, standards, policies)
    assert (result.fee, result.subsidy) == _day_by_day(month, household, standards, policies)
    assert result.subsidy <= result.fee
    assert result.household_share >= 0
    assert result.subsidy + result.household_share == result.fee
    assert sum(r.days for r in result.ratios) == result.occupied_days


@settings(max_examples=200, deadline=None)
@given(moved_in_on=st.dates(min_value=date(2016, 1, 1), max_value=date(2019, 6, 30)), area=areas,
       year=st.integers(min_value=2020, max_value=2027))
def test_month_figures_full_months_sum_exactly(moved_in_on, area, year):
    """A wholly occupied month at one standard and area bills standard × area, every month alike."""
    household = terms(moved_in_on, str(area))
    monthly = round_half_up_to_fen(D("0.90") * area)
    results = [month_figures(f"{year}-{m:02d}", household, (), ()) for m in range(1, 13)]
    assert all(r.fee == monthly for r in results)
    assert sum((r.fee for r in results), D(0)) == 12 * monthly
    assert all(r.subsidy + r.household_share == r.fee for r in results)
