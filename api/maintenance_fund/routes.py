"""Housing special maintenance funds (住宅专项维修资金): funds, units, money in, works, votes, statements.

A fund is addressed by its book's code. Every write goes through ``api.http.write`` (one
audit stamp with the request's Idempotency-Key) and is allowed to the accountant of the
fund's community; auditors and the township read. Every read goes through the query
functions of ``projections.maintenance_fund``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.auth import Who, require_read, require_write
from api.errors import ApiProblem, register_conflict
from api.http import AsOf, page_limit, read, readable, reading_date, recorded_for, write
from api.maintenance_fund import schemas as out
from api.maintenance_fund.schemas import (
    ContributionIn,
    DemolitionIn,
    DepositStandardIn,
    EmergencyIn,
    FirstDepositsIn,
    FundIn,
    InterestIn,
    OwnerIn,
    PaymentIn,
    ReceivablePaymentIn,
    ScopeIn,
    TransferIn,
    UnitsIn,
    UseIn,
    VoteIn,
    WorksIn,
)
from api.runtime import Principal
from api.schemas import money
from domain.maintenance_fund import application as mf
from domain.maintenance_fund.contribution import (
    SOURCE_LABELS,
    LandQuotaTrade,
    Source,
    Target,
    parse_contribution_amount,
    parse_deposit_standard,
    parse_source,
)
from domain.maintenance_fund.errors import (
    FirstDepositAlreadyRecorded,
    FundAlreadyExists,
    HouseholdAlreadyHasUnit,
    UnitAlreadyRegistered,
    UnitInAnotherFund,
    WorksAlreadyExists,
    WorksAlreadyUsed,
)
from domain.maintenance_fund.interest import parse_basis
from domain.maintenance_fund.unit import Owner
from domain.maintenance_fund.vote import Ballot, Matter, parse_matter
from domain.maintenance_fund.works import Emergency, Works, WorksScope
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.money import from_fen, parse_amount, uppercase_amount
from ledger.sqldb import Transaction
from ledger.writer import UnitOfWork
from projections import maintenance_fund as reports

router = APIRouter(tags=["maintenance funds 住宅专项维修资金"])
BASE = "/maintenance-funds"
FUND = BASE + "/{fund_code}"
YearQuery = Annotated[int | None, Query(ge=2000, le=2100, description="年度 Statement year (default: as_of's)")]

# Conflicts with what is already recorded answer 409 rather than 422.
register_conflict(FundAlreadyExists, UnitAlreadyRegistered, UnitInAnotherFund, HouseholdAlreadyHasUnit,
                  FirstDepositAlreadyRecorded, WorksAlreadyExists, WorksAlreadyUsed)

THRESHOLDS = {
    "participation": "参与表决：专有部分面积 ≥ 2/3 且人数 ≥ 2/3 Participation ≥ 2/3 of area and ≥ 2/3 of owners",
    Matter.USE.value: "同意：参与表决面积 > 1/2 且人数 > 1/2 Approval > 1/2 of participating area and owners",
    "special": "同意：参与表决面积 ≥ 3/4 且人数 ≥ 3/4 Approval ≥ 3/4 of participating area and owners",
}


# --- guards and renderers ----------------------------------------------------------------------
def for_fund(who: Principal, fund_code: str,
             use_case: Callable[[UnitOfWork, Audit], Any]) -> Callable[[UnitOfWork, Audit], Any]:
    """The command: the caller may record for the fund (checked on its aggregate), then the use case."""
    return recorded_for(who, lambda uow: mf.get_fund(uow, fund_code), use_case)


async def voucher_payment(request: Request, who: Principal, fund_code: str, reason: str, on_date: date,
                          amount_text: str, use_case: Callable[[UnitOfWork, Audit, Decimal], Any]) -> Any:
    """A payment the fund posts as one voucher (to a contractor, from an owner): 201 with the voucher's reference."""
    amount = parse_contribution_amount(amount_text)
    return await write(request, who, reason, for_fund(who, fund_code, lambda uow, audit: use_case(uow, audit, amount)),
                       lambda v: (201, {"fund_code": fund_code, "voucher_number": v.number, "amount": money(amount),
                                        "on_date": on_date.isoformat()}), out.VoucherRefOut)


def readable_fund(tx: Transaction, who: Principal, fund_code: str) -> reports.FundInfo:
    return readable(who, reports.fund_info(tx, fund_code), "fund-not-found", "Fund not found",
                    f"no maintenance fund {fund_code!r}")


def read_fund(request: Request, who: Principal, fund_code: str) -> AbstractContextManager[tuple[Transaction, int]]:
    """``read`` in a fund the caller may read (``readable_fund``)."""
    return read(request, lambda tx: readable_fund(tx, who, fund_code))


def owner_of(body: OwnerIn) -> Owner:
    return Owner.named(*body.parts())


def scope_of(body: ScopeIn) -> WorksScope:
    return WorksScope.parsed(body.kind, body.building, body.stairwell)


def fund_json(info: Any) -> dict[str, Any]:
    standards = info.standards if isinstance(info, reports.FundInfo) else [
        [d.isoformat(), str(r)] for d, r in info.standards]
    return {"fund_code": info.book_code, "name": info.name, "community_id": info.community_id,
            "township_id": info.township_id, "area_kind": info.area_kind, "building": info.building,
            "opened_on": str(info.opened_on), "interest_basis": info.interest_basis,
            "deposit_standards": [{"effective_on": d, "yuan_per_m2": r} for d, r in standards]}


def unit_json(row: reports.UnitRow) -> dict[str, Any]:
    figures = row.replenishment
    return {"unit_id": row.unit_id, "kind": row.kind, "floor_area_m2": row.floor_area_m2, "building": row.building,
            "stairwell": row.stairwell, "room": row.room,
            "owner": {"owner_id": row.owner.owner_id, "kind": row.owner.kind, "name": row.owner.name},
            "household_id": row.household_id, "shop_front": row.shop_front, "registered_on": row.registered_on,
            "first_deposit": money(row.first_deposit) if row.first_deposit is not None else None,
            "closed_on": row.closed_on, "balance": money(row.balance), "receivable": money(row.receivable),
            "replenishment_line": money(figures.line) if figures else None,
            "needs_replenishment": bool(figures and figures.flagged),
            "amount_to_restore": money(figures.to_restore if figures else Decimal("0.00"))}


def tally_out(figures: dict[str, Any]) -> dict[str, Any]:
    keep = {k: v for k, v in figures.items() if k not in ("vote_no", "held_on")}
    approval = THRESHOLDS[Matter.USE.value] if figures["matter"] == Matter.USE.value else THRESHOLDS["special"]
    return {**keep, "thresholds": {"participation": THRESHOLDS["participation"], "approval": approval}}


def figures_json(figures: Any, titles: dict[str, str]) -> dict[str, Any]:
    labels = {s.value: SOURCE_LABELS[s][0] for s in Source} | {"first_deposit": "首次交存"}
    return {"opening": money(figures.opening), "deposits": money(figures.deposits),
            "deposits_by_source": [{"source": k, "label": labels.get(k, k), "amount": money(v)}
                                   for k, v in sorted(figures.deposits_by_source.items())],
            "value_added_income": money(figures.value_added_income), "uses": money(figures.uses),
            "uses_by_works": [{"works_code": k, "title": titles.get(k, ""), "amount": money(v)}
                              for k, v in sorted(figures.uses_by_works.items())],
            "refunds": money(figures.refunds), "closing": money(figures.closing),
            "closing_uppercase": uppercase_amount(figures.closing),
            "receivable_opening": money(figures.receivable_opening),
            "receivable_charged": money(figures.receivable_charged),
            "receivable_paid": money(figures.receivable_paid),
            "receivable_closing": money(figures.receivable_closing)}


def money_in_json(fund_code: str, kind: str, on: date, source: str, amount: Decimal, lines: Any,
                  numbers: Any, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"fund_code": fund_code, "kind": kind, "on_date": on.isoformat(), "source": source,
            "amount": money(amount), "amount_uppercase": uppercase_amount(amount),
            "lines": [{"unit_id": l.unit_id, "amount": money(l.amount)} for l in lines],
            "voucher_numbers": list(numbers), "details": details or {}}


def works_json(fund_code: str, item: dict[str, Any]) -> dict[str, Any]:
    if item["used_on"] is not None:
        status = "paid" if item["paid_fen"] == item["approved_fen"] else "used"
    elif item["emergency_type"]:
        status = "emergency"
    else:
        status = "proposed" if not item["votes"] else "approved" if item["authorised"] else "rejected"
    return {"fund_code": fund_code, **{k: item[k] for k in (
        "works_code", "title", "common_parts", "nature", "matter", "scope", "affected_units", "contractor",
        "proposed_on", "emergency_type", "authorised_by", "used_on", "voucher_numbers", "votes")},
        "status": status, "estimated_cost": money(from_fen(item["estimated_fen"])),
        "approved_cost": money(from_fen(item["approved_fen"])),
        "from_balances": money(from_fen(item["from_balance_fen"])),
        "receivables": money(from_fen(item["receivable_fen"])), "paid": money(from_fen(item["paid_fen"])),
        "payments": [{"paid_on": p["paid_on"], "amount": money(from_fen(p["amount_fen"])),
                      "voucher_number": p["voucher_number"]} for p in item.get("payments", [])]}


def works_aggregate_json(works: Works) -> dict[str, Any]:
    return {"fund_code": works.book_code, "works_code": works.works_code, "title": works.title,
            "common_parts": works.common_parts, "nature": works.nature, "matter": works.matter,
            "scope": {"kind": works.scope.kind, "building": works.scope.building,
                      "stairwell": works.scope.stairwell}, "affected_units": len(works.affected),
            "contractor": works.contractor, "estimated_cost": money(works.estimated_cost),
            "proposed_on": works.proposed_on.isoformat(),
            "emergency_type": works.emergency.emergency_type if works.emergency else "",
            "authorised_by": works.emergency.authorised_by if works.emergency else "", "status": works.status,
            "used_on": works.used_on.isoformat() if works.used_on else None,
            "approved_cost": money(works.approved_cost), "from_balances": money(Decimal("0.00")),
            "receivables": money(Decimal("0.00")), "paid": money(works.paid), "voucher_numbers": [],
            "votes": len(works.votes)}


def use_json(fund_code: str, result: mf.UseResult) -> dict[str, Any]:
    works = result.works
    return {"fund_code": fund_code, "works_code": works.works_code, "used_on": works.used_on.isoformat(),
            "approved_cost": money(works.approved_cost), "approved_cost_uppercase": uppercase_amount(works.approved_cost),
            "from_balances": money(sum((l.from_balance for l in result.lines), Decimal("0.00"))),
            "receivables": money(sum((l.receivable for l in result.lines), Decimal("0.00"))),
            "lines": [{"unit_id": l.unit_id, "share": money(l.share), "from_balance": money(l.from_balance),
                       "receivable": money(l.receivable)} for l in result.lines],
            "voucher_numbers": list(result.voucher_numbers),
            "emergency_type": works.emergency.emergency_type if works.emergency else "",
            "authorised_by": works.emergency.authorised_by if works.emergency else ""}


def statement_year(year: int | None, as_of: date) -> int:
    year = as_of.year if year is None else year
    if year > as_of.year:
        raise ApiProblem(422, "invalid-year", "Invalid year", f"the {year} statement lies after as_of ({as_of})")
    return year


# --- funds --------------------------------------------------------------------------------------
@router.post(BASE, status_code=201, summary="设立维修资金 Open a fund", response_model=out.FundOut)
async def open_fund(body: FundIn, request: Request, who: Who):
    """设立维修资金及其账套（维修资金科目表）。Open a fund (per management area or building) and its own book."""
    require_write(who, body.community_id, body.township_id)
    standard = parse_deposit_standard(body.deposit_standard_yuan_per_m2)
    basis = parse_basis(body.interest_basis)
    return await write(request, who, f"设立维修资金 {body.name}", lambda uow, audit: mf.open_fund(
        uow, audit, fund_code=body.fund_code, name=body.name, community_id=body.community_id,
        township_id=body.township_id, area_kind=body.area_kind, building=body.building, opened_on=body.opened_on,
        deposit_standard=standard, interest_basis=basis), lambda f: (201, fund_json(f)), out.FundOut)


@router.get(BASE, summary="维修资金登记簿 Fund register", response_model=out.FundListOut)
def list_funds(request: Request, who: Who):
    """调用者范围内的维修资金。The funds within the caller's scope."""
    with read(request) as (tx, position):
        found = [fund_json(f) for f in reports.funds(tx) if who.scope.covers(f.community_id, f.township_id)]
    return {"funds": found, "log_position": position}


@router.get(FUND, summary="维修资金 A fund", response_model=out.FundDetailOut)
def get_fund(fund_code: str, request: Request, who: Who, as_of: AsOf = None):
    """资金概况：户数、面积、分户账合计。The fund, its open units, area, Σ sub-ledgers and receivables."""
    as_of = reading_date(as_of)
    with read(request) as (tx, position):
        info = readable_fund(tx, who, fund_code)
        totals = reports.fund_totals(tx, fund_code, as_of)
    return {**fund_json(info), "as_of": as_of.isoformat(), "open_units": totals["open_units"],
            "floor_area_m2": totals["floor_area_m2"], "balance": money(totals["balance"]),
            "receivable": money(totals["receivable"]), "log_position": position}


@router.post(FUND + "/deposit-standards", summary="调整交存标准 New first-deposit standard",
             response_model=out.FundOut)
async def set_standard(fund_code: str, body: DepositStandardIn, request: Request, who: Who):
    """自某日起适用新的首次交存标准（元/㎡），不改已交存的记录。A new standard from a date; history is not rewritten."""
    standard = parse_deposit_standard(body.yuan_per_m2)
    return await write(request, who, f"调整首次交存标准 {standard} 元/㎡", for_fund(who, fund_code, lambda uow, audit: (
        mf.set_deposit_standard(uow, audit, fund_code, effective_on=body.effective_on, standard=standard))),
        lambda f: (200, fund_json(f)), out.FundOut)


# --- units and owners ---------------------------------------------------------------------------------
@router.post(FUND + "/units", status_code=201, summary="登记房屋单元 Register units", response_model=out.UnitsOut)
async def register_units(fund_code: str, body: UnitsIn, request: Request, who: Who):
    """登记住宅和门面单元（面积、幢、单元、业主）；一个单元只属于一个维修资金。
    Register flats and shop-fronts; a unit belongs to one fund (409 unit-in-another-fund otherwise)."""
    units = [mf.UnitInput(unit_id=u.unit_id, kind=u.kind, floor_area_m2=u.floor_area_m2, building=u.building,
                          stairwell=u.stairwell, owner=owner_of(u.owner), room=u.room, household_id=u.household_id,
                          shop_front=u.shop_front) for u in body.units]
    return await write(request, who, f"登记房屋单元 {len(units)} 户", for_fund(who, fund_code, lambda uow, audit: (
        mf.register_units(uow, audit, fund_code, registered_on=body.registered_on, units=units))),
        lambda records: (201, {"fund_code": fund_code, "registered": len(records), "units": [
            {"unit_id": r.unit_id, "floor_area_m2": str(r.floor_area_m2)} for r in records]}), out.UnitsOut)


@router.get(FUND + "/units", summary="分户账户 Units and balances", response_model=out.UnitListOut)
def list_units(fund_code: str, request: Request, who: Who, as_of: AsOf = None, limit: int | None = None,
               cursor: str | None = None):
    """截至 as_of 的单元、业主、首次交存、余额、应收及续交标记。Units with owner, balance and replenishment flag."""
    as_of, size = reading_date(as_of), page_limit(limit)
    with read_fund(request, who, fund_code) as (tx, position):
        rows = reports.units(tx, fund_code, as_of, limit=size + 1, after=cursor or "")
    return {"fund_code": fund_code, "as_of": as_of.isoformat(), "units": [unit_json(r) for r in rows[:size]],
            "next_cursor": rows[size - 1].unit_id if len(rows) > size else None, "log_position": position}


@router.get(FUND + "/owners", summary="业主（表决计数）Owners as a vote counts them", response_model=out.OwnerListOut)
def list_owners(fund_code: str, request: Request, who: Who, as_of: AsOf = None):
    """一人多户计一人、合计面积；开发建设单位未售（未分配）单元合计一人；集体的门面合计一人。
    Owners by the headcount rules: one owner of several units once with their total area; the developer once."""
    as_of = reading_date(as_of)
    with read_fund(request, who, fund_code) as (tx, position):
        found = reports.owners(tx, fund_code, as_of)
    return {"fund_code": fund_code, "as_of": as_of.isoformat(), "owners_total": len(found),
            "owners": [{**o, "balance": money(o["balance"])} for o in found], "log_position": position}


# --- money in -----------------------------------------------------------------------------------------
@router.post(FUND + "/first-deposits", status_code=201, summary="首次交存 First deposits", response_model=out.MoneyInOut)
async def first_deposits(fund_code: str, body: FirstDepositsIn, request: Request, who: Who):
    """按建筑面积 × 交存标准记录首次交存（30 % 续交线的基数）。Area × the standard, per unit (the 30 % base)."""
    return await write(request, who, "首次交存维修资金", for_fund(who, fund_code, lambda uow, audit: (
        mf.record_first_deposits(uow, audit, fund_code, deposited_on=body.deposited_on, unit_ids=body.unit_ids,
                                 reference=body.reference))),
        lambda d: (201, money_in_json(fund_code, "first_deposit", d.deposited_on, "first_deposit", sum(
            (l.amount for l in d.lines), Decimal("0.00")), d.lines, d.voucher_numbers,
            {"standard_yuan_per_m2": str(d.standard_yuan_per_m2)})), out.MoneyInOut)


@router.post(FUND + "/contributions", status_code=201, summary="筹集资金 Contributions (six sources)",
             response_model=out.MoneyInOut)
async def contribute(fund_code: str, body: ContributionIn, request: Request, who: Who):
    """六类来源之一的资金，计入一户、一幢或全部单元（按面积精确分摊）；社区公共收益同时记入集体账套。
    Money from one of the six sources, to one unit, a building or all units by floor area; community public
    income moves in the collective's book too, in the same transaction."""
    source = parse_source(body.source)
    target = Target.parsed(body.target.kind, body.target.code)
    amount = parse_contribution_amount(body.amount) if body.amount is not None else None
    trade = LandQuotaTrade.traded(body.land_quota.trade_amount, body.land_quota.retained_percent,
                                  body.land_quota.trade_reference) if body.land_quota else None
    ballots = [Ballot.cast(b.owner, b.answer) for b in body.ballots] if body.ballots else None

    def use_case(uow: UnitOfWork, audit: Audit) -> Any:
        if body.collective_book is not None:
            book = bookkeeping.get_book(uow, body.collective_book)
            require_write(who, book.community_id, book.township_id)
        return mf.contribute(uow, audit, fund_code, received_on=body.received_on, source=source, target=target,
                             amount=amount, land_quota=trade, reference=body.reference,
                             collective_book=body.collective_book, collective_debit_role=body.collective_debit_role,
                             ballots=ballots)

    def render(c: Any) -> tuple[int, dict[str, Any]]:
        details: dict[str, Any] = {"target": {"kind": c.target.kind, "code": c.target.code}}
        if c.land_quota:
            details["land_quota"] = {"trade_amount": money(c.land_quota.trade_amount),
                                     "retained_percent": str(c.land_quota.retained_percent)}
        if c.community_transfer:
            details["community_transfer"] = {"collective_book": c.community_transfer.collective_book,
                                             "debit_account": c.community_transfer.debit_account,
                                             "voucher_number": c.community_transfer.voucher_number}
        if c.vote:
            details["vote"] = tally_out(reports.tally_json(c.vote))
        return 201, money_in_json(fund_code, "contribution", c.received_on, c.source, c.amount, c.lines,
                                  c.voucher_numbers, details)

    return await write(request, who, f"维修资金筹集：{SOURCE_LABELS[source][0]}",
                       for_fund(who, fund_code, use_case), render, out.MoneyInOut)


@router.get(FUND + "/contributions", summary="资金来源登记 Money in", response_model=out.MoneyInListOut)
def list_money_in(fund_code: str, request: Request, who: Who, as_of: AsOf = None, limit: int | None = None,
                  cursor: int | None = None):
    """首次交存、各来源筹集与增值收益，按记录顺序。First deposits, contributions and interest, in order."""
    as_of, size = reading_date(as_of), page_limit(limit)
    with read_fund(request, who, fund_code) as (tx, position):
        rows = reports.money_in(tx, fund_code, as_of, size + 1, cursor or 0)
    items = [{**{k: v for k, v in r.items() if k != "amount_fen"}, "amount": money(from_fen(r["amount_fen"]))}
             for r in rows[:size]]
    return {"fund_code": fund_code, "as_of": as_of.isoformat(), "items": items,
            "next_cursor": str(rows[size - 1]["position"]) if len(rows) > size else None, "log_position": position}


@router.post(FUND + "/interest-allocations", status_code=201, summary="增值收益分配 Interest allocation",
             response_model=out.MoneyInOut)
async def allocate_interest(fund_code: str, body: InterestIn, request: Request, who: Who):
    """本期利息等增值收益按期末余额（默认）或日积数精确分配到分户账。
    The period's income to sub-ledgers on period-end balances (default) or the daily product, exactly."""
    total = parse_contribution_amount(body.total)
    basis = parse_basis(body.basis) if body.basis is not None else None
    return await write(request, who, f"{body.period_from}至{body.period_to} 增值收益分配", for_fund(
        who, fund_code, lambda uow, audit: mf.allocate_interest(
            uow, audit, fund_code, period_from=body.period_from, period_to=body.period_to, total=total, basis=basis,
            reference=body.reference)),
        lambda a: (201, money_in_json(fund_code, "interest", a.period_to, a.basis, a.total, a.lines,
                                      a.voucher_numbers, {"period_from": a.period_from.isoformat(),
                                                          "period_to": a.period_to.isoformat(),
                                                          "basis": a.basis, "method": a.method})), out.MoneyInOut)


# --- works, votes, uses ------------------------------------------------------------------------------
@router.post(FUND + "/works", status_code=201, summary="维修工程 Propose works", response_model=out.WorksOut)
async def propose_works(fund_code: str, body: WorksIn, request: Request, who: Who):
    """登记维修工程：共用部位、受益单元（幢、单元或整个区域）、施工单位、预算；不属于使用范围的项目被拒绝。
    Propose works; excluded items (developer warranty, utility-owned, damage by a person, the property
    company's contractual maintenance) answer 422 excluded-use."""
    scope, matter = scope_of(body.scope), parse_matter(body.matter)
    if matter is Matter.RAISE:
        raise ApiProblem(422, "invalid-works", "Invalid works", "a raising plan is voted with its contribution")
    cost = parse_amount(body.estimated_cost)
    return await write(request, who, f"登记维修工程 {body.title}", for_fund(who, fund_code, lambda uow, audit: (
        mf.propose_works(uow, audit, fund_code, works_code=body.works_code, title=body.title,
                         common_parts=body.common_parts, nature=body.nature, matter=matter, scope=scope,
                         contractor=body.contractor, estimated_cost=cost, proposed_on=body.proposed_on))),
        lambda w: (201, works_aggregate_json(w)), out.WorksOut)


@router.get(FUND + "/works", summary="维修工程 Works", response_model=out.WorksListOut)
def list_works(fund_code: str, request: Request, who: Who, limit: int | None = None, cursor: str | None = None):
    """维修工程及其状态（表决、动用、付款）。Works with their status."""
    size = page_limit(limit)
    with read_fund(request, who, fund_code) as (tx, position):
        rows = reports.works_list(tx, fund_code, size + 1, cursor or "")
    return {"fund_code": fund_code, "works": [works_json(fund_code, r) for r in rows[:size]],
            "next_cursor": rows[size - 1]["works_code"] if len(rows) > size else None, "log_position": position}


@router.get(FUND + "/works/{works_code}", summary="维修工程 A works item", response_model=out.WorksOut)
def get_works(fund_code: str, works_code: str, request: Request, who: Who):
    with read_fund(request, who, fund_code) as (tx, position):
        item = reports.works_detail(tx, fund_code, works_code)
    if item is None:
        raise ApiProblem(404, "works-not-found", "Works not found", f"fund {fund_code} has no works {works_code!r}")
    return {**works_json(fund_code, item), "log_position": position}


@router.post(FUND + "/works/{works_code}/vote", status_code=201, summary="业主表决 Record the owners' vote",
             response_model=out.VoteOut)
async def record_vote(fund_code: str, works_code: str, body: VoteIn, request: Request, who: Who):
    """按业主记录表决（同意、反对、弃权、未参与），在受益单元业主中计票（民法典第278条）。
    Record the vote per owner among the affected units' owners and count it (民法典 Art. 278)."""
    ballots = [Ballot.cast(b.owner, b.answer) for b in body.ballots]
    return await write(request, who, f"业主表决 {works_code}", for_fund(who, fund_code, lambda uow, audit: (
        mf.record_vote(uow, audit, fund_code, works_code, held_on=body.held_on, ballots=ballots))),
        lambda t: (201, {"fund_code": fund_code, "works_code": works_code, "held_on": body.held_on.isoformat(),
                         "tally": tally_out(reports.tally_json(t))}), out.VoteOut)


@router.get(FUND + "/works/{works_code}/vote", summary="计票结果 Vote tally", response_model=out.VoteListOut)
def get_votes(fund_code: str, works_code: str, request: Request, who: Who):
    """每次表决的面积与人数（按答复）、门槛及是否通过。Area and headcount by answer, thresholds, result."""
    with read_fund(request, who, fund_code) as (tx, position):
        if reports.works_detail(tx, fund_code, works_code) is None:
            raise ApiProblem(404, "works-not-found", "Works not found", f"fund {fund_code} has no works {works_code!r}")
        votes = reports.vote_tallies(tx, fund_code, works_code)
    return {"fund_code": fund_code, "works_code": works_code, "log_position": position,
            "votes": [{"vote_no": v["vote_no"], "held_on": v["held_on"], "tally": tally_out(v)} for v in votes]}


@router.post(FUND + "/works/{works_code}/use", status_code=201, summary="动用资金 Use the fund",
             response_model=out.UseOut)
async def use_fund(fund_code: str, works_code: str, body: UseIn, request: Request, who: Who):
    """表决通过后按面积分摊批准费用；超过分户余额的部分形成业主应收款。
    Apportion the approved cost by floor area after a passing vote; a charge above a balance leaves a receivable."""
    cost = parse_contribution_amount(body.approved_cost)
    return await write(request, who, f"动用维修资金 {works_code}", for_fund(who, fund_code, lambda uow, audit: (
        mf.use_fund(uow, audit, fund_code, works_code, used_on=body.used_on, approved_cost=cost))),
        lambda r: (201, use_json(fund_code, r)), out.UseOut)


@router.post(FUND + "/works/{works_code}/payments", status_code=201, summary="支付工程款 Pay the contractor",
             response_model=out.VoucherRefOut)
async def pay_contractor(fund_code: str, works_code: str, body: PaymentIn, request: Request, who: Who):
    """分期支付施工单位，累计不超过批准费用。Instalments to the contractor, never above the approved cost."""
    return await voucher_payment(request, who, fund_code, f"支付维修工程款 {works_code}", body.paid_on, body.amount,
                                 lambda uow, audit, amount: mf.pay_contractor(
                                     uow, audit, fund_code, works_code, paid_on=body.paid_on, amount=amount))


@router.post(FUND + "/emergency-uses", status_code=201, summary="应急使用 Emergency use", response_model=out.UseOut)
async def emergency_use(fund_code: str, body: EmergencyIn, request: Request, who: Who):
    """危及房屋安全的紧急情况（第24条）不经表决，记录类型和批准机关，按面积分摊。
    Emergency use (Art. 24): no vote; the type and authorising body are recorded; apportioned the same way."""
    emergency = Emergency.declared(body.emergency_type, body.authorised_by)
    scope, cost = scope_of(body.scope), parse_contribution_amount(body.cost)
    return await write(request, who, f"应急使用维修资金 {body.title}", for_fund(who, fund_code, lambda uow, audit: (
        mf.emergency_use(uow, audit, fund_code, works_code=body.works_code, title=body.title,
                         common_parts=body.common_parts, emergency=emergency, scope=scope,
                         contractor=body.contractor, cost=cost, used_on=body.used_on))),
        lambda r: (201, use_json(fund_code, r)), out.UseOut)


# --- a unit's life: transfer, demolition, receivables, statement ----------------------------------------
UNIT = FUND + "/units/{unit_id}"


@router.post(UNIT + "/transfer", summary="转让 Transfer on sale", response_model=out.TransferOut)
async def transfer_unit(fund_code: str, unit_id: str, body: TransferIn, request: Request, who: Who):
    """房屋转让时分户账及余额随房屋转给新业主，不发生资金收付（第28条）。The sub-ledger passes; no money moves."""
    owner = owner_of(body.new_owner)
    return await write(request, who, f"房屋转让 {unit_id}", for_fund(who, fund_code, lambda uow, audit: (
        mf.transfer_unit(uow, audit, fund_code, unit_id, transferred_on=body.transferred_on, new_owner=owner,
                         reference=body.reference))),
        lambda f: (200, {"fund_code": fund_code, "unit_id": unit_id, "transferred_on": body.transferred_on.isoformat(),
                         "new_owner": {"owner_id": owner.owner_id, "kind": owner.kind, "name": owner.name},
                         "balance": money(f.unit(unit_id).balance)}), out.TransferOut)


@router.post(UNIT + "/demolition", summary="房屋灭失 Demolition", response_model=out.DemolitionOut)
async def demolish_unit(fund_code: str, unit_id: str, body: DemolitionIn, request: Request, who: Who):
    """房屋灭失时返还分户余额并注销分户账（第29条）。The balance is refunded and the sub-ledger closed."""
    return await write(request, who, f"房屋灭失 {unit_id}", for_fund(who, fund_code, lambda uow, audit: (
        mf.demolish_unit(uow, audit, fund_code, unit_id, demolished_on=body.demolished_on,
                         reference=body.reference))),
        lambda d: (200, {"fund_code": fund_code, "unit_id": unit_id, "demolished_on": d.demolished_on.isoformat(),
                         "refunded": money(d.refunded), "voucher_number": d.voucher_number}), out.DemolitionOut)


@router.post(UNIT + "/receivable-payments", status_code=201, summary="收回应分摊费用 Owner pays a shortfall",
             response_model=out.VoucherRefOut)
async def collect_receivable(fund_code: str, unit_id: str, body: ReceivablePaymentIn, request: Request, who: Who):
    """业主缴回超过余额分摊形成的应收款。The owner pays (part of) the receivable a use left."""
    return await voucher_payment(request, who, fund_code, f"收回应分摊费用 {unit_id}", body.received_on, body.amount,
                                 lambda uow, audit, amount: mf.collect_receivable(
                                     uow, audit, fund_code, unit_id, received_on=body.received_on, amount=amount))


@router.get(UNIT + "/statement", summary="分户账 Unit statement", response_model=out.UnitStatementOut)
def unit_statement(fund_code: str, unit_id: str, request: Request, who: Who, as_of: AsOf = None,
                   year: YearQuery = None):
    """年度分户账：期初、分来源交存、增值收益、按工程的使用、期末（第30–31条）。
    One unit's year: opening, deposits by source, value-added income, uses by works, closing."""
    as_of = reading_date(as_of)
    year = statement_year(year, as_of)
    with read_fund(request, who, fund_code) as (tx, position):
        found = reports.unit_statement(tx, fund_code, unit_id, year, as_of)
    if found is None:
        raise ApiProblem(404, "unit-not-found", "Unit not found", f"fund {fund_code} has no unit {unit_id!r}")
    return {"title_zh": "住宅专项维修资金分户账", "title_en": "Unit statement", "fund_code": fund_code,
            "unit": unit_json(found["unit"]), "year": year, "period_start": found["period_start"].isoformat(),
            "period_end": found["period_end"].isoformat(), "figures": figures_json(found["figures"], found["titles"]),
            "owners": [{"on_date": r[0], "owner_id": r[1], "kind": r[2], "name": r[3], "reference": r[4]}
                       for r in found["owners"]], "log_position": position}


@router.get(FUND + "/statement", summary="年度账目 Fund statement", response_model=out.FundStatementOut)
def fund_statement(fund_code: str, request: Request, who: Who, as_of: AsOf = None, year: YearQuery = None):
    """年度维修资金账目，分户账合计与资金账套银行存款核对（第30–31条）。
    The fund's year, reconciling Σ sub-ledgers with the book (102 + 111 + 112 = 201 + 202 + 211)."""
    as_of = reading_date(as_of)
    year = statement_year(year, as_of)
    with read_fund(request, who, fund_code) as (tx, position):
        found = reports.fund_statement(tx, fund_code, year, as_of)
    book = found["book"]
    return {"title_zh": "住宅专项维修资金年度账目", "title_en": "Annual fund statement", "fund_code": fund_code,
            "year": year, "period_start": found["period_start"].isoformat(),
            "period_end": found["period_end"].isoformat(), "figures": figures_json(found["figures"], found["titles"]),
            "open_units": found["totals"]["open_units"], "floor_area_m2": found["totals"]["floor_area_m2"],
            "book": {name: money(getattr(book, name)) for name in (
                "bank", "bonds", "receivables", "funds_held", "value_added_income", "payables")},
            "reconciles": found["reconciles"], "log_position": position}


@router.get(FUND + "/replenishment", summary="续交名单 Units needing replenishment",
            response_model=out.ReplenishmentOut)
def replenishment(fund_code: str, request: Request, who: Who, as_of: AsOf = None):
    """余额低于首次交存 30 % 的单元及应续交金额（第17条）。Units below 30 % of their first deposit, with the amount."""
    as_of = reading_date(as_of)
    with read_fund(request, who, fund_code) as (tx, position):
        rows = reports.replenishment_list(tx, fund_code, as_of)
    total = sum((r.replenishment.to_restore for r in rows), Decimal("0.00"))
    return {"title_zh": "维修资金续交名单", "title_en": "Replenishment list", "fund_code": fund_code,
            "as_of": as_of.isoformat(), "units_flagged": len(rows), "amount_to_restore_total": money(total),
            "units": [unit_json(r) for r in rows], "log_position": position}


@router.get("/townships/{township_id}/maintenance-fund-replenishment", summary="乡镇续交汇总 Township replenishment",
            response_model=out.TownshipReplenishmentOut)
def township_replenishment(township_id: str, request: Request, who: Who, as_of: AsOf = None):
    """乡镇范围内每个维修资金需续交的单元数与金额。Per fund of the township: units flagged and the amount."""
    as_of = reading_date(as_of)
    with read(request) as (tx, position):
        funds = [f for f in reports.funds(tx, township_id) if who.scope.covers(f.community_id, f.township_id)]
        if not funds:
            require_read(who, "", township_id)
        listed = []
        for info in funds:
            rows = reports.replenishment_list(tx, info.book_code, as_of)
            listed.append({"fund_code": info.book_code, "name": info.name, "community_id": info.community_id,
                           "units_flagged": len(rows), "amount_to_restore": money(sum(
                               (r.replenishment.to_restore for r in rows), Decimal("0.00"))),
                           "unit_ids": [r.unit_id for r in rows]})
    return {"township_id": township_id, "as_of": as_of.isoformat(), "funds": listed, "log_position": position}
