"""Billing periods and invoice lines of a lease (DOMAIN.md §4 Lease, Accrual, Terms, Termination)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.leases.errors import PeriodEndsBeforeStart
from domain.leases.invoice import (
    BillingPeriod,
    invoice_amount,
    invoice_lines,
    prorated_rent,
)
from domain.leases.terms import BillingFrequency, rent_free_through
from ledger.calendar import months_from_start_last_day as period_last_day
from tests.domain.leases.helpers import periods_due, reference_billing_periods, terms

# --- Billing periods --------------------------------------------------------------


def test_billing_periods_monthly_align_to_calendar_months_clipped_to_the_term() -> None:
    periods = periods_due(terms())
    assert periods[0] == BillingPeriod(date(2024, 3, 15), date(2024, 3, 31), due_on=date(2024, 3, 15))
    assert periods[1] == BillingPeriod(date(2024, 4, 1), date(2024, 4, 30), due_on=date(2024, 4, 1))
    assert periods[-1] == BillingPeriod(date(2027, 3, 1), date(2027, 3, 14), due_on=date(2027, 3, 1))
    assert len(periods) == 37


def test_billing_periods_quarterly_align_to_calendar_quarters() -> None:
    periods = periods_due(terms(billing_frequency=BillingFrequency.QUARTERLY))
    assert [(p.period_start, p.period_end) for p in periods[:3]] == [
        (date(2024, 3, 15), date(2024, 3, 31)),
        (date(2024, 4, 1), date(2024, 6, 30)),
        (date(2024, 7, 1), date(2024, 9, 30)),
    ]
    assert periods[-1] == BillingPeriod(date(2027, 1, 1), date(2027, 3, 14), due_on=date(2027, 1, 1))


def test_billing_periods_yearly_align_to_calendar_years() -> None:
    periods = periods_due(terms(billing_frequency=BillingFrequency.YEARLY))
    assert [(p.period_start, p.period_end, p.due_on) for p in periods] == [
        (date(2024, 3, 15), date(2024, 12, 31), date(2024, 3, 15)),
        (date(2025, 1, 1), date(2025, 12, 31), date(2025, 1, 1)),
        (date(2026, 1, 1), date(2026, 12, 31), date(2026, 1, 1)),
        (date(2027, 1, 1), date(2027, 3, 14), date(2027, 1, 1)),
    ]


def test_billing_periods_stop_after_early_termination() -> None:
    periods = periods_due(terms(billing_frequency=BillingFrequency.QUARTERLY), stop_after=date(2024, 8, 10))
    assert periods[-1] == BillingPeriod(date(2024, 7, 1), date(2024, 8, 10), due_on=date(2024, 7, 1))
    assert len(periods) == 3


frequencies = st.sampled_from(list(BillingFrequency))
lease_starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@given(start_on=lease_starts, months=st.integers(min_value=1, max_value=240), frequency=frequencies)
def test_billing_periods_partition_the_term(start_on: date, months: int, frequency: BillingFrequency) -> None:
    lease = terms(start_on=start_on, end_on=period_last_day(start_on, months), billing_frequency=frequency)
    periods = periods_due(lease)
    assert periods == reference_billing_periods(lease)
    assert periods[0].period_start == lease.start_on
    assert periods[-1].period_end == lease.end_on
    for period, following in zip(periods, periods[1:]):
        assert following.period_start == period.period_end + timedelta(days=1)
    for period in periods:
        assert period.due_on == period.period_start <= period.period_end
        if frequency is not BillingFrequency.YEARLY:  # months and quarters never cross a year
            assert period.period_start.year == period.period_end.year


# --- Prorating and invoice lines --------------------------------------------------


def test_prorated_rent_by_days_of_the_calendar_month_half_up() -> None:
    assert prorated_rent(Decimal("3100.00"), 14, 31) == Decimal("1400.00")
    assert prorated_rent(Decimal("3100.00"), 1, 30) == Decimal("103.33")
    assert prorated_rent(Decimal("3100.00"), 31, 31) == Decimal("3100.00")
    # 3.50 × 1 ÷ 28 = 0.125 → 0.13 half-up (half-even would give 0.12).
    assert prorated_rent(Decimal("3.50"), 1, 28) == Decimal("0.13")


def test_invoice_lines_split_a_month_by_the_rent_in_force() -> None:
    lines = invoice_lines(terms(), date(2025, 3, 1), date(2025, 3, 31))
    assert [(line.days, line.days_in_month, line.monthly_rent, line.amount) for line in lines] == [
        (14, 31, Decimal("3100.00"), Decimal("1400.00")),
        (17, 31, Decimal("3255.00"), Decimal("1785.00")),
    ]
    assert (lines[0].first_day, lines[0].last_day) == (date(2025, 3, 1), date(2025, 3, 14))
    assert (lines[1].first_day, lines[1].last_day) == (date(2025, 3, 15), date(2025, 3, 31))
    assert all(line.month_start == date(2025, 3, 1) for line in lines)
    assert invoice_amount(lines) == Decimal("3185.00")


def test_invoice_lines_full_month_is_exactly_the_monthly_rent() -> None:
    lines = invoice_lines(terms(), date(2024, 4, 1), date(2024, 4, 30))
    assert len(lines) == 1
    assert (lines[0].days, lines[0].amount) == (30, Decimal("3100.00"))


def test_invoice_lines_prorate_the_first_partial_month() -> None:
    # 2024-03-15 to 2024-03-31: 17 of 31 days → 3,100.00 × 17 ÷ 31 = 1,700.00.
    lines = invoice_lines(terms(), date(2024, 3, 15), date(2024, 3, 31))
    assert [(line.days, line.amount) for line in lines] == [(17, Decimal("1700.00"))]


def test_invoice_lines_exclude_rent_free_days() -> None:
    lease = terms(rent_free_months=2)  # free through 2024-05-14
    assert invoice_lines(lease, date(2024, 4, 1), date(2024, 4, 30)) == []
    may = invoice_lines(lease, date(2024, 5, 1), date(2024, 5, 31))
    assert [(line.first_day, line.days, line.amount) for line in may] == [(date(2024, 5, 15), 17, Decimal("1700.00"))]
    quarter = invoice_lines(lease, date(2024, 4, 1), date(2024, 6, 30))
    assert invoice_amount(quarter) == Decimal("4800.00")  # 1,700.00 + 3,100.00


def test_invoice_lines_one_line_per_month_and_rent_across_a_quarter() -> None:
    quarter = invoice_lines(terms(), date(2025, 1, 1), date(2025, 3, 31))
    assert [(line.month_start, line.monthly_rent, line.amount) for line in quarter] == [
        (date(2025, 1, 1), Decimal("3100.00"), Decimal("3100.00")),
        (date(2025, 2, 1), Decimal("3100.00"), Decimal("3100.00")),
        (date(2025, 3, 1), Decimal("3100.00"), Decimal("1400.00")),
        (date(2025, 3, 1), Decimal("3255.00"), Decimal("1785.00")),
    ]
    assert invoice_amount(quarter) == Decimal("9385.00")


def test_invoice_lines_without_escalation_keep_a_month_whole_across_the_anniversary() -> None:
    lines = invoice_lines(terms(escalation_percent=Decimal("0")), date(2025, 3, 1), date(2025, 3, 31))
    assert [(line.days, line.amount) for line in lines] == [(31, Decimal("3100.00"))]


def test_invoice_lines_stop_after_early_termination_inclusive() -> None:
    lines = invoice_lines(terms(), date(2024, 4, 1), date(2024, 4, 30), stop_after=date(2024, 4, 10))
    assert [(line.last_day, line.days, line.amount) for line in lines] == [(date(2024, 4, 10), 10, Decimal("1033.33"))]
    assert invoice_lines(terms(), date(2024, 5, 1), date(2024, 5, 31), stop_after=date(2024, 4, 10)) == []


def test_invoice_lines_are_clipped_to_the_term() -> None:
    lines = invoice_lines(terms(), date(2024, 3, 1), date(2024, 3, 31))
    assert [(line.first_day, line.days) for line in lines] == [(date(2024, 3, 15), 17)]
    last = invoice_lines(terms(), date(2027, 3, 1), date(2027, 3, 31))
    assert [(line.last_day, line.days) for line in last] == [(date(2027, 3, 14), 14)]
    assert invoice_lines(terms(), date(2030, 1, 1), date(2030, 1, 31)) == []


def test_invoice_period_must_not_end_before_it_starts() -> None:
    with pytest.raises(PeriodEndsBeforeStart):
        invoice_lines(terms(), date(2024, 5, 1), date(2024, 4, 30))


def test_invoice_amount_is_the_sum_of_its_lines() -> None:
    lines = invoice_lines(terms(), date(2024, 3, 15), date(2025, 3, 31))
    assert invoice_amount(lines) == sum((line.amount for line in lines), Decimal("0.00"))
    assert invoice_amount([]) == Decimal("0.00")


rents = st.integers(min_value=1, max_value=100_000_000).map(lambda fen: Decimal(fen) / 100)


@given(year=st.integers(min_value=2000, max_value=2060), monthly_rent=rents)
def test_invoice_lines_of_a_full_year_sum_to_twelve_months_rent(year: int, monthly_rent: Decimal) -> None:
    lease = terms(
        start_on=date(year, 1, 1), end_on=date(year, 12, 31), monthly_rent=monthly_rent, escalation_percent=0
    )
    lines = invoice_lines(lease, date(year, 1, 1), date(year, 12, 31))
    assert len(lines) == 12
    assert invoice_amount(lines) == 12 * monthly_rent


@settings(max_examples=50, deadline=None)
@given(
    start_on=lease_starts,
    months=st.integers(min_value=1, max_value=60),
    frequency=frequencies,
    rent_free_months=st.integers(min_value=0, max_value=12),
    escalation_percent=st.decimals(min_value=0, max_value=10, places=1),
    monthly_rent=rents,
)
def test_invoice_lines_of_billing_periods_are_the_lines_of_the_whole_term(
    start_on: date,
    months: int,
    frequency: BillingFrequency,
    rent_free_months: int,
    escalation_percent: Decimal,
    monthly_rent: Decimal,
) -> None:
    lease = terms(
        start_on=start_on,
        end_on=period_last_day(start_on, months),
        billing_frequency=frequency,
        rent_free_months=rent_free_months,
        escalation_percent=escalation_percent,
        monthly_rent=monthly_rent,
    )
    by_period = [
        line
        for period in periods_due(lease)
        for line in invoice_lines(lease, period.period_start, period.period_end)
    ]
    assert by_period == invoice_lines(lease, lease.start_on, lease.end_on)
    # Every day of the term is billed once, except the rent-free days.
    free_through = rent_free_through(lease) or start_on - timedelta(days=1)
    billed_days = (lease.end_on - max(start_on, free_through + timedelta(days=1))).days + 1
    assert sum(line.days for line in by_period) == max(0, billed_days)
    for line in by_period:
        assert line.amount == prorated_rent(line.monthly_rent, line.days, line.days_in_month)
        assert line.first_day.month == line.last_day.month == line.month_start.month


def test_invoice_lines_after_one_rent_free_month_from_a_month_end() -> None:
    """DOMAIN.md §4 Terms: from 31 Jan 2025 one rent-free month runs through 28 Feb; March is billed whole."""
    lease = terms(start_on=date(2025, 1, 31), end_on=date(2026, 1, 30), rent_free_months=1, escalation_percent=0)
    assert invoice_lines(lease, date(2025, 2, 1), date(2025, 2, 28)) == []
    march = invoice_lines(lease, date(2025, 3, 1), date(2025, 3, 31))
    assert [(line.first_day, line.days, line.amount) for line in march] == [(date(2025, 3, 1), 31, Decimal("3100.00"))]
    # From 30 Apr, one month is free through 29 May: 30 and 31 May are billed.
    may = invoice_lines(terms(start_on=date(2024, 4, 30), end_on=date(2025, 4, 29), rent_free_months=1),
                        date(2024, 5, 1), date(2024, 5, 31))
    assert [(line.first_day, line.days, line.amount) for line in may] == [(date(2024, 5, 30), 2, Decimal("200.00"))]
