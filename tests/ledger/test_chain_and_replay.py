"""Tamper evidence and replay on the real stored rows, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import psycopg
import pytest

from api.runtime import Runtime, all_projections
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.journal import VoucherDraft, credit, debit
from projections.replay import replay

AUDIT = Audit("tester", "accountant", "test")


def _history(runtime: Runtime, vouchers: int = 12) -> None:
    runtime.execute(lambda uow: bookkeeping.open_book(
        uow, AUDIT, book_code="b1", name="b1", entity_kind="collective", community_id="c1", township_id="t1",
        chart_name="collective_2023", starts_on=date(2025, 1, 1)))
    for i in range(vouchers):
        draft = VoucherDraft(date(2025, 1 + i % 3, 1 + i), f"v{i}", (
            debit("102", Decimal(100 + i)), credit("501.01", Decimal(100 + i), "tenant:T1")))
        runtime.execute(lambda uow, d=draft: bookkeeping.record_voucher(uow, AUDIT, "b1", d))
    runtime.execute(lambda uow: bookkeeping.close_month(uow, AUDIT, "b1", "2025-01"))


def _raw(runtime: Runtime, sql: str, params: tuple) -> None:
    """Change the stored event rows directly, as an attacker with database access would."""
    config = runtime.config
    if config.dialect == "sqlite":
        import sqlite3

        conn = sqlite3.connect(config.sqlite_path)
        conn.execute(sql.replace("%s", "?"), params)
        conn.commit()
        conn.close()
    else:
        with psycopg.connect(config.pg_conninfo, autocommit=True,
                             options=f"-c search_path={config.pg_schema}") as conn:
            conn.execute(sql, params)


def _table_and_id(runtime: Runtime) -> tuple[str, str]:
    return (("stored_events", "rowid") if runtime.config.dialect == "sqlite"
            else ("anju_events", "notification_id"))


def test_verify_passes_on_untouched_history(runtime):
    _history(runtime)
    report = runtime.verify()
    assert report.ok
    assert report.events_checked == runtime.app.recorder.max_notification_id()


def test_verify_finds_altered_event_at_its_position(runtime):
    _history(runtime)
    table, id_column = _table_and_id(runtime)
    _raw(runtime, f"UPDATE {table} SET state = %s WHERE {id_column} = %s",
         (b'{"tampered":true}', 7))
    report = runtime.verify()
    assert not report.ok
    assert (report.first_bad_position, report.problem) == (7, "altered")


def test_verify_finds_amount_changed_inside_event_bytes(runtime):
    _history(runtime)
    table, id_column = _table_and_id(runtime)
    if runtime.config.dialect == "sqlite":
        _raw(runtime, f"UPDATE {table} SET state = REPLACE(state, '501.01', '501.02') WHERE {id_column} = %s", (8,))
    else:
        _raw(runtime, f"UPDATE {table} SET state = convert_to(replace(convert_from(state, 'UTF8'), '501.01',"
                      f" '501.02'), 'UTF8') WHERE {id_column} = %s", (8,))
    report = runtime.verify()
    assert (report.ok, report.first_bad_position, report.problem) == (False, 8, "altered")


def test_verify_finds_deleted_event(runtime):
    _history(runtime)
    table, id_column = _table_and_id(runtime)
    _raw(runtime, f"DELETE FROM {table} WHERE {id_column} = %s", (5,))
    report = runtime.verify()
    assert (report.ok, report.first_bad_position, report.problem) == (False, 5, "deleted")


def test_verify_finds_deleted_last_event(runtime):
    _history(runtime)
    table, id_column = _table_and_id(runtime)
    head = runtime.app.recorder.max_notification_id()
    _raw(runtime, f"DELETE FROM {table} WHERE {id_column} = %s", (head,))
    report = runtime.verify()
    assert (report.ok, report.first_bad_position, report.problem) == (False, head, "deleted")


def test_verify_finds_inserted_event(runtime):
    _history(runtime)
    table, id_column = _table_and_id(runtime)
    # Make room: move event 6 away (a gap), then insert a forged row at position 6.
    _raw(runtime, f"DELETE FROM {table} WHERE {id_column} = %s", (6,))
    if runtime.config.dialect == "sqlite":
        _raw(runtime, f"INSERT INTO {table} (rowid, originator_id, originator_version, topic, state)"
                      " VALUES (%s, %s, %s, %s, %s)", (6, "forged", 1, "x:y", b"{}"))
    else:
        _raw(runtime, f"INSERT INTO {table} (notification_id, originator_id, originator_version, topic, state)"
                      " VALUES (%s, %s, %s, %s, %s)", (6, "00000000-0000-0000-0000-000000000001", 1, "x:y", b"{}"))
    report = runtime.verify()
    assert (report.ok, report.first_bad_position) == (False, 6)


def test_verify_finds_event_inserted_into_a_gap_of_the_log():
    """Notification ids can have gaps (rolled-back inserts); a forged event placed in one is caught."""
    from ledger.chain import GENESIS, link, verify

    key = b"k" * 32
    rows = [StoredRowStub(p, "00000000000000000000000000000001", p, "t:E", b"{}") for p in (1, 2, 4)]
    links = []
    previous = GENESIS
    for row in rows:
        previous = link(key, previous, row.id, row.originator_id, row.originator_version, row.topic, row.state)
        links.append((row.id, previous))
    assert verify(iter(rows), iter(links), key).ok
    forged = [*rows[:2], StoredRowStub(3, "00000000000000000000000000000009", 1, "t:E", b"{}"), rows[2]]
    report = verify(iter(forged), iter(links), key)
    assert (report.ok, report.first_bad_position, report.problem) == (False, 3, "inserted")


@dataclass
class StoredRowStub:
    id: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes


def test_replay_rebuilds_every_read_model_with_equal_digests(runtime):
    _history(runtime)
    report = replay(runtime.app, runtime.config, runtime.runner, all_projections)
    assert report.matches, (report.live, report.replayed)
    assert report.events == runtime.app.recorder.max_notification_id()
    assert set(report.live) >= {"books", "history"}


def test_replay_detects_a_read_model_that_drifted(runtime):
    _history(runtime)
    runtime.runner.catch_up()
    with runtime.db.transaction() as tx:
        tx.execute("UPDATE anju_balance_months SET debit_cum_close = debit_cum_close + 1 WHERE account_code = '102'")
    report = replay(runtime.app, runtime.config, runtime.runner, all_projections)
    assert not report.matches
    assert report.live["books"] != report.replayed["books"]
    assert report.live["history"] == report.replayed["history"]


@pytest.mark.parametrize("value", [Decimal("12345678901.23"), date(2024, 2, 29)])
def test_value_types_round_trip_exactly(runtime, value):
    """Decimal, date, UUID, enums and our value objects come back exactly from the store."""
    _history(runtime, vouchers=1)
    amount = value if isinstance(value, Decimal) else Decimal("0.01")
    day = value if isinstance(value, date) else date(2025, 2, 1)
    draft = VoucherDraft(day if day >= date(2025, 1, 1) else date(2025, 2, 28), "精确", (
        debit("102", amount, "tenant:T-1"), credit("501.01", amount)), 3, "test")
    voucher = runtime.execute(lambda uow: bookkeeping.record_voucher(uow, AUDIT, "b1", draft)).result
    fresh = Runtime(runtime.config, follow=False)
    try:
        from ledger.book import BookMonth, book_month_id

        month = fresh.app.repository.get(book_month_id("b1", voucher.number[2:9]))
        stored = month.vouchers[voucher.sequence]
        assert stored == voucher
        assert stored.lines[0].debit == amount and isinstance(stored.lines[0].debit, Decimal)
        assert isinstance(stored.voucher_date, date)
        assert isinstance(month, BookMonth)
    finally:
        fresh.close()


def test_running_balances_equal_naive_sums_for_back_dated_postings(runtime):
    """Postings in random date order, across batches: every as-of balance equals a plain sum."""
    import random

    from projections.ledger_reports import cumulative_as_of

    rng = random.Random(7)
    runtime.execute(lambda uow: bookkeeping.open_book(
        uow, AUDIT, book_code="b1", name="b1", entity_kind="collective", community_id="c1", township_id="t1",
        chart_name="collective_2023", starts_on=date(2025, 1, 1)))
    postings = []
    futures = []
    for i in range(120):
        day = date(2025, 1, 1 + rng.randrange(28))
        amount = Decimal(rng.randrange(1, 10_000)) / 100
        tenant = f"tenant:T{rng.randrange(3)}"
        postings.append((day, amount, tenant))
        draft = VoucherDraft(day, f"v{i}", (debit("102", amount), credit("501.01", amount, tenant)))
        futures.append(runtime.writer.submit(lambda uow, d=draft: bookkeeping.record_voucher(uow, AUDIT, "b1", d)))
        if i % 17 == 0:  # vary batch boundaries
            futures[-1].result(10)
    last = max(f.result(10).position for f in futures)
    runtime.wait_for(last)
    for as_of in (date(2025, 1, 1), date(2025, 1, 9), date(2025, 1, 15), date(2025, 1, 28)):
        with runtime.db.transaction(write=False) as tx:
            balances = cumulative_as_of(tx, "b1", as_of)
        expected_cash = sum((a for d, a, _ in postings if d <= as_of), Decimal(0))
        assert balances.get(("102", ""), (0, 0))[0] == int(expected_cash * 100)
        for t in range(3):
            tenant_total = sum((a for d, a, s in postings if d <= as_of and s == f"tenant:T{t}"), Decimal(0))
            assert balances.get(("501.01", f"tenant:T{t}"), (0, 0))[1] == int(tenant_total * 100)
