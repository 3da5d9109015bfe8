"""The demo part, loaded on a store holding only the demo community's book, read back over HTTP."""

from __future__ import annotations

from datetime import date

from api.subsidies import demo
from ledger import bookkeeping
from ledger.audit import Audit
from tests.conftest import issue_token
from tests.subsidies.helpers import ok


def test_demo_households_schedules_bills_claims_and_forecasts_are_served(api):
    rt = api.runtime
    audit = Audit("demo-accountant", "accountant", "demo")
    rt.execute(lambda uow: bookkeeping.open_book(uow, audit, book_code=demo.BOOK, name="阳光", entity_kind="collective",
                                                 community_id="c001", township_id="t-dongfeng",
                                                 chart_name="collective_2023", starts_on=date(2021, 1, 1)))
    demo.load(rt, lambda _: None)
    rt.wait_for(rt.app.recorder.max_notification_id())
    accountant = issue_token(rt, "accountant", "community:c001", "demo-acc")
    township = issue_token(rt, "township", "township:t-dongfeng", "demo-tw")
    book = f"/books/{demo.BOOK}"
    register = ok(api.get(f"{book}/households", token=accountant, limit=1000), 200)["households"]
    assert len(register) == demo.HOUSEHOLDS and all(h["billed_through"] for h in register)
    leap = {line["month"]: line for line in ok(api.get(f"{book}/households/H0001/schedule", token=township),
                                               200)["lines"]}
    assert leap["2016-02"]["occupied_days"] == 1 and leap["2019-02"]["ratios"][0]["percent"] == "100"
    assert leap["2019-03"]["ratios"][0]["percent"] == "50" and not leap["2019-03"]["billed"]
    assert leap["2026-01"]["billed"] and leap["2026-01"]["policy_versions"] == [1]
    assert leap["2026-06"]["subsidy"] != "0.00" and leap["2026-07"]["subsidy"] == "0.00"
    corrected = {line["month"]: line for line in ok(api.get(f"{book}/households/H0007/schedule", token=accountant),
                                                    200)["lines"]}
    assert corrected["2026-01"]["later_adjustments"][0]["run_month"] == "2026-04"
    claims = ok(api.get(f"{book}/subsidy-claims", token=township), 200)
    assert [(c["claim_code"], c["status"]) for c in claims["claims"]] == [("2026-Q1", "approved"), ("2026-Q2", "returned")]
    q1 = claims["claims"][0]
    assert q1["received"] == q1["amount"] and q1["households"] == demo.HOUSEHOLDS
    arrears = ok(api.get(f"{book}/property-fee-arrears", token=accountant, as_of="2026-11-30"), 200)
    assert len(arrears["households"]) == demo.HOUSEHOLDS // 5
    reminded = {a["household_id"]: (a["last_reminded_on"], a["reminders"]) for a in arrears["households"]}
    assert reminded["H0010"] == ("2026-11-30", 2) and reminded["H0005"] == ("2026-11-20", 1)
    forecast = ok(api.get("/townships/t-dongfeng/subsidy-forecast", token=township, as_of="2026-01-15", months=12),
                  200)
    months = {m["month"]: m["subsidy"] for m in forecast["months"]}
    assert months["2026-01"] != "0.00" and months["2026-12"] == "0.00"
    tb = ok(api.get(f"{book}/trial-balance", token=accountant, as_of="2026-11-30", **{"from": "2026-01-01"}), 200)
    assert tb["balanced"] is True
