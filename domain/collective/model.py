"""Aggregates of a collective-economy organisation (DOMAIN.md §3).

Aggregate boundaries keep every stream short however many members there are:

* ``Organisation`` — registration, charter, the identity-hash index (to refuse a
  person twice), the share register's movements, which years are closed and
  which distribution is in force per year. It changes a few times a year.
* ``Membership`` — one per member: the register line and the dividends paid to
  that member. Payments one by one touch only the member's own stream.
* ``Distribution`` — one per organisation-year and attempt: the adopted plan,
  its figures and every member's dividend line, and its reversal.
* ``Project`` — one per pooled asset-income project (资产收益): participants
  and the cycles paid.

Every command method checks its rules first (the pure functions of this
package), then triggers one event whose body only changes state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.collective.errors import CollectiveRuleBroken
from domain.collective.identity import ProtectedIdentity
from domain.collective.membership import (
    Member,
    MembershipEndReason,
    check_member_id,
    end_membership,
)
from domain.collective.organisation import (
    Charter,
    check_organisation_name,
    check_registered_on,
    validate_credit_code,
)
from domain.collective.resolution import AssemblyResolution, check_resolution_passes
from domain.collective.shares import NO_UNITS, InvalidShareUnits, parse_share_units
from domain.collective.year_end import check_year
from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE
from ledger.money import ZERO, parse_amount
from ledger.values import value_type

# The pure rule modules' value types travel inside events: register them here
# (by a stable stored name) rather than make the rule modules know the store.
value_type("anju.collective.AssemblyResolution")(AssemblyResolution)
value_type("anju.collective.ProtectedIdentity")(ProtectedIdentity)

MEMBERS_PER_BATCH_LIMIT = 5_000
HOUSEHOLD_ID_LENGTH_LIMIT = 40
PERSON_NAME_LENGTH_LIMIT = 50
#: Member ids become sub-ledger keys (``member:<id>``), so they keep to that alphabet.
WIRE_ID_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
WIRE_ID_LENGTH_LIMIT = 40


# --- ids ---------------------------------------------------------------------------
def organisation_id(book_code: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"collective/org/{book_code}")


def membership_id(book_code: str, member_id: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"collective/org/{book_code}/member/{member_id}")


def distribution_id(book_code: str, year: int, attempt: int) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"collective/org/{book_code}/distribution/{year}/{attempt}")


def project_id(book_code: str, project_code: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"collective/org/{book_code}/project/{project_code}")


# --- errors ------------------------------------------------------------------------
class OrganisationAlreadyRegistered(CollectiveRuleBroken):
    """One organisation per book (and the book's code names the organisation)."""

    type_slug = "organisation-already-registered"


class OrganisationNotFound(LookupError):
    type_slug = "organisation-not-found"


class InvalidWireId(CollectiveRuleBroken):
    """Member, household and project ids: 1–40 letters, digits, '_', '.', '-'."""

    type_slug = "invalid-id"


class InvalidMemberDetails(CollectiveRuleBroken):
    """A member's name or household is missing or too long."""

    type_slug = "invalid-member-details"


class EmptyBatch(CollectiveRuleBroken):
    """A batch without any item, or above its limit."""

    type_slug = "invalid-batch"


class SharesAlreadyQuantified(CollectiveRuleBroken):
    """Static management: the quantification plan is adopted once (生不增、死不减)."""

    type_slug = "shares-already-quantified"


class SharesNotQuantified(CollectiveRuleBroken):
    """Share changes and distributions need the quantification plan first."""

    type_slug = "shares-not-quantified"


class ShareChangeDateTooEarly(CollectiveRuleBroken):
    """A share change dated before the register's last change or a distribution's record date."""

    type_slug = "share-change-date-too-early"


class YearAlreadyClosed(CollectiveRuleBroken):
    type_slug = "year-already-closed"


class PreviousYearNotClosed(CollectiveRuleBroken):
    type_slug = "previous-year-not-closed"


class YearNotClosed(CollectiveRuleBroken):
    type_slug = "year-not-closed"


class DistributionAlreadyAdopted(CollectiveRuleBroken):
    """One distribution per organisation-year; a second needs the first reversed."""

    type_slug = "distribution-already-adopted"


class NoDistribution(CollectiveRuleBroken):
    """No distribution in force for the year."""

    type_slug = "no-distribution"


class InvalidRecordDate(CollectiveRuleBroken):
    """The record date (股权登记日) lies outside the year or before the shares were quantified."""

    type_slug = "invalid-record-date"


class PaymentExceedsOwed(CollectiveRuleBroken):
    """A dividend payment above what is still owed to the member for that year."""

    type_slug = "payment-exceeds-owed"


class NoDividendDeclared(CollectiveRuleBroken):
    """The member has no dividend line in the year's distribution."""

    type_slug = "no-dividend-declared"


class DividendsAlreadyPaid(CollectiveRuleBroken):
    """A distribution with dividends paid is not reversed; reverse the payments first."""

    type_slug = "dividends-already-paid"


class DistributionAlreadyReversed(CollectiveRuleBroken):
    type_slug = "distribution-already-reversed"


class ProjectAlreadyRegistered(CollectiveRuleBroken):
    type_slug = "project-already-registered"


class UnknownHousehold(CollectiveRuleBroken):
    """A project participant that is no household of the organisation's members."""

    type_slug = "unknown-household"


class InvalidProject(CollectiveRuleBroken):
    type_slug = "invalid-project"


def check_wire_id(value: object, what: str) -> str:
    """Ids that appear in URLs and sub-ledger keys keep to a small alphabet."""
    if (not isinstance(value, str) or not 0 < len(value) <= WIRE_ID_LENGTH_LIMIT
            or not set(value) <= WIRE_ID_CHARACTERS):
        raise InvalidWireId(f"{what} {value!r} must be 1–{WIRE_ID_LENGTH_LIMIT} letters, digits, '_', '.' or '-'")
    return value


# --- value types carried by events ---------------------------------------------------
@value_type("anju.collective.ConfirmedMember")
@dataclass(frozen=True)
class ConfirmedMember:
    """What the organisation keeps of a confirmed member: id, identity hash, household."""

    member_id: str
    identity_hash: str
    household_id: str


@value_type("anju.collective.ShareMovement")
@dataclass(frozen=True)
class ShareMovement:
    """One change of one holder's units on a date (quantified, inherited, transferred, redeemed).

    ``member_id`` is empty for the collective share class (集体股).
    """

    effective_on: date
    member_id: str
    delta_units: Decimal
    kind: str
    counterparty: str = ""
    reference: str = ""


@value_type("anju.collective.YearClose")
@dataclass(frozen=True)
class YearClose:
    """A closed year: its 净收益 and the closing vouchers."""

    year: int
    net_income: Decimal
    voucher_numbers: tuple[str, ...]


@value_type("anju.collective.DividendLine")
@dataclass(frozen=True)
class DividendLine:
    """One member's dividend in a distribution: units on the record date and the amount."""

    member_id: str
    units: Decimal
    amount: Decimal


@value_type("anju.collective.DistributionFigures")
@dataclass(frozen=True)
class DistributionFigures:
    """The figures of a year-end distribution (DOMAIN.md §3), in yuan."""

    net_income: Decimal
    opening_undistributed: Decimal
    distributable_income: Decimal
    loss_covered: Decimal
    withdrawal_base: Decimal
    reserve_rate_percent: Decimal
    reserve_withdrawal: Decimal
    distributable_to_members: Decimal
    declared: Decimal
    collective_units: Decimal
    collective_share_amount: Decimal
    undistributed_after: Decimal
    allocation_method: str


@value_type("anju.collective.ProjectShare")
@dataclass(frozen=True)
class ProjectShare:
    """A household's units in a project (cows, pens), and in a cycle its payout."""

    household_id: str
    units: int
    amount: Decimal = ZERO


# --- the organisation ------------------------------------------------------------
class Organisation(Aggregate):
    """A collective-economy organisation (集体经济组织), addressed by its book's code."""

    @staticmethod
    def create_id(book_code: str) -> UUID:  # type: ignore[override]
        return organisation_id(book_code)

    @event("Registered")
    def __init__(self, audit: Audit, book_code: str, name: str, community_id: str, township_id: str,
                 credit_code: str, charter: Charter, registered_on: date, book_adopted: bool) -> None:
        self.book_code = book_code
        self.name = name
        self.community_id = community_id
        self.township_id = township_id
        self.credit_code = credit_code
        self.charter = charter
        self.registered_on = registered_on
        self.book_adopted = book_adopted
        self.identity_index: dict[str, str] = {}
        self.households: set[str] = set()
        self.members_confirmed = 0
        self.quantified_on: date | None = None
        self.movements: list[ShareMovement] = []
        self.holdings: dict[str, Decimal] = {}
        self.collective_units = NO_UNITS
        self.closed_years: dict[int, YearClose] = {}
        self.distribution_attempts: dict[int, int] = {}
        self.active_distributions: dict[int, tuple[int, date]] = {}
        self.projects: set[str] = set()

    @classmethod
    def register(cls, audit: Audit, *, book_code: str, name: str, community_id: str, township_id: str,
                 credit_code: str, charter: Charter, registered_on: date, book_adopted: bool) -> Organisation:
        """Register an organisation; the caller opens or adopts its book in the same command."""
        check_organisation_name(name)
        validate_credit_code(credit_code)
        check_registered_on(registered_on)
        if not isinstance(charter, Charter):
            raise CollectiveRuleBroken("the charter is required")
        return cls(audit=audit, book_code=book_code, name=name, community_id=community_id,
                   township_id=township_id, credit_code=credit_code, charter=charter,
                   registered_on=registered_on, book_adopted=book_adopted)

    # --- members ---------------------------------------------------------------
    def member_with_identity(self, identity_hash: str) -> str | None:
        return self.identity_index.get(identity_hash)

    def confirm_members(self, audit: Audit, resolution: AssemblyResolution,
                        confirmed: Sequence[ConfirmedMember]) -> None:
        check_resolution_passes(resolution)
        if not 0 < len(confirmed) <= MEMBERS_PER_BATCH_LIMIT:
            raise EmptyBatch(f"confirm 1–{MEMBERS_PER_BATCH_LIMIT} members at a time")
        self._members_confirmed(audit=audit, resolution=resolution, confirmed=tuple(confirmed))

    @event("MembersConfirmed")
    def _members_confirmed(self, audit: Audit, resolution: AssemblyResolution,
                           confirmed: tuple[ConfirmedMember, ...]) -> None:
        for entry in confirmed:
            self.identity_index[entry.identity_hash] = entry.member_id
            self.households.add(entry.household_id)
        self.members_confirmed += len(confirmed)

    # --- shares ----------------------------------------------------------------
    def check_shares_quantified(self) -> date:
        if self.quantified_on is None:
            raise SharesNotQuantified(f"{self.book_code}: no share quantification plan adopted yet")
        return self.quantified_on

    def check_share_change_date(self, effective_on: date) -> None:
        """Share changes go forward in time: never before the last change or a distribution's record date.

        Source: DOMAIN.md §3 (dividends are pro rata to shares held on the
        record date): a later change dated on or before an adopted record date
        would silently rewrite that distribution's basis.
        """
        last_change = self.movements[-1].effective_on if self.movements else None
        if last_change is not None and effective_on < last_change:
            raise ShareChangeDateTooEarly(f"the share register last changed on {last_change}")
        for year, (_, record_date) in self.active_distributions.items():
            if effective_on <= record_date:
                raise ShareChangeDateTooEarly(
                    f"the {year} distribution is based on holdings on {record_date}; date the change later")

    def quantify(self, audit: Audit, resolution: AssemblyResolution, effective_on: date,
                 holdings: Mapping[str, Decimal], collective_units: Decimal) -> None:
        """Adopt the quantification plan (checked by ``shares.quantify_shares`` beforehand)."""
        if self.quantified_on is not None:
            raise SharesAlreadyQuantified(f"shares were quantified on {self.quantified_on}")
        if collective_units > 0 and not self.charter.collective_share_class:
            raise CollectiveRuleBroken("the charter has no collective share class (集体股)")
        if effective_on < resolution.resolved_on:
            raise ShareChangeDateTooEarly("the plan takes effect on or after the resolution adopting it")
        movements = [ShareMovement(effective_on, member_id, units, "quantified", "", resolution.reference)
                     for member_id, units in sorted(holdings.items())]
        if collective_units > 0:
            movements.append(ShareMovement(effective_on, "", collective_units, "quantified", "", resolution.reference))
        self._shares_quantified(audit=audit, resolution=resolution, effective_on=effective_on,
                                movements=tuple(movements))

    @event("SharesQuantified")
    def _shares_quantified(self, audit: Audit, resolution: AssemblyResolution, effective_on: date,
                           movements: tuple[ShareMovement, ...]) -> None:
        self.quantified_on = effective_on
        self._apply_movements(movements)

    def move_shares(self, audit: Audit, holdings_after: Mapping[str, Decimal],
                    movements: Sequence[ShareMovement]) -> None:
        """Record an inheritance, transfer or redemption computed by the rules of ``shares.py``."""
        self.check_shares_quantified()
        for movement in movements:
            self.check_share_change_date(movement.effective_on)
        expected = dict(self.holdings)
        for movement in movements:
            expected[movement.member_id] = expected.get(movement.member_id, NO_UNITS) + movement.delta_units
        assert {k: v for k, v in expected.items() if v} == dict(holdings_after), "movements must match the rule"
        self._shares_moved(audit=audit, movements=tuple(movements))

    @event("SharesMoved")
    def _shares_moved(self, audit: Audit, movements: tuple[ShareMovement, ...]) -> None:
        self._apply_movements(movements)

    def _apply_movements(self, movements: Sequence[ShareMovement]) -> None:
        for movement in movements:
            self.movements.append(movement)
            if movement.member_id == "":
                self.collective_units += movement.delta_units
                continue
            units = self.holdings.get(movement.member_id, NO_UNITS) + movement.delta_units
            if units:
                self.holdings[movement.member_id] = units
            else:
                self.holdings.pop(movement.member_id, None)

    def holdings_as_of(self, day: date) -> tuple[dict[str, Decimal], Decimal]:
        """Units per member and of the collective class on a date (the record date)."""
        members: dict[str, Decimal] = {}
        collective = NO_UNITS
        for movement in self.movements:
            if movement.effective_on > day:
                continue
            if movement.member_id == "":
                collective += movement.delta_units
            else:
                members[movement.member_id] = members.get(movement.member_id, NO_UNITS) + movement.delta_units
        return {k: v for k, v in members.items() if v > 0}, collective

    # --- year end ----------------------------------------------------------------
    def check_year_can_close(self, year: int, book_starts_on: date) -> None:
        """Years close once and in order (the book's first year needs no predecessor)."""
        check_year(year)
        if year in self.closed_years:
            raise YearAlreadyClosed(f"{year} is already closed for {self.book_code}")
        if year < book_starts_on.year:
            raise CollectiveRuleBroken(f"the book starts on {book_starts_on}")
        if year > book_starts_on.year and year - 1 not in self.closed_years:
            raise PreviousYearNotClosed(f"close {year - 1} before {year}")

    def record_year_closed(self, audit: Audit, close: YearClose) -> None:
        if close.year in self.closed_years:
            raise YearAlreadyClosed(f"{close.year} is already closed for {self.book_code}")
        self._year_closed(audit=audit, close=close)

    @event("YearClosed")
    def _year_closed(self, audit: Audit, close: YearClose) -> None:
        self.closed_years[close.year] = close

    def check_year_closed(self, year: int) -> YearClose:
        check_year(year)
        if year not in self.closed_years:
            raise YearNotClosed(f"close {year} (income and expenses to 321, 321 to 322) before distributing")
        return self.closed_years[year]

    def check_no_distribution_in_force(self, year: int) -> None:
        """One distribution per organisation-year; a second needs the first reversed (DOMAIN.md §3)."""
        if year in self.active_distributions:
            attempt = self.active_distributions[year][0]
            raise DistributionAlreadyAdopted(f"the {year} distribution (attempt {attempt}) is in force; reverse it first")

    def next_distribution_attempt(self, year: int) -> int:
        return self.distribution_attempts.get(year, 0) + 1

    def distribution_in_force(self, year: int) -> int:
        if year not in self.active_distributions:
            raise NoDistribution(f"no distribution in force for {year}")
        return self.active_distributions[year][0]

    def record_distribution_adopted(self, audit: Audit, year: int, attempt: int, record_date: date) -> None:
        self.check_no_distribution_in_force(year)
        assert attempt == self.next_distribution_attempt(year)
        self._distribution_adopted(audit=audit, year=year, attempt=attempt, record_date=record_date)

    @event("DistributionAdopted")
    def _distribution_adopted(self, audit: Audit, year: int, attempt: int, record_date: date) -> None:
        self.distribution_attempts[year] = attempt
        self.active_distributions[year] = (attempt, record_date)

    def record_distribution_reversed(self, audit: Audit, year: int, attempt: int) -> None:
        if self.distribution_in_force(year) != attempt:
            raise NoDistribution(f"attempt {attempt} is not the {year} distribution in force")
        self._distribution_reversed(audit=audit, year=year, attempt=attempt)

    @event("DistributionReversed")
    def _distribution_reversed(self, audit: Audit, year: int, attempt: int) -> None:
        self.active_distributions.pop(year, None)

    # --- projects ----------------------------------------------------------------
    def record_project(self, audit: Audit, project_code: str) -> None:
        if project_code in self.projects:
            raise ProjectAlreadyRegistered(f"project {project_code} already exists")
        self._project_registered(audit=audit, project_code=project_code)

    @event("ProjectRegistered")
    def _project_registered(self, audit: Audit, project_code: str) -> None:
        self.projects.add(project_code)

    def check_households_known(self, household_ids: Sequence[str]) -> None:
        """Project participants are households of the organisation's members (DOMAIN.md §3)."""
        unknown = sorted(set(household_ids) - self.households)
        if unknown:
            raise UnknownHousehold(f"no member of {self.book_code} belongs to household(s) {', '.join(unknown[:5])}")


# --- a member --------------------------------------------------------------------
def check_person_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > PERSON_NAME_LENGTH_LIMIT:
        raise InvalidMemberDetails(f"a member's name has 1–{PERSON_NAME_LENGTH_LIMIT} characters")
    return name


class Membership(Aggregate):
    """One member's line of the member register (成员名册) and the dividends paid to them."""

    @staticmethod
    def create_id(book_code: str, member_id: str) -> UUID:  # type: ignore[override]
        return membership_id(book_code, member_id)

    @event("Confirmed")
    def __init__(self, audit: Audit, book_code: str, member_id: str, name: str, household_id: str,
                 identity: ProtectedIdentity, confirmed_on: date, confirmation_reference: str) -> None:
        self.book_code = book_code
        self.member_id = member_id
        self.name = name
        self.household_id = household_id
        self.line = Member(member_id=member_id, identity=identity, confirmed_on=confirmed_on,
                           confirmation_reference=confirmation_reference)
        self.dividends_paid: dict[int, Decimal] = {}

    @classmethod
    def confirm(cls, audit: Audit, *, book_code: str, line: Member, name: str, household_id: str) -> Membership:
        """A register line already checked by ``membership.confirm_member``."""
        check_wire_id(line.member_id, "member id")
        check_wire_id(household_id, "household id")
        check_person_name(name)
        return cls(audit=audit, book_code=book_code, member_id=line.member_id, name=name,
                   household_id=household_id, identity=line.identity, confirmed_on=line.confirmed_on,
                   confirmation_reference=line.confirmation_reference)

    @property
    def is_current(self) -> bool:
        return self.line.is_current

    def end(self, audit: Audit, ended_on: date, reason: MembershipEndReason) -> None:
        """End the membership for a reason of the law (checked by ``membership.end_membership``)."""
        ended = end_membership({self.member_id: self.line}, member_id=self.member_id, ended_on=ended_on,
                               reason=reason)[self.member_id]
        self._ended(audit=audit, book_code=self.book_code, member_id=self.member_id,
                    ended_on=ended.ended_on, reason=reason.value)

    @event("MembershipEnded")
    def _ended(self, audit: Audit, book_code: str, member_id: str, ended_on: date, reason: str) -> None:
        self.line = replace(self.line, ended_on=ended_on, end_reason=MembershipEndReason(reason))

    def paid_for(self, year: int) -> Decimal:
        return self.dividends_paid.get(year, ZERO)

    def check_payment_within_owed(self, year: int, declared: Decimal, amount: Decimal) -> Decimal:
        """A payment may be partial but never above what is still owed for the year.

        Source: DOMAIN.md §3 (dividends payable per member; payment Dr 211 / Cr 102);
        the issue's bad input: a payment above what is owed is rejected.
        """
        owed = declared - self.paid_for(year)
        if amount > owed:
            raise PaymentExceedsOwed(f"member {self.member_id} is owed {owed} for {year}, not {amount}")
        return owed

    def pay_dividend(self, audit: Audit, year: int, declared: Decimal, amount: Decimal, paid_on: date,
                     voucher_number: str) -> None:
        parse_amount(amount)
        if amount <= 0:
            raise PaymentExceedsOwed("a payment is more than zero")
        self.check_payment_within_owed(year, declared, amount)
        self._dividend_paid(audit=audit, book_code=self.book_code, member_id=self.member_id, year=year,
                            amount=amount, paid_on=paid_on, voucher_number=voucher_number)

    @event("DividendPaid")
    def _dividend_paid(self, audit: Audit, book_code: str, member_id: str, year: int, amount: Decimal,
                       paid_on: date, voucher_number: str) -> None:
        self.dividends_paid[year] = self.paid_for(year) + amount


# --- a year's distribution -----------------------------------------------------------
class Distribution(Aggregate):
    """An adopted year-end distribution plan: figures, member lines, vouchers; reversed at most once."""

    @staticmethod
    def create_id(book_code: str, year: int, attempt: int) -> UUID:  # type: ignore[override]
        return distribution_id(book_code, year, attempt)

    @event("Adopted")
    def __init__(self, audit: Audit, book_code: str, year: int, attempt: int, resolution: AssemblyResolution,
                 record_date: date, voucher_date: date, figures: DistributionFigures,
                 lines: tuple[DividendLine, ...], voucher_numbers: tuple[str, ...]) -> None:
        self.book_code = book_code
        self.year = year
        self.attempt = attempt
        self.resolution = resolution
        self.record_date = record_date
        self.voucher_date = voucher_date
        self.figures = figures
        self.lines = tuple(lines)
        self.voucher_numbers = tuple(voucher_numbers)
        self.by_member = {line.member_id: line for line in self.lines}
        self.reversed_on: date | None = None
        self.red_numbers: tuple[str, ...] = ()

    def declared_for(self, member_id: str) -> Decimal:
        line = self.by_member.get(member_id)
        if line is None or line.amount <= 0:
            raise NoDividendDeclared(f"member {member_id} has no dividend in the {self.year} distribution")
        return line.amount

    def reverse(self, audit: Audit, reversed_on: date, red_numbers: Sequence[str]) -> None:
        if self.reversed_on is not None:
            raise DistributionAlreadyReversed(f"the {self.year} distribution was reversed on {self.reversed_on}")
        self._reversed(audit=audit, book_code=self.book_code, year=self.year, attempt=self.attempt,
                       reversed_on=reversed_on, red_numbers=tuple(red_numbers))

    @event("Reversed")
    def _reversed(self, audit: Audit, book_code: str, year: int, attempt: int, reversed_on: date,
                  red_numbers: tuple[str, ...]) -> None:
        self.reversed_on = reversed_on
        self.red_numbers = tuple(red_numbers)


# --- a pooled asset-income project -------------------------------------------------
PROJECT_METHODS = ("fixed-per-unit", "share-of-income")


class Project(Aggregate):
    """A pooled asset-income project (资产收益): households' units and the cycles paid."""

    @staticmethod
    def create_id(book_code: str, project_code: str) -> UUID:  # type: ignore[override]
        return project_id(book_code, project_code)

    @event("Registered")
    def __init__(self, audit: Audit, book_code: str, project_code: str, name: str, method: str,
                 amount_per_unit: Decimal, participants: tuple[ProjectShare, ...], started_on: date) -> None:
        self.book_code = book_code
        self.project_code = project_code
        self.name = name
        self.method = method
        self.amount_per_unit = amount_per_unit
        self.participants = tuple(participants)
        self.started_on = started_on
        self.cycles_paid = 0

    @classmethod
    def register(cls, audit: Audit, *, book_code: str, project_code: str, name: str, method: str,
                 amount_per_unit: Decimal | None, participants: tuple[ProjectShare, ...],
                 started_on: date) -> Project:
        check_wire_id(project_code, "project code")
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            raise InvalidProject("a project needs a name of 1–100 characters")
        if method not in PROJECT_METHODS:
            raise InvalidProject(f"method must be one of {PROJECT_METHODS}")
        if method == "fixed-per-unit":
            if amount_per_unit is None or parse_amount(amount_per_unit) <= 0:
                raise InvalidProject("a fixed-per-unit project needs an amount per unit > 0")
        elif amount_per_unit is not None:
            raise InvalidProject("a share-of-income project has no fixed amount per unit")
        return cls(audit=audit, book_code=book_code, project_code=project_code, name=name, method=method,
                   amount_per_unit=amount_per_unit if amount_per_unit is not None else ZERO,
                   participants=participants, started_on=started_on)

    @property
    def units_by_household(self) -> dict[str, int]:
        return {share.household_id: share.units for share in self.participants}

    def check_next_cycle(self, cycle: int, paid_on: date) -> None:
        """Cycles are paid in order, one payout each, not before the project starts."""
        if cycle != self.cycles_paid + 1:
            raise InvalidProject(f"the next cycle of {self.project_code} is {self.cycles_paid + 1}")
        if paid_on < self.started_on:
            raise InvalidProject(f"project {self.project_code} starts on {self.started_on}")

    def record_cycle(self, audit: Audit, cycle: int, paid_on: date, payouts: tuple[ProjectShare, ...],
                     total: Decimal, method: str, voucher_number: str) -> None:
        self.check_next_cycle(cycle, paid_on)
        self._cycle_paid(audit=audit, book_code=self.book_code, project_code=self.project_code, cycle=cycle,
                         paid_on=paid_on, payouts=payouts, total=total, method=method,
                         voucher_number=voucher_number)

    @event("CyclePaid")
    def _cycle_paid(self, audit: Audit, book_code: str, project_code: str, cycle: int, paid_on: date,
                    payouts: tuple[ProjectShare, ...], total: Decimal, method: str, voucher_number: str) -> None:
        self.cycles_paid = cycle


def share_units(value: object) -> Decimal:
    """Share units from the wire (a decimal string) or the domain (Decimal/int)."""
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except ArithmeticError:
            raise InvalidShareUnits(f"share units {value!r} are not a decimal number") from None
    return parse_share_units(value)


__all__ = [
    "ConfirmedMember", "Distribution", "DistributionFigures", "DividendLine", "Membership", "Organisation",
    "Project", "ProjectShare", "ShareMovement", "YearClose", "check_member_id",
]
