"""Business calendar: months, China-Standard-Time today, and periods counted in months and years.

Every capability counts with these functions and no copy of them: lease terms and
rent-free months (DOMAIN.md §4), subsidy windows after moving in (§5), voucher months
and period close (§1). The product's only clock is ``today_cst``; ``domain/`` never calls
it (dates are passed in), the entrypoints do.

Sources: 民法典 Art. 201 (a period counted in years, months or days starts the day after
the event: "开始的当日不计入，自下一日开始计算"), Art. 202 (it ends on the corresponding day
of the last month, or on that month's last day where it has none: "到期月的对应日为期间的
最后一日；没有对应日的，月末日为期间的最后一日"). Art. 203 (moving a deadline off a public
holiday) is for acts and is not applied (DOMAIN.md §5).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta, timezone

CHINA_STANDARD_TIME = timezone(timedelta(hours=8))
ONE_DAY = timedelta(days=1)


def today_cst() -> date:
    """Today in China Standard Time: business dates are CST calendar dates (ARCHITECTURE.md)."""
    return datetime.now(CHINA_STANDARD_TIME).date()


# --- months as "YYYY-MM" ---------------------------------------------------------------


def month_of(day: date) -> str:
    """The calendar month of ``day`` as ``YYYY-MM`` (books are closed month by month, §1)."""
    return f"{day.year:04d}-{day.month:02d}"


def month_first_day(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def month_last_day(month: str) -> date:
    first = month_first_day(month)
    return first.replace(day=days_in_month(first))


def days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def days_in_year(year: int) -> int:
    """366 in a leap year (DOMAIN.md §5 prorates per-person programmes by the calendar year)."""
    return 366 if calendar.isleap(year) else 365


def next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + 1:04d}-01" if mon == 12 else f"{year:04d}-{mon + 1:02d}"


def previous_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year - 1:04d}-12" if mon == 1 else f"{year:04d}-{mon - 1:02d}"


def months_between(first_month: str, last_month: str) -> list[str]:
    """Every month from ``first_month`` through ``last_month`` inclusive (empty if reversed)."""
    months = []
    current = first_month
    while current <= last_month:
        months.append(current)
        current = next_month(current)
    return months


# --- periods counted in months and years (民法典 Arts. 201–202) -------------------------


def _shifted_month(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def corresponding_day(day: date, months: int) -> date:
    """The day ``months`` months after ``day`` with the same day of month, or that month's last day.

    民法典 Art. 202: "到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日".
    2019-06-20 + 36 months → 2022-06-20; 2016-02-29 + 12 months → 2017-02-28.
    """
    year, month = _shifted_month(day, months)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def years_after_event_last_day(event_on: date, years: int) -> date:
    """Last day (inclusive) of a period of ``years`` years counted from an event such as moving in.

    民法典 Arts. 201–202, DOMAIN.md §5 Counting the years: the period starts the day after
    the event and ends on the corresponding date; where that date does not exist (29 February
    in a common year), on the last day of that month. Moved in 2019-06-20 → the 3-year full
    window ends 2022-06-20; moved in 2016-02-29 → it ends 2019-02-28.
    """
    return corresponding_day(event_on, 12 * years)


def months_later(start_on: date, months: int) -> date:
    """The first day after a period of ``months`` months that *begins on* ``start_on``.

    DOMAIN.md §4 Terms (lease terms count their start day): ``start_on``'s day of month,
    ``months`` later; where that month has no such day, the period ended on its last day
    (民法典 Art. 202), so the next begins on the 1st of the month after it (31 Jan + 1 → 1 Mar).
    """
    year, month = _shifted_month(start_on, months)
    last = calendar.monthrange(year, month)[1]
    if start_on.day <= last:
        return date(year, month, start_on.day)
    return date(year, month, last) + ONE_DAY


def months_from_start_last_day(start_on: date, months: int) -> date:
    """Last day (inclusive) of ``months`` months beginning on ``start_on``.

    DOMAIN.md §4 Terms; 民法典 Art. 202: N months from day S end the day before S's day N
    months later, or on that month's last day where it has no such day (start 2024-03-15,
    2 months → 2024-05-14; start 31 Jan, 1 month → the last day of February).
    """
    return months_later(start_on, months) - ONE_DAY


def anniversary(start_on: date, years: int) -> date:
    """The day lease year ``years + 1`` begins: the day after ``years`` years from ``start_on``.

    DOMAIN.md §4 Terms; 民法典 Arts. 201–202. A lease year from 29 February ends on 28
    February of the next year (the month's last day), so its anniversary is 1 March.
    """
    return months_later(start_on, 12 * years)
