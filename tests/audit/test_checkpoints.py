"""Sealed checkpoints: an auditor seals the chain head; verify (CLI and HTTP) names the first broken one."""

from __future__ import annotations

import uuid

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.audit import Audit
from ledger.checkpoint import CheckpointHeadNotAdvanced, CheckpointRegister, SealNeedsAuditor
from tests.api.test_idempotency_key_on_every_write import Step, _write_operations, check_step_stamps_its_key
from tests.audit.helpers import book_with_history, record, scoped_auditor
from tests.http_answers import head, ok, problem
from tests.reliability.helpers import events_table, raw_sql

AUDITOR = Audit("auditor", "auditor", "封存")


def checkpoint_steps() -> list[Step]:
    """The audit part of the walk in tests/api/test_idempotency_key_on_every_write.py."""
    return [Step("POST /audit/checkpoints", "/audit/checkpoints", {"reason": "月末封存"}, token="auditor")]


def _seal(api, reason: str = "三月结账后封存", key: str | None = None, **statement) -> dict:
    body = {"reason": reason, **({"statement": statement} if statement else {})}
    return ok(api.post("/audit/checkpoints", body, token="auditor",
                       headers={"Idempotency-Key": key or uuid.uuid4().hex}))



def _alter_voucher_amount(api, position: int) -> None:
    """A database administrator edits a stored voucher (raw SQL, as tests/reliability do)."""
    table, column = events_table(api.runtime)
    state = bytes(raw_sql(api.runtime, f"SELECT state FROM {table} WHERE {column} = %s", (position,))[0][0])
    assert b'"100.00"' in state
    raw_sql(api.runtime, f"UPDATE {table} SET state = %s WHERE {column} = %s",
            (state.replace(b'"100.00"', b'"900.00"'), position))


def _read_model_sql(api, sql: str, params: tuple) -> None:
    """Raw SQL on the read models (on SQLite their own file beside the event file)."""
    if api.runtime.config.dialect != "sqlite":
        raw_sql(api.runtime, sql, params)
        return
    import sqlite3

    from projections.process import read_model_path

    conn = sqlite3.connect(read_model_path(api.runtime.config))
    try:
        conn.execute(sql.replace("%s", "?"), params)
        conn.commit()
    finally:
        conn.close()


def test_a_checkpoint_seals_the_chain_head_with_a_statement_digest(api):
    book_with_history(api)
    record(api, "b1", "2025-03-05", "100.00")
    sealed_head = head(api)
    link = bytes(raw_sql(api.runtime, "SELECT link FROM anju_chain WHERE position = %s", (sealed_head,))[0][0]).hex()
    first = _seal(api, key="seal-1", book_code="b1", as_of="2025-03-31")
    assert (first["number"], first["head_position"], first["head_link"]) == (1, sealed_head, link)
    assert first["sealed_by"] == "auditor" and first["reason"] == "三月结账后封存"
    assert first["log_position"] == head(api) > sealed_head
    again = ok(api.post("/audit/checkpoints", {"reason": "三月结账后封存", "statement": {"book_code": "b1",
                        "as_of": "2025-03-31"}}, token="auditor", headers={"Idempotency-Key": "seal-1"}))
    # A retry answers the first response again and records nothing new.
    assert {**again, "log_position": None} == {**first, "log_position": None} and head(api) == first["log_position"]
    tb = ok(api.get("/audit/books/b1/trial-balance", token="auditor", as_of="2025-03-31",
                    as_recorded_at=str(first["statement"]["position"])), 200)
    assert first["statement"]["sha256"] == tb["recorded"]["sha256"]
    record(api, "b1", "2025-03-06", "5.00")  # later vouchers do not change what was sealed
    second = _seal(api, "四月封存")
    assert second["number"] == 2 and second["statement"] is None
    listed = ok(api.get("/audit/checkpoints", token="auditor"), 200)["checkpoints"]
    assert [c["number"] for c in listed] == [1, 2]
    assert sealed_head < listed[0]["event_position"] <= first["log_position"] and listed[0]["sealed_at"].endswith("+00:00")
    assert listed[0]["statement"]["still_matches"] is True
    verified = ok(api.get("/audit/verify", token="auditor"), 200)
    assert verified["ok"] and verified["checkpoints_checked"] == 2 and verified["first_broken_checkpoint"] is None
    assert verified["latest_checkpoint"]["number"] == 2 and verified["latest_checkpoint"]["holds"]


def test_altering_a_row_before_a_checkpoint_breaks_it_in_cli_and_http(api, store_url):
    book_with_history(api)
    voucher = record(api, "b1", "2025-03-05", "100.00")
    first = _seal(api)
    record(api, "b1", "2025-03-06", "5.00")
    _seal(api, "第二次封存")
    _alter_voucher_amount(api, voucher["log_position"])
    verified = ok(api.get("/audit/verify", token="auditor"), 200)
    assert not verified["ok"] and verified["problem"] == "altered"
    assert verified["first_bad_position"] == voucher["log_position"]
    broken = verified["first_broken_checkpoint"]
    assert broken["number"] == 1 and broken["head_position"] == first["head_position"] and not broken["holds"]
    assert f"breaks at position {voucher['log_position']}" in broken["problem"]
    result = CliRunner().invoke(cli, ["verify"], env={"ANJU_DATABASE_URL": store_url}, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "checkpoint 1 BROKEN" in result.output and f"sealed position {first['head_position']}" in result.output


def test_altering_only_rows_after_a_checkpoint_keeps_it_and_breaks_the_chain(api, store_url):
    book_with_history(api)
    first = _seal(api)
    later = record(api, "b1", "2025-03-05", "100.00")
    _alter_voucher_amount(api, later["log_position"])
    verified = ok(api.get("/audit/verify", token="auditor"), 200)
    assert not verified["ok"] and verified["first_bad_position"] == later["log_position"]
    assert verified["first_broken_checkpoint"] is None and verified["latest_checkpoint"]["number"] == first["number"]
    assert verified["latest_checkpoint"]["holds"]


def test_truncated_tail_is_caught_by_a_checkpoint_left_behind_or_one_noted_outside(api, store_url):
    book_with_history(api)
    record(api, "b1", "2025-03-05", "100.00")
    _seal(api)
    record(api, "b1", "2025-03-06", "7.00")
    second = _seal(api, "第二次封存")
    noted = f"{second['head_position']}:{second['head_link']}"
    table, column = events_table(api.runtime)
    # The whole tail from the second checkpoint's sealed position, events and links.
    raw_sql(api.runtime, f"DELETE FROM {table} WHERE {column} >= %s", (second["head_position"],))
    raw_sql(api.runtime, "DELETE FROM anju_chain WHERE position >= %s", (second["head_position"],))
    witnessed = ok(api.get("/audit/verify", token="auditor"), 200)
    assert not witnessed["ok"] and witnessed["first_bad_position"] is None  # the shorter chain itself re-derives
    assert "truncated" in witnessed["truncated"]
    assert "missing from the log" in witnessed["first_broken_checkpoint"]["problem"]
    # Whoever also cuts the read model's index leaves a store that verifies: only the note kept outside catches it.
    _read_model_sql(api, "DELETE FROM anju_event_index WHERE position >= %s", (second["head_position"],))
    inside = ok(api.get("/audit/verify", token="auditor"), 200)
    assert inside["ok"] and inside["checkpoints_checked"] == 1  # the chain and checkpoint 1 still hold
    outside = ok(api.get("/audit/verify", token="auditor", checkpoint=noted), 200)
    assert not outside["ok"] and not outside["expected_checkpoint"]["holds"]
    assert "truncated" in outside["expected_checkpoint"]["problem"]
    result = CliRunner().invoke(cli, ["verify", "--checkpoint", noted], env={"ANJU_DATABASE_URL": store_url},
                                catch_exceptions=False)
    assert result.exit_code == 1 and f"noted checkpoint {noted} BROKEN" in result.output, result.output
    plain = CliRunner().invoke(cli, ["verify"], env={"ANJU_DATABASE_URL": store_url})
    assert plain.exit_code == 0 and "latest checkpoint 1:" in plain.output, plain.output


def test_deleting_a_sealed_position_but_not_the_checkpoint_names_it(api):
    book_with_history(api)
    record(api, "b1", "2025-03-05", "100.00")
    sealed = _seal(api)
    table, column = events_table(api.runtime)
    raw_sql(api.runtime, f"DELETE FROM {table} WHERE {column} = %s", (sealed["head_position"],))
    raw_sql(api.runtime, "DELETE FROM anju_chain WHERE position = %s", (sealed["head_position"],))
    verified = ok(api.get("/audit/verify", token="auditor"), 200)
    assert not verified["ok"]
    broken = verified["first_broken_checkpoint"]
    assert broken["number"] == 1 and "no chain link at the sealed position" in broken["problem"]


def test_bad_checkpoint_requests_are_problems_and_record_nothing(api):
    book_with_history(api)
    before = head(api)
    problem(api.post("/audit/checkpoints", {"reason": "封存"}, token="accountant"), 403, "forbidden-role")
    problem(api.post("/audit/checkpoints", {"reason": "封存", "statement": {"book_code": "nobook",
                                                                          "as_of": "2025-03-31"}}, token="auditor"),
            404, "book-not-found")
    problem(api.post("/audit/checkpoints", {"reason": "封存", "statement": {"book_code": "b1", "as_of": 20250331}},
                     token="auditor"), 422, "invalid-request")
    problem(api.post("/audit/checkpoints", {"reason": ""}, token="auditor"), 422, "invalid-request")
    problem(api.post("/audit/checkpoints", {"reason": "封存", "head_position": 1}, token="auditor"),
            422, "invalid-request")
    other = scoped_auditor(api, "community:c2")
    problem(api.post("/audit/checkpoints", {"reason": "封存", "statement": {"book_code": "b1",
                                                                          "as_of": "2025-03-31"}}, token=other),
            403, "out-of-scope")
    assert head(api) == before + 1  # only the scoped auditor's token was issued
    problem(api.get("/audit/verify", token="auditor", checkpoint="12:zz"), 422, "invalid-checkpoint")
    problem(api.get("/audit/checkpoints", token="accountant"), 403, "forbidden-role")
    problem(api.get("/audit/verify", token="township"), 403, "forbidden-role")


def test_seal_needs_an_auditor_and_a_head_later_than_the_last_sealed():
    register = CheckpointRegister(audit=AUDITOR)
    with pytest.raises(SealNeedsAuditor):
        register.seal(Audit("acc", "accountant", "封存"), 5, "00" * 32, None)
    assert register.seal(AUDITOR, 5, "00" * 32, None) == 1
    with pytest.raises(CheckpointHeadNotAdvanced):
        register.seal(AUDITOR, 5, "00" * 32, None)
    assert register.seal(AUDITOR, 7, "11" * 32, None) == 2


def test_every_checkpoint_event_carries_the_request_idempotency_key(api):
    assert {s.operation for s in checkpoint_steps()} <= _write_operations(api)
    book_with_history(api)
    for step in checkpoint_steps():
        check_step_stamps_its_key(api, step)


def test_a_checkpoint_event_altered_by_sql_is_broken_itself(api):
    book_with_history(api)
    record(api, "b1", "2025-03-05", "100.00")
    sealed = _seal(api)
    table, column = events_table(api.runtime)
    rows = raw_sql(api.runtime, f"SELECT {column}, state FROM {table} WHERE topic LIKE %s",
                   ("%CheckpointRegister.Sealed",))
    (position, state), = rows
    forged = bytes(state).replace(sealed["head_link"].encode(), b"0" * 64)
    raw_sql(api.runtime, f"UPDATE {table} SET state = %s WHERE {column} = %s", (forged, position))
    verified = ok(api.get("/audit/verify", token="auditor"), 200)
    assert not verified["ok"] and verified["problem"] == "altered" and verified["first_bad_position"] == position
    broken = verified["first_broken_checkpoint"]
    assert broken["number"] == 1 and broken["head_link"] == "0" * 64 and "not the one sealed" in broken["problem"]


def test_a_sealed_statement_digest_no_longer_matches_after_its_read_model_is_altered(api):
    book_with_history(api)
    record(api, "b1", "2025-03-05", "100.00")
    _seal(api, book_code="b1", as_of="2025-03-31")
    assert ok(api.get("/audit/checkpoints", token="auditor"), 200)["checkpoints"][0]["statement"]["still_matches"]
    _read_model_sql(api, "UPDATE anju_postings SET debit_fen = debit_fen + 1 WHERE account_code = %s", ("102",))
    statement = ok(api.get("/audit/checkpoints", token="auditor"), 200)["checkpoints"][0]["statement"]
    assert statement["still_matches"] is False
    assert ok(api.get("/audit/verify", token="auditor"), 200)["ok"]  # the log itself is intact
