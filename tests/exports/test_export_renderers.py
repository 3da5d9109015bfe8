"""The renderers in memory: a declared statement and vouchers read back from XLSX, PDF and CSV."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from api.errors import ApiProblem
from api.exports import csv_file, document, pdf_file, xlsx_file
from api.exports.tables import declaration_for
from ledger.money import uppercase_amount
from tests.exports.files import (
    csv_rows,
    first_page_png,
    header_block,
    ink_fraction,
    pdf_pages,
    pdf_text,
    table,
    workbook_rows,
)

LINK = "ab" * 32


def _figure(debit: str, credit: str) -> dict:
    direction = "借" if Decimal(debit) > 0 else "贷" if Decimal(credit) > 0 else "平"
    return {"direction": direction, "debit": debit, "credit": credit}


#: A trial balance as GET /books/{book}/trial-balance answers it. The totals are over first-level
#: accounts only (501.01 is inside 501), so a sum of every row would be wrong: the file must show these.
TRIAL_BALANCE = {
    "log_position": 42, "title_zh": "科目余额表", "title_en": "Trial balance", "book_code": "b1",
    "period_start": "2025-01-01", "as_of": "2025-03-31", "balanced": True,
    "rows": [
        {"account_code": "102", "name_zh": "银行存款", "opening": _figure("0.00", "0.00"), "period_debit": "1234.50",
         "period_credit": "0.00", "closing": _figure("1234.50", "0.00")},
        {"account_code": "501", "name_zh": "经营收入", "opening": _figure("0.00", "0.00"), "period_debit": "0.00",
         "period_credit": "1234.50", "closing": _figure("0.00", "1234.50")},
        {"account_code": "501.01", "name_zh": "租赁收入", "opening": _figure("0.00", "0.00"), "period_debit": "0.00",
         "period_credit": "1234.50", "closing": _figure("0.00", "1234.50")},
    ],
    "totals": {"opening_debit": "0.00", "opening_credit": "0.00", "period_debit": "1234.50",
               "period_credit": "1234.50", "closing_debit": "1234.50", "closing_credit": "1234.50"},
}
CONTEXT = document.Context({"book_code": "b1"}, {"as_of": "2025-03-31"}, "c1", "t1", "b1", "b1 账套", 42, LINK)


def trial_balance_sheet() -> document.Sheet:
    export = declaration_for("/books/{book_code}/trial-balance")
    assert export is not None
    return document.sheet(export, TRIAL_BALANCE, CONTEXT)


def test_xlsx_has_chinese_headers_numeric_amounts_the_responses_totals_and_the_header_block():
    sheet, rows = workbook_rows(xlsx_file.render(trial_balance_sheet()))
    assert rows[0][0].value == "科目余额表 Trial balance"
    block = header_block(rows)
    assert block["单位 Community / township"] == "社区 c1 · 乡镇 t1"
    assert block["账套 Book"] == "b1 b1 账套"
    assert block["期间 Period"] == "2025-01-01 至 2025-03-31"
    assert block["截至 As of"] == "2025-03-31"
    assert block["日志位置 Log position"] == "42"
    assert block["链头 Chain head (position · link)"] == f"42 · {LINK}"
    headers, body = table(rows, "科目编码")
    assert headers == ["科目编码", "科目名称", "期初借方", "期初贷方", "本期借方", "本期贷方", "期末借方", "期末贷方"]
    bank = body[0]
    assert bank[4].value == pytest.approx(1234.5) and bank[4].data_type == "n"
    assert bank[4].number_format == "#,##0.00"
    totals = body[-1]
    assert totals[0].value == "合计 Total"
    assert [totals[i].value for i in (4, 5, 6, 7)] == [1234.5, 1234.5, 1234.5, 1234.5]  # not 2469.00 (501.01)
    words = [row for row in rows if str(row[0].value).startswith("期末借方合计")]
    assert words[0][1].value == uppercase_amount(Decimal("1234.50")) == "壹仟贰佰叁拾肆元伍角整"


def test_pdf_has_the_chinese_title_headers_uppercase_total_and_signature_line_and_renders_a_page():
    content = pdf_file.render(trial_balance_sheet())
    text = pdf_text(content)
    for words in ("科目余额表", "期初借方", "期末贷方", "银行存款", "社区 c1", LINK, "壹仟贰佰叁拾肆元伍角整",
                  "单位负责人", "会计主管", "制表", "1,234.50"):
        assert words in text, words
    image = first_page_png(content)
    assert image.width > 300 and image.height > 300
    assert 0.005 < ink_fraction(image) < 0.5


def test_a_table_longer_than_a_page_repeats_its_header_row_on_every_page():
    export = declaration_for("/books/{book_code}/vouchers")
    payload = {"log_position": 7, "book_code": "b1", "next_cursor": None, "vouchers": [
        {"number": f"记-2025-03-{n:04d}", "voucher_date": "2025-03-05", "summary": "收门面租金", "total": "10.00",
         "reverses": None, "reversed_by": None, "recorded_by": "acc"} for n in range(1, 121)]}
    content = pdf_file.render(document.sheet(export, payload, CONTEXT))
    pages = pdf_pages(content)
    assert pages >= 2
    assert pdf_text(content).count("凭证号") == pages


def test_csv_starts_with_the_bom_has_a_header_row_and_plain_two_decimal_amounts():
    rows = csv_rows(csv_file.render(trial_balance_sheet()))
    assert rows[0][:3] == ["科目编码", "科目名称", "期初借方"]
    assert rows[1] == ["102", "银行存款", "0.00", "0.00", "1234.50", "0.00", "1234.50", "0.00"]
    assert len(rows) == 4  # header and three accounts; no totals row for machines


VOUCHER = {"number": "记-2025-03-0001", "voucher_date": "2025-03-05", "summary": "收门面租金", "attachments": 2,
           "reverses": None, "reversed_by": None, "recorded_by": "acc-c1", "total": "3100.00",
           "lines": [{"account_code": "102", "subledger": "", "debit": "3100.00", "credit": "0.00", "memo": ""},
                     {"account_code": "501.01", "subledger": "L1", "debit": "0.00", "credit": "3100.00",
                      "memo": "三月租金"}]}


def test_a_voucher_prints_as_a_signed_ji_zhang_ping_zheng_one_per_page():
    names = {"102": "银行存款", "501.01": "租赁收入"}
    slip = document.slip(VOUCHER, lambda code: names.get(code, ""))
    assert slip.voucher_date == date(2025, 3, 5) and slip.total_uppercase == "叁仟壹佰元整"
    second = document.slip({**VOUCHER, "number": "记-2025-03-0002"}, lambda code: names.get(code, ""))
    content = pdf_file.render_slips([slip, second], [("账套 Book", "b1")], "b1 账套")
    assert pdf_pages(content) == 2
    text = pdf_text(content)
    for words in ("记账凭证", "2025 年 03 月 05 日", "记-2025-03-0001", "记-2025-03-0002", "租赁收入", "501.01",
                  "借方金额", "贷方金额", "人民币（大写）叁仟壹佰元整", "附件 2 张", "会计主管", "记账", "审核",
                  "制单：acc-c1", "3,100.00"):
        assert words in text, words
    assert ink_fraction(first_page_png(content)) > 0.005


def test_a_missing_pdf_font_is_a_clear_problem(monkeypatch):
    monkeypatch.setenv("ANJU_PDF_FONT", "/nonexistent/font.ttc")
    with pytest.raises(ApiProblem) as raised:
        pdf_file.render(trial_balance_sheet())
    assert raised.value.status == 503 and raised.value.type_slug == "pdf-font-missing"
    assert "/nonexistent/font.ttc" in raised.value.detail


def test_text_with_control_characters_still_renders_in_every_format():
    """A path may carry a control character the JSON kept (found by the schema fuzz suite)."""
    sheet = trial_balance_sheet()
    sheet.rows[0][1] = "银行\x07存款"
    sheet.header.append(("乡镇 Township", "t\x01"))
    _, rows = workbook_rows(xlsx_file.render(sheet))
    _, body = table(rows, "科目编码")
    assert body[0][1].value == "银行\ufffd存款"
    assert "银行" in pdf_text(pdf_file.render(sheet))
    assert csv_rows(csv_file.render(sheet))[1][1] == "银行\x07存款"


def test_pdf_amounts_stay_on_one_line_beside_long_column_headers():
    """A consolidated statement has a long header per community: figures must still print whole."""
    from api.exports.tables import AMOUNT, TEXT, Column

    names = [f"c00{n} 阳光安置社区股份经济合作社（第{n}社区）" for n in range(1, 5)]
    columns = (Column("item", "项目", kind=TEXT),) + tuple(Column(f"c{n}", name, kind=AMOUNT)
                                                         for n, name in enumerate(names))
    rows = [["货币资金"] + [Decimal("123456789.01") * (n + 1) for n in range(4)],
            ["生产性生物资产净值"] + [Decimal("0.00")] * 4]
    sheet = document.Sheet("乡镇汇总资产负债表", "Township consolidated balance sheet", [("截至 As of", "2025-12-31")],
                           columns, rows, None, [], [], None)
    text = pdf_text(pdf_file.render(sheet))
    for figure in ("123,456,789.01", "246,913,578.02", "370,370,367.03", "493,827,156.04", "生产性生物资产净值"):
        assert figure in text, figure
