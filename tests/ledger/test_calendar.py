"""The business calendar: months, and periods counted in months and years (民法典 Arts. 201–202)."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from hypothesis import given
from hypothesis import strategies as st

from ledger.calendar import (
    anniversary,
    corresponding_day,
    days_in_year,
    month_last_day,
    month_of,
    months_between,
    months_from_start_last_day,
    next_month,
    previous_month,
    years_after_event_last_day,
)


# (count, start, n, last day): each rule of the period counting, with the case that names it.
PERIODS = [
    # DOMAIN.md §5: moved in 2019-06-20 → the full window runs through the 3rd anniversary inclusive.
    pytest.param(years_after_event_last_day, date(2019, 6, 20), 3, date(2022, 6, 20), id="years-after-3"),
    pytest.param(years_after_event_last_day, date(2019, 6, 20), 5, date(2024, 6, 20), id="years-after-5"),
    # Art. 202: no corresponding day → the last day of that month.
    pytest.param(years_after_event_last_day, date(2016, 2, 29), 3, date(2019, 2, 28), id="years-after-29-feb-common"),
    pytest.param(years_after_event_last_day, date(2016, 2, 29), 4, date(2020, 2, 29), id="years-after-29-feb-leap"),
    # The corresponding day falls back to the month end.
    pytest.param(corresponding_day, date(2025, 1, 31), 1, date(2025, 2, 28), id="corresponding-31-jan-common"),
    pytest.param(corresponding_day, date(2024, 1, 31), 1, date(2024, 2, 29), id="corresponding-31-jan-leap"),
    pytest.param(corresponding_day, date(2025, 3, 31), 1, date(2025, 4, 30), id="corresponding-31-mar"),
    pytest.param(corresponding_day, date(2025, 12, 15), 1, date(2026, 1, 15), id="corresponding-over-the-year"),
    # DOMAIN.md §4 Terms: the start day counts — 2024-03-15, 2 months → through 2024-05-14;
    # 31 Jan, 1 month → the end of February.
    pytest.param(months_from_start_last_day, date(2024, 3, 15), 2, date(2024, 5, 14), id="months-from-15-mar"),
    pytest.param(months_from_start_last_day, date(2024, 1, 31), 1, date(2024, 2, 29), id="months-from-31-jan-leap"),
    pytest.param(months_from_start_last_day, date(2025, 1, 29), 1, date(2025, 2, 28), id="months-from-29-jan"),
    pytest.param(months_from_start_last_day, date(2025, 4, 30), 1, date(2025, 5, 29), id="months-from-30-apr"),
    pytest.param(months_from_start_last_day, date(2025, 3, 31), 1, date(2025, 4, 30), id="months-from-31-mar"),
    # An anniversary of 29 February in a common year is 1 March.
    pytest.param(anniversary, date(2024, 2, 29), 1, date(2025, 3, 1), id="anniversary-29-feb"),
    pytest.param(anniversary, date(2024, 3, 15), 1, date(2025, 3, 15), id="anniversary-15-mar"),
]


@pytest.mark.parametrize(("count", "start", "n", "last_day"), PERIODS)
def test_periods_counted_in_months_and_years(count: Callable[[date, int], date], start: date, n: int,
                                             last_day: date) -> None:
    assert count(start, n) == last_day


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(1, 240))
def test_consecutive_month_periods_tile_the_calendar(start_on: date, months: int) -> None:
    # A period of N months ends the day before the next one begins: no day is lost or counted twice.
    assert months_from_start_last_day(start_on, months) + timedelta(days=1) > start_on
    assert months_from_start_last_day(start_on, months) < months_from_start_last_day(start_on, months + 1)


def test_month_helpers() -> None:
    assert month_of(date(2025, 3, 31)) == "2025-03"
    assert month_last_day("2024-02") == date(2024, 2, 29)
    assert next_month("2025-12") == "2026-01"
    assert previous_month("2025-01") == "2024-12"
    assert months_between("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert months_between("2025-02", "2025-01") == []
    assert days_in_year(2024) == 366 and days_in_year(2025) == 365
