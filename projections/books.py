"""Read models of books: registers, periods, vouchers, postings and running balances.

Running balances: for each (book, account, sub-ledger) one row per date on which it
moved, holding the cumulative debits and credits through that date (in fen). A
balance as of any date is one index seek per account and sub-ledger, so a trial
balance costs in proportion to the number of accounts, not of postings.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from datetime import date

from eventsourcing.utils import resolve_topic

from ledger.book import OPENING_NUMBER, Book, BookMonth
from decimal import Decimal

from ledger.money import from_fen, to_fen
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
BALANCES = Table(
    "anju_balances",
    ("book_code TEXT NOT NULL", "account_code TEXT NOT NULL", "subledger TEXT NOT NULL", "on_date TEXT NOT NULL",
     "debit_cum BIGINT NOT NULL", "credit_cum BIGINT NOT NULL"),
    ("book_code", "account_code", "subledger", "on_date"),
)
BALANCE_KEYS = Table(
    "anju_balance_keys",
    ("book_code TEXT NOT NULL", "account_code TEXT NOT NULL", "subledger TEXT NOT NULL"),
    ("book_code", "account_code", "subledger"),
    digested=False,  # the distinct keys of anju_balances
)


class BooksProjection(ReadModel):
    """Books, periods, vouchers, postings and running balances (the hot path reads stored JSON)."""

    name = "books"
    tables = (BOOKS, PERIODS, VOUCHERS, POSTINGS, BALANCES, BALANCE_KEYS)

    def handle(self, tx: Transaction, entries: list[LogEntry]) -> None:
        deltas: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
        postings: list[tuple] = []
        vouchers: list[tuple] = []
        for entry in entries:
            topic = entry.topic
            if topic == VOUCHER_RECORDED_TOPIC:  # the hot path: read the stored JSON directly
                self._voucher(entry, deltas, postings, vouchers)
                continue
            if topic not in BOOK_TOPICS and not _names_book_event(topic):
                continue  # dispatch by topic string: no other event is decoded
            event = entry.event
            if isinstance(event, BookMonth.VoucherReversed):
                self._flush(tx, deltas, postings, vouchers)
                tx.execute(
                    "UPDATE anju_vouchers SET reversed_by = ? WHERE book_code = ? AND month = ? AND sequence = ?",
                    (event.red_number, *self._month_key(tx, entry), event.sequence),
                )
            elif isinstance(event, BookMonth.Closed | BookMonth.Reopened | BookMonth.Started):
                self._flush(tx, deltas, postings, vouchers)
                self._period(tx, entry, event)
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
                self._flush(tx, deltas, postings, vouchers)
                self._opening(tx, entry, event, deltas, postings)
                self._flush(tx, deltas, postings, vouchers)
        self._flush(tx, deltas, postings, vouchers)

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
            debit_text, credit_text = line["debit"]["_data_"], line["credit"]["_data_"]
            debit_fen, credit_fen = to_fen(Decimal(debit_text)), to_fen(Decimal(credit_text))
            delta = deltas[(book_code, line["account_code"], line["subledger"], day)]
            delta[0] += debit_fen
            delta[1] += credit_fen
            postings.append((book_code, line["account_code"], line["subledger"], day, number, line_no,
                             debit_fen, credit_fen, line["memo"] or summary, entry.position))
            lines.append([line["account_code"], line["subledger"], str(from_fen(debit_fen)),
                          str(from_fen(credit_fen)), line["memo"]])
        audit = entry.audit
        vouchers.append((
            book_code, number, voucher["sequence"], day[:7], day, summary,
            json.dumps(lines, ensure_ascii=False), to_fen(Decimal(voucher["lines_total"]["_data_"])),
            voucher["attachments"], voucher["source"], voucher["reverses"], None, audit["actor"], entry.recorded_at,
            audit["reason"], entry.position,
        ))

    def _flush(self, tx: Transaction, deltas, postings, vouchers) -> None:
        tx.executemany("INSERT INTO anju_vouchers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", vouchers)
        tx.executemany("INSERT INTO anju_postings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", postings)
        by_key: dict[tuple[str, str, str], dict[str, list[int]]] = defaultdict(dict)
        for (book_code, account, subledger, day), delta in deltas.items():
            by_key[(book_code, account, subledger)][day] = delta
        upserts: list[tuple] = []
        for key, days in by_key.items():
            upserts.extend(self._running_rows(tx, key, days))
        if by_key:
            tx.executemany("INSERT INTO anju_balance_keys VALUES (?, ?, ?) ON CONFLICT DO NOTHING", list(by_key))
        tx.executemany(
            "INSERT INTO anju_balances VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (book_code, account_code, subledger,"
            " on_date) DO UPDATE SET debit_cum = excluded.debit_cum, credit_cum = excluded.credit_cum",
            upserts,
        )
        deltas.clear()
        postings.clear()
        vouchers.clear()

    @staticmethod
    def _running_rows(tx: Transaction, key: tuple[str, str, str], new: dict[str, list[int]]) -> list[tuple]:
        """The running-total rows of one key from its earliest new date on, merged with what is stored.

        Postings usually arrive in date order, so this rewrites only the new rows; a back-dated
        posting rewrites the later rows of its own key once per batch, not once per posting.
        """
        first = min(new)
        # One query: the latest stored row before ``first`` (the base) and every row from ``first`` on.
        stored = tx.query(
            "SELECT on_date, debit_cum, credit_cum FROM anju_balances WHERE book_code = ? AND account_code = ?"
            " AND subledger = ? AND on_date >= COALESCE((SELECT MAX(on_date) FROM anju_balances WHERE"
            " book_code = ? AND account_code = ? AND subledger = ? AND on_date < ?), ?) ORDER BY on_date",
            (*key, *key, first, first))
        debit_cum, credit_cum = 0, 0
        if stored and stored[0][0] < first:
            debit_cum, credit_cum = int(stored[0][1]), int(stored[0][2])
            stored = stored[1:]
        movement: dict[str, list[int]] = {}
        previous = (debit_cum, credit_cum)
        for day, stored_debit, stored_credit in stored:  # recover each stored day's own movement
            movement[day] = [int(stored_debit) - previous[0], int(stored_credit) - previous[1]]
            previous = (int(stored_debit), int(stored_credit))
        for day, (debit_fen, credit_fen) in new.items():
            own = movement.setdefault(day, [0, 0])
            own[0] += debit_fen
            own[1] += credit_fen
        rows = []
        for day in sorted(movement):
            debit_cum += movement[day][0]
            credit_cum += movement[day][1]
            rows.append((*key, day, debit_cum, credit_cum))
        return rows


def read_models() -> list:
    return [BooksProjection()]


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


def seed_running_balances(db: Database, keys: list[tuple[str, str, str]], rows: list[tuple], analyze: bool) -> None:
    """Bench only: write synthetic running-balance rows (book, account, sub-ledger, date, Σdr, Σcr) directly."""
    with db.transaction() as tx:
        tx.executemany("INSERT INTO anju_balance_keys VALUES (?, ?, ?) ON CONFLICT DO NOTHING", keys)
        for chunk in range(0, len(rows), 20_000):
            tx.executemany("INSERT INTO anju_balances VALUES (?, ?, ?, ?, ?, ?)", rows[chunk:chunk + 20_000])
    if analyze:
        with db.transaction() as tx:
            tx.execute("ANALYZE anju_balances")
