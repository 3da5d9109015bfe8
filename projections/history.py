"""The audit index of the global log: who recorded what, when and why, per book.

Every event carries an ``audit`` stamp (actor, role, reason, idempotency key) and a
UTC timestamp. This read model lists them by position, and by book for a book's
history: a stream belongs to the book named by its first event's ``book_code``.
"""

from __future__ import annotations

from ledger.sqldb import Transaction
from projections.runner import LogEntry


class HistoryProjection:
    name = "history"
    tables = ("anju_event_index", "anju_stream_books")

    def create_tables(self, tx: Transaction) -> None:
        tx.execute(
            "CREATE TABLE IF NOT EXISTS anju_event_index (position BIGINT PRIMARY KEY, originator_id TEXT NOT NULL,"
            " originator_version BIGINT NOT NULL, event_type TEXT NOT NULL, book_code TEXT, actor TEXT,"
            " role TEXT, reason TEXT, idempotency_key TEXT, recorded_at TEXT NOT NULL)"
        )
        tx.execute("CREATE INDEX IF NOT EXISTS anju_event_index_by_book ON anju_event_index (book_code, position)")
        tx.execute(
            "CREATE TABLE IF NOT EXISTS anju_stream_books (originator_id TEXT PRIMARY KEY, book_code TEXT NOT NULL)"
        )

    def handle(self, tx: Transaction, entries: list[LogEntry]) -> None:
        rows = []
        streams: dict[str, str | None] = {}
        for entry in entries:
            originator = str(entry.originator_id)
            book_code = entry.data.get("book_code") if entry.originator_version == 1 else None
            if isinstance(book_code, str) and book_code:
                tx.execute("INSERT INTO anju_stream_books VALUES (?, ?) ON CONFLICT DO NOTHING",
                           (originator, book_code))
                streams[originator] = book_code
            if originator not in streams:
                row = tx.query_one("SELECT book_code FROM anju_stream_books WHERE originator_id = ?", (originator,))
                streams[originator] = row[0] if row else None
            audit = entry.audit
            rows.append((
                entry.position, originator, entry.originator_version, event_type(entry.topic), streams[originator],
                audit.get("actor"), audit.get("role"), audit.get("reason"), audit.get("idempotency_key"),
                entry.recorded_at,
            ))
        tx.executemany("INSERT INTO anju_event_index VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def digest_queries(self) -> list[str]:
        return ["SELECT * FROM anju_event_index ORDER BY position"]


def event_type(topic: str) -> str:
    """``ledger.book:BookMonth.VoucherRecorded`` → ``BookMonth.VoucherRecorded``."""
    return topic.split(":", 1)[-1]
