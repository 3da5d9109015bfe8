"""Use cases of the maintenance fund: ``fn(uow, audit, fund_code, ...)``, run by the group-commit writer.

Each use case gets its aggregates from the unit of work, has them check and plan the
movement, posts the vouchers on the fund's book (and, for source (5), on the collective's
book) and records the movement with the voucher numbers — all in one command, so the
events and the vouchers of every book are saved together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from domain.maintenance_fund.contribution import (
    FIRST_DEPOSIT,
    CommunityTransfer,
    Contribution,
    FirstDeposits,
    LandQuotaTrade,
    Source,
    SOURCE_LABELS,
    Target,
    check_reference,
)
from domain.maintenance_fund.errors import (
    CollectiveBookNotEligible,
    FundAlreadyExists,
    FundNotFound,
    InvalidContribution,
    InvalidUnit,
    RaisingNeedsVote,
    WorksNotFound,
)
from domain.maintenance_fund.fund import Fund, fund_id
from domain.maintenance_fund.interest import InterestAllocation, InterestBasis
from domain.maintenance_fund.postings import (
    CHART,
    COLLECTIVE_CHART,
    COLLECTIVE_DEBIT_ROLES,
    collective_transfer_draft,
    deposit_drafts,
    receivable_payment_draft,
    refund_draft,
)
from domain.maintenance_fund.unit import Owner, UnitRecord, UnitRegister, parse_floor_area, unit_register_id
from domain.maintenance_fund.vote import Ballot, Matter, VoteTally, tally
from domain.maintenance_fund.works import Works, works_id
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.journal import Voucher, VoucherDraft
from ledger.writer import UnitOfWork

SOURCE_PREFIX = "maintenance_fund"


def get_fund(uow: UnitOfWork, fund_code: str) -> Fund:
    return uow.get(Fund, fund_id(fund_code), FundNotFound(f"no maintenance fund {fund_code!r}"))


def get_works(uow: UnitOfWork, fund_code: str, works_code: str) -> Works:
    return uow.get(Works, works_id(fund_code, works_code),
                        WorksNotFound(f"fund {fund_code} has no works {works_code!r}"))


def _post(uow: UnitOfWork, audit: Audit, book_code: str, drafts: Sequence[VoucherDraft]) -> tuple[str, ...]:
    return tuple(bookkeeping.record_voucher(uow, audit, book_code, draft).number for draft in drafts)


# --- funds and units -------------------------------------------------------------------------
def open_fund(uow: UnitOfWork, audit: Audit, *, fund_code: str, name: str, community_id: str, township_id: str,
              area_kind: str, building: str, opened_on: date, deposit_standard: Decimal,
              interest_basis: InterestBasis = InterestBasis.PERIOD_END) -> Fund:
    """Open a fund and its own book on the maintenance-fund chart, in one command."""
    if uow.get_optional(Fund, fund_id(fund_code)) is not None:
        raise FundAlreadyExists(f"fund {fund_code!r} already exists")
    fund = Fund.open(audit, fund_code=fund_code, name=name, community_id=community_id, township_id=township_id,
                     area_kind=area_kind, building=building, opened_on=opened_on, deposit_standard=deposit_standard,
                     interest_basis=interest_basis)
    bookkeeping.open_book(uow, audit, book_code=fund_code, name=name, entity_kind="maintenance_fund",
                          community_id=community_id, township_id=township_id, chart_name=CHART, starts_on=opened_on)
    return uow.add(fund)


def set_deposit_standard(uow: UnitOfWork, audit: Audit, fund_code: str, *, effective_on: date,
                         standard: Decimal) -> Fund:
    fund = get_fund(uow, fund_code)
    fund.set_deposit_standard(audit, effective_on, standard)
    return fund


@dataclass(frozen=True)
class UnitInput:
    """A unit as a request names it; a shop-front may leave its area to the shop-front register."""

    unit_id: str
    kind: str
    floor_area_m2: object
    building: str
    stairwell: str
    owner: Owner
    room: str = ""
    household_id: str = ""
    shop_front: str = ""


def shop_front_area(uow: UnitOfWork, reference: str) -> Decimal:
    """A shop-front's floor area from the leases register (``<book>/<unit number>``), if it is there."""
    from domain.leases.shop_front import ShopFront, shop_front_id

    book_code, _, unit_number = reference.partition("/")
    shop = uow.get_optional(ShopFront, shop_front_id(book_code, unit_number)) if unit_number else None
    if shop is None:
        raise InvalidUnit(f"shop-front {reference!r} is not in the register; give its floor area")
    return parse_floor_area(shop.floor_area_m2)


def unit_register(uow: UnitOfWork, audit: Audit, community_id: str) -> UnitRegister:
    return uow.get_or_add(UnitRegister, unit_register_id(community_id),
                        lambda: UnitRegister(audit=audit, community_id=community_id))


def register_units(uow: UnitOfWork, audit: Audit, fund_code: str, *, registered_on: date,
                   units: Sequence[UnitInput]) -> tuple[UnitRecord, ...]:
    """Register units in a fund; the community's register refuses a unit already in another fund."""
    fund = get_fund(uow, fund_code)
    records = tuple(UnitRecord.registered(
        unit_id=u.unit_id, kind=u.kind, building=u.building, stairwell=u.stairwell, owner=u.owner, room=u.room,
        household_id=u.household_id, shop_front=u.shop_front,
        floor_area_m2=u.floor_area_m2 if u.floor_area_m2 not in (None, "") or not u.shop_front
        else shop_front_area(uow, u.shop_front)) for u in units)
    unit_register(uow, audit, fund.community_id).enrol(audit, fund_code, records)
    fund.register_units(audit, registered_on, records)
    return records


def record_first_deposits(uow: UnitOfWork, audit: Audit, fund_code: str, *, deposited_on: date,
                          unit_ids: Sequence[str] | None = None, reference: str = "") -> FirstDeposits:
    """First deposits (首次交存): area × the standard in force, Dr 102 / Cr 201 per unit (165号令 Art. 7)."""
    fund = get_fund(uow, fund_code)
    plan = fund.plan_first_deposits(deposited_on, unit_ids, check_reference(reference))
    numbers = _post(uow, audit, fund_code, deposit_drafts(
        deposited_on, f"首次交存维修资金 {len(plan.lines)} 户", plan.lines, f"{SOURCE_PREFIX}:{FIRST_DEPOSIT}"))
    deposits = replace(plan, voucher_numbers=numbers)
    fund.record_first_deposits(audit, deposits)
    return deposits


# --- contributions -----------------------------------------------------------------------------
def check_contribution_inputs(source: Source, amount: Decimal | None, land_quota: LandQuotaTrade | None,
                              collective_book: str | None) -> Decimal:
    """Each source brings what it needs: a land-quota trade computes its amount; source (5) names its book."""
    if source is Source.LAND_QUOTA:
        if land_quota is None or amount is not None:
            raise InvalidContribution("a land-quota share gives the trade amount and retained ratio, not an amount")
        amount = land_quota.contribution
    elif land_quota is not None:
        raise InvalidContribution("only source land_quota records a land-quota trade")
    if amount is None:
        raise InvalidContribution("a contribution needs an amount")
    if (source is Source.COMMUNITY_PUBLIC_INCOME) != (collective_book is not None):
        raise InvalidContribution("community public income (and only it) names the collective's book it leaves")
    return amount


def check_raising_vote(source: Source, target: Target, vote: VoteTally | None) -> None:
    """Residents' instalments raised from a group of units are a raising plan: a vote at ≥ 3/4 of both.

    Source: 民法典 Art. 278 (筹集维修资金 needs ≥ 3/4 of the participating area and owners);
    DOMAIN.md §6 Owners' vote. A single owner paying into their own unit needs no vote.
    """
    if vote is not None and source is not Source.RESIDENT_INSTALMENT:
        raise InvalidContribution("only residents' instalments carry a raising plan's vote")
    if source is Source.RESIDENT_INSTALMENT and target.pooled:
        if vote is None:
            raise RaisingNeedsVote("instalments raised from a group of units need the owners' raising-plan vote")
        if not vote.passed:
            raise RaisingNeedsVote(f"the raising plan did not pass (participation met: {vote.participation_met}, "
                                   f"≥ 3/4 approval met: {vote.approval_met})")


def check_collective_book(book, fund: Fund) -> None:
    """Source (5) leaves the community's own collective book (民法典 Art. 282; DOMAIN.md §6)."""
    if book.entity_kind != "collective" or book.chart_name != COLLECTIVE_CHART:
        raise CollectiveBookNotEligible(f"book {book.book_code} is not a collective book on the 2023 chart")
    if book.community_id != fund.community_id:
        raise CollectiveBookNotEligible(f"book {book.book_code} belongs to community {book.community_id}")


def contribute(uow: UnitOfWork, audit: Audit, fund_code: str, *, received_on: date, source: Source, target: Target,
               amount: Decimal | None = None, land_quota: LandQuotaTrade | None = None, reference: str = "",
               collective_book: str | None = None, collective_debit_role: str = COLLECTIVE_DEBIT_ROLES[0],
               ballots: Sequence[Ballot] | None = None) -> Contribution:
    """A contribution from one of the six sources to one unit, a building's or all units (by floor area)."""
    fund = get_fund(uow, fund_code)
    amount = check_contribution_inputs(source, amount, land_quota, collective_book)
    vote = tally(Matter.RAISE, fund.voters(s.record.unit_id for s in fund.units_in(target)), ballots) \
        if ballots else None
    check_raising_vote(source, target, vote)
    plan = fund.plan_contribution(Contribution(received_on, source.value, target, amount, (), check_reference(
        reference), land_quota, None, vote))
    label = SOURCE_LABELS[source][0]
    transfer = None
    if collective_book is not None:
        if collective_debit_role not in COLLECTIVE_DEBIT_ROLES:
            raise InvalidContribution(f"the collective's side debits one of {', '.join(COLLECTIVE_DEBIT_ROLES)}")
        check_collective_book(bookkeeping.get_book(uow, collective_book), fund)
        draft = collective_transfer_draft(received_on, f"转入{fund.name}维修资金（{label}）", amount,
                                          collective_debit_role, fund_code, f"{SOURCE_PREFIX}:{fund_code}")
        voucher = bookkeeping.record_voucher(uow, audit, collective_book, draft)
        transfer = CommunityTransfer(collective_book, draft.lines[0].account_code, voucher.number)
    numbers = _post(uow, audit, fund_code, deposit_drafts(
        received_on, f"维修资金筹集：{label} {reference}".strip(), plan.lines, f"{SOURCE_PREFIX}:{source.value}"))
    contribution = replace(plan, community_transfer=transfer, voucher_numbers=numbers)
    fund.record_contribution(audit, contribution)
    return contribution


def allocate_interest(uow: UnitOfWork, audit: Audit, fund_code: str, *, period_from: date, period_to: date,
                      total: Decimal, basis: InterestBasis | None = None, reference: str = "") -> InterestAllocation:
    """The period's interest to sub-ledgers on the fund's basis (or the one named), Dr 102 / Cr 201 per unit."""
    fund = get_fund(uow, fund_code)
    basis = basis or InterestBasis(fund.interest_basis)
    plan = fund.plan_interest(period_from, period_to, total, basis, check_reference(reference))
    label = "日积数" if basis is InterestBasis.DAILY_PRODUCT else "期末余额"
    numbers = _post(uow, audit, fund_code, deposit_drafts(
        period_to, f"{period_from}至{period_to} 维修资金增值收益分配（按{label}）", plan.lines,
        f"{SOURCE_PREFIX}:interest"))
    allocation = replace(plan, voucher_numbers=numbers)
    fund.allocate_interest(audit, allocation)
    return allocation


def collect_receivable(uow: UnitOfWork, audit: Audit, fund_code: str, unit_id: str, *, received_on: date,
                       amount: Decimal) -> Voucher:
    """The owner pays (part of) a shortfall a use left: Dr 102 / Cr 112 ``unit:<id>``."""
    fund = get_fund(uow, fund_code)
    fund.check_receivable_payment(unit_id, received_on, amount)
    voucher = bookkeeping.record_voucher(uow, audit, fund_code, receivable_payment_draft(
        received_on, f"收回业主应分摊维修费用 {unit_id}", unit_id, amount, f"{SOURCE_PREFIX}:receivable"))
    fund.pay_receivable(audit, unit_id, received_on, amount, voucher.number)
    return voucher


def transfer_unit(uow: UnitOfWork, audit: Audit, fund_code: str, unit_id: str, *, transferred_on: date,
                  new_owner: Owner, reference: str = "") -> Fund:
    """Transfer on sale (165号令 Art. 28): the sub-ledger passes to the new owner; no voucher, no money."""
    fund = get_fund(uow, fund_code)
    fund.transfer(audit, unit_id, transferred_on, new_owner, check_reference(reference))
    return fund


@dataclass(frozen=True)
class Demolition:
    unit_id: str
    demolished_on: date
    refunded: Decimal
    voucher_number: str


def demolish_unit(uow: UnitOfWork, audit: Audit, fund_code: str, unit_id: str, *, demolished_on: date,
                  reference: str = "") -> Demolition:
    """Demolition (165号令 Art. 29): the balance refunded (Dr 201 / Cr 102), the sub-ledger closed."""
    fund = get_fund(uow, fund_code)
    refund = fund.plan_demolition(unit_id, demolished_on)
    number = ""
    if refund > 0:
        number = bookkeeping.record_voucher(uow, audit, fund_code, refund_draft(
            demolished_on, f"房屋灭失返还维修资金余额 {unit_id}", unit_id, refund, f"{SOURCE_PREFIX}:refund")).number
    fund.demolish(audit, unit_id, demolished_on, check_reference(reference), number)
    return Demolition(unit_id, demolished_on, refund, number)


# The use cases of works (proposal, vote, use, emergency use, paying the contractor) live in their own module;
# callers reach them here too.
from domain.maintenance_fund.works_application import (  # noqa: E402,F401 - it needs the getters above
    UseResult,
    emergency_use,
    pay_contractor,
    propose_works,
    record_vote,
    use_fund,
)
