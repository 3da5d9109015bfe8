"""Shared helpers of the reliability tests: raw access to the store, as a database administrator has."""

from __future__ import annotations

import psycopg

from api.runtime import Runtime

BIG = "999999999999.99"  # the largest amount a line may carry


def raw_sql(runtime: Runtime, sql: str, params: tuple = ()) -> list:
    """Run SQL straight against the store (``%s`` placeholders), bypassing the product."""
    config = runtime.config
    if config.dialect == "sqlite":
        import sqlite3

        conn = sqlite3.connect(config.sqlite_path)
        try:
            rows = conn.execute(sql.replace("%s", "?"), params).fetchall()
            conn.commit()
            return rows
        finally:
            conn.close()
    with psycopg.connect(config.pg_conninfo, autocommit=True,
                         options=f"-c search_path={config.pg_schema}") as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def events_table(runtime: Runtime) -> tuple[str, str]:
    """The events table and its position column."""
    return (("stored_events", "rowid") if runtime.config.dialect == "sqlite"
            else ("anju_events", "notification_id"))


def head(runtime: Runtime) -> int:
    return runtime.app.recorder.max_notification_id() or 0


def book(api, code: str = "b1", community: str = "c1", township: str = "t1") -> None:
    from tests.conftest import open_book_body

    response = api.post("/books", open_book_body(code, community, township))
    assert response.status_code == 201, response.text


def lines(*pairs: tuple[str, str, str]) -> list[dict]:
    """(account, side, amount) → wire lines."""
    return [{"account_code": code, side: amount} for code, side, amount in pairs]
