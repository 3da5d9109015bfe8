"""Property-fee subsidies (物业服务费补贴): register, standards, policies, billing, claims, receipts, reports.

Every resource lives under the community's collective book (``/books/{book_code}/...``);
the book's community and township scope who may record and read (DOMAIN.md §7): the
community accountant writes, the township office approves or returns its township's
claims (its only write) and reads every community in it, auditors read. Writes go
through ``api.http.write``; reads through the query functions of ``projections.subsidy_queries``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from api.auth import TOWNSHIP, Who, require_role, require_scope, runtime_of
from api.errors import ApiProblem, register_conflict
from api.http import AsOf, BookCode, PathCode, in_book, page_limit, read, read_book, reading_date, write
from api.runtime import Principal
from api.schemas import money
from api.subsidies import schemas as out
from api.subsidies.schemas import (
    MONTH_PATTERN,
    building_json,
    claim_aggregate_json,
    claim_json,
    claim_register,
    household_json,
    household_row_json,
    policy_json,
    premiums_json,
    run_json,
    run_result_json,
    standard_json,
    ApprovalIn,
    BillingRunIn,
    BuildingIn,
    ClaimIn,
    CorrectionIn,
    CountsIn,
    FeeStandardIn,
    HouseholdIn,
    HouseholdReceiptIn,
    MoveOutIn,
    PolicyIn,
    ReminderIn,
    ResubmissionIn,
    ReturnIn,
    SubsidyReceiptIn,
)
from domain.subsidies import application as subsidies
from domain.subsidies import billing_run
from domain.subsidies.errors import (
    AlreadyMovedOut,
    BillingRunOutOfOrder,
    BuildingAlreadyRegistered,
    ClaimAlreadyFiled,
    ClaimNotReturned,
    ClaimNotSubmitted,
    ClaimOverlapsAnother,
    FeeStandardOutOfOrder,
    HouseholdAlreadyRegistered,
    InvalidCorrection,
    PolicyVersionOverlaps,
)
from domain.subsidies.household import Household
from domain.subsidies.policy import DEFAULT_FEE_STANDARDS, DEFAULT_POLICY, FeeStandard, PolicyVersion
from domain.subsidies.receipt import HouseholdReceipt
from domain.subsidies.register import SubsidyReceipt
from domain.subsidies.reminder import REMINDER_METHODS
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.calendar import month_of, today_cst
from ledger.money import ZERO, uppercase_amount
from ledger.writer import UnitOfWork
from projections import subsidy_queries as read_models

router = APIRouter(tags=["subsidies 物业服务费补贴"])
HouseholdId = PathCode
ClaimPath = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$")]
MonthPath = Annotated[str, Path(pattern=MONTH_PATTERN)]
MonthQuery = Annotated[str | None, Query(pattern=MONTH_PATTERN)]
MAX_FORECAST_MONTHS = 60
ART_944_NOTE = "仅记录与提醒；不得以停止供水、供电、供热、供燃气等方式催交（民法典第九百四十四条）"

# Conflicts with the state of the register, a run or a claim are 409s; other broken rules stay 422.
register_conflict(BuildingAlreadyRegistered, HouseholdAlreadyRegistered, AlreadyMovedOut, FeeStandardOutOfOrder,
                  PolicyVersionOverlaps, BillingRunOutOfOrder, ClaimAlreadyFiled, ClaimOverlapsAnother,
                  ClaimNotSubmitted, ClaimNotReturned, status=409)


def township_book(uow, who: Principal, book_code: str) -> None:  # noqa: ANN001
    """The caller is the township office of the book's township (DOMAIN.md §7: it approves claims)."""
    book = bookkeeping.get_book(uow, book_code)
    require_role(who, TOWNSHIP)
    require_scope(who, book.community_id, book.township_id)


async def household_change(request: Request, who: Principal, book_code: str, reason: str,
                           use_case: Callable[[UnitOfWork, Audit], Household], status: int = 201) -> Any:
    """A change to a household's register entry, recorded in a book the caller may write: answered by the household."""
    return await write(request, who, reason, in_book(who, book_code, use_case),
                       lambda h: (status, household_json(h)), response_model=out.HouseholdOut)


async def claim_step(request: Request, who: Principal, reason: str, command: Callable[[UnitOfWork, Audit], Any],
                     status: int) -> Any:
    """A step of a claim (submission, approval, return, resubmission): answered by the claim as it now stands."""
    return await write(request, who, reason, command, lambda c: (status, claim_aggregate_json(c)),
                       response_model=out.ClaimOut)


# --- buildings and households ---------------------------------------------------------------------
@router.post("/books/{book_code}/buildings", status_code=201, summary="登记楼栋 Register a building",
             response_model=out.BuildingOut)
async def register_building(book_code: BookCode, body: BuildingIn, request: Request, who: Who):
    """登记楼栋（层数决定收费标准类别：5层及以下、6–9层、10层及以上）。
    Register a building; its storeys give its fee-standard class (≤ 5, 6–9, ≥ 10 storeys)."""
    return await write(request, who, f"登记楼栋 {body.building_code}", in_book(who, book_code, lambda uow, audit: (
        subsidies.register_building(uow, audit, book_code, building_code=body.building_code, name=body.name,
                                    storeys=body.storeys, has_lift=body.has_lift))),
        lambda b: (201, building_json(b)), response_model=out.BuildingOut)


@router.get("/books/{book_code}/buildings", summary="楼栋 Buildings", response_model=out.BuildingsOut)
def list_buildings(book_code: BookCode, request: Request, who: Who):
    """楼栋列表。The community's buildings."""
    with read_book(request, who, book_code) as (tx, position):
        rows = read_models.buildings(tx, book_code)
    return {"book_code": book_code, "log_position": position, "buildings": [
        {"building_code": r[0], "name": r[1], "storeys": int(r[2]), "has_lift": bool(r[3]), "building_type": r[4]}
        for r in rows]}


@router.post("/books/{book_code}/households", status_code=201, summary="登记住户 Register a household",
             response_model=out.HouseholdOut)
async def register_household(book_code: BookCode, body: HouseholdIn, request: Request, who: Who):
    """登记住户：楼栋、房号、面积（保留原精度）、入住日期、户主身份证（仅存脱敏及密钥哈希）、人口与劳动力。
    Register a household: building, unit, floor area (precision kept), move-in date, head of household
    (identity stored masked plus keyed hash), persons and labourers."""
    key = runtime_of(request).identity_key
    item = subsidies.HouseholdInput(body.household_id, body.building_code, body.unit_number, body.floor_area_m2,
                                    body.moved_in_on, body.persons, body.labourers, body.head_identity_number,
                                    body.billing_from_month)
    return await household_change(request, who, book_code, f"登记住户 {body.household_id}", lambda uow, audit: (
        subsidies.register_household(uow, audit, key, book_code, item)))


@router.get("/books/{book_code}/households", summary="住户登记簿 Household register",
            response_model=out.HouseholdsOut)
def list_households(book_code: BookCode, request: Request, who: Who, limit: int | None = None,
                    cursor: str | None = None):
    """住户登记簿（按户编号分页）。The register, by household id, paginated."""
    size = page_limit(limit)
    with read_book(request, who, book_code) as (tx, position):
        rows = read_models.household_register(tx, book_code, cursor, size + 1)
    items = [household_row_json(r) for r in rows[:size]]
    return {"book_code": book_code, "households": items, "log_position": position,
            "next_cursor": items[-1]["household_id"] if len(rows) > size else None}


def _household_or_404(tx, book_code: str, household_id: str) -> read_models.HouseholdRow:  # noqa: ANN001
    row = read_models.household(tx, book_code, household_id)
    if row is None:
        raise ApiProblem(404, "household-not-found", "Household not found", f"no household {household_id!r}")
    return row


@router.get("/books/{book_code}/households/{household_id}", summary="住户 Get a household",
            response_model=out.HouseholdRecordOut)
def get_household(book_code: BookCode, household_id: HouseholdId, request: Request, who: Who):
    """住户及其按日期登记的面积、入住日期、人口与劳动力。A household with its dated facts."""
    with read_book(request, who, book_code) as (tx, position):
        row = _household_or_404(tx, book_code, household_id)
    return {"book_code": book_code, "household": household_row_json(row), "log_position": position,
            "floor_areas": [{"effective_on": None if d < "1000" else d, "floor_area_m2": a}
                            for d, a in row.facts["areas"]],
            "move_ins": [{"effective_on": None if d < "1000" else d, "moved_in_on": m} for d, m in row.facts["move_ins"]],
            "counts": [{"effective_on": d, "persons": p, "labourers": l} for d, p, l in row.facts["counts"]]}


@router.post("/books/{book_code}/households/{household_id}/corrections", status_code=201,
             summary="更正面积或入住日期 Correct floor area or move-in date", response_model=out.HouseholdOut)
async def correct_household(book_code: BookCode, household_id: HouseholdId, body: CorrectionIn, request: Request,
                            who: Who):
    """按日期更正面积或入住日期：未计费月份按新数计算；已计费月份自更正日起逐月重算，差额作为一笔调整
    计入下一次计费及其月份的补贴申领，不改写历史。
    A dated correction: unbilled months use the new figure; billed months from its date are recomputed with
    their own policy and the difference goes as one adjustment line into the next billing run."""
    if body.kind == "floor_area" and (body.floor_area_m2 is None or body.effective_on is None):
        raise ApiProblem(422, InvalidCorrection.type_slug, "Correction invalid",
                         "a floor-area correction gives floor_area_m2 and effective_on")
    if body.kind == "move_in" and body.moved_in_on is None:
        raise ApiProblem(422, InvalidCorrection.type_slug, "Correction invalid", "a move-in correction gives moved_in_on")

    def correct(uow, audit) -> Household:  # noqa: ANN001
        if body.kind == "floor_area":
            return subsidies.correct_floor_area(uow, audit, book_code, household_id, effective_on=body.effective_on,
                                                floor_area_m2=body.floor_area_m2)
        return subsidies.correct_move_in(uow, audit, book_code, household_id, moved_in_on=body.moved_in_on,
                                         effective_on=body.effective_on)

    return await household_change(request, who, book_code, body.reason, correct)


@router.post("/books/{book_code}/households/{household_id}/move-out", status_code=200,
             summary="住户迁出 Record a move-out", response_model=out.HouseholdOut)
async def move_out(book_code: BookCode, household_id: HouseholdId, body: MoveOutIn, request: Request, who: Who):
    """迁出日为最后一个占用日；已计费的以后月份作一笔调整。The move-out day is the last occupied day."""
    return await household_change(request, who, book_code, body.reason, lambda uow, audit: (
        subsidies.record_move_out(uow, audit, book_code, household_id, moved_out_on=body.moved_out_on)), status=200)


@router.post("/books/{book_code}/households/{household_id}/counts", status_code=201,
             summary="人口与劳动力变动 Change person and labourer counts", response_model=out.HouseholdOut)
async def change_counts(book_code: BookCode, household_id: HouseholdId, body: CountsIn, request: Request, who: Who):
    """人口、劳动力自变动日起适用（安居险、就业险按日折算）。Counts apply from their date."""
    return await household_change(request, who, book_code, f"人口变动 {household_id}", lambda uow, audit: (
        subsidies.change_counts(uow, audit, book_code, household_id, effective_on=body.effective_on,
                                persons=body.persons, labourers=body.labourers)))


@router.get("/books/{book_code}/households/{household_id}/schedule", summary="补贴明细表 Subsidy schedule",
            response_model=out.ScheduleOut)
def get_schedule(book_code: BookCode, household_id: HouseholdId, request: Request, who: Who,
                 through: MonthQuery = None, from_month: Annotated[str | None, Query(alias="from",
                                                                                      pattern=MONTH_PATTERN)] = None):
    """补贴明细表：自入住月至补贴结束，逐月列出物业费、各补贴比例及天数、补贴、住户负担与所依政策版本，
    已计费月份按计费数，未计费月份按现行标准与政策测算。
    Month by month from move-in to the end of the subsidy: fee, ratio(s) with their days, subsidy,
    household share and the policy version; billed months as billed, the others projected."""
    with read_book(request, who, book_code) as (tx, position):
        row = _household_or_404(tx, book_code, household_id)
        lines = read_models.household_schedule(tx, book_code, row, through=through, first=from_month)
    items = [{"month": l.month, "billed": l.billed, "run_month": l.run_month, "days_in_month": l.days_in_month,
              "occupied_days": l.occupied_days, "fee": money(l.fee),
              "ratios": [{"percent": str(p), "days": d, "policy_version": v} for p, d, v in l.ratios],
              "subsidy": money(l.subsidy), "household_share": money(l.household_share),
              "policy_versions": list(l.policy_versions),
              "later_adjustments": [{"run_month": r, "fee": money(f), "subsidy": money(s)} for r, f, s in l.adjustments]}
             for l in lines]
    return {"title_zh": "物业服务费补贴明细表", "title_en": "Property-fee subsidy schedule", "book_code": book_code,
            "household_id": household_id, "unit_number": row.unit_number, "floor_area_m2": str(row.floor_area_m2),
            "moved_in_on": row.moved_in_on.isoformat(), "lines": items, "log_position": position,
            "total_fee": money(sum((l.fee for l in lines), ZERO)),
            "total_subsidy": money(sum((l.subsidy for l in lines), ZERO)),
            "total_household_share": money(sum((l.household_share for l in lines), ZERO))}


@router.get("/books/{book_code}/households/{household_id}/bills", summary="住户对账单 Household statement",
            response_model=out.StatementOut)
def get_statement(book_code: BookCode, household_id: HouseholdId, request: Request, who: Who, as_of: AsOf = None):
    """住户对账单：截至 as_of 的计费、缴费与余额。Billed, paid and balance as of any date."""
    day = reading_date(as_of)
    with read_book(request, who, book_code) as (tx, position):
        _household_or_404(tx, book_code, household_id)
        bills = [b for b in read_models.household_bills(tx, book_code, household_id) if b.billed_on <= day]
        statement = read_models.household_statement(tx, book_code, household_id, day)
    return {"title_zh": "住户物业费对账单", "title_en": "Household property-fee statement", "book_code": book_code,
            "household_id": household_id, "as_of": day.isoformat(), "log_position": position,
            "bills": [{"run_month": b.run_month, "kind": b.kind, "month": b.month, "billed_on": b.billed_on.isoformat(),
                       "fee": money(b.fee), "subsidy": money(b.subsidy), "household_share": money(b.household_share),
                       "voucher_number": b.voucher_number} for b in bills],
            "lines": [{"date": l.on_date.isoformat(), "kind": l.kind, "reference": l.reference,
                       "charge": money(l.charge), "credit": money(l.credit), "balance": money(l.balance),
                       "voucher_number": l.voucher_number} for l in statement.lines],
            "billed": money(statement.billed), "paid": money(statement.paid), "balance": money(statement.balance),
            "balance_uppercase": uppercase_amount(abs(statement.balance))}


@router.post("/books/{book_code}/households/{household_id}/reminders", status_code=201,
             summary="催缴物业费 Record a reminder of arrears", response_model=out.ReminderOut)
async def remind_household(book_code: BookCode, household_id: HouseholdId, body: ReminderIn, request: Request,
                           who: Who):
    """记录一次催缴（上门、电话、书面通知、短信），仅对截至催缴日有欠费的住户；不动资金，不生成凭证。
    不得以停止供水、供电、供热、供燃气等方式催交（民法典第九百四十四条），系统无此操作。
    Record a reminder given to a household in arrears as of its day (visit, phone, written notice, text
    message): no money moves. Arrears are never enforced by cutting water, power, heat or gas (Art. 944)."""
    today = today_cst()
    reminded_on = body.reminded_on or today

    def remind(uow, audit) -> tuple[Household, str]:  # noqa: ANN001
        return subsidies.remind_household(uow, audit, book_code, household_id, reminded_on=reminded_on,
                                          method=body.method, note=body.note, today=today), audit.actor

    def render(result: tuple[Household, str]) -> tuple[int, dict[str, Any]]:
        household, actor = result
        r = household.reminders[-1]
        return 201, {"book_code": book_code, "household_id": household_id, "reminded_on": r.reminded_on.isoformat(),
                     "method": r.method, "method_zh": REMINDER_METHODS[r.method], "note": r.note,
                     "owed": money(r.owed), "reminded_by": actor, "reminders": len(household.reminders)}

    return await write(request, who, f"催缴物业费 {household_id}", in_book(who, book_code, remind), render,
                       response_model=out.ReminderOut)


@router.get("/books/{book_code}/households/{household_id}/reminders", summary="催缴记录 A household's reminders",
            response_model=out.RemindersOut)
def list_reminders(book_code: BookCode, household_id: HouseholdId, request: Request, who: Who):
    """住户的催缴记录：日期、方式、备注、当日欠费、记录人及原因。A household's reminders: when, how, a note,
    what it owed that day, and who recorded them why."""
    with read_book(request, who, book_code) as (tx, position):
        row = _household_or_404(tx, book_code, household_id)
        rows = read_models.reminders(tx, book_code, household_id)
    return {"title_zh": "物业服务费催缴记录", "title_en": "Property-fee reminders", "book_code": book_code,
            "household_id": household_id, "unit_number": row.unit_number, "log_position": position,
            "note": ART_944_NOTE,
            "reminders": [{"seq": r.seq, "reminded_on": r.reminded_on.isoformat(), "method": r.method,
                           "method_zh": REMINDER_METHODS.get(r.method, r.method), "note": r.note, "owed": money(r.owed),
                           "reminded_by": r.reminded_by, "role": r.role, "reason": r.reason,
                           "recorded_at": r.recorded_at} for r in rows]}


# --- standards and policies -------------------------------------------------------------------------
@router.post("/books/{book_code}/fee-standards", status_code=201, summary="设定收费标准 Set a fee standard",
             response_model=out.FeeStandardOut)
async def set_fee_standard(book_code: BookCode, body: FeeStandardIn, request: Request, who: Who):
    """按楼型设定收费标准（元/平方米/月），自生效日起适用，不改写已计费月份。
    A fee standard per building type from a date; billed months keep theirs."""
    return await write(request, who, f"收费标准 {body.building_type}", in_book(who, book_code, lambda uow, audit: (
        subsidies.set_fee_standard(uow, audit, book_code, building_type=body.building_type,
                                   effective_on=body.effective_on, rate_per_m2_month=body.rate_per_m2_month))),
        lambda s: (201, standard_json(s)), response_model=out.FeeStandardOut)


@router.get("/books/{book_code}/fee-standards", summary="收费标准 Fee standards", response_model=out.FeeStandardsOut)
def list_fee_standards(book_code: BookCode, request: Request, who: Who):
    """默认标准（5层及以下0.60，6–9层0.90，10层及以上无默认）及已设定的标准。Defaults and configured standards."""
    with read_book(request, who, book_code) as (tx, position):
        standards = read_models.fee_standards(tx, book_code)
    defaults = [standard_json(FeeStandard(t, date.min, r), default=True) for t, r in DEFAULT_FEE_STANDARDS.items()]
    return {"book_code": book_code, "standards": defaults + [standard_json(s) for s in standards],
            "log_position": position}


@router.post("/books/{book_code}/subsidy-policies", status_code=201, summary="采用补贴政策版本 Adopt a policy version",
             response_model=out.PolicyOut)
async def adopt_policy(book_code: BookCode, body: PolicyIn, request: Request, who: Who):
    """采用新的补贴政策版本（全额年限、部分比例与年限、延期及其日期、过渡期结束日），自生效日起适用；
    生效日落在已计费月份的，只从第一个未计费月份起适用，已计费月份不重算。
    A new policy version; where its date falls in billed months it applies from the first unbilled month."""
    def adopt(uow, audit) -> PolicyVersion:  # noqa: ANN001
        return subsidies.adopt_policy_version(
            uow, audit, book_code, effective_on=body.effective_on, full_years=body.full_years,
            partial_through_years=body.partial_through_years, partial_percent=body.partial_percent,
            extension_granted=body.extension_granted, extension_until=body.extension_until,
            transition_end=body.transition_end)

    return await write(request, who, f"补贴政策 自{body.effective_on.isoformat()}", in_book(who, book_code, adopt),
                       lambda v: (201, policy_json(v)), response_model=out.PolicyOut)


@router.get("/books/{book_code}/subsidy-policies", summary="补贴政策版本 Policy versions", response_model=out.PoliciesOut)
def list_policies(book_code: BookCode, request: Request, who: Who):
    """默认政策（版本0）及已采用的各版本。The default policy (version 0) and every adopted version."""
    with read_book(request, who, book_code) as (tx, position):
        versions = read_models.policy_versions(tx, book_code)
    return {"book_code": book_code, "versions": [policy_json(v) for v in (DEFAULT_POLICY, *versions)],
            "log_position": position}


# --- billing ---------------------------------------------------------------------------------------------
@router.post("/books/{book_code}/property-billing-runs", status_code=200, summary="物业费计费 Billing run",
             response_model=out.RunResultOut)
async def run_billing(book_code: BookCode, body: BillingRunIn, request: Request, who: Who):
    """按月计费至指定月份：每户未计费月份的物业费、补贴、住户负担（各月四舍五入一次）及待计调整，
    借 112 住户、借 112 财政补贴、贷 501.02；重复执行不增加任何记录。
    Bill every household through a month; running it again adds nothing."""
    today = today_cst()

    return await write(request, who, f"物业费计费 {body.month}", in_book(who, book_code, lambda uow, audit: (
        billing_run.run_billing(uow, audit, book_code, body.month, today=today))),
        lambda r: (200, run_result_json(r)), response_model=out.RunResultOut)


@router.get("/books/{book_code}/property-billing-runs", summary="计费记录 Billing runs", response_model=out.RunsOut)
def list_runs(book_code: BookCode, request: Request, who: Who):
    """各月计费汇总。Every run: households, household-months, fee, subsidy, household share, vouchers."""
    with read_book(request, who, book_code) as (tx, position):
        runs = read_models.billing_runs(tx, book_code)
    return {"book_code": book_code, "runs": [run_json(r) for r in runs], "log_position": position}


@router.get("/books/{book_code}/property-billing-runs/{month}", summary="某月计费 One billing run",
            response_model=out.RunOut)
def get_run(book_code: BookCode, month: MonthPath, request: Request, who: Who):
    """某月计费汇总。One month's run."""
    with read_book(request, who, book_code) as (tx, position):
        runs = read_models.billing_runs(tx, book_code, month)
    if not runs:
        raise ApiProblem(404, "billing-run-not-found", "Billing run not found", f"no billing run for {month}")
    return {**run_json(runs[0]), "log_position": position}


# --- claims ------------------------------------------------------------------------------------------------
@router.post("/books/{book_code}/subsidy-claims", status_code=201, summary="申领补贴 Submit a subsidy claim",
             response_model=out.ClaimOut)
async def submit_claim(book_code: BookCode, body: ClaimIn, request: Request, who: Who):
    """按月或按季度向乡镇申领补贴，列明每户金额（含0.00），住户欠费不影响申领。
    A claim for a month or a calendar quarter: every household and its subsidy; arrears never block it."""
    submitted_on = body.submitted_on or today_cst()

    return await claim_step(request, who, f"申领补贴 {body.claim_code}", in_book(who, book_code, lambda uow, audit: (
        subsidies.submit_claim(uow, audit, book_code, body.claim_code, submitted_on=submitted_on))), status=201)


@router.get("/books/{book_code}/subsidy-claims", summary="补贴申领登记簿 Claim register",
            response_model=out.ClaimRegisterOut)
def list_claims(book_code: BookCode, request: Request, who: Who):
    """每期申领额、核准额、到账额与未到账额。Claimed, approved, received and outstanding per month or quarter."""
    with read_book(request, who, book_code) as (tx, position):
        rows = read_models.claims(tx, book_code)
    return {**claim_register(f"book:{book_code}", rows), "log_position": position}


@router.get("/books/{book_code}/subsidy-claims/{claim_code}", summary="补贴申领 One claim",
            response_model=out.ClaimRecordOut)
def get_claim(book_code: BookCode, claim_code: ClaimPath, request: Request, who: Who, limit: int | None = None,
              cursor: str | None = None):
    """申领明细：每户金额（分页）及审核记录。The claim's households (paginated) and its history."""
    size = page_limit(limit)
    with read_book(request, who, book_code) as (tx, position):
        claim = read_models.claim(tx, book_code, claim_code)
        lines = read_models.claim_lines(tx, book_code, claim_code, cursor, size + 1) if claim else []
    if claim is None:
        raise ApiProblem(404, "claim-not-found", "Claim not found", f"no subsidy claim {claim_code!r}")
    page = lines[:size]
    return {**claim_json(claim), "log_position": position,
            "history": [{"action": a, "date": d, "actor": who_, "note": n} for a, d, who_, n in claim.history],
            "lines": [{"household_id": h, "amount": money(a)} for h, a in page],
            "next_cursor": page[-1][0] if len(lines) > size else None}


@router.post("/books/{book_code}/subsidy-claims/{claim_code}/approval", status_code=200,
             summary="乡镇审核通过 Township approves a claim", response_model=out.ClaimOut)
async def approve_claim(book_code: BookCode, claim_code: ClaimPath, body: ApprovalIn, request: Request, who: Who):
    """乡镇财政所审核通过本乡镇社区的申领（仅记录事件，资金到账时才记账）。
    The township office approves a claim of its township: an event only; money moves on receipt."""
    approved_on = body.approved_on or today_cst()

    def approve(uow, audit):  # noqa: ANN001, ANN202
        township_book(uow, who, book_code)
        return subsidies.approve_claim(uow, audit, book_code, claim_code, approved_on=approved_on)

    return await claim_step(request, who, f"审核通过 {claim_code}", approve, status=200)


@router.post("/books/{book_code}/subsidy-claims/{claim_code}/return", status_code=200,
             summary="乡镇退回 Township returns a claim", response_model=out.ClaimOut)
async def return_claim(book_code: BookCode, claim_code: ClaimPath, body: ReturnIn, request: Request, who: Who):
    """乡镇财政所退回申领并说明原因。The township office returns a claim with a reason."""
    returned_on = body.returned_on or today_cst()

    def return_(uow, audit):  # noqa: ANN001, ANN202
        township_book(uow, who, book_code)
        return subsidies.return_claim(uow, audit, book_code, claim_code, returned_on=returned_on, reason=body.reason)

    return await claim_step(request, who, f"退回 {claim_code}：{body.reason}", return_, status=200)


@router.post("/books/{book_code}/subsidy-claims/{claim_code}/resubmission", status_code=200,
             summary="重新申报 Resubmit a returned claim", response_model=out.ClaimOut)
async def resubmit_claim(book_code: BookCode, claim_code: ClaimPath, body: ResubmissionIn, request: Request,
                         who: Who):
    """被退回的申领经核对后重新申报。A returned claim is submitted again."""
    submitted_on = body.submitted_on or today_cst()

    return await claim_step(request, who, f"重新申报 {claim_code}", in_book(who, book_code, lambda uow, audit: (
        subsidies.resubmit_claim(uow, audit, book_code, claim_code, submitted_on=submitted_on))), status=200)


# --- receipts ------------------------------------------------------------------------------------------------
@router.post("/books/{book_code}/property-fee-receipts", status_code=201, summary="收住户物业费 Household receipt",
             response_model=out.HouseholdReceiptOut)
async def record_household_receipt(book_code: BookCode, body: HouseholdReceiptIn, request: Request, who: Who):
    """收住户物业费，先冲最早的账单；超过欠费的金额被拒绝（无预收规则）。借 102 贷 112 住户。
    A household pays: its oldest bill is cleared first; more than it owes is refused."""
    def receive(uow, audit) -> tuple[HouseholdReceipt, Decimal]:  # noqa: ANN001
        receipt = subsidies.record_household_receipt(uow, audit, book_code, body.household_id,
                                                     received_on=body.received_on, amount=body.amount,
                                                     reference=body.reference)
        return receipt, subsidies.get_household(uow, book_code, body.household_id).owed

    def render(result: tuple[HouseholdReceipt, Decimal]) -> tuple[int, dict[str, Any]]:
        receipt, owed = result
        return 201, {"receipt_number": receipt.receipt_number, "household_id": body.household_id,
                     "received_on": receipt.received_on.isoformat(), "amount": money(receipt.amount),
                     "amount_uppercase": uppercase_amount(receipt.amount), "voucher_number": receipt.voucher_number,
                     "settled": [{"run_month": s.run_month, "amount": money(s.amount)} for s in receipt.settled],
                     "owed_after": money(owed)}

    return await write(request, who, f"收物业费 {body.household_id}", in_book(who, book_code, receive), render,
                       response_model=out.HouseholdReceiptOut)


@router.post("/books/{book_code}/subsidy-receipts", status_code=201, summary="收财政补贴 Subsidy receipt",
             response_model=out.SubsidyReceiptOut)
async def record_subsidy_receipt(book_code: BookCode, body: SubsidyReceiptIn, request: Request, who: Who):
    """收到乡镇拨付的补贴款，按已核准申领先早后晚冲销。借 102 贷 112 财政补贴。
    Money from the township, applied to approved claims oldest first."""
    def receive(uow, audit) -> SubsidyReceipt:  # noqa: ANN001
        return subsidies.record_subsidy_receipt(uow, audit, book_code, received_on=body.received_on,
                                                amount=body.amount, reference=body.reference,
                                                claim_code=body.claim_code)

    def render(receipt: SubsidyReceipt) -> tuple[int, dict[str, Any]]:
        return 201, {"receipt_number": receipt.receipt_number, "received_on": receipt.received_on.isoformat(),
                     "amount": money(receipt.amount), "amount_uppercase": uppercase_amount(receipt.amount),
                     "voucher_number": receipt.voucher_number,
                     "settled": [{"claim_code": s.claim_code, "amount": money(s.amount)} for s in receipt.settled]}

    return await write(request, who, "收财政补贴", in_book(who, book_code, receive), render,
                       response_model=out.SubsidyReceiptOut)


# --- reports --------------------------------------------------------------------------------------------------
@router.get("/books/{book_code}/property-fee-arrears", summary="物业费欠费 Arrears", response_model=out.ArrearsOut)
def get_arrears(book_code: BookCode, request: Request, who: Who, as_of: AsOf = None, limit: int | None = None):
    """欠费住户：截至 as_of 的欠费与最早未清账单（只记录与提醒，不得以停水停电等方式催缴，民法典第944条）。
    Households owing, with the oldest open bill; recorded and reminded only (民法典 Art. 944)."""
    day = reading_date(as_of)
    size = page_limit(limit)
    with read_book(request, who, book_code) as (tx, position):
        rows = read_models.arrears(tx, book_code, day, size)
    return {"title_zh": "物业服务费欠费明细", "title_en": "Property-fee arrears", "book_code": book_code,
            "as_of": day.isoformat(), "log_position": position,
            "note": ART_944_NOTE,
            "households": [{"household_id": a.household_id, "unit_number": a.unit_number, "owed": money(a.owed),
                            "oldest_open_run": a.oldest_open_run, "days_overdue": a.days_overdue,
                            "last_reminded_on": a.last_reminded_on.isoformat() if a.last_reminded_on else None,
                            "reminders": a.reminders} for a in rows],
            "total": money(sum((a.owed for a in rows), ZERO))}


@router.get("/books/{book_code}/insurance-programmes", summary="安居险与就业险 Insurance programmes",
            response_model=out.PremiumsOut)
def get_premiums(book_code: BookCode, request: Request, who: Who,
                 year: Annotated[int | None, Query(ge=2000, le=2100)] = None):
    """按户、按年测算县级购买的安居险（20元/人·年）与就业险（30元/劳动力·年），按日折算（闰年366天），
    每户每险种每年四舍五入一次；不涉及社区资金。Premiums per household-year, a read model only."""
    year = year or today_cst().year
    with read_book(request, who, book_code) as (tx, position):
        totals = read_models.insurance_premiums(tx, book_code, year)
    return {**premiums_json(book_code, totals), "log_position": position}


def _forecast(tx, scope: str, books: list[str], first: str, months: int, year: int) -> dict[str, Any]:  # noqa: ANN001
    communities, overall = [], {}
    housing = employment = ZERO
    for book_code in books:
        per_month = read_models.subsidy_forecast(tx, book_code, first, months)
        for month, amount in per_month.items():
            overall[month] = overall.get(month, ZERO) + amount
        communities.append({"book_code": book_code,
                            "months": [{"month": m, "subsidy": money(a)} for m, a in per_month.items()],
                            "total": money(sum(per_month.values(), ZERO))})
        premiums = read_models.insurance_premiums(tx, book_code, year)
        housing += premiums.housing_insurance
        employment += premiums.employment_insurance
    return {"title_zh": "补贴预算测算", "title_en": "Subsidy forecast", "scope": scope, "from_month": first,
            "communities": communities, "months": [{"month": m, "subsidy": money(a)} for m, a in overall.items()],
            "total": money(sum(overall.values(), ZERO)), "insurance_year": year,
            "housing_insurance": money(housing), "employment_insurance": money(employment)}


@router.get("/books/{book_code}/subsidy-forecast", summary="社区补贴预算 Community subsidy forecast",
            response_model=out.ForecastOut)
def get_community_forecast(book_code: BookCode, request: Request, who: Who, as_of: AsOf = None,
                           months: Annotated[int, Query(ge=1, le=MAX_FORECAST_MONTHS)] = 24):
    """自 as_of 所在月起未来若干月每月补贴额（按现行登记与政策），及当年保费。
    Subsidy per month for the coming months, from the register and the policies in force."""
    day = reading_date(as_of)
    with read_book(request, who, book_code) as (tx, position):
        body = _forecast(tx, f"book:{book_code}", [book_code], month_of(day), months, day.year)
    return {**body, "log_position": position}


TownshipId = PathCode


def _township_reader(who: Principal, township_id: str) -> None:
    """Township offices read every community of their township; auditors within their scope."""
    if who.role not in (TOWNSHIP, "auditor") or not who.scope.covers("", township_id):
        raise ApiProblem(403, "out-of-scope", "Forbidden", f"township {township_id} is outside this token's scope")


@router.get("/townships/{township_id}/subsidy-claims", summary="乡镇补贴申领登记簿 Township claim register",
            response_model=out.ClaimRegisterOut)
def list_township_claims(township_id: TownshipId, request: Request, who: Who):
    """本乡镇各社区的申领、核准、到账与未到账。Every community's claims in the township."""
    _township_reader(who, township_id)
    with read(request) as (tx, position):
        rows = read_models.township_claims(tx, township_id)
    return {**claim_register(f"township:{township_id}", rows), "log_position": position}


@router.get("/townships/{township_id}/subsidy-forecast", summary="乡镇补贴预算 Township subsidy forecast",
            response_model=out.ForecastOut)
def get_township_forecast(township_id: TownshipId, request: Request, who: Who, as_of: AsOf = None,
                          months: Annotated[int, Query(ge=1, le=MAX_FORECAST_MONTHS)] = 24):
    """乡镇须预算的每月补贴（未来24个月）及当年保费，按社区列示。
    Subsidy the township must budget per month for the next months, and this year's premiums."""
    _township_reader(who, township_id)
    day = reading_date(as_of)
    with read(request) as (tx, position):
        books = read_models.community_books(tx, township_id)
        body = _forecast(tx, f"township:{township_id}", books, month_of(day), months, day.year)
    return {**body, "log_position": position}
