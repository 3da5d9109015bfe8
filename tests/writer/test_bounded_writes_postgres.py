"""A write that cannot finish within its bound fails with a clear 503 and leaves the writer usable (issue 13).

On PostgreSQL the append waits for the events table's EXCLUSIVE lock; here another session
holds it. The recorder gives up after its bound (no endless retry), the request answers a
503 problem, nothing is written, and once the lock is released the next write goes through.
"""

from __future__ import annotations

import psycopg
import pytest

from ledger.store import StoreConfig
from tests.conftest import open_book_body, voucher_body
from tests.http_answers import ok, problem


@pytest.mark.parametrize("store_url", ["postgres"], indirect=True)
def test_a_write_past_its_bound_answers_503_and_the_writer_goes_on(api, store_url):
    ok(api.post("/books", open_book_body()))
    recorder = api.runtime.app.recorder
    recorder.statement_timeout_ms, recorder.append_lock_timeout_ms = 600, 200
    config = StoreConfig.from_url(store_url)
    head = recorder.max_notification_id()
    with psycopg.connect(config.pg_conninfo, options=f"-c search_path={config.pg_schema}") as blocker:
        blocker.execute(f'LOCK TABLE "{config.pg_schema}".{config.events_table} IN EXCLUSIVE MODE')
        answer = api.post("/books/b1/vouchers", voucher_body("2025-03-05"), headers={"Idempotency-Key": "k1"})
        problem(answer, 503, "store-unavailable")
        blocker.rollback()
    assert recorder.max_notification_id() == head  # nothing was written
    again = ok(api.post("/books/b1/vouchers", voucher_body("2025-03-05"), headers={"Idempotency-Key": "k1"}))
    assert again["number"] == "记-2025-03-0001"
