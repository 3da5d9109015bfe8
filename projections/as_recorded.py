"""Statements as recorded by a past log position (审计: 当时所记 versus 更正后).

A trial balance (and balance sheet) as of a business date *as recorded by log position P*
folds only the postings that were in the log at P: every posting row keeps the position of
the event that recorded it. Nothing recorded later — a back-dated voucher, a red voucher, a
replaced opening balance — can change it, so it is what the book said then, reproducible
for ever from an intact log. Comparing it with the same statement at a later position (the
read position: "as corrected since") gives per-account differences and the vouchers,
recorded in between, that made them.

Opening balances (期初余额) are the exception to "one posting row per event": a replacement
takes the old rows out of ``anju_postings``. So the fold leaves those rows out and takes the
opening lines of the latest ``Book.OpeningBalancesEntered`` event at or before P from the log
(``opening_lines_at``).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

from ledger.book import OPENING_NUMBER, book_id
from ledger.money import from_fen, to_fen
from ledger.sqldb import Transaction
from ledger.store import AnjuApplication
from projections.ledger_reports import Cumulative, BookInfo, TrialBalance, TrialBalanceRow, trial_balance_of
from projections.statements import balance_sheet_from_balances, balance_sheet_totals

#: (account, sub-ledger, opening date, debit fen, credit fen) of the opening balances in force at a position.
OpeningLines = Callable[[int], list[tuple[str, str, date, int, int]]]
CHANGES_LIMIT = 1_000


class AsRecordedRuleBroken(ValueError):
    type_slug = "invalid-as-recorded-at"


class AsRecordedInFuture(AsRecordedRuleBroken):
    type_slug = "as-recorded-at-in-future"


# --- which position a caller means ---------------------------------------------------------
def position_recorded_by(tx: Transaction, moment: datetime) -> int:
    """The last log position recorded at or before a UTC moment (0: nothing was recorded by then).

    ``recorded_at`` is each event's own UTC timestamp, set when it was created just before its
    commit; events are numbered in commit order, so this is the last position a reader could
    have seen at that moment (to within the commit's own duration).
    """
    text = moment.astimezone(timezone.utc).isoformat(timespec="microseconds")
    row = tx.query_one("SELECT MAX(position) FROM anju_event_index WHERE recorded_at <= ?", (text,))
    return int(row[0]) if row and row[0] is not None else 0


def resolve_as_recorded_at(tx: Transaction, text: str, read_position: int, now: datetime) -> int:
    """A log position (digits) or a UTC timestamp with offset → a position not beyond what is read."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        if len(text) > 18:
            raise AsRecordedRuleBroken("as_recorded_at: a log position has at most 18 digits")
        position = int(text)
        if position > read_position:
            raise AsRecordedInFuture(f"as_recorded_at {position} is beyond the log position read ({read_position})")
        return position
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise AsRecordedRuleBroken(
            f"as_recorded_at {text[:40]!r} is neither a log position nor an ISO 8601 timestamp") from None
    if moment.tzinfo is None:
        raise AsRecordedRuleBroken("as_recorded_at: a timestamp needs its UTC offset (…Z or …+08:00)")
    if not 2000 <= moment.year <= 2100:  # the years a ledger holds; also keeps UTC arithmetic in range
        raise AsRecordedRuleBroken("as_recorded_at: a timestamp lies in 2000–2100")
    if moment > now:
        raise AsRecordedInFuture(f"as_recorded_at {text} is in the future")
    return min(position_recorded_by(tx, moment), read_position)


# --- the fold --------------------------------------------------------------------------------
def cumulative_as_recorded(tx: Transaction, book_code: str, period_start: date, as_of: date, position: int,
                           opening: list[tuple[str, str, date, int, int]]) -> tuple[Cumulative, Cumulative]:
    """(account, sub-ledger) → (debits, credits) in fen recorded by ``position``: dated before
    ``period_start``, and dated through ``as_of`` (one scan of the book's postings for both)."""
    start = period_start.isoformat()
    rows = tx.query(
        "SELECT account_code, subledger, SUM(CASE WHEN voucher_date < ? THEN debit_fen ELSE 0 END),"
        " SUM(CASE WHEN voucher_date < ? THEN credit_fen ELSE 0 END), SUM(debit_fen), SUM(credit_fen)"
        " FROM anju_postings WHERE book_code = ? AND voucher_date <= ? AND position <= ? AND number <> ?"
        " GROUP BY account_code, subledger",
        (start, start, book_code, as_of.isoformat(), position, OPENING_NUMBER))
    before: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    through: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for account, subledger, before_dr, before_cr, debit_fen, credit_fen in rows:
        before[(account, subledger)][0] += int(before_dr)
        before[(account, subledger)][1] += int(before_cr)
        through[(account, subledger)][0] += int(debit_fen)
        through[(account, subledger)][1] += int(credit_fen)
    for account, subledger, opening_date, debit_fen, credit_fen in opening:
        for totals, bound in ((before, opening_date < period_start), (through, opening_date <= as_of)):
            if bound:
                totals[(account, subledger)][0] += debit_fen
                totals[(account, subledger)][1] += credit_fen
    return {k: (v[0], v[1]) for k, v in before.items()}, {k: (v[0], v[1]) for k, v in through.items()}


def trial_balance_as_recorded(tx: Transaction, book: BookInfo, period_start: date, as_of: date, position: int,
                              opening_lines_at: OpeningLines) -> TrialBalance:
    """科目余额表 as of ``as_of`` as the log stood at ``position`` (the same fold as the live one)."""
    before, through = cumulative_as_recorded(tx, book.book_code, period_start, as_of, position,
                                             opening_lines_at(position))
    return trial_balance_of(book, period_start, as_of, before, through)


def balance_sheet_of(book: BookInfo, through: Cumulative) -> tuple[dict[str, int], dict[str, int]]:
    """资产负债表 line amounts (fen) and totals from cumulative figures through a date."""
    net: dict[str, int] = defaultdict(int)
    for (code, _subledger), (dr, cr) in through.items():
        net[code] += dr - cr
    lines = balance_sheet_from_balances(book.chart, dict(net))
    return lines, balance_sheet_totals(lines)


def opening_lines_from_log(tx: Transaction, app: AnjuApplication, book_code: str) -> OpeningLines:
    """The opening balances in force at a position: those of the latest OpeningBalancesEntered by then."""
    stream = str(book_id(book_code))
    entered = [(int(p), int(v)) for p, v in tx.query(
        "SELECT position, originator_version FROM anju_event_index WHERE originator_id = ?"
        " AND event_type = 'Book.OpeningBalancesEntered' ORDER BY position", (stream,))]
    cache: dict[int, list[tuple[str, str, date, int, int]]] = {}

    def at(position: int) -> list[tuple[str, str, date, int, int]]:
        versions = [v for p, v in entered if p <= position]
        if not versions:
            return []
        version = versions[-1]
        if version not in cache:
            event = next(iter(app.events.get(UUID(stream), gt=version - 1, lte=version)))
            cache[version] = [(line.account_code, line.subledger, event.opening_date, to_fen(line.debit),
                               to_fen(line.credit)) for line in event.lines]
        return cache[version]

    return at


# --- the comparison ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordedChange:
    """A voucher recorded between the two positions that reaches the statement (dated by ``as_of``)."""

    position: int
    number: str
    voucher_date: str
    summary: str
    total: Decimal
    reverses: str | None
    recorded_by: str
    recorded_at: str
    reason: str
    back_dated: bool  # dated in a month before the one it was recorded in (CST calendar of recorded_at)


@dataclass
class Comparison:
    book: BookInfo
    period_start: date
    as_of: date
    recorded_position: int
    corrected_position: int
    recorded: TrialBalance
    corrected: TrialBalance
    differences: list[dict[str, Any]] = field(default_factory=list)
    changes: list[RecordedChange] = field(default_factory=list)
    changes_truncated: bool = False
    sheet_recorded: dict[str, int] = field(default_factory=dict)
    sheet_corrected: dict[str, int] = field(default_factory=dict)
    sheet_totals_recorded: dict[str, int] = field(default_factory=dict)
    sheet_totals_corrected: dict[str, int] = field(default_factory=dict)


def compare_as_recorded(tx: Transaction, book: BookInfo, period_start: date, as_of: date, recorded_position: int,
                        corrected_position: int, opening_lines_at: OpeningLines,
                        with_balance_sheet: bool = True) -> Comparison:
    """The statement as recorded by one position and as corrected by a later one, and what changed it."""
    folds = {}
    for position in (recorded_position, corrected_position):
        if position not in folds:
            folds[position] = cumulative_as_recorded(tx, book.book_code, period_start, as_of, position,
                                                     opening_lines_at(position))
    recorded = trial_balance_of(book, period_start, as_of, *folds[recorded_position])
    corrected = trial_balance_of(book, period_start, as_of, *folds[corrected_position])
    result = Comparison(book, period_start, as_of, recorded_position, corrected_position, recorded, corrected)
    result.differences = account_differences(recorded, corrected)
    result.changes, result.changes_truncated = changes_between(tx, book.book_code, as_of, recorded_position,
                                                               corrected_position)
    if with_balance_sheet:
        result.sheet_recorded, result.sheet_totals_recorded = balance_sheet_of(book, folds[recorded_position][1])
        result.sheet_corrected, result.sheet_totals_corrected = balance_sheet_of(book, folds[corrected_position][1])
    return result


def _row_figures(row: TrialBalanceRow) -> dict[str, Decimal]:
    return {"opening_balance": row.opening.debit - row.opening.credit, "period_debit": row.period_debit,
            "period_credit": row.period_credit, "closing_balance": row.closing.debit - row.closing.credit}


def account_differences(recorded: TrialBalance, corrected: TrialBalance) -> list[dict[str, Any]]:
    """Per account (every level): each figure then, now and the difference, where any differs.

    Balances are net debit (借方为正) so a difference reads the same way for every account.
    """
    then = {r.account.code: r for r in recorded.rows}
    now = {r.account.code: r for r in corrected.rows}
    differences = []
    for code in sorted(then.keys() | now.keys()):
        row = now.get(code) or then[code]
        old = _row_figures(then[code]) if code in then else dict.fromkeys(_row_figures(row), Decimal("0.00"))
        new = _row_figures(now[code]) if code in now else dict.fromkeys(_row_figures(row), Decimal("0.00"))
        if old == new:
            continue
        differences.append({"account": row.account, "recorded": old, "corrected": new,
                            "difference": {k: new[k] - old[k] for k in new}})
    return differences


def changes_between(tx: Transaction, book_code: str, as_of: date, after: int, through: int,
                    limit: int = CHANGES_LIMIT) -> tuple[list[RecordedChange], bool]:
    """Vouchers (red ones included) recorded in (after, through] and dated on or before ``as_of``."""
    rows = tx.query(
        "SELECT position, number, voucher_date, summary, total_fen, reverses, recorded_by, recorded_at, reason"
        " FROM anju_vouchers WHERE book_code = ? AND position > ? AND position <= ? AND voucher_date <= ?"
        " ORDER BY position, number LIMIT ?", (book_code, after, through, as_of.isoformat(), limit + 1))
    changes = [RecordedChange(int(r[0]), r[1], r[2], r[3], from_fen(int(r[4])), r[5], r[6], r[7], r[8],
                              _back_dated(r[2], r[7])) for r in rows[:limit]]
    return changes, len(rows) > limit


def _back_dated(voucher_date: str, recorded_at: str) -> bool:
    try:
        recorded = datetime.fromisoformat(recorded_at).astimezone(timezone(timedelta(hours=8))).date()
    except ValueError:
        return False
    return voucher_date[:7] < recorded.isoformat()[:7]


# --- a statement's digest (sealed with a checkpoint) --------------------------------------------
def trial_balance_digest(tb: TrialBalance) -> str:
    """SHA-256 of the trial balance's figures in a canonical JSON form (amounts as two-decimal strings)."""
    rows = [[r.account.code, str(r.opening.debit), str(r.opening.credit), str(r.period_debit), str(r.period_credit),
             str(r.closing.debit), str(r.closing.credit)] for r in tb.rows]
    body = {"book": tb.book.book_code, "from": tb.period_start.isoformat(), "as_of": tb.as_of.isoformat(),
            "rows": rows, "totals": {k: str(v) for k, v in sorted(tb.totals.items())}}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()
