"""History of any aggregate: every event with its audit fields, link and the state before and after."""

from __future__ import annotations

from tests.audit.helpers import book_with_history, record, scoped_auditor
from tests.http_answers import ok, problem
from tests.reliability.helpers import events_table, raw_sql


def _reversed_voucher(api) -> tuple[str, str]:
    book_with_history(api)
    blue = record(api, "b1", "2025-03-05", "120.00")
    red = ok(api.post(f"/books/b1/vouchers/{blue['number']}/reversal", {"red_date": "2025-04-02", "reason": "错账"},
                      headers={"Idempotency-Key": "rev-1"}))
    return blue["number"], red["red"]["number"]


def test_history_of_a_reversed_voucher_shows_states_before_and_after_and_audit_fields(api):
    number, red_number = _reversed_voucher(api)
    body = ok(api.get("/audit/history", token="auditor", book="b1", kind="voucher", id=number), 200)
    events = body["events"]
    # The red voucher and the mark on the original are saved in one transaction, in either order.
    assert sorted(e["event_type"] for e in events) == ["BookMonth.VoucherRecorded", "BookMonth.VoucherRecorded",
                                                       "BookMonth.VoucherReversed"]
    assert events[0]["event_type"] == "BookMonth.VoucherRecorded"
    recorded, *rest = events
    assert recorded["state_before"] is None
    assert recorded["state_after"]["voucher"]["number"] == number
    assert recorded["state_after"]["voucher"]["lines_total"] == "120.00"
    assert recorded["state_after"]["reversed_by"] is None
    assert recorded["actor"] == "acc-c1" and recorded["role"] == "accountant"
    assert recorded["recorded_at"].endswith("+00:00")
    assert len(recorded["chain_link"]) == 64
    mark = next(e for e in rest if e["event_type"] == "BookMonth.VoucherReversed")
    assert mark["state_before"]["reversed_by"] is None
    assert mark["state_after"]["reversed_by"] == red_number
    assert mark["idempotency_key"] == "rev-1" and mark["reason"] == "错账"
    red = next(e for e in rest if e["event_type"] == "BookMonth.VoucherRecorded")
    assert red["event"]["voucher"]["reverses"] == number
    assert red["state_before"] == red["state_after"] == mark["state_after"]
    positions = [e["position"] for e in events]
    assert positions == sorted(positions) and body["log_position"] >= positions[-1]
    links = {e["position"]: e["chain_link"] for e in ok(api.get("/events", token="auditor", limit=1000), 200)["events"]}
    assert all(links[e["position"]] == e["chain_link"] for e in events)


def test_history_of_a_month_by_stream_id_pages_with_states(api):
    book_with_history(api)
    for day in ("2025-03-01", "2025-03-02", "2025-03-03"):
        record(api, "b1", day, "10.00")
    month = ok(api.get("/audit/history", token="auditor", book="b1", kind="month", id="2025-03", limit=2), 200)
    assert [e["stream_version"] for e in month["events"]] == [1, 2] and month["next_cursor"] == 2
    started, first = month["events"]
    assert started["state_before"] is None and started["state_after"]["closed"] is False
    assert first["state_before"]["last_sequence"] == 0 and first["state_after"]["last_sequence"] == 1
    by_id = ok(api.get(f"/audit/aggregates/{month['stream_id']}/history", token="auditor", cursor=2), 200)
    assert [e["stream_version"] for e in by_id["events"]] == [3, 4] and by_id["next_cursor"] is None
    assert by_id["events"][-1]["state_after"]["turnover"] == "30.00"
    assert by_id["kind"] == "BookMonth" and by_id["code"] == "2025-03"


def test_history_of_a_book_and_its_sub_account(api):
    book_with_history(api)
    ok(api.post("/books/b1/sub-accounts", {"code": "501.03", "name_zh": "其他经营收入"}))
    body = ok(api.get("/audit/history", token="auditor", book="b1", kind="book"), 200)
    opened, added = body["events"]
    assert opened["state_after"]["community_id"] == "c1" and opened["state_after"]["sub_accounts"] == []
    assert added["state_before"]["sub_accounts"] == []
    assert added["state_after"]["sub_accounts"] == [["501.03", "其他经营收入", ""]]


def test_an_aggregate_of_another_scope_is_403_without_saying_whether_it_exists(api):
    book_with_history(api, "b1", "c1", "t1")
    api.accountant = api.other_accountant
    book_with_history(api, "b2", "c2", "t2")
    record(api, "b2", "2025-03-05", "10.00")
    token = scoped_auditor(api, "community:c1")
    month = ok(api.get("/audit/history", token="auditor", book="b2", kind="month", id="2025-03"), 200)
    problem(api.get(f"/audit/aggregates/{month['stream_id']}/history", token=token), 403, "out-of-scope")
    unknown = problem(api.get("/audit/aggregates/00000000-0000-0000-0000-000000000001/history", token=token),
                      403, "out-of-scope")
    known = problem(api.get(f"/audit/aggregates/{month['stream_id']}/history", token=token), 403, "out-of-scope")
    assert unknown["title"] == known["title"]
    problem(api.get("/audit/history", token=token, book="b2", kind="month", id="2025-03"), 403, "out-of-scope")
    problem(api.get("/audit/history", token=token, book="b2", kind="month", id="1999-01"), 403, "out-of-scope")
    ok(api.get("/audit/history", token=token, book="b1", kind="book"), 200)


def test_unknown_ids_and_bad_input_are_problems(api):
    book_with_history(api)
    problem(api.get("/audit/aggregates/00000000-0000-0000-0000-000000000001/history", token="auditor"),
            404, "aggregate-not-found")
    problem(api.get("/audit/aggregates/not-a-uuid/history", token="auditor"), 404, "aggregate-not-found")
    problem(api.get("/audit/history", token="auditor", book="b1", kind="lease", id="L404"), 404, "aggregate-not-found")
    problem(api.get("/audit/history", token="auditor", book="b1", kind="voucher", id="记-2025-03-0099"),
            404, "voucher-not-found")
    problem(api.get("/audit/history", token="auditor", book="nobook", kind="book"), 404, "book-not-found")
    problem(api.get("/audit/history", token="auditor", book="b1", kind="book", limit=101), 422, "invalid-request")
    problem(api.get("/audit/history", token="accountant", book="b1", kind="book"), 403, "forbidden-role")


def test_member_and_organisation_history_redact_identity_hmacs(api):
    from domain.collective.identity import identity_hash
    from tests.collective.helpers import identity_number, member, organisation_body, resolution

    ok(api.post("/collective/organisations", organisation_body()))
    ok(api.post("/collective/organisations/b1/member-confirmations",
                {"resolution": resolution("2024-01-05"), "members": [member("m1", 1), member("m2", 2)]}))
    body = ok(api.get("/audit/history", token="auditor", book="b1", kind="member", id="m1"), 200)
    text = str(body)
    assert body["kind"] == "Membership" and body["events"][0]["state_after"]["member_id"] == "m1"
    identity = body["events"][0]["state_after"]["line"]["identity"]
    assert body["events"][0]["event"]["identity"] == identity  # the event's own fields are redacted too
    assert identity["keyed_hash_hex"] == "<redacted>" and identity["masked"].endswith(identity_number(1)[-4:])
    assert identity_number(1) not in text
    organisation = ok(api.get("/audit/history", token="auditor", book="b1", kind="organisation"), 200)
    index = organisation["events"][-1]["state_after"]["identity_index"]
    assert sorted(index.values()) == ["m1", "m2"] and all(key.startswith("<redacted>#") for key in index)
    hashes = [identity_hash(api.runtime.identity_key, identity_number(n)) for n in (1, 2)]
    stored = b"".join(bytes(r[0]) for r in raw_sql(api.runtime, f"SELECT state FROM {events_table(api.runtime)[0]}"))
    assert all(h.encode() in stored for h in hashes)  # the log keeps them; the history does not show them
    assert all(h not in str(organisation) and h not in text for h in hashes)


def test_a_long_collection_shows_its_size_and_the_entry_the_event_changed(api):
    from tests.conftest import voucher_body

    book_with_history(api)
    batch = {"vouchers": [voucher_body(f"2025-03-{day:02d}", f"{day}.00") for day in range(1, 13)]}
    ok(api.post("/books/b1/voucher-batches", batch), 200)
    body = ok(api.get("/audit/history", token="auditor", book="b1", kind="month", id="2025-03", cursor=11), 200)
    crossing, last = body["events"]  # the 11th voucher makes the collection large: both sides show the diff
    assert crossing["state_before"]["vouchers"] == {"entries_total": 10, "entries_changed": {}}
    assert list(crossing["state_after"]["vouchers"]["entries_changed"]) == ["11"]
    assert last["stream_version"] == 13 and last["event"]["voucher"]["sequence"] == 12
    assert last["state_before"]["vouchers"] == {"entries_total": 11, "entries_changed": {}}
    after = last["state_after"]["vouchers"]
    assert after["entries_total"] == 12 and list(after["entries_changed"]) == ["12"]
    assert after["entries_changed"]["12"]["lines_total"] == "12.00"
    assert last["state_after"]["last_sequence"] == 12 and last["state_before"]["last_sequence"] == 11


def test_a_stored_event_that_cannot_be_decoded_answers_409_not_500(api):
    book_with_history(api)
    voucher = record(api, "b1", "2025-03-05", "10.00")
    month = ok(api.get("/audit/history", token="auditor", book="b1", kind="month", id="2025-03"), 200)
    table, column = events_table(api.runtime)
    raw_sql(api.runtime, f"UPDATE {table} SET state = %s WHERE {column} = %s", (b"{not json", voucher["log_position"]))
    problem(api.get(f"/audit/aggregates/{month['stream_id']}/history", token="auditor"), 409, "history-not-readable")
    problem(api.get("/audit/history", token="auditor", book="b1", kind="voucher", id=voucher["number"]),
            409, "history-not-readable")
