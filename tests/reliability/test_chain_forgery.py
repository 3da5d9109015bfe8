"""A row that did not come through the product's writer fails verify (issue 11, items 3 and 6).

The writer's recorder appends a keyed link (HMAC-SHA256 under ANJU_CHAIN_KEY) in the same
transaction as the events; verify reads every row of the events table. Rows forged with SQL
access — at the head, inside the log, at position 0 — are caught on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import stat
from datetime import date
from decimal import Decimal

import pytest

from api.runtime import Runtime
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.book import book_month_id
from ledger.chain import GENESIS, ChainKeyMissing, canonical_id, link, load_chain_key
from ledger.journal import VoucherDraft, credit, debit
from ledger.store import StoreConfig, open_application
from tests.reliability.helpers import events_table, raw_sql

AUDIT = Audit("tester", "accountant", "test")


def _history(runtime: Runtime, vouchers: int = 4) -> None:
    """Written through the writer alone (no waiting for read models)."""
    runtime.writer.execute(lambda uow: bookkeeping.open_book(
        uow, AUDIT, book_code="b1", name="b1", entity_kind="collective", community_id="c1", township_id="t1",
        chart_name="collective_2023", starts_on=date(2025, 1, 1)))
    for i in range(vouchers):
        draft = VoucherDraft(date(2025, 3, 1 + i), f"v{i}", (debit("102", Decimal(100 + i)),
                                                             credit("501.01", Decimal(100 + i))))
        runtime.writer.execute(lambda uow, d=draft: bookkeeping.record_voucher(uow, AUDIT, "b1", d))


def _month_rows(runtime: Runtime) -> list:
    table, position = events_table(runtime)
    month = book_month_id("b1", "2025-03")
    stream = month.hex if runtime.config.dialect == "sqlite" else str(month)
    return raw_sql(runtime, f"SELECT {position}, originator_id, originator_version, topic, state FROM {table}"
                            f" WHERE originator_id = %s ORDER BY originator_version", (stream,))


def _forge_next_version(runtime: Runtime, position: int | None = None) -> None:
    """Append the month stream's next version by SQL: a copy of its last voucher (a forged voucher)."""
    table, column = events_table(runtime)
    rows = _month_rows(runtime)
    _, stream, version, topic, state = rows[-1]
    if position is None:
        raw_sql(runtime, f"INSERT INTO {table} (originator_id, originator_version, topic, state)"
                         " VALUES (%s, %s, %s, %s)", (stream, version + 1, topic, bytes(state)))
    else:
        raw_sql(runtime, f"INSERT INTO {table} ({column}, originator_id, originator_version, topic, state)"
                         " VALUES (%s, %s, %s, %s, %s)", (position, stream, version + 1, topic, bytes(state)))


def test_every_committed_event_is_linked_in_its_own_transaction(runtime):
    runtime.runner.stop()  # no read model runs: the writer alone keeps the chain
    _history(runtime)
    head = runtime.app.recorder.max_notification_id()
    links = raw_sql(runtime, "SELECT COUNT(*), MAX(position) FROM anju_chain")[0]
    assert (links[0], links[1]) == (head, head)
    assert runtime.verify().ok


def test_row_appended_at_the_head_by_sql_fails_verify(runtime):
    _history(runtime)
    _forge_next_version(runtime)
    head = runtime.app.recorder.max_notification_id()
    report = runtime.verify()
    assert (report.ok, report.first_bad_position, report.problem) == (False, head, "inserted")


def test_row_inserted_at_position_zero_fails_verify(runtime):
    """Outside the notification sequence: the log and the read models never see it, verify does."""
    _history(runtime)
    _forge_next_version(runtime, position=0)
    report = runtime.verify()
    assert (report.ok, report.first_bad_position, report.problem) == (False, 0, "inserted")


def test_forged_row_with_a_link_made_without_the_key_fails_verify(runtime):
    """Someone who knows the algorithm but not the key cannot extend the chain."""
    _history(runtime)
    _forge_next_version(runtime)
    head = runtime.app.recorder.max_notification_id()
    table, column = events_table(runtime)
    position, stream, version, topic, state = raw_sql(
        runtime, f"SELECT {column}, originator_id, originator_version, topic, state FROM {table}"
                 f" WHERE {column} = %s", (head,))[0]
    previous = bytes(raw_sql(runtime, "SELECT link FROM anju_chain WHERE position = %s", (head - 1,))[0][0])
    guessed = link(b"not-the-key-" * 3, previous, position, canonical_id(stream), version, topic, bytes(state))
    raw_sql(runtime, "INSERT INTO anju_chain (position, link) VALUES (%s, %s)", (head, guessed))
    report = runtime.verify()
    assert (report.ok, report.first_bad_position, report.problem) == (False, head, "altered")


def test_rechaining_the_whole_log_without_the_key_fails_verify(runtime):
    """Rewriting every link (e.g. with plain SHA-256) is caught at the first position."""
    _history(runtime)
    table, column = events_table(runtime)
    rows = raw_sql(runtime, f"SELECT {column}, originator_id, originator_version, topic, state FROM {table}"
                            f" ORDER BY {column}")
    previous = GENESIS
    raw_sql(runtime, "DELETE FROM anju_chain")
    for position, stream, version, topic, state in rows:
        previous = link(b"guess" * 8, previous, position, stream, version, topic, bytes(state))
        raw_sql(runtime, "INSERT INTO anju_chain (position, link) VALUES (%s, %s)", (position, previous))
    report = runtime.verify()
    assert (report.ok, report.first_bad_position, report.problem) == (False, rows[0][0], "altered")


def test_unchained_tail_fails_verify(runtime):
    """Links removed from the end (or rows written around the writer) leave an unchained tail: not ok."""
    _history(runtime)
    head = runtime.app.recorder.max_notification_id()
    raw_sql(runtime, "DELETE FROM anju_chain WHERE position > %s", (head - 2,))
    report = runtime.verify()
    assert (report.ok, report.first_bad_position, report.problem) == (False, head - 1, "inserted")


def test_a_conflicting_save_leaves_no_link_behind(store_url):
    """The link is in the events' transaction: a save that fails writes neither."""
    from eventsourcing.persistence import IntegrityError

    first = Runtime.from_env(store_url)
    second = Runtime.from_env(store_url)
    try:
        _history(first, vouchers=1)
        month_id = book_month_id("b1", "2025-03")
        stale = second.app.repository.get(month_id)
        _history_voucher = VoucherDraft(date(2025, 3, 9), "a", (debit("102", Decimal(1)), credit("501.01", Decimal(1))))
        first.execute(lambda uow: bookkeeping.record_voucher(uow, AUDIT, "b1", _history_voucher))
        stale.record(AUDIT, _history_voucher)
        with pytest.raises(IntegrityError):
            second.app.save(stale)
        head = first.app.recorder.max_notification_id()
        assert raw_sql(first, "SELECT COUNT(*), MAX(position) FROM anju_chain")[0] == (head, head)
        assert first.verify().ok
    finally:
        second.close()
        first.close()


def test_chain_key_is_required_on_postgresql(monkeypatch):
    monkeypatch.delenv("ANJU_CHAIN_KEY", raising=False)
    with pytest.raises(ChainKeyMissing):
        load_chain_key("postgres", None)
    monkeypatch.setenv("ANJU_CHAIN_KEY", "short")
    with pytest.raises(ChainKeyMissing):
        load_chain_key("postgres", None)


def test_chain_key_is_generated_once_beside_the_sqlite_store(monkeypatch, tmp_path):
    monkeypatch.delenv("ANJU_CHAIN_KEY", raising=False)
    config = StoreConfig.from_url(f"sqlite:///{tmp_path}/store/anju.db")
    app = open_application(config)
    app.close()
    key_file = tmp_path / "store" / "anju-chain.key"
    assert key_file.exists() and stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert load_chain_key("sqlite", config.sqlite_path) == key_file.read_text().strip().encode()
    assert len(key_file.read_text().strip()) >= 32
