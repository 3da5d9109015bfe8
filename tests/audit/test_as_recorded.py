"""A trial balance as of a past date, as recorded by a past log position and as corrected since."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from ledger import bookkeeping
from ledger.audit import Audit
from ledger.journal import credit, debit
from tests.audit.helpers import book_with_history, record, scoped_auditor
from tests.conftest import voucher_body
from tests.http_answers import head, ok, problem

TB = "/audit/books/b1/trial-balance"


def _rows(tb: dict) -> dict[str, dict]:
    return {r["account_code"]: r for r in tb["rows"]}


def _march_then_corrections(api) -> int:
    """Two March vouchers by "the end of April"; afterwards a red voucher and a back-dated accrual for March."""
    book_with_history(api)
    record(api, "b1", "2025-03-05", "100.00")
    second = record(api, "b1", "2025-03-20", "50.00")
    end_of_april = head(api)
    ok(api.post(f"/books/b1/vouchers/{second['number']}/reversal", {"red_date": "2025-03-28", "reason": "重复记账"}))
    ok(api.post("/books/b1/vouchers", voucher_body("2025-03-31", "30.00", debit="513", credit="211",
                                                   summary="补提三月管理费用")))
    record(api, "b1", "2025-04-10", "70.00")  # dated after as_of: it does not reach the March statement
    return end_of_april


def test_as_recorded_and_corrected_trial_balance_list_the_back_dated_correction_between(api):
    then = _march_then_corrections(api)
    body = ok(api.get(TB, token="auditor", as_of="2025-03-31", as_recorded_at=str(then)), 200)
    recorded, corrected = _rows(body["recorded"]), _rows(body["corrected"])
    assert body["recorded"]["position"] == then and body["corrected"]["position"] == body["log_position"]
    assert recorded["501.01"]["closing"] == {"direction": "贷", "debit": "0.00", "credit": "150.00"}
    assert corrected["501.01"]["closing"] == {"direction": "贷", "debit": "0.00", "credit": "100.00"}
    assert "513" not in recorded and corrected["513"]["balance"] == "30.00"
    assert body["recorded"]["balanced"] and body["corrected"]["balanced"]
    assert body["recorded"]["sha256"] != body["corrected"]["sha256"]
    differences = {d["account_code"]: d for d in body["differences"]}
    assert differences["501.01"]["difference"]["closing_balance"] == "50.00"  # net debit: 50.00 less credit
    assert differences["102"]["difference"]["closing_balance"] == "-50.00"
    assert differences["513"]["recorded"]["closing_balance"] == "0.00"
    assert differences["211"]["difference"]["closing_balance"] == "-30.00"
    changes = body["changes"]
    assert [c["summary"] for c in changes][1] == "补提三月管理费用"
    red, accrual = changes
    assert red["reverses"] == "记-2025-03-0002" and red["total"] == "-50.00" and red["reason"] == "重复记账"
    assert accrual["voucher_date"] == "2025-03-31" and accrual["recorded_by"] == "acc-c1"
    assert all(c["position"] > then for c in changes)
    assert not body["changes_truncated"]
    sheet = {line["key"]: line for line in body["balance_sheet"]}
    assert sheet["cash"]["recorded"] == "150.00" and sheet["cash"]["corrected"] == "100.00"
    assert sheet["payables"]["difference"] == "30.00"
    assert sheet["total_assets"]["corrected"] == sheet["total_liabilities_and_equity"]["corrected"]


def test_as_recorded_at_a_timestamp_is_the_last_position_recorded_by_then(api):
    then = _march_then_corrections(api)
    events = ok(api.get("/events", token="auditor", limit=1000), 200)["events"]
    moment = next(e["recorded_at"] for e in events if e["position"] == then)
    body = ok(api.get(TB, token="auditor", as_of="2025-03-31", as_recorded_at=moment), 200)
    assert body["recorded"]["position"] == then
    zulu = datetime.fromisoformat(moment).astimezone(timezone(timedelta(hours=8))).isoformat()
    assert ok(api.get(TB, token="auditor", as_of="2025-03-31", as_recorded_at=zulu), 200)["recorded"]["position"] == then
    early = ok(api.get(TB, token="auditor", as_of="2025-03-31", as_recorded_at="2001-01-01T00:00:00Z"), 200)
    assert early["recorded"]["position"] == 0 and early["recorded"]["rows"] == []


def test_the_fold_at_the_position_read_is_the_live_trial_balance(api):
    _march_then_corrections(api)
    live = ok(api.get("/books/b1/trial-balance", as_of="2025-04-30"), 200)
    audit = ok(api.get(TB, token="auditor", as_of="2025-04-30", as_recorded_at=str(head(api))), 200)
    for version in (audit["recorded"], audit["corrected"]):
        assert version["totals"] == {k: v for k, v in live["totals"].items() if not k.endswith("uppercase")}
        assert [(r["account_code"], r["opening"], r["period_debit"], r["period_credit"], r["closing"], r["balance"])
                for r in version["rows"]] == [
            (r["account_code"], r["opening"], r["period_debit"], r["period_credit"], r["closing"], r["balance"])
            for r in live["rows"]]
    assert audit["differences"] == [] and audit["changes"] == []


def test_replaced_opening_balances_show_as_they_were_recorded(api):
    book_with_history(api)
    audit = Audit("acc-c1", "accountant", "期初余额")

    def opening(amount: str):
        lines = (debit("102", Decimal(amount)), credit("301", Decimal(amount)))
        return lambda uow: bookkeeping.enter_opening_balances(uow, audit, "b1", lines)

    api.runtime.execute(opening("1000.00"))
    then = head(api)
    api.runtime.execute(opening("1200.00"))
    body = ok(api.get(TB, token="auditor", as_of="2025-01-31", as_recorded_at=str(then)), 200)
    assert _rows(body["recorded"])["102"]["opening"]["debit"] == "1000.00"
    assert _rows(body["corrected"])["102"]["opening"]["debit"] == "1200.00"
    live = ok(api.get("/books/b1/trial-balance", as_of="2025-01-31"), 200)
    assert _rows(live)["102"]["opening"]["debit"] == "1200.00"


def test_bad_as_recorded_at_and_out_of_scope_are_problems(api):
    book_with_history(api)
    record(api, "b1", "2025-03-05", "100.00")
    future = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    problem(api.get(TB, token="auditor", as_of="2025-03-31", as_recorded_at=future), 422, "as-recorded-at-in-future")
    problem(api.get(TB, token="auditor", as_of="2025-03-31", as_recorded_at=str(head(api) + 1000)),
            422, "as-recorded-at-in-future")
    for bad in ("yesterday", "2025-04-30T24:00:00Z", "-1", "1" * 30, "0001-01-01T00:00:00+01:00",
                "9999-12-31T23:59:59-01:00", "2025-04-30T12:00:00+25:00"):
        problem(api.get(TB, token="auditor", as_of="2025-03-31", as_recorded_at=bad), 422, "invalid-as-recorded-at")
    problem(api.get(TB, token="auditor", as_of="2025-03-31", as_recorded_at="2025-04-30T12:00:00"),
            422, "invalid-as-recorded-at")  # no UTC offset
    problem(api.get(TB, token="auditor", as_of="2025-03-31"), 422, "invalid-as-recorded-at")
    problem(api.get(TB, token="auditor", as_of="2025-03-31", **{"from": "2025-04-01"}, as_recorded_at="1"),
            422, "invalid-period")
    problem(api.get("/audit/books/nobook/trial-balance", token="auditor", as_recorded_at="1"), 404, "book-not-found")
    problem(api.get(TB, token="accountant", as_recorded_at="1"), 403, "forbidden-role")
    problem(api.get(TB, token=scoped_auditor(api, "community:c2"), as_recorded_at="1"), 403, "out-of-scope")
