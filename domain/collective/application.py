"""Use cases of a collective-economy organisation: ``fn(uow, audit, ...)``, run by the group-commit writer.

Each use case gets its aggregates from the unit of work, applies the pure rules
of this package and, where money moves, records the voucher on the
organisation's book in the same command, so the event and its voucher are
saved together or not at all. Balances a rule needs come from the book's
``BookMonth`` aggregates, never from read models.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.collective.distribution import (
    ACCOUNT_DISTRIBUTED_TO_MEMBERS,
    ACCOUNT_PAYABLE,
    ACCOUNT_RESERVE,
    ACCOUNT_RESERVE_WITHDRAWN,
    compute_year_end_distribution,
)
from domain.collective.errors import CollectiveRuleBroken
from domain.collective.identity import ProtectedIdentity, protect_identity_number
from domain.collective.membership import (
    Member,
    MembershipEndReason,
    UnknownMember,
    confirm_member,
)
from domain.collective.model import (
    ConfirmedMember,
    Distribution,
    DistributionFigures,
    DividendLine,
    DividendsAlreadyPaid,
    EmptyBatch,
    InvalidProject,
    InvalidRecordDate,
    Membership,
    Organisation,
    OrganisationAlreadyRegistered,
    OrganisationNotFound,
    Project,
    ProjectShare,
    ShareMovement,
    YearClose,
    check_wire_id,
    distribution_id,
    membership_id,
    organisation_id,
    project_id,
)
from domain.collective.organisation import Charter
from domain.collective.projects import (
    check_project_units,
    cycle_payout_fixed_per_unit,
    cycle_payout_share_of_income,
)
from domain.collective.resolution import AssemblyResolution, check_resolution_passes
from domain.collective.shares import (
    NO_UNITS,
    inherit_shares,
    quantify_shares,
    redeem_shares,
    transfer_shares,
)
from domain.collective.year_end import (
    YEAR_CLOSE_SOURCE,
    check_year,
    current_year_income_transfer_lines,
    income_expense_closing_lines,
    net_debit_by_account,
    undistributed_balance,
    year_end_date,
    year_months,
)
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.book import Book, BookMonth, book_month_id, next_month
from ledger.journal import JournalLine, Voucher, VoucherDraft, credit, debit
from ledger.money import ZERO, parse_amount
from ledger.writer import UnitOfWork

COLLECTIVE_CHART = "collective_2023"
#: Member lines per distribution voucher: a voucher takes at most 20,000 lines.
MEMBER_LINES_PER_VOUCHER = 5_000
PAYMENTS_PER_BATCH_LIMIT = 5_000
PAYMENT_ACCOUNTS = ("101", "102")
DISTRIBUTION_SOURCE = "collective:distribution"
DIVIDEND_PAYMENT_SOURCE = "collective:dividend-payment"
PROJECT_PAYOUT_SOURCE = "collective:project-payout"


class BookNotCollective(CollectiveRuleBroken):
    """An adopted book must be a collective's book on the 2023 chart, in the same community."""

    type_slug = "book-not-collective"


# --- organisations ------------------------------------------------------------------
def get_organisation(uow: UnitOfWork, book_code: str) -> Organisation:
    organisation = uow.get_optional(Organisation, organisation_id(book_code))
    if organisation is None:
        raise OrganisationNotFound(f"no collective organisation {book_code!r}")
    return organisation


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
    membership = uow.get_optional(Membership, membership_id(book_code, member_id))
    if membership is None:
        raise UnknownMember(f"no member {member_id} in {book_code}")
    return membership


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
    """End a membership with its legal reason (Arts. 11–18); shares stay (static management)."""
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


def _movements(before: Mapping[str, Decimal], after: Mapping[str, Decimal], effective_on: date, kind: str,
               reference: str, counterparty: Mapping[str, str]) -> list[ShareMovement]:
    changed = sorted(set(before) | set(after))
    return [ShareMovement(effective_on, member_id, after.get(member_id, NO_UNITS) - before.get(member_id, NO_UNITS),
                          kind, counterparty.get(member_id, ""), reference)
            for member_id in changed if after.get(member_id, NO_UNITS) != before.get(member_id, NO_UNITS)]


def inherit(uow: UnitOfWork, audit: Audit, book_code: str, *, deceased_id: str, heir_id: str,
            units: Decimal | None, effective_on: date, reference: str) -> Organisation:
    """A deceased member's units pass to an heir who is a member (inside the organisation only)."""
    organisation = get_organisation(uow, book_code)
    organisation.check_shares_quantified()
    before = dict(organisation.holdings)
    after = inherit_shares(before, _register_of(uow, book_code, [deceased_id, heir_id]), deceased_id=deceased_id,
                           heir_id=heir_id, units=units)
    organisation.move_shares(audit, after, _movements(before, after, effective_on, "inherited", reference,
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
    organisation.move_shares(audit, after, _movements(before, after, effective_on, "transferred", reference,
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
    organisation.move_shares(audit, after, _movements(before, after, effective_on, "redeemed", reference, {}))
    return organisation


# --- reading the book from its aggregates -----------------------------------------
def vouchers_in_months(uow: UnitOfWork, book_code: str, first_month: str, last_month: str) -> Iterator[Voucher]:
    """Every voucher (blue and red) of the months given, from the ``BookMonth`` aggregates."""
    month = first_month
    while month <= last_month:
        period = uow.get_optional(BookMonth, book_month_id(book_code, month))
        if period is not None:
            yield from period.vouchers.values()
        month = next_month(month)


def _record(uow: UnitOfWork, audit: Audit, book_code: str, day: date, summary: str,
            lines: Sequence[JournalLine], source: str) -> Voucher:
    return bookkeeping.record_voucher(uow, audit, book_code, VoucherDraft(day, summary[:200], tuple(lines), 0, source))


# --- year end -----------------------------------------------------------------------
def close_year(uow: UnitOfWork, audit: Audit, book_code: str, year: int) -> YearClose:
    """Close the year: every income and expense account to 321, then 321 to 322 未分配收益.

    Source: DOMAIN.md §3 (Year-end distribution, first step). The closing
    vouchers are dated 31 December, so December must still be open.
    """
    organisation = get_organisation(uow, book_code)
    book = bookkeeping.get_book(uow, book_code)
    organisation.check_year_can_close(check_year(year), book.starts_on)
    months = year_months(year)
    net_debit = net_debit_by_account(vouchers_in_months(uow, book_code, months[0], months[-1]))
    closing_lines, net_income = income_expense_closing_lines(book.chart, net_debit)
    day = year_end_date(year)
    numbers: list[str] = []
    if closing_lines:
        numbers.append(_record(uow, audit, book_code, day, f"{year}年度结转收入支出至本年收益", closing_lines,
                               f"{YEAR_CLOSE_SOURCE}:{year}").number)
    # 321 may also carry postings made to it directly during the year; all of it moves to 322.
    to_transfer = net_income - net_debit.get("321", ZERO)
    transfer_lines = current_year_income_transfer_lines(to_transfer)
    if transfer_lines:
        numbers.append(_record(uow, audit, book_code, day, f"{year}年度本年收益转入未分配收益", transfer_lines,
                               f"{YEAR_CLOSE_SOURCE}:{year}").number)
    close = YearClose(year, net_income, tuple(numbers))
    organisation.record_year_closed(audit, close)
    return close


@dataclass(frozen=True)
class DistributionResult:
    distribution: Distribution
    vouchers: tuple[Voucher, ...]


def _distribution_vouchers(figures_withdrawal: Decimal, declared: Decimal, lines: Sequence[DividendLine],
                           collective_amount: Decimal) -> list[tuple[str, list[JournalLine]]]:
    """The year-end distribution entries, split so no voucher exceeds its line limit.

    Source: DOMAIN.md §3 (Entries): Dr 322 提取公积公益金 / Cr 311; Dr 322 向成员分配 /
    Cr 211 per member; the collective share's part Cr 311. Each voucher balances.
    """
    vouchers: list[tuple[str, list[JournalLine]]] = []
    if figures_withdrawal > 0:
        vouchers.append(("提取公积公益金", [debit(ACCOUNT_RESERVE_WITHDRAWN, figures_withdrawal),
                                        credit(ACCOUNT_RESERVE, figures_withdrawal)]))
    paid_lines = [credit(ACCOUNT_PAYABLE, line.amount, f"member:{line.member_id}") for line in lines if line.amount > 0]
    if collective_amount > 0:
        paid_lines.append(credit(ACCOUNT_RESERVE, collective_amount, memo="集体股分红留归集体"))
    for start in range(0, len(paid_lines), MEMBER_LINES_PER_VOUCHER):
        chunk = paid_lines[start:start + MEMBER_LINES_PER_VOUCHER]
        total = sum((line.credit for line in chunk), ZERO)
        vouchers.append(("向成员分配", [debit(ACCOUNT_DISTRIBUTED_TO_MEMBERS, total), *chunk]))
    assert sum((line.credit for line in paid_lines), ZERO) == declared, "the vouchers must carry the declared amount"
    return vouchers


def check_record_date(organisation: Organisation, year: int, record_date: date) -> None:
    """The record date (股权登记日) lies in the year and not before the shares were quantified."""
    quantified_on = organisation.check_shares_quantified()
    if record_date.year != year or record_date < quantified_on:
        raise InvalidRecordDate(f"the record date must be in {year} and on or after {quantified_on}")


def adopt_distribution(uow: UnitOfWork, audit: Audit, book_code: str, *, year: int, resolution: AssemblyResolution,
                       record_date: date | None = None, declared_amount: Decimal | None = None) -> DistributionResult:
    """Adopt the year's distribution plan and post it (DOMAIN.md §3, steps 1–4).

    Figures come from aggregate state: 净收益 from the year's close, 未分配收益
    from every voucher of the book through 31 December. The opening figure
    passed to the rule is therefore 年初未分配收益 + 其他转入.
    """
    organisation = get_organisation(uow, book_code)
    close = organisation.check_year_closed(year)
    organisation.check_no_distribution_in_force(year)
    check_resolution_passes(resolution)
    record_date = record_date or year_end_date(year)
    check_record_date(organisation, year, record_date)
    book = bookkeeping.get_book(uow, book_code)
    net_debit = net_debit_by_account(vouchers_in_months(uow, book_code, book.first_month, f"{year:04d}-12"))
    undistributed = undistributed_balance(book.chart, net_debit)
    holdings, collective_units = organisation.holdings_as_of(record_date)
    result = compute_year_end_distribution(
        net_income=close.net_income, opening_undistributed=undistributed - close.net_income,
        reserve_rate_percent=organisation.charter.reserve_rate_percent, units_by_member=holdings,
        collective_units=collective_units, declared_amount=declared_amount)
    lines = tuple(DividendLine(line.member_id, line.units, line.amount_yuan) for line in result.member_lines)
    day = year_end_date(year)
    vouchers = tuple(
        _record(uow, audit, book_code, day, f"{year}年度收益分配：{summary}", entry_lines,
                f"{DISTRIBUTION_SOURCE}:{year}")
        for summary, entry_lines in _distribution_vouchers(result.reserve_withdrawal, result.declared, lines,
                                                          result.collective_share_amount))
    figures = DistributionFigures(
        net_income=close.net_income, opening_undistributed=undistributed - close.net_income,
        distributable_income=result.distributable_income, loss_covered=result.loss_covered,
        withdrawal_base=result.withdrawal_base, reserve_rate_percent=organisation.charter.reserve_rate_percent,
        reserve_withdrawal=result.reserve_withdrawal, distributable_to_members=result.distributable_to_members,
        declared=result.declared, collective_units=collective_units,
        collective_share_amount=result.collective_share_amount, undistributed_after=result.undistributed_after,
        allocation_method=result.allocation_method)
    attempt = organisation.next_distribution_attempt(year)
    organisation.record_distribution_adopted(audit, year, attempt, record_date)
    distribution = uow.add(Distribution(
        audit=audit, book_code=book_code, year=year, attempt=attempt, resolution=resolution,
        record_date=record_date, voucher_date=day, figures=figures, lines=lines,
        voucher_numbers=tuple(v.number for v in vouchers)))
    return DistributionResult(distribution, vouchers)


def get_distribution_in_force(uow: UnitOfWork, organisation: Organisation, year: int) -> Distribution:
    attempt = organisation.distribution_in_force(check_year(year))
    return uow.get(Distribution, distribution_id(organisation.book_code, year, attempt))


def reverse_distribution(uow: UnitOfWork, audit: Audit, book_code: str, *, year: int, red_date: date) -> Distribution:
    """Cancel a distribution by red vouchers, so a new plan may be adopted; only while nothing is paid."""
    organisation = get_organisation(uow, book_code)
    distribution = get_distribution_in_force(uow, organisation, year)
    for line in distribution.lines:
        if line.amount > 0 and get_membership(uow, book_code, line.member_id).paid_for(year) > 0:
            raise DividendsAlreadyPaid(f"member {line.member_id} has been paid part of the {year} dividend")
    reds = [bookkeeping.reverse_voucher(uow, audit, book_code, number, red_date).red.number
            for number in distribution.voucher_numbers]
    distribution.reverse(audit, red_date, reds)
    organisation.record_distribution_reversed(audit, year, distribution.attempt)
    return distribution


@dataclass(frozen=True)
class DividendPayment:
    member_id: str
    amount: Decimal


def pay_dividends(uow: UnitOfWork, audit: Audit, book_code: str, *, year: int, paid_on: date,
                  payments: Sequence[DividendPayment], account_code: str = "102") -> Voucher:
    """Pay dividends, in a batch or one by one; partial allowed, never above what is owed.

    Source: DOMAIN.md §3 (payment Dr 211 / Cr 102). One voucher per batch:
    Dr 211 member:<id> per member, Cr the cash or bank account.
    """
    organisation = get_organisation(uow, book_code)
    distribution = get_distribution_in_force(uow, organisation, year)
    if not 0 < len(payments) <= PAYMENTS_PER_BATCH_LIMIT:
        raise EmptyBatch(f"pay 1–{PAYMENTS_PER_BATCH_LIMIT} members at a time")
    if account_code not in PAYMENT_ACCOUNTS:
        raise CollectiveRuleBroken(f"dividends are paid from 101 库存现金 or 102 银行存款, not {account_code}")
    if paid_on < distribution.voucher_date:
        raise CollectiveRuleBroken(f"the {year} dividends are payable from {distribution.voucher_date}")
    totals: dict[str, Decimal] = {}
    for payment in payments:
        amount = parse_amount(payment.amount)
        if amount <= 0:
            raise CollectiveRuleBroken("each payment is more than zero")
        totals[payment.member_id] = totals.get(payment.member_id, ZERO) + amount
    members: list[tuple[Membership, Decimal, Decimal]] = []
    for member_id, amount in sorted(totals.items()):
        membership = get_membership(uow, book_code, member_id)
        declared = distribution.declared_for(member_id)
        membership.check_payment_within_owed(year, declared, amount)
        members.append((membership, declared, amount))
    total = sum(totals.values(), ZERO)
    lines = [debit(ACCOUNT_PAYABLE, amount, f"member:{m.member_id}") for m, _, amount in members]
    voucher = _record(uow, audit, book_code, paid_on, f"支付{year}年度成员分红（{len(members)}人）",
                      [*lines, credit(account_code, total)], f"{DIVIDEND_PAYMENT_SOURCE}:{year}")
    for membership, declared, amount in members:
        membership.pay_dividend(audit, year, declared, amount, paid_on, voucher.number)
    return voucher


# --- projects ----------------------------------------------------------------------
def register_project(uow: UnitOfWork, audit: Audit, book_code: str, *, project_code: str, name: str, method: str,
                     amount_per_unit: Decimal | None, units_by_household: Mapping[str, int],
                     started_on: date) -> Project:
    """Households take units in a pooled asset-income project (资产收益, DOMAIN.md §3)."""
    organisation = get_organisation(uow, book_code)
    ordered = check_project_units(units_by_household)
    organisation.check_households_known([household for household, _ in ordered])
    project = Project.register(audit, book_code=book_code, project_code=project_code, name=name, method=method,
                               amount_per_unit=amount_per_unit,
                               participants=tuple(ProjectShare(h, units) for h, units in ordered),
                               started_on=started_on)
    organisation.record_project(audit, project_code)
    return uow.add(project)


def pay_project_cycle(uow: UnitOfWork, audit: Audit, book_code: str, *, project_code: str, cycle: int,
                      paid_on: date, income: Decimal | None = None, debit_account: str = "511") -> Voucher:
    """A cycle's payout to the participating households, exact to the fen.

    Entry: Dr the project's cost account (default 511 经营支出) / Cr 211 应付款
    household:<id> per household; households are then paid by ordinary vouchers.
    """
    get_organisation(uow, book_code)
    project = uow.get_optional(Project, project_id(book_code, project_code))
    if project is None:
        raise InvalidProject(f"no project {project_code} in {book_code}")
    project.check_next_cycle(cycle, paid_on)
    if project.method == "fixed-per-unit":
        if income is not None:
            raise InvalidProject("a fixed-per-unit project pays its fixed amount; send no income")
        payout = cycle_payout_fixed_per_unit(project.units_by_household, project.amount_per_unit)
    else:
        if income is None:
            raise InvalidProject("a share-of-income project needs the cycle's income")
        payout = cycle_payout_share_of_income(project.units_by_household, income)
    lines = [credit(ACCOUNT_PAYABLE, line.amount_yuan, f"household:{line.household_id}")
             for line in payout.lines if line.amount_yuan > 0]
    voucher = _record(uow, audit, book_code, paid_on, f"{project.name} 第{cycle}期收益分配",
                      [debit(debit_account, payout.total_yuan), *lines], f"{PROJECT_PAYOUT_SOURCE}:{project_code}")
    project.record_cycle(audit, cycle, paid_on, tuple(ProjectShare(l.household_id, l.units, l.amount_yuan)
                                                      for l in payout.lines), payout.total_yuan, payout.method,
                         voucher.number)
    return voucher


__all__ = [
    "MemberCandidate", "DividendPayment", "adopt_distribution", "close_year", "confirm_members",
    "end_membership", "inherit", "pay_dividends", "pay_project_cycle", "quantify", "redeem",
    "register_organisation", "register_project", "reverse_distribution", "transfer",
]
