"""Township consolidated statements export like any statement; another township's are refused."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import issue_token, open_book_body, voucher_body
from tests.exports.files import XLSX, pdf_text, table, workbook_rows
from tests.http_answers import ok, problem


def test_a_township_downloads_its_consolidated_statements_and_is_refused_another_townships(api):
    other = issue_token(api.runtime, "accountant", "community:c3", "acc-c3")
    ok(api.post("/books", open_book_body("b1", "c1", "t1")))
    ok(api.post("/books", open_book_body("b3", "c3", "t1"), token=other))
    ok(api.post("/books", open_book_body("b2", "c2", "t2"), token="other_accountant"))
    ok(api.post("/books/b1/vouchers", voucher_body("2025-03-05", "1000.00")))
    ok(api.post("/books/b3/vouchers", voucher_body("2025-03-06", "234.50"), token=other))
    query = {"as_of": "2025-12-31"}

    sheet = ok(api.get("/townships/t1/statements/balance-sheet", token="township", **query), 200)
    response = api.get("/townships/t1/statements/balance-sheet", token="township", format="xlsx", **query)
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    _, rows = workbook_rows(response.content)
    headers, body = table(rows, "项目")
    assert [c["community_id"] for c in sheet["communities"]] == ["c1", "c3"]
    assert headers[1].startswith("c1") and headers[2].startswith("c3") and headers[3] == "乡镇合计（期末）"
    by_name = {r[0].value: r for r in body}
    for total in sheet["total"]["totals"]:
        assert Decimal(str(by_name[total["name_zh"]][3].value)).quantize(Decimal("0.01")) == Decimal(total["closing"])
    names = [r[0].value for r in body]  # each subtotal under its lines, as a 资产负债表 prints
    assert names.index("流动资产合计") == names.index("消耗性生物资产") + 1
    assert names.index("资产总计") == names.index("非流动资产合计") + 1 < names.index("短期借款")
    assert names.index("负债合计") == names.index("非流动负债合计") + 1 < names.index("资本")
    assert names[-1] == "负债和所有者权益总计" and len(names) == len(set(names))
    assets = next(t for t in sheet["total"]["totals"] if Decimal(t["closing"]) != 0)
    assert Decimal(assets["closing"]) == Decimal("1234.50")

    income = api.get("/townships/t1/statements/income", token="township", format="pdf", year=2025, **query)
    assert income.status_code == 200 and income.headers["content-type"] == "application/pdf"
    text = pdf_text(income.content)
    assert "乡镇汇总收益及收益分配表" in text and "乡镇 t1" in text and "乡镇本年收益" in text

    refused = problem(api.get("/townships/t2/statements/balance-sheet", token="township", **query), 403,
                      "out-of-scope")
    assert problem(api.get("/townships/t2/statements/balance-sheet", token="township", format="pdf", **query),
                   403, "out-of-scope") == refused
    problem(api.get("/townships/t2/overview", token="township", format="xlsx", **query), 403, "out-of-scope")
