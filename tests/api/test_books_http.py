"""End to end over HTTP, on SQLite and PostgreSQL: books, vouchers, periods, trial balance."""

from __future__ import annotations

from tests.conftest import open_book_body, voucher_body


def _book(api, **kwargs) -> None:
    response = api.post("/books", open_book_body(**kwargs))
    assert response.status_code == 201, response.text


def test_vouchers_recorded_over_http_appear_in_trial_balance_at_their_dates(api):
    _book(api)
    assert api.post("/books/b1/vouchers", voucher_body("2025-03-05", "1409.50")).status_code == 201
    assert api.post("/books/b1/vouchers", voucher_body("2025-03-20", "100.00")).status_code == 201
    assert api.post("/books/b1/vouchers", voucher_body("2025-04-01", "6007.14")).status_code == 201

    before = api.get("/books/b1/trial-balance", as_of="2025-03-04").json()
    assert before["rows"] == []
    march = api.get("/books/b1/trial-balance", as_of="2025-03-31").json()
    rows = {r["account_code"]: r for r in march["rows"]}
    assert rows["102"]["closing"] == {"direction": "借", "debit": "1509.50", "credit": "0.00"}
    assert rows["501"]["closing"]["credit"] == "1509.50"
    assert rows["501.01"]["balance"] == "1509.50"
    assert march["balanced"] is True
    april = api.get("/books/b1/trial-balance", as_of="2025-04-30", **{"from": "2025-04-01"}).json()
    rows = {r["account_code"]: r for r in april["rows"]}
    assert rows["102"]["opening"]["debit"] == "1509.50"
    assert rows["102"]["period_debit"] == "6007.14"
    assert rows["102"]["closing"]["debit"] == "7516.64"
    assert april["totals"]["closing_debit"] == "7516.64"
    assert april["totals"]["closing_debit_uppercase"] == "柒仟伍佰壹拾陆元陆角肆分"
    assert april["log_position"] >= 4


def test_voucher_numbers_per_book_per_month_without_gaps(api):
    _book(api)
    numbers = [api.post("/books/b1/vouchers", voucher_body(day)).json()["number"]
               for day in ("2025-03-01", "2025-03-31", "2025-04-02", "2025-03-15")]
    assert numbers == ["记-2025-03-0001", "记-2025-03-0002", "记-2025-04-0001", "记-2025-03-0003"]
    rejected = api.post("/books/b1/vouchers", voucher_body("2025-03-16", debit="999"))
    assert rejected.status_code == 422
    assert api.post("/books/b1/vouchers", voucher_body("2025-03-17")).json()["number"] == "记-2025-03-0004"


def test_voucher_shows_uppercase_total(api):
    _book(api)
    number = api.post("/books/b1/vouchers", voucher_body("2025-03-05", "16409.02")).json()["number"]
    voucher = api.get(f"/books/b1/vouchers/{number}").json()
    assert voucher["total"] == "16409.02"
    assert voucher["total_uppercase"] == "壹万陆仟肆佰零玖元零贰分"
    assert voucher["recorded_by"] == "acc-c1"


def test_unbalanced_voucher_is_rejected_and_records_nothing(api):
    _book(api)
    body = voucher_body("2025-03-05")
    body["lines"][1]["credit"] = "100.01"
    head = api.runtime.app.recorder.max_notification_id()
    response = api.post("/books/b1/vouchers", body)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("/unbalanced-entry")
    assert api.runtime.app.recorder.max_notification_id() == head


def test_amounts_must_be_strings_with_at_most_two_decimals(api):
    _book(api)
    as_number = voucher_body("2025-03-05")
    as_number["lines"][0]["debit"] = 100.0
    assert api.post("/books/b1/vouchers", as_number).status_code == 422
    three_places = voucher_body("2025-03-05", "100.001")
    assert api.post("/books/b1/vouchers", three_places).status_code == 422
    negative = voucher_body("2025-03-05", "-100.00")
    response = api.post("/books/b1/vouchers", negative)
    assert response.status_code == 422


def test_voucher_with_one_line_or_both_sides_is_rejected(api):
    _book(api)
    one_line = {"voucher_date": "2025-03-05", "summary": "x", "lines": [{"account_code": "102", "debit": "1.00"}]}
    assert api.post("/books/b1/vouchers", one_line).json()["type"].endswith("/too-few-lines")
    both = voucher_body("2025-03-05")
    both["lines"][0]["credit"] = "100.00"
    both["lines"].append({"account_code": "102", "credit": "100.00"})
    assert api.post("/books/b1/vouchers", both).json()["type"].endswith("/invalid-line")


def test_parent_account_with_sub_accounts_is_not_postable(api):
    _book(api)
    response = api.post("/books/b1/vouchers", voucher_body("2025-03-05", credit="501"))
    assert response.status_code == 422
    assert response.json()["type"].endswith("/account-not-postable")


def test_book_may_add_sub_accounts_but_never_rename(api):
    _book(api)
    added = api.post("/books/b1/sub-accounts", {"code": "513.01", "name_zh": "办公费", "name_en": "Office"})
    assert added.status_code == 201
    again = api.post("/books/b1/sub-accounts", {"code": "513.01", "name_zh": "改名", "name_en": "Renamed"})
    assert again.status_code == 422
    assert api.post("/books/b1/vouchers", voucher_body("2025-03-05", debit="513.01", credit="102")).status_code == 201
    assert api.post("/books/b1/vouchers", voucher_body("2025-03-05", debit="513", credit="102")).status_code == 422


def test_closed_period_rejects_vouchers_and_reopen_needs_auditor(api):
    _book(api, starts_on="2025-01-01")
    assert api.post("/books/b1/periods/2025-02/close").status_code == 409  # January first
    assert api.post("/books/b1/periods/2025-01/close").status_code == 200
    closed = api.post("/books/b1/vouchers", voucher_body("2025-01-20"))
    assert closed.status_code == 409 and closed.json()["type"].endswith("/period-closed")
    assert api.post("/books/b1/periods/2025-01/reopen").status_code == 403
    reopened = api.post("/books/b1/periods/2025-01/reopen", token="auditor")
    assert reopened.status_code == 200 and reopened.json()["closed"] is False
    assert api.post("/books/b1/vouchers", voucher_body("2025-01-20")).status_code == 201
    history = api.get("/books/b1/history", token="auditor").json()["events"]
    reopen_events = [e for e in history if e["event_type"] == "BookMonth.Reopened"]
    assert reopen_events and reopen_events[0]["actor"] == "auditor" and reopen_events[0]["role"] == "auditor"


def test_red_voucher_cancels_original_and_blue_correction_follows(api):
    _book(api)
    wrong = api.post("/books/b1/vouchers", voucher_body("2025-03-05", "500.00", credit="504")).json()
    body = {"red_date": "2025-03-10", "reason": "科目用错", "correction": voucher_body("2025-03-10", "500.00",
                                                                                  credit="503")}
    reversal = api.post(f"/books/b1/vouchers/{wrong['number']}/reversal", body)
    assert reversal.status_code == 201, reversal.text
    red = reversal.json()["red"]
    assert red["reverses"] == wrong["number"] and red["kind"] == "red"
    assert red["lines"][0]["debit"] == "-500.00"
    assert red["total_uppercase"] == "负伍佰元整"
    rows = {r["account_code"]: r for r in api.get("/books/b1/trial-balance", as_of="2025-03-31").json()["rows"]}
    assert rows["504"]["closing"]["credit"] == "0.00"
    assert rows["504"]["period_credit"] == "0.00"
    assert rows["503"]["closing"]["credit"] == "500.00"
    assert rows["102"]["closing"]["debit"] == "500.00"
    original = api.get(f"/books/b1/vouchers/{wrong['number']}").json()
    assert original["reversed_by"] == red["number"]
    twice = api.post(f"/books/b1/vouchers/{wrong['number']}/reversal", {"red_date": "2025-03-11", "reason": "again"})
    assert twice.status_code == 409


def test_reversal_of_closed_period_voucher_goes_into_open_period(api):
    _book(api, starts_on="2025-01-01")
    number = api.post("/books/b1/vouchers", voucher_body("2025-01-05")).json()["number"]
    api.post("/books/b1/periods/2025-01/close")
    into_closed = api.post(f"/books/b1/vouchers/{number}/reversal", {"red_date": "2025-01-31", "reason": "x"})
    assert into_closed.status_code == 409
    ok = api.post(f"/books/b1/vouchers/{number}/reversal", {"red_date": "2025-02-03", "reason": "x"})
    assert ok.status_code == 201 and ok.json()["red"]["number"] == "记-2025-02-0001"


def test_roles_and_scopes(api):
    assert api.post("/books", open_book_body(community="c2", township="t2")).status_code == 403
    _book(api)
    assert api.get("/books/b1/trial-balance", token=None).status_code == 401
    assert api.get("/books/b1/trial-balance", token="not-a-token").status_code == 401
    assert api.get("/books/b1/trial-balance", token="other_accountant").status_code == 403
    assert api.get("/books/b1/trial-balance", token="township").status_code == 200
    assert api.get("/books/b1/trial-balance", token="auditor").status_code == 200
    assert api.post("/books/b1/vouchers", voucher_body("2025-03-05"), token="auditor").status_code == 403
    assert api.post("/books/b1/vouchers", voucher_body("2025-03-05"), token="township").status_code == 403
    assert api.post("/books/b1/vouchers", voucher_body("2025-03-05"), token="other_accountant").status_code == 403
    assert api.get("/events", token="accountant").status_code == 403
    assert [b["book_code"] for b in api.get("/books", token="other_accountant").json()["books"]] == []


def test_idempotency_key_replays_first_response_and_conflicts_on_other_body(api):
    _book(api)
    headers = {"Idempotency-Key": "k-1"}
    first = api.post("/books/b1/vouchers", voucher_body("2025-03-05"), headers=headers)
    head = api.runtime.app.recorder.max_notification_id()
    second = api.post("/books/b1/vouchers", voucher_body("2025-03-05"), headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json()["number"] == first.json()["number"]
    assert second.json()["log_position"] == first.json()["log_position"] == head  # the write's, not null
    assert api.runtime.app.recorder.max_notification_id() == head
    other = api.post("/books/b1/vouchers", voucher_body("2025-03-06"), headers=headers)
    assert other.status_code == 409 and other.json()["type"].endswith("/idempotency-key-reused")
    events = api.get("/events", token="auditor").json()["events"]
    assert any(e["idempotency_key"] == "k-1" and e["event_type"] == "BookMonth.VoucherRecorded" for e in events)


def test_batch_write_gives_each_voucher_its_own_outcome(api):
    _book(api)
    bad = voucher_body("2025-03-05")
    bad["lines"][1]["credit"] = "1.00"
    body = {"vouchers": [voucher_body("2025-03-05"), bad, voucher_body("2025-03-06")]}
    response = api.post("/books/b1/voucher-batches", body)
    assert response.status_code == 200
    result = response.json()
    assert [r["status"] for r in result["results"]] == [201, 422, 201]
    assert result["recorded"] == 2
    numbers = [r["voucher"]["number"] for r in result["results"] if r["status"] == 201]
    assert numbers == ["记-2025-03-0001", "记-2025-03-0002"]


def test_detail_ledger_running_balance_and_pagination(api):
    _book(api)
    for day, amount in (("2025-03-01", "10.00"), ("2025-03-02", "20.00"), ("2025-03-03", "30.00")):
        api.post("/books/b1/vouchers", voucher_body(day, amount, subledger="tenant:T1"))
    page = api.get("/books/b1/accounts/501/ledger", as_of="2025-03-31", limit=2).json()
    assert [l["balance"]["credit"] for l in page["lines"]] == ["10.00", "30.00"]
    rest = api.get("/books/b1/accounts/501/ledger", as_of="2025-03-31", limit=2, cursor=page["next_cursor"]).json()
    assert [l["balance"]["credit"] for l in rest["lines"]] == ["60.00"]
    assert rest["closing"]["credit"] == "60.00" and rest["next_cursor"] is None
    by_tenant = api.get("/books/b1/accounts/501.01/ledger", as_of="2025-03-31", subledger="tenant:T1").json()
    assert by_tenant["period_credit"] == "60.00"


def test_global_events_show_actor_reason_and_chain_link(api):
    _book(api)
    api.post("/books/b1/vouchers", voucher_body("2025-03-05", summary="收三月租金"))
    events = api.get("/events", token="auditor").json()["events"]
    voucher_events = [e for e in events if e["event_type"] == "BookMonth.VoucherRecorded"]
    assert voucher_events[0]["reason"] == "收三月租金"
    assert voucher_events[0]["actor"] == "acc-c1"
    assert len(voucher_events[0]["chain_link"]) == 64
    verified = api.get("/audit/verify", token="auditor").json()
    assert verified["ok"] is True and verified["events_checked"] == len(events)


def test_bad_requests_get_problem_json_never_500(api):
    _book(api)
    cases = [
        api.post("/books/b1/vouchers", None),
        api.post("/books/b1/vouchers", {"voucher_date": "2025-02-30", "summary": "x", "lines": []}),
        api.post("/books/nope/vouchers", voucher_body("2025-03-05")),
        api.get("/books/b1/trial-balance", as_of="yesterday"),
        api.get("/books/b1/vouchers/记-2025-03-9999"),
        api.get("/books/b1/accounts/999/ledger"),
        api.get("/books/b1/accounts/501/ledger", cursor="garbage"),
        api.get("/books/b1/vouchers", limit=100000),
        api.post("/books/b1/periods/2025-13/close"),
        api.post("/books", {"book_code": "../x", "name": "x", "community_id": "c1", "township_id": "t1",
                            "starts_on": "2025-01-01"}),
        api.post("/books", open_book_body()),  # exists
    ]
    for response in cases:
        assert 400 <= response.status_code < 500, (response.status_code, response.text)
        assert response.headers["content-type"].startswith("application/problem+json"), response.text
        assert "type" in response.json()
