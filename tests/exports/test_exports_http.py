"""Exports over HTTP on both stores: the same endpoint, ?format= or Accept, the same auth as JSON."""

from __future__ import annotations

from decimal import Decimal

from ledger.chain import chain_head
from tests.conftest import voucher_body
from tests.exports.files import XLSX, csv_rows, header_block, pdf_pages, pdf_text, table, workbook_rows
from tests.http_answers import ok, problem
from tests.leases.conftest import bill, open_book, shop_front, sign, tenant


def _set_up(api) -> None:
    """Book b1 (community c1, township t1): a leased and a vacant shop-front, two months billed, one more voucher."""
    open_book(api)
    shop_front(api, "A-101")
    shop_front(api, "A-102", area="35.50")
    tenant(api)
    sign(api)
    bill(api, "2024-03")
    bill(api, "2024-04")
    ok(api.post("/books/b1/vouchers", voucher_body("2024-04-20", "1234.50", debit="102", credit="501.02",
                                                   summary="收物业服务费")))


def _file(response, media_type: str) -> bytes:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["content-disposition"].startswith("attachment;")
    return response.content


def test_exports_answer_the_json_figures_as_files_with_the_same_auth(api):
    _set_up(api)
    query = {"as_of": "2024-06-30", "from": "2024-01-01"}

    # Trial balance as XLSX: the JSON's totals, the header block with the log position and its chain link.
    tb = ok(api.get("/books/b1/trial-balance", **query), 200)
    _, rows = workbook_rows(_file(api.get("/books/b1/trial-balance", format="xlsx", **query), XLSX))
    block = header_block(rows)
    with api.runtime.db.transaction(write=False) as tx:
        position, link = chain_head(tx, tb["log_position"])
    assert block["日志位置 Log position"] == str(tb["log_position"])
    assert block["链头 Chain head (position · link)"] == f"{position} · {link.hex()}"
    assert block["单位 Community / township"] == "社区 c1 · 乡镇 t1"
    headers, body = table(rows, "科目编码")
    assert "期末借方" in headers
    totals = body[-1]
    assert totals[0].value == "合计 Total"
    figures = [Decimal(str(c.value)).quantize(Decimal("0.01")) for c in totals[2:8]]
    assert figures == [Decimal(tb["totals"][k]) for k in ("opening_debit", "opening_credit", "period_debit",
                                                           "period_credit", "closing_debit", "closing_credit")]
    assert all(c.number_format == "#,##0.00" and c.data_type == "n" for c in totals[2:8])
    assert [r[0].value for r in body[:-1]] == [r["account_code"] for r in tb["rows"]]

    # Arrears aging as XLSX: the totals row is the JSON's per bucket.
    aging = ok(api.get("/books/b1/arrears-aging", as_of="2024-06-30"), 200)
    _, rows = workbook_rows(_file(api.get("/books/b1/arrears-aging", as_of="2024-06-30", format="xlsx"), XLSX))
    headers, body = table(rows, "承租人编号")
    assert headers[-1] == "合计" and len(body) == len(aging["tenants"]) + 1
    assert Decimal(str(body[-1][-1].value)).quantize(Decimal("0.01")) == Decimal(aging["total"]) > 0

    # Rent roll as CSV for machines: BOM, one header row, one row per shop-front, plain amounts.
    roll = ok(api.get("/books/b1/rent-roll", as_of="2024-06-30"), 200)
    lines = csv_rows(_file(api.get("/books/b1/rent-roll", as_of="2024-06-30", format="csv"), "text/csv"))
    assert lines[0][0] == "门面编号" and len(lines) == 1 + len(roll["shop_fronts"]) == 3
    assert lines[1][-1] == roll["shop_fronts"][0]["monthly_rent"] == "3100.00"

    # One voucher, asked by Accept, prints as a 记账凭证 with its 大写 total and the signature line.
    number = ok(api.get("/books/b1/vouchers", month="2024-04"), 200)["vouchers"][-1]["number"]
    content = _file(api.client.get(f"/books/b1/vouchers/{number}", headers={
        "Authorization": f"Bearer {api.accountant}", "Accept": "application/pdf"}), "application/pdf")
    text = pdf_text(content)
    for words in ("记账凭证", number, "壹仟贰佰叁拾肆元伍角整", "会计主管", "记账", "审核", "制单", "银行存款"):
        assert words in text, words

    # A month's vouchers as one PDF: one page per voucher of the list.
    listed = ok(api.get("/books/b1/vouchers", month="2024-04"), 200)["vouchers"]
    content = _file(api.get("/books/b1/vouchers", month="2024-04", format="pdf"), "application/pdf")
    assert len(listed) >= 2 and pdf_pages(content) == len(listed)
    text = pdf_text(content)
    assert all(v["number"] in text for v in listed)

    # Bad requests answer problem+json, and an export is refused exactly where the JSON is.
    problem(api.get("/books/b1/trial-balance", format="docx"), 422, "invalid-export-format")
    problem(api.get("/books/b1/periods", format="pdf"), 406, "not-exportable")
    refused = problem(api.get("/books/b1/trial-balance", token="other_accountant", **query), 403, "out-of-scope")
    assert problem(api.get("/books/b1/trial-balance", token="other_accountant", format="xlsx", **query), 403,
                   "out-of-scope") == refused
    problem(api.get("/books/b1/vouchers", token="other_accountant", format="pdf", month="2024-04"), 403,
            "out-of-scope")
    problem(api.get("/books/b1/trial-balance", token=None, format="pdf"), 401, "unauthenticated")
    problem(api.get("/books/nope/trial-balance", format="csv"), 404, "book-not-found")

