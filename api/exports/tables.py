"""Which read endpoints export as files, and how: one declaration per route path template.

A declaration names the route (exactly as FastAPI spells its path), the title (Chinese and
English), where the rows sit in the JSON response, the columns (a dotted key into a row, the
Chinese and English header, the kind of value) and where each total comes from: the
response's own figure (``total="totals.period_debit"``) wherever the endpoint states one —
so a file's totals are the JSON's, never a second computation — or ``SUM`` of the rows when
it states none. ``uppercase`` names the statement totals printed in 大写.

A route without a declaration answers JSON only; asked for a file it is a 406 naming the
rule (``not-exportable``). Adding an endpoint to the exports is adding a declaration here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

AMOUNT, DATE, TEXT, NUMBER = "amount", "date", "text", "number"
SUM = "=sum"  # the total of a column is the sum of its rows (no figure in the response)

Payload = dict[str, Any]


@dataclass(frozen=True)
class Column:
    key: str  # dotted path inside a row: "opening.debit"
    zh: str
    en: str = ""
    kind: str = TEXT
    total: str | None = None  # SUM, or a dotted path into the response: "totals.period_debit"

    def __post_init__(self) -> None:
        assert self.kind in (AMOUNT, DATE, TEXT, NUMBER), self.kind


Rows = str | Callable[[Payload], list[dict[str, Any]]]
Columns = tuple[Column, ...] | Callable[[Payload], tuple[Column, ...]]
#: (label, where): where is a dotted path into the response or a function of it; or one function → pairs.
Figures = tuple[tuple[str, Any], ...] | Callable[[Payload], list[tuple[str, Any]]]


@dataclass(frozen=True)
class Export:
    path: str  # the route's path template, e.g. "/books/{book_code}/trial-balance"
    title_zh: str
    title_en: str
    rows: Rows  # dotted path of the list of rows in the response, or a function of it
    columns: Columns
    uppercase: Figures = ()  # (label, path of an amount): printed as 大写 statement totals
    figures: Figures = ()  # (label, path): single figures printed under the table (opening balance, …)
    vouchers: bool = False  # the PDF is 记账凭证, one voucher per page


def value_at(data: Any, path: str) -> Any:
    """``value_at({"a": {"b": 1}}, "a.b") == 1``; a missing step is None."""
    for step in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(step)
    return data


def _balance(prefix: str, zh: str) -> tuple[Column, ...]:
    """A balance figure ({direction, debit, credit}) as 借/贷 direction plus its amount."""
    return (Column(f"{prefix}.direction", f"{zh}方向", "dir"),
            Column(f"{prefix}.amount", f"{zh}余额", "balance", AMOUNT))


def _rows_rewritten(rows_path: str, fields: tuple[str, ...],
                    rewrite: Callable[[Any], Any]) -> Callable[[Payload], list[dict[str, Any]]]:
    """The rows at ``rows_path``, each a copy whose ``fields`` are rewritten (the JSON value in, the cell's out)."""

    def rows(payload: Payload) -> list[dict[str, Any]]:
        return [{**row, **{name: rewrite(row.get(name)) for name in fields}}
                for row in value_at(payload, rows_path) or []]

    return rows


def _side_amount(figure: dict[str, Any]) -> Any:
    """A balance figure's amount: the side it stands on (credit where 贷, else debit)."""
    return figure.get("credit") if figure.get("direction") == "贷" else figure.get("debit")


def _with_balance_amounts(rows_path: str, *figures: str) -> Callable[[Payload], list[dict[str, Any]]]:
    """Rows whose balance figures gain an ``amount`` (``_side_amount``)."""
    return _rows_rewritten(rows_path, figures, lambda figure: {**(figure or {}), "amount": _side_amount(figure or {})})


def _side(path: str) -> Callable[[Payload], Any]:
    return lambda payload: _side_amount(value_at(payload, path) or {})


TRIAL_BALANCE_COLUMNS = (
    Column("account_code", "科目编码", "code"),
    Column("name_zh", "科目名称", "account"),
    Column("opening.debit", "期初借方", "opening debit", AMOUNT, "totals.opening_debit"),
    Column("opening.credit", "期初贷方", "opening credit", AMOUNT, "totals.opening_credit"),
    Column("period_debit", "本期借方", "period debit", AMOUNT, "totals.period_debit"),
    Column("period_credit", "本期贷方", "period credit", AMOUNT, "totals.period_credit"),
    Column("closing.debit", "期末借方", "closing debit", AMOUNT, "totals.closing_debit"),
    Column("closing.credit", "期末贷方", "closing credit", AMOUNT, "totals.closing_credit"),
)
TRIAL_BALANCE_UPPERCASE = (("期末借方合计 Closing debits", "totals.closing_debit"),
                           ("期末贷方合计 Closing credits", "totals.closing_credit"))

JOURNAL_COLUMNS = (
    Column("voucher_date", "日期", "date", DATE),
    Column("number", "凭证号", "voucher"),
    Column("summary", "摘要", "summary"),
    Column("subledger", "明细", "sub-ledger"),
    Column("debit", "借方", "debit", AMOUNT, "period_debit"),
    Column("credit", "贷方", "credit", AMOUNT, "period_credit"),
    *_balance("balance", ""),
)


def _journal(path: str, zh: str, en: str) -> Export:
    return Export(path, zh, en, _with_balance_amounts("lines", "balance"), JOURNAL_COLUMNS,
                  uppercase=(("期末余额 Closing balance", _side("closing")),),
                  figures=lambda p: [("账户 Account", f"{p.get('account_code')} {p.get('name_zh')}"),
                                     ("期初余额 Opening balance", _figure_text(p.get("opening"))),
                                     ("期末余额 Closing balance", _figure_text(p.get("closing")))])


def _figure_text(figure: Any) -> str:
    if not isinstance(figure, dict):
        return ""
    amount = figure.get("credit") if figure.get("direction") == "贷" else figure.get("debit")
    return f"{figure.get('direction', '')} {amount}"


def _line_amount(key: str) -> Callable[[Payload], Any]:
    def amount(payload: Payload) -> Any:
        for line in payload.get("lines") or []:
            if line.get("key") == key:
                return line.get("amount")
        return None
    return amount


FUND_FIGURES = (
    ("opening", "期初余额", "opening"), ("deposits", "本期交存", "deposits"),
    ("value_added_income", "增值收益", "value-added income"), ("uses", "本期使用", "uses"),
    ("refunds", "本期退还", "refunds"), ("closing", "期末余额", "closing"),
    ("receivable_opening", "应收期初", "receivable, opening"),
    ("receivable_charged", "本期应收", "receivable, charged"),
    ("receivable_paid", "本期收回", "receivable, paid"),
    ("receivable_closing", "应收期末", "receivable, closing"),
)


def _fund_rows(payload: Payload) -> list[dict[str, Any]]:
    figures = payload.get("figures") or {}
    rows = []
    for key, zh, en in FUND_FIGURES:
        rows.append({"item": f"{zh} {en}", "amount": figures.get(key)})
        if key in ("deposits", "uses"):  # the breakdown under its total, as 其中 lines
            for part in figures.get(f"{key}_by_source" if key == "deposits" else "uses_by_works") or []:
                label = next((str(part[k]) for k in ("label_zh", "name_zh", "label", "title", "source", "works_code")
                              if isinstance(part, dict) and part.get(k)), "")
                rows.append({"item": f"　其中：{label}", "amount": part.get("amount") if isinstance(part, dict) else None})
    return rows


FUND_STATEMENT_COLUMNS = (Column("item", "项目", "item"), Column("amount", "金额", "amount", AMOUNT))

AGING_LABELS = {"not_due": "未到期", "1-30": "1–30天", "31-90": "31–90天", "91-180": "91–180天",
                "over_180": "180天以上"}


def _aging_columns(payload: Payload) -> tuple[Column, ...]:
    buckets = [b for b in payload.get("buckets") or [] if isinstance(b, str) and "." not in b]
    return (Column("tenant_code", "承租人编号", "tenant"), Column("name", "承租人", "name"),
            *(Column(f"buckets.{b}", AGING_LABELS.get(b, b), b, AMOUNT, f"totals.{b}") for b in buckets),
            Column("total", "合计", "total", AMOUNT, "total"))


def _join(rows_path: str, *list_keys: str) -> Callable[[Payload], list[dict[str, Any]]]:
    """Rows whose list-valued fields read as one text: ["2025-01", "2025-02"] → "2025-01、2025-02"."""
    return _rows_rewritten(rows_path, list_keys,
                           lambda value: "、".join(str(v) for v in value) if isinstance(value, list) else value)


CLAIM_COLUMNS = (
    Column("claim_code", "申领编号", "claim"), Column("book_code", "账套", "book"),
    Column("months", "所属月份", "months"), Column("status", "状态", "status"),
    Column("households", "户数", "households", NUMBER, SUM),
    Column("amount", "申领金额", "claimed", AMOUNT, "claimed"),
    Column("approved", "核准金额", "approved", AMOUNT, "approved"),
    Column("received", "已拨付", "received", AMOUNT, "received"),
    Column("outstanding", "未拨付", "outstanding", AMOUNT, "outstanding"),
    Column("submitted_on", "申报日期", "submitted", DATE), Column("approved_on", "核准日期", "approved on", DATE),
)
FORECAST_COLUMNS = (Column("month", "月份", "month"), Column("subsidy", "补贴预算", "subsidy", AMOUNT, "total"))
UNIT_COLUMNS = (
    Column("unit_id", "分户编号", "unit"), Column("building", "楼栋", "building"), Column("room", "房号", "room"),
    Column("owner.name", "业主", "owner"), Column("floor_area_m2", "建筑面积(m²)", "floor area m²", NUMBER, SUM),
    Column("balance", "账户余额", "balance", AMOUNT, SUM), Column("receivable", "应收未交", "receivable", AMOUNT, SUM),
    Column("replenishment_line", "续交线", "replenishment line", AMOUNT),
    Column("amount_to_restore", "应续交", "to restore", AMOUNT, SUM),
)
STATEMENT_LINE_COLUMNS = (
    Column("date", "日期", "date", DATE), Column("kind", "类型", "kind"), Column("reference", "摘要", "reference"),
    Column("charge", "应收", "charge", AMOUNT), Column("credit", "已收", "credit", AMOUNT),
    Column("balance", "余额", "balance", AMOUNT), Column("voucher_number", "凭证号", "voucher"),
)

ORG = "/collective/organisations/{book_code}"

EXPORTS: tuple[Export, ...] = (
    # --- books 账套 ---------------------------------------------------------------------------
    Export("/books/{book_code}/trial-balance", "科目余额表", "Trial balance", "rows", TRIAL_BALANCE_COLUMNS,
           TRIAL_BALANCE_UPPERCASE),
    Export("/books/{book_code}/accounts/{account_code}/ledger", "明细账", "Detail ledger",
           _with_balance_amounts("lines", "balance"), JOURNAL_COLUMNS,
           uppercase=(("期末余额 Closing balance", _side("closing")),),
           figures=lambda p: [("账户 Account", f"{p.get('account_code')} {p.get('name_zh')}"),
                              ("明细 Sub-ledger", p.get("subledger") or ""),
                              ("期初余额 Opening balance", _figure_text(p.get("opening"))),
                              ("期末余额 Closing balance", _figure_text(p.get("closing")))]),
    Export("/books/{book_code}/vouchers", "凭证列表", "Vouchers", "vouchers", (
        Column("number", "凭证号", "number"), Column("voucher_date", "日期", "date", DATE),
        Column("summary", "摘要", "summary"), Column("total", "金额", "total", AMOUNT, SUM),
        Column("reverses", "冲销凭证", "reverses"), Column("reversed_by", "被冲销于", "reversed by"),
        Column("recorded_by", "制单", "recorded by")), vouchers=True),
    Export("/books/{book_code}/vouchers/{number}", "记账凭证", "Voucher", "lines", (
        Column("account_code", "科目编码", "account"), Column("subledger", "明细", "sub-ledger"),
        Column("memo", "摘要", "memo"), Column("debit", "借方金额", "debit", AMOUNT, SUM),
        Column("credit", "贷方金额", "credit", AMOUNT, SUM)),
        uppercase=(("合计 Total", "total"),),
        figures=lambda p: [("凭证号 Number", p.get("number")), ("日期 Date", p.get("voucher_date")),
                           ("摘要 Summary", p.get("summary")), ("附件 Attachments", p.get("attachments"))],
        vouchers=True),
    # --- audit 审计: the trial balance as recorded by a past log position (the auditor's print) ------
    Export("/audit/books/{book_code}/trial-balance", "科目余额表（按当时记录）", "Trial balance as recorded",
           "recorded.rows", tuple(Column(c.key, c.zh, c.en, c.kind, c.total and f"recorded.{c.total}")
                                  for c in TRIAL_BALANCE_COLUMNS),
           uppercase=(("当时记录期末借方合计 Closing debits as recorded", "recorded.totals.closing_debit"),
                      ("更正后期末借方合计 Closing debits as corrected", "corrected.totals.closing_debit")),
           figures=(("按记录时点 As recorded at", "as_recorded_at"), ("当时日志位置 Recorded position",
                                                                 "recorded.position"),
                    ("当时摘要 SHA-256 as recorded", "recorded.sha256"),
                    ("更正后摘要 SHA-256 as corrected", "corrected.sha256"),
                    ("其间凭证数 Vouchers recorded since", lambda p: len(p.get("changes") or [])))),
    # --- collective 集体经济组织 ----------------------------------------------------------------
    Export(f"{ORG}/statements/balance-sheet", "资产负债表", "Balance sheet", "lines", (
        Column("side", "类别", "side"), Column("group_zh", "分组", "group"), Column("name_zh", "项目", "item"),
        Column("opening", "年初数", "opening", AMOUNT), Column("closing", "期末数", "closing", AMOUNT)),
        uppercase=lambda p: [(f"{t.get('name_zh')} {t.get('name_en')}", t.get("closing"))
                             for t in p.get("totals") or []],
        figures=lambda p: [(f"{t.get('name_zh')}（年初 / 期末）", f"{t.get('opening')} / {t.get('closing')}")
                           for t in p.get("totals") or []]),
    Export(f"{ORG}/statements/income", "收益及收益分配表", "Income and distribution statement", "lines", (
        Column("name_zh", "项目", "item"), Column("name_en", "Item", "item (English)"),
        Column("amount", "本年金额", "amount", AMOUNT)),
        uppercase=(("本年收益 Net income", _line_amount("net_income")),
                   ("年末未分配收益 Undistributed at year end", _line_amount("closing_undistributed")))),
    Export(f"{ORG}/statements/trial-balance", "科目余额表", "Trial balance", "rows", TRIAL_BALANCE_COLUMNS,
           TRIAL_BALANCE_UPPERCASE),
    _journal(f"{ORG}/statements/cash-journal", "现金日记账", "Cash journal"),
    _journal(f"{ORG}/statements/bank-journal", "银行存款日记账", "Bank journal"),
    _journal(f"{ORG}/statements/detail-ledger", "明细账", "Detail ledger"),
    Export(f"{ORG}/members", "成员名册", "Member register", "members", (
        Column("member_id", "成员编号", "member"), Column("name", "姓名", "name"),
        Column("household_id", "户号", "household"), Column("identity_masked", "身份证号（脱敏）", "identity"),
        Column("confirmed_on", "确认日期", "confirmed", DATE), Column("confirmation_reference", "确认依据", "reference"),
        Column("status", "状态", "status"), Column("ended_on", "终止日期", "ended", DATE),
        Column("end_reason", "终止原因", "end reason")),
        figures=(("确认成员 Members confirmed", "members_confirmed"), ("现有成员 Members current", "members_current"),
                 ("户数 Households", "households"))),
    Export(f"{ORG}/share-register", "份额登记簿", "Share register", "holders", (
        Column("member_id", "成员编号", "holder"), Column("name", "姓名", "name"),
        Column("household_id", "户号", "household"), Column("units", "份额", "units", NUMBER, "units_total")),
        figures=(("成员份额 Member units", "member_units"), ("集体份额 Collective units", "collective_units"),
                 ("份额合计 Units total", "units_total"))),
    Export(f"{ORG}/dividend-register", "股东分红登记簿", "Dividend register", "rows", (
        Column("year", "年度", "year", NUMBER), Column("member_id", "成员编号", "member"),
        Column("name", "姓名", "name"), Column("units", "份额", "units", NUMBER),
        Column("declared", "应分红", "declared", AMOUNT, SUM), Column("paid", "已发放", "paid", AMOUNT, SUM),
        Column("outstanding", "未发放", "outstanding", AMOUNT, SUM)),
        uppercase=lambda p: [(f"{y.get('year')} 年未发放 Outstanding", y.get("outstanding"))
                             for y in p.get("years") or []]),
    # --- leases 门面租赁 ------------------------------------------------------------------------
    Export("/books/{book_code}/shop-fronts", "门面登记簿", "Shop-front register", "shop_fronts", (
        Column("unit_number", "门面编号", "unit"), Column("location", "位置", "location"),
        Column("floor_area_m2", "面积(m²)", "floor area m²", NUMBER, SUM), Column("rights.owner", "所有权人", "owner"),
        Column("rights.operator", "经营权人", "operator"), Column("rights.manager", "管理权人", "manager"),
        Column("rights.collective_share_percent", "集体分成(%)", "collective share %", NUMBER))),
    Export("/books/{book_code}/tenants", "承租人名录", "Tenants", "tenants", (
        Column("tenant_code", "承租人编号", "tenant"), Column("name", "名称", "name"),
        Column("kind", "类型", "kind"), Column("contact", "联系方式", "contact"))),
    Export("/books/{book_code}/rent-roll", "租金清册", "Rent roll", "shop_fronts", (
        Column("unit_number", "门面编号", "unit"), Column("location", "位置", "location"),
        Column("floor_area_m2", "面积(m²)", "floor area m²", NUMBER, SUM), Column("tenant_name", "承租人", "tenant"),
        Column("lease_code", "合同编号", "lease"), Column("start_on", "起租日", "start", DATE),
        Column("end_on", "到期日", "end", DATE), Column("billing_frequency", "收租方式", "billing"),
        Column("monthly_rent", "月租金", "monthly rent", AMOUNT, "monthly_rent_total")),
        uppercase=(("月租金合计 Monthly rent total", "monthly_rent_total"),),
        figures=(("已出租 Leased", "leased"), ("空置 Vacant", "vacant"))),
    Export("/books/{book_code}/arrears-aging", "欠租账龄分析", "Arrears aging", "tenants", _aging_columns,
           uppercase=(("欠租合计 Arrears total", "total"),)),
    Export("/books/{book_code}/tenants/{tenant_code}/statement", "承租人对账单", "Tenant statement", "lines",
           (*STATEMENT_LINE_COLUMNS[:3],
            Column("charge", "应收", "charge", AMOUNT, "total_charges"),
            Column("credit", "已收", "credit", AMOUNT, "total_credits"), *STATEMENT_LINE_COLUMNS[5:]),
           uppercase=(("余额 Balance", "balance"),),
           figures=(("承租人 Tenant", "name"), ("编号 Code", "tenant_code"), ("余额性质 Balance is", "balance_kind"))),
    Export("/books/{book_code}/occupancy", "出租率与租金收入", "Occupancy and rent income", "months", (
        Column("month", "月份", "month"), Column("shop_fronts", "门面数", "shop-fronts", NUMBER),
        Column("occupied", "已出租", "occupied", NUMBER), Column("vacant", "空置", "vacant", NUMBER),
        Column("occupancy_percent", "出租率(%)", "occupancy %", NUMBER),
        Column("rent_invoiced", "开票租金", "invoiced", AMOUNT, SUM),
        Column("rent_recognised", "确认收入", "recognised", AMOUNT, SUM),
        Column("rent_to_collective", "归集体", "to the collective", AMOUNT, SUM))),
    # --- subsidies 物业服务费补贴 ---------------------------------------------------------------
    Export("/books/{book_code}/households", "住户登记簿", "Household register", "households", (
        Column("household_id", "户号", "household"), Column("building_code", "楼栋", "building"),
        Column("unit_number", "房号", "unit"), Column("floor_area_m2", "面积(m²)", "floor area m²", NUMBER, SUM),
        Column("moved_in_on", "入住日期", "moved in", DATE), Column("moved_out_on", "迁出日期", "moved out", DATE),
        Column("billing_from_month", "计费起月", "billed from"), Column("billed_through", "已计费至", "billed through"),
        Column("balance", "欠费余额", "balance", AMOUNT, SUM))),
    Export("/books/{book_code}/households/{household_id}/schedule", "补贴明细表", "Subsidy schedule", "lines", (
        Column("month", "月份", "month"), Column("days_in_month", "当月天数", "days", NUMBER),
        Column("occupied_days", "入住天数", "occupied days", NUMBER),
        Column("fee", "物业费", "fee", AMOUNT, "total_fee"), Column("subsidy", "政府补贴", "subsidy", AMOUNT, "total_subsidy"),
        Column("household_share", "住户承担", "household share", AMOUNT, "total_household_share"),
        Column("run_month", "计费批次", "run")),
        uppercase=(("补贴合计 Subsidy total", "total_subsidy"),),
        figures=(("户号 Household", "household_id"), ("房号 Unit", "unit_number"),
                 ("面积(m²) Floor area", "floor_area_m2"), ("入住日期 Moved in", "moved_in_on"))),
    Export("/books/{book_code}/households/{household_id}/bills", "住户对账单", "Household statement", "lines",
           (*STATEMENT_LINE_COLUMNS[:3], Column("charge", "应收", "charge", AMOUNT, "billed"),
            Column("credit", "已收", "credit", AMOUNT, "paid"), *STATEMENT_LINE_COLUMNS[5:]),
           uppercase=(("余额 Balance", "balance"),)),
    Export("/books/{book_code}/property-billing-runs", "计费记录", "Billing runs", "runs", (
        Column("month", "月份", "month"), Column("status", "状态", "status"),
        Column("households", "户数", "households", NUMBER, SUM),
        Column("household_months", "户月数", "household-months", NUMBER, SUM),
        Column("fee", "物业费", "fee", AMOUNT, SUM), Column("subsidy", "政府补贴", "subsidy", AMOUNT, SUM),
        Column("household_share", "住户承担", "household share", AMOUNT, SUM))),
    Export("/books/{book_code}/subsidy-claims", "补贴申领登记簿", "Claim register", _join("claims", "months"),
           CLAIM_COLUMNS, uppercase=(("未拨付合计 Outstanding", "outstanding"),)),
    Export("/townships/{township_id}/subsidy-claims", "乡镇补贴申领登记簿", "Township claim register",
           _join("claims", "months"), CLAIM_COLUMNS, uppercase=(("未拨付合计 Outstanding", "outstanding"),)),
    Export("/books/{book_code}/subsidy-claims/{claim_code}", "补贴申领明细", "Subsidy claim", "lines", (
        Column("household_id", "户号", "household"), Column("amount", "补贴金额", "amount", AMOUNT, SUM)),
        uppercase=(("申领金额 Claimed", "amount"),),
        figures=(("申领编号 Claim", "claim_code"), ("状态 Status", "status"), ("户数 Households", "households"),
                 ("申报日期 Submitted", "submitted_on"), ("核准金额 Approved", "approved"),
                 ("已拨付 Received", "received"))),
    Export("/books/{book_code}/property-fee-arrears", "物业费欠费", "Property-fee arrears", "households", (
        Column("household_id", "户号", "household"), Column("unit_number", "房号", "unit"),
        Column("owed", "欠费金额", "owed", AMOUNT, "total"), Column("oldest_open_run", "最早欠费批次", "oldest run"),
        Column("days_overdue", "逾期天数", "days overdue", NUMBER),
        Column("last_reminded_on", "最近催缴", "last reminded", DATE), Column("reminders", "催缴次数", "reminders", NUMBER)),
        uppercase=(("欠费合计 Arrears total", "total"),)),
    Export("/books/{book_code}/insurance-programmes", "安居险与就业险", "Insurance programmes", "per_household", (
        Column("household_id", "户号", "household"), Column("person_days", "人日", "person-days", NUMBER, SUM),
        Column("labourer_days", "劳动力人日", "labourer-days", NUMBER, SUM),
        Column("housing_insurance", "安居险", "housing insurance", AMOUNT, "housing_insurance"),
        Column("employment_insurance", "就业险", "employment insurance", AMOUNT, "employment_insurance")),
        uppercase=(("保费合计 Premiums total", "total"),)),
    Export("/books/{book_code}/subsidy-forecast", "社区补贴预算", "Community subsidy forecast", "months",
           FORECAST_COLUMNS, uppercase=(("预算合计 Forecast total", "total"),)),
    Export("/townships/{township_id}/subsidy-forecast", "乡镇补贴预算", "Township subsidy forecast", "months",
           FORECAST_COLUMNS, uppercase=(("预算合计 Forecast total", "total"),)),
    # --- maintenance funds 住宅专项维修资金 ------------------------------------------------------
    Export("/maintenance-funds/{fund_code}/units", "分户账户", "Units and balances", "units", UNIT_COLUMNS),
    Export("/maintenance-funds/{fund_code}/units/{unit_id}/statement", "住宅专项维修资金分户账", "Unit statement",
           _fund_rows, FUND_STATEMENT_COLUMNS, uppercase=(("期末余额 Closing balance", "figures.closing"),),
           figures=(("分户 Unit", "unit.unit_id"), ("房号 Room", "unit.room"), ("业主 Owner", "unit.owner.name"),
                    ("面积(m²) Floor area", "unit.floor_area_m2"))),
    Export("/maintenance-funds/{fund_code}/statement", "住宅专项维修资金年度账目", "Annual fund statement",
           _fund_rows, FUND_STATEMENT_COLUMNS, uppercase=(("期末余额 Closing balance", "figures.closing"),),
           figures=(("在册分户 Open units", "open_units"), ("面积(m²) Floor area", "floor_area_m2"),
                    ("银行存款 Bank", "book.bank"), ("与账簿相符 Reconciles", "reconciles"))),
    Export("/maintenance-funds/{fund_code}/replenishment", "续交名单", "Units needing replenishment", "units",
           (*UNIT_COLUMNS[:4], Column("balance", "账户余额", "balance", AMOUNT, SUM),
            Column("replenishment_line", "续交线", "replenishment line", AMOUNT),
            Column("amount_to_restore", "应续交", "to restore", AMOUNT, "amount_to_restore_total")),
           uppercase=(("应续交合计 To restore", "amount_to_restore_total"),)),
    Export("/maintenance-funds/{fund_code}/contributions", "资金来源登记", "Money in", _join("items", "voucher_numbers"), (
        Column("on_date", "日期", "date", DATE), Column("kind", "类型", "kind"), Column("source", "来源", "source"),
        Column("reference", "摘要", "reference"), Column("units", "户数", "units", NUMBER),
        Column("amount", "金额", "amount", AMOUNT, SUM), Column("voucher_numbers", "凭证号", "vouchers"))),
    Export("/townships/{township_id}/maintenance-fund-replenishment", "乡镇续交汇总", "Township replenishment",
           "funds", (Column("fund_code", "维修资金", "fund"), Column("name", "名称", "name"),
                     Column("community_id", "社区", "community"),
                     Column("units_flagged", "需续交户数", "units flagged", NUMBER, SUM),
                     Column("amount_to_restore", "应续交", "to restore", AMOUNT, SUM))),
)

# --- township 乡镇汇总报表 (api/township): one column per community, then the township's total ----------
def _community_header(column: dict[str, Any]) -> str:
    return f"{column.get('community_id') or ''} {column.get('book_name') or ''}".strip()


def _pivot_columns(value_zh: str, extra: tuple[Column, ...] = ()) -> Callable[[Payload], tuple[Column, ...]]:
    def columns(payload: Payload) -> tuple[Column, ...]:
        per_community = tuple(Column(f"c{i}", _community_header(c), str(c.get("book_code") or ""), AMOUNT)
                              for i, c in enumerate(payload.get("communities") or []))
        return (Column("name_zh", "项目", "item"), *per_community,
                Column("total", f"乡镇合计{value_zh}", "township total", AMOUNT), *extra)
    return columns


def _pivot_rows(value: str, total_extra: tuple[tuple[str, str], ...] = ()) -> Callable[[Payload], list[dict[str, Any]]]:
    """Statement lines down, communities across: row ``key`` holds each community's ``value``."""

    def rows(payload: Payload) -> list[dict[str, Any]]:
        communities = payload.get("communities") or []
        total = payload.get("total") or {}
        result = []
        for group, line in _in_statement_order(total.get("lines") or [], total.get("totals") or []):
            row: dict[str, Any] = {"name_zh": line.get("name_zh"), "total": line.get(value)}
            for i, column in enumerate(communities):
                found = next((x for x in column.get(group) or [] if x.get("key") == line.get("key")), {})
                row[f"c{i}"] = found.get(value)
            for key, field_name in total_extra:
                row[key] = line.get(field_name)
            result.append(row)
        return result

    return rows


#: Where a balance sheet's subtotals stand (资产负债表 as printed: each group's 合计 under its lines,
#: 资产总计 under the assets, 负债合计 under the liabilities, 负债和所有者权益总计 last).
GROUP_TOTALS = {"流动资产": "current_assets", "非流动资产": "non_current_assets", "流动负债": "current_liabilities",
                "非流动负债": "non_current_liabilities", "所有者权益": "equity"}
SIDE_TOTALS = {"assets": "assets", "liabilities": "liabilities"}
SIDES = ("assets", "liabilities", "equity")


def _in_statement_order(lines: list[dict[str, Any]], totals: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Lines with their subtotals in place (a statement without groups keeps its order; totals
    that have no place follow at the end)."""
    if not any(line.get("group_zh") for line in lines):
        return [("lines", line) for line in lines] + [("totals", t) for t in totals]
    by_key = {t.get("key"): t for t in totals}
    placed: list[tuple[str, dict[str, Any]]] = []

    def put(key: str | None) -> None:
        if key in by_key:
            placed.append(("totals", by_key.pop(key)))

    def side_rank(line: dict[str, Any]) -> tuple[int, int]:
        side = line.get("side")
        return (SIDES.index(side) if side in SIDES else len(SIDES), 0 if line.get("group_zh") else 1)

    ordered = sorted(lines, key=side_rank)  # stable: the statement's own order within a side
    for index, line in enumerate(ordered):
        placed.append(("lines", line))
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        group, side = line.get("group_zh"), line.get("side")
        next_group = following.get("group_zh") if following else None
        next_side = following.get("side") if following else None
        if group and next_group != group and not (next_side == side and not next_group):
            put(GROUP_TOTALS.get(group))
        if next_side != side:
            if not group:
                put(GROUP_TOTALS.get(ordered[index - 1].get("group_zh")) if index else None)
            put(SIDE_TOTALS.get(side))
    put("liabilities_and_equity")
    return placed + [("totals", t) for t in by_key.values()]


OVERVIEW_FIELDS = (
    ("dividends_unpaid", "未付分红"), ("monthly_rent_in_force", "月租金"), ("rent_open", "未收租金"),
    ("rent_overdue", "逾期租金"), ("arrears_aging.days_1_30", "欠租1–30天"), ("arrears_aging.days_31_90", "欠租31–90天"),
    ("arrears_aging.days_91_180", "欠租91–180天"), ("arrears_aging.over_180", "欠租180天以上"),
    ("claims_outstanding", "补贴未到账"), ("fund_balance", "维修资金余额"), ("amount_to_restore", "应续交金额"),
)

TOWNSHIP_EXPORTS: tuple[Export, ...] = (
    Export("/townships/{township_id}/statements/balance-sheet", "乡镇汇总资产负债表", "Township consolidated balance sheet",
           _pivot_rows("closing", (("opening_total", "opening"),)),
           _pivot_columns("（期末）", (Column("opening_total", "乡镇合计（年初）", "township total, opening", AMOUNT),)),
           uppercase=lambda p: [(f"乡镇{t.get('name_zh')} {t.get('name_en')}", t.get("closing"))
                                for t in (p.get("total") or {}).get("totals") or []],
           figures=lambda p: [("社区数 Communities", len(p.get("communities") or [])),
                              ("年初日 Opening as of", p.get("opening_as_of"))]),
    Export("/townships/{township_id}/statements/income", "乡镇汇总收益及收益分配表",
           "Township consolidated income and distribution statement", _pivot_rows("amount"), _pivot_columns(""),
           uppercase=lambda p: [("乡镇本年收益 Township net income",
                                 next((x.get("amount") for x in (p.get("total") or {}).get("lines") or []
                                       if x.get("key") == "net_income"), None))],
           figures=lambda p: [("亏损社区 Communities in losses",
                               "、".join(str(c.get("community_id")) for c in p.get("communities") or []
                                        if c.get("in_losses")) or "无 none")]),
    Export("/townships/{township_id}/overview", "乡镇汇总概览", "Township overview", "communities", (
        Column("community_id", "社区", "community"), Column("name", "名称", "name"),
        *(Column(key, zh, key, AMOUNT, f"total.{key}") for key, zh in OVERVIEW_FIELDS),
        Column("units_to_replenish", "需续交单元", "units to replenish", NUMBER, "total.units_to_replenish")),
        uppercase=(("乡镇未付分红 Dividends unpaid", "total.dividends_unpaid"),
                   ("乡镇欠租 Rent open", "total.rent_open"),
                   ("乡镇补贴未到账 Claims outstanding", "total.claims_outstanding"))),
    Export("/townships/{township_id}/communities", "乡镇所辖社区", "Communities of a township",
           lambda p: [{**c, "books": "、".join(b.get("book_code", "") for b in
                                              (c.get("collective_books") or []) + (c.get("other_books") or []))}
                      for c in p.get("communities") or []],
           (Column("community_id", "社区", "community"), Column("name", "名称", "name"),
            Column("books", "账套", "books"))),
)


#: Route path template → its declaration (the township's statements join by adding theirs here).
BY_PATH: dict[str, Export] = {}


def register(*exports: Export) -> None:
    for export in exports:
        assert export.path not in BY_PATH, f"two declarations for {export.path}"
        BY_PATH[export.path] = export


register(*EXPORTS, *TOWNSHIP_EXPORTS)


def declaration_for(path: str) -> Export | None:
    return BY_PATH.get(path)


__all__ = ["AMOUNT", "DATE", "NUMBER", "SUM", "TEXT", "Column", "Export", "declaration_for", "register",
           "value_at"]
