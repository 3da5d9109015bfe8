"""The running system: store, writer, projection runner and token lookups, wired once."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from api import capabilities
from ledger.access import AccessToken, token_hash, token_id
from ledger.audit import Audit
from ledger.chain import VerifyReport, stored_links, stored_rows, verify
from ledger.idempotency import Rendered, idempotent
from ledger.sqldb import Database
from ledger.store import AnjuApplication, StoreConfig, open_application
from ledger.writer import CommandOutcome, GroupCommitWriter, UnitOfWork
from projections.runner import ProjectionRunner

WRITE_TIMEOUT_SECONDS = 30


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
    def __init__(self, config: StoreConfig, *, follow: bool = True) -> None:
        self.config = config
        self.identity_key: bytes = load_identity_key(config)
        capabilities.import_domain_modules()  # every value type registered before the store opens
        self.app: AnjuApplication = open_application(config)
        self.db: Database = config.database()
        self.runner = ProjectionRunner(self.app, self.db, all_projections())
        self.writer = GroupCommitWriter(self.app, on_commit=self.runner.notify)
        self._tokens: dict[str, Principal | None] = {}
        self._tokens_lock = threading.Lock()
        self.following = follow
        if follow:
            self.runner.catch_up()
            self.runner.start()

    @classmethod
    def from_env(cls, url: str | None = None, *, follow: bool = True) -> Runtime:
        return cls(StoreConfig.from_url(url), follow=follow)

    def close(self) -> None:
        self.writer.stop()
        self.runner.stop()
        self.db.close()
        self.app.close()

    # --- writing ---------------------------------------------------------------
    def execute(self, command: Callable[[UnitOfWork], Any], *, wait_for_read_models: bool = True) -> CommandOutcome:
        outcome = self.writer.execute(command, timeout=WRITE_TIMEOUT_SECONDS)
        if wait_for_read_models:
            self.wait_for(outcome.position)
        return outcome

    async def write(self, command: Callable[[UnitOfWork], Any], audit: Audit, request_sha256: str,
                    render: Callable[[Any], tuple[int, Any]]) -> tuple[int, Any, int | None]:
        """Run a command through the writer; remember its response under the idempotency key."""
        wrapped = idempotent(audit, request_sha256, command, render)
        future = self.writer.submit(wrapped)
        outcome: CommandOutcome = await asyncio.wait_for(asyncio.wrap_future(future), WRITE_TIMEOUT_SECONDS)
        result: Rendered = outcome.result
        status, body = result.status_code, result.body
        # Writes answer as soon as they are durable; reads wait for the read models to
        # reach every commit made before them (``read_your_writes``), so a client that
        # writes then reads always sees its write.
        return status, body, outcome.position

    def read_your_writes(self) -> None:
        """Before a read: wait until the read models reflect every commit of this process."""
        target = self.writer.last_position
        if target and self.runner.position < target:
            self.wait_for(target)

    def wait_for(self, position: int | None) -> None:
        if position is not None and not self.following:
            self.runner.catch_up()
        else:
            self.runner.wait_for(position)

    # --- tokens ----------------------------------------------------------------
    def principal_for(self, token: str) -> Principal | None:
        digest = token_hash(token)
        with self._tokens_lock:
            if digest in self._tokens:
                return self._tokens[digest]
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
        with self.db.transaction(write=False, snapshot=True) as tx:
            rows = stored_rows(tx, self.config.events_table, self.config.position_column)
            return verify(rows, stored_links(tx), key, progress)
