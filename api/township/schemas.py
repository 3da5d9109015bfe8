"""Response models of the township statements (乡镇汇总报表): per-community rows and a totals row.

Every statement is a list of ``communities`` (one entry per community's collective book) and one
``total`` entry of the same shape, so an export can render either as a table row. Amounts are
strings with two decimals (``Money``); labels are Chinese first, English alongside.
"""

from __future__ import annotations

from pydantic import Field

from api.collective.schemas import SheetLineOut, SheetTotalOut, StatementLineOut
from api.schemas import Money, Out, ReportOut, Row


class TownshipReportOut(ReportOut):
    """Base of a township statement: a report on the communities of one township."""

    township_id: str


class TownshipRowOut(Row):
    township_id: str
    communities: int = Field(description="社区数 Communities with a book")
    books: int = Field(description="账套数 Books")


class TownshipsOut(Out):
    townships: list[TownshipRowOut]


class BookRefOut(Row):
    book_code: str
    name: str
    entity_kind: str
    chart_name: str


class CommunityOut(Row):
    community_id: str
    name: str = Field(description="社区（首个账套名称）Community (its first book's name)")
    collective_books: list[BookRefOut]
    other_books: list[BookRefOut] = Field(description="其他账套（如维修资金）Other books (e.g. maintenance funds)")


class CommunitiesOut(TownshipReportOut):
    communities: list[CommunityOut]


class SheetColumnOut(Row):
    community_id: str | None = Field(description="社区；合计行为空 Community; empty on the totals entry")
    book_code: str | None
    book_name: str
    lines: list[SheetLineOut]
    totals: list[SheetTotalOut]
    balanced: bool


class TownshipBalanceSheetOut(TownshipReportOut):
    as_of: str
    opening_as_of: str
    communities: list[SheetColumnOut]
    total: SheetColumnOut


class IncomeColumnOut(Row):
    community_id: str | None
    book_code: str | None
    book_name: str
    lines: list[StatementLineOut]
    net_income_uppercase: str
    in_losses: bool = Field(description="净收益为负 Net income below zero")
    reconciles_with_balance_sheet: bool


class TownshipIncomeOut(TownshipReportOut):
    year: int
    period_start: str
    period_end: str
    as_of: str
    communities: list[IncomeColumnOut]
    total: IncomeColumnOut


class AgingOut(Row):
    not_due: Money = Field(description="未到期 Not yet due")
    days_1_30: Money = Field(description="1–30天 1–30 days overdue")
    days_31_90: Money = Field(description="31–90天")
    days_91_180: Money = Field(description="91–180天")
    over_180: Money = Field(description="180天以上 Over 180 days")


class OverviewRowOut(Row):
    community_id: str | None = Field(description="社区；合计行为空 Community; empty on the totals entry")
    name: str
    collective_books: list[str]
    dividends_declared: Money = Field(description="已宣告分红 Dividends declared (by as_of)")
    dividends_paid: Money = Field(description="已支付分红 Dividends paid")
    dividends_unpaid: Money = Field(description="未付分红 Dividends declared and unpaid")
    shop_fronts: int = Field(description="门面数 Shop-fronts")
    shop_fronts_leased: int = Field(description="在租门面 Shop-fronts leased on as_of")
    monthly_rent_in_force: Money = Field(description="月租金合计 Monthly rent in force (rent roll)")
    rent_open: Money = Field(description="未收租金 Open rent invoices (aging total)")
    rent_overdue: Money = Field(description="逾期租金 Open rent past due")
    arrears_aging: AgingOut
    tenants_in_arrears: int = Field(description="欠租租户 Tenants with rent overdue")
    claims_awaiting_approval: Money = Field(description="待审核补贴申领 Subsidy claims awaiting approval")
    claims_approved_unpaid: Money = Field(description="已核准未拨付 Approved and not yet received")
    claims_outstanding: Money = Field(description="未到账补贴申领 Claims outstanding (awaiting + approved unpaid)")
    claims_returned: Money = Field(description="已退回 Returned claims (not outstanding)")
    maintenance_funds: list[str]
    fund_units: int = Field(description="维修资金在册单元 Open units of its funds")
    fund_balance: Money = Field(description="维修资金余额 Funds' balance (Σ sub-ledgers)")
    fund_receivable: Money = Field(description="应收业主 Receivables from owners")
    units_to_replenish: int = Field(description="需续交单元 Units below 30 % of their first deposit")
    amount_to_restore: Money = Field(description="应续交金额 Amount to restore them")


class TownshipOverviewOut(TownshipReportOut):
    as_of: str
    communities: list[OverviewRowOut]
    total: OverviewRowOut
