"""Rebuild every read model from the first event into a fresh store and compare digests.

The fresh store is a temporary SQLite file (for a SQLite store) or a temporary schema
(for PostgreSQL); it is removed afterwards. The live read models are first brought up
to the log head, and the replay stops at the same position, so the two are comparable.

The rebuild store is tuned for a one-off load: it is thrown away if the replay fails, so
it needs no durability until the end (SQLite ``journal_mode=OFF``, ``synchronous=OFF``,
a large page cache; PostgreSQL ``synchronous_commit=off`` in its transactions), and it
is fed in large batches. The digests are computed in one pass over each table at the end.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ledger.sqldb import Database, Transaction
from ledger.store import AnjuApplication, StoreConfig
from projections.runner import Fault, ProjectionRunner


REPLAY_BATCH_SIZE = 10_000  # events per rebuild transaction (each running-balance key is read once per batch)


class BulkLoadDatabase(Database):
    """The rebuild store: no journal and no fsync on SQLite, no commit wait on PostgreSQL."""

    def _sqlite_connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.sqlite_path, isolation_level=None, check_same_thread=False)
            for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-262144", "temp_store=MEMORY",
                           "locking_mode=EXCLUSIVE"):
                conn.execute(f"PRAGMA {pragma}")
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self, *, write: bool = True, snapshot: bool = False) -> Iterator[Transaction]:
        with super().transaction(write=write, snapshot=snapshot) as tx:
            if self.dialect == "postgres" and write and not snapshot:
                tx.execute("SET LOCAL synchronous_commit = off")
            yield tx


@dataclass
class ReplayReport:
    position: int
    events: int
    seconds: float
    live: dict[str, str]
    replayed: dict[str, str]
    faults: list[Fault] = field(default_factory=list)  # read models stopped at an event (live or replayed)

    @property
    def matches(self) -> bool:
        return self.live == self.replayed and not self.faults

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


def replay(app: AnjuApplication, config: StoreConfig, live: ProjectionRunner, projections_factory: Callable[[], list],
           progress: Callable[[int], None] | None = None) -> ReplayReport:
    live.catch_up()  # stops at a poison event: a read model that cannot apply it is reported, not waited for
    position, live_digests = live.digests()
    fresh, cleanup = _fresh_database(config)
    try:
        runner = ProjectionRunner(app, fresh, projections_factory(), batch_size=REPLAY_BATCH_SIZE)
        started = time.perf_counter()
        runner.catch_up(progress=progress, stop_at=position)
        seconds = time.perf_counter() - started
        _, replayed = runner.digests()
        events = runner.events_processed
        faults = [*live.faults.values(), *(f for name, f in runner.faults.items() if name not in live.faults)]
    finally:
        cleanup()
    return ReplayReport(position, events, seconds, live_digests, replayed, faults)


def _fresh_database(config: StoreConfig) -> tuple[Database, Callable[[], None]]:
    if config.dialect == "sqlite":
        folder = tempfile.mkdtemp(prefix="anju-replay-")
        path = os.path.join(folder, "replay.db")
        db = BulkLoadDatabase("sqlite", sqlite_path=path)

        def cleanup() -> None:
            db.close()
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)
            os.rmdir(folder)

        return db, cleanup
    import psycopg

    schema = f"anju_replay_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(config.pg_conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    db = BulkLoadDatabase("postgres", pg_conninfo=config.pg_conninfo, pg_schema=schema)

    def cleanup() -> None:
        db.close()
        with psycopg.connect(config.pg_conninfo, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    return db, cleanup
