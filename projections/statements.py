"""Statements of any book on the 2023 chart, as folds over its balances and flows.

Source: DOMAIN.md §2 (资产负债表 期末/年初; 收益及收益分配表 with every line of its formulas;
科目余额表). The pure functions (``*_from_*``) take whole-fen figures and return lines; the
wrappers read those figures from the books' read models (running balances and postings).
A township statement is the same fold over every book in its scope.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from ledger.chart import AccountClass, Chart
from ledger.journal import YEAR_END_CLOSE_SOURCE
from ledger.sqldb import Transaction
from projections.ledger_reports import BookInfo, cumulative_as_of

# --- the balance sheet (资产负债表) ---------------------------------------------------------
ASSETS, LIABILITIES, EQUITY = "assets", "liabilities", "equity"


@dataclass(frozen=True)
class SheetLine:
    key: str
    name_zh: str
    name_en: str
    side: str
    group_zh: str
    group_en: str
    accounts: tuple[str, ...]  # first-level codes; "-133" subtracts (contra accounts are inside the sum already)


#: 资产负债表 of the 2023 system, by first-level account. Contra accounts (133, 152, 162) carry credit balances,
#: so adding net debits nets them. 113 内部往来 goes to receivables or payables by the sign of its balance.
BALANCE_SHEET_LINES: tuple[SheetLine, ...] = (
    SheetLine("cash", "货币资金", "Cash and bank deposits", ASSETS, "流动资产", "Current assets", ("101", "102")),
    SheetLine("short_investments", "短期投资", "Short-term investments", ASSETS, "流动资产", "Current assets", ("111",)),
    SheetLine("receivables", "应收款项", "Receivables", ASSETS, "流动资产", "Current assets", ("112", "113+")),
    SheetLine("inventories", "存货", "Inventories", ASSETS, "流动资产", "Current assets", ("121", "401")),
    SheetLine("consumable_bio", "消耗性生物资产", "Consumable biological assets", ASSETS, "流动资产", "Current assets",
              ("131",)),
    SheetLine("long_investments", "长期投资", "Long-term investments", ASSETS, "非流动资产", "Non-current assets",
              ("141",)),
    SheetLine("productive_bio", "生产性生物资产净值", "Productive biological assets, net", ASSETS, "非流动资产",
              "Non-current assets", ("132", "133")),
    SheetLine("welfare_bio", "公益性生物资产", "Public-welfare biological assets", ASSETS, "非流动资产",
              "Non-current assets", ("134",)),
    SheetLine("fixed_assets", "固定资产净值", "Fixed assets, net", ASSETS, "非流动资产", "Non-current assets",
              ("151", "152")),
    SheetLine("construction", "在建工程", "Construction in progress", ASSETS, "非流动资产", "Non-current assets",
              ("153",)),
    SheetLine("disposal", "固定资产清理", "Fixed assets in disposal", ASSETS, "非流动资产", "Non-current assets",
              ("154",)),
    SheetLine("intangibles", "无形资产净值", "Intangible assets, net", ASSETS, "非流动资产", "Non-current assets",
              ("161", "162")),
    SheetLine("deferred", "长期待摊费用", "Long-term deferred expenses", ASSETS, "非流动资产", "Non-current assets",
              ("171",)),
    SheetLine("pending_losses", "待处理财产损溢", "Property losses and gains pending", ASSETS, "非流动资产",
              "Non-current assets", ("181",)),
    SheetLine("short_borrowings", "短期借款", "Short-term borrowings", LIABILITIES, "流动负债", "Current liabilities",
              ("201",)),
    SheetLine("payables", "应付款项", "Payables", LIABILITIES, "流动负债", "Current liabilities", ("211", "113-")),
    SheetLine("wages", "应付工资", "Wages payable", LIABILITIES, "流动负债", "Current liabilities", ("212",)),
    SheetLine("labour", "应付劳务费", "Labour service fees payable", LIABILITIES, "流动负债", "Current liabilities",
              ("213",)),
    SheetLine("taxes", "应交税费", "Taxes payable", LIABILITIES, "流动负债", "Current liabilities", ("214",)),
    SheetLine("long_borrowings", "长期借款及应付款", "Long-term borrowings and payables", LIABILITIES, "非流动负债",
              "Non-current liabilities", ("221",)),
    SheetLine("one_matter", "一事一议资金", "One-matter-one-discussion funds", LIABILITIES, "非流动负债",
              "Non-current liabilities", ("231",)),
    SheetLine("special_payables", "专项应付款", "Special-purpose payables", LIABILITIES, "非流动负债",
              "Non-current liabilities", ("241",)),
    SheetLine("capital", "资本", "Capital", EQUITY, "所有者权益", "Owners' equity", ("301",)),
    SheetLine("reserve", "公积公益金", "Reserve and public-welfare fund", EQUITY, "所有者权益", "Owners' equity",
              ("311",)),
    SheetLine("undistributed", "未分配收益", "Undistributed income", EQUITY, "所有者权益", "Owners' equity",
              ("321", "322", "income", "expense")),
)


def _first_level(code: str) -> str:
    return code.split(".", 1)[0]


def balance_sheet_from_balances(chart: Chart, net_debit_fen: Mapping[str, int]) -> dict[str, int]:
    """资产负债表 line amounts (fen) from each account's net debit balance on a date.

    Source: DOMAIN.md §2 (资产负债表; chart of the 2023 system). Asset lines are
    net debits, liability and equity lines net credits; 未分配收益 takes 321,
    322 and any income and expense not yet closed, so the sheet balances on
    every date, before and after the year-end close. An account the table
    does not name falls to its class (never silently dropped).
    """
    first_level: dict[str, int] = defaultdict(int)
    for code, amount in net_debit_fen.items():
        account = chart.account(code)
        if account.account_class in (AccountClass.INCOME, AccountClass.EXPENSE):
            first_level[account.account_class.value] += amount
        else:
            first_level[_first_level(code)] += amount
    lines = {line.key: 0 for line in BALANCE_SHEET_LINES}
    placed: set[str] = set()
    for line in BALANCE_SHEET_LINES:
        for ref in line.accounts:
            code, sign = ref.rstrip("+-"), ref[-1] if ref[-1] in "+-" else ""
            amount = first_level.get(code, 0)
            placed.add(code)
            if sign == "+" and amount < 0 or sign == "-" and amount > 0:
                continue
            lines[line.key] += amount if line.side == ASSETS else -amount
    for code, amount in first_level.items():
        if code in placed:
            continue
        account_class = chart.account(code).account_class
        if account_class in (AccountClass.ASSET, AccountClass.COST):
            lines["other_assets"] = lines.get("other_assets", 0) + amount
        elif account_class == AccountClass.LIABILITY:
            lines["other_liabilities"] = lines.get("other_liabilities", 0) - amount
        else:
            lines["undistributed"] -= amount
    return lines


def balance_sheet_totals(lines: Mapping[str, int]) -> dict[str, int]:
    sides = {line.key: (line.side, line.group_zh) for line in BALANCE_SHEET_LINES}
    sides["other_assets"] = (ASSETS, "非流动资产")
    sides["other_liabilities"] = (LIABILITIES, "非流动负债")
    totals = defaultdict(int)
    for key, amount in lines.items():
        side, group = sides[key]
        totals[side] += amount
        totals[group] += amount
    return {
        "current_assets": totals["流动资产"], "non_current_assets": totals["非流动资产"], "assets": totals[ASSETS],
        "current_liabilities": totals["流动负债"], "non_current_liabilities": totals["非流动负债"],
        "liabilities": totals[LIABILITIES], "equity": totals[EQUITY],
        "liabilities_and_equity": totals[LIABILITIES] + totals[EQUITY],
    }


def net_debit_by_code(tx: Transaction, book_code: str, as_of: date) -> dict[str, int]:
    """Each account's net debit balance (fen) through a date, from the running-balance read model."""
    totals: dict[str, int] = defaultdict(int)
    for (code, _subledger), (dr, cr) in cumulative_as_of(tx, book_code, as_of).items():
        totals[code] += dr - cr
    return dict(totals)


@dataclass(frozen=True)
class BalanceSheet:
    as_of: date
    year_start: date
    closing: dict[str, int]
    opening: dict[str, int]
    closing_totals: dict[str, int]
    opening_totals: dict[str, int]

    @property
    def balanced(self) -> bool:
        return all(t["assets"] == t["liabilities_and_equity"] for t in (self.closing_totals, self.opening_totals))


def balance_sheet(tx: Transaction, book: BookInfo, as_of: date) -> BalanceSheet:
    """资产负债表 as of a date, with the 年初 column (balances at the end of the previous year)."""
    chart = book.chart
    year_start = date(as_of.year, 1, 1)
    closing = balance_sheet_from_balances(chart, net_debit_by_code(tx, book.book_code, as_of))
    opening = balance_sheet_from_balances(chart, net_debit_by_code(tx, book.book_code, year_start - timedelta(days=1)))
    for key in set(closing) | set(opening):
        closing.setdefault(key, 0)
        opening.setdefault(key, 0)
    return BalanceSheet(as_of, year_start, closing, opening, balance_sheet_totals(closing), balance_sheet_totals(opening))


# --- the income and distribution statement (收益及收益分配表) -----------------------------
INCOME_STATEMENT_LINES: tuple[tuple[str, str, str], ...] = (
    ("operating_income", "一、经营收入", "Operating income (501)"),
    ("operating_expenses", "减：经营支出", "Less: operating expenses (511)"),
    ("taxes_and_surcharges", "税金及附加", "Taxes and surcharges (512)"),
    ("management_expenses", "管理费用", "Management expenses (513)"),
    ("investment_income", "加：投资收益", "Add: investment income (502)"),
    ("operating_result", "二、经营收益", "Operating result = 501 − 511 − 512 − 513 + 502"),
    ("subsidy_income", "加：补助收入", "Add: subsidy income (503)"),
    ("other_income", "其他收入", "Other income (504)"),
    ("public_welfare_expenses", "减：公益支出", "Less: public-welfare expenses (514)"),
    ("other_expenses", "其他支出", "Other expenses (515)"),
    ("total_result", "三、收益总额", "Total result = operating result + 503 + 504 − 514 − 515"),
    ("income_tax", "减：所得税费用", "Less: income tax (521)"),
    ("net_income", "四、净收益", "Net income = total result − 521"),
    ("opening_undistributed", "加：年初未分配收益", "Add: undistributed income at the start of the year"),
    ("other_transfers_in", "其他转入", "Other transfers in"),
    ("distributable_income", "五、可分配收益", "Distributable income = net income + opening + other transfers in"),
    ("reserve_withdrawal", "减：提取公积公益金", "Less: reserve and public-welfare fund withdrawal (322.02)"),
    ("distributed_to_members", "向成员分配", "Distributed to members (322.03)"),
    ("other_distributions", "其他", "Other distributions (322.04)"),
    ("closing_undistributed", "六、年末未分配收益", "Undistributed income at the end of the year"),
)


def _flow(flows: Mapping[str, int], prefix: str) -> int:
    """Net debit flow (fen) of an account and its sub-accounts."""
    return sum(amount for code, amount in flows.items() if code == prefix or code.startswith(prefix + "."))


def income_statement_from_flows(flows: Mapping[str, int], opening_undistributed_fen: int) -> dict[str, int]:
    """收益及收益分配表, every line of the formulas of DOMAIN.md §2 (fen).

    ``flows`` is each account's net debit movement in the period, leaving out
    the year-end closing vouchers (they only move the same income from 5xx to
    321 and 322). 其他转入 is whatever reached 321 or 322.01 otherwise (for
    example a loss covered from 公积公益金, Dr 311 / Cr 322).
    """
    f = {k: _flow(flows, k) for k in ("501", "502", "503", "504", "511", "512", "513", "514", "515", "521",
                                      "321", "322.01", "322.02", "322.03", "322.04")}
    s: dict[str, int] = {
        "operating_income": -f["501"], "operating_expenses": f["511"], "taxes_and_surcharges": f["512"],
        "management_expenses": f["513"], "investment_income": -f["502"],
    }
    s["operating_result"] = (s["operating_income"] - s["operating_expenses"] - s["taxes_and_surcharges"]
                             - s["management_expenses"] + s["investment_income"])
    s.update(subsidy_income=-f["503"], other_income=-f["504"], public_welfare_expenses=f["514"],
             other_expenses=f["515"])
    s["total_result"] = (s["operating_result"] + s["subsidy_income"] + s["other_income"]
                         - s["public_welfare_expenses"] - s["other_expenses"])
    s["income_tax"] = f["521"]
    s["net_income"] = s["total_result"] - s["income_tax"]
    s["opening_undistributed"] = opening_undistributed_fen
    s["other_transfers_in"] = -f["321"] - f["322.01"]
    s["distributable_income"] = s["net_income"] + s["opening_undistributed"] + s["other_transfers_in"]
    s.update(reserve_withdrawal=f["322.02"], distributed_to_members=f["322.03"], other_distributions=f["322.04"])
    s["closing_undistributed"] = (s["distributable_income"] - s["reserve_withdrawal"] - s["distributed_to_members"]
                                  - s["other_distributions"])
    return s


def period_flows(tx: Transaction, book_code: str, start: date, end: date) -> dict[str, int]:
    """Net debit movement per account between two dates, leaving out year-end closing vouchers."""
    rows = tx.query(
        "SELECT p.account_code, COALESCE(SUM(p.debit_fen), 0), COALESCE(SUM(p.credit_fen), 0) FROM anju_postings p"
        " JOIN anju_vouchers v ON v.book_code = p.book_code AND v.number = p.number"
        " WHERE p.book_code = ? AND p.voucher_date >= ? AND p.voucher_date <= ? AND v.source NOT LIKE ?"
        " GROUP BY p.account_code ORDER BY p.account_code",
        (book_code, start.isoformat(), end.isoformat(), YEAR_END_CLOSE_SOURCE + "%"))
    return {r[0]: int(r[1]) - int(r[2]) for r in rows}


@dataclass(frozen=True)
class IncomeStatement:
    year: int
    period_start: date
    period_end: date
    lines: dict[str, int]
    undistributed_on_balance_sheet: int

    @property
    def reconciles(self) -> bool:
        """年末未分配收益 equals the balance sheet's 未分配收益 on the same date."""
        return self.lines["closing_undistributed"] == self.undistributed_on_balance_sheet


def income_statement(tx: Transaction, book: BookInfo, year: int, as_of: date | None = None) -> IncomeStatement:
    """收益及收益分配表 for a year, through ``as_of`` (default 31 December)."""
    start, year_end = date(year, 1, 1), date(year, 12, 31)
    end = min(as_of or year_end, year_end)
    chart = book.chart
    opening = balance_sheet_from_balances(chart, net_debit_by_code(tx, book.book_code, start - timedelta(days=1)))
    lines = income_statement_from_flows(period_flows(tx, book.book_code, start, end), opening["undistributed"])
    closing = balance_sheet_from_balances(chart, net_debit_by_code(tx, book.book_code, end))
    return IncomeStatement(year, start, end, lines, closing["undistributed"])
