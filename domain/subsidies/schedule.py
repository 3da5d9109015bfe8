"""The subsidy schedule (补贴明细表): day-by-day ratios and monthly figures, pure.

Source: DOMAIN.md §5 (Counting the years, Monthly figures, Schedule, Exact readings).
Days are the unit. For a household and a calendar month of D days:

* fee = Σ over occupied days of standard × area ÷ D, rounded half-up to the fen once;
* subsidy = Σ over occupied days of standard × area × that day's ratio ÷ D, rounded once;
* household share = fee − subsidy.

Inside the month everything may change by day — the move-in (or a corrected move-in),
the move-out, a corrected floor area, a fee standard, a policy version, a 3rd or 5th
anniversary, the extension date, the transition end — and the sums stay exact: the month
is cut into runs of days over which nothing changes, and only the month is rounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from domain.subsidies.policy import (
    DEFAULT_POLICY,
    FeeStandard,
    PolicyVersion,
    fee_standard_on,
    in_force_on,
    policy_on,
    standard_change_days,
)
from ledger.calendar import month_first_day, month_last_day, month_of, next_month, years_after_event_last_day
from ledger.money import ZERO, round_half_up_to_fen
from ledger.values import value_type

ONE_DAY = timedelta(days=1)
FULL_PERCENT = Decimal(100)
NO_PERCENT = Decimal(0)


# --- the dated facts of a household that the figures depend on --------------------------------
@value_type("anju.subsidies.AreaFrom")
class AreaFrom:
    """The floor area (m², precision as given) in force from ``effective_on`` (date.min: as registered)."""

    effective_on: date
    floor_area_m2: Decimal


@value_type("anju.subsidies.MoveInFrom")
class MoveInFrom:
    """The move-in date (入住日期) used for days from ``effective_on`` (date.min: as registered)."""

    effective_on: date
    moved_in_on: date


@dataclass(frozen=True)
class HouseholdTerms:
    """What a household's monthly figures depend on (built from the register; never stored)."""

    building_type: str
    areas: tuple[AreaFrom, ...]
    move_ins: tuple[MoveInFrom, ...]
    moved_out_on: date | None = None

    def area_on(self, day: date) -> Decimal:
        return (in_force_on(self.areas, day) or self.areas[0]).floor_area_m2

    def moved_in_on(self, day: date) -> date:
        return (in_force_on(self.move_ins, day) or self.move_ins[0]).moved_in_on

    @property
    def first_moved_in_on(self) -> date:
        """The move-in date as now recorded (the latest correction's)."""
        return max(self.move_ins, key=lambda fact: fact.effective_on).moved_in_on


# --- the rules, one function each ----------------------------------------------------------------
def occupied_on(day: date, moved_in_on: date, moved_out_on: date | None) -> bool:
    """Whether the household occupies its flat on ``day``: the move-in and move-out days both count.

    Source: DOMAIN.md §5 Exact readings ("The move-in day and the move-out day are both
    occupied days"); Fee ("A month is prorated by days where the household moves in or out").
    """
    return moved_in_on <= day and (moved_out_on is None or day <= moved_out_on)


def subsidy_percent_on(day: date, moved_in_on: date, policy: PolicyVersion) -> Decimal:
    """The subsidy ratio (percent of the fee) of one day, under one policy version.

    Source: DOMAIN.md §5 Subsidy policy and Counting the years (民法典 Arts. 201–202): 100 %
    from the move-in date through the full-window anniversary inclusive; the partial ratio
    from the next day through the partial-window anniversary inclusive; after it the partial
    ratio only where an extension is granted, through the extension date; nothing after the
    transition end, which overrides any extension (Exact readings). A 29 February move-in's
    anniversaries fall on 28 February (``ledger.calendar.years_after_event_last_day``).
    """
    if day < moved_in_on or day > policy.transition_end:
        return NO_PERCENT
    full_end, partial_end = _window_ends(moved_in_on, policy.full_years, policy.partial_through_years)
    if day <= full_end:
        return FULL_PERCENT
    if day <= partial_end:
        return policy.partial_percent
    if policy.extension_granted and day <= policy.extension_until:
        return policy.partial_percent
    return NO_PERCENT


@lru_cache(maxsize=65_536)
def _window_ends(moved_in_on: date, full_years: int, partial_through_years: int) -> tuple[date, date]:
    """The last days of the full and partial windows (cached: a register shares few move-in dates)."""
    return (years_after_event_last_day(moved_in_on, full_years),
            years_after_event_last_day(moved_in_on, partial_through_years))


def subsidy_last_day(moved_in_on: date, policy: PolicyVersion) -> date:
    """The last day a policy subsidises for a household that moved in on ``moved_in_on``.

    Source: DOMAIN.md §5 Subsidy policy: the partial window's end, or the extension date where
    one is granted and later, but never after the transition end.
    """
    end = years_after_event_last_day(moved_in_on, policy.partial_through_years)
    if policy.extension_granted and policy.extension_until > end:
        end = policy.extension_until
    return min(end, policy.transition_end)


def household_share(fee: Decimal, subsidy: Decimal) -> Decimal:
    """The household's share of a month: fee − subsidy (DOMAIN.md §5 Monthly figures), never rounded itself."""
    return fee - subsidy


# --- a month's figures ------------------------------------------------------------------------
@value_type("anju.subsidies.RatioDays")
class RatioDays:
    """So many occupied days of a month at one ratio, under one policy version (0: the default)."""

    percent: Decimal
    days: int
    policy_version: int


@value_type("anju.subsidies.MonthFigures")
class MonthFigures:
    """One household-month of the schedule: fee, the ratios in force with their days, subsidy, share."""

    month: str
    days_in_month: int
    occupied_days: int
    fee: Decimal
    subsidy: Decimal
    household_share: Decimal
    ratios: tuple[RatioDays, ...] = ()

    @property
    def policy_versions(self) -> tuple[int, ...]:
        return tuple(sorted({r.policy_version for r in self.ratios}))


def month_figures(month: str, terms: HouseholdTerms, standards: Sequence[FeeStandard],
                  policies: Sequence[PolicyVersion], changes: Sequence[date] | None = None) -> MonthFigures:
    """Fee, subsidy and household share of one household-month, each rounded half-up once.

    Source: DOMAIN.md §5 Monthly figures and Exact readings ("A month is rounded once: where
    policy versions, ratios or floor areas change inside a month, the exact day-weighted
    figures are summed over the month and the fee and the subsidy are each rounded half-up
    once"). Raises ``FeeStandardNotConfigured`` for an occupied day without a standard.
    ``changes`` (from ``change_days``) saves recomputing the cut days for each month of a household.
    """
    first, last = month_first_day(month), month_last_day(month)
    if changes is None:
        changes = change_days(terms, standards, policies)
    days_in_month = last.day
    fee_sum = subsidy_sum = Decimal(0)
    occupied = 0
    ratio_days: dict[tuple[Decimal, int], int] = {}
    for start, length in _constant_runs(first, last, changes):
        moved_in_on = terms.moved_in_on(start)
        if not occupied_on(start, moved_in_on, terms.moved_out_on):
            continue
        monthly_fee = fee_standard_on(standards, terms.building_type, start) * terms.area_on(start)
        policy = policy_on(policies, start)
        percent = subsidy_percent_on(start, moved_in_on, policy)
        fee_sum += monthly_fee * length
        subsidy_sum += monthly_fee * percent * length
        occupied += length
        key = (percent, policy.version)
        ratio_days[key] = ratio_days.get(key, 0) + length
    fee = round_half_up_to_fen(fee_sum / days_in_month) if occupied else ZERO
    subsidy = round_half_up_to_fen(subsidy_sum / (FULL_PERCENT * days_in_month)) if occupied else ZERO
    ratios = tuple(RatioDays(percent, days, version) for (percent, version), days in ratio_days.items())
    return MonthFigures(month, days_in_month, occupied, fee, subsidy, household_share(fee, subsidy), ratios)


def change_days(terms: HouseholdTerms, standards: Sequence[FeeStandard],
                policies: Sequence[PolicyVersion]) -> tuple[date, ...]:
    """Every day on which an input of a household's figures may change, in order (computed once per household)."""
    changes: set[date] = {fact.effective_on for fact in terms.areas}
    changes.update(fact.effective_on for fact in terms.move_ins)
    changes.update(standard_change_days(standards, terms.building_type))
    changes.update(version.effective_on for version in policies)
    if terms.moved_out_on is not None:
        changes.add(terms.moved_out_on + ONE_DAY)
    for fact in terms.move_ins:
        changes.add(fact.moved_in_on)
        for policy in (DEFAULT_POLICY, *policies):
            changes.update(_policy_change_days(fact.moved_in_on, policy))
    return tuple(sorted(changes))


def _constant_runs(first: date, last: date, changes: Sequence[date]) -> list[tuple[date, int]]:
    """The month cut at every day where an input may change: (first day, length) of each run."""
    inside = changes[bisect_right(changes, first):bisect_right(changes, last)]
    ordered = [first, *inside, last + ONE_DAY]
    return [(start, (stop - start).days) for start, stop in zip(ordered, ordered[1:])]


def _policy_change_days(moved_in_on: date, policy: PolicyVersion) -> tuple[date, ...]:
    """The days on which a policy's ratio may change for a household (the day after each window ends)."""
    days = (policy.transition_end, policy.extension_until,
            *_window_ends(moved_in_on, policy.full_years, policy.partial_through_years))
    return tuple(day + ONE_DAY for day in days if day < date.max)


# --- the months a schedule spans ------------------------------------------------------------------
def schedule_months(terms: HouseholdTerms, policies: Sequence[PolicyVersion], through: str | None = None) -> list[str]:
    """The months of a household's schedule: from the move-in month to the end of the subsidy.

    Source: issue 8 Projections ("month by month from move-in to the end of the subsidy,
    past and projected"); the end is the month of the last day the latest policy version
    subsidises, or of the move-out if earlier; ``through`` extends it (never shortens it).
    """
    moved_in_on = terms.first_moved_in_on
    latest = policies[-1] if policies else DEFAULT_POLICY
    end = subsidy_last_day(moved_in_on, latest)
    if terms.moved_out_on is not None:
        end = min(end, terms.moved_out_on)
    last_month = max(month_of(max(end, moved_in_on)), through or "")
    months, current = [], month_of(moved_in_on)
    while current <= last_month:
        months.append(current)
        current = next_month(current)
    return months
