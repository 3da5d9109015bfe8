"""The ``anju`` command against SQLite and PostgreSQL: token, verify, replay, demo."""

from __future__ import annotations

import json

import psycopg
from typer.testing import CliRunner

from api.cli import app
from ledger.store import StoreConfig

runner = CliRunner()


def _anju(store_url: str, *args: str):
    return runner.invoke(app, list(args), env={"ANJU_DATABASE_URL": store_url}, catch_exceptions=False)


def test_token_create_prints_once_and_stores_only_hash(store_url):
    result = _anju(store_url, "token", "create", "--role", "accountant", "--scope", "community:c1")
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("anju_")
    bad = _anju(store_url, "token", "create", "--role", "accountant", "--scope", "township:t1")
    assert bad.exit_code == 2
    config = StoreConfig.from_url(store_url)
    table = config.events_table
    if config.dialect == "sqlite":
        import sqlite3

        states = [bytes(r[0]) for r in sqlite3.connect(config.sqlite_path).execute(f"SELECT state FROM {table}")]
    else:
        with psycopg.connect(config.pg_conninfo, options=f"-c search_path={config.pg_schema}") as conn:
            states = [bytes(r[0]) for r in conn.execute(f"SELECT state FROM {table}")]
    assert states and all(token.encode() not in state for state in states)


def test_demo_loads_once_then_changes_nothing_and_verify_replay_pass(store_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = _anju(store_url, "demo")
    assert first.exit_code == 0, first.output
    assert "accountant" in first.output and "loaded" in first.output
    second = _anju(store_url, "demo")
    assert second.exit_code == 0
    assert "already holds the demo" in second.output
    verified = _anju(store_url, "verify")
    assert verified.exit_code == 0 and "chain ok" in verified.output
    replayed = _anju(store_url, "replay")
    assert replayed.exit_code == 0, replayed.output
    assert "all read models match" in replayed.output


def test_verify_exits_non_zero_at_tampered_position(store_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for role, scope in (("accountant", "community:c1"), ("auditor", "all"), ("township", "township:t1")):
        assert _anju(store_url, "token", "create", "--role", role, "--scope", scope).exit_code == 0
    assert _anju(store_url, "verify").exit_code == 0
    config = StoreConfig.from_url(store_url)
    if config.dialect == "sqlite":
        import sqlite3

        conn = sqlite3.connect(config.sqlite_path)
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = 2", (b'{"forged":1}',))
        conn.commit()
        conn.close()
    else:
        with psycopg.connect(config.pg_conninfo, autocommit=True,
                             options=f"-c search_path={config.pg_schema}") as conn:
            conn.execute("UPDATE anju_events SET state = %s WHERE notification_id = 2", (b'{"forged":1}',))
    result = _anju(store_url, "verify")
    assert result.exit_code == 1
    assert "position 2" in result.output and "altered" in result.output
    saved = json.dumps({"output": result.output})
    assert "BROKEN" in saved
