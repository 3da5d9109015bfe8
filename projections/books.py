"""Read models of books: registers, periods, vouchers, postings and running balances.

Running balances: per book, month and (account, sub-ledger) key at most one row
(``anju_balance_months``): the cumulative debits and credits (in fen) at the end of the
month before and at the end of the month, and the month's running totals, one per date on
which the key moved, packed into one column. A key has a row in each month it moved in and
in each anchor month (January, April, July, October) from its first month through the
book's latest month, so a balance as of any date is one range read of at most three
months' rows of the book (the anchor month at or before it through its month), taking each
key's latest: a trial balance costs in proportion to the accounts and sub-ledgers, not to
the postings or the months of history, and a month in which a key does not move costs no row.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from datetime import date

import orjson
from eventsourcing.utils import resolve_topic

from ledger.book import OPENING_NUMBER, Book, BookMonth
from decimal import Decimal

from ledger.money import to_fen
from ledger.sqldb import Database, Transaction
from projections.base import ReadModel, Table, book_of, stream_of
from projections.runner import LogEntry


def _topic(event_class: type) -> str:
    return f"{event_class.__module__}:{event_class.__qualname__}"


VOUCHER_RECORDED_TOPIC = _topic(BookMonth.VoucherRecorded)
_BOOK_EVENTS = (BookMonth.VoucherReversed, BookMonth.Closed, BookMonth.Reopened, BookMonth.Started, Book.Opened,
                Book.SubAccountAdded, Book.OpeningBalancesEntered)
#: The topics of the events the books read model decodes (the rare ones: periods, reversals, books).
BOOK_TOPICS = frozenset(_topic(event_class) for event_class in _BOOK_EVENTS)
_other_topics: dict[str, bool] = {}


def _names_book_event(topic: str) -> bool:
    """A topic not among ``BOOK_TOPICS`` that still names one of its classes (an old registered topic)."""
    known = _other_topics.get(topic)
    if known is None:
        try:
            known = resolve_topic(topic) in _BOOK_EVENTS
        except Exception:
            known = True  # unknown: decode it, so a broken event stops the read model visibly
        _other_topics[topic] = known
    return known


def _iso(day: date) -> str:
    return day.isoformat()


_PLAIN_AMOUNT = re.compile(r"-?\d+\.\d\d")


def _fen_of(text: str) -> int:
    """Whole fen in a stored amount: ``to_fen(Decimal(text))``, without a Decimal for the plain two-place form."""
    if _PLAIN_AMOUNT.fullmatch(text):
        return int(text.replace(".", "", 1))
    return to_fen(Decimal(text))


def _yuan(fen: int) -> str:
    """``str(from_fen(fen))`` without a Decimal: yuan with two places."""
    whole, cents = divmod(-fen if fen < 0 else fen, 100)
    return f"{'-' if fen < 0 else ''}{whole}.{cents:02d}"


BOOKS = Table(
    "anju_books",
    ("book_code TEXT NOT NULL", "name TEXT NOT NULL", "entity_kind TEXT NOT NULL", "community_id TEXT NOT NULL",
     "township_id TEXT NOT NULL", "chart_name TEXT NOT NULL", "starts_on TEXT NOT NULL", "sub_accounts TEXT NOT NULL",
     "opened_at TEXT NOT NULL", "opened_by TEXT NOT NULL"),
    ("book_code",),
    digest_columns=("book_code", "name", "entity_kind", "community_id", "township_id", "chart_name", "starts_on",
                    "sub_accounts"),
)
PERIODS = Table(
    "anju_periods",
    ("book_code TEXT NOT NULL", "month TEXT NOT NULL", "closed INTEGER NOT NULL", "changed_at TEXT NOT NULL",
     "changed_by TEXT NOT NULL"),
    ("book_code", "month"),
    digest_columns=("book_code", "month", "closed"),
)
VOUCHERS = Table(
    "anju_vouchers",
    ("book_code TEXT NOT NULL", "number TEXT NOT NULL", "sequence INTEGER NOT NULL", "month TEXT NOT NULL",
     "voucher_date TEXT NOT NULL", "summary TEXT NOT NULL", "lines TEXT NOT NULL", "total_fen BIGINT NOT NULL",
     "attachments INTEGER NOT NULL", "source TEXT NOT NULL", "reverses TEXT", "reversed_by TEXT",
     "recorded_by TEXT NOT NULL", "recorded_at TEXT NOT NULL", "reason TEXT NOT NULL", "position BIGINT NOT NULL"),
    ("book_code", "number"),
    digest_columns=("book_code", "number", "voucher_date", "summary", "lines", "total_fen", "reverses",
                    "reversed_by", "position"),
)
POSTINGS = Table(
    "anju_postings",
    ("book_code TEXT NOT NULL", "account_code TEXT NOT NULL", "subledger TEXT NOT NULL", "voucher_date TEXT NOT NULL",
     "number TEXT NOT NULL", "line_no INTEGER NOT NULL", "debit_fen BIGINT NOT NULL", "credit_fen BIGINT NOT NULL",
     "summary TEXT NOT NULL", "position BIGINT NOT NULL"),
    ("book_code", "number", "line_no"),
    indexes=(("book_code", "account_code", "voucher_date", "position"),),
)
BALANCE_MONTHS = Table(
    "anju_balance_months",
    ("book_code TEXT NOT NULL", "month TEXT NOT NULL", "account_code TEXT NOT NULL", "subledger TEXT NOT NULL",
     # Through the end of the month before (NULL: the key had no posting before this month) and of this month.
     "debit_cum_open BIGINT", "credit_cum_open BIGINT", "debit_cum_close BIGINT NOT NULL",
     "credit_cum_close BIGINT NOT NULL",
     # The month's running rows, [[day of month, debit_cum, credit_cum], ...] in date order ("[]": no movement).
     "days TEXT NOT NULL"),
    # Key first, as postings arrive (one key's months); the trial balance reads one month of a book.
    ("book_code", "account_code", "subledger", "month"),
    indexes=(("book_code", "month"),),
)


class BooksProjection(ReadModel):
    """Books, periods, vouchers, postings and running balances (the hot path reads stored JSON)."""

    name = "books"
    tables = (BOOKS, PERIODS, VOUCHERS, POSTINGS, BALANCE_MONTHS)

    def create_tables(self, tx: Transaction) -> None:
        super().create_tables(tx)
        # A store written before the month rows kept one running-balance row per key and date
        # (anju_balances, its keys in anju_balance_keys): its month rows are derived from those
        # once, and the old tables go.
        if tx.dialect == "postgres":
            old = tx.query_one("SELECT to_regclass('anju_balances') IS NOT NULL")
        else:
            old = tx.query_one("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'anju_balances'")
        if old and old[0]:
            rows = tx.query("SELECT book_code, account_code, subledger, on_date, debit_cum, credit_cum"
                            " FROM anju_balances ORDER BY book_code, account_code, subledger, on_date")
            tx.execute("DELETE FROM anju_balance_months")
            tx.executemany(BALANCE_MONTHS.insert_sql(), balance_months_of(rows))
            tx.execute("DROP TABLE anju_balances")
            tx.execute("DROP TABLE IF EXISTS anju_balance_keys")
        # A store written by 12923a7 kept a row for every key in every month through its book's latest
        # (carried forward where the key did not move): those outside the anchor months go. No other
        # row has no movement, so on a store in today's layout this deletes nothing.
        tx.execute("DELETE FROM anju_balance_months WHERE days = '[]' AND substr(month, 6, 2) NOT IN"
                   " ('01', '04', '07', '10')")

    def handle(self, tx: Transaction, entries: list[LogEntry]) -> None:
        deltas: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
        postings: list[tuple] = []
        vouchers: list[tuple] = []
        reversals: list[tuple] = []  # (red number, book, month, sequence): applied after the vouchers are written
        for entry in entries:
            topic = entry.topic
            if topic == VOUCHER_RECORDED_TOPIC:  # the hot path: read the stored JSON directly
                self._voucher(entry, deltas, postings, vouchers)
                continue
            if topic not in BOOK_TOPICS and not _names_book_event(topic):
                continue  # dispatch by topic string: no other event is decoded
            event = entry.event
            if isinstance(event, BookMonth.VoucherReversed):
                reversals.append((event.red_number, *self._month_key(tx, entry), event.sequence))
            elif isinstance(event, BookMonth.Closed | BookMonth.Reopened | BookMonth.Started):
                self._period(tx, entry, event)  # periods touch neither vouchers nor balances: no flush
            elif isinstance(event, Book.Opened):
                tx.execute(
                    "INSERT INTO anju_books VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (event.book_code, event.name, event.entity_kind, event.community_id, event.township_id,
                     event.chart_name, _iso(event.starts_on), "[]", event.timestamp.isoformat(), event.audit.actor),
                )
            elif isinstance(event, Book.SubAccountAdded):
                row = tx.query_one("SELECT book_code, sub_accounts FROM anju_books WHERE book_code = ?",
                                   (book_of(tx, entry),))
                if row:
                    added = json.loads(row[1]) + [[event.code, event.name_zh, event.name_en]]
                    tx.execute("UPDATE anju_books SET sub_accounts = ? WHERE book_code = ?",
                               (json.dumps(added, ensure_ascii=False), row[0]))
            elif isinstance(event, Book.OpeningBalancesEntered):
                self._flush(tx, deltas, postings, vouchers, reversals)
                self._opening(tx, entry, event, deltas, postings)
                self._flush(tx, deltas, postings, vouchers, reversals)
        self._flush(tx, deltas, postings, vouchers, reversals)

    def _opening(self, tx: Transaction, entry: LogEntry, event: Book.OpeningBalancesEntered, deltas,
                 postings) -> None:
        """期初余额 as postings numbered ``OPENING_NUMBER`` on the opening date; a replacement takes the old out."""
        book_code, day = event.book_code, _iso(event.opening_date)
        for account, subledger, debit_fen, credit_fen in tx.query(
                "SELECT account_code, subledger, debit_fen, credit_fen FROM anju_postings WHERE book_code = ?"
                " AND number = ?", (book_code, OPENING_NUMBER)):
            delta = deltas[(book_code, account, subledger, day)]
            delta[0] -= int(debit_fen)
            delta[1] -= int(credit_fen)
        tx.execute("DELETE FROM anju_postings WHERE book_code = ? AND number = ?", (book_code, OPENING_NUMBER))
        for line_no, line in enumerate(event.lines, start=1):
            debit_fen, credit_fen = to_fen(line.debit), to_fen(line.credit)
            delta = deltas[(book_code, line.account_code, line.subledger, day)]
            delta[0] += debit_fen
            delta[1] += credit_fen
            postings.append((book_code, line.account_code, line.subledger, day, OPENING_NUMBER, line_no,
                             debit_fen, credit_fen, line.memo or OPENING_NUMBER, entry.position))

    def _month_key(self, tx: Transaction, entry: LogEntry) -> tuple[str, str]:
        """(book, month) of a BookMonth stream, from the shared stream index (its code is the month)."""
        stream = stream_of(tx, entry)
        return stream.book_code, stream.code

    def _period(self, tx: Transaction, entry: LogEntry, event: object) -> None:
        if isinstance(event, BookMonth.Started):
            book_code, month = event.book_code, event.month
        else:
            book_code, month = self._month_key(tx, entry)
        closed = 1 if isinstance(event, BookMonth.Closed) else 0
        tx.execute(
            "INSERT INTO anju_periods VALUES (?, ?, ?, ?, ?) ON CONFLICT (book_code, month) DO UPDATE SET"
            " closed = excluded.closed, changed_at = excluded.changed_at, changed_by = excluded.changed_by",
            (book_code, month, closed, event.timestamp.isoformat(), event.audit.actor),
        )

    def _voucher(self, entry: LogEntry, deltas, postings, vouchers) -> None:
        voucher = entry.data["voucher"]["_data_"]
        book_code, number, summary = voucher["book_code"], voucher["number"], voucher["summary"]
        day = voucher["voucher_date"]["_data_"]
        lines = []
        for line_no, wrapped in enumerate(voucher["lines"], start=1):
            line = wrapped["_data_"]
            debit_fen, credit_fen = _fen_of(line["debit"]["_data_"]), _fen_of(line["credit"]["_data_"])
            delta = deltas[(book_code, line["account_code"], line["subledger"], day)]
            delta[0] += debit_fen
            delta[1] += credit_fen
            postings.append((book_code, line["account_code"], line["subledger"], day, number, line_no,
                             debit_fen, credit_fen, line["memo"] or summary, entry.position))
            lines.append([line["account_code"], line["subledger"], _yuan(debit_fen), _yuan(credit_fen),
                          line["memo"]])
        audit = entry.audit
        vouchers.append((
            book_code, number, voucher["sequence"], day[:7], day, summary,
            json.dumps(lines, ensure_ascii=False), _fen_of(voucher["lines_total"]["_data_"]),
            voucher["attachments"], voucher["source"], voucher["reverses"], None, audit["actor"], entry.recorded_at,
            audit["reason"], entry.position,
        ))

    def _flush(self, tx: Transaction, deltas, postings, vouchers, reversals) -> None:
        tx.executemany("INSERT INTO anju_vouchers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", vouchers)
        tx.executemany("INSERT INTO anju_postings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", postings)
        for reversal in reversals:  # the red voucher's original may be among the vouchers just written
            tx.execute("UPDATE anju_vouchers SET reversed_by = ? WHERE book_code = ? AND month = ? AND sequence = ?",
                       reversal)
        by_book: dict[str, dict[tuple[str, str], dict[str, list[int]]]] = defaultdict(lambda: defaultdict(dict))
        for (book_code, account, subledger, day), delta in deltas.items():
            by_book[book_code][(account, subledger)][day] = delta
        month_upserts: list[tuple] = []
        for book_code, keys in by_book.items():
            month_upserts.extend(self._book_rows(tx, book_code, keys))
        if month_upserts:
            tx.executemany(
                "INSERT INTO anju_balance_months VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (book_code, month,"
                " account_code, subledger) DO UPDATE SET debit_cum_open = excluded.debit_cum_open, credit_cum_open"
                " = excluded.credit_cum_open, debit_cum_close = excluded.debit_cum_close, credit_cum_close ="
                " excluded.credit_cum_close, days = excluded.days",
                month_upserts,
            )
        deltas.clear()
        postings.clear()
        vouchers.clear()
        reversals.clear()

    @staticmethod
    def _book_rows(tx: Transaction, book_code: str, keys: dict[tuple[str, str], dict[str, list[int]]]) -> list[tuple]:
        """The month rows one batch's movements of one book write: each moved key's rows from the
        month of its earliest new date on (its moved months and the anchor months through the
        book's latest), and, when the book moves past an anchor month, every other key's anchor rows.

        The stored rows are read in one query per book (per 300 keys when few of the book's keys
        move): every key's from the anchor month at or before the earliest month concerned, where
        each key with an earlier posting has a row holding its totals before that month.
        """
        row = tx.query_one("SELECT MAX(month) FROM anju_balance_months WHERE book_code = ?", (book_code,))
        stored_latest = row[0] if row else None
        first = min(min(days) for days in keys.values())[:7]
        newest = max(max(days) for days in keys.values())[:7]
        latest = newest if stored_latest is None or newest > stored_latest else stored_latest
        stored: dict[tuple[str, str], list[Any]] = defaultdict(list)
        crossing = False
        if stored_latest is None:
            start = first
        else:
            start = anchor_of(min(first, stored_latest))
            carried_from = anchor_of(stored_latest)
            crossing = anchor_of(latest) > stored_latest  # the book reaches an anchor month it had no rows in
            if (crossing or len(keys) > _FEW_KEYS) and start == carried_from:
                for r in tx.query(_STORED_ROWS + " ORDER BY month", (book_code, start)):
                    stored[(r[1], r[2])].append(r)
            else:
                touched = list(keys)
                for at in range(0, len(touched), _FEW_KEYS):
                    part = touched[at:at + _FEW_KEYS]
                    sql = (_STORED_ROWS + " AND (account_code, subledger) IN (VALUES "
                           + ", ".join(["(?, ?)"] * len(part)) + ") ORDER BY month")
                    for r in tx.query(sql, (book_code, start, *(text for key in part for text in key))):
                        stored[(r[1], r[2])].append(r)
                if crossing:
                    for r in tx.query(_STORED_ROWS + " ORDER BY month", (book_code, carried_from)):
                        if (r[1], r[2]) not in keys:
                            stored[(r[1], r[2])].append(r)
        # A moved key's rows change from its earliest new month on, and it gains the anchor months the
        # book reaches in this batch.
        reached = _month(_first_anchor_after(stored_latest)) if stored_latest is not None else first
        rows: list[tuple] = []
        for key, new in keys.items():
            since = min(min(new)[:7], reached)
            rows.extend(_merged_key_rows(book_code, key, start, stored.get(key, ()), new, latest, since))
        if crossing:
            anchors = [_month(i) for i in range(_first_anchor_after(stored_latest), _index(latest) + 1, ANCHOR_MONTHS)]
            for key, key_rows in stored.items():
                if key in keys:
                    continue
                closing = (key_rows[-1][5], key_rows[-1][6])
                rows.extend((book_code, anchor, key[0], key[1], *closing, *closing, "[]") for anchor in anchors)
        return rows


#: Every key with a posting before an anchor month (January, April, July, October) has a row in it
#: (its totals carried when it did not move then); in other months only the keys that moved have rows.
ANCHOR_MONTHS = 3
#: Fewer moved keys of a book than this: their stored rows are read by key, else the book's rows.
_FEW_KEYS = 300
_STORED_ROWS = ("SELECT month, account_code, subledger, debit_cum_open, credit_cum_open, debit_cum_close,"
                " credit_cum_close, days FROM anju_balance_months WHERE book_code = ? AND month >= ?")


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


_MONTHS: dict[int, str] = {}


def _month(index: int) -> str:
    month = _MONTHS.get(index)
    if month is None:
        month = _MONTHS[index] = f"{index // 12:04d}-{index % 12 + 1:02d}"
    return month


def anchor_of(month: str) -> str:
    """The anchor month at or before ``month`` (the first month of its quarter)."""
    index = _index(month)
    return _month(index - index % ANCHOR_MONTHS)


def _first_anchor_after(month: str) -> int:
    index = _index(month) + 1
    return index + (-index) % ANCHOR_MONTHS


def _merged_key_rows(book_code: str, key: tuple[str, str], start: str, stored: Any, new: dict[str, list[int]],
                     latest: str, since: str) -> list[tuple]:
    """One key's rows from month ``since`` on: its stored running totals from the
    anchor month ``start`` on (``stored``, in month order) merged with the new movements.

    Postings usually arrive in date order, so this rewrites only the current month's row; a
    back-dated posting rewrites the key's later rows (moved months and anchors) once per batch.
    """
    opening: tuple[int, int] | None = None
    kept = 0
    while kept < len(stored) and stored[kept][0] < since:
        kept += 1
    if kept:  # the rows before ``since`` stay as they are: only their closing totals count here
        opening, start, stored = (int(stored[kept - 1][5]), int(stored[kept - 1][6])), since, stored[kept:]
    elif stored and stored[0][0] == start and stored[0][3] is not None:
        opening = (int(stored[0][3]), int(stored[0][4]))  # else the key had no posting before ``start``
    movement: dict[str, list[int]] = {}
    previous = opening or (0, 0)
    for month, _account, _subledger, _debit_open, _credit_open, _debit_close, _credit_close, days in stored:
        if days == "[]":
            continue
        for day_of_month, debit_cum, credit_cum in orjson.loads(days):  # recover each stored day's own movement
            movement[f"{month}-{day_of_month:02d}"] = [debit_cum - previous[0], credit_cum - previous[1]]
            previous = (debit_cum, credit_cum)
    for day, (debit_fen, credit_fen) in new.items():
        own = movement.setdefault(day, [0, 0])
        own[0] += debit_fen
        own[1] += credit_fen
    debit_cum, credit_cum = opening or (0, 0)
    running = []
    for day in sorted(movement):
        debit_cum += movement[day][0]
        credit_cum += movement[day][1]
        running.append((day, debit_cum, credit_cum))
    return month_rows((book_code, *key), start if opening is not None else None, opening, running, latest, since)


def month_rows(key: tuple[str, str, str], start: str | None, opening: tuple[int, int] | None,
               running: list[tuple[str, int, int]], latest_month: str, since: str = "") -> list[tuple]:
    """``anju_balance_months`` rows of one key (book, account, sub-ledger): one for each month with a
    running row and one for each anchor month from the key's first month through ``latest_month``;
    only those of months from ``since`` on.

    ``running``: (date, debit_cum, credit_cum) in date order, every row of the key from the first day
    of month ``start`` on; ``opening``: the totals before ``start`` (None: no posting before it, and
    ``start`` is then the month of the first running row).
    """
    if not running and opening is None:
        return []
    first = _index(start if opening is not None and start else running[0][0][:7])
    months = {_index(day[:7]) for day, _debit, _credit in running}
    months.update(range(first + (-first) % ANCHOR_MONTHS, _index(latest_month) + 1, ANCHOR_MONTHS))
    since_index = _index(since) if since else first
    rows = []
    totals = opening
    at, count = 0, len(running)
    for index in sorted(months):
        month = _month(index)
        before = totals
        days = []
        while at < count and running[at][0][:7] == month:
            day, debit_cum, credit_cum = running[at]
            days.append(f"[{int(day[8:])},{debit_cum},{credit_cum}]")
            totals = (debit_cum, credit_cum)
            at += 1
        if index >= since_index:
            assert totals is not None
            rows.append((key[0], month, key[1], key[2], *(before or (None, None)), *totals,
                         "[" + ",".join(days) + "]"))
    return rows


def balance_months_of(balances: list[tuple]) -> list[tuple]:
    """Every ``anju_balance_months`` row implied by running-balance rows (book, account, sub-ledger,
    date, debit_cum, credit_cum) sorted by key and date: each key's moved months and anchor months
    through its book's latest month."""
    latest: dict[str, str] = {}
    for row in balances:
        if row[3][:7] > latest.get(row[0], ""):
            latest[row[0]] = row[3][:7]
    rows: list[tuple] = []
    start = 0
    for index in range(1, len(balances) + 1):
        if index == len(balances) or balances[index][:3] != balances[start][:3]:
            key = balances[start][:3]
            running = [(r[3], int(r[4]), int(r[5])) for r in balances[start:index]]
            rows.extend(month_rows(key, None, None, running, latest[key[0]]))
            start = index
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))  # month by month, as the read model writes them
    return rows



# --- query functions the books routes call ---------------------------------------------
def book_codes(tx: Transaction) -> list[str]:
    return [row[0] for row in tx.query("SELECT book_code FROM anju_books ORDER BY book_code")]


def book_scopes(tx: Transaction) -> dict[str, tuple[str, str]]:
    """book code → (community, township), for filtering by a token's scope."""
    return {code: (community, township) for code, community, township in
            tx.query("SELECT book_code, community_id, township_id FROM anju_books")}


@dataclass(frozen=True)
class PeriodRow:
    month: str
    closed: bool
    changed_at: str | None
    changed_by: str | None


def periods_of(tx: Transaction, book_code: str) -> list[PeriodRow]:
    rows = tx.query("SELECT month, closed, changed_at, changed_by FROM anju_periods WHERE book_code = ?"
                    " ORDER BY month", (book_code,))
    return [PeriodRow(m, bool(c), at, by) for m, c, at, by in rows]


@dataclass(frozen=True)
class VoucherSummary:
    number: str
    voucher_date: str
    summary: str
    total_fen: int
    reverses: str | None
    reversed_by: str | None
    recorded_by: str
    recorded_at: str


def voucher_page(tx: Transaction, book_code: str, month: str | None, as_of: date | None, cursor: str | None,
                 limit: int) -> tuple[list[VoucherSummary], str | None]:
    """Vouchers in number order (of one month, dated on or before ``as_of``), one page and the next cursor."""
    sql = ("SELECT number, voucher_date, summary, total_fen, reverses, reversed_by, recorded_by, recorded_at"
           " FROM anju_vouchers WHERE book_code = ?")
    params: list[Any] = [book_code]
    if month:
        sql += " AND month = ?"
        params.append(month)
    if as_of:
        sql += " AND voucher_date <= ?"
        params.append(as_of.isoformat())
    if cursor:
        sql += " AND number > ?"
        params.append(cursor)
    rows = tx.query(sql + " ORDER BY number LIMIT ?", [*params, limit + 1])
    items = [VoucherSummary(r[0], r[1], r[2], int(r[3]), r[4], r[5], r[6], r[7]) for r in rows[:limit]]
    return items, items[-1].number if len(rows) > limit else None


@dataclass(frozen=True)
class VoucherRecord:
    number: str
    voucher_date: str
    summary: str
    lines: list[tuple[str, str, str, str, str]]  # account, sub-ledger, debit, credit, memo (yuan strings)
    total_fen: int
    attachments: int
    source: str
    reverses: str | None
    reversed_by: str | None
    recorded_by: str
    recorded_at: str
    reason: str
    position: int


def voucher_record(tx: Transaction, book_code: str, number: str, as_of: date | None) -> VoucherRecord | None:
    """A voucher as known on ``as_of``: None if it is dated later; its red voucher only if dated by then."""
    row = tx.query_one(
        "SELECT number, voucher_date, summary, lines, total_fen, attachments, source, reverses, reversed_by,"
        " recorded_by, recorded_at, reason, position FROM anju_vouchers WHERE book_code = ? AND number = ?",
        (book_code, number))
    if row is None or (as_of is not None and row[1] > as_of.isoformat()):
        return None
    reversed_by = row[8]
    if reversed_by and as_of is not None:
        red = tx.query_one("SELECT voucher_date FROM anju_vouchers WHERE book_code = ? AND number = ?",
                           (book_code, reversed_by))
        if red and red[0] > as_of.isoformat():
            reversed_by = None
    lines = [tuple(line) for line in json.loads(row[3])]
    return VoucherRecord(row[0], row[1], row[2], lines, int(row[4]), row[5], row[6], row[7], reversed_by,  # type: ignore[arg-type]
                         row[9], row[10], row[11], int(row[12]))


def seed_running_balances(db: Database, rows: list[tuple], analyze: bool) -> None:
    """Bench only: write the running balances of new keys directly, as the month rows the read model
    would write for running totals (book, account, sub-ledger, date, Σdr, Σcr) sorted by key and date."""
    months = balance_months_of(rows)
    with db.transaction() as tx:
        for chunk in range(0, len(months), 20_000):
            tx.executemany(BALANCE_MONTHS.insert_sql(), months[chunk:chunk + 20_000])
    if analyze:
        with db.transaction() as tx:
            tx.execute("ANALYZE anju_balance_months")
