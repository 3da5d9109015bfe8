"""Terms of a shop-front lease, and the pure rules over them.

Source: DOMAIN.md §4 (Lease, Terms); 民法典 Arts. 201–202 (periods in months and years,
counted by ``ledger.calendar``), 705 (term ≤ 20 years), 707 (written form from six months).
No clock and no I/O: every date is passed in.

``LeaseTerms`` is a plain value: the store's decoder calls its constructor when history is
read, so the constructor checks nothing. The rules run once, when a lease is agreed, in
``LeaseTerms.agreed`` (called by the signing and renewal use cases): a rule tightened later
never stops an old lease from loading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from domain.leases.errors import (
    DayOutsideTerm,
    EndNotAfterStart,
    InvalidBillingFrequency,
    InvalidDeposit,
    InvalidRent,
    InvalidRentFreeMonths,
    NegativeEscalation,
    RentBasisConflict,
    TermTooLong,
    WrittenContractRequired,
)
from ledger.calendar import anniversary, months_from_start_last_day
from ledger.money import ZERO, InvalidAmount, parse_amount, parse_positive_amount, round_half_up_to_fen
from ledger.values import value_type

#: 民法典 Art. 705: a lease term may not exceed twenty years.
TERM_LIMIT_MONTHS = 240
#: 民法典 Art. 707: a lease of six months or more is made in writing.
WRITTEN_CONTRACT_FROM_MONTHS = 6


@value_type("anju.leases.BillingFrequency")
class BillingFrequency(Enum):
    """How often rent is billed, in advance, aligned to the calendar (DOMAIN.md §4 Lease)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


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
    last_allowed_on = months_from_start_last_day(start_on, TERM_LIMIT_MONTHS)
    if end_on > last_allowed_on:
        raise TermTooLong(f"lease ends on {end_on}; a term from {start_on} may end on {last_allowed_on} at the latest")


def check_rent_positive(monthly_rent: object) -> Decimal:
    """Rent is > 0 yuan with at most two decimals; returns it as a Decimal. DOMAIN.md §1, §4."""
    return parse_positive_amount(monthly_rent, "monthly rent", InvalidRent)


def monthly_rent_from_area(rent_per_m2_month: object, floor_area_m2: object) -> Decimal:
    """Monthly rent = rent per m² per month × floor area, half-up to the fen.

    DOMAIN.md §4 Lease ("rent per month (or per m² per month)"); §1 rounds half-up
    where a rule multiplies by an area. Rate and area are > 0 with ≤ 2 decimals.
    """
    rate = parse_positive_amount(rent_per_m2_month, "rent per m² per month", InvalidRent)
    area = parse_positive_amount(floor_area_m2, "floor area (m²)", InvalidRent)
    monthly_rent = round_half_up_to_fen(rate * area)
    if monthly_rent <= ZERO:
        raise InvalidRent(f"{rate} × {area} m² rounds to no rent")
    return monthly_rent


def check_written_contract_for_six_months_or_more(start_on: date, end_on: date, contract_reference: str | None) -> None:
    """Leases of 6 months or more record a written contract reference.

    DOMAIN.md §4 Lease; 民法典 Art. 707. A term is six months or more when it
    reaches the last day of six months from its start (2024-03-15 → 2024-09-14).
    """
    if end_on < months_from_start_last_day(start_on, WRITTEN_CONTRACT_FROM_MONTHS):
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


def agreed_rent(monthly_rent: object, rent_per_m2_month: object, floor_area_m2: object) -> tuple[Decimal, Decimal | None]:
    """The first year's monthly rent, and the rate per m² when rent is agreed by area.

    DOMAIN.md §4 Lease: rent per month, or per m² per month × the leased floor area.
    Give one basis; when both are given they must agree (3,100.00 ≠ 35.50 × 86.37).
    """
    if rent_per_m2_month is None:
        if monthly_rent is None:
            raise RentBasisConflict("give monthly_rent, or rent_per_m2_month with floor_area_m2")
        return check_rent_positive(monthly_rent), None
    if floor_area_m2 is None:
        raise RentBasisConflict("rent per m² needs both rent_per_m2_month and floor_area_m2")
    rate = parse_amount(rent_per_m2_month)  # InvalidAmount (a ValueError) before the rent rules, as ever
    computed = monthly_rent_from_area(rate, parse_amount(floor_area_m2))
    if monthly_rent is not None and check_rent_positive(monthly_rent) != computed:
        raise RentBasisConflict(f"monthly rent {monthly_rent} ≠ rate × area = {computed}")
    return computed, rate


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


@value_type("anju.leases.LeaseTerms", kw_only=True)
class LeaseTerms:
    """The agreed terms of one lease. DOMAIN.md §4 Lease; 民法典 Arts. 703–734.

    ``monthly_rent`` is the first year's rent; with rent agreed per m², ``rent_per_m2_month``
    and the leased ``floor_area_m2`` it came from are kept too. ``end_on`` is the last day
    of the term, inclusive. A plain value: build new terms with ``agreed`` (which checks
    every rule); the constructor is for the decoder and checks nothing.
    """

    start_on: date
    end_on: date
    billing_frequency: BillingFrequency
    monthly_rent: Decimal
    rent_per_m2_month: Decimal | None = None
    floor_area_m2: Decimal | None = None
    rent_free_months: int = 0
    escalation_percent: Decimal = Decimal("0")
    deposit: Decimal = ZERO
    contract_reference: str | None = None

    @classmethod
    def agreed(cls, *, start_on: date, end_on: date, billing_frequency: object, monthly_rent: object = None,
               rent_per_m2_month: object = None, floor_area_m2: object = None, rent_free_months: object = 0,
               escalation_percent: object = "0", deposit: object = "0.00",
               contract_reference: str | None = None) -> LeaseTerms:
        """Terms as asked for (strings or Decimals), checked against every rule of DOMAIN.md §4 Lease.

        ``floor_area_m2`` is the leased area; it is used (and kept) only with a rent per m².
        """
        check_end_after_start(start_on, end_on)
        check_term_at_most_twenty_years(start_on, end_on)
        check_written_contract_for_six_months_or_more(start_on, end_on, contract_reference)
        frequency = check_billing_frequency(billing_frequency)
        rent, rate = agreed_rent(monthly_rent, rent_per_m2_month, floor_area_m2)
        return cls(
            start_on=start_on, end_on=end_on, billing_frequency=frequency, monthly_rent=rent,
            rent_per_m2_month=rate, floor_area_m2=parse_amount(floor_area_m2) if rate is not None else None,
            escalation_percent=check_escalation_not_negative(escalation_percent),
            rent_free_months=check_rent_free_months(rent_free_months), deposit=check_deposit(deposit),
            contract_reference=contract_reference,
        )

    @property
    def first_year_rent(self) -> Decimal:
        """The monthly rent of the first lease year."""
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
    return months_from_start_last_day(terms.start_on, terms.rent_free_months)


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

    DOMAIN.md §4 Terms: escalation from each anniversary of the start date (a lease year
    from 29 February ends on 28 February, so its anniversary is 1 March), compounding on
    the previous year's rent (``escalated_rent``). At most 20 steps.
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
    return rent_on(rent_steps(terms), day)


def rent_on(steps: Sequence[RentStep], day: date) -> Decimal:
    """The rent of the last step starting on or before ``day``."""
    return [step for step in steps if step.from_on <= day][-1].monthly_rent
