"""An event a read model cannot apply stops that read model visibly, and nothing else (issue 11, items 3, 3b).

The poison here is a forged row (SQL access) that repeats the month's last voucher as the
stream's next version: the books read model cannot insert the same voucher number twice.
On SQLite and PostgreSQL: the runner stops ``books`` at that position (no retry loop), the
other read models go on, ``/healthz`` answers 503 naming the position, reads and writes do
not wait for the stopped model, and verify reads the raw rows without waiting for it.
"""

from __future__ import annotations

import threading
import time

from api.runtime import Runtime, all_projections
from projections.runner import ProjectionRunner
from tests.conftest import voucher_body
from tests.reliability.helpers import book, events_table, head, raw_sql


def _forge_duplicate_voucher(runtime: Runtime) -> int:
    """Append, by SQL, a copy of the last VoucherRecorded event as its stream's next version."""
    table, column = events_table(runtime)
    row = raw_sql(runtime, f"SELECT originator_id, originator_version, topic, state FROM {table}"
                           f" WHERE topic LIKE %s ORDER BY {column} DESC LIMIT 1", ("%VoucherRecorded",))[0]
    stream, _, topic, state = row
    version = raw_sql(runtime, f"SELECT MAX(originator_version) FROM {table} WHERE originator_id = %s",
                      (stream,))[0][0]
    raw_sql(runtime, f"INSERT INTO {table} (originator_id, originator_version, topic, state)"
                     " VALUES (%s, %s, %s, %s)", (stream, version + 1, topic, bytes(state)))
    return head(runtime)


def _catch_up_within(runtime: Runtime, seconds: float) -> None:
    done = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            runtime.runner.catch_up()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(seconds), "catch_up did not return: the runner spins on the poison event"
    assert not errors, errors


def _history(api) -> None:
    book(api)
    for day in ("2025-03-01", "2025-03-02"):
        assert api.post("/books/b1/vouchers", voucher_body(day)).status_code == 201


def test_poison_event_stops_only_its_read_model_and_names_the_position(api):
    _history(api)
    poison = _forge_duplicate_voucher(api.runtime)
    _catch_up_within(api.runtime, 20)
    faults = api.runtime.runner.faults
    assert set(faults) == {"books"}
    assert faults["books"].position == poison
    assert "VoucherRecorded" in faults["books"].topic
    positions = api.runtime.runner.positions()
    assert positions["books"] == poison - 1
    assert all(position == poison for name, position in positions.items() if name != "books"), positions


def test_health_answers_503_with_each_read_model_position_and_lag_when_one_is_stuck(api):
    _history(api)
    api.runtime.read_your_writes()  # writes answer once durable; let the read models reach them
    healthy = api.client.get("/healthz")
    assert healthy.status_code == 200, healthy.text
    models = {m["name"]: m for m in healthy.json()["read_models"]}
    assert {"books", "history", "streams"} <= set(models)
    assert all(m["lag"] == 0 and not m["stuck"] for m in models.values())
    poison = _forge_duplicate_voucher(api.runtime)
    _catch_up_within(api.runtime, 20)
    sick = api.client.get("/healthz")
    assert sick.status_code == 503
    body = sick.json()
    assert body["status"] == "stuck" and body["log_head"] == poison
    models = {m["name"]: m for m in body["read_models"]}
    assert models["books"]["stuck"] and models["books"]["stuck_at"] == poison and models["books"]["lag"] == 1
    assert models["history"]["lag"] == 0 and not models["history"]["stuck"]


def test_reads_and_writes_do_not_wait_for_a_stopped_read_model(api):
    _history(api)
    _forge_duplicate_voucher(api.runtime)
    _catch_up_within(api.runtime, 20)
    started = time.monotonic()
    written = api.post("/books/b1/vouchers", voucher_body("2025-03-03"))
    assert written.status_code == 201
    assert api.get("/books/b1/trial-balance", as_of="2025-03-31").status_code == 200
    assert api.get("/events", token="auditor").status_code == 200
    assert time.monotonic() - started < 5, "a read waited for the stopped read model"


def test_verify_reads_raw_rows_without_waiting_for_read_models(api):
    _history(api)
    poison = _forge_duplicate_voucher(api.runtime)
    fresh = Runtime(api.runtime.config, follow=False)  # as `anju verify` opens the store
    try:
        started = time.monotonic()
        report = fresh.verify()
        assert time.monotonic() - started < 10
    finally:
        fresh.close()
    assert (report.ok, report.first_bad_position, report.problem) == (False, poison, "inserted")
    audit = api.get("/audit/verify", token="auditor")
    assert audit.status_code == 200 and audit.json()["first_bad_position"] == poison


def test_another_runners_progress_is_not_taken_for_a_poison_event(api):
    """A batch that clashes because a second runner applied it first: re-read positions, no fault."""
    _history(api)
    runtime = api.runtime
    runtime.runner.stop()
    stale = runtime.runner.positions()
    assert api.post("/books/b1/vouchers", voucher_body("2025-03-04")).status_code == 201
    other = ProjectionRunner(runtime.app, runtime.db, all_projections())
    other.catch_up()  # the second runner gets there first
    calls = {"n": 0}
    real_positions = runtime.runner.positions

    def positions_as_read_before_the_other_committed() -> dict[str, int]:
        calls["n"] += 1
        return stale if calls["n"] == 1 else real_positions()

    runtime.runner.positions = positions_as_read_before_the_other_committed  # type: ignore[method-assign]
    _catch_up_within(runtime, 20)
    assert calls["n"] >= 2
    assert runtime.runner.faults == {}
    assert runtime.runner.position == head(runtime)


def test_replay_reports_a_read_model_that_cannot_apply_an_event(api):
    from projections.replay import replay

    _history(api)
    poison = _forge_duplicate_voucher(api.runtime)
    report = replay(api.runtime.app, api.runtime.config, api.runtime.runner, all_projections)
    assert not report.matches
    assert [(f.name, f.position) for f in report.faults] == [("books", poison)]
