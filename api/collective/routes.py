"""Collective-economy organisations (集体经济组织): members, shares, year end, dividends, projects, statements.

Income and expense vouchers use the book endpoints (``POST /books/{book_code}/vouchers``);
an organisation is addressed by its book's code. Every write goes through
``api.http.write`` (one audit stamp, with the request's Idempotency-Key); every
read goes through the query functions of ``projections.collective``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request

from api.auth import Who, require_write, runtime_of
from api.collective import render
from api.collective import schemas as out
from api.collective.schemas import Year
from api.errors import ApiProblem, register_conflict
from api.http import (AsOf, income_period, page_limit, read, readable, readable_book, reading_date, recorded_for,
                      writable_book, write)
from api.runtime import Principal
from api.schemas import money
from domain.collective import application as collective
from domain.collective import errors as rules
from domain.collective.charter import make_charter
from domain.collective.distribution import BANK, CASH, DividendPayment
from domain.collective.shares import share_units
from domain.collective.year_end import YEAR_MAX, YEAR_MIN
from ledger.audit import Audit
from ledger.money import from_fen, parse_amount, uppercase_amount
from ledger.sqldb import Transaction
from ledger.writer import UnitOfWork
from projections import collective as reports
from projections import statements
from projections.ledger_reports import BookInfo, detail_ledger, trial_balance

T = TypeVar("T")
router = APIRouter(tags=["collective 集体经济组织"])
BASE = "/collective/organisations"
YearQuery = Annotated[int | None, Query(ge=YEAR_MIN, le=YEAR_MAX)]
FromDate = Annotated[date | None, Query(alias="from")]

# Conflicts with the current state answer 409 rather than 422 (DOMAIN.md §3: one plan, one distribution a year).
register_conflict(rules.OrganisationAlreadyRegistered, rules.MemberAlreadyConfirmed, rules.SharesAlreadyQuantified,
                  rules.YearAlreadyClosed, rules.DistributionAlreadyAdopted, rules.DistributionAlreadyReversed,
                  rules.ProjectAlreadyRegistered)


# --- guards ----------------------------------------------------------------------------
def for_organisation(who: Principal, book_code: str,
                     use_case: Callable[[UnitOfWork, Audit], Any]) -> Callable[[UnitOfWork, Audit], Any]:
    """The command: the caller may record for the organisation (checked on its aggregate), then the use case."""
    return recorded_for(who, lambda uow: collective.get_organisation(uow, book_code), use_case)


async def change_shares(request: Request, who: Principal, book_code: str, reason: str,
                        use_case: Callable[[UnitOfWork, Audit], Any]) -> Any:
    """A write that changes the share register (201 with the register as it now stands)."""
    return await write(request, who, reason, for_organisation(who, book_code, use_case),
                       lambda o: (201, render.shares_json(o)), out.SharesOut)


async def share_change(request: Request, who: Principal, book_code: str, body: out.InheritanceIn | out.TransferIn
                       | out.RedemptionIn, use_case: Callable[..., Any], **parties: str) -> Any:
    """A change of members' units (inheritance, transfer, redemption): the body's units (parsed; an inheritance
    may leave them out: all of the deceased's), date and reference, and the parties it names."""
    units = share_units(body.units) if body.units is not None else None
    return await change_shares(request, who, book_code, body.reference, lambda uow, audit: use_case(
        uow, audit, book_code, units=units, effective_on=body.effective_on, reference=body.reference, **parties))


def readable_organisation(tx: Transaction, who: Principal, book_code: str) -> reports.OrganisationInfo:
    return readable(who, reports.organisation_info(tx, book_code), "organisation-not-found", "Organisation not found",
                    f"no organisation {book_code!r}")


def read_organisation(request: Request, who: Principal, book_code: str,
                      query: Callable[[Transaction], T]) -> tuple[T, int]:
    """A read-model query about an organisation the caller may read: (its answer, the log position read at)."""
    with read(request) as (tx, position):
        readable_organisation(tx, who, book_code)
        return query(tx), position


def organisation_book(tx: Transaction, who: Principal, book_code: str) -> BookInfo:
    """The organisation's book, if the caller may read the organisation (404 names the organisation)."""
    readable_organisation(tx, who, book_code)
    return readable_book(tx, who, book_code)


# --- organisations -------------------------------------------------------------------
@router.post(BASE, status_code=201, summary="登记集体经济组织 Register an organisation",
             response_model=out.OrganisationOut)
async def register_organisation(body: out.OrganisationIn, request: Request, who: Who):
    """登记集体经济组织及其章程，并开设（或沿用）其账套（2023 科目表）。
    Register an organisation with its charter; open its book on the 2023 chart, or adopt the community's existing one."""
    require_write(who, body.community_id, body.township_id)
    charter = make_charter(Decimal(body.reserve_rate_percent), body.collective_share_class, body.share_management)

    def command(uow: UnitOfWork, audit: Audit) -> Any:
        if body.adopt_existing_book:  # another community's book: 403 before anything else is looked up
            writable_book(uow, who, body.book_code)
        return collective.register_organisation(
            uow, audit, book_code=body.book_code, name=body.name, community_id=body.community_id,
            township_id=body.township_id, credit_code=body.credit_code, charter=charter,
            registered_on=body.registered_on, book_starts_on=body.book_starts_on,
            adopt_existing_book=body.adopt_existing_book)

    return await write(request, who, f"登记集体经济组织 {body.name}", command,
                       lambda o: (201, render.organisation_json(o)), out.OrganisationOut)


@router.get(BASE, summary="集体经济组织列表 List organisations", response_model=out.OrganisationListOut)
def list_organisations(request: Request, who: Who, as_of: AsOf = None):
    """调用者范围内的集体经济组织。Organisations within the caller's scope (registered on or before as_of)."""
    as_of = reading_date(as_of)
    with read(request) as (tx, position):
        found = [render.organisation_json(info) for info in reports.organisations(tx)
                 if who.scope.covers(info.community_id, info.township_id) and info.registered_on <= as_of.isoformat()]
    return {"organisations": found, "as_of": as_of.isoformat(), "log_position": position}


@router.get(BASE + "/{book_code}", summary="集体经济组织 Get an organisation", response_model=out.OrganisationDetailOut)
def get_organisation(book_code: str, request: Request, who: Who, as_of: AsOf = None):
    """组织信息、章程、年度结账与分配概况。The organisation, its charter, closed years and distributions."""
    as_of = reading_date(as_of)
    with read(request) as (tx, position):
        info = readable_organisation(tx, who, book_code)
        closes = reports.year_closes(tx, book_code, as_of)
        distributions = reports.distributions_as_of(tx, book_code, as_of)
    return {**render.organisation_json(info), "as_of": as_of.isoformat(),
            "closed_years": [{"year": c.year, "net_income": render.fen(c.net_income_fen),
                              "voucher_numbers": c.voucher_numbers} for c in closes],
            "distributions": [{k: d[k] for k in ("year", "attempt", "record_date", "voucher_date", "reversed_on")}
                              | {"declared": d["figures"]["declared"]} for d in distributions],
            "log_position": position}


@router.get(BASE + "/{book_code}/resolutions", summary="成员大会决议 Resolutions", response_model=out.ResolutionListOut)
def list_resolutions(book_code: str, request: Request, who: Who, as_of: AsOf = None):
    """本组织记录的成员大会决议及表决情况。The members' assembly resolutions recorded, with their counts."""
    as_of = reading_date(as_of)
    rows, position = read_organisation(request, who, book_code, lambda tx: reports.resolutions(tx, book_code, as_of))
    return {"resolutions": rows, "as_of": as_of.isoformat(), "log_position": position}


# --- members -------------------------------------------------------------------------
@router.post(BASE + "/{book_code}/member-confirmations", status_code=201, summary="确认成员 Confirm members",
             response_model=out.ConfirmationOut)
async def confirm_members(book_code: str, body: out.ConfirmationIn, request: Request, who: Who):
    """按成员大会决议批量确认成员；身份证号只存掩码与密钥散列。
    Confirm a batch of members by the assembly resolution; identity numbers are kept only masked plus a keyed hash."""
    resolution = body.resolution.to_domain()
    key = runtime_of(request).identity_key
    candidates = [collective.MemberCandidate(m.member_id, m.name, m.household_id, m.identity_number)
                  for m in body.members]
    reason = f"确认成员 {len(candidates)} 人（{resolution.reference}）"
    return await write(request, who, reason, for_organisation(who, book_code, lambda uow, audit: (
        collective.confirm_members(uow, audit, key, book_code, resolution, candidates))), lambda ms: (201, {
            "book_code": book_code, "confirmed": len(ms), "resolution_reference": resolution.reference,
            "members": [{"member_id": m.member_id, "identity_masked": m.line.identity.masked} for m in ms]}),
        out.ConfirmationOut)


@router.post(BASE + "/{book_code}/members/{member_id}/end", summary="终止成员身份 End a membership",
             response_model=out.MemberOut)
async def end_membership(book_code: str, member_id: str, body: out.MembershipEndIn, request: Request, who: Who):
    """因死亡、丧失国籍、加入其他集体、成为公务员或自愿退出而终止成员身份；份额不变（静态管理）。
    End a membership for a legal reason; shares stay until inherited, transferred or redeemed."""
    reason = f"终止成员身份 {member_id}：{body.reason.value}"
    return await write(request, who, reason, for_organisation(who, book_code, lambda uow, audit: (
        collective.end_membership(uow, audit, book_code, member_id, body.ended_on, body.reason))),
        lambda m: (200, render.membership_json(m)), out.MemberOut)


@router.get(BASE + "/{book_code}/members", summary="成员名册 Member register", response_model=out.MemberRegisterOut)
def get_member_register(book_code: str, request: Request, who: Who, as_of: AsOf = None,
                        current_only: bool = False, limit: int | None = None, cursor: str | None = None):
    """截至 as_of 的成员名册（身份证号仅显示后四位）。The member register as of a date (identity numbers masked)."""
    as_of = reading_date(as_of)
    size = page_limit(limit)
    (items, summary, more), position = read_organisation(request, who, book_code, lambda tx: (
        reports.member_register(tx, book_code, as_of, size, cursor, current_only)))
    return {"title_zh": "成员名册", "title_en": "Member register", "book_code": book_code, "as_of": as_of.isoformat(),
            **summary, "members": items, "next_cursor": items[-1]["member_id"] if more else None,
            "log_position": position}


@router.get(BASE + "/{book_code}/members/{member_id}", summary="成员 Get a member", response_model=out.MemberDetailOut)
def get_member(book_code: str, member_id: str, request: Request, who: Who, as_of: AsOf = None):
    """成员信息、份额及历年分红。A member, their units and dividends by year, as of a date."""
    as_of = reading_date(as_of)
    with read(request) as (tx, position):
        readable_organisation(tx, who, book_code)
        line = reports.member_line(tx, book_code, member_id, as_of)
        if line is None:
            raise ApiProblem(404, "unknown-member", "Unknown member", f"no member {member_id} in {book_code}")
        dividends, _, _ = reports.dividend_register(tx, book_code, as_of, None, 1_000, None, member_id)
    return {**line, "dividends": [render.dividend_row(r) for r in dividends], "as_of": as_of.isoformat(),
            "log_position": position}


# --- shares --------------------------------------------------------------------------
@router.post(BASE + "/{book_code}/share-plan", status_code=201, summary="份额量化方案 Adopt the share plan",
             response_model=out.SharesOut)
async def adopt_share_plan(book_code: str, body: out.SharePlanIn, request: Request, who: Who):
    """由全体成员大会决议通过的份额量化方案（每名成员的份额，可设集体股）。
    Adopt the quantification plan (units per member, optional collective share) by a resolution meeting Art. 27."""
    resolution = body.resolution.to_domain()
    holdings: dict[str, Decimal] = {}
    for holding in body.holdings:
        if holding.member_id in holdings:
            raise ApiProblem(422, "duplicate-holder", "Duplicate holder", f"{holding.member_id} appears twice")
        holdings[holding.member_id] = share_units(holding.units)
    collective_units = Decimal(body.collective_units)
    return await change_shares(request, who, book_code, f"份额量化（{resolution.reference}）", lambda uow, audit: (
        collective.quantify(uow, audit, book_code, resolution, body.effective_on, holdings, collective_units)))


@router.post(BASE + "/{book_code}/share-changes/inheritance", status_code=201, summary="份额继承 Inherit shares",
             response_model=out.SharesOut)
async def inherit_shares(book_code: str, body: out.InheritanceIn, request: Request, who: Who):
    """已故成员的份额由身为本组织成员的继承人继承。A deceased member's units pass to an heir who is a member."""
    return await share_change(request, who, book_code, body, collective.inherit, deceased_id=body.deceased_id,
                              heir_id=body.heir_id)


@router.post(BASE + "/{book_code}/share-changes/transfer", status_code=201, summary="份额转让 Transfer shares",
             response_model=out.SharesOut)
async def transfer_shares(book_code: str, body: out.TransferIn, request: Request, who: Who):
    """份额只能在本组织内部转让。Units may be transferred only to another current member."""
    return await share_change(request, who, book_code, body, collective.transfer, from_id=body.from_id,
                              to_id=body.to_id)


@router.post(BASE + "/{book_code}/share-changes/redemption", status_code=201, summary="份额赎回 Redeem shares",
             response_model=out.SharesOut)
async def redeem_shares(book_code: str, body: out.RedemptionIn, request: Request, who: Who):
    """本组织赎回份额并注销（价款另行记账）。The organisation buys back units, which are cancelled."""
    return await share_change(request, who, book_code, body, collective.redeem, holder_id=body.holder_id)


@router.get(BASE + "/{book_code}/share-register", summary="份额登记簿 Share register",
            response_model=out.ShareRegisterOut)
def get_share_register(book_code: str, request: Request, who: Who, as_of: AsOf = None,
                       limit: int | None = None, cursor: str | None = None):
    """截至 as_of（如股权登记日）每名成员持有的份额。Who held how many units on a date (e.g. the record date)."""
    as_of = reading_date(as_of)
    size = page_limit(limit)
    (holders, summary, more), position = read_organisation(request, who, book_code, lambda tx: (
        reports.share_register(tx, book_code, as_of, size, cursor)))
    return {"title_zh": "份额登记簿", "title_en": "Share register", "book_code": book_code, "as_of": as_of.isoformat(),
            **summary, "holders": holders, "next_cursor": holders[-1]["member_id"] if more else None,
            "log_position": position}


# --- year end and distribution --------------------------------------------------------
@router.post(BASE + "/{book_code}/years/{year}/close", status_code=201, summary="年终结账 Close the year",
             response_model=out.YearCloseOut)
async def close_year(book_code: str, year: Year, request: Request, who: Who, body: out.YearCloseIn | None = None):
    """将收入、支出类科目结转至本年收益（321），再将本年收益转入未分配收益（322.01）；凭证日期为 12 月 31 日。
    Close income and expense accounts to 321, then 321 to 322.01, by vouchers dated 31 December."""
    reason = body.reason if body else f"{year} 年终结账"
    return await write(request, who, reason, for_organisation(
        who, book_code, lambda uow, audit: collective.close_year(uow, audit, book_code, year)), lambda c: (201, {
            "book_code": book_code, "year": c.year, "net_income": money(c.net_income),
            "net_income_uppercase": uppercase_amount(c.net_income), "voucher_numbers": list(c.voucher_numbers)}),
        out.YearCloseOut)


@router.post(BASE + "/{book_code}/years/{year}/distribution", status_code=201,
             summary="收益分配方案 Adopt a distribution", response_model=out.DistributionOut)
async def adopt_distribution(book_code: str, year: Year, body: out.DistributionIn, request: Request, who: Who):
    """按成员大会决议通过年终收益分配：弥补亏损、提取公积公益金、按份额向成员分配（精确到分）。
    Adopt the year's distribution: cover losses, withdraw the reserve, distribute pro rata to shares on the record
    date, exact to the fen; posted on 31 December in the same transaction."""
    resolution = body.resolution.to_domain()
    declared = parse_amount(body.declared_amount) if body.declared_amount is not None else None
    return await write(request, who, f"{year} 年度收益分配（{resolution.reference}）", for_organisation(
        who, book_code, lambda uow, audit: collective.adopt_distribution(
            uow, audit, book_code, year=year, resolution=resolution, record_date=body.record_date,
            declared_amount=declared)),
        lambda r: (201, render.distribution_json(r.distribution, r.vouchers)), out.DistributionOut)


@router.get(BASE + "/{book_code}/years/{year}/distribution", summary="收益分配 Get the year's distribution",
            response_model=out.DistributionStatusOut)
def get_distribution(book_code: str, year: Year, request: Request, who: Who, as_of: AsOf = None):
    """该年度分配方案的各项数字与凭证（含已冲销的）。The year's distribution figures and vouchers (reversed ones too)."""
    as_of = reading_date(as_of)
    distributions, position = read_organisation(request, who, book_code, lambda tx: (
        reports.distributions_as_of(tx, book_code, as_of)))
    found = [d for d in distributions if d["year"] == year]
    if not found:
        raise ApiProblem(404, "no-distribution", "No distribution", f"no distribution for {year} as of {as_of}")
    attempts = [{**d, "figures": render.figures_json(d["figures"])} for d in found]
    in_force = [d for d in attempts if d["reversed_on"] is None]
    return {"book_code": book_code, "year": year, "as_of": as_of.isoformat(),
            "in_force": in_force[-1] if in_force else None, "attempts": attempts, "log_position": position}


@router.post(BASE + "/{book_code}/years/{year}/distribution/reversal", status_code=201,
             summary="冲销收益分配 Reverse a distribution", response_model=out.DistributionOut)
async def reverse_distribution(book_code: str, year: Year, body: out.ReversalIn, request: Request, who: Who):
    """以红字凭证冲销该年度分配（尚未支付分红时），之后可重新通过分配方案。
    Cancel the year's distribution by red vouchers (only while no dividend is paid), so a new plan may be adopted."""
    return await write(request, who, body.reason, for_organisation(who, book_code, lambda uow, audit: (
        collective.reverse_distribution(uow, audit, book_code, year=year, red_date=body.red_date))),
        lambda d: (201, render.distribution_json(d)), out.DistributionOut)


@router.post(BASE + "/{book_code}/dividend-payments", status_code=201, summary="支付分红 Pay dividends",
             response_model=out.PaymentsOut)
async def pay_dividends(book_code: str, body: out.PaymentsIn, request: Request, who: Who):
    """批量或逐笔支付成员分红（借 211 成员 / 贷 102）；可部分支付，不得超过应付余额。
    Pay dividends in a batch or one by one (Dr 211 member / Cr 102); partial allowed, never above what is owed."""
    payments = [DividendPayment(p.member_id, parse_amount(p.amount)) for p in body.payments]
    return await write(request, who, f"支付 {body.year} 年度分红 {len(payments)} 笔", for_organisation(
        who, book_code, lambda uow, audit: collective.pay_dividends(
            uow, audit, book_code, year=body.year, paid_on=body.paid_on, payments=payments,
            account_code=body.account_code)), lambda v: (201, {
                "book_code": book_code, "year": body.year, "paid": len(payments),
                "voucher": render.voucher_brief(v)}), out.PaymentsOut)


@router.get(BASE + "/{book_code}/dividend-register", summary="股东分红登记簿 Dividend register",
            response_model=out.DividendRegisterOut)
def get_dividend_register(book_code: str, request: Request, who: Who, as_of: AsOf = None, year: YearQuery = None,
                          limit: int | None = None, cursor: str | None = None):
    """每名成员每年度：份额、应分、已付、未付（截至 as_of）。
    Per member per year: units, declared, paid and outstanding, as of a date; unpaid dividends stay visible."""
    as_of = reading_date(as_of)
    size = page_limit(limit)
    (rows, totals, next_cursor), position = read_organisation(request, who, book_code, lambda tx: (
        reports.dividend_register(tx, book_code, as_of, year, size, cursor)))
    return {"title_zh": "股东分红登记簿", "title_en": "Shareholder dividend register", "book_code": book_code,
            "as_of": as_of.isoformat(), "rows": [render.dividend_row(r) for r in rows],
            "years": [render.dividend_year(y, t) for y, t in sorted(totals.items())],
            "next_cursor": next_cursor, "log_position": position}


# --- projects ------------------------------------------------------------------------
@router.post(BASE + "/{book_code}/projects", status_code=201, summary="资产收益项目 Register a project",
             response_model=out.ProjectOut)
async def register_project(book_code: str, body: out.ProjectIn, request: Request, who: Who):
    """登记资产收益项目（如托管养牛），各户认领单位数。Register a pooled asset-income project with households' units."""
    units: dict[str, int] = {}
    for participant in body.participants:
        if participant.household_id in units:
            raise ApiProblem(422, "duplicate-household", "Duplicate household", f"{participant.household_id} twice")
        units[participant.household_id] = participant.units
    amount = parse_amount(body.amount_per_unit) if body.amount_per_unit is not None else None
    return await write(request, who, f"登记资产收益项目 {body.name}", for_organisation(
        who, book_code, lambda uow, audit: collective.register_project(
            uow, audit, book_code, project_code=body.project_code, name=body.name, method=body.method,
            amount_per_unit=amount, units_by_household=units, started_on=body.started_on)), lambda p: (201, {
                "book_code": book_code, "project_code": p.project_code, "name": p.name, "method": p.method,
                "amount_per_unit": money(p.amount_per_unit), "households": len(p.participants),
                "units": sum(s.units for s in p.participants)}), out.ProjectOut)


@router.post(BASE + "/{book_code}/projects/{project_code}/cycles", status_code=201,
             summary="项目收益分配 Pay a project cycle", response_model=out.CycleOut)
async def pay_project_cycle(book_code: str, project_code: str, body: out.CycleIn, request: Request, who: Who):
    """按单位向参与户分配本期收益（固定金额或按收益比例，精确到分；借 511 / 贷 211 户）。
    Pay a cycle to the households (fixed per unit, or a share of income, exact to the fen)."""
    income = parse_amount(body.income) if body.income is not None else None
    return await write(request, who, f"资产收益项目 {project_code} 第 {body.cycle} 期分配", for_organisation(
        who, book_code, lambda uow, audit: collective.pay_project_cycle(
            uow, audit, book_code, project_code=project_code, cycle=body.cycle, paid_on=body.paid_on, income=income,
            debit_account=body.debit_account)), lambda v: (201, {
                "book_code": book_code, "project_code": project_code, "cycle": body.cycle,
                "voucher": render.voucher_brief(v)}), out.CycleOut)


@router.get(BASE + "/{book_code}/projects", summary="资产收益项目 Projects", response_model=out.ProjectListOut)
def list_projects(book_code: str, request: Request, who: Who, as_of: AsOf = None):
    """各资产收益项目、参与户及已支付的各期。Projects, their households and the cycles paid by as_of."""
    as_of = reading_date(as_of)
    projects, position = read_organisation(request, who, book_code, lambda tx: reports.projects(tx, book_code, as_of))
    return {"book_code": book_code, "projects": [render.project_json(p) for p in projects],
            "as_of": as_of.isoformat(), "log_position": position}


# --- statements ----------------------------------------------------------------------
@router.get(BASE + "/{book_code}/statements/balance-sheet", summary="资产负债表 Balance sheet",
            response_model=out.BalanceSheetOut, response_model_exclude_unset=True)
def get_balance_sheet(book_code: str, request: Request, who: Who, as_of: AsOf = None):
    """资产负债表：期末数与年初数；资产 = 负债 + 所有者权益。
    Balance sheet with closing (as_of) and opening (start of year) columns; assets = liabilities + equity."""
    as_of = reading_date(as_of)
    with read(request) as (tx, position):
        sheet = statements.balance_sheet(tx, organisation_book(tx, who, book_code), as_of)
    return {"title_zh": "资产负债表", "title_en": "Balance sheet", "book_code": book_code,
            "as_of": as_of.isoformat(), "opening_as_of": (sheet.year_start - timedelta(days=1)).isoformat(),
            "lines": render.sheet_rows(sheet), "totals": render.sheet_totals(sheet), "balanced": sheet.balanced,
            "log_position": position}


@router.get(BASE + "/{book_code}/statements/income", summary="收益及收益分配表 Income and distribution statement",
            response_model=out.IncomeStatementOut)
def get_income_statement(book_code: str, request: Request, who: Who, year: YearQuery = None, as_of: AsOf = None):
    """收益及收益分配表：经营收益、收益总额、净收益、可分配收益、各项分配、年末未分配收益（列出每一项）。
    Income and distribution statement with every line of the formulas; the year defaults to as_of's year."""
    year, as_of = income_period(year, as_of)
    with read(request) as (tx, position):
        statement = statements.income_statement(tx, organisation_book(tx, who, book_code), year, as_of)
    lines = [{"key": key, "name_zh": zh, "name_en": en, "amount": render.fen(statement.lines[key])}
             for key, zh, en in statements.INCOME_STATEMENT_LINES]
    closing = from_fen(statement.lines["closing_undistributed"])
    return {"title_zh": "收益及收益分配表", "title_en": "Income and distribution statement", "book_code": book_code,
            "year": year, "period_start": statement.period_start.isoformat(),
            "period_end": statement.period_end.isoformat(), "as_of": as_of.isoformat(), "lines": lines,
            "net_income_uppercase": uppercase_amount(from_fen(statement.lines["net_income"])),
            "closing_undistributed_uppercase": uppercase_amount(closing),
            "reconciles_with_balance_sheet": statement.reconciles, "log_position": position}


def _period(as_of: date | None, from_date: date | None) -> tuple[date, date]:
    as_of = reading_date(as_of)
    start = from_date or date(as_of.year, 1, 1)
    if start > as_of:
        raise ApiProblem(422, "invalid-period", "Invalid period", "from must not be after as_of")
    return start, as_of


@router.get(BASE + "/{book_code}/statements/trial-balance", summary="科目余额表 Trial balance",
            response_model=out.TrialBalanceOut)
def get_trial_balance(book_code: str, request: Request, who: Who, as_of: AsOf = None, from_date: FromDate = None):
    """科目余额表（同 /books/{book_code}/trial-balance）。The organisation book's trial balance."""
    start, as_of = _period(as_of, from_date)
    with read(request) as (tx, position):
        tb = trial_balance(tx, organisation_book(tx, who, book_code), start, as_of)
    rows = [{"account_code": r.account.code, "name_zh": r.account.name_zh, "name_en": r.account.name_en,
             "opening": render.balance_json(r.opening), "period_debit": money(r.period_debit),
             "period_credit": money(r.period_credit), "closing": render.balance_json(r.closing)} for r in tb.rows]
    return {"title_zh": "科目余额表", "title_en": "Trial balance", "book_code": book_code,
            "period_start": start.isoformat(), "as_of": as_of.isoformat(), "rows": rows,
            "totals": {k: money(v) for k, v in tb.totals.items()}, "balanced": tb.balanced, "log_position": position}


def _journal(request: Request, who: Principal, book_code: str, account_code: str, subledger: str | None,
             as_of: date | None, from_date: date | None, limit: int | None, cursor: str | None,
             title: tuple[str, str]) -> dict[str, Any]:
    start, as_of = _period(as_of, from_date)
    size = page_limit(limit)
    with read(request) as (tx, position):
        ledger = detail_ledger(tx, organisation_book(tx, who, book_code), account_code, subledger, start, as_of,
                               size, cursor)
    return {"title_zh": title[0], "title_en": title[1], "book_code": book_code, "account_code": ledger.account.code,
            "name_zh": ledger.account.name_zh, "name_en": ledger.account.name_en, "subledger": subledger,
            "period_start": start.isoformat(), "as_of": as_of.isoformat(),
            "opening": render.balance_json(ledger.opening),
            "lines": [{"voucher_date": l.voucher_date, "number": l.number, "account_code": l.account_code,
                       "subledger": l.subledger, "summary": l.summary, "debit": money(l.debit),
                       "credit": money(l.credit), "balance": render.balance_json(l.balance)} for l in ledger.lines],
            "period_debit": money(ledger.period_debit), "period_credit": money(ledger.period_credit),
            "closing": render.balance_json(ledger.closing), "next_cursor": ledger.next_cursor,
            "log_position": position}


@router.get(BASE + "/{book_code}/statements/cash-journal", summary="现金日记账 Cash journal",
            response_model=out.JournalOut)
def get_cash_journal(book_code: str, request: Request, who: Who, as_of: AsOf = None, from_date: FromDate = None,
                     limit: int | None = None, cursor: str | None = None):
    """现金日记账（101 库存现金明细账）。The cash journal: detail ledger of 101 with a running balance."""
    return _journal(request, who, book_code, CASH, None, as_of, from_date, limit, cursor, ("现金日记账", "Cash journal"))


@router.get(BASE + "/{book_code}/statements/bank-journal", summary="银行存款日记账 Bank journal",
            response_model=out.JournalOut)
def get_bank_journal(book_code: str, request: Request, who: Who, as_of: AsOf = None, from_date: FromDate = None,
                     limit: int | None = None, cursor: str | None = None):
    """银行存款日记账（102 银行存款明细账）。The bank journal: detail ledger of 102 with a running balance."""
    return _journal(request, who, book_code, BANK, None, as_of, from_date, limit, cursor,
                    ("银行存款日记账", "Bank journal"))


@router.get(BASE + "/{book_code}/statements/detail-ledger", summary="明细账 Detail ledger",
            response_model=out.JournalOut)
def get_detail_ledger(book_code: str, request: Request, who: Who,
                      account: Annotated[str, Query(pattern=r"^\d{3}(\.\d{2}){0,3}$")],
                      subledger: Annotated[str | None, Query(max_length=90)] = None,
                      as_of: AsOf = None, from_date: FromDate = None,
                      limit: int | None = None, cursor: str | None = None):
    """任一科目（及辅助核算，如 211 member:M0001）的明细账。Detail ledger of any account, optionally one sub-ledger."""
    return _journal(request, who, book_code, account, subledger, as_of, from_date, limit, cursor,
                    ("明细账", "Detail ledger"))
