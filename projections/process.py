"""The projection process: where read models live, one follower per store, waking on new events.

``anju serve`` runs the read models in a process of their own (``anju project``), so the
writer's process never shares its GIL with them. This module holds what that process needs
below the API layer:

* ``read_model_database``: on SQLite the read models live in a file of their own beside the
  event file (``anju.db`` → ``anju-read.db``), so the projector's writer never waits on the
  event writer's lock; the tracked positions and the read-model rows still commit together in
  that file. Both files are in WAL mode, so readers never block. A read transaction sees the
  event file attached (as ``events``): queries that join a read model with the chain
  (``anju_chain``) or read the events table keep working unchanged. A write transaction has
  no attachment: ``BEGIN IMMEDIATE`` would otherwise take the event file's write lock too.
  On PostgreSQL the read models stay in the store's schema (one database, no shared lock).
* ``InstanceLock``: one projector per store — an exclusive ``flock`` on ``anju-read.db.lock``
  (SQLite) or a session advisory lock (PostgreSQL), released by the operating system or the
  server when the process dies.
* ``LogWatcher``: waits for the next commit to the event log — ``PRAGMA data_version`` of the
  event file (changes on every other connection's commit), or ``LISTEN`` on the library's
  notification channel (every insert sends ``NOTIFY``) — with a short poll as a safety net.
* ``follow_log``: the projector's loop (catch up, wait, repeat) until told to stop.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ledger.sqldb import Database, Transaction, sqlite_connect, sqlite_transaction
from ledger.store import StoreConfig
from projections.runner import ProjectionRunner

log = logging.getLogger("anju.projections")

READ_FILE_SUFFIX = "-read"
SAFETY_POLL_SECONDS = 0.05  # on PostgreSQL, without a NOTIFY (another writer build), a commit is seen this late
SQLITE_POLL_SECONDS = 0.002  # PRAGMA data_version costs microseconds: poll it often


def read_model_path(config: StoreConfig) -> str:
    """``…/anju.db`` → ``…/anju-read.db`` (the read models' own file beside the event file)."""
    assert config.sqlite_path is not None
    path = Path(config.sqlite_path)
    return str(path.with_name(f"{path.stem}{READ_FILE_SUFFIX}{path.suffix or '.db'}"))


def read_model_database(config: StoreConfig) -> Database:
    """Where the read models, their tracked positions and faults live (see the module docstring)."""
    if config.dialect == "sqlite":
        return ReadModelFile(read_model_path(config), config.sqlite_path or "")
    return config.database()


class ReadModelFile(Database):
    """The SQLite read-model file: writes in it alone; reads with the event file attached."""

    def __init__(self, path: str, events_path: str) -> None:
        super().__init__("sqlite", sqlite_path=path)
        self.events_path = events_path

    def _connection(self, write: bool) -> sqlite3.Connection:
        attribute = "write_conn" if write else "read_conn"
        conn = getattr(self._local, attribute, None)
        if conn is None:
            conn = sqlite_connect(self.sqlite_path)
            if not write:
                conn.execute("ATTACH DATABASE ? AS events", (self.events_path,))
            setattr(self._local, attribute, conn)
        return conn

    @contextmanager
    def transaction(self, *, write: bool = True, snapshot: bool = False) -> Iterator[Transaction]:
        with sqlite_transaction(self._connection(write), write=write) as tx:
            yield tx

    def close(self) -> None:
        for attribute in ("write_conn", "read_conn"):
            conn = getattr(self._local, attribute, None)
            if conn is not None:
                conn.close()
                setattr(self._local, attribute, None)


# --- one projector per store ---------------------------------------------------------------
class InstanceLock:
    """Held by the one projector of a store for as long as its process lives."""

    def __init__(self, config: StoreConfig) -> None:
        self.config = config
        self._file = None
        self._conn = None

    @property
    def describe(self) -> str:
        if self.config.dialect == "sqlite":
            return f"lock file {read_model_path(self.config)}.lock"
        return f"PostgreSQL advisory lock {self.key} (schema {self.config.pg_schema})"

    @property
    def key(self) -> int:
        """A 63-bit advisory-lock key of this store's schema."""
        seed = f"anju-projector:{self.config.pg_dbname}:{self.config.pg_schema}".encode()
        return int.from_bytes(hashlib.sha256(seed).digest()[:8], "big") >> 1

    def acquire(self, wait: bool, on_wait: Callable[[], None] | None = None,
                stop: threading.Event | None = None, keep_going: Callable[[], bool] = lambda: True) -> bool:
        """Take the lock; with ``wait``, retry every second (``on_wait`` called once) until taken, or until
        ``stop`` is set or ``keep_going`` says no (a stand-by whose parent API process is gone)."""
        told = False
        while True:
            if self._try():
                return True
            if not wait or (stop is not None and stop.is_set()) or not keep_going():
                return False
            if on_wait is not None and not told:
                on_wait()
                told = True
            if stop is not None:
                stop.wait(1.0)
            else:
                time.sleep(1.0)

    def _try(self) -> bool:
        if self.config.dialect == "sqlite":
            import fcntl

            handle = open(f"{read_model_path(self.config)}.lock", "a+")  # noqa: SIM115 (held while we run)
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                return False
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            self._file = handle
            return True
        import psycopg

        conn = psycopg.connect(self.config.pg_conninfo, autocommit=True)
        taken = conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()[0]
        if not taken:
            conn.close()
            return False
        self._conn = conn
        return True

    def still_held(self) -> bool:
        """False when the PostgreSQL session holding the lock is gone (the lock went with it)."""
        if self._conn is None:
            return self._file is not None
        try:
            self._conn.execute("SELECT 1")
            return True
        except Exception:
            return False

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the descriptor releases the flock
            self._file = None
        if self._conn is not None:
            try:
                self._conn.close()  # ends the session: the advisory lock goes with it
            except Exception:
                pass
            self._conn = None


class LogWatcher:
    """Blocks until the event log may have grown (a commit by any process), or a timeout."""

    def __init__(self, config: StoreConfig, channel: str | None) -> None:
        self.config = config
        self._conn = None
        self._version = None
        if config.dialect == "sqlite":
            self._conn = sqlite3.connect(config.sqlite_path or "", isolation_level=None, check_same_thread=False)
            self._version = self._data_version()
        elif channel:
            import psycopg
            from psycopg import sql

            self._conn = psycopg.connect(config.pg_conninfo, autocommit=True)
            self._conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))

    def _data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        if self.config.dialect == "sqlite":
            while time.monotonic() < deadline:
                version = self._data_version()
                if version != self._version:
                    self._version = version
                    return
                time.sleep(SQLITE_POLL_SECONDS)
            return
        if self._conn is None:
            time.sleep(min(timeout, SAFETY_POLL_SECONDS))
            return
        for _ in self._conn.notifies(timeout=min(timeout, SAFETY_POLL_SECONDS), stop_after=1):
            break
        for _ in self._conn.notifies(timeout=0):  # drain the rest: one catch-up covers them all
            pass

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def follow_log(runner: ProjectionRunner, watcher: LogWatcher, lock: InstanceLock, stop: threading.Event,
               keep_going: Callable[[], bool] = lambda: True, idle_seconds: float = 0.5) -> None:
    """The projector's loop: catch up, wait for the next commit, repeat — until ``stop`` or the lock is lost."""
    checked = time.monotonic()
    while not stop.is_set() and keep_going():
        try:
            runner.catch_up()
            runner.last_failure = None
        except Exception as error:  # the store failed: retry from the tracked positions
            runner.last_failure = f"{type(error).__name__}: {error}"[:500]
            log.exception("projection batch failed")
            stop.wait(1)
        if time.monotonic() - checked > 5:
            checked = time.monotonic()
            if not lock.still_held():
                log.error("the projector lock was lost (the store's session ended); stopping")
                return
        watcher.wait(idle_seconds)
