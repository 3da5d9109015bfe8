"""Year-end closing (年终结账) of a collective's book, as pure folds over vouchers.

Source: 农村集体经济组织会计制度 (2023) and DOMAIN.md §3 (Year-end
distribution): close every income and expense account to 321 本年收益, then
321 → 322 未分配收益. Red vouchers carry negated amounts, so a plain sum over
every voucher of the year (blue and red) gives each account's net movement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from domain.collective.errors import InvalidYear
from ledger.chart import AccountClass, Chart, account_code
from ledger.journal import YEAR_END_CLOSE_SOURCE as YEAR_CLOSE_SOURCE
from ledger.journal import (
    JournalLine,
    Voucher,
    VoucherDraft,
    credit,
    debit,
    draft_of,
    signed_line,
)
from ledger.money import ZERO
from ledger.values import value_type

COLLECTIVE_CHART = "collective_2023"
CURRENT_YEAR_INCOME = account_code(COLLECTIVE_CHART, "current_year_income")  # 321 本年收益
INCOME_DISTRIBUTION = account_code(COLLECTIVE_CHART, "income_distribution")  # 322 收益分配
UNDISTRIBUTED_INCOME = account_code(COLLECTIVE_CHART, "undistributed_income")  # 322.01 未分配收益
CLOSED_CLASSES = (AccountClass.INCOME, AccountClass.EXPENSE)
YEAR_MIN, YEAR_MAX = 2000, 2100


@value_type("anju.collective.YearClose")
class YearClose:
    """A closed year: its 净收益 and the closing vouchers."""

    year: int
    net_income: Decimal
    voucher_numbers: tuple[str, ...]


def check_year(year: object) -> int:
    if type(year) is not int or not YEAR_MIN <= year <= YEAR_MAX:
        raise InvalidYear(f"year must be a whole number {YEAR_MIN}–{YEAR_MAX}, not {year!r}")
    return year


def year_end_date(year: int) -> date:
    """Year-end entries are dated the last day of the year (the December period)."""
    return date(year, 12, 31)


def net_debit_by_account(vouchers: Iterable[Voucher]) -> dict[str, Decimal]:
    """Σ (debit − credit) per account code over the vouchers given."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for voucher in vouchers:
        for line in voucher.lines:
            totals[line.account_code] += line.net_debit
    return dict(totals)


def is_closed_to_current_year_income(chart: Chart, code: str) -> bool:
    """Income (5xx 收入) and expense (5xx 支出) accounts are closed to 321 each year."""
    return chart.account(code).account_class in CLOSED_CLASSES


def income_expense_closing_lines(chart: Chart, net_debit: dict[str, Decimal]) -> tuple[tuple[JournalLine, ...], Decimal]:
    """The lines that empty every income and expense account into 321, and the year's 净收益.

    Source: DOMAIN.md §3 (close every income and expense account to 321 本年收益).
    An income account with a credit balance is debited, an expense account
    with a debit balance credited; 321 takes the difference. 净收益 is the
    year's income less its expenses (negative for a loss).
    """
    lines: list[JournalLine] = []
    net_income = ZERO
    for code in sorted(net_debit):
        amount = net_debit[code]
        if amount == 0 or not is_closed_to_current_year_income(chart, code):
            continue
        net_income -= amount
        lines.append(signed_line(code, -amount))  # type: ignore[arg-type]  # amount ≠ 0
    closing = signed_line(CURRENT_YEAR_INCOME, -net_income)
    if closing is not None:
        lines.append(closing)
    assert sum((line.net_debit for line in lines), ZERO) == 0, "closing lines must balance"
    return tuple(lines), net_income


def current_year_income_transfer_lines(amount_to_transfer: Decimal) -> tuple[JournalLine, ...]:
    """321 本年收益 → 322.01 未分配收益 (a loss moves the other way).

    Source: DOMAIN.md §3 (then 321 → 322 未分配收益).
    """
    if amount_to_transfer > 0:
        return (debit(CURRENT_YEAR_INCOME, amount_to_transfer), credit(UNDISTRIBUTED_INCOME, amount_to_transfer))
    if amount_to_transfer < 0:
        return (debit(UNDISTRIBUTED_INCOME, -amount_to_transfer), credit(CURRENT_YEAR_INCOME, -amount_to_transfer))
    return ()


class YearEndClosing(NamedTuple):
    """The year's closing vouchers (0–2 drafts, dated 31 December) and its 净收益."""

    drafts: tuple[VoucherDraft, ...]
    net_income: Decimal


def year_end_closing(chart: Chart, year: int, net_debit: dict[str, Decimal]) -> YearEndClosing:
    """The closing vouchers of a year from its accounts' net movements (DOMAIN.md §3, first step).

    First every income and expense account to 321; then all of 321 to 322.01 —
    321 may also carry postings made to it directly during the year.
    """
    closing_lines, net_income = income_expense_closing_lines(chart, net_debit)
    transfer_lines = current_year_income_transfer_lines(net_income - net_debit.get(CURRENT_YEAR_INCOME, ZERO))
    day, source = year_end_date(year), f"{YEAR_CLOSE_SOURCE}:{year}"
    drafts = (draft_of(day, f"{year}年度结转收入支出至本年收益", closing_lines, source),
              draft_of(day, f"{year}年度本年收益转入未分配收益", transfer_lines, source))
    return YearEndClosing(tuple(draft for draft in drafts if draft is not None), net_income)


def is_undistributed_account(chart: Chart, code: str) -> bool:
    """Accounts whose balance together is 未分配收益 on the balance sheet: 321, 322.*, and unclosed income/expense."""
    return (code == CURRENT_YEAR_INCOME or code == INCOME_DISTRIBUTION
            or code.startswith(INCOME_DISTRIBUTION + ".") or is_closed_to_current_year_income(chart, code))


def undistributed_balance(chart: Chart, net_debit: dict[str, Decimal]) -> Decimal:
    """未分配收益 in the balance-sheet sense: net credit of 321, 322 and any unclosed income and expense.

    Source: DOMAIN.md §2 (收益及收益分配表: 年末未分配收益) — before the year is
    closed the year's income still sits in the 5xx accounts; after closing it
    sits in 322. Either way this sum is the same.
    """
    return -sum((amount for code, amount in net_debit.items() if is_undistributed_account(chart, code)), ZERO)
