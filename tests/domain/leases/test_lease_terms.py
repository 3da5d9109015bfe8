"""Lease terms: validation, month arithmetic, rent-free months and escalation (DOMAIN.md §4)."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.leases import errors as rules
from domain.leases.terms import (
    BillingFrequency,
    LeaseTerms,
    check_end_after_start,
    check_escalation_not_negative,
    check_rent_free_months,
    check_rent_positive,
    check_term_at_most_twenty_years,
    check_written_contract_for_six_months_or_more,
    escalated_rent,
    monthly_rent_from_area,
    monthly_rent_in_force,
    rent_free_through,
    rent_steps,
)
from ledger.calendar import anniversary, months_later
from ledger.calendar import months_from_start_last_day as period_last_day
from tests.domain.leases.helpers import terms

lease_starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


# --- Month arithmetic (民法典 Arts. 201–202) ---------------------------------------


# The lease's readings of the calendar (ledger.calendar, whose own tests hold the rest of the cases):
# (function, start, months or years, expected).
LEASE_CALENDAR_CASES = [
    (months_later, date(2024, 3, 15), 2, date(2024, 5, 15)),  # the day of month is kept
    (months_later, date(2024, 11, 30), 3, date(2025, 3, 1)),
    (months_later, date(2024, 12, 1), 1, date(2025, 1, 1)),
    (period_last_day, date(2024, 3, 15), 2, date(2024, 5, 14)),  # the day before the corresponding day
    (period_last_day, date(2024, 3, 1), 1, date(2024, 3, 31)),
    (period_last_day, date(2024, 3, 1), 12, date(2025, 2, 28)),
    # 民法典 Art. 202: no corresponding day → the month's last day ends the period.
    (period_last_day, date(2024, 1, 31), 1, date(2024, 2, 29)),
    (period_last_day, date(2023, 1, 31), 1, date(2023, 2, 28)),
    (period_last_day, date(2023, 1, 30), 1, date(2023, 2, 28)),
    (period_last_day, date(2023, 1, 29), 1, date(2023, 2, 28)),
    (period_last_day, date(2023, 1, 28), 1, date(2023, 2, 27)),
    (period_last_day, date(2024, 3, 31), 1, date(2024, 4, 30)),
    (anniversary, date(2024, 2, 29), 4, date(2028, 2, 29)),  # 29 February → 1 March only in a common year
]


@pytest.mark.parametrize(("count", "start", "months", "expected"), LEASE_CALENDAR_CASES,
                         ids=lambda v: v.__name__ if callable(v) else str(v))
def test_lease_periods_are_counted_by_civil_code_arts_201_202(count, start: date, months: int,
                                                              expected: date) -> None:
    assert count(start, months) == expected


@given(start_on=lease_starts, months=st.integers(min_value=1, max_value=240))
def test_periods_of_months_follow_each_other_without_gap_or_overlap(start_on: date, months: int) -> None:
    last_day = period_last_day(start_on, months)
    assert last_day + timedelta(days=1) == months_later(start_on, months)
    # The period ends on the day before the start's day of month, or at a month end.
    next_day = last_day + timedelta(days=1)
    assert next_day.day == start_on.day or next_day.day == 1
    # Months counted in two steps land where one step does.
    split = months // 2
    assert months_later(months_later(start_on, split), months - split) >= months_later(start_on, months)


# --- Validation -------------------------------------------------------------------


def test_end_after_start_is_required() -> None:
    with pytest.raises(rules.EndNotAfterStart):
        check_end_after_start(date(2024, 3, 15), date(2024, 3, 15))
    with pytest.raises(rules.EndNotAfterStart):
        check_end_after_start(date(2024, 3, 15), date(2024, 3, 14))
    check_end_after_start(date(2024, 3, 15), date(2024, 3, 16))
    with pytest.raises(rules.EndNotAfterStart):
        terms(end_on=date(2024, 3, 1))


def test_term_over_twenty_years_is_rejected() -> None:
    with pytest.raises(rules.TermTooLong) as raised:
        check_term_at_most_twenty_years(date(2024, 3, 15), date(2044, 3, 15))
    assert raised.value.type_slug == "lease-term-too-long"
    assert isinstance(raised.value, rules.LeaseRuleBroken) and isinstance(raised.value, ValueError)
    with pytest.raises(rules.TermTooLong):
        terms(end_on=date(2044, 3, 15))


def test_term_of_exactly_twenty_years_is_accepted() -> None:
    check_term_at_most_twenty_years(date(2024, 3, 15), date(2044, 3, 14))
    assert terms(end_on=date(2044, 3, 14)).end_on == date(2044, 3, 14)


def test_term_of_twenty_years_from_29_february() -> None:
    # 2044 is a leap year: twenty years from 29 Feb 2024 end on 28 Feb 2044.
    check_term_at_most_twenty_years(date(2024, 2, 29), date(2044, 2, 28))
    with pytest.raises(rules.TermTooLong):
        check_term_at_most_twenty_years(date(2024, 2, 29), date(2044, 2, 29))


def test_rent_must_be_positive_with_at_most_two_decimals() -> None:
    assert check_rent_positive("3100.5") == Decimal("3100.50")
    for bad in ("0", "0.00", "-1.00", "3100.005", 3100.0, None, "abc"):
        with pytest.raises(rules.InvalidRent):
            check_rent_positive(bad)
    with pytest.raises(rules.InvalidRent):
        terms(monthly_rent=Decimal("0"))


def test_monthly_rent_from_area_rounds_half_up_to_the_fen() -> None:
    # 35.50 × 86.37 = 3,066.135 → 3,066.14 (half-up, not half-even).
    assert monthly_rent_from_area(Decimal("35.50"), Decimal("86.37")) == Decimal("3066.14")
    lease = terms(monthly_rent=None, rent_per_m2_month=Decimal("35.50"), floor_area_m2=Decimal("86.37"))
    assert lease.monthly_rent == Decimal("3066.14")
    assert (lease.rent_per_m2_month, lease.floor_area_m2) == (Decimal("35.50"), Decimal("86.37"))
    # The area is kept only with a rent per m²; a monthly rent ignores it.
    assert terms(floor_area_m2=Decimal("86.37")).floor_area_m2 is None
    assert replace(lease, end_on=date(2026, 3, 14)).monthly_rent == Decimal("3066.14")
    with pytest.raises(rules.InvalidRent):
        monthly_rent_from_area(Decimal("0"), Decimal("86.37"))
    with pytest.raises(rules.InvalidRent):
        monthly_rent_from_area(Decimal("0.01"), Decimal("0.01"))  # rounds to no rent


def test_rent_basis_must_be_one_and_consistent() -> None:
    with pytest.raises(rules.RentBasisConflict):
        terms(monthly_rent=None)
    with pytest.raises(rules.RentBasisConflict):
        terms(monthly_rent=None, rent_per_m2_month=Decimal("35.50"))
    with pytest.raises(rules.RentBasisConflict):
        terms(rent_per_m2_month=Decimal("35.50"), floor_area_m2=Decimal("86.37"))  # 3,100.00 ≠ 3,066.14


def test_lease_of_six_months_or_more_needs_a_written_contract() -> None:
    six_months_end = date(2024, 9, 14)
    with pytest.raises(rules.WrittenContractRequired) as raised:
        check_written_contract_for_six_months_or_more(date(2024, 3, 15), six_months_end, None)
    assert raised.value.type_slug == "lease-written-contract-required"
    with pytest.raises(rules.WrittenContractRequired):
        check_written_contract_for_six_months_or_more(date(2024, 3, 15), six_months_end, "  ")
    with pytest.raises(rules.WrittenContractRequired):
        terms(contract_reference=None)
    check_written_contract_for_six_months_or_more(date(2024, 3, 15), six_months_end, "合同-2024-017")


def test_lease_under_six_months_needs_no_written_contract() -> None:
    check_written_contract_for_six_months_or_more(date(2024, 3, 15), date(2024, 9, 13), None)
    assert terms(end_on=date(2024, 9, 13), contract_reference=None).contract_reference is None


def test_escalation_must_not_be_negative() -> None:
    assert check_escalation_not_negative(Decimal("0")) == 0
    assert check_escalation_not_negative("2.5") == Decimal("2.5")
    for bad in (Decimal("-0.1"), -1, 5.0, "abc", Decimal("NaN")):
        with pytest.raises(rules.NegativeEscalation):
            check_escalation_not_negative(bad)
    with pytest.raises(rules.NegativeEscalation):
        terms(escalation_percent=Decimal("-1"))


def test_rent_free_months_are_a_whole_number_not_negative() -> None:
    assert check_rent_free_months(0) == 0
    for bad in (-1, 1.0, True, "2"):
        with pytest.raises(rules.InvalidRentFreeMonths):
            check_rent_free_months(bad)


def test_deposit_is_money_not_negative() -> None:
    assert terms(deposit="6200").deposit == Decimal("6200.00")
    for bad in ("-1.00", "1.005", 6200.0):
        with pytest.raises(rules.InvalidDeposit):
            terms(deposit=bad)


def test_billing_frequency_is_monthly_quarterly_or_yearly() -> None:
    assert terms(billing_frequency="quarterly").billing_frequency is BillingFrequency.QUARTERLY
    with pytest.raises(rules.InvalidBillingFrequency):
        terms(billing_frequency="weekly")


# --- Rent-free months -------------------------------------------------------------


def test_rent_free_through_first_n_months_from_start() -> None:
    assert rent_free_through(terms(rent_free_months=2)) == date(2024, 5, 14)
    assert rent_free_through(terms(rent_free_months=12)) == date(2025, 3, 14)


def test_rent_free_through_is_none_without_rent_free_months() -> None:
    assert rent_free_through(terms(rent_free_months=0)) is None


def test_rent_free_through_a_short_month_ends_at_month_end() -> None:
    start_2024 = terms(start_on=date(2024, 1, 31), end_on=date(2025, 1, 30), rent_free_months=1)
    start_2023 = terms(start_on=date(2023, 1, 31), end_on=date(2024, 1, 30), rent_free_months=1)
    assert rent_free_through(start_2024) == date(2024, 2, 29)
    assert rent_free_through(start_2023) == date(2023, 2, 28)


# --- Escalation -------------------------------------------------------------------


def test_escalated_rent_compounds_half_up_to_the_fen() -> None:
    assert escalated_rent(Decimal("3100.00"), Decimal("5")) == Decimal("3255.00")
    assert escalated_rent(Decimal("3255.00"), Decimal("5")) == Decimal("3417.75")
    # 100.10 × 1.05 = 105.105 → 105.11 half-up (half-even would give 105.10).
    assert escalated_rent(Decimal("100.10"), Decimal("5")) == Decimal("105.11")
    assert escalated_rent(Decimal("100.10"), Decimal("0")) == Decimal("100.10")


def test_monthly_rent_in_force_escalates_from_each_anniversary() -> None:
    lease = terms()
    assert monthly_rent_in_force(lease, date(2024, 3, 15)) == Decimal("3100.00")
    assert monthly_rent_in_force(lease, date(2025, 3, 14)) == Decimal("3100.00")
    assert monthly_rent_in_force(lease, date(2025, 3, 15)) == Decimal("3255.00")
    assert monthly_rent_in_force(lease, date(2026, 3, 14)) == Decimal("3255.00")
    # Compounds on the previous year's rounded rent: 3,417.75 × 1.05 = 3,588.6375.
    assert monthly_rent_in_force(lease, date(2026, 3, 15)) == Decimal("3417.75")
    longer = terms(end_on=date(2028, 3, 14))
    assert monthly_rent_in_force(longer, date(2027, 3, 15)) == Decimal("3588.64")


def test_monthly_rent_in_force_from_29_february_escalates_on_1_march() -> None:
    lease = terms(start_on=date(2024, 2, 29), end_on=date(2026, 2, 27))
    assert monthly_rent_in_force(lease, date(2025, 2, 28)) == Decimal("3100.00")
    assert monthly_rent_in_force(lease, date(2025, 3, 1)) == Decimal("3255.00")


def test_monthly_rent_in_force_only_within_the_term() -> None:
    lease = terms()
    with pytest.raises(rules.DayOutsideTerm):
        monthly_rent_in_force(lease, date(2024, 3, 14))
    with pytest.raises(rules.DayOutsideTerm):
        monthly_rent_in_force(lease, date(2027, 3, 15))
    assert monthly_rent_in_force(lease, date(2027, 3, 14)) == Decimal("3417.75")


def test_monthly_rent_in_force_escalates_on_an_anniversary_that_is_the_last_day() -> None:
    lease = terms(end_on=date(2025, 3, 15))
    assert monthly_rent_in_force(lease, date(2025, 3, 15)) == Decimal("3255.00")


def test_rent_steps_start_on_the_start_date_and_each_anniversary_in_term() -> None:
    steps = rent_steps(terms())
    assert [step.from_on for step in steps] == [date(2024, 3, 15), date(2025, 3, 15), date(2026, 3, 15)]
    assert [step.monthly_rent for step in steps] == [Decimal("3100.00"), Decimal("3255.00"), Decimal("3417.75")]


@given(
    start_on=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    years=st.integers(min_value=1, max_value=20),
    escalation_percent=st.decimals(min_value=0, max_value=20, places=2),
    rent_fen=st.integers(min_value=1, max_value=10_000_000),
    offsets=st.lists(st.integers(min_value=0, max_value=7300), min_size=2, max_size=2),
)
def test_monthly_rent_in_force_never_falls(
    start_on: date, years: int, escalation_percent: Decimal, rent_fen: int, offsets: list[int]
) -> None:
    end_on = period_last_day(start_on, 12 * years)
    lease = terms(
        start_on=start_on, end_on=end_on, monthly_rent=Decimal(rent_fen) / 100, escalation_percent=escalation_percent
    )
    earlier, later = sorted(min(start_on + timedelta(days=offset), end_on) for offset in offsets)
    assert monthly_rent_in_force(lease, earlier) <= monthly_rent_in_force(lease, later)
    assert monthly_rent_in_force(lease, start_on) == lease.monthly_rent
    assert len(rent_steps(lease)) == years


# --- Month ends (民法典 Art. 202; DOMAIN.md §4 Terms) ---------------------------------------


@pytest.mark.parametrize(("start_on", "months", "last_day"), [
    (date(2024, 4, 30), 1, date(2024, 5, 29)),  # 30 May exists: the day before it
    (date(2024, 3, 31), 1, date(2024, 4, 30)),  # April has no 31st: its last day
    (date(2025, 1, 29), 1, date(2025, 2, 28)),  # February 2025 has no 29th
    (date(2024, 1, 29), 1, date(2024, 2, 28)),  # February 2024 has one: the day before
    (date(2025, 1, 30), 1, date(2025, 2, 28)),
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2025, 1, 31), 2, date(2025, 3, 30)),  # 31 March exists: the day before it
    (date(2024, 8, 31), 1, date(2024, 9, 30)),
    (date(2024, 12, 31), 2, date(2025, 2, 28)),
    (date(2024, 5, 31), 12, date(2025, 5, 30)),
])
def test_n_months_end_the_day_before_the_start_day_or_on_a_short_months_last_day(
        start_on: date, months: int, last_day: date) -> None:
    """DOMAIN.md §4 Terms: N months from day S end the day before S's day N months later, or on
    that month's last day where it has no such day (start 31 Jan, N = 1 → the last day of February)."""
    lease = terms(start_on=start_on, end_on=date(start_on.year + 3, 1, 1), rent_free_months=months)
    assert rent_free_through(lease) == last_day


def test_a_lease_year_from_29_february_ends_on_28_february_and_escalates_on_1_march() -> None:
    lease = terms(start_on=date(2024, 2, 29), end_on=date(2027, 2, 27))
    assert period_last_day(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert [step.from_on for step in rent_steps(lease)] == [date(2024, 2, 29), date(2025, 3, 1), date(2026, 3, 1)]


def test_the_twenty_year_limit_and_the_six_months_count_from_a_month_end() -> None:
    # Twenty years from 31 Aug 2024 end on 30 Aug 2044 (31 Aug exists); six months from
    # 31 Mar 2024 end on 30 Sep 2024 (September has no 31st).
    check_term_at_most_twenty_years(date(2024, 8, 31), date(2044, 8, 30))
    with pytest.raises(rules.TermTooLong):
        check_term_at_most_twenty_years(date(2024, 8, 31), date(2044, 8, 31))
    check_written_contract_for_six_months_or_more(date(2024, 3, 31), date(2024, 9, 29), None)
    with pytest.raises(rules.WrittenContractRequired):
        check_written_contract_for_six_months_or_more(date(2024, 3, 31), date(2024, 9, 30), None)


# --- Rules run when terms are agreed, never when history is read ------------------------------


def test_terms_read_back_from_history_are_not_checked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 7: the constructor (the store's decoder calls it) checks nothing; ``agreed`` checks every rule."""
    agreed = terms(end_on=date(2027, 3, 14))
    monkeypatch.setattr("domain.leases.terms.TERM_LIMIT_MONTHS", 12)
    with pytest.raises(rules.TermTooLong):
        terms(end_on=date(2027, 3, 14))
    fields = {name: getattr(agreed, name) for name in agreed.__dataclass_fields__}
    assert LeaseTerms(**fields) == agreed  # what the decoder does
    assert monthly_rent_in_force(agreed, date(2026, 3, 15)) == Decimal("3417.75")
