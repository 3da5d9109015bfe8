"""Per-person programmes the township budgets: 安居险 and 就业险 premiums per household-year.

Source: DOMAIN.md §5 Exact readings (seed 003; a read model, no community money moves):
安居险 20 yuan per insured person-year, 就业险 30 yuan per labourer-year; a count that
changes on a date applies from that date; each is prorated by the days of the calendar
year (366 in a leap year) and rounded half-up once per programme per household per year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from domain.subsidies.household import CountsFrom
from ledger.calendar import days_in_year
from ledger.money import round_half_up_to_fen

HOUSING_INSURANCE_PER_PERSON_YEAR = Decimal("20")  # 安居险
EMPLOYMENT_INSURANCE_PER_LABOURER_YEAR = Decimal("30")  # 就业险


@dataclass(frozen=True)
class Premiums:
    year: int
    person_days: int
    labourer_days: int
    housing_insurance: Decimal
    employment_insurance: Decimal


def counted_days(counts: Sequence[CountsFrom], year: int, moved_out_on: date | None) -> tuple[int, int]:
    """Σ over the year's days of persons and of labourers in force (after a move-out: none).

    Source: DOMAIN.md §5 Exact readings: "a count that changes on a date applies from that date".
    Before the first dated count the household counts nobody.
    """
    first, stop = date(year, 1, 1), date(year + 1, 1, 1)
    if moved_out_on is not None:
        stop = min(stop, moved_out_on + timedelta(days=1))
    ordered = sorted(counts, key=lambda c: c.effective_on)
    persons = labourers = 0
    for index, count in enumerate(ordered):
        start = max(count.effective_on, first)
        end = min(ordered[index + 1].effective_on if index + 1 < len(ordered) else stop, stop)
        if end > start:
            days = (end - start).days
            persons += count.persons * days
            labourers += count.labourers * days
    return persons, labourers


def programme_premiums(counts: Sequence[CountsFrom], year: int, moved_out_on: date | None = None) -> Premiums:
    """The premiums due for one household and calendar year, each rounded half-up once.

    Source: DOMAIN.md §5 Exact readings (安居险 20 yuan per insured person-year, 就业险 30 yuan
    per labourer-year, prorated by the days of the calendar year, 366 in a leap year).
    """
    person_days, labourer_days = counted_days(counts, year, moved_out_on)
    days = days_in_year(year)
    housing = round_half_up_to_fen(HOUSING_INSURANCE_PER_PERSON_YEAR * person_days / days)
    employment = round_half_up_to_fen(EMPLOYMENT_INSURANCE_PER_LABOURER_YEAR * labourer_days / days)
    return Premiums(year, person_days, labourer_days, housing, employment)
