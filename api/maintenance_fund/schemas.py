"""Wire types of housing special maintenance funds: requests (``…In``) and responses (``…Out``).

Amounts and floor areas are strings (two decimals out). Enumerated words (sources, natures,
emergency types, answers) travel as plain strings and are parsed by the domain, so a wrong
one answers the problem type of the rule it breaks (``excluded-use``, ``invalid-emergency``…).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, Strict, StringConstraints

from api.schemas import Code, Model, Money, Out, ReportOut, StrictDate, Text

MAX_UNITS_PER_REQUEST = 1_000  # each unit is registered in the community's register in the same save
MAX_BALLOTS_PER_REQUEST = 100_000

Word = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=40)]
Place = Annotated[str, Strict(), StringConstraints(max_length=32)]
#: Amounts, areas and ratios are strings parsed by the domain, so "1.005" answers the rule it breaks
#: (``invalid-amount``: more decimals than the fen) rather than a pattern mismatch; numbers are refused.
AmountIn = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=24)]
AreaIn = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=16)]
PercentIn = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=16)]
Reference = Annotated[str, Strict(), StringConstraints(max_length=200)]
Area = Annotated[str, Field(description="面积（平方米，两位小数）Floor area in m², two decimals")]


# --- requests -----------------------------------------------------------------------------------
class FundIn(Model):
    fund_code: Code = Field(description="资金账套编码 Code of the fund's own book (names the fund)")
    name: Text = Field(description="名称 Name, e.g. 阳光安置区住宅专项维修资金")
    community_id: Code
    township_id: Code
    area_kind: Word = Field("management_area", description="management_area（物业管理区域）or building（幢）")
    building: Place = Field("", description="幢 The building, for a fund kept per building")
    opened_on: StrictDate = Field(description="建账日期 First day of the fund's book")
    deposit_standard_yuan_per_m2: AmountIn = Field(description="首次交存标准（元/㎡）First-deposit standard")
    interest_basis: Word = Field("period_end", description="增值收益分配基础 period_end（期末余额）or daily_product（日积数）")


class DepositStandardIn(Model):
    effective_on: StrictDate
    yuan_per_m2: AmountIn


class OwnerIn(Model):
    owner_id: Annotated[str, Strict(), StringConstraints(max_length=64)] = Field(
        "", description="业主 Owner id (empty for an unassigned unit held by the developer)")
    kind: Word = Field("owner", description="owner（业主）, developer（开发建设单位：未售或未分配）, collective（集体经济组织）")
    name: Annotated[str, Strict(), StringConstraints(max_length=100)] = ""

    def parts(self) -> tuple[str, str, str]:
        return self.owner_id, self.kind, self.name


class UnitIn(Model):
    unit_id: Code = Field(description="房屋单元编号 Unit id (e.g. the real-estate unit number)")
    kind: Word = Field("flat", description="flat（住宅）or shop_front（门面）")
    floor_area_m2: AreaIn | None = Field(None, description="建筑面积 Floor area (a registered shop-front's if omitted)")
    building: Place
    stairwell: Place = ""
    room: Place = ""
    owner: OwnerIn
    household_id: Annotated[str, Strict(), StringConstraints(max_length=64)] = Field(
        "", description="住户 The household (register of households) whose flat this is")
    shop_front: Annotated[str, Strict(), StringConstraints(max_length=130)] = Field(
        "", description="门面 The shop-front in the lease register, '<book>/<unit number>'")


class UnitsIn(Model):
    registered_on: StrictDate
    units: list[UnitIn] = Field(min_length=1, max_length=MAX_UNITS_PER_REQUEST)


class FirstDepositsIn(Model):
    deposited_on: StrictDate
    unit_ids: list[Code] | None = Field(None, max_length=100_000,
                                        description="Units (default: every open unit still without a first deposit)")
    reference: Reference = ""


class TargetIn(Model):
    kind: Word = Field(description="unit, building, or fund (all units, by floor area)")
    code: Annotated[str, Strict(), StringConstraints(max_length=64)] = ""


class LandQuotaIn(Model):
    trade_amount: AmountIn = Field(description="指标交易金额 Amount of the land-quota trade")
    retained_percent: PercentIn = Field(description="留存比例（%）Share retained for the fund")
    trade_reference: Text


class BallotIn(Model):
    owner: Annotated[str, Strict(), StringConstraints(min_length=1, max_length=64)] = Field(
        description="业主（'developer' 为开发建设单位）Owner id; 'developer' for the developer's units")
    answer: Word = Field(description="for, against, abstain, absent")


class ContributionIn(Model):
    received_on: StrictDate
    source: Word = Field(description="land_quota, fiscal, donation, support_project, community_public_income, "
                                     "resident_instalment")
    target: TargetIn
    amount: AmountIn | None = None
    land_quota: LandQuotaIn | None = None
    collective_book: Code | None = Field(None, description="集体账套 The collective's book (community public income)")
    collective_debit_role: Word = Field("public_welfare_expense",
                                        description="public_welfare_expense (514) or payable (211)")
    ballots: list[BallotIn] | None = Field(None, max_length=MAX_BALLOTS_PER_REQUEST,
                                           description="续筹方案表决 A raising plan's vote (pooled instalments)")
    reference: Reference = ""


class InterestIn(Model):
    period_from: StrictDate
    period_to: StrictDate
    total: AmountIn = Field(description="本期增值收益 The period's interest and other value-added income")
    basis: Word | None = Field(None, description="period_end or daily_product (default: the fund's)")
    reference: Reference = ""


class ScopeIn(Model):
    kind: Word = Field(description="area（整个物业管理区域）, building（幢）, stairwell（单元）")
    building: Place = ""
    stairwell: Place = ""


class WorksIn(Model):
    works_code: Code
    title: Text
    common_parts: Text = Field(description="共用部位、共用设施设备 The common parts repaired")
    nature: Word = Field("repair", description="repair, renewal, retrofit (others are excluded uses)")
    matter: Word = Field("use", description="use (> 1/2), rebuild or change_of_use (≥ 3/4)")
    scope: ScopeIn
    contractor: Code
    estimated_cost: AmountIn
    proposed_on: StrictDate


class VoteIn(Model):
    held_on: StrictDate
    ballots: list[BallotIn] = Field(min_length=1, max_length=MAX_BALLOTS_PER_REQUEST)


class UseIn(Model):
    used_on: StrictDate
    approved_cost: AmountIn


class PaymentIn(Model):
    paid_on: StrictDate
    amount: AmountIn


class EmergencyIn(Model):
    works_code: Code
    title: Text
    common_parts: Text
    emergency_type: Word = Field(description="lift_failure, roof_leak, outer_wall_leak, fire_system_failure, "
                                             "falling_facade, burst_water_main, burst_drain_main")
    authorised_by: Text = Field(description="批准机关 The authorising body")
    scope: ScopeIn
    contractor: Code
    cost: AmountIn
    used_on: StrictDate


class TransferIn(Model):
    transferred_on: StrictDate
    new_owner: OwnerIn
    reference: Reference = ""


class DemolitionIn(Model):
    demolished_on: StrictDate
    reference: Reference = ""


class ReceivablePaymentIn(Model):
    received_on: StrictDate
    amount: AmountIn


# --- responses ---------------------------------------------------------------------------------
class FundReportOut(ReportOut):
    """Base of a report on one fund (its statement, its units to replenish)."""

    fund_code: str


class FundOut(Out):
    fund_code: str
    name: str
    community_id: str
    township_id: str
    area_kind: str
    building: str
    opened_on: str
    interest_basis: str
    deposit_standards: list[dict[str, str]]


class FundDetailOut(FundOut):
    as_of: str
    open_units: int
    floor_area_m2: Area
    balance: Money
    receivable: Money


class FundListOut(Out):
    funds: list[FundOut]


class OwnerOut(Model):
    owner_id: str
    kind: str
    name: str


class UnitOut(Model):
    unit_id: str
    kind: str
    floor_area_m2: Area
    building: str
    stairwell: str
    room: str
    owner: OwnerOut
    household_id: str
    shop_front: str
    registered_on: str
    first_deposit: Money | None
    closed_on: str | None
    balance: Money
    receivable: Money
    replenishment_line: Money | None
    needs_replenishment: bool
    amount_to_restore: Money


class UnitsOut(Out):
    fund_code: str
    registered: int
    units: list[dict[str, Any]]


class UnitListOut(Out):
    fund_code: str
    as_of: str
    units: list[UnitOut]
    next_cursor: str | None


class VoterOut(Model):
    owner: str
    kind: str
    names: list[str]
    unit_ids: list[str]
    floor_area_m2: Area
    balance: Money


class OwnerListOut(Out):
    fund_code: str
    as_of: str
    owners_total: int
    owners: list[VoterOut]


class LineOut(Model):
    unit_id: str
    amount: Money


class MoneyInOut(Out):
    fund_code: str
    kind: str
    on_date: str
    source: str
    amount: Money
    amount_uppercase: str
    lines: list[LineOut]
    voucher_numbers: list[str]
    details: dict[str, Any]


class MoneyInListOut(Out):
    fund_code: str
    as_of: str
    items: list[dict[str, Any]]
    next_cursor: str | None


class TallyOut(Model):
    matter: str
    total_area: Area
    total_owners: int
    participating_area: Area
    participating_owners: int
    for_area: Area
    for_owners: int
    against_area: Area
    against_owners: int
    abstain_area: Area
    abstain_owners: int
    absent_area: Area
    absent_owners: int
    participation_met: bool
    approval_met: bool
    passed: bool
    thresholds: dict[str, str]
    ballots: list[list[str]]


class VoteOut(Out):
    fund_code: str
    works_code: str
    held_on: str
    tally: TallyOut


class VoteListOut(Out):
    fund_code: str
    works_code: str
    votes: list[dict[str, Any]]


class WorksOut(Out):
    fund_code: str
    works_code: str
    title: str
    common_parts: str
    nature: str
    matter: str
    scope: dict[str, str]
    affected_units: int
    contractor: str
    estimated_cost: Money
    proposed_on: str
    emergency_type: str
    authorised_by: str
    status: str
    used_on: str | None
    approved_cost: Money
    from_balances: Money
    receivables: Money
    paid: Money
    voucher_numbers: list[str]
    votes: int
    payments: list[dict[str, Any]] = []


class WorksListOut(Out):
    fund_code: str
    works: list[WorksOut]
    next_cursor: str | None


class ChargeLineOut(Model):
    unit_id: str
    share: Money
    from_balance: Money
    receivable: Money


class UseOut(Out):
    fund_code: str
    works_code: str
    used_on: str
    approved_cost: Money
    approved_cost_uppercase: str
    from_balances: Money
    receivables: Money
    lines: list[ChargeLineOut]
    voucher_numbers: list[str]
    emergency_type: str = ""
    authorised_by: str = ""


class VoucherRefOut(Out):
    fund_code: str
    voucher_number: str
    amount: Money
    on_date: str


class TransferOut(Out):
    fund_code: str
    unit_id: str
    transferred_on: str
    new_owner: OwnerOut
    balance: Money


class DemolitionOut(Out):
    fund_code: str
    unit_id: str
    demolished_on: str
    refunded: Money
    voucher_number: str


class FiguresOut(Model):
    opening: Money
    deposits: Money
    deposits_by_source: list[dict[str, str]]
    value_added_income: Money
    uses: Money
    uses_by_works: list[dict[str, str]]
    refunds: Money
    closing: Money
    closing_uppercase: str
    receivable_opening: Money
    receivable_charged: Money
    receivable_paid: Money
    receivable_closing: Money


class UnitStatementOut(FundReportOut):
    unit: UnitOut
    year: int
    period_start: str
    period_end: str
    figures: FiguresOut
    owners: list[dict[str, str]]


class FundStatementOut(FundReportOut):
    year: int
    period_start: str
    period_end: str
    figures: FiguresOut
    open_units: int
    floor_area_m2: Area
    book: dict[str, str]
    reconciles: bool


class ReplenishmentOut(FundReportOut):
    as_of: str
    units_flagged: int
    amount_to_restore_total: Money
    units: list[UnitOut]


class TownshipReplenishmentOut(Out):
    township_id: str
    as_of: str
    funds: list[dict[str, Any]]
