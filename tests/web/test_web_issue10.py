"""The page's views of issue 10 in a real browser: the township's consolidated statements with the API's
exports, the auditor's as-recorded trial balance and checkpoints, and an accountant's roster import.

The same served app as tests/web/test_web_page.py (tests/web/conftest.py): township t1 holds c1, c2 and
c4 (books b1, b2, b4), township t2 holds c3 (b3).
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import httpx
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.conftest import voucher_body
from tests.web.conftest import sign_in


def keep_screenshot(page, name: str) -> None:
    """With ANJU_WEB_SCREENSHOTS=<folder>, keep a full-page screenshot (as tests/web/test_web_page.py does)."""
    folder = os.environ.get("ANJU_WEB_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_township_office_sees_the_consolidated_balance_sheet_and_downloads_it_as_xlsx(page, served, tmp_path):
    sign_in(page, served.tokens["township-t1"])
    page.get_by_role("navigation").get_by_role("link", name="汇总报表").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("乡镇汇总报表")
    page.get_by_label("截至日期").fill("2025-12-31")
    page.get_by_role("button", name="查询").click()
    table = page.locator("table.consolidated")
    head = table.locator("thead th")
    expect(head).to_have_count(6)  # item, three communities, township total, township total (opening)
    for community in ("c1", "c2", "c4"):
        expect(table.locator("thead")).to_contain_text(community)
    expect(table.locator("thead")).not_to_contain_text("c3")
    sheet = served.get("township-t1", "/townships/t1/statements/balance-sheet", as_of="2025-12-31")
    assets = next(x for x in sheet["total"]["totals"] if x["key"] == "assets")
    row = table.locator("tr[data-key=assets]")
    shown = row.locator("td.total").inner_text()
    assert Decimal(shown.replace(",", "")) == Decimal(assets["closing"])
    per_community = [Decimal(x.replace(",", "")) for x in row.locator("td").all_inner_texts()[:3]]
    assert sum(per_community) == Decimal(assets["closing"])
    expect(row.locator("td").first).to_have_class("num")  # amounts right-aligned

    keep_screenshot(page, "township-balance-sheet")
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 XLSX").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / "township.xlsx"
    download.save_as(saved)
    workbook = load_workbook(saved)
    cells = [[c for c in r] for r in workbook.active.iter_rows(values_only=True)]
    header = next(r for r in cells if r and r[0] == "项目")
    assert "乡镇合计（期末）" in header and sum(1 for h in header if h and str(h).startswith("c")) == 3
    total_column = header.index("乡镇合计（期末）")
    assets_row = next(r for r in cells if r and r[0] == assets["name_zh"])
    assert Decimal(str(assets_row[total_column])).quantize(Decimal("0.01")) == Decimal(shown.replace(",", ""))
    expect(page.locator(".export-status")).to_contain_text(".xlsx")
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 PDF").click()
    pdf = tmp_path / "township.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # The other township is not offered, and asking for it by address is the API's refusal.
    options = page.get_by_label("乡镇").locator("option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_attribute("value", "t1")
    page.goto("/#/township/statements?township=t2&as_of=2025-12-31")
    expect(page.locator("table.consolidated thead")).not_to_contain_text("c3")
    with httpx.Client(base_url=served.url, headers={"Authorization": f"Bearer {served.tokens['township-t1']}"}) as client:
        assert client.get("/townships/t2/statements/balance-sheet", params={"format": "xlsx"}).status_code == 403


def test_auditor_views_the_trial_balance_as_recorded_then_and_seals_a_checkpoint(page, served):
    recorded_at = served.log_head()
    served.post("acc-c4", "/books/b4/vouchers", voucher_body("2025-01-20", "450.00", credit="503", summary="补记一月补贴"))
    sign_in(page, served.tokens["auditor"])
    page.get_by_role("navigation").get_by_role("link", name="按当时记录").click()
    # The click changes the address; the view is drawn on the hashchange that follows, so wait for it
    # (else the events page, still shown for that moment, has a 账套 select of its own).
    expect(page.get_by_role("heading", level=1)).to_have_text("按当时记录的科目余额表")
    page.get_by_label("账套", exact=True).select_option("b4")
    page.get_by_label("截至日期").fill("2025-01-31")
    page.get_by_label("记录截至", exact=False).fill(str(recorded_at))
    page.get_by_role("button", name="查询").click()
    api = served.get("auditor", "/audit/books/b4/trial-balance", as_of="2025-01-31", as_recorded_at=str(recorded_at))
    cash = next(d for d in api["differences"] if d["account_code"] == "102")
    differences = page.locator("table.differences")
    expect(differences.locator("tr", has=page.locator("td", has_text="102")).first).to_contain_text("450.00")
    assert cash["difference"]["closing_balance"] == "450.00"
    changes = page.locator("table.changes tbody tr")
    expect(changes).to_have_count(len(api["changes"]))
    expect(changes.first).to_contain_text("补记一月补贴")
    expect(page.locator("table.as-recorded")).to_contain_text("1,200.00")
    expect(page.locator("table.as-recorded")).to_contain_text("1,650.00")
    keep_screenshot(page, "as-recorded")

    # The voucher recorded in between opens its history: who, when, why, key and link, states before and after.
    number = api["changes"][0]["number"]
    changes.first.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("聚合历史")
    found = served.get("auditor", "/audit/history", book="b4", kind="voucher", id=number)
    events = page.locator("table.history tbody tr")
    expect(events).to_have_count(len(found["events"]))
    expect(events.first).to_contain_text("acc-c4（会计）")
    expect(events.first).to_contain_text("补记一月补贴")
    expect(events.first.locator("code.hash").first).to_have_attribute("title", found["events"][0]["idempotency_key"])
    events.first.locator("details").last.locator("summary").click()
    expect(events.first.locator("pre.state").last).to_contain_text(number)

    page.get_by_role("navigation").get_by_role("link", name="封存点").click()
    before = len(served.get("auditor", "/audit/checkpoints")["checkpoints"])
    page.get_by_label("原因", exact=False).first.fill("2025年1月审计后封存")
    page.get_by_label("同时封存科目余额表", exact=False).select_option("b4")
    page.get_by_label("该表截至日期").fill("2025-01-31")
    page.get_by_role("button", name="封存链头").click()
    expect(page.locator(".notice.ok")).to_contain_text("已封存第")
    checkpoints = served.get("auditor", "/audit/checkpoints")["checkpoints"]
    assert len(checkpoints) == before + 1
    latest = max(checkpoints, key=lambda c: c["number"])
    assert latest["reason"] == "2025年1月审计后封存" and latest["statement"]["book_code"] == "b4"
    expect(page.locator(".notice.ok")).to_contain_text(f"{latest['head_position']}:{latest['head_link']}")
    expect(page.locator("table.checkpoints")).to_contain_text(latest["head_link"])
    idempotency = [r.headers.get("idempotency-key") for r in page.guard.requests
                   if r.method == "POST" and r.url.endswith("/audit/checkpoints")]
    assert len(idempotency) == 1 and idempotency[0]
    page.get_by_role("navigation").get_by_role("link", name="校验哈希链").click()
    page.get_by_role("button", name="开始校验").click()
    expect(page.locator(".verdict")).to_have_text("✓ 校验通过：历史未被篡改")
    expect(page.locator(".verify-result")).to_contain_text(latest["head_link"])


def _tenants_csv(served, rows: list[list[str]]) -> bytes:
    with served.client("acc-c1") as client:
        template = client.get("/imports/templates/tenants.csv", params={"example": "false"})
    assert template.status_code == 200, template.text
    header = template.content.decode("utf-8-sig").splitlines()[0]
    return ("\ufeff" + "\r\n".join([header, *(",".join(r) for r in rows)]) + "\r\n").encode()


def test_accountant_uploads_a_roster_with_errors_then_the_corrected_file(page, served, tmp_path):
    with served.client("acc-c1") as client:
        kinds = {k["kind"]: k for k in client.get("/imports/kinds").json()["kinds"]}
    keys = [c["key"] for c in kinds["tenants"]["columns"]]
    good = {"tenant_code": "T9", "name": "李四五金店", "kind": "business", "contact": "13900000000"}

    def row(**values):
        return [values.get(key, good.get(key, "")) for key in keys]

    bad = _tenants_csv(served, [row(), row(tenant_code="T10", kind="nonsense"), row(tenant_code="T1", name="重复")])
    fixed = _tenants_csv(served, [row(), row(tenant_code="T10", name="王五茶馆"), row(tenant_code="T11", name="赵六面馆")])
    tenants_before = served.get("acc-c1", "/books/b1/tenants")["tenants"]
    head_before = served.log_head()

    sign_in(page, served.tokens["acc-c1"])
    page.get_by_role("navigation").get_by_role("link", name="导入").click()
    page.get_by_label("导入种类").select_option("tenants")
    with page.expect_download() as info:
        page.get_by_role("button", name="承租人 模板（XLSX）").click()
    assert info.value.suggested_filename == "anju-tenants.xlsx"
    template_file = tmp_path / info.value.suggested_filename
    info.value.save_as(template_file)
    template = load_workbook(template_file).worksheets[0]
    assert "承租人编号 tenant_code" in [c.value for c in next(template.iter_rows(max_row=1))]
    page.get_by_label("文件（XLSX 或 CSV）").set_input_files({"name": "tenants.csv", "mimeType": "text/csv", "buffer": bad})
    page.get_by_role("button", name="上传并导入").click()
    errors = page.locator("table.import-errors tbody tr")
    expect(page.locator(".notice.bad")).to_contain_text("整份未导入")
    with served.client("acc-c1") as client:
        answer = client.post("/books/b1/imports/tenants", content=bad, headers={"Content-Type": "text/csv",
                                                                                "Idempotency-Key": "probe-bad-file"})
    assert answer.status_code == 422
    listed = answer.json()["errors"]
    assert {e["row"] for e in listed} == {3, 4}
    expect(errors).to_have_count(len(listed))
    for item in listed:
        expect(page.locator("table.import-errors")).to_contain_text(item["message"])
    keep_screenshot(page, "import-errors")
    assert served.get("acc-c1", "/books/b1/tenants")["tenants"] == tenants_before
    assert served.log_head() == head_before  # nothing recorded

    page.get_by_label("文件（XLSX 或 CSV）").set_input_files({"name": "tenants-fixed.csv", "mimeType": "text/csv", "buffer": fixed})
    page.get_by_role("button", name="上传并导入").click()
    expect(page.locator(".notice.ok")).to_contain_text("新记录 3 行")
    codes = {t["tenant_code"] for t in served.get("acc-c1", "/books/b1/tenants")["tenants"]}
    assert {"T9", "T10", "T11"} <= codes
    keys_sent = [r.headers.get("idempotency-key") for r in page.guard.requests
                 if r.method == "POST" and "/imports/" in r.url]
    assert len(keys_sent) == 2 and all(keys_sent) and keys_sent[0] != keys_sent[1]


def test_accountant_enters_opening_balances_that_then_open_the_trial_balance(page, served):
    sign_in(page, served.tokens["acc-c4"])
    page.get_by_role("navigation").get_by_role("link", name="期初余额").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("期初余额")
    page.get_by_label("第 1 行 科目编码").fill("101")
    page.get_by_label("第 1 行 借方").fill("1,000.00")
    page.get_by_label("第 2 行 科目编码").fill("211")
    page.get_by_label("第 2 行 贷方").fill("900.00")
    head_before = served.log_head()
    page.get_by_role("button", name="保存期初余额").click()
    expect(page.locator(".notice.bad")).to_contain_text("期初余额借贷不平衡")
    assert served.get("acc-c4", "/books/b4/opening-balances")["lines"] == []
    assert served.log_head() == head_before
    page.get_by_label("第 2 行 贷方").fill("1000")
    page.get_by_role("button", name="保存期初余额").click()
    expect(page.locator(".notice.ok")).to_have_text("已保存期初余额：借方 1,000.00，贷方 1,000.00。")
    expect(page.locator("table.opening tfoot")).to_contain_text("1,000.00")
    entered = served.get("acc-c4", "/books/b4/opening-balances")
    assert entered["balanced"] and entered["total_debit"] == "1000.00"
    keys = [r.headers.get("idempotency-key") for r in page.guard.requests
            if r.method == "POST" and r.url.endswith("/opening-balances")]
    assert len(keys) == 2 and all(keys)
    page.goto("/#/b/b4/trial-balance?as_of=2025-01-31")
    cash = page.locator("table.report tbody tr", has=page.locator("td", has_text="库存现金"))
    expect(cash.locator("td").nth(2)).to_have_text("1,000.00")  # 期初借方


UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map((el) => el.outerHTML)"""


def test_the_new_views_label_every_field_and_speak_english_on_the_switch(page, served):
    for who, routes in (("acc-c4", ("/#/b/b4/imports", "/#/b/b4/opening-balances")),
                        ("auditor", ("/#/audit/history", "/#/audit/as-recorded", "/#/audit/checkpoints", "/#/verify",
                                     "/#/township/statements?statement=overview"))):
        sign_in(page, served.tokens[who])
        for route in routes:
            page.goto(route)
            expect(page.locator("main h1")).to_be_visible()
            page.wait_for_load_state("networkidle")
            assert page.evaluate(UNLABELLED) == [], route
    page.goto("/#/township/statements?township=t1&statement=income&as_of=2025-12-31")
    expect(page.locator("table.consolidated tr[data-key=net_income] td.total")).to_be_visible()
    page.get_by_role("button", name="切换到英文界面").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Township consolidated statements")
    expect(page.get_by_role("button", name="Download XLSX")).to_be_visible()
    expect(page.locator("table.consolidated thead")).to_contain_text("Township total")
    page.get_by_role("button", name="切换到中文界面 Switch to Chinese").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("乡镇汇总报表")


def test_every_statement_views_download_buttons_answer_a_file(page, served):
    """Each view's buttons ask an exportable route (a route without a declaration would answer 406)."""
    voucher = served.get("acc-c1", "/books/b1/vouchers", month="2025-01")["vouchers"][0]["number"]
    sign_in(page, served.tokens["acc-c1"])
    for route in ("/#/b/b1/trial-balance?as_of=2025-03-31", "/#/b/b1/ledger/102?as_of=2025-03-31",
                  "/#/b/b1/balance-sheet?as_of=2025-03-31", "/#/b/b1/income?as_of=2025-03-31",
                  "/#/b/b1/rent-roll?as_of=2025-03-31", "/#/b/b1/arrears?as_of=2025-04-30", "/#/b/b1/tenants",
                  "/#/b/b1/tenants/T1?as_of=2025-04-30", "/#/b/b1/vouchers?month=2025-01",
                  f"/#/b/b1/vouchers/{voucher}"):
        page.goto(route)
        expect(page.locator("main h1")).to_be_visible()
        with page.expect_download() as info:
            page.get_by_role("button", name="下载 CSV").click()
        assert info.value.suggested_filename.endswith(".csv"), route
        expect(page.locator(".export-status")).to_contain_text("已下载", timeout=10_000)
        assert not page.locator(".notice.bad").count(), route
    sign_in(page, served.tokens["township-t1"])
    page.goto("/#/claims")
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 XLSX").click()
    assert info.value.suggested_filename.endswith(".xlsx")
