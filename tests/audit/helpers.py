"""Shared set-up of the auditor tests: a book with a voucher, its reversal and a back-dated correction."""

from __future__ import annotations

from tests.conftest import issue_token, open_book_body, voucher_body
from tests.http_answers import ok


def book_with_history(api, code: str = "b1", community: str = "c1", township: str = "t1") -> None:
    ok(api.post("/books", open_book_body(code, community, township)))


def record(api, book: str, day: str, amount: str, **kw) -> dict:
    return ok(api.post(f"/books/{book}/vouchers", voucher_body(day, amount, **kw)))


def scoped_auditor(api, scope: str = "community:c1") -> str:
    return issue_token(api.runtime, "auditor", scope, f"auditor-{scope.replace(':', '-')}")
