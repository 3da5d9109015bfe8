"""Wire types of collective-economy organisations: requests (``…In``) and responses (``…Out``).

Amounts out are strings with exactly two decimals (``Money``); share units are
decimal strings with at most four places.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, Strict, StringConstraints

from api.books import schemas as books
from api.schemas import AmountIn, BookReportOut, Code, Model, Money, Out, Row, StrictDate, Text, row_model
from domain.collective.distribution import BANK, CASH
from domain.collective.membership import MembershipEndReason
from domain.collective.project import PAYOUT_COST_ACCOUNT
from domain.collective.resolution import AssemblyResolution
from domain.collective.year_end import YEAR_MAX, YEAR_MIN
from projections.collective import OrganisationInfo

MAX_MEMBERS_PER_REQUEST = 5_000
MAX_HOLDINGS_PER_REQUEST = 100_000

WireId = Annotated[str, Strict(), StringConstraints(pattern=r"^[A-Za-z0-9_.\-]{1,40}$")]
Units = Annotated[str, Strict(), StringConstraints(pattern=r"^\d{1,10}(\.\d{1,4})?$")]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
UnitsOut = Annotated[str, Field(description="份额 Share units, a decimal string (≤ 4 places)")]


# --- requests ------------------------------------------------------------------------
class ResolutionIn(Model):
    resolved_on: StrictDate = Field(description="决议日期 Date of the members' assembly")
    reference: Text = Field(description="决议文号 Reference of the resolution")
    members_total: Annotated[int, Strict()] = Field(description="成员总数 All members")
    members_with_full_capacity: Annotated[int, Strict()] | None = Field(
        None, description="完全民事行为能力成员数 Members with full civil capacity (default: all)")
    present: Annotated[int, Strict()] = Field(description="出席人数 Members present (quorum ≥ 2/3)")
    in_favour: Annotated[int, Strict()] = Field(description="赞成票 Votes in favour (≥ 2/3 of all members)")

    def to_domain(self) -> AssemblyResolution:
        return AssemblyResolution.recorded(resolved_on=self.resolved_on, reference=self.reference,
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
    account_code: Annotated[str, Strict(), StringConstraints(pattern=rf"^({CASH}|{BANK})$")] = Field(
        BANK, description=f"付款科目 {CASH} 库存现金 | {BANK} 银行存款")
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
    debit_account: Annotated[str, Strict(), StringConstraints(pattern=r"^5\d{2}(\.\d{2}){0,2}$")] = Field(
        PAYOUT_COST_ACCOUNT, description="成本费用科目 The cost account charged (default 经营支出)")


# --- responses -----------------------------------------------------------------------


OrganisationOut = row_model("OrganisationOut", OrganisationInfo, Out, module=__name__, wire={
    "reserve_rate_percent": (str, Field(description="公积公益金提取比例（%） Reserve rate, percent"))})


class OrganisationRowOut(OrganisationOut):
    pass


class OrganisationListOut(Out):
    organisations: list[OrganisationRowOut]
    as_of: str


class ClosedYearOut(Row):
    year: int
    net_income: Money
    voucher_numbers: list[str]


class DistributionSummaryOut(Row):
    year: int
    attempt: int
    record_date: str
    voucher_date: str
    reversed_on: str | None
    declared: str


class OrganisationDetailOut(OrganisationOut):
    as_of: str
    closed_years: list[ClosedYearOut]
    distributions: list[DistributionSummaryOut]


class ResolutionOut(Row):
    purpose: str
    reference: str
    resolved_on: str
    members_total: int
    members_with_full_capacity: int
    present: int
    in_favour: int
    recorded_at_position: int


class ResolutionListOut(Out):
    resolutions: list[ResolutionOut]
    as_of: str


class ConfirmedOut(Row):
    member_id: str
    identity_masked: str = Field(description="身份证号（仅后四位）Identity number, masked")


class ConfirmationOut(Out):
    book_code: str
    confirmed: int
    resolution_reference: str
    members: list[ConfirmedOut]


class MemberFields(BaseModel):
    """The fields of a member on the wire, in a member's answer and in a row of the register."""

    member_id: str
    name: str
    household_id: str
    identity_masked: str
    confirmed_on: str
    confirmation_reference: str
    status: str
    ended_on: str | None
    end_reason: str | None


class MemberOut(MemberFields, Out):
    status: str = Field(description="current | ended")


class MemberRowOut(MemberFields, Row):
    pass


class MemberRegisterOut(BookReportOut):
    as_of: str
    members_confirmed: int
    members_current: int
    households: int
    members: list[MemberRowOut]
    next_cursor: str | None


class DividendRowOut(Row):
    year: int
    member_id: str
    name: str | None
    units: UnitsOut
    declared: Money
    paid: Money
    outstanding: Money


class MemberDetailOut(MemberOut):
    units: UnitsOut
    dividends: list[DividendRowOut]
    as_of: str


class SharesOut(Out):
    book_code: str
    holders: int
    member_units: UnitsOut
    collective_units: UnitsOut
    quantified_on: str | None


class HolderOut(Row):
    member_id: str
    name: str | None
    household_id: str | None
    units: UnitsOut


class ShareRegisterOut(BookReportOut):
    as_of: str
    member_units: UnitsOut
    collective_units: UnitsOut
    units_total: UnitsOut
    holders: list[HolderOut]
    next_cursor: str | None


class YearCloseOut(Out):
    book_code: str
    year: int
    net_income: Money
    net_income_uppercase: str
    voucher_numbers: list[str]


class VoucherBriefOut(Row):
    number: str
    voucher_date: str
    summary: str
    lines: int
    total: Money
    total_uppercase: str


class FigureOut(Row):
    amount: str = Field(description="金额（元）Amount in yuan")
    name_zh: str
    name_en: str


class FiguresOut(Row):
    """The distribution's figures (DOMAIN.md §3), each amount labelled; rate, units and method as given."""

    net_income: FigureOut
    opening_undistributed: FigureOut
    distributable_income: FigureOut
    loss_covered: FigureOut
    withdrawal_base: FigureOut
    reserve_rate_percent: str
    reserve_withdrawal: FigureOut
    distributable_to_members: FigureOut
    declared: FigureOut
    collective_units: str
    collective_share_amount: FigureOut
    undistributed_after: FigureOut
    allocation_method: str


class DistributionAttemptOut(Row):
    year: int
    attempt: int
    record_date: str
    voucher_date: str
    resolution_reference: str
    figures: FiguresOut
    voucher_numbers: list[str]
    members: int
    reversed_on: str | None
    red_numbers: list[str]


class DistributionOut(DistributionAttemptOut, Out):
    """An attempt as adopted or reversed, with its book and the vouchers it posted."""

    book_code: str
    vouchers: list[VoucherBriefOut]


class DistributionStatusOut(Out):
    book_code: str
    year: int
    as_of: str
    in_force: DistributionAttemptOut | None
    attempts: list[DistributionAttemptOut]


class PaymentsOut(Out):
    book_code: str
    year: int
    paid: int
    voucher: VoucherBriefOut


class DividendYearOut(Row):
    year: int
    members: int
    declared: Money
    paid: Money
    outstanding: Money
    outstanding_uppercase: str


class DividendRegisterOut(BookReportOut):
    as_of: str
    rows: list[DividendRowOut]
    years: list[DividendYearOut]
    next_cursor: str | None


class ProjectOut(Out):
    book_code: str
    project_code: str
    name: str
    method: str
    amount_per_unit: Money
    households: int
    units: int


class CycleOut(Out):
    book_code: str
    project_code: str
    cycle: int
    voucher: VoucherBriefOut


class ParticipantOut(Row):
    household_id: str
    units: int


class PayoutOut(Row):
    household_id: str
    units: int
    amount: str


class ProjectCycleOut(Row):
    cycle: int
    paid_on: str
    total: Money
    method: str
    voucher_number: str
    payouts: list[PayoutOut]


class ProjectRowOut(Row):
    project_code: str
    name: str
    method: str
    amount_per_unit: Money
    started_on: str
    participants: list[ParticipantOut]
    cycles: list[ProjectCycleOut]


class ProjectListOut(Out):
    book_code: str
    projects: list[ProjectRowOut]
    as_of: str


class SheetLineOut(Row):
    key: str
    name_zh: str
    name_en: str
    side: str
    group_zh: str | None = None  # absent on the 其他资产 / 其他负债 lines
    group_en: str | None = None
    accounts: list[str]
    closing: Money
    opening: Money


class SheetTotalOut(Row):
    key: str
    name_zh: str
    name_en: str
    closing: Money
    opening: Money
    closing_uppercase: str


class BalanceSheetOut(BookReportOut):
    as_of: str
    opening_as_of: str
    lines: list[SheetLineOut]
    totals: list[SheetTotalOut]
    balanced: bool


class StatementLineOut(Row):
    key: str
    name_zh: str
    name_en: str
    amount: Money


class IncomeStatementOut(BookReportOut):
    year: int
    period_start: str
    period_end: str
    as_of: str
    lines: list[StatementLineOut]
    net_income_uppercase: str
    closing_undistributed_uppercase: str
    reconciles_with_balance_sheet: bool


#: A balance with its direction (借 | 贷 | 平): the books' figure, one model for both.
BalanceOut = books.FigureOut


class TrialBalanceRowOut(Row):
    account_code: str
    name_zh: str
    name_en: str
    opening: BalanceOut
    period_debit: Money
    period_credit: Money
    closing: BalanceOut


class TrialBalanceOut(books.TrialBalanceOut):
    """The books' trial balance, with the collective's rows (no account class or level) and money totals."""

    rows: list[TrialBalanceRowOut]
    totals: dict[str, Money]


class JournalLineOut(Row):
    voucher_date: str
    number: str
    account_code: str
    subledger: str
    summary: str
    debit: Money
    credit: Money
    balance: BalanceOut


class JournalOut(books.DetailLedgerOut):
    """A cash or bank journal: the books' detail ledger of that account, with the journal's lines."""

    lines: list[JournalLineOut]
