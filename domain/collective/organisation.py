"""The organisation itself (集体经济组织): registration and its aggregate.

Source: 农村集体经济组织法 (2024) Arts. 6, 19–20 (registration with a charter
and a unified social credit code; ``charter.py``, ``credit_code.py``) and
DOMAIN.md §3.

The ``Organisation`` aggregate changes a few times a year: registration and
charter, the identity-hash index (to refuse a person twice), the share
register's movements, which years are closed and which distribution is in
force per year, and its projects. Members, distributions and projects each
have their own aggregate, so every stream stays short.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.collective.charter import Charter
from domain.collective.credit_code import validate_credit_code
from domain.collective.distribution import DistributionPlan, plan_distribution
from domain.collective.errors import (
    CharterRequired,
    DistributionAlreadyAdopted,
    EmptyBatch,
    InvalidOrganisation,
    InvalidRecordDate,
    NoCollectiveShareClass,
    NoDistribution,
    PreviousYearNotClosed,
    ProjectAlreadyRegistered,
    ShareChangeDateTooEarly,
    SharesAlreadyQuantified,
    SharesNotQuantified,
    UnknownHousehold,
    YearAlreadyClosed,
    YearBeforeBook,
    YearNotClosed,
)
from domain.collective.membership import ConfirmedMember
from domain.collective.resolution import AssemblyResolution, check_resolution_passes
from domain.collective.shares import NO_UNITS, ShareMovement
from domain.collective.topics import keep_old_topics
from domain.collective.year_end import YearClose, check_year, year_end_date
from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE

NAME_LENGTH_LIMIT = 100
MEMBERS_PER_BATCH_LIMIT = 5_000


def check_organisation_name(name: object) -> str:
    """An organisation has a name (e.g. 某某社区股份经济合作社) of bounded length."""
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_LENGTH_LIMIT:
        raise InvalidOrganisation(f"an organisation needs a name of 1–{NAME_LENGTH_LIMIT} characters")
    return name


def check_registered_on(registered_on: object) -> date:
    if not isinstance(registered_on, date):
        raise InvalidOrganisation("registered_on must be a calendar date")
    return registered_on


# --- the organisation's aggregate -------------------------------------------------------
def organisation_id(book_code: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"collective/org/{book_code}")


class Organisation(Aggregate):
    """A collective-economy organisation (集体经济组织), addressed by its book's code."""

    create_id = staticmethod(organisation_id)

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
            raise CharterRequired("the charter is required")
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
            raise NoCollectiveShareClass("the charter has no collective share class (集体股)")
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
            raise YearBeforeBook(f"the book starts on {book_starts_on}")
        if year > book_starts_on.year and year - 1 not in self.closed_years:
            raise PreviousYearNotClosed(f"close {year - 1} before {year}")

    def close_year(self, audit: Audit, close: YearClose) -> None:
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

    # --- distribution --------------------------------------------------------------
    def check_no_distribution_in_force(self, year: int) -> None:
        """One distribution per organisation-year; a second needs the first reversed (DOMAIN.md §3)."""
        if year in self.active_distributions:
            attempt = self.active_distributions[year][0]
            raise DistributionAlreadyAdopted(f"the {year} distribution (attempt {attempt}) is in force; reverse it first")

    def check_record_date(self, year: int, record_date: date) -> None:
        """The record date (股权登记日) lies in the year and not before the shares were quantified."""
        quantified_on = self.check_shares_quantified()
        if record_date.year != year or record_date < quantified_on:
            raise InvalidRecordDate(f"the record date must be in {year} and on or after {quantified_on}")

    def check_can_distribute(self, year: int, resolution: AssemblyResolution, record_date: date | None) -> date:
        """A plan for a closed year with none in force, adopted by a passing resolution; returns the record date."""
        self.check_year_closed(year)
        self.check_no_distribution_in_force(year)
        check_resolution_passes(resolution)
        record_date = record_date or year_end_date(year)
        self.check_record_date(year, record_date)
        return record_date

    def plan_distribution(self, year: int, record_date: date, undistributed: Decimal,
                          declared_amount: Decimal | None) -> DistributionPlan:
        """The year's figures from this organisation's state (DOMAIN.md §3, steps 1–4).

        净收益 comes from the year's close, the holdings from the share register
        on the record date; ``undistributed`` is the book's 未分配收益 through 31
        December, so the opening figure is 年初未分配收益 + 其他转入.
        """
        close = self.check_year_closed(year)
        holdings, collective_units = self.holdings_as_of(record_date)
        return plan_distribution(
            year=year, record_date=record_date, net_income=close.net_income,
            opening_undistributed=undistributed - close.net_income,
            reserve_rate_percent=self.charter.reserve_rate_percent, units_by_member=holdings,
            collective_units=collective_units, declared_amount=declared_amount)

    def next_distribution_attempt(self, year: int) -> int:
        return self.distribution_attempts.get(year, 0) + 1

    def distribution_in_force(self, year: int) -> int:
        if year not in self.active_distributions:
            raise NoDistribution(f"no distribution in force for {year}")
        return self.active_distributions[year][0]

    def adopt_distribution(self, audit: Audit, plan: DistributionPlan) -> int:
        """Record the plan as the year's distribution in force; returns its attempt number."""
        self.check_no_distribution_in_force(plan.year)
        attempt = self.next_distribution_attempt(plan.year)
        self._distribution_adopted(audit=audit, year=plan.year, attempt=attempt, record_date=plan.record_date)
        return attempt

    @event("DistributionAdopted")
    def _distribution_adopted(self, audit: Audit, year: int, attempt: int, record_date: date) -> None:
        self.distribution_attempts[year] = attempt
        self.active_distributions[year] = (attempt, record_date)

    def reverse_distribution(self, audit: Audit, year: int, attempt: int) -> None:
        if self.distribution_in_force(year) != attempt:
            raise NoDistribution(f"attempt {attempt} is not the {year} distribution in force")
        self._distribution_reversed(audit=audit, year=year, attempt=attempt)

    @event("DistributionReversed")
    def _distribution_reversed(self, audit: Audit, year: int, attempt: int) -> None:
        self.active_distributions.pop(year, None)

    # --- projects ----------------------------------------------------------------
    def check_households_known(self, household_ids: Sequence[str]) -> None:
        """Project participants are households of the organisation's members (DOMAIN.md §3)."""
        unknown = sorted(set(household_ids) - self.households)
        if unknown:
            raise UnknownHousehold(f"no member of {self.book_code} belongs to household(s) {', '.join(unknown[:5])}")

    def register_project(self, audit: Audit, project_code: str) -> None:
        if project_code in self.projects:
            raise ProjectAlreadyRegistered(f"project {project_code} already exists")
        self._project_registered(audit=audit, project_code=project_code)

    @event("ProjectRegistered")
    def _project_registered(self, audit: Audit, project_code: str) -> None:
        self.projects.add(project_code)


keep_old_topics(Organisation)
