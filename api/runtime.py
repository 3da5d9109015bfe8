"""The running system: store, writer, projection runner and token lookups, wired once.

Where the read models are applied:

* ``anju serve`` (``Runtime(config, projector_process=True)``): in a process of their own,
  ``anju project``, started and watched by ``ProjectorProcess`` (restarted when it exits).
  This process only writes and reads; reads wait (bounded) for the tracked position to reach
  the caller's own writes, polling it in the read-model store.
* tests (``follow=True``): a runner thread in this process.
* the CLI's one-shot commands (``follow=False``): caught up on demand in this process.

``run_projector`` is the projection process itself: one per store (``InstanceLock``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from api import capabilities
from ledger.access import AccessToken, token_hash, token_id
from ledger.audit import Audit
from ledger.chain import VerifyReport, stored_links, stored_rows, verify
from ledger.idempotency import Rendered, Replayed, idempotent, remembered_at
from ledger.sqldb import Database
from ledger.store import AnjuApplication, StoreConfig, open_application
from ledger.writer import QUEUE_DEADLINE_SECONDS, CommandOutcome, GroupCommitWriter, UnitOfWork
from projections.process import InstanceLock, LogWatcher, follow_log, read_model_database
from projections.runner import ProjectionRunner

WRITE_TIMEOUT_SECONDS = 30
READ_WAIT_SECONDS = 10.0  # a read waits at most this long for the read models to reach the caller's writes
BULK_CATCH_UP_SECONDS = 600.0  # after a bulk load (the demo), the read models' catch-up is bounded too
log = logging.getLogger("anju.runtime")


NOT_CACHED = object()  # Runtime.cached_principal: the token was not looked up yet


@dataclass(frozen=True)
class Principal:
    subject: str
    role: str
    scope: Any  # ledger.access.Scope

    def audit(self, reason: str, idempotency_key: str | None = None) -> Audit:
        return Audit(actor=self.subject, role=self.role, reason=reason[:200] or "-", idempotency_key=idempotency_key)


def all_projections() -> list:
    """Every read model (the hash chain is not one: the writer's recorder keeps it)."""
    return capabilities.read_models()


class MissingSecret(RuntimeError):
    pass


def load_identity_key(config: StoreConfig) -> bytes:
    """The key for identity-number hashes (DOMAIN.md §3), from ``ANJU_IDENTITY_KEY``.

    On PostgreSQL (production) a missing key is a start-up error. On the embedded
    SQLite store a key is generated once into the store's folder (``anju-identity.key``).
    """
    import os
    import secrets
    from pathlib import Path

    configured = os.environ.get("ANJU_IDENTITY_KEY", "")
    if configured:
        if len(configured) < 32:
            raise MissingSecret("ANJU_IDENTITY_KEY must be at least 32 characters")
        return configured.encode()
    if config.dialect != "sqlite" or not config.sqlite_path:
        raise MissingSecret("set ANJU_IDENTITY_KEY (≥ 32 characters) to run on PostgreSQL")
    path = Path(os.path.dirname(os.path.abspath(config.sqlite_path))) / "anju-identity.key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip().encode()


class Runtime:
    def __init__(self, config: StoreConfig, *, follow: bool = True, projector_process: bool = False) -> None:
        self.config = config
        self.identity_key: bytes = load_identity_key(config)
        capabilities.import_domain_modules()  # every value type registered before the store opens
        self.app: AnjuApplication = open_application(config)
        self.db: Database = read_model_database(config)  # read models (on SQLite their own file)
        # The event file itself (verify); on PostgreSQL the read models share its schema and pool.
        self.events_db: Database = config.database() if config.dialect == "sqlite" else self.db
        self.runner = ProjectionRunner(self.app, self.db, all_projections(), external=projector_process)
        self.writer = GroupCommitWriter(self.app, on_commit=self.runner.notify)
        self._tokens: dict[str, Principal | None] = {}
        self._tokens_lock = threading.Lock()
        self.following = follow or projector_process
        self._bulk_loading = False
        self.projector: ProjectorProcess | None = None
        if projector_process:
            self.projector = ProjectorProcess(config, self.runner)
            self.projector.start()
        elif follow:
            self.runner.catch_up()
            self.runner.start()

    @classmethod
    def from_env(cls, url: str | None = None, *, follow: bool = True, projector_process: bool = False) -> Runtime:
        return cls(StoreConfig.from_url(url), follow=follow, projector_process=projector_process)

    def close(self) -> None:
        self.writer.stop()
        if self.projector is not None:
            self.projector.stop()
        else:
            self.runner.stop()
        self.db.close()
        if self.events_db is not self.db:
            self.events_db.close()
        self.app.close()

    # --- writing ---------------------------------------------------------------
    def execute(self, command: Callable[[UnitOfWork], Any], *, wait_for_read_models: bool = True) -> CommandOutcome:
        outcome = self.writer.execute(command, timeout=WRITE_TIMEOUT_SECONDS)
        if wait_for_read_models and not self._bulk_loading:
            self.wait_for(outcome.position)
        return outcome

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """A bulk load (the demo): its commands do not wait for the read models one by one; the
        read models catch up once, in large batches, when it ends. Only for loaders that read
        aggregates, never read models, between their commands."""
        self._bulk_loading = True
        try:
            yield
        finally:
            self._bulk_loading = False
        target = self.writer.last_position
        if not self.following:
            self.runner.catch_up()
            return
        deadline = time.monotonic() + BULK_CATCH_UP_SECONDS
        while not self.runner.wait_for(target, timeout=READ_WAIT_SECONDS):
            if time.monotonic() >= deadline:
                raise TimeoutError(f"the read models did not reach position {target} "
                                   f"within {BULK_CATCH_UP_SECONDS} s of the bulk load")

    async def write(self, command: Callable[[UnitOfWork], Any], audit: Audit, request_sha256: str,
                    render: Callable[[Any], tuple[int, Any]]) -> tuple[int, Any, int | None]:
        """Run a command through the writer; remember its response under the idempotency key."""
        wrapped = idempotent(audit, request_sha256, command, render)
        future = self.writer.submit(wrapped, deadline=QUEUE_DEADLINE_SECONDS)  # never run after the caller gave up
        outcome: CommandOutcome = await asyncio.wait_for(asyncio.wrap_future(future), WRITE_TIMEOUT_SECONDS)
        result: Rendered = outcome.result
        status, body = result.status_code, result.body
        if isinstance(result, Replayed):
            return status, body, self.remembered_position(audit)
        if outcome.position is None and 200 <= status < 300:
            # Nothing was written (already done): the answer reflects the log as it stands.
            return status, body, self.app.recorder.max_notification_id() or 0
        # Writes answer as soon as they are durable; reads wait for the read models to
        # reach every commit made before them (``read_your_writes``), so a client that
        # writes then reads always sees its write.
        return status, body, outcome.position

    def remembered_position(self, audit: Audit) -> int | None:
        """A replayed response answers with the log position of the write it first answered."""
        with self.events_db.transaction(write=False) as tx:
            return remembered_at(tx, self.config.events_table, self.config.position_column,
                                 audit.actor, audit.idempotency_key or "")

    def read_your_writes(self) -> None:
        """Before a read: wait until the read models reflect every commit of this process."""
        target = self.writer.last_position
        if target and self.runner.position < target:
            self.wait_for(target)

    def wait_for(self, position: int | None) -> None:
        if position is not None and not self.following:
            self.runner.catch_up()
        else:
            self.runner.wait_for(position, timeout=READ_WAIT_SECONDS)

    # --- tokens ----------------------------------------------------------------
    def cached_principal(self, token: str) -> Principal | None | object:
        """The token's principal if it was looked up before, else ``NOT_CACHED`` (no I/O: the event loop calls it)."""
        with self._tokens_lock:
            return self._tokens.get(token_hash(token), NOT_CACHED)

    def principal_for(self, token: str) -> Principal | None:
        cached = self.cached_principal(token)
        if cached is not NOT_CACHED:
            return cached  # type: ignore[return-value]
        digest = token_hash(token)
        try:
            access: AccessToken = self.app.repository.get(token_id(token))
        except AggregateNotFoundError:
            return None  # unknown tokens are not cached: a token created later must work
        principal = None if access.revoked else Principal(access.subject, access.role, access.scope)
        with self._tokens_lock:
            self._tokens[digest] = principal
        return principal

    # --- auditing --------------------------------------------------------------
    def verify(self, progress: Callable[[int], None] | None = None) -> VerifyReport:
        """Re-derive the keyed chain from every raw row of the events table, in one snapshot.

        Reads the store only: it waits for no read model (the writer linked every event it
        committed), so a row no projection can apply cannot hold it up.
        """
        key = self.app.recorder.chain_key  # type: ignore[attr-defined]
        with self.events_db.transaction(write=False, snapshot=True) as tx:
            rows = stored_rows(tx, self.config.events_table, self.config.position_column)
            return verify(rows, stored_links(tx), key, progress)


# --- the projection process ------------------------------------------------------------------
PARENT_ENV = "ANJU_PROJECTOR_PARENT"  # set by ProjectorProcess: the child stops when that process is gone
RESTART_SECONDS = 0.5


class ProjectorProcess:
    """``anju project --wait`` as a child of the API process, restarted whenever it exits.

    While the child is down, ``runner.last_failure`` says so (``/healthz`` answers 503); a
    child that waits for the lock held by another projector of the same store counts as up.
    """

    def __init__(self, config: StoreConfig, runner: ProjectionRunner) -> None:
        self.config = config
        self.runner = runner
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self._quick_exits = 0  # consecutive exits soon after a start
        self._spawned_at = 0.0
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def _spawn(self) -> subprocess.Popen:
        self._spawned_at = time.monotonic()
        env = {**os.environ, "ANJU_DATABASE_URL": self.config.url, PARENT_ENV: str(os.getpid())}
        code = "from api.cli import main; main()"
        return subprocess.Popen([sys.executable, "-c", code, "project", "--wait"], env=env,
                                stdin=subprocess.DEVNULL)

    def start(self) -> None:
        self.process = self._spawn()
        self._thread = threading.Thread(target=self._watch, name="anju-projector-watch", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stopping.is_set():
            assert self.process is not None
            code = self.process.wait()
            if self._stopping.is_set():
                return
            self.runner.last_failure = f"the projection process exited (code {code}); restarting it"
            log.error("projection process %d exited with code %s; restarting", self.process.pid, code)
            # A child that keeps failing soon after its start (a missing key, the store down) is retried
            # less and less often: 0.5 s, 1 s, 2 s … at most 15 s apart.
            self._quick_exits = self._quick_exits + 1 if time.monotonic() - self._spawned_at < 30 else 0
            self._stopping.wait(min(RESTART_SECONDS * 2 ** max(0, self._quick_exits - 1), 15.0))
            if self._stopping.is_set():
                return
            self.process = self._spawn()
            self.restarts += 1
            self.runner.last_failure = None

    def stop(self) -> None:
        self._stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._thread is not None:
            self._thread.join(timeout=5)


def run_projector(config: StoreConfig, *, wait: bool, say: Callable[[str], None]) -> int:
    """The projection process: take the store's projector lock, then follow the log until stopped.

    Returns the exit code: 0 when stopped (SIGTERM, SIGINT, or the parent API process gone),
    1 when another projector holds the lock and ``wait`` is off, or the lock was lost.
    """
    import signal

    capabilities.import_domain_modules()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    parent = int(os.environ.get(PARENT_ENV, "0") or 0)

    def parent_alive() -> bool:
        return not parent or os.getppid() == parent

    lock = InstanceLock(config)
    if not lock.acquire(wait, on_wait=lambda: say(f"anju project: another projector holds the {lock.describe};"
                                                       " waiting for it"), stop=stop, keep_going=parent_alive):
        if stop.is_set() or not parent_alive():
            return 0
        say(f"anju project: another projector already follows {config.describe} (it holds the {lock.describe});"
            " one projector per store — stop it first, or pass --wait to take over when it stops")
        return 1
    app = open_application(config)
    db = read_model_database(config)
    watcher = None
    try:
        runner = ProjectionRunner(app, db, all_projections())  # clears recorded faults: try each model again
        watcher = LogWatcher(config, getattr(app.recorder, "channel_name", None))
        say(f"anju project: following {config.describe} from position {runner.position}")
        started = time.monotonic()
        follow_log(runner, watcher, lock, stop, keep_going=parent_alive)
        lost = not stop.is_set() and parent_alive()
        say(f"anju project: stopped at position {runner.position} after {time.monotonic() - started:.0f} s")
        return 1 if lost else 0
    finally:
        if watcher is not None:
            watcher.close()
        db.close()
        app.close()
        lock.release()
