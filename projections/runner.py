"""Follow the global log into the read models, exactly once, on SQLite and PostgreSQL.

The library's ProjectionRunner is not available on SQLite, so the runner reads the log from
the lowest tracked position on both stores (the rows ``select_notifications`` returns, read
raw: ``LogEntry`` parses or decodes an event only when a read model asks). Each batch
of events is applied to every projection that has not seen it, and each projection's
tracked position is advanced in the same transaction (compare-and-set, so a second
runner on the same store cannot apply an event twice). The writer wakes the runner
after each commit; a slow poll picks up events written by other processes.

A read model that cannot apply an event (a poison event: a row forged in the store, a
bug) is stopped at that event, visibly: ``faults`` and ``anju_projection_faults`` name
it, its position and the error; ``/healthz`` answers 503. The other read models go on.
Nothing is retried in a loop: a stopped read model is tried again only after a restart
(which clears the recorded faults).

A runner follows the log in one of two places. In the projection process (``anju project``,
started by ``anju serve``) it applies events; the API process then holds a runner with
``external=True`` that applies nothing: its ``position``, ``health`` and ``wait_for`` read
the tracked positions and the fault table that the projection process writes. Tests and
the CLI's one-shot commands apply events in their own process (a thread, or on demand).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

import orjson
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from ledger.sqldb import Database, Transaction
from ledger.store import AnjuApplication

log = logging.getLogger("anju.projections")

BATCH_SIZE = 2_000
WAIT_POLL_SECONDS = (0.001, 0.002, 0.005)  # external mode: the API polls the tracked position this often
DIGEST_CHUNK_ROWS = 4_096
POLL_SECONDS = 0.5


class Projection(Protocol):
    name: str
    tables: Sequence[str]

    def create_tables(self, tx: Transaction) -> None: ...

    def handle(self, tx: Transaction, entries: list[LogEntry]) -> None: ...

    def digest_queries(self) -> list[str]: ...


def tracked_position(tx: Transaction) -> int:
    """The log position every read model has reached, as seen inside ``tx``."""
    row = tx.query_one("SELECT MIN(position) FROM anju_tracking")
    return int(row[0]) if row and row[0] is not None else 0


class StaleTracking(RuntimeError):
    """Another runner advanced a projection first; this batch is abandoned."""


FAULTS_TABLE = "anju_projection_faults"


@dataclass(frozen=True)
class Fault:
    """A read model stopped at the first event it could not apply."""

    name: str
    position: int
    topic: str
    error: str


@dataclass(frozen=True)
class ReadModelHealth:
    name: str
    position: int
    lag: int
    fault: Fault | None


class LogEntry:
    """One stored event as the projections see it, read as a raw row; decoded once, on first use.

    ``stream_id`` is the stream's id as text (what the read models key streams by); the
    typed ``originator_id`` (a UUID), the parsed ``data`` and the typed ``event`` are built
    only when a read model asks for them.
    """

    __slots__ = ("position", "stream_id", "originator_version", "topic", "state", "_mapper", "_raw_id", "__dict__")

    def __init__(self, position: int, originator_id: Any, originator_version: int, topic: str, state: bytes,
                 mapper: Any, *, stream_id: str | None = None) -> None:
        self.position = position
        self._raw_id = originator_id
        self.stream_id = stream_id if stream_id is not None else str(originator_id)
        self.originator_version = originator_version
        self.topic = topic
        self.state = state
        self._mapper = mapper

    @cached_property
    def originator_id(self) -> Any:
        raw = self._raw_id
        return raw if isinstance(raw, uuid.UUID) else uuid.UUID(raw)

    @cached_property
    def event(self) -> Any:
        """The typed domain event (decoded by the store's mapper)."""
        return self._mapper.to_domain_event(StoredEvent(self.originator_id, self.originator_version, self.topic,
                                                        self.state))

    @cached_property
    def data(self) -> dict[str, Any]:
        """The stored state as plain JSON (values still wrapped as ``{"_type_", "_data_"}``).

        Hot projections read this instead of ``event``: parsing is ~10× cheaper than
        building typed objects, which bounds replay speed.
        """
        return orjson.loads(self.state)

    def decoded(self, wrapped: Any) -> Any:
        """One value of ``data`` (a ``{"_type_", "_data_"}`` wrapper, a list of them …) decoded as the
        mapper decodes it: a raw handler's way to take a small part typed (defaults, properties)."""
        return self._mapper.transcoder.decode(orjson.dumps(wrapped))

    @property
    def audit(self) -> dict[str, Any]:
        wrapped = self.data.get("audit")
        return wrapped["_data_"] if isinstance(wrapped, dict) and "_data_" in wrapped else {}

    @property
    def recorded_at(self) -> str:
        return self.data["timestamp"]["_data_"]

    @property
    def event_name(self) -> str:
        return self.topic.rsplit(".", 1)[-1] if "." in self.topic.split(":")[-1] else self.topic.split(":")[-1]


def _stream_text(raw: Any) -> str:
    """The text of a stream id as ``str(UUID)`` gives it (SQLite stores ``uuid.hex``)."""
    if type(raw) is str and len(raw) == 32:
        return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}".lower()
    return str(raw if isinstance(raw, uuid.UUID) else uuid.UUID(raw))


#: The plain whole-row inserts of every declared table: a read model's transaction buffers them.
BATCHED_INSERTS: set[str] = set()


class BatchingTransaction:
    """A read model's view of the runner's transaction: whole-row inserts are batched.

    ``execute``/``executemany`` of a ``Table.insert_sql()`` statement only buffer the rows
    (per statement, in order); anything else — an update, a query, another statement — first
    writes every buffered row (one ``executemany`` per table), so a handler always reads what
    it wrote before. Inserts into different tables commute (no triggers, no foreign keys),
    and each table's rows keep their order, so the outcome is the one of executing them one
    by one. A constraint a buffered row breaks fails at the next write-out, inside the same
    batch: the runner then applies the read model event by event, as for any failing batch.
    """

    def __init__(self, tx: Transaction) -> None:
        self._tx = tx
        self.dialect = tx.dialect
        self._pending: dict[str, list[Sequence[Any]]] = {}
        #: rows of the shared stream index read in this transaction, by stream id (``projections.base.stream_of``;
        #: a stream's row is written once, by its first event, before any read model reads it)
        self.streams: dict[str, tuple[str, str, str]] = {}

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        if sql in BATCHED_INSERTS:
            rows = self._pending.get(sql)
            if rows is None:
                rows = self._pending[sql] = []
            rows.append(params)
            return 1
        self.write_out()
        return self._tx.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if sql in BATCHED_INSERTS:
            pending = self._pending.get(sql)
            if pending is None:
                pending = self._pending[sql] = []
            pending.extend(rows)
            return
        self.write_out()
        self._tx.executemany(sql, rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        self.write_out()
        return self._tx.query(sql, params)

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        self.write_out()
        return self._tx.query_one(sql, params)

    def write_out(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, {}
            for sql, rows in pending.items():
                self._tx.executemany(sql, rows)



class _IndexDeferring:
    """A set-up transaction that keeps ``CREATE INDEX`` statements for later (see ``defer_indexes``)."""

    def __init__(self, tx: Transaction, deferred: list[str]) -> None:
        self._tx = tx
        self._deferred = deferred
        self.dialect = tx.dialect

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        if sql.lstrip()[:12].upper() == "CREATE INDEX" and not params:
            self._deferred.append(sql)
            return 0
        return self._tx.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._tx.executemany(sql, rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._tx.query(sql, params)

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._tx.query_one(sql, params)


class ProjectionRunner:
    def __init__(self, app: AnjuApplication, db: Database, projections: Sequence[Projection],
                 batch_size: int = BATCH_SIZE, *, external: bool = False, defer_indexes: bool = False) -> None:
        self.app = app
        self.db = db
        self.projections = list(projections)
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._caught_up = threading.Condition()
        self._position = 0
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.events_processed = 0
        self.faults: dict[str, Fault] = {}  # read models stopped at an event they cannot apply
        self.last_failure: str | None = None  # the last batch that failed for another reason (store down)
        self.external = external  # another process applies the events (see the module docstring)
        # A bulk load into an empty store (replay) builds the read models' secondary indexes once, at
        # the end (``create_deferred_indexes``), instead of maintaining them row by row.
        self._deferred_indexes: list[str] | None = [] if defer_indexes else None
        self.setup()

    # --- set-up ------------------------------------------------------------------
    def setup(self) -> None:
        with self.db.transaction() as tx:
            tx.execute("CREATE TABLE IF NOT EXISTS anju_tracking (name TEXT PRIMARY KEY, position BIGINT NOT NULL)")
            tx.execute(f"CREATE TABLE IF NOT EXISTS {FAULTS_TABLE} (name TEXT PRIMARY KEY, position BIGINT NOT NULL,"
                       " topic TEXT NOT NULL, error TEXT NOT NULL)")
            if not self.external:  # the projection process's start tries every read model again, once
                tx.execute(f"DELETE FROM {FAULTS_TABLE}")
            for projection in self.projections:
                projection.create_tables(tx if self._deferred_indexes is None
                                         else _IndexDeferring(tx, self._deferred_indexes))
                tx.execute(
                    "INSERT INTO anju_tracking (name, position) VALUES (?, 0) ON CONFLICT (name) DO NOTHING",
                    (projection.name,),
                )
            # A read model this version no longer has (the hash chain, now kept by the writer)
            # must not hold back the position reads report.
            names = [projection.name for projection in self.projections]
            if names:
                marks = ", ".join("?" for _ in names)
                tx.execute(f"DELETE FROM anju_tracking WHERE name NOT IN ({marks})", names)
        self._position = min(self.positions().values(), default=0)

    def create_deferred_indexes(self) -> None:
        """The secondary indexes ``defer_indexes`` left out, built on the rows now loaded."""
        statements, self._deferred_indexes = self._deferred_indexes or [], None
        if statements:
            with self.db.transaction() as tx:
                for statement in statements:
                    tx.execute(statement)

    def positions(self) -> dict[str, int]:
        rows = self.db.query("SELECT name, position FROM anju_tracking")
        names = {p.name for p in self.projections}
        return {name: int(pos) for name, pos in rows if name in names}

    @property
    def position(self) -> int:
        """The log position every read model that still follows the log has reached.

        A read model stopped by a fault does not hold it back, so reads and writes that wait
        for the read models do not wait for one that cannot move (health reports it).
        """
        if self.external:
            return self.stored_position()
        return self._position

    def stored_position(self) -> int:
        """``position`` as the store has it: the lowest tracked position of a read model not stopped."""
        names = [p.name for p in self.projections]
        marks = ", ".join("?" for _ in names)
        row = self.db.query_one(f"SELECT MIN(position) FROM anju_tracking WHERE name IN ({marks})"
                                f" AND name NOT IN (SELECT name FROM {FAULTS_TABLE})", names)
        return int(row[0]) if row and row[0] is not None else 0

    def stored_faults(self) -> dict[str, Fault]:
        """The read models stopped, as recorded by the process that applies the events."""
        rows = self.db.query(f"SELECT name, position, topic, error FROM {FAULTS_TABLE}")
        return {name: Fault(name, int(position), topic, error) for name, position, topic, error in rows}

    # --- processing --------------------------------------------------------------
    def catch_up(self, progress: Callable[[int], None] | None = None, stop_at: int | None = None) -> int:
        """Apply every event not yet seen (up to ``stop_at``); returns the position reached.

        A batch that fails is told apart: if another runner moved a tracked position meanwhile,
        this one re-reads the positions and goes on; a failure of the store itself is raised
        (the follower retries later); otherwise each read model is applied alone, and one that
        cannot apply an event is stopped there (``faults``) while the others go on.
        """
        with self._lock:
            positions = self.positions()
            while True:
                active = {name: seen for name, seen in positions.items() if name not in self.faults}
                if not active:
                    return self._position
                start = min(active.values())
                entries = self._read(start, stop_at)
                if not entries:
                    self._set_position(start, reset=True)
                    return start
                try:
                    self._apply(entries, active)
                except StaleTracking:
                    log.info("another runner advanced the read models; re-reading positions")
                    positions = self.positions()
                    continue
                except Exception as error:
                    if _is_store_failure(error):
                        raise
                    fresh = self.positions()
                    if any(fresh.get(name) != seen for name, seen in active.items()):
                        log.info("another runner advanced the read models; re-reading positions")
                        positions = fresh
                        continue
                    positions = self._apply_alone(entries, fresh)
                    continue
                reached = entries[-1].position
                positions = {name: max(seen, reached) if name in active else seen
                             for name, seen in positions.items()}
                self.events_processed += len(entries)
                self._set_position(reached)
                if progress is not None:
                    progress(reached)

    def _read(self, start: int, stop: int | None) -> list[LogEntry]:
        """The next batch of the log after ``start`` (up to ``stop``), as raw rows.

        The same rows as the recorder's ``select_notifications`` (position order, ``> start``,
        ``<= stop``, ``LIMIT``), without building its notification objects and UUIDs: a read
        model asks for what it needs (``LogEntry``). A recorder of another kind is read through
        the library.
        """
        recorder, mapper, limit = self.app.recorder, self.app.mapper, self.batch_size
        stop_sql = "" if stop is None else " AND {id} <= ?"
        params: tuple = (start, limit) if stop is None else (start, stop, limit)
        if isinstance(recorder, SQLiteApplicationRecorder):
            sql = (f"SELECT rowid, originator_id, originator_version, topic, state FROM {recorder.events_table_name}"
                   f" WHERE rowid > ?{stop_sql.format(id='rowid')} ORDER BY rowid LIMIT ?")
            with recorder.datastore.transaction(commit=False) as cursor:
                cursor.execute(sql, params)
                rows = [tuple(row) for row in cursor.fetchall()]
            return [LogEntry(p, o, v, t, s, mapper, stream_id=_stream_text(o)) for p, o, v, t, s in rows]
        if isinstance(recorder, PostgresApplicationRecorder):
            from psycopg.rows import tuple_row
            from psycopg.sql import SQL, Identifier

            sql = SQL("SELECT notification_id, originator_id, originator_version, topic, state FROM {}.{}"
                      " WHERE notification_id > %s" + stop_sql.format(id="notification_id").replace("?", "%s")
                      + " ORDER BY notification_id LIMIT %s").format(Identifier(recorder.datastore.schema),
                                                                      Identifier(recorder.events_table_name))
            with recorder.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as cursor:
                cursor.execute(sql, params, prepare=True)
                rows = cursor.fetchall()
            return [LogEntry(p, o, v, t, bytes(s), mapper, stream_id=str(o)) for p, o, v, t, s in rows]
        notifications = recorder.select_notifications(start=start, limit=limit, inclusive_of_start=False, stop=stop)
        return [LogEntry(n.id, n.originator_id, n.originator_version, n.topic, n.state, mapper)
                for n in notifications]

    def _apply(self, entries: list[LogEntry], positions: dict[str, int]) -> None:
        """One transaction: every read model in ``positions`` takes the entries it has not seen."""
        last = entries[-1].position
        with self.db.transaction() as tx:
            for projection in self.projections:
                if projection.name not in positions:
                    continue
                seen = positions[projection.name]
                todo = [e for e in entries if e.position > seen]
                if not todo:
                    continue
                batching = BatchingTransaction(tx)
                projection.handle(batching, todo)
                batching.write_out()
                changed = tx.execute(
                    "UPDATE anju_tracking SET position = ? WHERE name = ? AND position = ?",
                    (last, projection.name, seen),
                )
                if changed != 1:
                    raise StaleTracking(projection.name)

    def _apply_alone(self, entries: list[LogEntry], positions: dict[str, int]) -> dict[str, int]:
        """A failed batch, again: each read model in its own transaction, in order.

        A read model whose part fails is applied event by event up to the event it cannot
        apply; it is stopped there (a fault naming the event's position), the others go on.
        Returns the positions reached.
        """
        reached = dict(positions)
        for projection in self.projections:
            name = projection.name
            if name in self.faults or name not in reached:
                continue
            todo = [e for e in entries if e.position > reached[name]]
            if not todo:
                continue
            try:
                self._apply(todo, {name: reached[name]})
                reached[name] = todo[-1].position
                continue
            except StaleTracking:
                return self.positions()
            except Exception as error:
                if _is_store_failure(error):
                    raise
            for entry in todo:  # find the one event this read model cannot apply
                try:
                    self._apply([entry], {name: reached[name]})
                except StaleTracking:
                    return self.positions()
                except Exception as error:
                    if _is_store_failure(error):
                        raise
                    self._fault(name, entry, error)
                    break
                reached[name] = entry.position
        return reached

    def _fault(self, name: str, entry: LogEntry, error: BaseException) -> None:
        fault = Fault(name, entry.position, entry.topic, f"{type(error).__name__}: {error}"[:500])
        self.faults[name] = fault
        log.error("read model %s stopped at log position %d (%s): %s", name, fault.position, fault.topic,
                  fault.error)
        try:
            with self.db.transaction() as tx:
                tx.execute(f"DELETE FROM {FAULTS_TABLE} WHERE name = ?", (name,))
                tx.execute(f"INSERT INTO {FAULTS_TABLE} (name, position, topic, error) VALUES (?, ?, ?, ?)",
                           (name, fault.position, fault.topic, _storable(fault.error)))
        except Exception:  # the fault stays known in this process
            log.exception("could not record the fault of read model %s", name)

    def health(self) -> list[ReadModelHealth]:
        """Each read model's tracked position, lag behind the log head and fault (if stopped)."""
        head = self.app.recorder.max_notification_id() or 0
        positions = self.positions()
        faults = self.stored_faults() if self.external else self.faults
        return [ReadModelHealth(p.name, positions.get(p.name, 0), max(0, head - positions.get(p.name, 0)),
                                faults.get(p.name)) for p in self.projections]

    def _set_position(self, position: int, reset: bool = False) -> None:
        with self._caught_up:
            self._position = position if reset else max(self._position, position)
            self._caught_up.notify_all()

    # --- following ---------------------------------------------------------------
    def notify(self, position: int | None = None) -> None:
        """Called by the writer after a commit."""
        self._wake.set()

    def wait_for(self, position: int | None, timeout: float = 10.0) -> bool:
        """Block until the read models reflect ``position`` (read-your-writes)."""
        if position is None:
            return True
        deadline = time.monotonic() + timeout
        if self.external:  # another process applies the events: poll what it has committed
            polls = 0
            while self.stored_position() < position:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(WAIT_POLL_SECONDS[min(polls, len(WAIT_POLL_SECONDS) - 1)])
                polls += 1
            return True
        with self._caught_up:
            while self._position < position:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._wake.set()
                self._caught_up.wait(min(remaining, 0.05))
        return True

    def start(self) -> None:
        assert not self.external, "an external runner applies nothing"
        if self._thread is None:
            self._thread = threading.Thread(target=self._follow, name="anju-projections", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def _follow(self) -> None:
        while not self._stopping.is_set():
            try:
                self.catch_up()
                self.last_failure = None
            except Exception as error:  # the store failed: keep following, retry from the tracked position
                self.last_failure = f"{type(error).__name__}: {error}"[:500]
                log.exception("projection batch failed")
                self._stopping.wait(1)
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()

    # --- digests -----------------------------------------------------------------
    def digests(self) -> tuple[int, dict[str, str]]:
        """The tracked position and a SHA-256 per read model over its rows in canonical order.

        Read in one transaction, so a runner advancing meanwhile cannot mix two states.
        """
        result = {}
        with self.db.transaction(write=False, snapshot=True) as tx:
            position = tracked_position(tx)
            for projection in self.projections:
                digest = hashlib.sha256()
                rows = 0
                for sql in projection.digest_queries():
                    table_rows = tx.query(sql)
                    rows += len(table_rows)
                    if tx.dialect == "postgres":  # memoryview and bool values, as SQLite would give them
                        table_rows = [tuple(_canonical(v) for v in values) for values in table_rows]
                    for start in range(0, len(table_rows), DIGEST_CHUNK_ROWS):  # one repr per chunk of rows
                        digest.update(repr(table_rows[start:start + DIGEST_CHUNK_ROWS]).encode())
                result[projection.name] = f"{digest.hexdigest()} ({rows} rows)"
        return position, result


def _canonical(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, bool):
        return int(value)
    return value


def _is_store_failure(error: BaseException) -> bool:
    """The store itself failed (unreachable, locked, timed out): retry later, blame no read model."""
    import sqlite3

    import psycopg

    if isinstance(error, sqlite3.OperationalError):
        return "no such" not in str(error)  # a missing table or column is the read model's bug
    return isinstance(error, (psycopg.OperationalError, psycopg.InterfaceError, sqlite3.InterfaceError,
                              ConnectionError, TimeoutError))


def _storable(text: str) -> str:
    return text.replace("\x00", "\\0").encode("utf-8", "replace").decode("utf-8")
