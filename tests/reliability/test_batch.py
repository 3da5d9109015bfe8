"""The batch endpoint has the guarantees of the single one (issue 11, items 4 and 5)."""

from __future__ import annotations

import pytest

from tests.conftest import voucher_body
from tests.reliability.helpers import book, head


def _batch(*days: str) -> dict:
    return {"vouchers": [voucher_body(day) for day in days]}


def test_batch_with_an_idempotency_key_is_recorded_once_and_replayed(api):
    book(api)
    body = _batch("2025-03-05", "2025-03-06")
    bad = voucher_body("2025-03-07")
    bad["lines"][1]["credit"] = "1.00"
    body["vouchers"].append(bad)
    first = api.post("/books/b1/voucher-batches", body, headers={"Idempotency-Key": "batch-1"})
    assert first.status_code == 200, first.text
    assert [r["status"] for r in first.json()["results"]] == [201, 201, 422]
    after_first = head(api.runtime)
    second = api.post("/books/b1/voucher-batches", body, headers={"Idempotency-Key": "batch-1"})
    assert second.status_code == 200
    replayed = {k: v for k, v in second.json().items() if k != "log_position"}
    assert replayed == {k: v for k, v in first.json().items() if k != "log_position"}  # every item's outcome
    assert head(api.runtime) == after_first
    listed = api.get("/books/b1/vouchers").json()["vouchers"]
    assert [v["number"] for v in listed] == ["记-2025-03-0001", "记-2025-03-0002"]
    other = api.post("/books/b1/voucher-batches", _batch("2025-03-08"), headers={"Idempotency-Key": "batch-1"})
    assert other.status_code == 409 and other.json()["type"].endswith("/idempotency-key-reused")


def test_batch_events_carry_the_key_and_each_voucher_its_summary(api):
    book(api)
    body = {"vouchers": [voucher_body("2025-03-05", summary="一"), voucher_body("2025-03-06", summary="二")]}
    assert api.post("/books/b1/voucher-batches", body, headers={"Idempotency-Key": "batch-2"}).status_code == 200
    events = [e for e in api.get("/events", token="auditor").json()["events"]
              if e["event_type"] == "BookMonth.VoucherRecorded"]
    assert [(e["reason"], e["idempotency_key"]) for e in events] == [("一", "batch-2"), ("二", "batch-2")]


def test_failed_item_in_a_batch_leaves_no_trace_and_numbering_stays_gapless(api):
    book(api)
    good, bad = voucher_body("2025-03-05"), voucher_body("2025-04-05", debit="999")
    body = {"vouchers": [good, bad, voucher_body("2025-04-06"), voucher_body("2025-03-07")]}
    result = api.post("/books/b1/voucher-batches", body).json()
    assert [r["status"] for r in result["results"]] == [201, 422, 201, 201]
    assert [r["voucher"]["number"] for r in result["results"] if r["status"] == 201] == [
        "记-2025-03-0001", "记-2025-04-0001", "记-2025-03-0002"]


@pytest.mark.parametrize("token", ["township", "auditor", "other_accountant"])
def test_batch_from_a_caller_who_may_not_write_is_403_for_the_request(api, token):
    book(api)
    before = head(api.runtime)
    response = api.post("/books/b1/voucher-batches", _batch("2025-03-05", "2025-03-06"), token=token)
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "results" not in response.json()
    assert head(api.runtime) == before


def test_batch_to_a_missing_book_is_404_for_the_request(api):
    response = api.post("/books/nope/voucher-batches", _batch("2025-03-05"))
    assert response.status_code == 404
