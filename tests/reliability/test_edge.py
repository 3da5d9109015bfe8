"""The edge refuses what the stores cannot hold or the API does not take (issue 11, items 3 and 9).

On SQLite and PostgreSQL alike: a NUL character or an unpaired surrogate anywhere in a
request is a 422 (``invalid-text``) and writes nothing; full-width digits are no amount;
a body over 4 MiB is a 413 however it is sent.
"""

from __future__ import annotations

import json

import pytest

from api.limits import MAX_BODY_BYTES
from tests.conftest import voucher_body
from tests.reliability.helpers import book, head

BAD_TEXT = ["收租\u0000金", "\ud800", "尾\udfff", "\udc00\ud800"]


def _post_raw(api, path: str, raw: bytes, headers: dict | None = None):
    return api.client.post(path, content=raw, headers={"Authorization": f"Bearer {api.accountant}",
                                                       "Content-Type": "application/json", **(headers or {})})


@pytest.mark.parametrize("text", BAD_TEXT)
def test_text_a_store_cannot_hold_is_refused_at_the_edge(api, text):
    book(api)
    before = head(api.runtime)
    body = voucher_body("2025-03-05", summary=text)
    # json.dumps escapes NUL and lone surrogates as \\u0000 / \\ud800, as any client would send them.
    response = _post_raw(api, "/books/b1/vouchers", json.dumps(body).encode())
    assert response.status_code == 422, response.text
    assert response.json()["type"].endswith("/invalid-text")
    assert response.headers["content-type"].startswith("application/problem+json")
    assert head(api.runtime) == before


def test_text_a_store_cannot_hold_is_refused_in_nested_fields_keys_and_batches(api):
    book(api)
    before = head(api.runtime)
    nested = voucher_body("2025-03-05")
    nested["lines"][0]["memo"] = "a\u0000"
    batch = {"vouchers": [voucher_body("2025-03-05"), nested]}
    assert _post_raw(api, "/books/b1/voucher-batches", json.dumps(batch).encode()).status_code == 422
    keyed = {**voucher_body("2025-03-05"), "\u0000": 1}
    assert _post_raw(api, "/books/b1/vouchers", json.dumps(keyed).encode()).status_code == 422
    assert head(api.runtime) == before


def test_nul_in_the_path_or_query_is_refused(api):
    book(api)
    assert api.get("/books/b1%00x/vouchers").status_code == 422
    assert api.get("/books/b1/vouchers", cursor="a\u0000b").status_code == 422


def test_storable_unicode_still_passes(api):
    """Chinese text, escaped or not, and characters outside the BMP (a valid surrogate pair) are fine."""
    book(api)
    body = voucher_body("2025-03-05", summary="收门面租金 😀 \\u0000 literal")
    for raw in (json.dumps(body).encode(), json.dumps(body, ensure_ascii=False).encode()):
        response = _post_raw(api, "/books/b1/vouchers", raw)
        assert response.status_code == 201, response.text
    listed = api.get("/books/b1/vouchers").json()["vouchers"]
    assert [v["summary"] for v in listed] == [body["summary"]] * 2


@pytest.mark.parametrize("amount", ["１０.００", "١٠.٠٠", "10.０0", "１"])
def test_full_width_and_other_unicode_digits_are_no_amount(api, amount):
    book(api)
    before = head(api.runtime)
    response = api.post("/books/b1/vouchers", voucher_body("2025-03-05", amount))
    assert response.status_code == 422, response.text
    assert head(api.runtime) == before


def test_full_width_digits_are_refused_by_parse_amount():
    from ledger.money import InvalidAmount, parse_amount

    for text in ("１０.００", "١٠", "1０"):
        with pytest.raises(InvalidAmount):
            parse_amount(text)


def test_full_width_digits_in_dates_and_account_codes_are_refused(api):
    book(api)
    assert api.post("/books/b1/vouchers", voucher_body("２０２５-０３-０５")).status_code == 422
    assert api.post("/books/b1/vouchers", voucher_body("2025-03-05", debit="１０２")).status_code == 422


def test_chunked_body_over_the_limit_is_413(api):
    book(api)

    def chunks():
        piece = b" " * 65536
        yield b'{"voucher_date": "2025-03-05", "summary": "'
        for _ in range(MAX_BODY_BYTES // len(piece) + 2):
            yield piece
        yield b'"}'

    response = api.client.post("/books/b1/vouchers", content=chunks(),
                               headers={"Authorization": f"Bearer {api.accountant}",
                                        "Content-Type": "application/json"})
    assert response.status_code == 413, response.text
    assert response.json()["type"].endswith("/request-too-large")


def test_declared_body_over_the_limit_is_413(api):
    response = _post_raw(api, "/books/b1/vouchers", b" " * (MAX_BODY_BYTES + 1))
    assert response.status_code == 413
