"""Wire types of books, vouchers, periods and reports: requests and responses."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, Strict, StringConstraints

from api.schemas import AmountIn, BookReportOut, Code, EventOut, Model, Money, Out, Row, StrictDate, Text, row_model
from projections.ledger_reports import BookInfo, LedgerLine

MAX_LINES_PER_REQUEST = 1_000
MAX_VOUCHERS_PER_BATCH = 1_000


# --- requests ---------------------------------------------------------------------
class LineIn(Model):
    account_code: Annotated[str, Strict(), StringConstraints(pattern=r"^[0-9]{3}(\.[0-9]{2}){0,3}$")] = Field(
        description="科目编码 Account code, e.g. 501.01")
    debit: AmountIn | None = Field(None, description="借方金额 Debit amount in yuan, as a string")
    credit: AmountIn | None = Field(None, description="贷方金额 Credit amount in yuan, as a string")
    subledger: Annotated[str, Strict(), StringConstraints(max_length=90)] = Field(
        "", description="辅助核算 Sub-ledger key, e.g. member:M0001, tenant:T01, household:H1, unit:1-2-301")
    memo: Annotated[str, Strict(), StringConstraints(max_length=200)] = ""


class VoucherIn(Model):
    voucher_date: StrictDate = Field(description="凭证日期 Voucher date (China Standard Time), ISO 8601")
    summary: Text = Field(description="摘要 Summary")
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_LINES_PER_REQUEST, description="分录 Lines")
    attachments: Annotated[int, Strict(), Field(ge=0, le=999)] = Field(0, description="附件张数 Attachments")


class VoucherBatchIn(Model):
    vouchers: list[VoucherIn] = Field(min_length=1, max_length=MAX_VOUCHERS_PER_BATCH)


class BookIn(Model):
    book_code: Code = Field(description="账套编码 Book code (used in URLs)")
    name: Text = Field(description="账套名称 Book name")
    entity_kind: Annotated[str, Strict(), StringConstraints(pattern=r"^(collective|maintenance_fund)$")] = Field(
        "collective", description="核算主体 collective | maintenance_fund")
    community_id: Code = Field(description="社区 Community id")
    township_id: Code = Field(description="乡镇（街道） Township id")
    chart_name: Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")] | None = Field(
        None, description="科目表 Chart (default by entity kind)")
    starts_on: StrictDate = Field(description="启用日期 First day of the book")


class SubAccountIn(Model):
    code: Annotated[str, Strict(), StringConstraints(pattern=r"^[0-9]{3}(\.[0-9]{2}){1,3}$")]
    name_zh: Text
    name_en: Annotated[str, Strict(), StringConstraints(max_length=200)] = ""


class ReversalIn(Model):
    red_date: StrictDate = Field(description="红字凭证日期 Date of the red voucher (in an open period)")
    reason: Text = Field(description="冲销原因 Why the voucher is cancelled")
    correction: VoucherIn | None = Field(None, description="更正凭证 Optional correct (blue) voucher")


class PeriodActionIn(Model):
    reason: Text = Field("结账", description="原因 Reason")


# --- responses --------------------------------------------------------------------
class SubAccountOut(Row):
    code: str
    name_zh: str
    name_en: str


BookOut = row_model("BookOut", BookInfo, Out, module=__name__,
                    wire={"starts_on": (str, ...), "sub_accounts": (list[SubAccountOut], ...)})


class AccountOut(Row):
    code: str
    name_zh: str
    name_en: str
    account_class: str = Field(alias="class", serialization_alias="class")
    normal_balance: str
    postable: bool

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)


class ChartOut(Row):
    name: str
    title_zh: str
    title_en: str
    accounts: list[AccountOut]


class BookDetailOut(BookOut):
    chart: ChartOut
    closed_months: list[str]


class BookListOut(Out):
    books: list[BookOut]


class LineOut(Row):
    account_code: str
    subledger: str
    debit: Money
    credit: Money
    memo: str


class VoucherOut(Out):
    book_code: str
    number: str
    voucher_date: str
    summary: str
    attachments: int
    kind: str = Field(description="blue 蓝字 | red 红字")
    reverses: str | None
    reversed_by: str | None
    lines: list[LineOut]
    total: Money
    total_uppercase: str = Field(description="大写金额 Uppercase total (会计基础工作规范 Art. 52)")


class VoucherDetailOut(VoucherOut):
    source: str
    recorded_by: str
    recorded_at: str
    reason: str
    voucher_position: int


class ProblemOut(Row):
    type: str
    status: int
    detail: str


class BatchResultOut(Row):
    index: int
    status: int
    voucher: VoucherOut | None = None
    problem: ProblemOut | None = None


class BatchOut(Out):
    recorded: int
    rejected: int
    results: list[BatchResultOut]


class VoucherListItemOut(Row):
    number: str
    voucher_date: str
    summary: str
    total: Money
    reverses: str | None
    reversed_by: str | None
    recorded_by: str
    recorded_at: str


class VoucherListOut(Out):
    vouchers: list[VoucherListItemOut]
    next_cursor: str | None


class ReversalOut(Out):
    original: VoucherOut
    red: VoucherOut
    correction: VoucherOut | None


class PeriodOut(Out):
    book_code: str
    month: str
    closed: bool
    vouchers: int


class PeriodRowOut(Row):
    month: str
    closed: bool
    changed_at: str | None
    changed_by: str | None


class PeriodListOut(Out):
    periods: list[PeriodRowOut]


class FigureOut(Row):
    direction: str = Field(description="借 | 贷 | 平")
    debit: Money
    credit: Money


class TrialBalanceRowOut(Row):
    account_code: str
    name_zh: str
    name_en: str
    level: int
    account_class: str = Field(alias="class", serialization_alias="class")
    normal_balance: str
    opening: FigureOut
    period_debit: Money
    period_credit: Money
    closing: FigureOut
    balance: Money

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)


class TrialBalanceOut(BookReportOut):
    period_start: str
    as_of: str
    rows: list[TrialBalanceRowOut]
    totals: dict[str, str]
    balanced: bool


LedgerLineOut = row_model("LedgerLineOut", LedgerLine, Row, module=__name__, leave_out=("position",),
                          wire={"debit": (Money, ...), "credit": (Money, ...), "balance": (FigureOut, ...)})


class DetailLedgerOut(BookReportOut):
    account_code: str
    name_zh: str
    name_en: str
    subledger: str | None
    period_start: str
    as_of: str
    opening: FigureOut
    lines: list[LedgerLineOut]
    period_debit: Money
    period_credit: Money
    closing: FigureOut
    next_cursor: str | None


class BookHistoryOut(Out):
    book_code: str
    events: list[EventOut]
    next_cursor: int | None


# --- opening balances (期初余额) --------------------------------------------------------
MAX_OPENING_LINES = 20_000


class OpeningBalancesIn(Model):
    lines: list[LineIn] = Field(min_length=2, max_length=MAX_OPENING_LINES,
                                description="期初余额行 One line per leaf account and sub-ledger: debit or credit")
    reason: Text = Field("录入期初余额", description="原因 Reason (e.g. 建账 or a correction before the first close)")


class OpeningBalancesOut(Out):
    title_zh: str = "期初余额"
    title_en: str = "Opening balances"
    book_code: str
    opening_date: str = Field(description="期初日期 The day before the book's first day")
    lines: list[LineOut]
    total_debit: str
    total_credit: str
    total_uppercase: str
    balanced: bool
    locked: bool = Field(description="已锁定 True once the book's first month has been closed")
    changed: bool | None = Field(None, description="本次是否记录 Whether this request recorded anything (writes)")
