"""Follow the global log into the read models, exactly once, on SQLite and PostgreSQL.

The library's ProjectionRunner is not available on SQLite, so the runner polls
``select_notifications`` from the lowest tracked position on both stores. Each batch
of events is applied to every projection that has not seen it, and each projection's
tracked position is advanced in the same transaction (compare-and-set, so a second
runner on the same store cannot apply an event twice). The writer wakes the runner
after each commit; a slow poll picks up events written by other processes.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

import orjson

from ledger.sqldb import Database, Transaction
from ledger.store import AnjuApplication

log = logging.getLogger("anju.projections")

BATCH_SIZE = 2_000
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


@dataclass
class LogEntry:
    """One stored event as the projections see it; decoded once, on first use."""

    position: int
    originator_id: Any
    originator_version: int
    topic: str
    state: bytes
    _decode: Callable[[Any], Any]
    _notification: Any

    @cached_property
    def event(self) -> Any:
        """The typed domain event (decoded by the store's mapper)."""
        return self._decode(self._notification)

    @cached_property
    def data(self) -> dict[str, Any]:
        """The stored state as plain JSON (values still wrapped as ``{"_type_", "_data_"}``).

        Hot projections read this instead of ``event``: parsing is ~10× cheaper than
        building typed objects, which bounds replay speed.
        """
        return orjson.loads(self.state)

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


class ProjectionRunner:
    def __init__(self, app: AnjuApplication, db: Database, projections: Sequence[Projection],
                 batch_size: int = BATCH_SIZE) -> None:
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
        self.setup()

    # --- set-up ------------------------------------------------------------------
    def setup(self) -> None:
        with self.db.transaction() as tx:
            tx.execute("CREATE TABLE IF NOT EXISTS anju_tracking (name TEXT PRIMARY KEY, position BIGINT NOT NULL)")
            for projection in self.projections:
                projection.create_tables(tx)
                tx.execute(
                    "INSERT INTO anju_tracking (name, position) VALUES (?, 0) ON CONFLICT (name) DO NOTHING",
                    (projection.name,),
                )
        self._position = min(self.positions().values(), default=0)

    def positions(self) -> dict[str, int]:
        rows = self.db.query("SELECT name, position FROM anju_tracking")
        names = {p.name for p in self.projections}
        return {name: int(pos) for name, pos in rows if name in names}

    @property
    def position(self) -> int:
        """The log position every projection has reached."""
        return self._position

    # --- processing --------------------------------------------------------------
    def catch_up(self, progress: Callable[[int], None] | None = None, stop_at: int | None = None) -> int:
        """Apply every event not yet seen (up to ``stop_at``); returns the position reached."""
        with self._lock:
            positions = self.positions()
            while True:
                start = min(positions.values(), default=0)
                notifications = self.app.recorder.select_notifications(
                    start=start, limit=self.batch_size, inclusive_of_start=False, stop=stop_at
                )
                if not notifications:
                    self._set_position(start)
                    return start
                entries = [self._entry(n) for n in notifications]
                try:
                    self._apply(entries, positions)
                except (StaleTracking, *_integrity_errors()):
                    log.info("another runner advanced the read models; re-reading positions")
                    positions = self.positions()
                    continue
                reached = entries[-1].position
                positions = {name: max(seen, reached) for name, seen in positions.items()}
                self.events_processed += len(entries)
                self._set_position(reached)
                if progress is not None:
                    progress(reached)

    def _entry(self, n: Any) -> LogEntry:
        return LogEntry(n.id, n.originator_id, n.originator_version, n.topic, n.state,
                        self.app.mapper.to_domain_event, n)

    def _apply(self, entries: list[LogEntry], positions: dict[str, int]) -> None:
        last = entries[-1].position
        with self.db.transaction() as tx:
            for projection in self.projections:
                seen = positions[projection.name]
                todo = [e for e in entries if e.position > seen]
                if not todo:
                    continue
                projection.handle(tx, todo)
                changed = tx.execute(
                    "UPDATE anju_tracking SET position = ? WHERE name = ? AND position = ?",
                    (last, projection.name, seen),
                )
                if changed != 1:
                    raise StaleTracking(projection.name)

    def _set_position(self, position: int) -> None:
        with self._caught_up:
            self._position = max(self._position, position)
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
        with self._caught_up:
            while self._position < position:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._wake.set()
                self._caught_up.wait(min(remaining, 0.05))
        return True

    def start(self) -> None:
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
            except Exception:  # keep following; the next wake retries from the tracked position
                log.exception("projection batch failed")
                time.sleep(1)
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
                    for values in tx.query(sql):
                        digest.update(repr(tuple(_canonical(v) for v in values)).encode())
                        rows += 1
                result[projection.name] = f"{digest.hexdigest()} ({rows} rows)"
        return position, result


def _canonical(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, bool):
        return int(value)
    return value


def _integrity_errors() -> tuple[type[BaseException], ...]:
    """A second runner that got there first shows up as a unique-key violation."""
    import sqlite3

    import psycopg

    return (sqlite3.IntegrityError, psycopg.errors.IntegrityError)
