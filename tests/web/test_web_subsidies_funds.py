"""The property-fee subsidy (issue 8) and maintenance-fund (issue 9) views of the page, in Chromium.

Subsidies: the served scenario's household SH1 of book b1 (80 m² at 0.90, moved in 2019-06-20, extension
granted, billed 2025-01 to 2025-03, claims 2025-01 and 2025-02). Funds: one fund mf9 of community c9
(township t9, apart from the other tests' townships) is seeded here through the API: seven units, first
deposits, a fiscal contribution and 2016's interest, then a 2017 emergency use over building A larger than
some balances (so receivables), then 2017's interest. Every figure the page shows is compared with the
API's own answer to the same GET.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.conftest import issue_token
from tests.web.conftest import sign_in

FUND = "mf9"
F = f"/maintenance-funds/{FUND}"
UNITS = [
    ("A-1-101", "flat", "60.00", "A", "1", {"owner_id": "o1", "kind": "owner", "name": "王一"}),
    ("A-1-102", "flat", "40.00", "A", "1", {"owner_id": "o1", "kind": "owner", "name": "王一"}),
    ("A-1-201", "flat", "50.00", "A", "2", {"owner_id": "county-platform", "kind": "developer"}),
    ("A-S01", "shop_front", "30.00", "A", "", {"owner_id": "coll-c9", "kind": "collective", "name": "合作社"}),
    ("B-1-101", "flat", "100.00", "B", "1", {"owner_id": "o4", "kind": "owner", "name": "李四"}),
]


def first_cell_row(page, table, text: str):
    """The body row of ``table`` whose first cell reads exactly ``text``."""
    return table.locator("tbody tr").filter(has=page.locator("td:nth-child(1)", has_text=re.compile(f"^{re.escape(text)}$")))


def amount(text: str) -> str:
    """An API amount as the page shows it (money.js formatAmount: thousands separators, two decimals)."""
    return f"{Decimal(text):,.2f}"


@pytest.fixture(scope="module")
def fund(served) -> str:
    served.tokens["acc-c9"] = issue_token(served.runtime, "accountant", "community:c9", "acc-c9")
    served.tokens["township-t9"] = issue_token(served.runtime, "township", "township:t9", "township-t9")
    served.post("acc-c9", "/maintenance-funds", {
        "fund_code": FUND, "name": "九号安置区住宅专项维修资金", "community_id": "c9", "township_id": "t9",
        "opened_on": "2016-01-01", "deposit_standard_yuan_per_m2": "50.00"})
    served.post("acc-c9", F + "/units", {"registered_on": "2016-01-01", "units": [
        {"unit_id": u, "kind": k, "floor_area_m2": a, "building": b, "stairwell": s, "owner": o}
        for u, k, a, b, s, o in UNITS]})
    served.post("acc-c9", F + "/first-deposits", {"deposited_on": "2016-02-01", "reference": "首次交存"})
    served.post("acc-c9", F + "/contributions", {"received_on": "2016-03-01", "source": "fiscal",
                                                 "target": {"kind": "fund"}, "amount": "1400.00"})
    served.post("acc-c9", F + "/interest-allocations", {"period_from": "2016-01-01", "period_to": "2016-12-31",
                                                        "total": "280.00"})
    served.post("acc-c9", F + "/emergency-uses", {
        "works_code": "E1", "title": "A幢屋面渗漏抢修", "common_parts": "屋面", "emergency_type": "roof_leak",
        "authorised_by": "街道办事处", "scope": {"kind": "building", "building": "A"}, "contractor": "k-roof",
        "cost": "12000.00", "used_on": "2017-06-01"})
    served.post("acc-c9", F + "/interest-allocations", {"period_from": "2017-01-01", "period_to": "2017-12-31",
                                                        "total": "100.00"})
    return FUND


# --- property-fee subsidies --------------------------------------------------------------------------------
def test_household_register_and_schedule_show_the_apis_monthly_figures(page, served):
    sign_in(page, served.tokens["acc-c1"])
    page.goto("/#/b/b1")
    page.locator("#book-nav").get_by_role("link", name="住户与补贴").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("住户登记簿")
    register = served.get("acc-c1", "/books/b1/households")["households"]
    sh1 = next(h for h in register if h["household_id"] == "SH1")
    row = page.get_by_role("row", name="SH1")
    expect(row).to_contain_text("1-1-101")
    expect(row.locator("td").nth(8)).to_have_text(amount(sh1["balance"]))
    expect(row).to_contain_text(sh1["billed_through"])
    row.get_by_role("link", name="SH1").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("物业服务费补贴明细表 · SH1")
    schedule = served.get("acc-c1", "/books/b1/households/SH1/schedule")
    lines = {line["month"]: line for line in schedule["lines"]}
    table = page.locator("table.report")
    expect(table.locator("tbody tr")).to_have_count(len(schedule["lines"]))
    for month in ("2019-06", "2022-06", "2025-02", "2025-12"):  # move-in month, a mixed-ratio month, billed, projected
        line = lines[month]
        cells = first_cell_row(page, table, month).locator("td")
        expect(cells.nth(1)).to_have_text(f"{line['occupied_days']}/{line['days_in_month']}")
        expect(cells.nth(2)).to_have_text(amount(line["fee"]))
        expect(cells.nth(4)).to_have_text(amount(line["subsidy"]))
        expect(cells.nth(5)).to_have_text(amount(line["household_share"]))
        expect(cells.nth(7)).to_have_text(f"已计费（{line['run_month']}）" if line["billed"] else "未计费（测算）")
    # DOMAIN.md §5's example, as the API answers it and the page shows it: June 2019 11 days at 100 %
    assert (lines["2019-06"]["fee"], lines["2019-06"]["subsidy"]) == ("26.40", "26.40")
    assert (lines["2022-06"]["subsidy"], lines["2022-06"]["household_share"]) == ("60.00", "12.00")
    june_2022 = first_cell_row(page, table, "2022-06")
    expect(june_2022.locator("td").nth(3)).to_have_text("100% × 20 天；50% × 10 天")
    footer = table.locator("tfoot th")
    expect(footer.nth(2)).to_have_text(amount(schedule["total_fee"]))
    expect(footer.nth(4)).to_have_text(amount(schedule["total_subsidy"]))
    expect(footer.nth(5)).to_have_text(amount(schedule["total_household_share"]))

    page.get_by_label("起始月份").fill("2025-01")
    page.get_by_label("截止月份").fill("2025-03")
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(f"{served.url}/#/b/b1/households/SH1?from=2025-01&through=2025-03")
    quarter = served.get("acc-c1", "/books/b1/households/SH1/schedule", **{"from": "2025-01", "through": "2025-03"})
    assert quarter["lines"][0]["month"] == "2025-01"  # `through` reaches at least the subsidy's end (the API's rule)
    expect(table.locator("tbody tr")).to_have_count(len(quarter["lines"]))
    expect(table.locator("tbody tr").first.locator("td").first).to_have_text("2025-01")
    expect(footer.nth(4)).to_have_text(amount(quarter["total_subsidy"]))


def test_household_statement_shows_each_billed_month_and_the_balance(page, served):
    sign_in(page, served.tokens["acc-c1"])
    page.goto("/#/b/b1/households/SH1/bills?as_of=2025-12-31")
    expect(page.get_by_role("heading", level=1)).to_have_text("住户物业费对账单 · SH1")
    statement = served.get("acc-c1", "/books/b1/households/SH1/bills", as_of="2025-12-31")
    bills = page.locator("table.report")
    expect(bills.locator("tbody tr")).to_have_count(len(statement["bills"]))
    for bill in statement["bills"]:
        cells = bills.locator("tbody tr").filter(has=page.locator("td:nth-child(3)", has_text=bill["month"])).locator("td")
        expect(cells.nth(4)).to_have_text(amount(bill["fee"]))
        expect(cells.nth(5)).to_have_text(amount(bill["subsidy"]))
        expect(cells.nth(6)).to_have_text(amount(bill["household_share"]))
    total_share = sum((Decimal(b["household_share"]) for b in statement["bills"]), Decimal("0"))
    expect(bills.locator("tfoot th").nth(6)).to_have_text(amount(str(total_share)))
    assert Decimal(statement["balance"]) > 0
    expect(page.locator(".in-words")).to_contain_text(f"欠款 {amount(statement['balance'])}（{statement['balance_uppercase']}）")
    expect(page.locator(".in-words")).to_contain_text(f"已缴 {amount(statement['paid'])}")


def test_claim_register_one_claim_and_the_fee_arrears_match_the_api(page, served):
    sign_in(page, served.tokens["acc-c1"])
    page.goto("/#/b/b1")
    page.locator("#book-nav").get_by_role("link", name="申领登记簿").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("补贴申领登记簿")
    register = served.get("acc-c1", "/books/b1/subsidy-claims")
    status = {"submitted": "待审核", "approved": "已通过", "returned": "已退回"}
    table = page.locator("table.report")
    for claim in register["claims"]:
        cells = page.get_by_role("row", name=claim["claim_code"]).locator("td")
        expect(cells.nth(2)).to_contain_text(status[claim["status"]])
        expect(cells.nth(3)).to_have_text(str(claim["households"]))
        expect(cells.nth(4)).to_have_text(amount(claim["amount"]))
        expect(cells.nth(7)).to_have_text(amount(claim["outstanding"]))
    expect(table.locator("tfoot th").nth(4)).to_have_text(amount(register["claimed"]))
    page.get_by_role("link", name="2025-02").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("补贴申领 2025-02")
    claim = served.get("acc-c1", "/books/b1/subsidy-claims/2025-02")
    expect(page.locator("dl.facts")).to_contain_text(f"{amount(claim['amount'])}（{claim['amount_uppercase']}）")
    line = claim["lines"][0]
    per_household = page.locator("table", has=page.locator("caption", has_text="每户补贴"))
    expect(per_household.locator("tbody tr")).to_have_count(len(claim["lines"]))
    expect(first_cell_row(page, per_household, line["household_id"]).locator("td").nth(1)).to_have_text(amount(line["amount"]))
    history = page.locator("table", has=page.locator("caption", has_text="审核记录"))
    expect(history.locator("tbody tr")).to_have_count(len(claim["history"]))
    # the month's subsidy claimed for SH1 is the schedule's billed subsidy for that month
    schedule = served.get("acc-c1", "/books/b1/households/SH1/schedule", **{"from": "2025-02", "through": "2025-02"})
    assert line["amount"] == schedule["lines"][0]["subsidy"]

    first_owing = served.get("acc-c1", "/books/b1/property-fee-arrears", as_of="2025-12-31", limit=1000)["households"][0]
    served.post("acc-c1", f"/books/b1/households/{first_owing['household_id']}/reminders",
                {"reminded_on": "2025-12-31", "method": "visit", "note": "上门提醒"})
    page.goto("/#/b/b1/fee-arrears?as_of=2025-12-31")
    expect(page.get_by_role("heading", level=1)).to_have_text("物业服务费欠费明细")
    arrears = served.get("acc-c1", "/books/b1/property-fee-arrears", as_of="2025-12-31", limit=1000)
    owing = arrears["households"][0]
    assert owing["household_id"] == first_owing["household_id"] and owing["last_reminded_on"] == "2025-12-31"
    cells = page.get_by_role("row", name=owing["household_id"]).locator("td")
    expect(cells.nth(2)).to_have_text(owing["oldest_open_run"])
    expect(cells.nth(3)).to_have_text(str(owing["days_overdue"]))
    expect(cells.nth(4)).to_have_text(amount(owing["owed"]))
    expect(cells.nth(5)).to_have_text("2025-12-31")
    expect(cells.nth(6)).to_have_text(str(owing["reminders"]))
    expect(page.locator("table.report tfoot th").nth(4)).to_have_text(amount(arrears["total"]))
    expect(page.locator(".notice.info")).to_contain_text("民法典第九百四十四条")


# --- maintenance funds -------------------------------------------------------------------------------------
def test_funds_list_units_and_a_units_statement_match_the_api(page, served, fund):
    sign_in(page, served.tokens["acc-c9"])
    page.locator("#nav").get_by_role("link", name="维修资金").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("住宅专项维修资金")
    listed = served.get("acc-c9", "/maintenance-funds")["funds"]
    assert [f["fund_code"] for f in listed] == [fund]
    expect(page.get_by_role("row", name=fund)).to_contain_text("九号安置区住宅专项维修资金")
    page.get_by_role("row", name=fund).get_by_role("link", name=fund).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("分户账户")
    page.get_by_label("截至日期").fill("2017-12-31")
    page.get_by_role("button", name="查询").click()
    units = served.get("acc-c9", F + "/units", as_of="2017-12-31")["units"]
    assert len(units) == len(UNITS)
    for unit in units:
        cells = page.get_by_role("row", name=unit["unit_id"], exact=False).first.locator("td")
        expect(cells.nth(0)).to_have_text(unit["unit_id"])
        expect(cells.nth(5)).to_have_text(amount(unit["first_deposit"]))
        expect(cells.nth(6)).to_have_text(amount(unit["balance"]))
        expect(cells.nth(7)).to_have_text("" if unit["receivable"] == "0.00" else amount(unit["receivable"]))
        expect(cells.nth(8)).to_have_text(amount(unit["amount_to_restore"]) if unit["needs_replenishment"] else "")
    assert any(u["receivable"] != "0.00" for u in units) and any(u["needs_replenishment"] for u in units)
    # the book menu of a fund's book offers the fund's views, not the collective's
    book_nav = page.locator("#book-nav")
    expect(book_nav.get_by_role("link", name="年度账目")).to_be_visible()
    expect(book_nav.get_by_role("link", name="住户与补贴")).to_have_count(0)
    expect(book_nav.get_by_role("link", name="租金清册")).to_have_count(0)

    page.get_by_role("link", name="A-1-102").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("住宅专项维修资金分户账 · A-1-102")
    page.get_by_label("年度").fill("2017")
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(f"{served.url}/#/b/{fund}/fund-units/A-1-102?as_of=2017-12-31&year=2017")
    statement = served.get("acc-c9", F + "/units/A-1-102/statement", year=2017, as_of="2017-12-31")
    figures = statement["figures"]
    table = page.locator("table.figures")
    row = lambda name: table.locator("tbody tr", has=page.locator("td", has_text=name)).first.locator("td").nth(1)  # noqa: E731
    expect(row("期初余额")).to_have_text(amount(figures["opening"]))
    expect(row("本期使用")).to_have_text(amount(figures["uses"]))
    expect(row("E1 A幢屋面渗漏抢修")).to_have_text(amount(figures["uses_by_works"][0]["amount"]))
    expect(row("期末余额")).to_have_text(amount(figures["closing"]))
    expect(row("应收分摊 期末")).to_have_text(amount(figures["receivable_closing"]))
    expect(page.locator(".in-words")).to_contain_text(figures["closing_uppercase"])
    assert figures["uses"] != "0.00" and figures["receivable_closing"] != "0.00"
    # 2016 for the same unit: first deposit and fiscal money by source, interest, closing
    page.get_by_label("年度").fill("2016")
    page.get_by_role("button", name="查询").click()
    year_2016 = served.get("acc-c9", F + "/units/A-1-102/statement", year=2016, as_of="2017-12-31")["figures"]
    for source, label in (("first_deposit", "首次交存"), ("fiscal", "财政资金")):
        by_source = next(d for d in year_2016["deposits_by_source"] if d["source"] == source)
        expect(row(label)).to_have_text(amount(by_source["amount"]))
    expect(row("增值收益")).to_have_text(amount(year_2016["value_added_income"]))
    expect(row("期末余额")).to_have_text(amount(year_2016["closing"]))


def test_the_funds_annual_statement_reconciles_with_its_book_as_the_api_says(page, served, fund):
    sign_in(page, served.tokens["township-t9"])  # the township reads
    page.goto(f"/#/b/{fund}/fund-statement?year=2017&as_of=2017-12-31")
    expect(page.get_by_role("heading", level=1)).to_have_text("住宅专项维修资金年度账目")
    statement = served.get("township-t9", F + "/statement", year=2017, as_of="2017-12-31")
    assert statement["reconciles"]
    figures = statement["figures"]
    table = page.locator("table.figures")
    row = lambda name: table.locator("tbody tr", has=page.locator("td", has_text=name)).first.locator("td").nth(1)  # noqa: E731
    expect(row("期初余额")).to_have_text(amount(figures["opening"]))
    expect(row("增值收益")).to_have_text(amount(figures["value_added_income"]))
    expect(row("本期使用")).to_have_text(amount(figures["uses"]))
    expect(row("期末余额")).to_have_text(amount(figures["closing"]))
    expect(page.locator(".notice.ok")).to_have_text("分户账合计与资金账套相符。")
    book = page.locator("table").last
    expect(book.get_by_role("row", name="102 银行存款").locator("td").nth(1)).to_have_text(amount(statement["book"]["bank"]))
    expect(book.get_by_role("row", name="201 代管维修资金（分户账合计）").locator("td").nth(1)).to_have_text(
        amount(statement["book"]["funds_held"]))
    assert statement["book"]["funds_held"] == figures["closing"]
    expect(page.locator("main")).to_contain_text(f"在册单元 {statement['open_units']} 户")
    # the export is the API's: the same GET with format=csv, downloaded under the API's name
    with page.expect_download() as download:
        page.get_by_role("button", name="下载 CSV").click()
    assert download.value.suggested_filename.endswith(".csv")


def test_views_apply_to_their_books_only_and_speak_english(page, served, fund):
    sign_in(page, served.tokens["auditor"])
    page.goto("/#/b/b1")
    book_nav = page.locator("#book-nav")
    expect(book_nav.get_by_role("link", name="住户与补贴")).to_be_visible()
    expect(book_nav.get_by_role("link", name="物业费欠费")).to_be_visible()
    expect(book_nav.get_by_role("link", name="分户账户")).to_have_count(0)
    cards = page.locator("ul.cards")
    expect(cards).to_contain_text("住户登记簿、每户补贴明细表与物业费对账单")
    expect(cards).not_to_contain_text("home.")
    page.goto(f"/#/b/{fund}")
    expect(page.locator("ul.cards")).to_contain_text("各单元的首次交存、余额、应收与续交")
    expect(page.locator("ul.cards")).not_to_contain_text("home.")
    page.goto(f"/#/b/{fund}/fund-units/A-1-101?year=2017&as_of=2017-12-31")
    expect(page.get_by_role("heading", level=1)).to_have_text("住宅专项维修资金分户账 · A-1-101")
    closing = served.get("auditor", F + "/units/A-1-101/statement", year=2017, as_of="2017-12-31")["figures"]["closing"]
    page.get_by_role("button", name="切换到英文界面").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unit statement · A-1-101")
    closing_row = page.locator("table.figures tbody tr", has=page.locator("td", has_text="Closing balance")).first
    expect(closing_row.locator("td").nth(1)).to_have_text(amount(closing))
    page.goto("/#/b/b1/households/SH1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Property-fee subsidy schedule · SH1")
    expect(page.locator("main")).not_to_contain_text("sched.")
    page.get_by_role("button", name="切换到中文界面 Switch to Chinese").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("物业服务费补贴明细表 · SH1")
