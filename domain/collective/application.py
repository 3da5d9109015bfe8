"""Use cases of a collective-economy organisation: ``fn(uow, audit, ...)``, run by the group-commit writer.

Each use case gets its aggregates from the unit of work, calls their commands
(which run their own rule checks) and, where money moves, posts the voucher on
the organisation's book in the same command, so the event and its voucher are
saved together or not at all. Balances a rule needs come from the book's
``BookMonth`` aggregates, never from read models.

The order in which a use case first touches aggregates is the order their
events are saved in (the writer saves aggregate by aggregate): keep it when
editing, or the log positions of a replayed history change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.collective.charter import Charter
from domain.collective.errors import (
    BookNotCollective,
    InvalidProject,
    OrganisationAlreadyRegistered,
    OrganisationNotFound,
    UnknownMember,
)
from domain.collective.identity import ProtectedIdentity, protect_identity_number
from domain.collective.membership import (
    ConfirmedMember,
    Member,
    Membership,
    MembershipEndReason,
    check_wire_id,
    confirm_member,
    membership_id,
)
from domain.collective.organisation import Organisation, organisation_id
from domain.collective.project import (
    PAYOUT_COST_ACCOUNT,
    Project,
    check_project_units,
    project_id,
)
from domain.collective.resolution import AssemblyResolution, check_resolution_passes
from domain.collective.shares import (
    NO_UNITS,
    inherit_shares,
    quantify_shares,
    redeem_shares,
    share_movements,
    transfer_shares,
)
from domain.collective.year_end import COLLECTIVE_CHART
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.book import Book
from ledger.journal import Voucher
from ledger.writer import UnitOfWork


# --- organisations ------------------------------------------------------------------
def get_organisation(uow: UnitOfWork, book_code: str) -> Organisation:
    return uow.get(Organisation, organisation_id(book_code),
                   OrganisationNotFound(f"no collective organisation {book_code!r}"))


def check_book_fits_organisation(book: Book, community_id: str, township_id: str) -> None:
    """An organisation keeps its accounts on one book of the 2023 chart for collectives (DOMAIN.md §2)."""
    if book.entity_kind != "collective" or book.chart_name != COLLECTIVE_CHART:
        raise BookNotCollective(f"book {book.book_code} is not a collective book on the {COLLECTIVE_CHART} chart")
    if (book.community_id, book.township_id) != (community_id, township_id):
        raise BookNotCollective(f"book {book.book_code} belongs to community {book.community_id}")


def register_organisation(uow: UnitOfWork, audit: Audit, *, book_code: str, name: str, community_id: str,
                          township_id: str, credit_code: str, charter: Charter, registered_on: date,
                          book_starts_on: date | None = None, adopt_existing_book: bool = False) -> Organisation:
    """Register an organisation and open its book (or adopt the community's existing collective book)."""
    if uow.get_optional(Organisation, organisation_id(book_code)) is not None:
        raise OrganisationAlreadyRegistered(f"an organisation already keeps book {book_code!r}")
    organisation = Organisation.register(
        audit, book_code=book_code, name=name, community_id=community_id, township_id=township_id,
        credit_code=credit_code, charter=charter, registered_on=registered_on, book_adopted=adopt_existing_book)
    if adopt_existing_book:
        check_book_fits_organisation(bookkeeping.get_book(uow, book_code), community_id, township_id)
    else:
        bookkeeping.open_book(uow, audit, book_code=book_code, name=name, entity_kind="collective",
                              community_id=community_id, township_id=township_id, chart_name=COLLECTIVE_CHART,
                              starts_on=book_starts_on or registered_on)
    return uow.add(organisation)


# --- members ------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberCandidate:
    """A person to confirm, as the assembly's list gives them (the identity number only passes through)."""

    member_id: str
    name: str
    household_id: str
    identity_number: str


def get_membership(uow: UnitOfWork, book_code: str, member_id: str) -> Membership:
    return uow.get(Membership, membership_id(book_code, member_id),
                   UnknownMember(f"no member {member_id} in {book_code}"))


def _register_around(uow: UnitOfWork, organisation: Organisation, member_id: str, identity: ProtectedIdentity,
                     batch_by_id: Mapping[str, Member], batch_by_hash: Mapping[str, Member]) -> dict[str, Member]:
    """The lines of the register a confirmation must be checked against: same id or same person."""
    register: dict[str, Member] = {}
    for line in (batch_by_id.get(member_id), batch_by_hash.get(identity.keyed_hash_hex)):
        if line is not None:
            register[line.member_id] = line
    same_id = uow.get_optional(Membership, membership_id(organisation.book_code, member_id))
    if same_id is not None:
        register[member_id] = same_id.line
    holder = organisation.member_with_identity(identity.keyed_hash_hex)
    if holder is not None:
        register[holder] = get_membership(uow, organisation.book_code, holder).line
    return register


def confirm_members(uow: UnitOfWork, audit: Audit, identity_key: bytes, book_code: str,
                    resolution: AssemblyResolution, candidates: Sequence[MemberCandidate]) -> list[Membership]:
    """Confirm a batch of members by the members' assembly resolution that confirmed them.

    Source: 农村集体经济组织法 Arts. 11–12, 27 (DOMAIN.md §3). Identity numbers
    are stored only masked plus keyed hash. A duplicate (same id or same
    person), a rejoin and a resolution below threshold are each rejected.
    """
    organisation = get_organisation(uow, book_code)
    check_resolution_passes(resolution)
    batch_by_id: dict[str, Member] = {}
    batch_by_hash: dict[str, Member] = {}
    accepted: list[tuple[Member, MemberCandidate]] = []
    for candidate in candidates:
        check_wire_id(candidate.member_id, "member id")
        identity = protect_identity_number(identity_key, candidate.identity_number)
        register = _register_around(uow, organisation, candidate.member_id, identity, batch_by_id, batch_by_hash)
        line = confirm_member(register, member_id=candidate.member_id, identity=identity,
                              resolution=resolution)[candidate.member_id]
        batch_by_id[line.member_id] = line
        batch_by_hash[identity.keyed_hash_hex] = line
        accepted.append((line, candidate))
    organisation.confirm_members(audit, resolution, [
        ConfirmedMember(line.member_id, line.identity.keyed_hash_hex, candidate.household_id)
        for line, candidate in accepted])
    return [uow.add(Membership.confirm(audit, book_code=book_code, line=line, name=candidate.name,
                                       household_id=candidate.household_id)) for line, candidate in accepted]


def end_membership(uow: UnitOfWork, audit: Audit, book_code: str, member_id: str, ended_on: date,
                   reason: MembershipEndReason) -> Membership:
    """End a membership with its legal reason (Arts. 11–18); its units stay where they are.

    Source: DOMAIN.md §3 (Shares): static management, 生不增、死不减 (中发〔2016〕37号) — a death or an exit
    re-cuts no shares; units move only by inheritance, transfer or redemption.
    """
    get_organisation(uow, book_code)
    membership = get_membership(uow, book_code, member_id)
    membership.end(audit, ended_on, reason)
    return membership


def _register_of(uow: UnitOfWork, book_code: str, member_ids: Sequence[str]) -> dict[str, Member]:
    """The register lines of the members named (unknown ids are left out: the rules name them)."""
    register: dict[str, Member] = {}
    for member_id in member_ids:
        membership = uow.get_optional(Membership, membership_id(book_code, member_id))
        if membership is not None:
            register[member_id] = membership.line
    return register


# --- shares -------------------------------------------------------------------------
def quantify(uow: UnitOfWork, audit: Audit, book_code: str, resolution: AssemblyResolution, effective_on: date,
             units_by_member: Mapping[str, Decimal], collective_units: Decimal = NO_UNITS) -> Organisation:
    """Adopt the share quantification plan (股份量化) decided by the full members' assembly (Art. 40)."""
    organisation = get_organisation(uow, book_code)
    share_register = quantify_shares(units_by_member, register=_register_of(uow, book_code, list(units_by_member)),
                                     resolution=resolution, collective_units=collective_units)
    organisation.quantify(audit, resolution, effective_on, share_register.units_by_member,
                          share_register.collective_units)
    return organisation


def inherit(uow: UnitOfWork, audit: Audit, book_code: str, *, deceased_id: str, heir_id: str,
            units: Decimal | None, effective_on: date, reference: str) -> Organisation:
    """A deceased member's units pass to an heir who is a member (inside the organisation only)."""
    organisation = get_organisation(uow, book_code)
    organisation.check_shares_quantified()
    before = dict(organisation.holdings)
    after = inherit_shares(before, _register_of(uow, book_code, [deceased_id, heir_id]), deceased_id=deceased_id,
                           heir_id=heir_id, units=units)
    organisation.move_shares(audit, after, share_movements(before, after, effective_on, "inherited", reference,
                                                           {deceased_id: heir_id, heir_id: deceased_id}))
    return organisation


def transfer(uow: UnitOfWork, audit: Audit, book_code: str, *, from_id: str, to_id: str, units: Decimal,
             effective_on: date, reference: str) -> Organisation:
    """Units move to another current member; never outside the organisation."""
    organisation = get_organisation(uow, book_code)
    organisation.check_shares_quantified()
    before = dict(organisation.holdings)
    after = transfer_shares(before, _register_of(uow, book_code, [from_id, to_id]), from_id=from_id, to_id=to_id,
                            units=units)
    organisation.move_shares(audit, after, share_movements(before, after, effective_on, "transferred", reference,
                                                           {from_id: to_id, to_id: from_id}))
    return organisation


def redeem(uow: UnitOfWork, audit: Audit, book_code: str, *, holder_id: str, units: Decimal, effective_on: date,
           reference: str) -> Organisation:
    """The organisation buys back units, which are cancelled (the price is a voucher of its own)."""
    organisation = get_organisation(uow, book_code)
    organisation.check_shares_quantified()
    if holder_id not in organisation.holdings:
        get_membership(uow, book_code, holder_id)  # an unknown holder is named as such
    before = dict(organisation.holdings)
    after = redeem_shares(before, holder_id=holder_id, units=units)
    organisation.move_shares(audit, after, share_movements(before, after, effective_on, "redeemed", reference, {}))
    return organisation


# --- projects ----------------------------------------------------------------------
def register_project(uow: UnitOfWork, audit: Audit, book_code: str, *, project_code: str, name: str, method: str,
                     amount_per_unit: Decimal | None, units_by_household: Mapping[str, int],
                     started_on: date) -> Project:
    """Households take units in a pooled asset-income project (资产收益, DOMAIN.md §3)."""
    organisation = get_organisation(uow, book_code)
    organisation.check_households_known([household for household, _ in check_project_units(units_by_household)])
    project = Project.register(audit, book_code=book_code, project_code=project_code, name=name, method=method,
                               amount_per_unit=amount_per_unit, units_by_household=units_by_household,
                               started_on=started_on)
    organisation.register_project(audit, project_code)
    return uow.add(project)


def pay_project_cycle(uow: UnitOfWork, audit: Audit, book_code: str, *, project_code: str, cycle: int,
                      paid_on: date, income: Decimal | None = None,
                      debit_account: str = PAYOUT_COST_ACCOUNT) -> Voucher:
    """A cycle's payout to the participating households, exact to the fen (Dr 511 / Cr 211 household)."""
    get_organisation(uow, book_code)
    project = uow.get(Project, project_id(book_code, project_code),
                      InvalidProject(f"no project {project_code} in {book_code}"))
    payout = project.payout(cycle, paid_on, income)
    voucher = bookkeeping.record_voucher(uow, audit, book_code, project.payout_voucher(cycle, paid_on, payout,
                                                                                     debit_account))
    project.record_cycle(audit, cycle, paid_on, payout, voucher.number)
    return voucher


# The year-end use cases (close, distribute, pay) live in their own module; callers reach them here too.
from domain.collective.year_end_application import (  # noqa: E402,F401 - it needs the getters above
    DistributionResult,
    DividendPayment,
    adopt_distribution,
    close_year,
    get_distribution_in_force,
    pay_dividends,
    reverse_distribution,
    vouchers_in_months,
)
