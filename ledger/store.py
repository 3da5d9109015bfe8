"""The event store: one global, ordered log for everything the product records.

``ANJU_DATABASE_URL`` selects the store: ``sqlite:///path/to/anju.db`` (the default,
``sqlite:///./anju.db``) or ``postgresql://user:password@host:port/dbname[?schema=s]``.
It is mapped onto the eventsourcing library's variables; the product's own tables
(chain, read models) are reached through ``ledger.sqldb.Database`` on the same store.
The library's recorder is replaced by one that appends the keyed hash chain
(``ledger.chain``) in the same transaction as the events.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder

from ledger import values
from ledger.chain import RECORDER_TOPICS, load_chain_key
from ledger.sqldb import Database

DEFAULT_DATABASE_URL = "sqlite:///./anju.db"
APPLICATION_NAME = "anju"


class StoreConfigError(ValueError):
    pass


@dataclass(frozen=True)
class StoreConfig:
    url: str
    dialect: str  # "sqlite" or "postgres"
    sqlite_path: str | None = None
    pg_host: str = "127.0.0.1"
    pg_port: int = 5432
    pg_user: str = "postgres"
    pg_password: str = ""
    pg_dbname: str = "anju"
    pg_schema: str = "public"

    @classmethod
    def from_url(cls, url: str | None = None) -> StoreConfig:
        url = url or os.environ.get("ANJU_DATABASE_URL") or DEFAULT_DATABASE_URL
        parsed = urlparse(url)
        if parsed.scheme == "sqlite":
            path = unquote(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else ""
            if not path:
                raise StoreConfigError("a SQLite URL looks like sqlite:///path/to/anju.db")
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            return cls(url=url, dialect="sqlite", sqlite_path=path)
        if parsed.scheme in ("postgresql", "postgres"):
            query = parse_qs(parsed.query)
            schema = query.get("schema", ["public"])[0]
            return cls(
                url=url,
                dialect="postgres",
                pg_host=parsed.hostname or "127.0.0.1",
                pg_port=parsed.port or 5432,
                pg_user=unquote(parsed.username or "postgres"),
                pg_password=unquote(parsed.password or ""),
                pg_dbname=(parsed.path or "/anju").lstrip("/") or "anju",
                pg_schema=schema,
            )
        raise StoreConfigError(f"ANJU_DATABASE_URL must start sqlite:/// or postgresql://, not {url!r}")

    @property
    def pg_conninfo(self) -> str:
        parts = [f"host={self.pg_host}", f"port={self.pg_port}", f"user={self.pg_user}", f"dbname={self.pg_dbname}"]
        if self.pg_password:
            parts.append(f"password={self.pg_password}")
        return " ".join(parts)

    def application_env(self) -> dict[str, str]:
        """The eventsourcing library's variables for this store."""
        if self.dialect == "sqlite":
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": "30",
                "CREATE_TABLE": "y",
            }
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": self.pg_dbname,
            "POSTGRES_HOST": self.pg_host,
            "POSTGRES_PORT": str(self.pg_port),
            "POSTGRES_USER": self.pg_user,
            "POSTGRES_PASSWORD": self.pg_password,
            "POSTGRES_SCHEMA": self.pg_schema,
            "POSTGRES_POOL_SIZE": "4",
            "POSTGRES_MAX_OVERFLOW": "4",
            "POSTGRES_CONNECT_TIMEOUT": "5",
            # Seconds (the library formats it as lock_timeout = 'Ns'); the chained recorder bounds its own appends.
            "POSTGRES_LOCK_TIMEOUT": "5",
            # Keep the table lock: projections and the chain need ids that commit in order.
            "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
            "CREATE_TABLE": "y",
        }

    def ensure_schema(self) -> None:
        """PostgreSQL: the schema must exist before the library creates its tables."""
        if self.dialect != "postgres" or self.pg_schema == "public":
            return
        import psycopg

        with psycopg.connect(self.pg_conninfo, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.pg_schema}"')

    def database(self) -> Database:
        if self.dialect == "sqlite":
            return Database("sqlite", sqlite_path=self.sqlite_path)
        return Database("postgres", pg_conninfo=self.pg_conninfo, pg_schema=self.pg_schema)

    @property
    def events_table(self) -> str:
        return "stored_events" if self.dialect == "sqlite" else f"{APPLICATION_NAME}_events"

    @property
    def position_column(self) -> str:
        """The events table's log position: SQLite's rowid, PostgreSQL's notification_id."""
        return "rowid" if self.dialect == "sqlite" else "notification_id"

    @property
    def describe(self) -> str:
        if self.dialect == "sqlite":
            return f"SQLite file {self.sqlite_path}"
        return f"PostgreSQL {self.pg_host}:{self.pg_port}/{self.pg_dbname} schema {self.pg_schema}"


class AnjuApplication(Application):
    """The one eventsourcing application whose log holds every event of the product."""

    name = APPLICATION_NAME

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in values.transcodings():
            transcoder.register(transcoding)


def open_application(config: StoreConfig, chain_key: bytes | None = None) -> AnjuApplication:
    """The application on the configured store; its recorder extends the keyed chain as it inserts.

    (``application_env`` stays the library's plain configuration: the bench's raw baseline uses it.)
    """
    key = chain_key or load_chain_key(config.dialect, config.sqlite_path)  # before anything is created
    config.ensure_schema()
    env = {**config.application_env(), "APPLICATION_RECORDER_TOPIC": RECORDER_TOPICS[config.dialect]}
    app = AnjuApplication(env=env)
    app.recorder.chain_key = key  # type: ignore[attr-defined]
    return app
