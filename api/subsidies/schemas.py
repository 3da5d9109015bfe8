"""Wire types of property-fee subsidies: requests and responses (amounts as strings, two decimals out).

Areas, rates and percents are strings too, checked by the domain (so an over-precise
area is answered with the rule it breaks, ``floor-area-invalid``, not a generic shape error).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field, Strict, StringConstraints

from api.schemas import (AmountIn, BookReportOut, BookScopedOut, Code, Day, Model, Money, Out, ReportOut, Row,
                         StatementLine, StrictDate, Text, money)
from domain.subsidies.billing_run import RunResult
from domain.subsidies.household import Adjustment, Household
from domain.subsidies.policy import FeeStandard, PolicyVersion
from domain.subsidies.programmes import EMPLOYMENT_INSURANCE_PER_LABOURER_YEAR, HOUSING_INSURANCE_PER_PERSON_YEAR
from domain.subsidies.register import Building
from ledger.money import ZERO, uppercase_amount
from projections import subsidies as read_models

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
Month = Annotated[str, Strict(), StringConstraints(pattern=MONTH_PATTERN)]
DecimalText = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=24)]
Reference = Annotated[str, Strict(), StringConstraints(max_length=100)]
Count = Annotated[int, Strict(), Field(ge=0, le=50)]
Years = Annotated[int, Strict(), Field(ge=0, le=30)]
BuildingType = Annotated[str, Strict(), StringConstraints(pattern=r"^(low_rise|mid_rise|high_rise)$")]
ClaimCode = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=16)]
# --- requests ------------------------------------------------------------------------------------
class BuildingIn(Model):
    building_code: Code = Field(description="楼栋编号 Building code")
    name: Text = Field(description="楼栋名称 Name, e.g. 3号楼")
    storeys: Annotated[int, Strict(), Field(ge=1, le=100)] = Field(description="层数 Storeys above ground")
    has_lift: Annotated[bool, Strict()] = Field(False, description="有无电梯 Has a lift")


class HouseholdIn(Model):
    household_id: Code = Field(description="户编号 Household id")
    building_code: Code = Field(description="楼栋 Building")
    unit_number: Code = Field(description="房号 Unit number, e.g. 3-2-501")
    floor_area_m2: DecimalText = Field(description="建筑面积（平方米）Floor area in m² as on the title or survey, "
                                                   "at most two decimals (kept as given)")
    moved_in_on: StrictDate = Field(description="入住日期 Move-in date")
    head_identity_number: Annotated[str, Strict(), StringConstraints(max_length=20)] | None = Field(
        None, description="户主身份证号 Head of household's identity number (stored masked + keyed hash only)")
    persons: Count = Field(1, description="家庭人口 Persons in the household (from the move-in date)")
    labourers: Count = Field(0, description="劳动力 Labourers in the household (from the move-in date)")
    billing_from_month: Month | None = Field(
        None, description="起始计费月 First month billed in this book (default: the move-in month, or the book's "
                          "first month if later)")


class CorrectionIn(Model):
    kind: Annotated[str, Strict(), StringConstraints(pattern=r"^(floor_area|move_in)$")] = Field(
        description="更正事项 floor_area | move_in")
    effective_on: StrictDate | None = Field(
        None, description="更正生效日 From when the corrected figure applies (required for floor_area; for "
                          "move_in the earlier of the old and new dates by default)")
    floor_area_m2: DecimalText | None = Field(None, description="更正后面积 Corrected floor area in m²")
    moved_in_on: StrictDate | None = Field(None, description="更正后入住日期 Corrected move-in date")
    reason: Text = Field("登记更正", description="原因 Reason")


class MoveOutIn(Model):
    moved_out_on: StrictDate = Field(description="迁出日期 Move-out day (the last occupied day)")
    reason: Text = Field("住户迁出", description="原因 Reason")


class CountsIn(Model):
    effective_on: StrictDate = Field(description="变动日期 Date the counts apply from")
    persons: Count
    labourers: Count


class FeeStandardIn(Model):
    building_type: BuildingType = Field(description="楼型 low_rise (≤ 5 storeys) | mid_rise (6–9) | high_rise (≥ 10)")
    effective_on: StrictDate = Field(description="生效日期 Effective date")
    rate_per_m2_month: DecimalText = Field(description="收费标准（元/平方米/月）Yuan per m² per month")


class PolicyIn(Model):
    effective_on: StrictDate = Field(description="生效日期 Effective date (after the latest version)")
    full_years: Years = Field(3, description="全额补贴年限 Years subsidised in full after moving in")
    partial_through_years: Years = Field(5, description="部分补贴截止年限 Partial subsidy through this anniversary")
    partial_percent: DecimalText = Field("50", description="部分补贴比例（%）Partial ratio, percent")
    extension_granted: Annotated[bool, Strict()] = Field(False, description="是否批准延期 Extension granted")
    extension_until: StrictDate | None = Field(None, description="延期至 Extension date (default 2025-12-31)")
    transition_end: StrictDate | None = Field(None, description="过渡期结束 Transition end (default 2025-12-31)")


class BillingRunIn(Model):
    month: Month = Field(description="计费月份 Bill every household through this month (YYYY-MM)")


class ClaimIn(Model):
    claim_code: ClaimCode = Field(description="申领期间 A month (2024-06) or a calendar quarter (2024-Q2)")
    submitted_on: StrictDate | None = Field(None, description="申报日期 Date submitted (default today)")


class ApprovalIn(Model):
    approved_on: StrictDate | None = Field(None, description="审核通过日期 Date approved (default today)")


class ReturnIn(Model):
    reason: Text = Field(description="退回原因 Why the claim is returned")
    returned_on: StrictDate | None = Field(None, description="退回日期 Date returned (default today)")


class ResubmissionIn(Model):
    submitted_on: StrictDate | None = None


class HouseholdReceiptIn(Model):
    household_id: Code = Field(description="住户 Household paying")
    received_on: StrictDate = Field(description="收款日 Date received")
    amount: AmountIn = Field(description="金额 Amount received (not above what is owed)")
    reference: Reference = Field("", description="凭据 Receipt or bank slip reference")


class SubsidyReceiptIn(Model):
    received_on: StrictDate = Field(description="到账日 Date received from the township")
    amount: AmountIn = Field(description="金额 Amount (not above the approved claims outstanding)")
    reference: Reference = ""
    claim_code: ClaimCode | None = Field(None, description="指定申领 Apply to this claim only (default: oldest first)")


class ReminderIn(Model):
    reminded_on: StrictDate | None = Field(None, description="催缴日期 Day the reminder was given (default today, "
                                                               "never later; not before the move-in)")
    method: Annotated[str, Strict(), StringConstraints(max_length=40)] = Field(
        description="催缴方式 How: visit 上门 | phone 电话 | notice 书面通知 | message 短信")
    note: Annotated[str, Strict(), StringConstraints(max_length=1000)] = Field(
        "", description="备注 Note, at most 200 characters")


# --- responses -----------------------------------------------------------------------------------
class BuildingOut(Out):
    building_code: str
    name: str
    storeys: int
    has_lift: bool
    building_type: str


class BuildingsOut(Out):
    book_code: str
    buildings: list[BuildingOut]


class AdjustmentOut(Row):
    cause: str
    effective_on: Day
    fee: Money
    subsidy: Money
    household_share: Money
    months: list[dict[str, str]]


class HouseholdEntry(Row):
    """What every answer about a household shows of it: its register entry."""

    household_id: str
    building_code: str
    building_type: str
    unit_number: str
    floor_area_m2: str
    moved_in_on: Day
    moved_out_on: Day | None
    billing_from_month: str
    head_identity_masked: str | None


class HouseholdOut(HouseholdEntry, BookScopedOut):  # book_code first, then the entry
    months_billed: int
    pending_adjustments: list[AdjustmentOut]
    owed: Money


class HouseholdRowOut(HouseholdEntry):
    billed_through: str | None
    balance: Money


class HouseholdsOut(Out):
    book_code: str
    households: list[HouseholdRowOut]
    next_cursor: str | None


class DatedAreaOut(Row):
    effective_on: Day | None
    floor_area_m2: str


class DatedMoveInOut(Row):
    effective_on: Day | None
    moved_in_on: Day


class DatedCountsOut(Row):
    effective_on: Day
    persons: int
    labourers: int


class HouseholdRecordOut(Out):
    book_code: str
    household: HouseholdRowOut
    floor_areas: list[DatedAreaOut]
    move_ins: list[DatedMoveInOut]
    counts: list[DatedCountsOut]


class RatioOut(Row):
    percent: str
    days: int
    policy_version: int


class ScheduleAdjustmentOut(Row):
    run_month: str
    fee: Money
    subsidy: Money


class ScheduleLineOut(Row):
    month: str
    billed: bool
    run_month: str | None
    days_in_month: int
    occupied_days: int
    fee: Money
    ratios: list[RatioOut]
    subsidy: Money
    household_share: Money
    policy_versions: list[int]
    later_adjustments: list[ScheduleAdjustmentOut]


class ScheduleOut(BookReportOut):
    household_id: str
    unit_number: str
    floor_area_m2: str
    moved_in_on: Day
    lines: list[ScheduleLineOut]
    total_fee: Money
    total_subsidy: Money
    total_household_share: Money


class StatementLineOut(StatementLine):
    pass


class BillOut(Row):
    run_month: str
    kind: str
    month: str
    billed_on: Day
    fee: Money
    subsidy: Money
    household_share: Money
    voucher_number: str


class StatementOut(BookReportOut):
    household_id: str
    as_of: Day
    bills: list[BillOut]
    lines: list[StatementLineOut]
    billed: Money
    paid: Money
    balance: Money
    balance_uppercase: str


class FeeStandardOut(Out):
    building_type: str
    effective_on: Day | None
    rate_per_m2_month: str
    default: bool = False


class FeeStandardsOut(Out):
    book_code: str
    standards: list[FeeStandardOut]


class PolicyOut(Out):
    version: int
    effective_on: Day | None
    full_years: int
    partial_through_years: int
    partial_percent: str
    extension_granted: bool
    extension_until: Day
    transition_end: Day


class PoliciesOut(Out):
    book_code: str
    versions: list[PolicyOut]


class RunOut(Out):
    month: str
    status: str
    households: int
    household_months: int
    fee: Money
    subsidy: Money
    household_share: Money
    vouchers: list[str]


class RunResultOut(Out):
    month: str
    already_billed: bool
    runs: list[RunOut]
    households_billed: int
    household_months: int


class RunsOut(Out):
    book_code: str
    runs: list[RunOut]


class ClaimOut(Out):
    book_code: str
    claim_code: str
    township_id: str
    months: list[str]
    status: str
    households: int
    amount: Money
    amount_uppercase: str
    approved: Money
    received: Money
    outstanding: Money
    submitted_on: Day
    approved_on: Day | None
    returned_reason: str


class ClaimEventOut(Row):
    action: str
    date: Day
    actor: str
    note: str


class ClaimLineOut(Row):
    household_id: str
    amount: Money


class ClaimRecordOut(ClaimOut):
    history: list[ClaimEventOut]
    lines: list[ClaimLineOut]
    next_cursor: str | None


class ClaimRegisterOut(ReportOut):
    scope: str
    claims: list[ClaimOut]
    claimed: Money
    approved: Money
    received: Money
    outstanding: Money


class SettledOut(Row):
    run_month: str
    amount: Money


class HouseholdReceiptOut(Out):
    receipt_number: str
    household_id: str
    received_on: Day
    amount: Money
    amount_uppercase: str
    voucher_number: str
    settled: list[SettledOut]
    owed_after: Money


class ClaimSettledOut(Row):
    claim_code: str
    amount: Money


class SubsidyReceiptOut(Out):
    receipt_number: str
    received_on: Day
    amount: Money
    amount_uppercase: str
    voucher_number: str
    settled: list[ClaimSettledOut]


class ArrearsRowOut(Row):
    household_id: str
    unit_number: str
    owed: Money
    oldest_open_run: str
    days_overdue: int
    last_reminded_on: Day | None = Field(None, description="最近催缴日 The last reminder on or before as_of")
    reminders: int = Field(0, description="催缴次数 Reminders given on or before as_of")


class ReminderOut(BookScopedOut):
    household_id: str
    reminded_on: Day
    method: str
    method_zh: str
    note: str
    owed: Money = Field(description="截至催缴日欠费 What the household owed as of the reminder's day")
    reminded_by: str
    reminders: int = Field(description="催缴次数 Reminders given to the household so far")


class ReminderRowOut(Row):
    seq: int
    reminded_on: Day
    method: str
    method_zh: str
    note: str
    owed: Money
    reminded_by: str
    role: str
    reason: str
    recorded_at: str


class RemindersOut(BookReportOut):
    household_id: str
    unit_number: str
    note: str
    reminders: list[ReminderRowOut]


class ArrearsOut(BookReportOut):
    as_of: Day
    note: str
    households: list[ArrearsRowOut]
    total: Money


class PremiumRowOut(Row):
    household_id: str
    person_days: int
    labourer_days: int
    housing_insurance: Money
    employment_insurance: Money


class PremiumsOut(BookReportOut):
    year: int
    households: int
    housing_insurance_rate: Money
    employment_insurance_rate: Money
    housing_insurance: Money
    employment_insurance: Money
    total: Money
    per_household: list[PremiumRowOut]


class ForecastMonthOut(Row):
    month: str
    subsidy: Money


class CommunityForecastOut(Row):
    book_code: str
    months: list[ForecastMonthOut]
    total: Money


class ForecastOut(ReportOut):
    scope: str
    from_month: str
    communities: list[CommunityForecastOut]
    months: list[ForecastMonthOut]
    total: Money
    insurance_year: int
    housing_insurance: Money
    employment_insurance: Money


# --- renderers: domain values and read rows → the response models' dicts ---------------------------
def iso_day(day: date | None) -> str | None:
    return None if day is None or day == date.min else day.isoformat()


def building_json(building: Building) -> dict[str, Any]:
    return {"building_code": building.building_code, "name": building.name, "storeys": building.storeys,
            "has_lift": building.has_lift, "building_type": building.building_type}


def adjustment_json(adjustment: Adjustment) -> dict[str, Any]:
    return {"cause": adjustment.cause, "effective_on": adjustment.effective_on.isoformat(),
            "fee": money(adjustment.fee), "subsidy": money(adjustment.subsidy),
            "household_share": money(adjustment.household_share),
            "months": [{"month": d.month, "fee": money(d.fee), "subsidy": money(d.subsidy)}
                       for d in adjustment.months]}


def household_json(household: Household) -> dict[str, Any]:
    return {"book_code": household.book_code, "household_id": household.household_id,
            "building_code": household.building_code, "building_type": household.building_type,
            "unit_number": household.unit_number, "floor_area_m2": str(household.floor_area_m2),
            "moved_in_on": household.moved_in_on.isoformat(), "moved_out_on": iso_day(household.moved_out_on),
            "billing_from_month": household.billing_from_month,
            "head_identity_masked": household.head.masked if household.head else None,
            "months_billed": len(household.billed),
            "pending_adjustments": [adjustment_json(a) for a in household.pending], "owed": money(household.owed)}


def household_row_json(row: read_models.HouseholdRow) -> dict[str, Any]:
    return {"household_id": row.household_id, "building_code": row.building_code, "building_type": row.building_type,
            "unit_number": row.unit_number, "floor_area_m2": str(row.floor_area_m2),
            "moved_in_on": row.moved_in_on.isoformat(), "moved_out_on": iso_day(row.moved_out_on),
            "billing_from_month": row.billing_from_month, "head_identity_masked": row.head_masked,
            "billed_through": row.billed_through, "balance": money(row.balance)}


def standard_json(standard: FeeStandard, default: bool = False) -> dict[str, Any]:
    return {"building_type": standard.building_type, "effective_on": iso_day(standard.effective_on),
            "rate_per_m2_month": str(standard.rate_per_m2_month), "default": default}


def policy_json(version: PolicyVersion) -> dict[str, Any]:
    return {"version": version.version, "effective_on": iso_day(version.effective_on), "full_years": version.full_years,
            "partial_through_years": version.partial_through_years, "partial_percent": str(version.partial_percent),
            "extension_granted": version.extension_granted, "extension_until": version.extension_until.isoformat(),
            "transition_end": version.transition_end.isoformat()}


def run_json(run: read_models.RunRow) -> dict[str, Any]:
    return {"month": run.month, "status": run.status, "households": run.households,
            "household_months": run.household_months, "fee": money(run.fee), "subsidy": money(run.subsidy),
            "household_share": money(run.household_share), "vouchers": run.vouchers}


def run_result_json(result: RunResult) -> dict[str, Any]:
    runs = []
    for run in result.runs:
        runs.append({"month": run.month, "status": "finished" if run.finished else "open",
                     "households": len(run.lines), "household_months": sum(len(l.months) for l in run.lines.values()),
                     "fee": money(run.total("fee")), "subsidy": money(run.total("subsidy")),
                     "household_share": money(run.total("household_share")), "vouchers": list(run.voucher_numbers)})
    return {"month": result.month, "already_billed": not result.runs, "runs": runs,
            "households_billed": result.households_billed, "household_months": result.household_months}


def claim_json(claim: read_models.ClaimRow) -> dict[str, Any]:
    return {"book_code": claim.book_code, "claim_code": claim.claim_code, "township_id": claim.township_id,
            "months": claim.months, "status": claim.status, "households": claim.households,
            "amount": money(claim.amount), "amount_uppercase": uppercase_amount(claim.amount),
            "approved": money(claim.approved), "received": money(claim.received),
            "outstanding": money(claim.outstanding), "submitted_on": claim.submitted_on.isoformat(),
            "approved_on": iso_day(claim.approved_on), "returned_reason": claim.returned_reason}


def claim_aggregate_json(claim: Any) -> dict[str, Any]:  # domain.subsidies.claim.SubsidyClaim
    return {"book_code": claim.book_code, "claim_code": claim.claim_code, "township_id": claim.township_id,
            "months": list(claim.months), "status": claim.status, "households": len(claim.lines),
            "amount": money(claim.amount), "amount_uppercase": uppercase_amount(claim.amount),
            "approved": money(claim.amount if claim.status == "approved" else ZERO),
            "received": money(claim.received), "outstanding": money(claim.outstanding),
            "submitted_on": claim.submitted_on.isoformat(), "approved_on": iso_day(claim.approved_on),
            "returned_reason": claim.returned_reason}


def claim_register(scope: str, rows: list[read_models.ClaimRow]) -> dict[str, Any]:
    return {"title_zh": "补贴申领登记簿", "title_en": "Subsidy claim register", "scope": scope,
            "claims": [claim_json(c) for c in rows], "claimed": money(sum((c.amount for c in rows), ZERO)),
            "approved": money(sum((c.approved for c in rows), ZERO)),
            "received": money(sum((c.received for c in rows), ZERO)),
            "outstanding": money(sum((c.outstanding for c in rows), ZERO))}


def premiums_json(book_code: str, totals: read_models.PremiumTotals) -> dict[str, Any]:
    return {"title_zh": "安居险、就业险保费测算", "title_en": "Housing and employment insurance premiums",
            "book_code": book_code, "year": totals.year, "households": totals.households,
            "housing_insurance_rate": money(HOUSING_INSURANCE_PER_PERSON_YEAR),
            "employment_insurance_rate": money(EMPLOYMENT_INSURANCE_PER_LABOURER_YEAR),
            "housing_insurance": money(totals.housing_insurance),
            "employment_insurance": money(totals.employment_insurance),
            "total": money(totals.housing_insurance + totals.employment_insurance),
            "per_household": [{"household_id": h, "person_days": p.person_days, "labourer_days": p.labourer_days,
                               "housing_insurance": money(p.housing_insurance),
                               "employment_insurance": money(p.employment_insurance)}
                              for h, p in totals.per_household]}
