"""A small SQL layer for the tables the product keeps beside the event log.

The hash chain, read models and their tracked positions live in the same database as
the events (the same SQLite file, or the same PostgreSQL schema), reached through
this one wrapper so that SQL is written once with ``?`` placeholders for both stores.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

Row = tuple[Any, ...]


class Transaction:
    """One open transaction; ``?`` placeholders are adapted to the store's style."""

    def __init__(self, cursor: Any, dialect: str) -> None:
        self._cursor = cursor
        self.dialect = dialect

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgres" else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        self._cursor.execute(self._sql(sql), tuple(params))
        return self._cursor.rowcount

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._cursor.executemany(self._sql(sql), [tuple(r) for r in rows])

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        self._cursor.execute(self._sql(sql), tuple(params))
        return list(self._cursor.fetchall())

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None


def sqlite_connect(path: str | None) -> sqlite3.Connection:
    """A SQLite connection in autocommit mode (transactions are explicit), WAL, synchronous NORMAL."""
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


@contextmanager
def sqlite_transaction(conn: sqlite3.Connection, *, write: bool) -> Iterator[Transaction]:
    """One transaction on a SQLite connection: ``BEGIN IMMEDIATE`` to write, committed unless it raises."""
    cursor = conn.cursor()
    cursor.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    try:
        yield Transaction(cursor, "sqlite")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
    finally:
        cursor.close()


class Database:
    """Connections to the product's own tables on SQLite or PostgreSQL."""

    def __init__(self, dialect: str, *, sqlite_path: str | None = None, pg_conninfo: str | None = None,
                 pg_schema: str = "public", pool_size: int = 4) -> None:
        self.dialect = dialect
        self.sqlite_path = sqlite_path
        self.pg_schema = pg_schema
        self._local = threading.local()
        self._pool = None
        if dialect == "postgres":
            from psycopg_pool import ConnectionPool

            options = f"-c search_path={pg_schema}"
            self._pool = ConnectionPool(
                pg_conninfo, min_size=1, max_size=pool_size, open=True,
                kwargs={"options": options, "autocommit": False},
            )

    # SQLite keeps one connection per thread; PostgreSQL borrows from a pool.
    def _sqlite_connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite_connect(self.sqlite_path)
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self, *, write: bool = True, snapshot: bool = False) -> Iterator[Transaction]:
        """A transaction; ``snapshot`` reads one consistent state (PostgreSQL REPEATABLE READ)."""
        if self.dialect == "sqlite":
            with sqlite_transaction(self._sqlite_connection(), write=write) as tx:
                yield tx
        else:
            assert self._pool is not None
            with self._pool.connection() as conn:
                with conn.transaction():
                    with conn.cursor() as cursor:
                        if snapshot:
                            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                        yield Transaction(cursor, "postgres")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self.transaction(write=False) as tx:
            return tx.query(sql, params)

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
