"""Collective-economy organisations (集体经济组织): members, shares, year end, dividends, projects, statements.

Income and expense vouchers use the book endpoints (``POST /books/{book_code}/vouchers``);
an organisation is addressed by its book's code.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field, Strict, StringConstraints

from api.auth import principal, require_read, require_write, runtime_of
from api.errors import ApiProblem, register_conflict
from api.http import page_limit, read, today_cst, write
from api.runtime import Principal
from api.schemas import AmountIn, Code, Model, StrictDate, Text, money
from domain.collective import application as collective
from domain.collective.membership import MemberAlreadyConfirmed, MembershipEndReason
from domain.collective.model import (
    Distribution,
    DistributionAlreadyAdopted,
    DistributionAlreadyReversed,
    Membership,
    Organisation,
    OrganisationAlreadyRegistered,
    Project,
    ProjectAlreadyRegistered,
    SharesAlreadyQuantified,
    YearAlreadyClosed,
    share_units,
)
from domain.collective.organisation import make_charter
from domain.collective.resolution import AssemblyResolution
from domain.collective.year_end import YEAR_MAX, YEAR_MIN
from ledger.journal import Voucher
from ledger.money import from_fen, parse_amount, uppercase_amount
from ledger.sqldb import Transaction
from ledger.writer import UnitOfWork
from projections import collective as reports
from projections.ledger_reports import BookInfo, book_info, detail_ledger, trial_balance

router = APIRouter(tags=["collective 集体经济组织"])
Who = Annotated[Principal, Depends(principal)]
BASE = "/collective/organisations"
MAX_MEMBERS_PER_REQUEST = 5_000
MAX_HOLDINGS_PER_REQUEST = 100_000

# Conflicts with the current state answer 409 rather than 422 (DOMAIN.md §3: one plan, one distribution a year).
register_conflict(OrganisationAlreadyRegistered, MemberAlreadyConfirmed, SharesAlreadyQuantified, YearAlreadyClosed,
                  DistributionAlreadyAdopted, DistributionAlreadyReversed, ProjectAlreadyRegistered)

WireId = Annotated[str, Strict(), StringConstraints(pattern=r"^[A-Za-z0-9_.\-]{1,40}$")]
Units = Annotated[str, Strict(), StringConstraints(pattern=r"^\d{1,10}(\.\d{1,4})?$")]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]


# --- wire types ----------------------------------------------------------------------
class ResolutionIn(Model):
    resolved_on: StrictDate = Field(description="决议日期 Date of the members' assembly")
    reference: Text = Field(description="决议文号 Reference of the resolution")
    members_total: Annotated[int, Strict()] = Field(description="成员总数 All members")
    members_with_full_capacity: Annotated[int, Strict()] | None = Field(
        None, description="完全民事行为能力成员数 Members with full civil capacity (default: all)")
    present: Annotated[int, Strict()] = Field(description="出席人数 Members present (quorum ≥ 2/3)")
    in_favour: Annotated[int, Strict()] = Field(description="赞成票 Votes in favour (≥ 2/3 of all members)")

    def to_domain(self) -> AssemblyResolution:
        return AssemblyResolution(resolved_on=self.resolved_on, reference=self.reference,
                                  members_total=self.members_total,
                                  members_with_full_capacity=self.members_with_full_capacity,
                                  present=self.present, in_favour=self.in_favour)


class OrganisationIn(Model):
    book_code: Code = Field(description="账套编码 Code of the organisation's book (names the organisation)")
    name: Text = Field(description="组织名称 Name, e.g. 某某社区股份经济合作社")
    community_id: Code = Field(description="社区 Community id")
    township_id: Code = Field(description="乡镇（街道） Township id")
    credit_code: Annotated[str, Strict(), StringConstraints(pattern=r"^[0-9A-Z]{18}$")] = Field(
        description="统一社会信用代码 Unified social credit code (GB 32100-2015)")
    reserve_rate_percent: Annotated[str, Strict(), StringConstraints(pattern=r"^\d{1,3}(\.\d{1,4})?$")] = Field(
        description="公积公益金提取比例（%） Reserve withdrawal rate in percent (required, no default)")
    collective_share_class: Annotated[bool, Strict()] = Field(False, description="是否设集体股 Collective share class")
    share_management: Annotated[str, Strict(), StringConstraints(pattern=r"^static$")] = Field(
        "static", description="股权管理方式 Share management: static (生不增、死不减)")
    registered_on: StrictDate = Field(description="登记日期 Registration date")
    book_starts_on: StrictDate | None = Field(None, description="新账套启用日期 First day of a new book (default: registered_on)")
    adopt_existing_book: Annotated[bool, Strict()] = Field(
        False, description="沿用社区已有集体账套 Keep the accounts on the community's existing collective book")


class MemberIn(Model):
    member_id: WireId = Field(description="成员编号 Member id")
    name: Annotated[str, Strict(), StringConstraints(min_length=1, max_length=50)] = Field(description="姓名 Name")
    household_id: WireId = Field(description="户号 Household id")
    identity_number: Annotated[str, Strict(), StringConstraints(pattern=r"^[0-9]{17}[0-9Xx]$")] = Field(
        description="公民身份号码 Identity number (stored only masked plus keyed hash)")


class ConfirmationIn(Model):
    resolution: ResolutionIn = Field(description="确认成员的成员大会决议 The assembly resolution confirming them")
    members: list[MemberIn] = Field(min_length=1, max_length=MAX_MEMBERS_PER_REQUEST)


class MembershipEndIn(Model):
    ended_on: StrictDate = Field(description="终止日期 Date the membership ends")
    reason: MembershipEndReason = Field(description="终止原因 death | loss_of_nationality | joined_other_collective"
                                                    " | became_civil_servant | voluntary_exit")


class HoldingIn(Model):
    member_id: WireId
    units: Units = Field(description="份额 Units, a decimal string (≤ 4 places)")


class SharePlanIn(Model):
    resolution: ResolutionIn = Field(description="量化方案的成员大会决议 The full assembly's resolution")
    effective_on: StrictDate = Field(description="生效日期 Date the shares take effect")
    holdings: list[HoldingIn] = Field(min_length=1, max_length=MAX_HOLDINGS_PER_REQUEST)
    collective_units: Units = Field("0", description="集体股份额 Units of the collective share class")


class InheritanceIn(Model):
    deceased_id: WireId
    heir_id: WireId
    units: Units | None = Field(None, description="份额 Units (default: all the deceased held)")
    effective_on: StrictDate
    reference: Text = Field(description="依据 Reference (e.g. the inheritance certificate)")


class TransferIn(Model):
    from_id: WireId
    to_id: WireId
    units: Units
    effective_on: StrictDate
    reference: Text


class RedemptionIn(Model):
    holder_id: WireId
    units: Units
    effective_on: StrictDate
    reference: Text


class YearCloseIn(Model):
    reason: Text = Field("年终结账", description="原因 Reason")


class DistributionIn(Model):
    resolution: ResolutionIn = Field(description="分配方案的成员大会决议 The assembly resolution adopting the plan")
    record_date: StrictDate | None = Field(None, description="股权登记日 Record date (default 31 December)")
    declared_amount: AmountIn | None = Field(None, description="分配金额 Amount declared (default: all distributable)")


class ReversalIn(Model):
    red_date: StrictDate = Field(description="红字凭证日期 Date of the red vouchers (an open period)")
    reason: Text


class PaymentIn(Model):
    member_id: WireId
    amount: AmountIn


class PaymentsIn(Model):
    year: Year = Field(description="分配年度 Year of the distribution")
    paid_on: StrictDate = Field(description="支付日期 Payment date")
    account_code: Annotated[str, Strict(), StringConstraints(pattern=r"^10[12]$")] = Field(
        "102", description="付款科目 101 库存现金 | 102 银行存款")
    payments: list[PaymentIn] = Field(min_length=1, max_length=MAX_MEMBERS_PER_REQUEST)


class ParticipantIn(Model):
    household_id: WireId
    units: Annotated[int, Strict(), Field(gt=0, le=1_000_000)]


class ProjectIn(Model):
    project_code: WireId
    name: Text
    method: Annotated[str, Strict(), StringConstraints(pattern=r"^(fixed-per-unit|share-of-income)$")]
    amount_per_unit: AmountIn | None = Field(None, description="每单位每期金额 Fixed amount per unit per cycle")
    started_on: StrictDate
    participants: list[ParticipantIn] = Field(min_length=1, max_length=MAX_MEMBERS_PER_REQUEST)


class CycleIn(Model):
    cycle: Annotated[int, Strict(), Field(ge=1, le=10_000)]
    paid_on: StrictDate
    income: AmountIn | None = Field(None, description="本期项目收益 The cycle's income (share-of-income projects)")
    debit_account: Annotated[str, Strict(), StringConstraints(pattern=r"^5\d{2}(\.\d{2}){0,2}$")] = "511"


# --- helpers -------------------------------------------------------------------------
def reading_date(as_of: date | None) -> date:
    """``as_of`` defaults to today (China Standard Time) and stays within the years a ledger can hold."""
    day = as_of or today_cst()
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise ApiProblem(422, "invalid-as-of", "Invalid as_of", f"as_of must lie in {YEAR_MIN}–{YEAR_MAX}")
    return day


def guarded_organisation(uow: UnitOfWork, who: Principal, book_code: str) -> Organisation:
    """The organisation, if the caller may record for it (checked on the aggregate)."""
    organisation = collective.get_organisation(uow, book_code)
    require_write(who, organisation.community_id, organisation.township_id)
    return organisation


def readable_organisation(tx: Transaction, who: Principal, book_code: str) -> reports.OrganisationInfo:
    info = reports.organisation_info(tx, book_code)
    if info is None:
        raise ApiProblem(404, "organisation-not-found", "Organisation not found", f"no organisation {book_code!r}")
    require_read(who, info.community_id, info.township_id)
    return info


def readable_book(tx: Transaction, who: Principal, book_code: str) -> BookInfo:
    readable_organisation(tx, who, book_code)
    info = book_info(tx, book_code)
    assert info is not None, "an organisation always has its book"
    return info


def fen(amount: int) -> str:
    return money(from_fen(int(amount)))


def organisation_json(organisation: Organisation | reports.OrganisationInfo) -> dict[str, Any]:
    if isinstance(organisation, Organisation):
        charter = organisation.charter
        return {"book_code": organisation.book_code, "name": organisation.name,
                "community_id": organisation.community_id, "township_id": organisation.township_id,
                "credit_code": organisation.credit_code,
                "reserve_rate_percent": str(charter.reserve_rate_percent),
                "collective_share_class": charter.collective_share_class,
                "share_management": charter.share_management,
                "registered_on": organisation.registered_on.isoformat(), "book_adopted": organisation.book_adopted,
                "members_confirmed": organisation.members_confirmed,
                "quantified_on": organisation.quantified_on.isoformat() if organisation.quantified_on else None}
    return {"book_code": organisation.book_code, "name": organisation.name,
            "community_id": organisation.community_id, "township_id": organisation.township_id,
            "credit_code": organisation.credit_code, "reserve_rate_percent": organisation.reserve_rate_percent,
            "collective_share_class": organisation.collective_share_class,
            "share_management": organisation.share_management, "registered_on": organisation.registered_on,
            "book_adopted": organisation.book_adopted, "members_confirmed": organisation.members_confirmed,
            "quantified_on": organisation.quantified_on}


def membership_json(membership: Membership) -> dict[str, Any]:
    line = membership.line
    return {"member_id": membership.member_id, "name": membership.name, "household_id": membership.household_id,
            "identity_masked": line.identity.masked, "confirmed_on": line.confirmed_on.isoformat(),
            "confirmation_reference": line.confirmation_reference,
            "status": "current" if line.is_current else "ended",
            "ended_on": line.ended_on.isoformat() if line.ended_on else None,
            "end_reason": line.end_reason.value if line.end_reason else None}


def voucher_brief(voucher: Voucher) -> dict[str, Any]:
    return {"number": voucher.number, "voucher_date": voucher.voucher_date.isoformat(), "summary": voucher.summary,
            "lines": len(voucher.lines), "total": money(voucher.lines_total),
            "total_uppercase": uppercase_amount(voucher.lines_total)}


def shares_json(organisation: Organisation) -> dict[str, Any]:
    total = sum(organisation.holdings.values(), Decimal(0))
    return {"book_code": organisation.book_code, "holders": len(organisation.holdings),
            "member_units": format(total, "f"), "collective_units": format(organisation.collective_units, "f"),
            "quantified_on": organisation.quantified_on.isoformat() if organisation.quantified_on else None}


FIGURE_LABELS = {
    "net_income": ("净收益", "Net income"),
    "opening_undistributed": ("年初未分配收益及其他转入", "Opening undistributed income and other transfers in"),
    "distributable_income": ("可分配收益", "Distributable income"),
    "loss_covered": ("弥补以前年度亏损", "Prior losses covered"),
    "withdrawal_base": ("提取基数", "Withdrawal base"),
    "reserve_withdrawal": ("提取公积公益金", "Reserve and public-welfare fund withdrawal"),
    "distributable_to_members": ("可向成员分配", "Distributable to members"),
    "declared": ("向成员分配", "Declared to members"),
    "collective_share_amount": ("集体股分红（留归集体）", "Collective share (stays with the collective)"),
    "undistributed_after": ("年末未分配收益", "Undistributed after the distribution"),
}


def figures_json(figures: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in figures.items():
        if key in FIGURE_LABELS:
            zh, en = FIGURE_LABELS[key]
            out[key] = {"amount": value, "name_zh": zh, "name_en": en}
        else:
            out[key] = value
    return out


def distribution_json(distribution: Distribution, vouchers: tuple[Voucher, ...] = ()) -> dict[str, Any]:
    figures = {name: str(getattr(distribution.figures, name)) for name in distribution.figures.__dataclass_fields__}
    return {"book_code": distribution.book_code, "year": distribution.year, "attempt": distribution.attempt,
            "record_date": distribution.record_date.isoformat(), "voucher_date": distribution.voucher_date.isoformat(),
            "resolution_reference": distribution.resolution.reference, "figures": figures_json(figures),
            "members": len(distribution.lines), "voucher_numbers": list(distribution.voucher_numbers),
            "vouchers": [voucher_brief(v) for v in vouchers],
            "reversed_on": distribution.reversed_on.isoformat() if distribution.reversed_on else None,
            "red_numbers": list(distribution.red_numbers)}


# --- organisations -------------------------------------------------------------------
@router.post(BASE, status_code=201, summary="登记集体经济组织 Register an organisation")
async def register_organisation(body: OrganisationIn, request: Request, who: Who):
    """登记集体经济组织及其章程，并开设（或沿用）其账套（2023 科目表）。
    Register an organisation with its charter; open its book on the 2023 chart, or adopt the community's existing one."""
    require_write(who, body.community_id, body.township_id)
    charter = make_charter(Decimal(body.reserve_rate_percent), body.collective_share_class, body.share_management)

    def command(uow: UnitOfWork) -> Organisation:
        return collective.register_organisation(
            uow, who.audit(f"登记集体经济组织 {body.name}"), book_code=body.book_code, name=body.name,
            community_id=body.community_id, township_id=body.township_id, credit_code=body.credit_code,
            charter=charter, registered_on=body.registered_on, book_starts_on=body.book_starts_on,
            adopt_existing_book=body.adopt_existing_book)

    return await write(request, who, f"登记集体经济组织 {body.name}", command, lambda o: (201, organisation_json(o)))


@router.get(BASE, summary="集体经济组织列表 List organisations")
def list_organisations(request: Request, who: Who, as_of: date | None = None):
    """调用者范围内的集体经济组织。Organisations within the caller's scope (registered on or before as_of)."""
    as_of = reading_date(as_of)
    with read(request) as (tx, position):
        found = []
        for code in reports.list_organisation_codes(tx):
            info = reports.organisation_info(tx, code)
            if info and who.scope.covers(info.community_id, info.township_id) and info.registered_on <= as_of.isoformat():
                found.append(organisation_json(info))
    return {"organisations": found, "as_of": as_of.isoformat(), "log_position": position}


@router.get(BASE + "/{book_code}", summary="集体经济组织 Get an organisation")
def get_organisation(book_code: str, request: Request, who: Who, as_of: date | None = None):
    """组织信息、章程、年度结账与分配概况。The organisation, its charter, closed years and distributions."""
    as_of = reading_date(as_of)
    with read(request) as (tx, position):
        info = readable_organisation(tx, who, book_code)
        closes = tx.query("SELECT year, net_income_fen, voucher_numbers FROM anju_coll_year_closes"
                          " WHERE book_code = ? ORDER BY year", (book_code,))
        distributions = reports.distributions_as_of(tx, book_code, as_of)

    return {**organisation_json(info), "as_of": as_of.isoformat(),
            "closed_years": [{"year": y, "net_income": fen(n), "voucher_numbers": json.loads(v)}
                             for y, n, v in closes if f"{y}-12-31" <= as_of.isoformat()],
            "distributions": [{k: d[k] for k in ("year", "attempt", "record_date", "voucher_date", "reversed_on")}
                              | {"declared": d["figures"]["declared"]} for d in distributions],
            "log_position": position}


@router.get(BASE + "/{book_code}/resolutions", summary="成员大会决议 Resolutions")
def list_resolutions(book_code: str, request: Request, who: Who, as_of: date | None = None):
    """本组织记录的成员大会决议及表决情况。The members' assembly resolutions recorded, with their counts."""
    as_of = reading_date(as_of)
    with read(request) as (tx, position):
        readable_organisation(tx, who, book_code)
        rows = tx.query("SELECT purpose, reference, resolved_on, members_total, members_with_full_capacity, present,"
                        " in_favour, position FROM anju_coll_resolutions WHERE book_code = ? AND resolved_on <= ?"
                        " ORDER BY position", (book_code, as_of.isoformat()))
    return {"resolutions": [{"purpose": r[0], "reference": r[1], "resolved_on": r[2], "members_total": r[3],
                             "members_with_full_capacity": r[4], "present": r[5], "in_favour": r[6],
                             "recorded_at_position": r[7]} for r in rows],
            "as_of": as_of.isoformat(), "log_position": position}


# --- members -------------------------------------------------------------------------
@router.post(BASE + "/{book_code}/member-confirmations", status_code=201, summary="确认成员 Confirm members")
async def confirm_members(book_code: str, body: ConfirmationIn, request: Request, who: Who):
    """按成员大会决议批量确认成员；身份证号只存掩码与密钥散列。
    Confirm a batch of members by the assembly resolution; identity numbers are kept only masked plus a keyed hash."""
    resolution = body.resolution.to_domain()
    key = runtime_of(request).identity_key
    candidates = [collective.MemberCandidate(m.member_id, m.name, m.household_id, m.identity_number)
                  for m in body.members]
    reason = f"确认成员 {len(candidates)} 人（{resolution.reference}）"

    def command(uow: UnitOfWork) -> list[Membership]:
        guarded_organisation(uow, who, book_code)
        return collective.confirm_members(uow, who.audit(reason), key, book_code, resolution, candidates)

    return await write(request, who, reason, command, lambda ms: (201, {
        "book_code": book_code, "confirmed": len(ms), "resolution_reference": resolution.reference,
        "members": [{"member_id": m.member_id, "identity_masked": m.line.identity.masked} for m in ms]}))


@router.post(BASE + "/{book_code}/members/{member_id}/end", summary="终止成员身份 End a membership")
async def end_membership(book_code: str, member_id: str, body: MembershipEndIn, request: Request, who: Who):
    """因死亡、丧失国籍、加入其他集体、成为公务员或自愿退出而终止成员身份；份额不变（静态管理）。
    End a membership for a legal reason; shares stay until inherited, transferred or redeemed."""
    reason = f"终止成员身份 {member_id}：{body.reason.value}"

    def command(uow: UnitOfWork) -> Membership:
        guarded_organisation(uow, who, book_code)
        return collective.end_membership(uow, who.audit(reason), book_code, member_id, body.ended_on, body.reason)

    return await write(request, who, reason, command, lambda m: (200, membership_json(m)))


@router.get(BASE + "/{book_code}/members", summary="成员名册 Member register")
def get_member_register(book_code: str, request: Request, who: Who, as_of: date | None = None,
                        current_only: bool = False, limit: int | None = None, cursor: str | None = None):
    """截至 as_of 的成员名册（身份证号仅显示后四位）。The member register as of a date (identity numbers masked)."""
    as_of = reading_date(as_of)
    size = page_limit(limit)
    with read(request) as (tx, position):
        readable_organisation(tx, who, book_code)
        items, summary, more = reports.member_register(tx, book_code, as_of, size, cursor, current_only)
    return {"title_zh": "成员名册", "title_en": "Member register", "book_code": book_code, "as_of": as_of.isoformat(),
            **summary, "members": items, "next_cursor": items[-1]["member_id"] if more else None,
            "log_position": position}


@router.get(BASE + "/{book_code}/members/{member_id}", summary="成员 Get a member")
def get_member(book_code: str, member_id: str, request: Request, who: Who, as_of: date | None = None):
    """成员信息、份额及历年分红。A member, their units and dividends by year, as of a date."""
    as_of = reading_date(as_of)
    with read(request) as (tx, position):
        readable_organisation(tx, who, book_code)
        line = reports.member_line(tx, book_code, member_id, as_of)
        if line is None:
            raise ApiProblem(404, "unknown-member", "Unknown member", f"no member {member_id} in {book_code}")
        dividends, _, _ = reports.dividend_register(tx, book_code, as_of, None, 1_000, None, member_id)
    return {**line, "dividends": [_dividend_row(r) for r in dividends], "as_of": as_of.isoformat(),
            "log_position": position}


def _dividend_row(row: dict) -> dict[str, Any]:
    return {"year": row["year"], "member_id": row["member_id"], "name": row["name"],
            "units": reports.format_units(int(row["units"])), "declared": fen(row["declared_fen"]),
            "paid": fen(row["paid_fen"]), "outstanding": fen(row["outstanding_fen"])}


# --- shares --------------------------------------------------------------------------
@router.post(BASE + "/{book_code}/share-plan", status_code=201, summary="份额量化方案 Adopt the share plan")
async def adopt_share_plan(book_code: str, body: SharePlanIn, request: Request, who: Who):
    """由全体成员大会决议通过的份额量化方案（每名成员的份额，可设集体股）。
    Adopt the quantification plan (units per member, optional collective share) by a resolution meeting Art. 27."""
    resolution = body.resolution.to_domain()
    holdings: dict[str, Decimal] = {}
    for holding in body.holdings:
        if holding.member_id in holdings:
            raise ApiProblem(422, "duplicate-holder", "Duplicate holder", f"{holding.member_id} appears twice")
        holdings[holding.member_id] = share_units(holding.units)
    collective_units = Decimal(body.collective_units)
    reason = f"份额量化（{resolution.reference}）"

    def command(uow: UnitOfWork) -> Organisation:
        guarded_organisation(uow, who, book_code)
        return collective.quantify(uow, who.audit(reason), book_code, resolution, body.effective_on, holdings,
                                   collective_units)

    return await write(request, who, reason, command, lambda o: (201, shares_json(o)))


@router.post(BASE + "/{book_code}/share-changes/inheritance", status_code=201, summary="份额继承 Inherit shares")
async def inherit_shares(book_code: str, body: InheritanceIn, request: Request, who: Who):
    """已故成员的份额由身为本组织成员的继承人继承。A deceased member's units pass to an heir who is a member."""
    units = share_units(body.units) if body.units is not None else None

    def command(uow: UnitOfWork) -> Organisation:
        guarded_organisation(uow, who, book_code)
        return collective.inherit(uow, who.audit(body.reference), book_code, deceased_id=body.deceased_id,
                                  heir_id=body.heir_id, units=units, effective_on=body.effective_on,
                                  reference=body.reference)

    return await write(request, who, body.reference, command, lambda o: (201, shares_json(o)))


@router.post(BASE + "/{book_code}/share-changes/transfer", status_code=201, summary="份额转让 Transfer shares")
async def transfer_shares(book_code: str, body: TransferIn, request: Request, who: Who):
    """份额只能在本组织内部转让。Units may be transferred only to another current member."""
    units = share_units(body.units)

    def command(uow: UnitOfWork) -> Organisation:
        guarded_organisation(uow, who, book_code)
        return collective.transfer(uow, who.audit(body.reference), book_code, from_id=body.from_id, to_id=body.to_id,
                                   units=units, effective_on=body.effective_on, reference=body.reference)

    return await write(request, who, body.reference, command, lambda o: (201, shares_json(o)))


@router.post(BASE + "/{book_code}/share-changes/redemption", status_code=201, summary="份额赎回 Redeem shares")
async def redeem_shares(book_code: str, body: RedemptionIn, request: Request, who: Who):
    """本组织赎回份额并注销（价款另行记账）。The organisation buys back units, which are cancelled."""
    units = share_units(body.units)

    def command(uow: UnitOfWork) -> Organisation:
        guarded_organisation(uow, who, book_code)
        return collective.redeem(uow, who.audit(body.reference), book_code, holder_id=body.holder_id, units=units,
                                 effective_on=body.effective_on, reference=body.reference)

    return await write(request, who, body.reference, command, lambda o: (201, shares_json(o)))


@router.get(BASE + "/{book_code}/share-register", summary="份额登记簿 Share register")
def get_share_register(book_code: str, request: Request, who: Who, as_of: date | None = None,
                       limit: int | None = None, cursor: str | None = None):
    """截至 as_of（如股权登记日）每名成员持有的份额。Who held how many units on a date (e.g. the record date)."""
    as_of = reading_date(as_of)
    size = page_limit(limit)
    with read(request) as (tx, position):
        readable_organisation(tx, who, book_code)
        holders, summary, more = reports.share_register(tx, book_code, as_of, size, cursor)
    return {"title_zh": "份额登记簿", "title_en": "Share register", "book_code": book_code, "as_of": as_of.isoformat(),
            **summary, "holders": holders, "next_cursor": holders[-1]["member_id"] if more else None,
            "log_position": position}


# --- year end and distribution --------------------------------------------------------
@router.post(BASE + "/{book_code}/years/{year}/close", status_code=201, summary="年终结账 Close the year")
async def close_year(book_code: str, year: Year, request: Request, who: Who, body: YearCloseIn | None = None):
    """将收入、支出类科目结转至本年收益（321），再将本年收益转入未分配收益（322.01）；凭证日期为 12 月 31 日。
    Close income and expense accounts to 321, then 321 to 322.01, by vouchers dated 31 December."""
    reason = body.reason if body else f"{year} 年终结账"

    def command(uow: UnitOfWork):
        guarded_organisation(uow, who, book_code)
        return collective.close_year(uow, who.audit(reason), book_code, year)

    return await write(request, who, reason, command, lambda c: (201, {
        "book_code": book_code, "year": c.year, "net_income": money(c.net_income),
        "net_income_uppercase": uppercase_amount(c.net_income), "voucher_numbers": list(c.voucher_numbers)}))


@router.post(BASE + "/{book_code}/years/{year}/distribution", status_code=201, summary="收益分配方案 Adopt a distribution")
async def adopt_distribution(book_code: str, year: Year, body: DistributionIn, request: Request, who: Who):
    """按成员大会决议通过年终收益分配：弥补亏损、提取公积公益金、按份额向成员分配（精确到分）。
    Adopt the year's distribution: cover losses, withdraw the reserve, distribute pro rata to shares on the record
    date, exact to the fen; posted on 31 December in the same transaction."""
    resolution = body.resolution.to_domain()
    declared = parse_amount(body.declared_amount) if body.declared_amount is not None else None
    reason = f"{year} 年度收益分配（{resolution.reference}）"

    def command(uow: UnitOfWork) -> collective.DistributionResult:
        guarded_organisation(uow, who, book_code)
        return collective.adopt_distribution(uow, who.audit(reason), book_code, year=year, resolution=resolution,
                                             record_date=body.record_date, declared_amount=declared)

    return await write(request, who, reason, command,
                       lambda r: (201, distribution_json(r.distribution, r.vouchers)))


@router.get(BASE + "/{book_code}/years/{year}/distribution", summary="收益分配 Get the year's distribution")
def get_distribution(book_code: str, year: Year, request: Request, who: Who, as_of: date | None = None):
    """该年度分配方案的各项数字与凭证（含已冲销的）。The year's distribution figures and vouchers (reversed ones too)."""
    as_of = reading_date(as_of)
    with read(request) as (tx, position):
        readable_organisation(tx, who, book_code)
        found = [d for d in reports.distributions_as_of(tx, book_code, as_of) if d["year"] == year]
    if not found:
        raise ApiProblem(404, "no-distribution", "No distribution", f"no distribution for {year} as of {as_of}")
    attempts = [{**d, "figures": figures_json(d["figures"])} for d in found]
    in_force = [d for d in attempts if d["reversed_on"] is None]
    return {"book_code": book_code, "year": year, "as_of": as_of.isoformat(),
            "in_force": in_force[-1] if in_force else None, "attempts": attempts, "log_position": position}


@router.post(BASE + "/{book_code}/years/{year}/distribution/reversal", status_code=201,
             summary="冲销收益分配 Reverse a distribution")
async def reverse_distribution(book_code: str, year: Year, body: ReversalIn, request: Request, who: Who):
    """以红字凭证冲销该年度分配（尚未支付分红时），之后可重新通过分配方案。
    Cancel the year's distribution by red vouchers (only while no dividend is paid), so a new plan may be adopted."""

    def command(uow: UnitOfWork) -> Distribution:
        guarded_organisation(uow, who, book_code)
        return collective.reverse_distribution(uow, who.audit(body.reason), book_code, year=year,
                                               red_date=body.red_date)

    return await write(request, who, body.reason, command, lambda d: (201, distribution_json(d)))


@router.post(BASE + "/{book_code}/dividend-payments", status_code=201, summary="支付分红 Pay dividends")
async def pay_dividends(book_code: str, body: PaymentsIn, request: Request, who: Who):
    """批量或逐笔支付成员分红（借 211 成员 / 贷 102）；可部分支付，不得超过应付余额。
    Pay dividends in a batch or one by one (Dr 211 member / Cr 102); partial allowed, never above what is owed."""
    payments = [collective.DividendPayment(p.member_id, parse_amount(p.amount)) for p in body.payments]
    reason = f"支付 {body.year} 年度分红 {len(payments)} 笔"

    def command(uow: UnitOfWork) -> Voucher:
        guarded_organisation(uow, who, book_code)
        return collective.pay_dividends(uow, who.audit(reason), book_code, year=body.year, paid_on=body.paid_on,
                                        payments=payments, account_code=body.account_code)

    return await write(request, who, reason, command, lambda v: (201, {
        "book_code": book_code, "year": body.year, "paid": len(payments), "voucher": voucher_brief(v)}))


@router.get(BASE + "/{book_code}/dividend-register", summary="股东分红登记簿 Dividend register")
def get_dividend_register(book_code: str, request: Request, who: Who, as_of: date | None = None,
                          year: Annotated[int | None, Query(ge=YEAR_MIN, le=YEAR_MAX)] = None,
                          limit: int | None = None, cursor: str | None = None):
    """每名成员每年度：份额、应分、已付、未付（截至 as_of）。
    Per member per year: units, declared, paid and outstanding, as of a date; unpaid dividends stay visible."""
    as_of = reading_date(as_of)
    size = page_limit(limit)
    with read(request) as (tx, position):
        readable_organisation(tx, who, book_code)
        rows, totals, next_cursor = reports.dividend_register(tx, book_code, as_of, year, size, cursor)
    return {"title_zh": "股东分红登记簿", "title_en": "Shareholder dividend register", "book_code": book_code,
            "as_of": as_of.isoformat(), "rows": [_dividend_row(r) for r in rows],
            "years": [{"year": y, "members": t["members"], "declared": fen(t["declared_fen"]),
                       "paid": fen(t["paid_fen"]), "outstanding": fen(t["outstanding_fen"]),
                       "outstanding_uppercase": uppercase_amount(from_fen(t["outstanding_fen"]))}
                      for y, t in sorted(totals.items())],
            "next_cursor": next_cursor, "log_position": position}


# --- projects ------------------------------------------------------------------------
@router.post(BASE + "/{book_code}/projects", status_code=201, summary="资产收益项目 Register a project")
async def register_project(book_code: str, body: ProjectIn, request: Request, who: Who):
    """登记资产收益项目（如托管养牛），各户认领单位数。Register a pooled asset-income project with households' units."""
    units: dict[str, int] = {}
    for participant in body.participants:
        if participant.household_id in units:
            raise ApiProblem(422, "duplicate-household", "Duplicate household", f"{participant.household_id} twice")
        units[participant.household_id] = participant.units
    amount = parse_amount(body.amount_per_unit) if body.amount_per_unit is not None else None
    reason = f"登记资产收益项目 {body.name}"

    def command(uow: UnitOfWork) -> Project:
        guarded_organisation(uow, who, book_code)
        return collective.register_project(uow, who.audit(reason), book_code, project_code=body.project_code,
                                           name=body.name, method=body.method, amount_per_unit=amount,
                                           units_by_household=units, started_on=body.started_on)

    return await write(request, who, reason, command, lambda p: (201, {
        "book_code": book_code, "project_code": p.project_code, "name": p.name, "method": p.method,
        "amount_per_unit": money(p.amount_per_unit), "households": len(p.participants),
        "units": sum(s.units for s in p.participants)}))


@router.post(BASE + "/{book_code}/projects/{project_code}/cycles", status_code=201,
             summary="项目收益分配 Pay a project cycle")
async def pay_project_cycle(book_code: str, project_code: str, body: CycleIn, request: Request, who: Who):
    """按单位向参与户分配本期收益（固定金额或按收益比例，精确到分；借 511 / 贷 211 户）。
    Pay a cycle to the households (fixed per unit, or a share of income, exact to the fen)."""
    income = parse_amount(body.income) if body.income is not None else None
    reason = f"资产收益项目 {project_code} 第 {body.cycle} 期分配"

    def command(uow: UnitOfWork) -> Voucher:
        guarded_organisation(uow, who, book_code)
        return collective.pay_project_cycle(uow, who.audit(reason), book_code, project_code=project_code,
                                            cycle=body.cycle, paid_on=body.paid_on, income=income,
                                            debit_account=body.debit_account)

    return await write(request, who, reason, command, lambda v: (201, {
        "book_code": book_code, "project_code": project_code, "cycle": body.cycle, "voucher": voucher_brief(v)}))


@router.get(BASE + "/{book_code}/projects", summary="资产收益项目 Projects")
def list_projects(book_code: str, request: Request, who: Who, as_of: date | None = None):
    """各资产收益项目、参与户及已支付的各期。Projects, their households and the cycles paid by as_of."""
    as_of = reading_date(as_of)
    with read(request) as (tx, position):
        readable_organisation(tx, who, book_code)
        projects = tx.query("SELECT project_code, name, method, amount_per_unit_fen, started_on, participants"
                            " FROM anju_coll_projects WHERE book_code = ? AND started_on <= ? ORDER BY project_code",
                            (book_code, as_of.isoformat()))
        cycles = tx.query("SELECT project_code, cycle, paid_on, total_fen, method, voucher_number, payouts"
                          " FROM anju_coll_project_cycles WHERE book_code = ? AND paid_on <= ?"
                          " ORDER BY project_code, cycle", (book_code, as_of.isoformat()))
    result = []
    for code, name, method, per_unit, started, participants in projects:
        result.append({
            "project_code": code, "name": name, "method": method, "amount_per_unit": fen(per_unit),
            "started_on": started,
            "participants": [{"household_id": h, "units": u} for h, u in json.loads(participants)],
            "cycles": [{"cycle": c[1], "paid_on": c[2], "total": fen(c[3]), "method": c[4], "voucher_number": c[5],
                        "payouts": [{"household_id": h, "units": u, "amount": a} for h, u, a in json.loads(c[6])]}
                       for c in cycles if c[0] == code]})
    return {"book_code": book_code, "projects": result, "as_of": as_of.isoformat(), "log_position": position}


# --- statements ----------------------------------------------------------------------
def _sheet_rows(sheet: reports.BalanceSheet) -> list[dict[str, Any]]:
    rows = []
    for line in reports.BALANCE_SHEET_LINES:
        rows.append({"key": line.key, "name_zh": line.name_zh, "name_en": line.name_en, "side": line.side,
                     "group_zh": line.group_zh, "group_en": line.group_en, "accounts": list(line.accounts),
                     "closing": fen(sheet.closing[line.key]), "opening": fen(sheet.opening[line.key])})
    for key, zh, en, side in (("other_assets", "其他资产", "Other assets", reports.ASSETS),
                              ("other_liabilities", "其他负债", "Other liabilities", reports.LIABILITIES)):
        if sheet.closing.get(key) or sheet.opening.get(key):
            rows.append({"key": key, "name_zh": zh, "name_en": en, "side": side, "accounts": [],
                         "closing": fen(sheet.closing.get(key, 0)), "opening": fen(sheet.opening.get(key, 0))})
    return rows


TOTAL_LABELS = {
    "current_assets": ("流动资产合计", "Total current assets"),
    "non_current_assets": ("非流动资产合计", "Total non-current assets"),
    "assets": ("资产总计", "Total assets"),
    "current_liabilities": ("流动负债合计", "Total current liabilities"),
    "non_current_liabilities": ("非流动负债合计", "Total non-current liabilities"),
    "liabilities": ("负债合计", "Total liabilities"),
    "equity": ("所有者权益合计", "Total owners' equity"),
    "liabilities_and_equity": ("负债和所有者权益总计", "Total liabilities and owners' equity"),
}


@router.get(BASE + "/{book_code}/statements/balance-sheet", summary="资产负债表 Balance sheet")
def get_balance_sheet(book_code: str, request: Request, who: Who, as_of: date | None = None):
    """资产负债表：期末数与年初数；资产 = 负债 + 所有者权益。
    Balance sheet with closing (as_of) and opening (start of year) columns; assets = liabilities + equity."""
    as_of = reading_date(as_of)
    with read(request) as (tx, position):
        book = readable_book(tx, who, book_code)
        sheet = reports.balance_sheet(tx, book, as_of)
    totals = [{"key": key, "name_zh": zh, "name_en": en, "closing": fen(sheet.closing_totals[key]),
               "opening": fen(sheet.opening_totals[key]),
               "closing_uppercase": uppercase_amount(from_fen(sheet.closing_totals[key]))}
              for key, (zh, en) in TOTAL_LABELS.items()]
    return {"title_zh": "资产负债表", "title_en": "Balance sheet", "book_code": book_code,
            "as_of": as_of.isoformat(),
            "opening_as_of": (sheet.year_start - timedelta(days=1)).isoformat(),
            "lines": _sheet_rows(sheet), "totals": totals, "balanced": sheet.balanced, "log_position": position}


@router.get(BASE + "/{book_code}/statements/income", summary="收益及收益分配表 Income and distribution statement")
def get_income_statement(book_code: str, request: Request, who: Who,
                         year: Annotated[int | None, Query(ge=YEAR_MIN, le=YEAR_MAX)] = None,
                         as_of: date | None = None):
    """收益及收益分配表：经营收益、收益总额、净收益、可分配收益、各项分配、年末未分配收益（列出每一项）。
    Income and distribution statement with every line of the formulas; the year defaults to as_of's year."""
    as_of = reading_date(as_of)
    year = year or as_of.year
    if date(year, 1, 1) > as_of:
        raise ApiProblem(422, "invalid-period", "Invalid period", f"as_of {as_of} is before {year} begins")
    with read(request) as (tx, position):
        book = readable_book(tx, who, book_code)
        statement = reports.income_statement(tx, book, year, as_of)
    lines = [{"key": key, "name_zh": zh, "name_en": en, "amount": fen(statement.lines[key])}
             for key, zh, en in reports.INCOME_STATEMENT_LINES]
    closing = from_fen(statement.lines["closing_undistributed"])
    return {"title_zh": "收益及收益分配表", "title_en": "Income and distribution statement", "book_code": book_code,
            "year": year, "period_start": statement.period_start.isoformat(),
            "period_end": statement.period_end.isoformat(), "as_of": as_of.isoformat(), "lines": lines,
            "net_income_uppercase": uppercase_amount(from_fen(statement.lines["net_income"])),
            "closing_undistributed_uppercase": uppercase_amount(closing),
            "reconciles_with_balance_sheet": statement.reconciles, "log_position": position}


@router.get(BASE + "/{book_code}/statements/trial-balance", summary="科目余额表 Trial balance")
def get_trial_balance(book_code: str, request: Request, who: Who, as_of: date | None = None,
                      from_date: Annotated[date | None, Query(alias="from")] = None):
    """科目余额表（同 /books/{book_code}/trial-balance）。The organisation book's trial balance."""
    as_of = reading_date(as_of)
    start = from_date or date(as_of.year, 1, 1)
    if start > as_of:
        raise ApiProblem(422, "invalid-period", "Invalid period", "from must not be after as_of")
    with read(request) as (tx, position):
        book = readable_book(tx, who, book_code)
        tb = trial_balance(tx, book, start, as_of)
    rows = [{"account_code": r.account.code, "name_zh": r.account.name_zh, "name_en": r.account.name_en,
             "opening": {"direction": r.opening.direction, "debit": money(r.opening.debit),
                         "credit": money(r.opening.credit)},
             "period_debit": money(r.period_debit), "period_credit": money(r.period_credit),
             "closing": {"direction": r.closing.direction, "debit": money(r.closing.debit),
                         "credit": money(r.closing.credit)}} for r in tb.rows]
    return {"title_zh": "科目余额表", "title_en": "Trial balance", "book_code": book_code,
            "period_start": start.isoformat(), "as_of": as_of.isoformat(), "rows": rows,
            "totals": {k: money(v) for k, v in tb.totals.items()}, "balanced": tb.balanced, "log_position": position}


def _journal(request: Request, who: Principal, book_code: str, account_code: str, subledger: str | None,
             as_of: date | None, from_date: date | None, limit: int | None, cursor: str | None,
             title: tuple[str, str]) -> dict[str, Any]:
    as_of = reading_date(as_of)
    start = from_date or date(as_of.year, 1, 1)
    if start > as_of:
        raise ApiProblem(422, "invalid-period", "Invalid period", "from must not be after as_of")
    size = page_limit(limit)
    with read(request) as (tx, position):
        book = readable_book(tx, who, book_code)
        ledger = detail_ledger(tx, book, account_code, subledger, start, as_of, size, cursor)

    def figure(f) -> dict[str, str]:
        return {"direction": f.direction, "debit": money(f.debit), "credit": money(f.credit)}

    return {"title_zh": title[0], "title_en": title[1], "book_code": book_code, "account_code": ledger.account.code,
            "name_zh": ledger.account.name_zh, "name_en": ledger.account.name_en, "subledger": subledger,
            "period_start": start.isoformat(), "as_of": as_of.isoformat(), "opening": figure(ledger.opening),
            "lines": [{"voucher_date": l.voucher_date, "number": l.number, "account_code": l.account_code,
                       "subledger": l.subledger, "summary": l.summary, "debit": money(l.debit),
                       "credit": money(l.credit), "balance": figure(l.balance)} for l in ledger.lines],
            "period_debit": money(ledger.period_debit), "period_credit": money(ledger.period_credit),
            "closing": figure(ledger.closing), "next_cursor": ledger.next_cursor, "log_position": position}


@router.get(BASE + "/{book_code}/statements/cash-journal", summary="现金日记账 Cash journal")
def get_cash_journal(book_code: str, request: Request, who: Who, as_of: date | None = None,
                     from_date: Annotated[date | None, Query(alias="from")] = None,
                     limit: int | None = None, cursor: str | None = None):
    """现金日记账（101 库存现金明细账）。The cash journal: detail ledger of 101 with a running balance."""
    return _journal(request, who, book_code, "101", None, as_of, from_date, limit, cursor, ("现金日记账", "Cash journal"))


@router.get(BASE + "/{book_code}/statements/bank-journal", summary="银行存款日记账 Bank journal")
def get_bank_journal(book_code: str, request: Request, who: Who, as_of: date | None = None,
                     from_date: Annotated[date | None, Query(alias="from")] = None,
                     limit: int | None = None, cursor: str | None = None):
    """银行存款日记账（102 银行存款明细账）。The bank journal: detail ledger of 102 with a running balance."""
    return _journal(request, who, book_code, "102", None, as_of, from_date, limit, cursor,
                    ("银行存款日记账", "Bank journal"))


@router.get(BASE + "/{book_code}/statements/detail-ledger", summary="明细账 Detail ledger")
def get_detail_ledger(book_code: str, request: Request, who: Who,
                      account: Annotated[str, Query(pattern=r"^\d{3}(\.\d{2}){0,3}$")],
                      subledger: Annotated[str | None, Query(max_length=90)] = None,
                      as_of: date | None = None, from_date: Annotated[date | None, Query(alias="from")] = None,
                      limit: int | None = None, cursor: str | None = None):
    """任一科目（及辅助核算，如 211 member:M0001）的明细账。Detail ledger of any account, optionally one sub-ledger."""
    return _journal(request, who, book_code, account, subledger, as_of, from_date, limit, cursor,
                    ("明细账", "Detail ledger"))
