"""The hash chain over the global event log, and its verification.

Each link is SHA-256 over the previous link and the stored event's bytes (position,
originator id and version, topic, state). The chain is kept in ``anju_chain`` by the
projection runner as events are written; ``verify`` re-derives every link from the
stored rows and reports the first position where an event was changed, deleted or
inserted. The head link can be written down outside the system to pin history.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from uuid import UUID

from ledger.sqldb import Database, Transaction
from ledger.store import StoreConfig

GENESIS = bytes(32)
VERIFY_PAGE = 5_000


def canonical_id(originator_id: object) -> str:
    """Stream ids as 32 hex digits, however the store returns them (UUID, hex or hyphenated)."""
    try:
        return UUID(str(originator_id)).hex
    except ValueError:
        return str(originator_id)


def link(previous: bytes, position: int, originator_id: object, version: int, topic: str, state: bytes) -> bytes:
    """One link: covers the previous link and every stored byte of the event."""
    digest = hashlib.sha256(previous)
    digest.update(f"|{position}|{canonical_id(originator_id)}|{version}|{topic}|".encode())
    # A row edited by hand may come back as text; hash what is stored, whatever its type.
    digest.update(state.encode() if isinstance(state, str) else bytes(state))
    return digest.digest()


class ChainProjection:
    """Appends one link per event, in log order, inside the runner's transaction."""

    name = "chain"
    tables = ("anju_chain",)

    def create_tables(self, tx: Transaction) -> None:
        blob = "BYTEA" if tx.dialect == "postgres" else "BLOB"
        tx.execute(f"CREATE TABLE IF NOT EXISTS anju_chain (position BIGINT PRIMARY KEY, link {blob} NOT NULL)")

    def handle(self, tx: Transaction, entries: list) -> None:
        row = tx.query_one("SELECT link FROM anju_chain ORDER BY position DESC LIMIT 1")
        previous = bytes(row[0]) if row else GENESIS
        rows = []
        for entry in entries:
            previous = link(previous, entry.position, entry.originator_id, entry.originator_version,
                            entry.topic, entry.state)
            rows.append((entry.position, previous))
        tx.executemany("INSERT INTO anju_chain (position, link) VALUES (?, ?)", rows)

    def digest_queries(self) -> list[str]:
        return ["SELECT position, link FROM anju_chain ORDER BY position"]


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    events_checked: int
    head_position: int | None
    head_link: str | None
    first_bad_position: int | None = None
    problem: str | None = None  # "altered", "deleted", "inserted"
    detail: str | None = None


@dataclass(frozen=True)
class StoredRow:
    id: int
    originator_id: object
    originator_version: int
    topic: str
    state: object


def stored_rows(config: StoreConfig, db: Database, after: int, limit: int) -> list[StoredRow]:
    """Raw event rows in log order, read straight from the events table (no decoding): what verify re-links."""
    table = config.events_table
    id_column = "rowid" if config.dialect == "sqlite" else "notification_id"
    rows = db.query(f"SELECT {id_column}, originator_id, originator_version, topic, state FROM {table}"
                    f" WHERE {id_column} > ? ORDER BY {id_column} LIMIT ?", (after, limit))
    return [StoredRow(int(r[0]), r[1], int(r[2]), r[3], r[4]) for r in rows]


def verify(
    notifications: Callable[[int, int], list],
    db: Database,
    progress: Callable[[int], None] | None = None,
) -> VerifyReport:
    """Re-derive the chain from the stored rows and compare it with the kept links.

    ``notifications(after, limit)`` pages the stored events in log order. Reports the
    first position where an event was altered, deleted (a link without its event) or
    inserted (an event inside the chained range without a link).
    """
    stored = _stored_links(db)
    positions = sorted(stored)
    chain_head = positions[-1] if positions else 0
    index = 0
    previous = GENESIS
    checked = 0
    last_position: int | None = None

    def report(position: int, problem: str, detail: str) -> VerifyReport:
        return VerifyReport(False, checked, last_position, previous.hex(), position, problem, detail)

    for n in _all_notifications(notifications):
        position = n.id
        if index < len(positions) and positions[index] < position:
            missing = positions[index]
            return report(missing, "deleted", f"event at position {missing} is missing from the log")
        if index >= len(positions) or positions[index] != position:
            if position <= chain_head:
                return report(position, "inserted", f"event at position {position} was never chained")
            break  # beyond the chain head: written, not yet chained by the runner
        current = link(previous, position, n.originator_id, n.originator_version, n.topic, n.state)
        if current != stored[position]:
            return report(position, "altered", f"event at position {position} does not match its chain link")
        previous = current
        last_position = position
        index += 1
        checked += 1
        if progress is not None and checked % VERIFY_PAGE == 0:
            progress(checked)
    if index < len(positions):
        missing = positions[index]
        return report(missing, "deleted", f"event at position {missing} is missing from the log")
    return VerifyReport(True, checked, last_position, previous.hex() if last_position else None)


def _stored_links(db: Database) -> dict[int, bytes]:
    return {int(p): bytes(link_) for p, link_ in db.query("SELECT position, link FROM anju_chain")}


def _all_notifications(notifications: Callable[[int, int], list]) -> Iterator:
    after = 0
    while True:
        page = notifications(after, VERIFY_PAGE)
        if not page:
            return
        yield from page
        after = page[-1].id
