"""The web page (issue 12) in a real browser: Debian's Chromium driven by Playwright.

These tests need only SQLite: they test the page, not the store (the store's behaviour is
tested on SQLite and PostgreSQL by the other suites). One app is served for the whole module
(tests/web/conftest.py) on a temporary store holding townships t1 (communities c1, c2) and t2
(c3); every page runs with the network closed to anything but the app.
"""

from __future__ import annotations

import os
import random
import re
from decimal import Decimal
from pathlib import Path

import httpx
from playwright.sync_api import expect

from ledger.money import uppercase_amount
from tests.conftest import voucher_body
from tests.web.conftest import sign_in

VOUCHER_FORM = "/#/b/b1/voucher/new"
DOMAIN_VECTORS = {  # DOMAIN.md §1
    "1409.50": "壹仟肆佰零玖元伍角整", "6007.14": "陆仟零柒元壹角肆分", "16409.02": "壹万陆仟肆佰零玖元零贰分",
    "325.04": "叁佰贰拾伍元零肆分", "100.00": "壹佰元整", "0.05": "伍分", "10.00": "壹拾元整",
    "107000.53": "壹拾万柒仟元零伍角叁分", "1680.32": "壹仟陆佰捌拾元零叁角贰分",
}


def vouchers_of(served, month: str, book: str = "b1") -> list[dict]:
    return served.get("acc-c1", f"/books/{book}/vouchers", month=month)["vouchers"]


def fill_line(page, n: int, account: str, debit: str = "", credit: str = "") -> None:
    page.get_by_label(f"第 {n} 行 科目").fill(account)
    page.get_by_label(f"第 {n} 行 借方金额").fill(debit)
    page.get_by_label(f"第 {n} 行 贷方金额").fill(credit)


def open_voucher_form(page, served, day: str, summary: str) -> None:
    sign_in(page, served.tokens["acc-c1"])
    page.goto(VOUCHER_FORM)
    page.get_by_label("凭证日期").fill(day)
    page.get_by_label("摘要").fill(summary)


def test_accountant_records_a_balanced_voucher_and_sees_it_in_the_trial_balance(page, served):
    before = {r["account_code"]: r for r in served.get("acc-c1", "/books/b1/trial-balance", as_of="2025-05-31")["rows"]}
    sign_in(page, served.tokens["acc-c1"])
    expect(page.get_by_role("heading", level=1)).to_have_text("b1 股份经济合作社")  # one book: its start page
    page.get_by_role("navigation").get_by_role("link", name="记账").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("记账凭证")
    page.get_by_label("凭证日期").fill("2025-05-10")
    page.get_by_label("摘要").fill("收五月门面租金")
    page.get_by_label("附件张数").fill("2")
    account = page.get_by_label("第 1 行 科目")
    account.fill("银行")  # account search by name, chosen with the keyboard
    expect(page.get_by_role("option", name="102 银行存款")).to_be_visible()
    account.press("ArrowDown")
    account.press("Enter")
    expect(account).to_have_value("102")
    expect(page.locator(".account-name").first).to_have_text("银行存款")
    page.get_by_label("第 1 行 借方金额").fill("1,234.56")
    expect(page.locator(".balance-status")).to_contain_text("借贷不平衡，差额 1,234.56")
    page.get_by_label("第 2 行 科目").fill("501")  # a parent account: its postable children are suggested
    expect(page.get_by_role("option", name="501.01 租赁收入")).to_be_visible()
    page.get_by_role("option", name="501.01 租赁收入").click()
    page.get_by_label("第 2 行 贷方金额").fill("1234.56")
    expect(page.locator(".balance-status")).to_have_text("✓ 借贷平衡")
    expect(page.locator("output.in-words")).to_have_text("壹仟贰佰叁拾肆元伍角陆分")
    page.get_by_role("button", name="记账", exact=True).click()
    expect(page.locator(".notice.ok")).to_contain_text("已记账：记-2025-05-0001")
    expect(page.get_by_label("摘要")).to_have_value("")  # a fresh form (with a fresh Idempotency-Key)

    page.get_by_role("navigation").get_by_role("link", name="科目余额表").click()
    page.get_by_label("截至日期").fill("2025-05-31")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("科目余额表")
    expect(page.locator(".view-head .sub")).to_contain_text("2025-01-01 至 2025-05-31")
    row = page.locator("tbody tr", has=page.locator("td", has_text="501.01"))
    after = {r["account_code"]: r for r in served.get("acc-c1", "/books/b1/trial-balance", as_of="2025-05-31")["rows"]}
    assert Decimal(after["102"]["period_debit"]) - Decimal(before["102"]["period_debit"]) == Decimal("1234.56")
    expect(row.locator("td").nth(5)).to_have_text(f"{Decimal(after['501.01']['period_credit']):,.2f}")
    expect(page.locator("tbody tr", has=page.locator("td", has_text="102")).first.locator("td").nth(4)).to_have_text(
        f"{Decimal(after['102']['period_debit']):,.2f}")
    expect(page.locator(".balance-status")).to_contain_text("试算平衡")
    page.get_by_role("link", name="102", exact=True).click()  # the account's detail ledger
    expect(page.get_by_role("heading", level=1)).to_have_text("明细账 · 102 银行存款")
    expect(page.locator("tbody")).to_contain_text("记-2025-05-0001")
    recorded = served.get("acc-c1", "/books/b1/vouchers/记-2025-05-0001")
    assert recorded["summary"] == "收五月门面租金" and recorded["attachments"] == 2
    assert recorded["total_uppercase"] == "壹仟贰佰叁拾肆元伍角陆分"


def test_an_unbalanced_voucher_shows_the_error_next_to_the_totals_and_records_nothing(page, served):
    open_voucher_form(page, served, "2025-05-12", "不平衡的凭证")
    fill_line(page, 1, "102", debit="100.00")
    fill_line(page, 2, "504", credit="90.00")
    expect(page.locator(".balance-status")).to_contain_text("借贷不平衡，差额 10.00")
    head, count = served.log_head(), len(vouchers_of(served, "2025-05"))
    page.get_by_role("button", name="记账", exact=True).click()
    totals_error = page.locator(".totals-field .error")
    expect(totals_error).to_have_text("借贷不平衡：借方合计必须等于贷方合计。")
    expect(page.locator(".form-problem")).to_contain_text("借贷不平衡")
    assert served.log_head() == head and len(vouchers_of(served, "2025-05")) == count

    # An amount with three decimals is marked as typed, and the API's rejection lands on that field.
    page.get_by_label("第 2 行 贷方金额").fill("100.001")
    amount_field = page.locator(".field", has=page.get_by_label("第 2 行 贷方金额"))
    expect(amount_field.locator(".error")).to_contain_text("金额格式不正确")
    page.get_by_role("button", name="记账", exact=True).click()
    expect(page.locator(".form-problem")).to_have_text("填写内容有误，请检查标出的栏目。")
    expect(amount_field.locator(".error")).to_contain_text("金额格式不正确")
    expect(page.get_by_label("第 2 行 贷方金额")).to_have_attribute("aria-invalid", "true")

    # A parent account is refused by the API next to its line's account field.
    page.get_by_label("第 2 行 贷方金额").fill("100.00")
    page.get_by_label("第 2 行 科目").fill("501")
    page.get_by_label("摘要").click()
    page.get_by_role("button", name="记账", exact=True).click()
    account_field = page.locator(".field", has=page.get_by_label("第 2 行 科目"))
    expect(account_field.locator(".error")).to_have_text("这是上级科目，只能记入末级（明细）科目。")
    assert served.log_head() == head and len(vouchers_of(served, "2025-05")) == count


def test_a_double_click_on_submit_records_once(page, served):
    open_voucher_form(page, served, "2025-05-20", "双击测试")
    fill_line(page, 1, "101", debit="77.70")
    fill_line(page, 2, "504", credit="77.70")
    count = len(vouchers_of(served, "2025-05"))
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    page.get_by_role("button", name="记账", exact=True).dblclick()
    expect(page.locator(".notice.ok")).to_contain_text("已记账")
    page.wait_for_timeout(300)
    assert len(vouchers_of(served, "2025-05")) == count + 1
    keys = {request.headers.get("idempotency-key") for request in posts}
    assert len(keys) == 1 and None not in keys  # one form, one key: a resubmission would replay, not record
    page.get_by_role("navigation").get_by_role("link", name="凭证").click()
    page.get_by_label("月份").select_option("2025-05")
    expect(page.locator("tbody tr", has_text="双击测试")).to_have_count(1)


def test_reverse_a_voucher_with_a_reason(page, served):
    original = served.post("acc-c1", "/books/b1/vouchers", voucher_body("2025-06-03", "880.00", summary="误记的租金"))
    sign_in(page, served.tokens["acc-c1"])
    page.goto(f"/#/b/b1/vouchers/{original['number']}")
    expect(page.locator(".voucher-print")).to_contain_text("捌佰捌拾元整")
    page.get_by_label("红字凭证日期").fill("2025-06-30")
    page.get_by_role("button", name="红字冲销").click()
    expect(page.locator(".field", has=page.get_by_label("冲销原因")).locator(".error")).to_have_text("必填。")
    assert served.get("acc-c1", f"/books/b1/vouchers/{original['number']}")["reversed_by"] is None
    page.get_by_label("冲销原因").fill("金额录错，冲销重做")
    page.get_by_role("button", name="红字冲销").click()
    expect(page.locator(".notice.ok")).to_contain_text("已冲销：红字凭证 记-2025-06-")
    expect(page.locator(".voucher-print")).to_contain_text(f"本凭证冲销 {original['number']}")
    expect(page.locator(".voucher-print")).to_contain_text("负捌佰捌拾元整")
    reversed_original = served.get("acc-c1", f"/books/b1/vouchers/{original['number']}")
    red = served.get("acc-c1", f"/books/b1/vouchers/{reversed_original['reversed_by']}")
    assert red["reverses"] == original["number"] and red["reason"] == "金额录错，冲销重做"
    assert red["voucher_date"] == "2025-06-30"
    page.goto(f"/#/b/b1/vouchers/{original['number']}")
    expect(page.locator(".voucher-print")).to_contain_text(f"本凭证已被 {red['number']} 冲销")
    expect(page.get_by_role("button", name="红字冲销")).to_have_count(0)  # once only


def test_month_close_in_order(page, served):
    sign_in(page, served.tokens["acc-c1"])
    page.goto("/#/b/b1/periods")
    month = page.get_by_label("结账月份（YYYY-MM）")
    expect(month).to_have_value("2025-01")
    month.fill("2025-13")  # not a month: refused on the page, before anything is sent
    page.get_by_role("button", name="结账", exact=True).click()
    expect(page.locator(".field", has=month).locator(".error")).to_have_text("请填写有效日期。")
    expect(month).to_have_attribute("aria-invalid", "true")
    month.fill("2025-03")
    page.get_by_role("button", name="结账", exact=True).click()
    expect(page.locator(".field", has=month).locator(".error")).to_have_text("须按月份顺序结账：请先结上一个月。")
    month.fill("2025-01")
    page.get_by_role("button", name="结账", exact=True).click()
    expect(page.locator(".notice.ok")).to_have_text("已结账 2025-01")
    expect(page.get_by_label("结账月份（YYYY-MM）")).to_have_value("2025-02")
    assert {"month": "2025-01", "closed": True}.items() <= served.get("acc-c1", "/books/b1/periods")["periods"][0].items()
    # A voucher dated in the closed month is refused next to its date.
    open_voucher_form(page, served, "2025-01-20", "结账后补记")
    fill_line(page, 1, "102", debit="10.00")
    fill_line(page, 2, "504", credit="10.00")
    page.get_by_role("button", name="记账", exact=True).click()
    expect(page.locator(".field", has=page.get_by_label("凭证日期")).locator(".error")).to_have_text(
        "该月已结账，不能记入；更正请记入未结账的当前月份。")


def test_township_office_sees_its_communities_side_by_side_and_no_other(page, served):
    sign_in(page, served.tokens["township-t1"])
    expect(page.get_by_role("heading", level=1)).to_have_text("辖区社区")
    page.get_by_label("截至日期").fill("2025-12-31")
    page.get_by_role("button", name="查询").click()
    table = page.locator("table.township")
    expect(table.locator("thead th")).to_have_count(5)  # figure, b1, b2, b4, township total
    expect(table.locator("thead")).to_contain_text("社区 c1")
    expect(table.locator("thead")).to_contain_text("社区 c2")
    expect(table.locator("thead")).not_to_contain_text("c3")
    cash = table.locator("tbody tr", has=page.locator("th", has_text="货币资金"))
    expect(cash.locator("td").nth(1)).to_have_text("8,000.00")  # b2: one subsidy voucher
    assert [b["book_code"] for b in served.get("township-t1", "/books")["books"]] == ["b1", "b2", "b4"]
    expect(page.get_by_role("navigation").get_by_role("link", name="记账")).to_have_count(0)  # township reads only
    page.goto("/#/b/b3/trial-balance")
    expect(page.locator(".notice.bad")).to_have_text("不在本令牌的管辖范围内。")


def test_township_office_approves_one_claim_and_returns_another_with_a_reason(page, served):
    sign_in(page, served.tokens["township-t1"])
    page.get_by_role("navigation").get_by_role("link", name="补贴申领").click()
    table = page.locator("table")
    expect(table.locator("tbody tr")).to_have_count(2)
    page.get_by_role("row", name="2025-02").get_by_role("button", name="退回").click()
    reason = page.get_by_label("2025-02 退回原因")
    expect(page.locator(".field", has=reason).locator(".error")).to_have_text("必填。")
    reason.fill("请补充住户 SH1 的面积测绘")
    page.get_by_role("row", name="2025-02").get_by_role("button", name="退回").click()
    expect(page.locator(".notice.ok")).to_have_text("已退回 2025-02")
    page.get_by_role("row", name="2025-01").get_by_role("button", name="审核通过").click()
    expect(page.locator(".notice.ok")).to_have_text("已审核通过 2025-01")
    expect(page.get_by_role("row", name="2025-01")).to_contain_text("已通过")
    expect(page.get_by_role("row", name="2025-02")).to_contain_text("已退回：请补充住户 SH1 的面积测绘")
    expect(page.get_by_role("button", name="审核通过")).to_have_count(0)
    claims = {c["claim_code"]: c for c in served.get("township-t1", "/townships/t1/subsidy-claims")["claims"]}
    assert claims["2025-01"]["status"] == "approved" and claims["2025-02"]["status"] == "returned"
    assert claims["2025-02"]["returned_reason"] == "请补充住户 SH1 的面积测绘"


def test_auditor_sees_the_event_history_and_verifies_the_chain(page, served):
    sign_in(page, served.tokens["auditor"])
    expect(page.get_by_role("heading", level=1)).to_have_text("事件历史")
    page.goto("/#/events?after=0")
    table = page.locator("table.events")
    expect(table).to_contain_text("acc-c1（会计）")
    expect(table).to_contain_text("一月门面租金")
    first = served.get("auditor", "/events", after=0, limit=1)["events"][0]
    expect(table.locator("tbody tr").first.locator("code.hash")).to_have_attribute("title", first["chain_link"])
    page.get_by_role("navigation").get_by_role("link", name="校验哈希链").click()
    page.get_by_role("button", name="开始校验").click()
    expect(page.locator(".verdict")).to_have_text("✓ 校验通过：历史未被篡改")
    report = served.get("auditor", "/audit/verify")
    expect(page.locator(".verify-result")).to_contain_text(report["head_link"])
    expect(page.locator(".verify-result dd").first).not_to_have_text("0")


def test_reports_and_leases_views_show_the_api_figures(page, served):
    sign_in(page, served.tokens["acc-c1"])
    sheet = served.get("acc-c1", "/collective/organisations/b1/statements/balance-sheet", as_of="2025-03-31")
    page.goto("/#/b/b1/balance-sheet?as_of=2025-03-31")
    expect(page.locator(".balance-status")).to_have_text("✓ 资产总计 = 负债和所有者权益总计")
    assets = next(t for t in sheet["totals"] if t["key"] == "assets")
    expect(page.locator(".in-words")).to_contain_text(assets["closing_uppercase"])
    page.goto("/#/b/b1/income?as_of=2025-03-31")
    expect(page.get_by_role("heading", level=1)).to_have_text("收益及收益分配表")
    expect(page.locator("table")).to_contain_text("四、净收益")
    page.goto("/#/b/b1/rent-roll?as_of=2025-03-31")
    expect(page.locator("table")).to_contain_text("张三便利店 (T1)")
    expect(page.locator("table")).to_contain_text("3,100.00")
    page.goto("/#/b/b1/arrears?as_of=2025-03-31")
    aging = served.get("acc-c1", "/books/b1/arrears-aging", as_of="2025-03-31")
    expect(page.locator("tfoot")).to_contain_text(f"{Decimal(aging['total']):,.2f}")
    page.get_by_role("link", name="张三便利店 (T1)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("承租人对账单 · 张三便利店")
    expect(page.locator("table").first).to_contain_text("T1-R")  # the receipt of 10 February


def test_the_pages_uppercase_rule_matches_the_api_on_the_domain_vectors(page, served):
    amounts = list(DOMAIN_VECTORS)
    batch = served.post("acc-c1", "/books/b1/voucher-batches", {"vouchers": [
        voucher_body("2025-07-01", amount, credit="504", summary=f"大写 {amount}") for amount in amounts]})
    from_api = {r["voucher"]["total"]: r["voucher"]["total_uppercase"] for r in batch["results"]}
    assert from_api == DOMAIN_VECTORS
    rng = random.Random(52)
    sample = [f"{rng.randint(0, 10 ** rng.randint(1, 12))}.{rng.randint(0, 99):02d}" for _ in range(400)]
    sample += ["0.00", "-1409.50", "100000000.00", "1000000001.01", "999999999999.99", "20000.20", "100.10"]
    page.goto("/")
    in_page = page.evaluate("""async (amounts) => {
        const money = await import('/web/js/money.js');
        return amounts.map((a) => money.uppercaseAmount(a));
    }""", amounts + sample)
    assert dict(zip(amounts, in_page[:len(amounts)])) == from_api
    assert in_page[len(amounts):] == [uppercase_amount(Decimal(a)) for a in sample]


def test_screenshots_of_the_voucher_form_and_the_trial_balance(page, phone_page, served, tmp_path):
    """Saves PNGs (into $ANJU_WEB_SCREENSHOTS, else the test's temporary folder) to look at."""
    folder = Path(os.environ.get("ANJU_WEB_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    open_voucher_form(page, served, "2025-08-08", "收八月门面租金及物业服务费")
    page.get_by_role("button", name="添加分录").click()
    fill_line(page, 1, "102", debit="3,720.00")
    fill_line(page, 2, "501.01", credit="3100.00")
    fill_line(page, 3, "501.02", credit="620.00")
    page.get_by_label("第 2 行 辅助核算").fill("tenant:T1")
    expect(page.locator(".balance-status")).to_have_text("✓ 借贷平衡")
    expect(page.locator("output.in-words")).to_have_text("叁仟柒佰贰拾元整")
    page.screenshot(path=str(folder / "voucher-form.png"), full_page=True)
    page.goto("/#/b/b1/trial-balance?as_of=2025-06-30")
    expect(page.locator(".balance-status")).to_contain_text("试算平衡")
    page.screenshot(path=str(folder / "trial-balance.png"), full_page=True)

    sign_in(phone_page, served.tokens["acc-c1"])
    phone_page.goto(VOUCHER_FORM)
    expect(phone_page.get_by_label("第 1 行 借方金额")).to_be_visible()
    phone_page.screenshot(path=str(folder / "voucher-form-phone.png"), full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone_page.goto("/#/b/b1/trial-balance?as_of=2025-06-30")
    expect(phone_page.locator(".balance-status")).to_contain_text("试算平衡")
    phone_page.screenshot(path=str(folder / "trial-balance-phone.png"), full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # the table scrolls in its box
    print(f"screenshots in {folder}")


def test_every_field_has_a_label_and_the_page_speaks_english_on_the_switch(page, served):
    sign_in(page, served.tokens["acc-c1"])
    for route in ("/#/b/b1/voucher/new", "/#/b/b1/periods", "/#/b/b1/vouchers/记-2025-05-0001",
                  "/#/b/b1/trial-balance", "/#/b/b1/vouchers"):
        page.goto(route)
        expect(page.locator("main h1")).to_be_visible()
        page.wait_for_load_state("networkidle")
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
            .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
            .map((el) => el.outerHTML)""")
        assert unlabelled == [], route
    page.goto(VOUCHER_FORM)
    page.get_by_role("button", name="切换到英文界面").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a voucher")
    expect(page.get_by_label("Line 1 Debit")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="切换到中文界面 Switch to Chinese").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("记账凭证")


def test_a_wrong_token_is_refused_next_to_the_token_field(page, served):
    page.goto("/")
    token = page.get_by_label("访问令牌")
    token.fill("anju_not-a-real-token")
    token.press("Enter")
    expect(page.locator(".field", has=token).locator(".error")).to_have_text("令牌无效或已吊销，请重新登录。")
    assert page.evaluate("sessionStorage.getItem('anju.token')") is None
    sign_in(page, served.tokens["acc-c1"])
    assert page.evaluate("sessionStorage.getItem('anju.token')") == served.tokens["acc-c1"]
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_label("访问令牌")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('anju.token')") is None


def test_the_openapi_pages_render_with_the_network_closed(page, served):
    page.goto("/docs")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible(timeout=20_000)
    assert operations.count() > 50
    expect(page.locator(".opblock-summary-path", has_text="/books/{book_code}/vouchers").first).to_be_visible()
    expect(page.get_by_text("记账 Record a voucher").first).to_be_visible()
    # ReDoc's page loads only the app's assets too (its full render is slow; Swagger UI above is the one checked).
    html = httpx.get(f"{served.url}/redoc", timeout=10).text
    assert re.findall(r'(?:src|href)="([^"]+)"', html) == ["/docs-assets/favicon.png", "/docs-assets/redoc.standalone.js"]
    page.goto("/redoc", wait_until="load")
    assert not page.guard.outside  # nothing was even asked of the outside network


def test_a_paged_register_links_its_next_page_by_the_answers_cursor_and_back_to_the_first(page, served):
    """The tenants register is read 200 a page: the API's next cursor becomes the next page's link, that
    page asks the API from the cursor, and a page after the first links back to the first. (The scenario
    has a handful of tenants, so the first answer is given a next cursor.)"""
    sign_in(page, served.tokens["acc-c1"])
    asked = []

    def first_page_goes_on(route):
        asked.append(route.request.url)
        response = route.fetch()
        body = response.json()
        if "cursor=" not in route.request.url:
            body["next_cursor"] = body["tenants"][0]["tenant_code"]
        route.fulfill(response=response, json=body)

    page.route(re.compile(r"/books/b1/tenants\?"), first_page_goes_on)
    page.goto("/#/b/b1/tenants")
    expect(page.get_by_role("heading", level=1)).to_have_text("承租人")
    expect(page.locator("tbody")).to_contain_text("张三便利店")
    expect(page.locator(".pager").get_by_role("link", name="第一页")).to_have_count(0)
    page.locator(".pager").get_by_role("link", name="下一页").click()
    expect(page).to_have_url(re.compile(r"#/b/b1/tenants\?cursor=T1$"))
    expect(page.locator("tbody")).not_to_contain_text("张三便利店")  # the tenants after T1
    assert "cursor=T1" in asked[-1] and "limit=200" in asked[-1]
    expect(page.locator(".pager").get_by_role("link", name="下一页")).to_have_count(0)
    page.locator(".pager").get_by_role("link", name="第一页").click()
    expect(page).to_have_url(re.compile(r"#/b/b1/tenants$"))
    expect(page.locator("tbody")).to_contain_text("张三便利店")
