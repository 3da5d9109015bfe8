"""Opening balances (期初余额) of a book: balanced, leaf accounts, locked by the first close, in the reports."""

from __future__ import annotations

from tests.conftest import open_book_body, voucher_body
from tests.http_answers import head, ok, problem

OPENING = [
    {"account_code": "101", "debit": "1200.00"},
    {"account_code": "102", "debit": "58800.00"},
    {"account_code": "112", "debit": "3000.00", "subledger": "tenant:T1"},
    {"account_code": "211", "credit": "5000.00", "subledger": "member:M1"},
    {"account_code": "301", "credit": "50000.00"},
    {"account_code": "311", "credit": "8000.00"},
]


def opening_body(lines=OPENING, reason: str = "建账录入期初余额") -> dict:
    return {"lines": lines, "reason": reason}


def _row(tb: dict, code: str) -> dict:
    return next(r for r in tb["rows"] if r["account_code"] == code)


def test_opening_balances_appear_in_the_trial_balance_detail_ledger_and_balance_sheet(api):
    ok(api.post("/books", open_book_body("b1", starts_on="2025-01-01")))
    entered = ok(api.post("/books/b1/opening-balances", opening_body()))
    assert entered["opening_date"] == "2024-12-31" and entered["changed"] is True
    assert entered["total_debit"] == entered["total_credit"] == "63000.00"
    assert entered["total_uppercase"] == "陆万叁仟元整"
    ok(api.post("/books/b1/vouchers", voucher_body("2025-01-10", "100.00", "102", "501.01")))

    tb = ok(api.get("/books/b1/trial-balance", as_of="2025-01-31"), 200)
    assert _row(tb, "102")["opening"] == {"direction": "借", "debit": "58800.00", "credit": "0.00"}
    assert _row(tb, "102")["period_debit"] == "100.00"
    assert _row(tb, "102")["closing"]["debit"] == "58900.00"
    assert _row(tb, "301")["opening"] == {"direction": "贷", "debit": "0.00", "credit": "50000.00"}
    assert _row(tb, "301")["period_credit"] == "0.00"
    assert tb["totals"]["opening_debit"] == tb["totals"]["opening_credit"] == "63000.00"
    assert tb["balanced"] is True

    ledger = ok(api.get("/books/b1/accounts/112/ledger", as_of="2025-01-31", subledger="tenant:T1"), 200)
    assert ledger["opening"]["debit"] == "3000.00" and ledger["lines"] == []

    shown = ok(api.get("/books/b1/opening-balances"), 200)
    assert [l["account_code"] for l in shown["lines"]] == ["101", "102", "112", "211", "301", "311"]
    assert shown["locked"] is False and shown["balanced"] is True


def test_opening_balances_are_the_year_start_column_of_an_organisations_balance_sheet(api):
    from tests.collective.helpers import organisation_body

    ok(api.post("/collective/organisations", organisation_body("b1", registered_on="2025-01-01")))
    ok(api.post("/books/b1/opening-balances", opening_body()))
    sheet = ok(api.get("/collective/organisations/b1/statements/balance-sheet", as_of="2025-03-31"), 200)
    lines = {line["key"]: line for line in sheet["lines"]}
    assert sheet["opening_as_of"] == "2024-12-31"
    assert lines["cash"]["opening"] == lines["cash"]["closing"] == "60000.00"  # 年初 = 1,200.00 + 58,800.00
    assert lines["receivables"]["opening"] == "3000.00"
    assert lines["payables"]["opening"] == "5000.00"
    assert lines["capital"]["opening"] == "50000.00" and lines["reserve"]["opening"] == "8000.00"
    assert sheet["balanced"] is True


def test_opening_balances_that_do_not_balance_are_refused_and_nothing_is_written(api):
    ok(api.post("/books", open_book_body("b1")))
    before = head(api)
    lines = [*OPENING[:-1], {"account_code": "311", "credit": "7999.99"}]
    problem(api.post("/books/b1/opening-balances", opening_body(lines)), 422, "opening-balances-unbalanced")
    problem(api.post("/books/b1/opening-balances", opening_body(
        [{"account_code": "501", "debit": "1.00"}, {"account_code": "301", "credit": "1.00"}])),
        422, "account-not-postable")
    problem(api.post("/books/b1/opening-balances", opening_body(
        [{"account_code": "102", "debit": "1.00"}, {"account_code": "102", "credit": "1.00"}])),
        422, "invalid-opening-line")
    assert head(api) == before


def test_opening_balances_are_replaced_by_a_new_event_before_the_first_close_and_locked_after(api):
    ok(api.post("/books", open_book_body("b1")))
    ok(api.post("/books/b1/opening-balances", opening_body()))
    before = head(api)
    again = ok(api.post("/books/b1/opening-balances", opening_body()), 200)
    assert again["changed"] is False and head(api) == before  # the same balances again record nothing
    corrected = [*OPENING[:4], {"account_code": "301", "credit": "49000.00"}, {"account_code": "311",
                                                                             "credit": "9000.00"}]
    ok(api.post("/books/b1/opening-balances", opening_body(corrected, "更正期初余额")))
    tb = ok(api.get("/books/b1/trial-balance", as_of="2025-01-31"), 200)
    assert _row(tb, "301")["opening"]["credit"] == "49000.00"
    assert _row(tb, "311")["opening"]["credit"] == "9000.00"
    assert tb["balanced"] is True

    ok(api.post("/books/b1/periods/2025-01/close", {"reason": "结账"}), 200)
    before = head(api)
    problem(api.post("/books/b1/opening-balances", opening_body()), 409, "opening-balances-locked")
    assert ok(api.get("/books/b1/opening-balances"), 200)["locked"] is True
    # re-opening the first month does not unlock them: they were locked by the first close
    ok(api.post("/books/b1/periods/2025-01/reopen", {"reason": "审计反结账"}, token="auditor"), 200)
    problem(api.post("/books/b1/opening-balances", opening_body()), 409, "opening-balances-locked")
    assert ok(api.get("/books/b1/opening-balances"), 200)["locked"] is True  # and the read side says so
    assert head(api) == before + 1  # only the re-opening was recorded


def test_opening_balances_of_another_communitys_book_are_forbidden(api):
    ok(api.post("/books", open_book_body("b1")))
    before = head(api)
    problem(api.post("/books/b1/opening-balances", opening_body(), token="other_accountant"), 403, "out-of-scope")
    problem(api.get("/books/b1/opening-balances", token="other_accountant"), 403, "out-of-scope")
    assert head(api) == before


def test_opening_balances_entered_and_replaced_replay_to_the_same_read_models(api):
    from api.runtime import all_projections
    from projections.replay import replay

    ok(api.post("/books", open_book_body("b1")))
    ok(api.post("/books/b1/vouchers", voucher_body("2025-01-10", "100.00", "102", "501.01")))
    ok(api.post("/books/b1/opening-balances", opening_body()))
    ok(api.post("/books/b1/opening-balances", opening_body(
        [{"account_code": "102", "debit": "10.00"}, {"account_code": "301", "credit": "10.00"}], "更正期初余额")))
    tb = ok(api.get("/books/b1/trial-balance", as_of="2025-01-31"), 200)
    assert _row(tb, "102")["opening"]["debit"] == "10.00" and _row(tb, "102")["closing"]["debit"] == "110.00"
    assert _row(tb, "311")["opening"]["credit"] == "0.00"  # the replaced set no longer has 311
    rt = api.runtime
    report = replay(rt.app, rt.config, rt.runner, all_projections)
    assert report.live["books"] == report.replayed["books"]
    assert not report.faults
