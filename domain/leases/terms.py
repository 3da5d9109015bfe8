"""Terms of a shop-front lease and the pure rules over them.

Source: DOMAIN.md §4 (Lease, Accrual, Terms, Termination); 民法典 Arts. 201–202
(periods in months and years), 705 (term ≤ 20 years), 707 (written form from six
months). No clock and no I/O: every date is passed in.

Counting convention used throughout: a period of N months that begins on day S
(S counted, as DOMAIN.md §4 counts: start 2024-03-15, 2 months → through
2024-05-14) ends on the day before S's day of month N months later. Where that
month has no such day, the period ends on that month's last day (民法典 Art. 202:
"没有对应日的，月末日为期间的最后一日"), so the next period begins on the 1st of
the following month: 31 Jan + 1 month → through 28/29 Feb, next period from 1 Mar.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum

from ledger.money import ZERO, InvalidAmount, parse_amount, round_half_up_to_fen

#: 民法典 Art. 705: a lease term may not exceed twenty years.
TERM_LIMIT_MONTHS = 240
#: 民法典 Art. 707: a lease of six months or more is made in writing.
WRITTEN_CONTRACT_FROM_MONTHS = 6
ONE_DAY = timedelta(days=1)


class LeaseRuleBroken(ValueError):
    """A rule of DOMAIN.md §4 is broken; ``type_slug`` names it for API problems."""

    type_slug = "lease-rule-broken"


class TermTooLong(LeaseRuleBroken):
    """The term runs past twenty years (民法典 Art. 705)."""

    type_slug = "lease-term-too-long"


class EndNotAfterStart(LeaseRuleBroken):
    """The last day of the term is not after its first day."""

    type_slug = "lease-end-not-after-start"


class InvalidRent(LeaseRuleBroken):
    """Rent (or a rent rate or floor area) is not > 0 with at most two decimals."""

    type_slug = "lease-rent-invalid"


class RentBasisConflict(LeaseRuleBroken):
    """Rent given neither as a monthly amount nor per m², or both and disagreeing."""

    type_slug = "lease-rent-basis-conflict"


class WrittenContractRequired(LeaseRuleBroken):
    """A lease of six months or more has no written contract reference (Art. 707)."""

    type_slug = "lease-written-contract-required"


class NegativeEscalation(LeaseRuleBroken):
    """The yearly escalation percent is negative (or not a decimal)."""

    type_slug = "lease-escalation-negative"


class InvalidRentFreeMonths(LeaseRuleBroken):
    """Rent-free months are not a whole number ≥ 0."""

    type_slug = "lease-rent-free-months-invalid"


class InvalidDeposit(LeaseRuleBroken):
    """The deposit is not an amount ≥ 0 with at most two decimals."""

    type_slug = "lease-deposit-invalid"


class DayOutsideTerm(LeaseRuleBroken):
    """A day asked about lies outside the lease term."""

    type_slug = "lease-day-outside-term"


class PeriodEndsBeforeStart(LeaseRuleBroken):
    """An invoicing period whose last day precedes its first day."""

    type_slug = "lease-period-ends-before-start"


class InvalidBillingFrequency(LeaseRuleBroken):
    """Billing frequency is not monthly, quarterly or yearly."""

    type_slug = "lease-billing-frequency-invalid"


class BillingFrequency(Enum):
    """How often rent is billed, in advance, aligned to the calendar (DOMAIN.md §4 Lease)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


# --- Calendar arithmetic (民法典 Arts. 201–202) -----------------------------------


def months_later(start_on: date, months: int) -> date:
    """The first day after a period of ``months`` months that begins on ``start_on``.

    民法典 Arts. 201–202 with the start day counted (see the module docstring):
    ``start_on``'s day of month, ``months`` later; where that month is too short,
    the 1st of the month after it (31 Jan + 1 → 1 Mar).
    """
    index = start_on.year * 12 + start_on.month - 1 + months
    year, month = index // 12, index % 12 + 1
    if start_on.day <= calendar.monthrange(year, month)[1]:
        return date(year, month, start_on.day)
    return date(year, month, calendar.monthrange(year, month)[1]) + ONE_DAY


def period_last_day(start_on: date, months: int) -> date:
    """Last day (inclusive) of a period of ``months`` months beginning on ``start_on``.

    民法典 Art. 202; DOMAIN.md §4 Terms (start 2024-03-15, 2 months → 2024-05-14).
    Where the final month has no corresponding day, its last day (31 Jan + 1 → 28/29 Feb).
    """
    return months_later(start_on, months) - ONE_DAY


def anniversary(start_on: date, years: int) -> date:
    """The day on which lease year ``years + 1`` begins.

    民法典 Arts. 201–202; DOMAIN.md §4 Terms. The anniversary of 29 Feb in a common
    year is 1 Mar: the lease year that began on 29 Feb ends on the last day of
    February (Art. 202, "月末日"), so the next begins the day after.
    """
    return months_later(start_on, 12 * years)


# --- Validation, one rule per function --------------------------------------------


def check_end_after_start(start_on: date, end_on: date) -> None:
    """The term's last day (inclusive) is after its first day. DOMAIN.md §4 Lease."""
    if end_on <= start_on:
        raise EndNotAfterStart(f"lease ends on {end_on}, not after its start {start_on}")


def check_term_at_most_twenty_years(start_on: date, end_on: date) -> None:
    """Term ≤ 20 years; longer is rejected. DOMAIN.md §4 Lease; 民法典 Art. 705.

    Twenty years from ``start_on`` end on the day before its 20th anniversary
    (2024-03-15 → 2044-03-14); an ``end_on`` after that day is too long.
    """
    last_allowed_on = period_last_day(start_on, TERM_LIMIT_MONTHS)
    if end_on > last_allowed_on:
        raise TermTooLong(f"lease ends on {end_on}; a term from {start_on} may end on {last_allowed_on} at the latest")


def check_rent_positive(monthly_rent: object) -> Decimal:
    """Rent is > 0 yuan with at most two decimals; returns it as a Decimal. DOMAIN.md §1, §4."""
    return _positive_money(monthly_rent, "monthly rent")


def monthly_rent_from_area(rent_per_m2_month: object, floor_area_m2: object) -> Decimal:
    """Monthly rent = rent per m² per month × floor area, half-up to the fen.

    DOMAIN.md §4 Lease ("rent per month (or per m² per month)"); §1 rounds half-up
    where a rule multiplies by an area. Rate and area are > 0 with ≤ 2 decimals.
    """
    rate = _positive_money(rent_per_m2_month, "rent per m² per month")
    area = _positive_money(floor_area_m2, "floor area (m²)")
    monthly_rent = round_half_up_to_fen(rate * area)
    if monthly_rent <= ZERO:
        raise InvalidRent(f"{rate} × {area} m² rounds to no rent")
    return monthly_rent


def check_written_contract_for_six_months_or_more(start_on: date, end_on: date, contract_reference: str | None) -> None:
    """Leases of 6 months or more record a written contract reference.

    DOMAIN.md §4 Lease; 民法典 Art. 707. A term is six months or more when it
    reaches the last day of six months from its start (2024-03-15 → 2024-09-14).
    """
    if end_on < period_last_day(start_on, WRITTEN_CONTRACT_FROM_MONTHS):
        return
    if not isinstance(contract_reference, str) or not contract_reference.strip():
        raise WrittenContractRequired(f"a lease from {start_on} to {end_on} needs a written contract reference")


def check_escalation_not_negative(escalation_percent: object) -> Decimal:
    """Yearly escalation percent is a Decimal ≥ 0 (never float). DOMAIN.md §4 Lease."""
    percent = _decimal(escalation_percent)
    if percent is None or percent < 0:
        raise NegativeEscalation(f"escalation {escalation_percent!r} must be a decimal percent ≥ 0")
    return percent


def check_rent_free_months(rent_free_months: object) -> int:
    """Rent-free months are a whole number ≥ 0. DOMAIN.md §4 Lease."""
    if isinstance(rent_free_months, bool) or not isinstance(rent_free_months, int) or rent_free_months < 0:
        raise InvalidRentFreeMonths(f"rent-free months {rent_free_months!r} must be a whole number ≥ 0")
    return rent_free_months


def check_billing_frequency(billing_frequency: object) -> BillingFrequency:
    """Rent is billed monthly, quarterly or yearly (in advance). DOMAIN.md §4 Lease."""
    try:
        return BillingFrequency(billing_frequency)
    except ValueError:
        allowed = ", ".join(frequency.value for frequency in BillingFrequency)
        raise InvalidBillingFrequency(f"billing frequency {billing_frequency!r} is not one of {allowed}") from None


def check_deposit(deposit: object) -> Decimal:
    """The deposit is ≥ 0 yuan with at most two decimals. DOMAIN.md §1, §4 Lease."""
    try:
        return parse_amount(deposit)
    except InvalidAmount as error:
        raise InvalidDeposit(f"deposit: {error}") from None


def _positive_money(value: object, what: str) -> Decimal:
    try:
        amount = parse_amount(value)
    except InvalidAmount as error:
        raise InvalidRent(f"{what}: {error}") from None
    if amount <= ZERO:
        raise InvalidRent(f"{what} must be > 0, not {amount}")
    return amount


def _decimal(value: object) -> Decimal | None:
    """A finite Decimal from a Decimal, int or plain string; None for anything else (float)."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        return None
    try:
        number = Decimal(value)
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


# --- The terms --------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class LeaseTerms:
    """The agreed terms of one lease. DOMAIN.md §4 Lease; 民法典 Arts. 703–734.

    Give either ``monthly_rent`` or ``rent_per_m2_month`` with ``floor_area_m2``;
    after construction ``monthly_rent`` is always set (the first year's rent).
    ``end_on`` is the last day of the term, inclusive. Amounts are normalised to
    Decimal with two places; every rule below is checked on construction.
    """

    start_on: date
    end_on: date
    billing_frequency: BillingFrequency
    monthly_rent: Decimal | None = None
    rent_per_m2_month: Decimal | None = None
    floor_area_m2: Decimal | None = None
    rent_free_months: int = 0
    escalation_percent: Decimal = Decimal("0")
    deposit: Decimal = ZERO
    contract_reference: str | None = None

    def __post_init__(self) -> None:
        check_end_after_start(self.start_on, self.end_on)
        check_term_at_most_twenty_years(self.start_on, self.end_on)
        check_written_contract_for_six_months_or_more(self.start_on, self.end_on, self.contract_reference)
        self._set("billing_frequency", check_billing_frequency(self.billing_frequency))
        self._set("monthly_rent", self._resolved_monthly_rent())
        self._set("escalation_percent", check_escalation_not_negative(self.escalation_percent))
        self._set("rent_free_months", check_rent_free_months(self.rent_free_months))
        self._set("deposit", check_deposit(self.deposit))

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)

    def _resolved_monthly_rent(self) -> Decimal:
        by_area = self.rent_per_m2_month is not None or self.floor_area_m2 is not None
        if not by_area:
            if self.monthly_rent is None:
                raise RentBasisConflict("give monthly_rent, or rent_per_m2_month with floor_area_m2")
            return check_rent_positive(self.monthly_rent)
        if self.rent_per_m2_month is None or self.floor_area_m2 is None:
            raise RentBasisConflict("rent per m² needs both rent_per_m2_month and floor_area_m2")
        self._set("rent_per_m2_month", parse_amount(self.rent_per_m2_month))
        self._set("floor_area_m2", parse_amount(self.floor_area_m2))
        computed = monthly_rent_from_area(self.rent_per_m2_month, self.floor_area_m2)
        # Both bases may be given (as dataclasses.replace does) but must agree.
        if self.monthly_rent is not None and check_rent_positive(self.monthly_rent) != computed:
            raise RentBasisConflict(f"monthly rent {self.monthly_rent} ≠ rate × area = {computed}")
        return computed

    @property
    def first_year_rent(self) -> Decimal:
        """The monthly rent of the first lease year (always set after construction)."""
        assert self.monthly_rent is not None
        return self.monthly_rent


def check_day_in_term(terms: LeaseTerms, day: date) -> None:
    """Rent is in force only within the term, start and end inclusive. DOMAIN.md §4 Lease."""
    if not terms.start_on <= day <= terms.end_on:
        raise DayOutsideTerm(f"{day} is outside the term {terms.start_on} – {terms.end_on}")


# --- Rent-free months and escalation ----------------------------------------------


def rent_free_through(terms: LeaseTerms) -> date | None:
    """Last rent-free day: the first N months from the start date; None without any.

    DOMAIN.md §4 Terms (start 2024-03-15, N = 2 → free through 2024-05-14);
    民法典 Art. 202 where the month is short (start 31 Jan, N = 1 → through 28/29 Feb).
    Not clipped to the term: days after ``end_on`` are never billed anyway.
    """
    if terms.rent_free_months == 0:
        return None
    return period_last_day(terms.start_on, terms.rent_free_months)


def escalated_rent(monthly_rent: Decimal, escalation_percent: Decimal) -> Decimal:
    """Next lease year's rent: the previous year's × (1 + percent / 100), half-up to the fen.

    DOMAIN.md §4 Terms (3,100.00 at 5 % → 3,255.00), compounding year on year.
    """
    return round_half_up_to_fen(monthly_rent * (100 + escalation_percent) / 100)


@dataclass(frozen=True)
class RentStep:
    """The monthly rent in force from ``from_on`` until the next step."""

    from_on: date
    monthly_rent: Decimal


def rent_steps(terms: LeaseTerms) -> tuple[RentStep, ...]:
    """The rent of each lease year, from the start and from each anniversary in the term.

    DOMAIN.md §4 Terms: escalation from each anniversary of the start date,
    compounding on the previous year's rent (``escalated_rent``). At most 20 steps.
    """
    steps = [RentStep(terms.start_on, terms.first_year_rent)]
    years = 1
    while (from_on := anniversary(terms.start_on, years)) <= terms.end_on:
        steps.append(RentStep(from_on, escalated_rent(steps[-1].monthly_rent, terms.escalation_percent)))
        years += 1
    return tuple(steps)


def monthly_rent_in_force(terms: LeaseTerms, day: date) -> Decimal:
    """The monthly rent in force on ``day``. DOMAIN.md §4 Terms.

    Escalates from each anniversary of the start date (``anniversary``),
    compounding on the previous year's rent, half-up to the fen each year:
    start 2024-03-15, 3,100.00 at 5 % → 3,255.00 from 2025-03-15.
    """
    check_day_in_term(terms, day)
    return _rent_on(rent_steps(terms), day)


def _rent_on(steps: Sequence[RentStep], day: date) -> Decimal:
    return [step for step in steps if step.from_on <= day][-1].monthly_rent


# --- Billing periods and invoice lines --------------------------------------------


@dataclass(frozen=True)
class BillingPeriod:
    """One billing period of a lease, billed in advance. DOMAIN.md §4 Terms."""

    period_start: date
    period_end: date
    due_on: date


def _calendar_period_last_day(day: date, frequency: BillingFrequency) -> date:
    """Last day of the calendar month, quarter or year containing ``day``."""
    if frequency is BillingFrequency.YEARLY:
        return date(day.year, 12, 31)
    month = day.month if frequency is BillingFrequency.MONTHLY else (day.month + 2) // 3 * 3
    return date(day.year, month, calendar.monthrange(day.year, month)[1])


def billing_periods(terms: LeaseTerms, stop_after: date | None = None) -> list[BillingPeriod]:
    """The lease's billing periods: calendar months, quarters or years clipped to the term.

    DOMAIN.md §4 Lease ("monthly / quarterly / yearly, in advance") and Terms
    ("due on the period's first day"): each period is due on its (clipped) first
    day. ``stop_after`` (early termination, inclusive) clips the last period.
    Periods wholly inside the rent-free months are listed too; they bill 0.00.
    """
    last_on = min(terms.end_on, stop_after or terms.end_on)
    periods: list[BillingPeriod] = []
    first_on = terms.start_on
    while first_on <= last_on:
        period_end = min(_calendar_period_last_day(first_on, terms.billing_frequency), last_on)
        periods.append(BillingPeriod(first_on, period_end, due_on=first_on))
        first_on = period_end + ONE_DAY
    return periods


@dataclass(frozen=True)
class InvoiceLine:
    """Rent for the days of one calendar month at one monthly rent. DOMAIN.md §4 Terms."""

    month_start: date
    first_day: date
    last_day: date
    days: int
    days_in_month: int
    monthly_rent: Decimal
    amount: Decimal


def prorated_rent(monthly_rent: Decimal, days: int, days_in_month: int) -> Decimal:
    """Rent for ``days`` of a calendar month: rent × days ÷ days in month, half-up to the fen.

    DOMAIN.md §4 Accrual ("Partial months prorate by the days of that calendar
    month"); a full month is exactly the monthly rent.
    """
    assert 0 < days <= days_in_month, "a line covers part of one calendar month"
    return round_half_up_to_fen(monthly_rent * days / days_in_month)


def invoice_lines(
    terms: LeaseTerms, period_start: date, period_end: date, stop_after: date | None = None
) -> list[InvoiceLine]:
    """Invoice lines for a period: one per (calendar month, rent in force), rent-free days excluded.

    DOMAIN.md §4 Terms: a month split between two rents bills one line per rent,
    each prorated and rounded on its own (March 2025, start 2024-03-15, 3,100.00
    at 5 %: 14 days → 1,400.00 plus 17 days → 1,785.00). The period is clipped to
    the term, and to ``stop_after`` (early termination: accrual stops at the
    termination date, inclusive; DOMAIN.md §4 Termination).
    """
    if period_end < period_start:
        raise PeriodEndsBeforeStart(f"period {period_start} – {period_end} ends before it starts")
    last_on = min(period_end, terms.end_on, stop_after or terms.end_on)
    free_through = rent_free_through(terms) or terms.start_on - ONE_DAY
    steps = rent_steps(terms)
    days_by_line: dict[tuple[date, Decimal], list[date]] = {}
    day = max(period_start, terms.start_on, free_through + ONE_DAY)
    while day <= last_on:
        days_by_line.setdefault((day.replace(day=1), _rent_on(steps, day)), []).append(day)
        day += ONE_DAY
    return [_invoice_line(month_start, rent, days) for (month_start, rent), days in days_by_line.items()]


def _invoice_line(month_start: date, monthly_rent: Decimal, days: list[date]) -> InvoiceLine:
    days_in_month = calendar.monthrange(month_start.year, month_start.month)[1]
    # Rent-free days are a prefix of the lease and rents change only on anniversaries,
    # so the days of one (month, rent) are consecutive.
    assert (days[-1] - days[0]).days + 1 == len(days), "line days are consecutive"
    return InvoiceLine(
        month_start=month_start,
        first_day=days[0],
        last_day=days[-1],
        days=len(days),
        days_in_month=days_in_month,
        monthly_rent=monthly_rent,
        amount=prorated_rent(monthly_rent, len(days), days_in_month),
    )


def invoice_amount(lines: Sequence[InvoiceLine]) -> Decimal:
    """The invoice is the sum of its lines. DOMAIN.md §4 Terms."""
    return sum((line.amount for line in lines), ZERO)
