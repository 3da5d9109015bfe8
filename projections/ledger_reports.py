"""Trial balance (科目余额表) and detail ledgers, as pure folds over the balance read model.

A trial balance as of a date reads each account and sub-ledger's latest month row in
one range of at most three months (the anchor month at or before the date's month
through it: the closing totals, or the opening and running rows of the date's month),
so its cost grows with the accounts, not with the postings or the months of history. Amounts are
whole fen in the store and yuan Decimals here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import orjson

from ledger.calendar import month_last_day, month_of
from ledger.chart import Account, Chart, NormalBalance, chart_with_additions
from ledger.money import from_fen
from ledger.sqldb import Transaction
from projections.books import anchor_of

#: (account, sub-ledger) → (debits, credits) in fen.
Cumulative = dict[tuple[str, str], tuple[int, int]]

# The rows of a book from the anchor month at or before a month through that month (at most three
# months): every key with a posting before the anchor month has a row in it, and every key that
# moved since has a row in each month it moved in (projections/books.py), so each key's latest of
# these rows holds its totals. One range read over the (book, month) index, however long the
# history; the running rows are sent only for the month itself.
BALANCES_AS_OF = (
    "SELECT account_code, subledger, month, debit_cum_open, credit_cum_open, debit_cum_close, credit_cum_close,"
    " CASE WHEN month = ? THEN days ELSE '[]' END FROM anju_balance_months WHERE book_code = ? AND month >= ?"
    " AND month <= ?"
)
# The book's latest month with rows on or before a month (only when the range above is empty: the
# month lies before the book's first posting or after its latest anchor month with rows).
LATEST_MONTH_BY = "SELECT MAX(month) FROM anju_balance_months WHERE book_code = ? AND month <= ?"


@dataclass(frozen=True)
class BookInfo:
    book_code: str
    name: str
    entity_kind: str
    community_id: str
    township_id: str
    chart_name: str
    starts_on: date
    sub_accounts: tuple[tuple[str, str, str], ...]

    @property
    def chart(self) -> Chart:
        return chart_with_additions(self.chart_name, self.sub_accounts)


def book_info(tx: Transaction, book_code: str) -> BookInfo | None:
    import json

    row = tx.query_one(
        "SELECT book_code, name, entity_kind, community_id, township_id, chart_name, starts_on, sub_accounts"
        " FROM anju_books WHERE book_code = ?", (book_code,))
    if row is None:
        return None
    subs = tuple(tuple(s) for s in json.loads(row[7]))
    return BookInfo(row[0], row[1], row[2], row[3], row[4], row[5], date.fromisoformat(row[6]), subs)  # type: ignore[arg-type]


def cumulative_as_of(tx: Transaction, book_code: str, as_of: date) -> Cumulative:
    """(account, sub-ledger) → (debits, credits) in fen through ``as_of`` inclusive (every key with a
    posting by then, also one whose totals are back to zero)."""
    month = month_of(as_of)
    rows = tx.query(BALANCES_AS_OF, (month, book_code, anchor_of(month), month))
    if not rows:
        row = tx.query_one(LATEST_MONTH_BY, (book_code, month))
        if not row or row[0] is None:
            return {}
        rows = tx.query(BALANCES_AS_OF, (month, book_code, anchor_of(row[0]), row[0]))
    latest: dict[tuple[str, str], tuple] = {}
    for r in rows:
        key = (r[0], r[1])
        held = latest.get(key)
        if held is None or r[2] > held[2]:
            latest[key] = r
    whole_month = as_of == month_last_day(month)
    day = as_of.day
    result: Cumulative = {}
    for key, (_a, _s, moved_month, debit_open, credit_open, debit_close, credit_close, days) in latest.items():
        if whole_month or moved_month < month or days == "[]":  # its closing totals
            result[key] = (debit_close, credit_close)
            continue
        # The totals before the month (none: the key had no posting yet), then each day moved by then.
        totals = (debit_open, credit_open) if debit_open is not None else None
        for moved_on, debit_cum, credit_cum in orjson.loads(days):
            if moved_on > day:
                break
            totals = (debit_cum, credit_cum)
        if totals is not None:
            result[key] = totals
    return result


def roll_up(chart: Chart, leaf_totals: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Add each account's totals into every ancestor (501.01 → 501)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for code, (dr, cr) in leaf_totals.items():
        current: str | None = code
        while current is not None:
            totals[current][0] += dr
            totals[current][1] += cr
            current = chart.account(current).parent_code if current in chart.accounts else None
    return {k: (v[0], v[1]) for k, v in totals.items()}


@dataclass
class BalanceFigure:
    """A balance in the 借/贷 form of Chinese statements."""

    debit: Decimal
    credit: Decimal

    @property
    def direction(self) -> str:
        return "借" if self.debit > 0 else "贷" if self.credit > 0 else "平"


def balance_figure(net_debit_fen: int) -> BalanceFigure:
    if net_debit_fen >= 0:
        return BalanceFigure(from_fen(net_debit_fen), from_fen(0))
    return BalanceFigure(from_fen(0), from_fen(-net_debit_fen))


def signed_balance(account: Account, net_debit_fen: int) -> Decimal:
    """The balance in the account's normal direction (credit accounts count credits positive)."""
    sign = -1 if account.normal_balance == NormalBalance.CREDIT else 1
    return from_fen(sign * net_debit_fen)


@dataclass
class TrialBalanceRow:
    account: Account
    opening: BalanceFigure
    period_debit: Decimal
    period_credit: Decimal
    closing: BalanceFigure
    closing_signed: Decimal


@dataclass
class TrialBalance:
    book: BookInfo
    period_start: date
    as_of: date
    rows: list[TrialBalanceRow] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=dict)

    @property
    def balanced(self) -> bool:
        t = self.totals
        return (t["opening_debit"] == t["opening_credit"] and t["period_debit"] == t["period_credit"]
                and t["closing_debit"] == t["closing_credit"])


def trial_balance(tx: Transaction, book: BookInfo, period_start: date, as_of: date,
                  subledger_prefix: str | None = None) -> TrialBalance:
    """科目余额表: opening balance, the period's debits and credits, closing balance, every level."""
    before = cumulative_as_of(tx, book.book_code, opening_cut(book, period_start, as_of) - timedelta(days=1))
    through = cumulative_as_of(tx, book.book_code, as_of)
    return trial_balance_of(book, period_start, as_of, before, through)


def trial_balance_of(book: BookInfo, period_start: date, as_of: date, before: Cumulative,
                     through: Cumulative) -> TrialBalance:
    """The trial-balance fold over cumulative figures before the period and through ``as_of``
    (live, and as recorded by a past log position: ``projections.as_recorded``)."""
    chart = book.chart
    opening_totals, closing_totals = roll_up(chart, _by_account(before)), roll_up(chart, _by_account(through))
    result = TrialBalance(book, period_start, as_of)
    sums: dict[str, int] = defaultdict(int)
    for code in sorted(closing_totals.keys() | opening_totals.keys()):
        account = chart.account(code)
        o_dr, o_cr = opening_totals.get(code, (0, 0))
        c_dr, c_cr = closing_totals.get(code, (0, 0))
        row = TrialBalanceRow(
            account=account,
            opening=balance_figure(o_dr - o_cr),
            period_debit=from_fen(c_dr - o_dr),
            period_credit=from_fen(c_cr - o_cr),
            closing=balance_figure(c_dr - c_cr),
            closing_signed=signed_balance(account, c_dr - c_cr),
        )
        result.rows.append(row)
        if account.level == 1:  # totals over first-level accounts only (children are inside them)
            sums["opening_debit"] += _fen(row.opening.debit)
            sums["opening_credit"] += _fen(row.opening.credit)
            sums["period_debit"] += c_dr - o_dr
            sums["period_credit"] += c_cr - o_cr
            sums["closing_debit"] += _fen(row.closing.debit)
            sums["closing_credit"] += _fen(row.closing.credit)
    keys = ("opening_debit", "opening_credit", "period_debit", "period_credit", "closing_debit", "closing_credit")
    result.totals = {k: from_fen(sums[k]) for k in keys}
    return result


def opening_cut(book: BookInfo, period_start: date, as_of: date) -> date:
    """The first day whose postings count as the period's movement; everything before is 期初余额.

    A period that begins on or before the book's first day begins there: the only postings dated
    earlier are the book's opening balances (dated the day before its first day; no voucher may be
    dated before it), so they are the first period's opening balance, never its movement.
    """
    return min(max(period_start, book.starts_on), as_of + timedelta(days=1))


def _fen(amount: Decimal) -> int:
    return int(amount * 100)


def _by_account(cumulative: Cumulative) -> dict[str, tuple[int, int]]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (account, _subledger), (dr, cr) in cumulative.items():
        totals[account][0] += dr
        totals[account][1] += cr
    return {k: (v[0], v[1]) for k, v in totals.items()}


@dataclass
class LedgerLine:
    voucher_date: str
    number: str
    line_no: int
    account_code: str
    subledger: str
    summary: str
    debit: Decimal
    credit: Decimal
    balance: BalanceFigure
    position: int


@dataclass
class DetailLedger:
    account: Account
    subledger: str | None
    period_start: date
    as_of: date
    opening: BalanceFigure
    lines: list[LedgerLine]
    period_debit: Decimal
    period_credit: Decimal
    closing: BalanceFigure
    next_cursor: str | None


def detail_ledger(tx: Transaction, book: BookInfo, account_code: str, subledger: str | None, period_start: date,
                  as_of: date, limit: int, cursor: str | None) -> DetailLedger:
    """明细账: every posting to an account (and its sub-accounts) with a running balance."""
    account = book.chart.account(account_code)
    scope_sql = " AND (account_code = ? OR account_code LIKE ?)"
    scope_params: list = [account_code, account_code + ".%"]
    if subledger is not None:
        scope_sql += " AND subledger = ?"
        scope_params.append(subledger)
    base = " FROM anju_postings WHERE book_code = ?" + scope_sql
    start, end = opening_cut(book, period_start, as_of).isoformat(), as_of.isoformat()

    def sums(condition: str, params: list) -> tuple[int, int]:
        row = tx.query_one("SELECT COALESCE(SUM(debit_fen), 0), COALESCE(SUM(credit_fen), 0)" + base + condition,
                           [book.book_code, *scope_params, *params])
        return (int(row[0]), int(row[1])) if row else (0, 0)

    o_dr, o_cr = sums(" AND voucher_date < ?", [start])
    p_dr, p_cr = sums(" AND voucher_date >= ? AND voucher_date <= ?", [start, end])
    after_sql, after_params = "", []
    if cursor:
        c_date, c_pos, c_line = _parse_cursor(cursor)
        after_sql = (" AND (voucher_date > ? OR (voucher_date = ? AND position > ?)"
                     " OR (voucher_date = ? AND position = ? AND line_no > ?))")
        after_params = [c_date, c_date, c_pos, c_date, c_pos, c_line]
        b_dr, b_cr = sums(" AND voucher_date >= ? AND NOT (1=1" + after_sql + ")", [start, *after_params])
    else:
        b_dr, b_cr = 0, 0
    rows = tx.query(
        "SELECT voucher_date, number, line_no, account_code, subledger, summary, debit_fen, credit_fen, position"
        + base + " AND voucher_date >= ? AND voucher_date <= ?" + after_sql
        + " ORDER BY voucher_date, position, line_no LIMIT ?",
        [book.book_code, *scope_params, start, end, *after_params, limit + 1],
    )
    running = (o_dr - o_cr) + (b_dr - b_cr)
    lines = []
    for r in rows[:limit]:
        running += int(r[6]) - int(r[7])
        lines.append(LedgerLine(r[0], r[1], int(r[2]), r[3], r[4], r[5], from_fen(int(r[6])), from_fen(int(r[7])),
                                balance_figure(running), int(r[8])))
    next_cursor = f"{lines[-1].voucher_date}|{lines[-1].position}|{lines[-1].line_no}" if len(rows) > limit else None
    return DetailLedger(account, subledger, period_start, as_of, balance_figure(o_dr - o_cr), lines,
                        from_fen(p_dr), from_fen(p_cr), balance_figure(o_dr - o_cr + p_dr - p_cr), next_cursor)


class InvalidCursor(ValueError):
    type_slug = "invalid-cursor"


def _parse_cursor(cursor: str) -> tuple[str, int, int]:
    try:
        day, position, line_no = cursor.split("|")
        date.fromisoformat(day)
        return day, int(position), int(line_no)
    except ValueError:
        raise InvalidCursor(f"cursor {cursor!r} is not one this API gave") from None


@dataclass(frozen=True)
class OpeningBalances:
    """A book's opening balances (期初余额) as the books read model holds them."""

    lines: list[tuple[str, str, Decimal, Decimal, str]]  # account, sub-ledger, debit, credit, memo
    locked: bool


def opening_balances(tx: Transaction, book: BookInfo) -> OpeningBalances:
    """The opening postings and whether they are locked (a month of the book has been closed once)."""
    from ledger.book import OPENING_NUMBER

    rows = tx.query("SELECT account_code, subledger, debit_fen, credit_fen, summary FROM anju_postings"
                    " WHERE book_code = ? AND number = ? ORDER BY line_no", (book.book_code, OPENING_NUMBER))
    # Locked by the first close for good, even after an auditor re-opens the month: so ask whether a
    # month of the book was ever closed (the history index keeps every event), not whether one is now.
    closed = tx.query_one("SELECT COUNT(*) FROM (SELECT 1 FROM anju_event_index WHERE book_code = ?"
                          " AND event_type = 'BookMonth.Closed' LIMIT 1) AS ever", (book.book_code,))
    lines = [(r[0], r[1], from_fen(int(r[2])), from_fen(int(r[3])), "" if r[4] == OPENING_NUMBER else r[4])
             for r in rows]
    return OpeningBalances(lines, bool(closed and int(closed[0])))
