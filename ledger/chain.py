"""The keyed hash chain over the global event log, written by the writer, and its verification.

Each link is an HMAC-SHA256, under a secret key from configuration (``ANJU_CHAIN_KEY``),
over the previous link and every stored byte of the event (position, originator id and
version, topic, state). The store's recorder appends the links **in the same transaction
as the events** (``ChainedSQLiteRecorder``, ``ChainedPostgresRecorder``): an event that
committed has its link, and a row that did not come through the product's writer has
none, or one that does not match, because computing a link needs the key.

``verify`` reads every row of the events table (not only what the notification log
returns: positions ≤ 0 and gaps included) and every link, in one consistent snapshot,
without waiting for any read model, and reports the first position where an event was
altered, deleted or inserted. What it cannot prove is said in the README (Hash chain).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from ledger.sqldb import Transaction

GENESIS = bytes(32)
VERIFY_PAGE = 5_000
MIN_KEY_CHARS = 32
CHAIN_TABLE = "anju_chain"
KEY_FILE = "anju-chain.key"


class ChainKeyMissing(RuntimeError):
    """No chain key: refused at start-up (PostgreSQL) rather than writing an unkeyed chain."""


def load_chain_key(dialect: str, sqlite_path: str | None) -> bytes:
    """The chain's secret, from ``ANJU_CHAIN_KEY`` (≥ 32 characters).

    On PostgreSQL (production) a missing key is a start-up error. On the embedded SQLite
    store a key is generated once into the store's folder (``anju-chain.key``, mode 600),
    as the identity key is.
    """
    configured = os.environ.get("ANJU_CHAIN_KEY", "")
    if configured:
        if len(configured) < MIN_KEY_CHARS:
            raise ChainKeyMissing(f"ANJU_CHAIN_KEY must be at least {MIN_KEY_CHARS} characters")
        return configured.encode()
    if dialect != "sqlite" or not sqlite_path:
        raise ChainKeyMissing(f"set ANJU_CHAIN_KEY (≥ {MIN_KEY_CHARS} characters) to run on PostgreSQL")
    path = Path(os.path.dirname(os.path.abspath(sqlite_path))) / KEY_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip().encode()


def canonical_id(originator_id: object) -> str:
    """Stream ids as 32 hex digits, however the store returns them (UUID, hex or hyphenated)."""
    if isinstance(originator_id, UUID):
        return originator_id.hex
    try:
        return UUID(str(originator_id)).hex
    except ValueError:
        return str(originator_id)


def link(key: bytes, previous: bytes, position: int, originator_id: object, version: int, topic: str,
         state: bytes | str) -> bytes:
    """One link: a keyed hash of the previous link and every stored byte of the event."""
    mac = hmac.new(key, previous, hashlib.sha256)
    mac.update(f"|{position}|{canonical_id(originator_id)}|{version}|{topic}|".encode())
    # A row edited by hand may come back as text; hash what is stored, whatever its type.
    mac.update(state.encode() if isinstance(state, str) else bytes(state))
    return mac.digest()


def chain_links(key: bytes | None, previous: bytes, events: Sequence[StoredEvent],
                positions: Sequence[int]) -> list[tuple[int, bytes]]:
    """The links of newly inserted events, in position order, after the current head link."""
    if key is None:
        raise ChainKeyMissing("the recorder has no chain key; open the store with ledger.store.open_application")
    if len(positions) != len(events):
        raise RuntimeError(f"got {len(positions)} positions for {len(events)} events")
    rows = []
    for position, event in sorted(zip(positions, events, strict=True), key=lambda pair: pair[0]):
        previous = link(key, previous, position, event.originator_id, event.originator_version, event.topic,
                        event.state)
        rows.append((position, previous))
    return rows


CHAIN_DDL = f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} (position BIGINT PRIMARY KEY, link {{blob}} NOT NULL)"


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, appending each event's link in the insert's transaction."""

    chain_key: bytes | None = None

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), CHAIN_DDL.format(blob="BLOB")]

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        # The insert takes the write lock first, so the head read below is the latest.
        positions = super()._insert_events(c, stored_events, **kwargs) or []
        c.execute(f"SELECT link FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1")
        row = c.fetchone()
        rows = chain_links(self.chain_key, bytes(row[0]) if row else GENESIS, stored_events, positions)
        c.executemany(f"INSERT INTO {CHAIN_TABLE} (position, link) VALUES (?, ?)", rows)
        return positions


class StaleChainHead(RuntimeError):
    """Another process appended between reading the head and appending: retried with the head it returned."""


APPEND_ATTEMPTS = 10
APPEND_FUNCTION = "anju_append_event_columns"  # (anju_append_events, its composite-array first form, is left unused)


class ChainedPostgresRecorder(PostgresApplicationRecorder):
    """The library's PostgreSQL recorder, appending events and their links in **one round trip**.

    One call of a server-side function (``anju_append_event_columns``), in autocommit, is the
    whole transaction: it takes the EXCLUSIVE table lock (so notification ids commit in
    order, as the library's own insert does; the library's ``POSTGRES_ENABLE_DB_FUNCTIONS``
    stays off because its function drops that lock), checks that the log head and the
    chain head are the ones the links were computed from, inserts the events with the
    positions that follow the head, inserts their links, moves the id sequence past
    them and notifies the channel. The links are computed here, with the key the
    database never sees, from the head the previous append returned; when another
    process appended in between, the function inserts nothing and returns the current
    head, and the links are computed again from it (a second round trip only then).

    This also removes the pipeline hang (README, Write path): the library sends its
    lock, NOTIFY and INSERT in psycopg's pipeline mode, whose ``pipeline_communicate``
    stops flushing when the last command is queued even while libpq still holds
    unsent bytes (``PQflush`` returning 1 is ignored), then waits to read results the
    server cannot send: it is still reading the INSERT (``ClientRead``). An insert whose
    parameters outgrow the socket buffers (about 10k voucher events) hung for good.
    A plain execute flushes until libpq's buffer is empty.
    """

    chain_key: bytes | None = None
    statement_timeout_ms: int = 20_000  # a write never waits longer than this on the server
    append_lock_timeout_ms: int = 5_000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from psycopg.sql import SQL, Identifier, Literal

        schema = self.datastore.schema
        chain = Identifier(schema, CHAIN_TABLE)
        events = Identifier(schema, self.events_table_name)
        self.sql_create_statements.append(
            SQL("CREATE TABLE IF NOT EXISTS {0} (position BIGINT PRIMARY KEY, link BYTEA NOT NULL)").format(chain))
        self.sql_create_statements.append(SQL(
            "CREATE OR REPLACE FUNCTION {function}(expected_base bigint, expected_head bytea, "
            "originator_ids uuid[], originator_versions bigint[], topics text[], states bytea[], links bytea[], "
            "lock_timeout text) "
            "RETURNS TABLE (appended boolean, base bigint, head bytea) LANGUAGE plpgsql AS $BODY$ "
            "DECLARE current_base bigint; current_head bytea; "
            "BEGIN "
            "  PERFORM set_config('lock_timeout', lock_timeout, true); "
            "  LOCK TABLE {events} IN EXCLUSIVE MODE; "
            "  SELECT coalesce(max(notification_id), 0) INTO current_base FROM {events}; "
            "  SELECT c.link INTO current_head FROM {chain} c ORDER BY c.position DESC LIMIT 1; "
            "  IF current_base IS DISTINCT FROM expected_base OR current_head IS DISTINCT FROM expected_head THEN "
            "    RETURN QUERY SELECT false, current_base, current_head; RETURN; "
            "  END IF; "
            "  INSERT INTO {events} (originator_id, originator_version, topic, state, notification_id) "
            "    SELECT e.originator_id, e.originator_version, e.topic, e.state, current_base + e.n "
            "    FROM unnest(originator_ids, originator_versions, topics, states) WITH ORDINALITY "
            "      AS e(originator_id, originator_version, topic, state, n); "
            "  INSERT INTO {chain} (position, link) "
            "    SELECT current_base + l.n, l.link FROM unnest(links) WITH ORDINALITY AS l(link, n); "
            "  PERFORM setval(pg_get_serial_sequence({events_name}, 'notification_id'), "
            "                 current_base + cardinality(originator_ids)); "
            "  PERFORM pg_notify({channel}, ''); "
            "  RETURN QUERY SELECT true, current_base, links[cardinality(links)]; "
            "END; $BODY$").format(
                function=Identifier(schema, APPEND_FUNCTION), events=events, chain=chain,
                events_name=Literal(f'"{schema}"."{self.events_table_name}"'), channel=Literal(self.channel_name)))
        # Columns as arrays of plain types, sent in binary: psycopg dumps a composite array
        # field by field in Python (text), which was ~10 % of the writer's CPU per voucher.
        self._append = SQL("SELECT appended, base, head FROM {0}(%s, %b, %b, %b::bigint[], %b, %b, %b, %s)").format(
            Identifier(schema, APPEND_FUNCTION))
        self._read_heads = SQL("SELECT (SELECT coalesce(max(notification_id), 0) FROM {0}) AS base, "
                               "(SELECT link FROM {1} ORDER BY position DESC LIMIT 1) AS head").format(events, chain)
        self._head: tuple[int, bytes | None] | None = None  # (log position, chain link) after the last append
        self._configured: weakref.WeakSet = weakref.WeakSet()

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        import psycopg
        from eventsourcing.persistence import OperationalError

        if not stored_events:
            return []
        columns = ([e.originator_id for e in stored_events], [e.originator_version for e in stored_events],
                   [e.topic for e in stored_events], [bytes(e.state) for e in stored_events])
        base, head = self._head if self._head is not None else self._read_head()
        deadline = time.monotonic() + self.statement_timeout_ms / 1000
        for _ in range(APPEND_ATTEMPTS):
            positions = list(range(base + 1, base + 1 + len(stored_events)))
            rows = chain_links(self.chain_key, head if head is not None else GENESIS, stored_events, positions)
            try:
                with self.datastore.get_connection() as conn:
                    self._configure(conn)
                    row = conn.execute(self._append, (base, head, *columns, [r[1] for r in rows],
                                                      f"{self.append_lock_timeout_ms}ms"), prepare=True).fetchone()
            except OperationalError as error:  # nothing was written
                self._head = None
                if isinstance(error.__cause__, psycopg.errors.QueryCanceled) or time.monotonic() > deadline:
                    raise  # the statement bound (or the overall bound) is reached: fail, never wait on
                time.sleep(0.05)
                base, head = self._read_head()
                continue
            assert row is not None
            appended, base = bool(row["appended"]), int(row["base"])
            head = bytes(row["head"]) if row["head"] is not None else None
            if appended:
                self._head = (positions[-1], head)
                return positions
        self._head = None
        raise StaleChainHead(f"the log head moved on {APPEND_ATTEMPTS} attempts in a row")

    def _read_head(self) -> tuple[int, bytes | None]:
        """The log head and the chain head as they are now (the first append, and after a failure)."""
        with self.datastore.get_connection() as conn:
            row = conn.execute(self._read_heads).fetchone()
        assert row is not None
        return int(row["base"]), bytes(row["head"]) if row["head"] is not None else None

    def _configure(self, conn: Any) -> None:
        """Once per connection: a server-side bound on every statement of this recorder."""
        if conn not in self._configured:
            conn.execute(f"SET statement_timeout = {int(self.statement_timeout_ms)}")
            self._configured.add(conn)


RECORDER_TOPICS = {
    "sqlite": f"{ChainedSQLiteRecorder.__module__}:{ChainedSQLiteRecorder.__qualname__}",
    "postgres": f"{ChainedPostgresRecorder.__module__}:{ChainedPostgresRecorder.__qualname__}",
}


# --- verification ----------------------------------------------------------------------------
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


def stored_rows(tx: Transaction, events_table: str, id_column: str) -> Iterator[StoredRow]:
    """Every row of the events table in position order, read raw (no decoding), from the first.

    No lower bound: a row placed at position 0 or below (outside the notification
    sequence the log and the read models follow) is read too.
    """
    after: int | None = None
    while True:
        where = "" if after is None else f" WHERE {id_column} > ?"
        params: tuple = () if after is None else (after,)
        page = tx.query(f"SELECT {id_column}, originator_id, originator_version, topic, state FROM {events_table}"
                        f"{where} ORDER BY {id_column} LIMIT {VERIFY_PAGE}", params)
        if not page:
            return
        for r in page:
            yield StoredRow(int(r[0]), r[1], int(r[2]), r[3], r[4])
        after = int(page[-1][0])


def stored_links(tx: Transaction) -> Iterator[tuple[int, bytes]]:
    """Every link in position order."""
    after: int | None = None
    while True:
        where = "" if after is None else " WHERE position > ?"
        params: tuple = () if after is None else (after,)
        page = tx.query(f"SELECT position, link FROM {CHAIN_TABLE}{where} ORDER BY position LIMIT {VERIFY_PAGE}",
                        params)
        if not page:
            return
        for position, link_ in page:
            yield int(position), bytes(link_)
        after = int(page[-1][0])


def chain_head(tx: Transaction, at_or_before: int | None = None) -> tuple[int, bytes] | None:
    """The last link (position, link), or the last one at or before a log position (None: no link)."""
    where = "" if at_or_before is None else " WHERE position <= ?"
    params: tuple = () if at_or_before is None else (at_or_before,)
    row = tx.query_one(f"SELECT position, link FROM {CHAIN_TABLE}{where} ORDER BY position DESC LIMIT 1", params)
    return (int(row[0]), bytes(row[1])) if row else None


def verify(rows: Iterator[StoredRow], links: Iterator[tuple[int, bytes]], key: bytes,
           progress: Callable[[int], None] | None = None) -> VerifyReport:
    """Re-derive every link from the stored rows and compare it with the kept link.

    Rows and links are merged by position: a row without a link was **inserted** (not by
    the writer, which links every event it commits); a link without a row marks an event
    **deleted**; a row whose keyed link differs was **altered** (or forged with a link made
    without the key). Reports the first such position.
    """
    previous = GENESIS
    checked = 0
    last_position: int | None = None

    def report(position: int, problem: str, detail: str) -> VerifyReport:
        return VerifyReport(False, checked, last_position, previous.hex() if last_position else None, position,
                            problem, detail)

    row = next(rows, None)
    kept = next(links, None)
    while row is not None or kept is not None:
        if kept is None or (row is not None and row.id < kept[0]):
            assert row is not None
            return report(row.id, "inserted", f"event at position {row.id} has no chain link: the writer did not"
                                              " record it")
        if row is None or kept[0] < row.id:
            return report(kept[0], "deleted", f"event at position {kept[0]} is missing from the log")
        current = link(key, previous, row.id, row.originator_id, row.originator_version, row.topic, row.state)
        if not hmac.compare_digest(current, kept[1]):
            return report(row.id, "altered", f"event at position {row.id} does not match its chain link")
        previous = current
        last_position = row.id
        checked += 1
        if progress is not None and checked % VERIFY_PAGE == 0:
            progress(checked)
        row = next(rows, None)
        kept = next(links, None)
    return VerifyReport(True, checked, last_position, previous.hex() if last_position else None)
