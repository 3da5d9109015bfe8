"""The imports and opening-balance writes stamp the request's Idempotency-Key on every event.

``imports_steps()`` is this part of the walk in ``tests/api/test_idempotency_key_on_every_write.py``
(its own book ``imp1`` of community c1, opened by the first step).
"""

from __future__ import annotations

from tests.api.test_idempotency_key_on_every_write import Step
from tests.conftest import open_book_body

OPENING_LINES = [{"account_code": "102", "debit": "100.00"}, {"account_code": "301", "credit": "100.00"}]


def imports_steps(book: str = "imp1") -> list[Step]:
    return [
        Step("POST /books", "/books", open_book_body(book)),
        Step("POST /books/{book_code}/opening-balances", f"/books/{book}/opening-balances",
             {"lines": OPENING_LINES, "reason": "建账"}),
        *import_steps(book),
    ]


def _tenants_file() -> bytes:
    return "\ufeff承租人编号 tenant_code,名称 name,类型 kind,联系方式 contact\r\nIT1,王五,person,13700000000\r\n".encode()


def import_steps(book: str = "imp1") -> list[Step]:
    return [Step("POST /books/{book_code}/imports/{kind}", f"/books/{book}/imports/tenants",
                 extra={"content": _tenants_file(), "content_type": "text/csv"})]
