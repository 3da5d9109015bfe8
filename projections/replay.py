"""Rebuild every read model from the first event into a fresh store and compare digests.

The fresh store is a temporary SQLite file (for a SQLite store) or a temporary schema
(for PostgreSQL); it is removed afterwards. The live read models are first brought up
to the log head, and the replay stops at the same position, so the two are comparable.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from ledger.sqldb import Database
from ledger.store import AnjuApplication, StoreConfig
from projections.runner import Fault, ProjectionRunner


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
        runner = ProjectionRunner(app, fresh, projections_factory())
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
        db = Database("sqlite", sqlite_path=path)

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
    db = Database("postgres", pg_conninfo=config.pg_conninfo, pg_schema=schema)

    def cleanup() -> None:
        db.close()
        with psycopg.connect(config.pg_conninfo, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    return db, cleanup
