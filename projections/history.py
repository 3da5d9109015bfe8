"""The audit index of the global log: who recorded what, when and why, per book.

Every event carries an ``audit`` stamp (actor, role, reason, idempotency key) and a
UTC timestamp. This read model lists them by position, and by book for a book's
history: a stream belongs to the book named by its first event's ``book_code``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ledger.sqldb import Transaction
from projections.base import ReadModel, Table, insert_rows
from projections.runner import LogEntry


EVENT_INDEX = Table(
    "anju_event_index",
    ("position BIGINT NOT NULL", "originator_id TEXT NOT NULL", "originator_version BIGINT NOT NULL",
     "event_type TEXT NOT NULL", "book_code TEXT", "actor TEXT", "role TEXT", "reason TEXT", "idempotency_key TEXT",
     "recorded_at TEXT NOT NULL"),
    ("position",),
    indexes=(("book_code", "position"), ("originator_id", "originator_version")),
)


class HistoryProjection(ReadModel):
    """Every event's who / when / why and its book (from the shared stream index)."""

    name = "history"
    tables = (EVENT_INDEX,)

    def handle(self, tx: Transaction, entries: list[LogEntry]) -> None:
        rows = []
        books = _books_of_streams(tx, {entry.stream_id for entry in entries})
        for entry in entries:
            originator = entry.stream_id
            audit = entry.audit
            rows.append((
                entry.position, originator, entry.originator_version, event_type(entry.topic), books[originator],
                audit.get("actor"), audit.get("role"), audit.get("reason"), audit.get("idempotency_key"),
                entry.recorded_at,
            ))
        insert_rows(tx, EVENT_INDEX, rows)


def _books_of_streams(tx: Transaction, originators: set[str]) -> dict[str, str | None]:
    """originator id → book code (None: a stream without a book), a few hundred ids per query."""
    books: dict[str, str | None] = dict.fromkeys(originators)
    ids = sorted(originators)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        for originator, book_code in tx.query(
                f"SELECT originator_id, book_code FROM anju_streams WHERE originator_id IN ({marks})", chunk):
            books[originator] = book_code
    return books


def event_type(topic: str) -> str:
    """``ledger.book:BookMonth.VoucherRecorded`` → ``BookMonth.VoucherRecorded``."""
    return topic.split(":", 1)[-1]



# --- query functions the audit and book-history routes call ----------------------------
@dataclass(frozen=True)
class EventRow:
    """An event in the log with its audit stamp and chain link (the global log, a book's, a stream's)."""

    position: int
    event_type: str
    book_code: str | None
    actor: str | None
    role: str | None
    reason: str | None
    idempotency_key: str | None
    recorded_at: str
    stream_id: str
    stream_version: int
    chain_link: str | None


#: ``EventRow``'s columns: add a ``WHERE`` (on ``e.``) and an ``ORDER BY``; build rows with ``event_row``.
EVENT_COLUMNS = ("SELECT e.position, e.event_type, e.book_code, e.actor, e.role, e.reason, e.idempotency_key,"
                 " e.recorded_at, e.originator_id, e.originator_version, c.link FROM anju_event_index e"
                 " LEFT JOIN anju_chain c ON c.position = e.position")


def event_row(r: Any, with_link: bool = True) -> EventRow:
    return EventRow(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7], str(r[8]), int(r[9]),
                    bytes(r[10]).hex() if (r[10] is not None and with_link) else None)


def events_page(tx: Transaction, after: int, limit: int, book_code: str | None = None,
                recorded_before: date | None = None, with_links: bool = True) -> tuple[list[EventRow], int | None]:
    """Events in log order after ``after`` (of one book; recorded on or before a date), and the next cursor."""
    sql = EVENT_COLUMNS + " WHERE e.position > ?"
    params: list[Any] = [after]
    if book_code is not None:
        sql += " AND e.book_code = ?"
        params.append(book_code)
    if recorded_before is not None:
        sql += " AND e.recorded_at < ?"
        params.append(recorded_before.isoformat() + "T99")  # recorded_at is ISO UTC: every time of that day
    rows = tx.query(sql + " ORDER BY e.position LIMIT ?", [*params, limit + 1])
    events = [event_row(r, with_links) for r in rows[:limit]]
    return events, events[-1].position if len(rows) > limit else None


def what_the_index_saw(tx: Transaction) -> tuple[int, list[int]]:
    """The highest position this read model indexed and where it saw checkpoint events (a witness for verify:
    a log whose tail was cut after these rows were written is shorter than what they name)."""
    row = tx.query_one("SELECT MAX(position) FROM anju_event_index")
    checkpoints = [int(r[0]) for r in tx.query("SELECT position FROM anju_event_index WHERE event_type = ?"
                                               " ORDER BY position", ("CheckpointRegister.Sealed",))]
    return (int(row[0]) if row and row[0] is not None else 0), checkpoints
