"""Limits are consistent: what is refused leaves nothing behind; what is accepted can be reported.

Issue 11, items 1 and 2, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid

from tests.reliability.helpers import BIG, book, head, lines


def _over_limit_voucher() -> dict:
    """Each line within the amount limit, the total (Σ debits) beyond it."""
    return {"voucher_date": "2025-03-05", "summary": "超限合计", "lines": lines(
        ("101", "debit", BIG), ("102", "debit", BIG), ("504", "credit", BIG), ("504", "credit", BIG))}


def _post_largest_vouchers(api, count: int, *, debit_account: str) -> None:
    """Post ``count`` vouchers of the largest accepted amount (BIG), Dr ``debit_account`` / Cr 504, each with its own key."""
    body = {"voucher_date": "2025-03-05", "summary": "最大金额",
            "lines": lines((debit_account, "debit", BIG), ("504", "credit", BIG))}
    for _ in range(count):
        response = api.post("/books/b1/vouchers", body, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert response.status_code == 201, response.text


def test_voucher_whose_total_exceeds_the_limit_is_refused_and_writes_nothing(api):
    book(api)
    before = head(api.runtime)
    response = api.post("/books/b1/vouchers", _over_limit_voucher())
    assert response.status_code == 422, response.text
    assert response.json()["type"].endswith("/invalid-amount")
    assert head(api.runtime) == before
    assert api.get("/books/b1/vouchers").json()["vouchers"] == []


def test_voucher_whose_total_exceeds_the_limit_is_refused_with_an_idempotency_key(api):
    book(api)
    before = head(api.runtime)
    response = api.post("/books/b1/vouchers", _over_limit_voucher(), headers={"Idempotency-Key": "k-over"})
    assert response.status_code == 422, response.text
    assert head(api.runtime) == before


def test_voucher_whose_total_exceeds_the_limit_is_refused_in_a_batch(api):
    book(api)
    before = head(api.runtime)
    response = api.post("/books/b1/voucher-batches", {"vouchers": [_over_limit_voucher()]})
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] == 422
    assert head(api.runtime) == before


def test_statements_of_a_book_stay_reportable_after_the_largest_accepted_vouchers(api):
    """Sums and running balances have a wider bound than one voucher: reports never 422 on accepted data."""
    book(api)
    _post_largest_vouchers(api, 3, debit_account="101")
    _post_largest_vouchers(api, 1, debit_account="102")
    for as_of in ("2025-03-05", "2025-12-31", "2026-06-30"):
        tb = api.get("/books/b1/trial-balance", as_of=as_of)
        assert tb.status_code == 200, tb.text
        assert tb.json()["totals"]["closing_debit"] == "3999999999999.96"
        assert tb.json()["totals"]["closing_debit_uppercase"].startswith("叁万玖仟玖佰玖拾玖亿")
    ledger = api.get("/books/b1/accounts/101/ledger", as_of="2025-12-31")
    assert ledger.status_code == 200 and ledger.json()["closing"]["debit"] == "2999999999999.97"
    voucher = api.get("/books/b1/vouchers/记-2025-03-0001")
    assert voucher.status_code == 200 and voucher.json()["total_uppercase"].startswith("玖仟玖佰玖拾玖亿")


def test_balance_sheet_and_income_statement_totals_stay_reportable(api):
    """The statement folds and their uppercase totals (as the statement routes render them) never refuse."""
    from datetime import date

    from ledger.money import from_fen, uppercase_amount
    from projections.ledger_reports import book_info
    from projections.statements import balance_sheet, income_statement

    book(api)
    _post_largest_vouchers(api, 4, debit_account="101")
    assert api.get("/books/b1/trial-balance", as_of="2025-12-31").status_code == 200  # read models caught up
    with api.runtime.db.transaction(write=False) as tx:
        info = book_info(tx, "b1")
        sheet = balance_sheet(tx, info, date(2025, 12, 31))
        statement = income_statement(tx, info, 2025)
    assert sheet.balanced
    assert uppercase_amount(from_fen(sheet.closing_totals["assets"])).startswith("叁万玖仟玖佰玖拾玖亿")
    assert uppercase_amount(from_fen(statement.lines["net_income"])).startswith("叁万玖仟玖佰玖拾玖亿")


def test_month_turnover_beyond_its_bound_is_refused_so_running_balances_cannot_overflow(runtime):
    """Each month's vouchers move at most MONTH_TURNOVER_LIMIT; over 2000–2100 that fits every 64-bit sum."""
    from datetime import date
    from decimal import Decimal

    import pytest

    from ledger import bookkeeping
    from ledger.audit import Audit
    from ledger.journal import VoucherDraft, credit, debit
    from ledger.money import AMOUNT_LIMIT, MONTH_TURNOVER_LIMIT, InvalidAmount

    audit = Audit("tester", "accountant", "test")
    runtime.execute(lambda uow: bookkeeping.open_book(
        uow, audit, book_code="b1", name="b1", entity_kind="collective", community_id="c1", township_id="t1",
        chart_name="collective_2023", starts_on=date(2025, 1, 1)))
    draft = VoucherDraft(date(2025, 3, 1), "大额", (debit("101", AMOUNT_LIMIT), credit("504", AMOUNT_LIMIT)))
    allowed = int(MONTH_TURNOVER_LIMIT // AMOUNT_LIMIT)
    # Fill the month up to its bound in one command (fast), then one more voucher must be refused.
    def fill(uow):
        for _ in range(allowed):
            bookkeeping.record_voucher(uow, audit, "b1", draft)
    runtime.execute(fill)
    before = runtime.app.recorder.max_notification_id()
    with pytest.raises(InvalidAmount):
        runtime.execute(lambda uow: bookkeeping.record_voucher(uow, audit, "b1", draft))
    assert runtime.app.recorder.max_notification_id() == before
    april = VoucherDraft(date(2025, 4, 1), "下月", draft.lines)
    assert runtime.execute(lambda uow: bookkeeping.record_voucher(uow, audit, "b1", april)).result.number.endswith("0001")
    assert 1212 * int(MONTH_TURNOVER_LIMIT * 100) < 2**63 - 1
    assert Decimal(allowed) * AMOUNT_LIMIT <= MONTH_TURNOVER_LIMIT
