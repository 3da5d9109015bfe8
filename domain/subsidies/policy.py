"""Fee standards per building type and the community's subsidy policy, both effective-dated.

Source: DOMAIN.md §5 (Fee, Subsidy policy, Exact readings) — the Qianxinan resettlement
property-service scheme (2023, seed 003). Standards and policy versions are append-only:
a new one applies from its effective date and never rewrites a billed month (billed
months keep the figures they were billed with; see ``billing``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Protocol, TypeVar
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.subsidies.errors import (
    FeeStandardNotConfigured,
    FeeStandardOutOfOrder,
    InvalidBuilding,
    InvalidFeeStandard,
    InvalidSubsidyPolicy,
    PolicyVersionOverlaps,
)
from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE
from ledger.values import value_type

LOW_RISE, MID_RISE, HIGH_RISE = "low_rise", "mid_rise", "high_rise"
BUILDING_TYPES = (LOW_RISE, MID_RISE, HIGH_RISE)
#: DOMAIN.md §5 Fee: *configurable per building type; defaults 0.60 for ≤ 5 storeys, 0.90 for
#: 6–9 storeys*. Buildings of 10 storeys or more have none (Exact readings).
DEFAULT_FEE_STANDARDS: dict[str, Decimal] = {LOW_RISE: Decimal("0.60"), MID_RISE: Decimal("0.90")}
MAX_STOREYS = 100
MAX_RATE = Decimal("100")
EARLIEST_DAY, LATEST_DAY = date(1990, 1, 1), date(2100, 12, 31)

DEFAULT_FULL_YEARS = 3
DEFAULT_PARTIAL_THROUGH_YEARS = 5
DEFAULT_PARTIAL_PERCENT = Decimal("50")
DEFAULT_EXTENSION_UNTIL = date(2025, 12, 31)
DEFAULT_TRANSITION_END = date(2025, 12, 31)
MAX_WINDOW_YEARS = 30


def building_type_of(storeys: int) -> str:
    """The fee-standard class of a building by its storeys: ≤ 5, 6–9, ≥ 10.

    Source: DOMAIN.md §5 Fee (defaults 0.60 for ≤ 5 storeys, 0.90 for 6–9) and Exact
    readings (10 storeys or more: no default, a standard must be configured).
    """
    if isinstance(storeys, bool) or not isinstance(storeys, int) or not 1 <= storeys <= MAX_STOREYS:
        raise InvalidBuilding(f"storeys must be a whole number from 1 to {MAX_STOREYS}")
    if storeys <= 5:
        return LOW_RISE
    return MID_RISE if storeys <= 9 else HIGH_RISE


def _check_day(day: object, what: str, error: type[ValueError]) -> date:
    if not isinstance(day, date) or not EARLIEST_DAY <= day <= LATEST_DAY:
        raise error(f"{what} must be a date from {EARLIEST_DAY} to {LATEST_DAY}")
    return day


def _decimal(value: object, what: str, error: type[ValueError], places: int) -> Decimal:
    if isinstance(value, bool | float) or not isinstance(value, str | int | Decimal):
        raise error(f"{what} must be a decimal string")
    try:
        number = Decimal(value) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise error(f"{what} {value!r} is not a decimal number") from None
    if not number.is_finite():
        raise error(f"{what} must be finite")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places and number != number.quantize(Decimal(1).scaleb(-places)):
        raise error(f"{what} {value!r} has more than {places} decimals")
    return number


class EffectiveDated(Protocol):
    @property
    def effective_on(self) -> date: ...


E = TypeVar("E", bound=EffectiveDated)


def in_force_on(versions: Iterable[E], day: date) -> E | None:
    """The one of ``versions`` in force on ``day``: the latest effective on or before it (None: none yet).

    Source: DOMAIN.md §5 Subsidy policy ("Policies are effective-dated versions: a new version
    applies from its effective date"); the same reading serves fee standards (§5 Fee, per
    building type) and floor-area and move-in corrections ("effective from a date", Exact
    readings). Of two effective on one date, the later in ``versions`` (the later recorded).
    """
    found: E | None = None
    for version in versions:
        if version.effective_on <= day and (found is None or version.effective_on >= found.effective_on):
            found = version
    return found


# --- fee standards ------------------------------------------------------------------------------
@value_type("anju.subsidies.FeeStandard")
class FeeStandard:
    """Yuan per m² per month for one building type, from a date."""

    building_type: str
    effective_on: date
    rate_per_m2_month: Decimal

    @classmethod
    def configured(cls, building_type: str, effective_on: date, rate_per_m2_month: object) -> FeeStandard:
        """A standard as a user sets it: a known type, a date, a rate > 0 with ≤ 4 decimals."""
        if building_type not in BUILDING_TYPES:
            raise InvalidFeeStandard(f"building type must be one of {', '.join(BUILDING_TYPES)}")
        _check_day(effective_on, "effective date", InvalidFeeStandard)
        rate = _decimal(rate_per_m2_month, "fee standard", InvalidFeeStandard, 4)
        if not Decimal(0) < rate <= MAX_RATE:
            raise InvalidFeeStandard(f"fee standard must be > 0 and ≤ {MAX_RATE} yuan/m²/month")
        return cls(building_type, effective_on, rate)


def fee_standard_on(standards: Sequence[FeeStandard], building_type: str, day: date) -> Decimal:
    """The fee standard of a building type in force on ``day``.

    Source: DOMAIN.md §5 Fee (configurable per building type, effective-dated; defaults
    0.60 for ≤ 5 storeys and 0.90 for 6–9) and Exact readings (≥ 10 storeys: no default,
    so billing such a household before a standard is configured is refused).
    """
    standard = in_force_on((s for s in standards if s.building_type == building_type), day)
    rate = standard.rate_per_m2_month if standard is not None else DEFAULT_FEE_STANDARDS.get(building_type)
    if rate is None:
        raise FeeStandardNotConfigured(
            f"no fee standard for {building_type} buildings (10 storeys or more) on {day}; configure one first")
    return rate


def standard_change_days(standards: Sequence[FeeStandard], building_type: str) -> tuple[date, ...]:
    return tuple(s.effective_on for s in standards if s.building_type == building_type)


# --- subsidy policy -----------------------------------------------------------------------------
@value_type("anju.subsidies.PolicyVersion")
class PolicyVersion:
    """One version of a community's subsidy policy, in force from ``effective_on``.

    Windows count years after moving in (民法典 Arts. 201–202): 100 % through the
    ``full_years`` anniversary, ``partial_percent`` through the ``partial_through_years``
    anniversary, then — only if an extension is granted — the partial ratio up to
    ``extension_until``; no day after ``transition_end`` is subsidised.
    """

    version: int
    effective_on: date
    full_years: int = DEFAULT_FULL_YEARS
    partial_through_years: int = DEFAULT_PARTIAL_THROUGH_YEARS
    partial_percent: Decimal = DEFAULT_PARTIAL_PERCENT
    extension_granted: bool = False
    extension_until: date = DEFAULT_EXTENSION_UNTIL
    transition_end: date = DEFAULT_TRANSITION_END

    @classmethod
    def adopted(cls, version: int, effective_on: date, *, full_years: int = DEFAULT_FULL_YEARS,
                partial_through_years: int = DEFAULT_PARTIAL_THROUGH_YEARS,
                partial_percent: object = DEFAULT_PARTIAL_PERCENT, extension_granted: bool = False,
                extension_until: date | None = None, transition_end: date | None = None) -> PolicyVersion:
        """A version as a community adopts it (validated here, never when history is read)."""
        _check_day(effective_on, "effective date", InvalidSubsidyPolicy)
        for what, years in (("full window", full_years), ("partial window", partial_through_years)):
            if isinstance(years, bool) or not isinstance(years, int) or not 0 <= years <= MAX_WINDOW_YEARS:
                raise InvalidSubsidyPolicy(f"{what} years must be a whole number from 0 to {MAX_WINDOW_YEARS}")
        if partial_through_years < full_years:
            raise InvalidSubsidyPolicy("the partial window cannot end before the full window")
        percent = _decimal(partial_percent, "partial ratio percent", InvalidSubsidyPolicy, 2)
        if not Decimal(0) <= percent <= Decimal(100):
            raise InvalidSubsidyPolicy("the partial ratio is a percent from 0 to 100")
        if not isinstance(extension_granted, bool):
            raise InvalidSubsidyPolicy("extension granted must be true or false")
        until = _check_day(extension_until or DEFAULT_EXTENSION_UNTIL, "extension date", InvalidSubsidyPolicy)
        end = _check_day(transition_end or DEFAULT_TRANSITION_END, "transition end", InvalidSubsidyPolicy)
        return cls(version, effective_on, full_years, partial_through_years, percent, extension_granted, until, end)


#: The policy in force where a community has adopted no version: DOMAIN.md §5 defaults.
DEFAULT_POLICY = PolicyVersion(0, date.min)


def policy_on(versions: Sequence[PolicyVersion], day: date) -> PolicyVersion:
    """The policy version in force on ``day`` (see ``in_force_on``), else the default policy.

    Source: DOMAIN.md §5 Subsidy policy — its defaults (100 % through the 3rd year, 50 %
    through the 5th, extension and transition end 2025-12-31) hold until a community's first
    version takes effect.
    """
    found = in_force_on(versions, day)
    return found if found is not None else DEFAULT_POLICY


# --- aggregates -----------------------------------------------------------------------------------
def fee_standards_id(book_code: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"subsidies/{book_code}/fee-standards")


def subsidy_policy_id(book_code: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"subsidies/{book_code}/subsidy-policy")


class FeeStandards(Aggregate):
    """A community's configured fee standards, in the order they were set."""

    @staticmethod
    def create_id(book_code: str) -> UUID:  # type: ignore[override]
        return fee_standards_id(book_code)

    @event("Started")
    def __init__(self, audit: Audit, book_code: str) -> None:
        self.book_code = book_code
        self.standards: tuple[FeeStandard, ...] = ()

    def check_in_order(self, standard: FeeStandard) -> None:
        """A type's standards are set in date order: history is never rewritten."""
        for existing in self.standards:
            if existing.building_type == standard.building_type and existing.effective_on >= standard.effective_on:
                raise FeeStandardOutOfOrder(
                    f"a {standard.building_type} standard is already in force from {existing.effective_on}; "
                    f"a new one must start after it")

    def set_standard(self, audit: Audit, standard: FeeStandard) -> None:
        self.check_in_order(standard)
        self._standard_set(audit=audit, standard=standard)

    @event("StandardSet")
    def _standard_set(self, audit: Audit, standard: FeeStandard) -> None:
        self.standards = (*self.standards, standard)


class SubsidyPolicy(Aggregate):
    """A community's subsidy policy versions, numbered 1, 2, … in the order adopted."""

    @staticmethod
    def create_id(book_code: str) -> UUID:  # type: ignore[override]
        return subsidy_policy_id(book_code)

    @event("Started")
    def __init__(self, audit: Audit, book_code: str) -> None:
        self.book_code = book_code
        self.versions: tuple[PolicyVersion, ...] = ()

    @property
    def next_version(self) -> int:
        return len(self.versions) + 1

    def check_does_not_overlap(self, version: PolicyVersion) -> None:
        """Versions follow one another: each starts after the latest one (DOMAIN.md §5 Subsidy policy)."""
        if self.versions and version.effective_on <= self.versions[-1].effective_on:
            latest = self.versions[-1]
            raise PolicyVersionOverlaps(
                f"version {latest.version} is in force from {latest.effective_on}; a new version must start after it")

    def adopt(self, audit: Audit, version: PolicyVersion) -> None:
        self.check_does_not_overlap(version)
        self._adopted(audit=audit, version=version)

    @event("VersionAdopted")
    def _adopted(self, audit: Audit, version: PolicyVersion) -> None:
        self.versions = (*self.versions, version)
