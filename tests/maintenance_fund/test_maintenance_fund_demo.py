"""The demo's two funds, loaded on each store and read back over HTTP (issue 9: Done when)."""

from __future__ import annotations

from datetime import date

from api.demo import COLLECTIVE_BOOK, COMMUNITY_ID, FIRST_DAY, TOWNSHIP_ID
from api.maintenance_fund import demo
from ledger import bookkeeping
from ledger.audit import Audit
from tests.maintenance_fund.helpers import ok

AREA = f"/maintenance-funds/{demo.AREA_FUND}"


def test_demo_funds_are_served_over_http(api):
    audit = Audit("demo-accountant", "accountant", "demo")
    api.runtime.execute(lambda uow: bookkeeping.open_book(
        uow, audit, book_code=COLLECTIVE_BOOK, name="合作社", entity_kind="collective", community_id=COMMUNITY_ID,
        township_id=TOWNSHIP_ID, chart_name="collective_2023", starts_on=FIRST_DAY))
    demo.load(api.runtime, lambda _: None)
    api.runtime.wait_for(api.runtime.app.recorder.max_notification_id())
    funds = ok(api.get("/maintenance-funds", token="auditor"), 200)["funds"]
    assert {f["fund_code"] for f in funds} == {demo.AREA_FUND, demo.SHOP_FUND}
    for code in (demo.AREA_FUND, demo.SHOP_FUND):
        for year in range(2021, 2027):
            statement = ok(api.get(f"/maintenance-funds/{code}/statement", token="auditor", year=year,
                                   as_of="2026-12-31"), 200)
            assert statement["reconciles"], (code, year)
    area = ok(api.get(AREA + "/statement", token="auditor", year=2022, as_of="2026-12-31"), 200)["figures"]
    assert {u["works_code"] for u in area["uses_by_works"]} == {"2022-W01"}
    lift = ok(api.get(AREA + "/works/2023-W01/vote", token="auditor"), 200)["votes"][0]["tally"]
    assert lift["participation_met"] and not lift["passed"]
    assert 2 * float(lift["for_area"]) == float(lift["participating_area"])  # exactly half the area: fails
    roof = ok(api.get(AREA + "/works/2021-E01", token="auditor"), 200)
    assert (roof["emergency_type"], roof["votes"]) == ("roof_leak", 0)
    flagged = ok(api.get(AREA + "/replenishment", token="auditor", as_of="2026-12-31"), 200)
    assert flagged["units_flagged"] > 0
    unit = flagged["units"][0]["unit_id"]
    statement = ok(api.get(f"{AREA}/units/{unit}/statement", token="auditor", year=2022, as_of="2026-12-31"), 200)
    assert statement["figures"]["uses_by_works"][0]["works_code"] == "2022-W01"
    township = ok(api.get(f"/townships/{TOWNSHIP_ID}/maintenance-fund-replenishment", token="auditor",
                          as_of=str(date(2026, 12, 31))), 200)
    assert sum(f["units_flagged"] for f in township["funds"]) == flagged["units_flagged"]
    sold = ok(api.get(f"{AREA}/units/B06-V02/statement", token="auditor", year=2024, as_of="2026-12-31"), 200)
    assert sold["unit"]["owner"]["owner_id"] == "P0001" and sold["unit"]["receivable"] != "0.00"
