"""The group-commit writer and the store wiring, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest

from ledger import bookkeeping
from ledger.audit import Audit
from ledger.book import BookMonth, book_month_id
from ledger.journal import UnbalancedEntry, VoucherDraft, credit, debit
from ledger.store import StoreConfig, StoreConfigError

AUDIT = Audit("acc", "accountant", "test")


def _open(runtime) -> None:
    runtime.execute(lambda uow: bookkeeping.open_book(
        uow, AUDIT, book_code="b1", name="b1", entity_kind="collective", community_id="c1", township_id="t1",
        chart_name="collective_2023", starts_on=date(2025, 1, 1)))


def _voucher(amount: str, credit_amount: str | None = None):
    draft = VoucherDraft(date(2025, 3, 5), "v", (debit("102", Decimal(amount)),
                                                  credit("501.01", Decimal(credit_amount or amount))))
    return lambda uow: bookkeeping.record_voucher(uow, AUDIT, "b1", draft)


def test_failing_command_in_a_batch_changes_nothing_and_others_commit(runtime):
    _open(runtime)
    gate = threading.Event()
    # Hold the writer so the next commands queue up and run as one batch.
    blocker = runtime.writer.submit(lambda uow: gate.wait(5))
    futures = [runtime.writer.submit(_voucher("1.00")), runtime.writer.submit(_voucher("2.00", "3.00")),
               runtime.writer.submit(_voucher("4.00"))]
    gate.set()
    blocker.result(5)
    first, second, third = futures
    assert first.result(10).result.number == "记-2025-03-0001"
    with pytest.raises(UnbalancedEntry):
        second.result(10)
    assert third.result(10).result.number == "记-2025-03-0002"
    assert third.result().position > first.result().position
    month = runtime.app.repository.get(book_month_id("b1", "2025-03"))
    assert isinstance(month, BookMonth)
    assert [v.lines_total for v in month.vouchers.values()] == [Decimal("1.00"), Decimal("4.00")]


def test_command_that_fails_after_changing_an_aggregate_is_rolled_back(runtime):
    _open(runtime)

    def half_done(uow):
        bookkeeping.record_voucher(uow, AUDIT, "b1", VoucherDraft(date(2025, 3, 5), "a", (
            debit("102", Decimal("5.00")), credit("501.01", Decimal("5.00")))))
        raise RuntimeError("second step failed")

    gate = threading.Event()
    blocker = runtime.writer.submit(lambda uow: gate.wait(5))
    before = runtime.writer.submit(_voucher("1.00"))
    failing = runtime.writer.submit(half_done)
    after = runtime.writer.submit(_voucher("2.00"))
    gate.set()
    blocker.result(5)
    assert before.result(10).result.number == "记-2025-03-0001"
    with pytest.raises(RuntimeError):
        failing.result(10)
    assert after.result(10).result.number == "记-2025-03-0002"
    month = runtime.app.repository.get(book_month_id("b1", "2025-03"))
    assert month.last_sequence == 2


def test_concurrent_submitters_get_gapless_numbers(runtime):
    _open(runtime)
    results: list[str] = []
    lock = threading.Lock()

    def submit(n: int) -> None:
        for _ in range(n):
            number = runtime.writer.execute(_voucher("1.00")).result.number
            with lock:
                results.append(number)

    threads = [threading.Thread(target=submit, args=(25,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [f"记-2025-03-{i:04d}" for i in range(1, 201)]


def test_second_writer_on_same_store_conflicts_safely(store_url):
    """Two processes' writers (here two runtimes) on one store never lose or duplicate a number."""
    from api.runtime import Runtime

    one = Runtime.from_env(store_url)
    two = Runtime.from_env(store_url)
    try:
        _open(one)
        numbers = []
        for i in range(6):
            runtime = one if i % 2 == 0 else two
            numbers.append(runtime.writer.execute(_voucher("1.00")).result.number)
        assert numbers == [f"记-2025-03-{i:04d}" for i in range(1, 7)]
    finally:
        one.close()
        two.close()


def test_store_config_from_url():
    sqlite = StoreConfig.from_url("sqlite:////tmp/anju-test/x.db")
    assert sqlite.dialect == "sqlite" and sqlite.sqlite_path == "/tmp/anju-test/x.db"
    pg = StoreConfig.from_url("postgresql://u:p%40ss@db.example:6543/anju?schema=s1")
    assert (pg.pg_user, pg.pg_password, pg.pg_host, pg.pg_port, pg.pg_dbname, pg.pg_schema) == (
        "u", "p@ss", "db.example", 6543, "anju", "s1")
    assert pg.application_env()["POSTGRES_ENABLE_DB_FUNCTIONS"] == "n"
    with pytest.raises(StoreConfigError):
        StoreConfig.from_url("mysql://x")
