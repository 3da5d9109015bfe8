"""The fund over HTTP on both stores: a worked case end to end, hand-checked to the fen, and bad input.

The worked case (fund mf1, see helpers): first deposits 20,000.00 (2016-02-01); contributions
from five sources in 2016; interest for 2016 on period-end balances; in 2017 a roof repair of
building A voted twice (exactly 2/3 participate, exactly 1/2 approve → fails; then passes),
charged with a remainder and shortfall receivables, paid in instalments; an emergency
burst pipe in building B; interest for 2017 on the daily product; replenishment flags.
"""

from __future__ import annotations

from tests.maintenance_fund.helpers import (
    F,
    ballots,
    collective_book,
    contribution,
    fund_body,
    head,
    lines,
    ok,
    problem,
    set_up,
    units_body,
    works_body,
)

A = {"kind": "building", "code": "A"}


def _year_2016(api) -> None:
    set_up(api)
    fiscal = ok(api.post(F + "/contributions", contribution("2016-03-01", "fiscal", {"kind": "fund"}, "1000.01",
                                                            reference="县财政拨款")))
    # 1,000.01 by area over 400 m²: floors sum to 1,000.00; the one fen left goes to the largest remainder (B, .25)
    assert lines(fiscal) == {"A-1-101": "150.00", "A-1-102": "100.00", "A-1-201": "125.00", "A-1-202": "125.00",
                             "A-S01": "75.00", "A-S02": "175.00", "B-1-101": "250.01"}
    quota = ok(api.post(F + "/contributions", contribution("2016-04-01", "land_quota", A, land_quota={
        "trade_amount": "200000.40", "retained_percent": "2.5", "trade_reference": "增减挂钩节余指标交易〔2016〕3号"})))
    # 200,000.40 × 2.5 % = 5,000.01 over building A (300 m²): 3 fen left → A-S02 (.9), A-1-102 (.8), then the
    # .5 tie between A-1-201 and A-1-202 goes to the smaller id as text, A-1-201
    assert quota["amount"] == "5000.01"
    assert lines(quota) == {"A-1-101": "1000.00", "A-1-102": "666.67", "A-1-201": "833.34", "A-1-202": "833.33",
                            "A-S01": "500.00", "A-S02": "1166.67"}
    collective_book(api)
    public = ok(api.post(F + "/contributions", contribution("2016-05-01", "community_public_income", {"kind": "fund"},
                                                            "3100.00", collective_book="coll1",
                                                            reference="门面及停车公共收益")))
    assert public["details"]["community_transfer"]["debit_account"] == "514"
    ok(api.post(F + "/contributions", contribution("2016-06-01", "donation", {"kind": "unit", "code": "B-1-101"},
                                                   "0.05")))
    ok(api.post(F + "/contributions", contribution("2016-07-01", "resident_instalment",
                                                   {"kind": "unit", "code": "A-1-101"}, "200.00")))
    ok(api.post(F + "/contributions", contribution("2016-08-01", "support_project", {"kind": "building", "code": "B"},
                                                   "300.00")))
    interest = ok(api.post(F + "/interest-allocations", {"period_from": "2016-01-01", "period_to": "2016-12-31",
                                                         "total": "296.00"}))
    assert interest["details"]["basis"] == "period_end"
    assert lines(interest) == {"A-1-101": "48.15", "A-1-102": "30.77", "A-1-201": "38.46", "A-1-202": "38.46",
                               "A-S01": "23.07", "A-S02": "53.84", "B-1-101": "63.25"}


def _year_2017(api) -> None:
    ok(api.post(F + "/works", works_body("W1", {"kind": "building", "building": "A"})))
    use = {"used_on": "2017-04-01", "approved_cost": "24000.01"}
    problem(api.post(F + "/works/W1/use", use), 422, "use-without-passing-vote")
    # three owners of 100 m² each in building A: o1 for, the developer against, the collective absent →
    # exactly 2/3 participate (met), exactly 1/2 approve (fails)
    first = ok(api.post(F + "/works/W1/vote", {"held_on": "2017-03-10", "ballots": ballots(
        {"o1": "for", "developer": "against"})}))["tally"]
    assert (first["participation_met"], first["approval_met"], first["passed"]) == (True, False, False)
    assert (first["participating_area"], first["total_area"], first["total_owners"]) == ("200.00", "300.00", 3)
    problem(api.post(F + "/works/W1/use", use), 422, "use-without-passing-vote")
    second = ok(api.post(F + "/works/W1/vote", {"held_on": "2017-03-20", "ballots": ballots(
        {"o1": "for", "developer": "for"})}))["tally"]
    assert second["passed"] and second["for_area"] == "200.00"
    charged = ok(api.post(F + "/works/W1/use", use))
    shares = {l["unit_id"]: (l["share"], l["from_balance"], l["receivable"]) for l in charged["lines"]}
    # 24,000.01 over 300 m²: the one fen left goes to A-S02 (remainder .233); balances below a share leave receivables
    assert shares == {"A-1-101": ("4800.00", "4800.00", "0.00"), "A-1-102": ("3200.00", "3107.44", "92.56"),
                      "A-1-201": ("4000.00", "3884.30", "115.70"), "A-1-202": ("4000.00", "3884.29", "115.71"),
                      "A-S01": ("2400.00", "2330.57", "69.43"), "A-S02": ("5600.01", "5438.01", "162.00")}
    assert (charged["from_balances"], charged["receivables"]) == ("23444.61", "555.40")
    ok(api.post(F + "/works/W1/payments", {"paid_on": "2017-04-15", "amount": "10000.00"}))
    problem(api.post(F + "/works/W1/payments", {"paid_on": "2017-05-15", "amount": "14000.02"}), 422,
            "payment-above-approved-cost")
    ok(api.post(F + "/works/W1/payments", {"paid_on": "2017-05-15", "amount": "14000.01"}))
    ok(api.post(F + "/units/A-1-102/receivable-payments", {"received_on": "2017-05-20", "amount": "92.56"}))
    emergency = ok(api.post(F + "/emergency-uses", {
        "works_code": "E1", "title": "2号楼供水主管爆裂抢修", "common_parts": "供水主管", "emergency_type": "burst_water_main",
        "authorised_by": "街道办事处", "scope": {"kind": "building", "building": "B"}, "contractor": "k-pipe",
        "cost": "100.00", "used_on": "2017-06-01"}))
    assert (emergency["emergency_type"], emergency["lines"][0]["share"]) == ("burst_water_main", "100.00")
    interest = ok(api.post(F + "/interest-allocations", {"period_from": "2017-01-01", "period_to": "2017-12-31",
                                                         "total": "412.34", "basis": "daily_product"}))
    # 日积数: each day's closing balance, the charges counting from their own day (1 April, 1 June)
    assert lines(interest) == {"A-1-101": "42.23", "A-1-102": "25.95", "A-1-201": "32.44", "A-1-202": "32.44",
                               "A-S01": "19.46", "A-S02": "45.42", "B-1-101": "214.40"}


def test_worked_case_statements_reconcile_to_the_fen(api):
    _year_2016(api)
    _year_2017(api)
    unit = ok(api.get(F + "/units/A-1-101/statement", year=2016, as_of="2017-12-31"), 200)
    figures = unit["figures"]
    assert {d["source"]: d["amount"] for d in figures["deposits_by_source"]} == {
        "first_deposit": "3000.00", "fiscal": "150.00", "land_quota": "1000.00", "community_public_income": "465.00",
        "resident_instalment": "200.00"}
    assert (figures["opening"], figures["value_added_income"], figures["closing"]) == ("0.00", "48.15", "4863.15")
    unit = ok(api.get(F + "/units/A-1-101/statement", year=2017, as_of="2017-12-31"), 200)
    assert unit["figures"]["uses_by_works"] == [{"works_code": "W1", "title": "W1 屋面防水维修", "amount": "4800.00"}]
    assert (unit["figures"]["opening"], unit["figures"]["closing"]) == ("4863.15", "105.38")
    assert unit["unit"]["needs_replenishment"] and unit["unit"]["amount_to_restore"] == "794.62"
    statement = ok(api.get(F + "/statement", year=2017, as_of="2017-12-31"), 200)
    assert statement["reconciles"]
    assert statement["book"] == {"bank": "6400.96", "bonds": "0.00", "receivables": "462.84", "funds_held": "6763.80",
                                 "value_added_income": "0.00", "payables": "100.00"}
    assert (statement["figures"]["opening"], statement["figures"]["closing"]) == ("29896.07", "6763.80")
    assert statement["figures"]["receivable_closing"] == "462.84"
    replenishment = ok(api.get(F + "/replenishment", as_of="2017-12-31"), 200)
    flagged = {u["unit_id"]: u["amount_to_restore"] for u in replenishment["units"]}
    assert flagged["A-1-101"] == "794.62" and flagged["A-1-102"] == "574.05" and "B-1-101" not in flagged
    township = ok(api.get("/townships/t1/maintenance-fund-replenishment", token="township", as_of="2017-12-31"), 200)
    assert township["funds"][0]["units_flagged"] == len(flagged)
    votes = ok(api.get(F + "/works/W1/vote", token="auditor"), 200)["votes"]
    assert [v["tally"]["passed"] for v in votes] == [False, True]
    assert "> 1/2" in votes[0]["tally"]["thresholds"]["approval"]
    works = ok(api.get(F + "/works/W1"), 200)
    assert (works["status"], works["paid"], works["approved_cost"]) == ("paid", "24000.01", "24000.01")
    tb = ok(api.get("/books/coll1/trial-balance", as_of="2016-12-31"), 200)
    assert {r["account_code"]: r for r in tb["rows"]}["514"]["balance"] == "3100.00"


def test_transfer_and_demolition_over_http(api):
    set_up(api)
    moved = ok(api.post(F + "/units/B-1-101/transfer", {"transferred_on": "2018-03-01", "reference": "不动产登记",
                                                        "new_owner": {"owner_id": "o5", "name": "赵五"}}), 200)
    assert (moved["new_owner"]["owner_id"], moved["balance"]) == ("o5", "5000.00")
    statement = ok(api.get(F + "/units/B-1-101/statement", year=2018, as_of="2018-12-31"), 200)
    assert [o["owner_id"] for o in statement["owners"]] == ["o4", "o5"]
    assert statement["unit"]["owner"]["owner_id"] == "o5" and statement["figures"]["closing"] == "5000.00"
    gone = ok(api.post(F + "/units/A-1-202/demolition", {"demolished_on": "2018-05-01"}), 200)
    assert gone["refunded"] == "2500.00" and gone["voucher_number"] == "记-2018-05-0001"
    problem(api.post(F + "/contributions", contribution("2018-06-01", "fiscal", {"kind": "unit", "code": "A-1-202"},
                                                        "1.00")), 422, "unit-closed")
    owners = ok(api.get(F + "/owners", as_of="2018-12-31"), 200)
    assert {o["owner"]: o["floor_area_m2"] for o in owners["owners"]} == {
        "coll-c1": "100.00", "o1": "100.00", "o5": "100.00", "developer": "50.00"}


def test_rebuilding_needs_three_quarters_of_both(api):
    set_up(api)
    area = {"kind": "area"}
    ok(api.post(F + "/works", works_body("R1", area, matter="rebuild")))
    # four owners of 100 m² over the whole area: exactly 3/4 for passes
    tally = ok(api.post(F + "/works/R1/vote", {"held_on": "2017-03-10", "ballots": ballots(
        {"o1": "for", "developer": "for", "coll-c1": "for", "o4": "against"})}))["tally"]
    assert tally["passed"] and (tally["for_owners"], tally["participating_owners"]) == (3, 4)
    assert "≥ 3/4" in tally["thresholds"]["approval"]
    ok(api.post(F + "/works", works_body("R2", area, matter="change_of_use")))
    tally = ok(api.post(F + "/works/R2/vote", {"held_on": "2017-03-10", "ballots": ballots(
        {"o1": "for", "developer": "for", "coll-c1": "abstain", "o4": "against"})}))["tally"]
    assert not tally["passed"] and tally["participation_met"]


def test_pooled_instalments_need_a_raising_plan_vote(api):
    set_up(api)
    body = contribution("2016-03-01", "resident_instalment", {"kind": "fund"}, "400.00")
    problem(api.post(F + "/contributions", body), 422, "raising-plan-needs-vote")
    body["ballots"] = ballots({"o1": "for", "developer": "for", "coll-c1": "for", "o4": "against"})
    raised = ok(api.post(F + "/contributions", body))
    assert raised["details"]["vote"]["passed"] and lines(raised)["B-1-101"] == "100.00"


def test_bad_input_answers_the_broken_rule_and_records_nothing(api):
    set_up(api)
    ok(api.post(F + "/works", works_body("W1", {"kind": "building", "building": "A"})))
    ok(api.post("/maintenance-funds", fund_body("mf2")))
    before = head(api)
    problem(api.post("/maintenance-funds/mf2/units", units_body(units=[
        ("Z-1", "flat", "10.00", "Z", "1", {"owner_id": "z", "kind": "owner"}),
        ("A-1-101", "flat", "60.00", "A", "1", {"owner_id": "o1", "kind": "owner"})])), 409, "unit-in-another-fund")
    problem(api.post(F + "/works/W1/vote", {"held_on": "2017-03-10", "ballots": ballots({"o4": "for"})}), 422,
            "owner-not-affected")
    problem(api.post(F + "/works/W1/vote", {"held_on": "2017-03-10", "ballots": ballots({"o1": "yes"})}), 422,
            "invalid-vote")
    problem(api.post(F + "/contributions", contribution("2016-03-01", "fiscal", {"kind": "unit", "code": "nope"},
                                                        "1.00")), 404, "unit-not-found")
    problem(api.post(F + "/contributions", contribution("2016-03-01", "fiscal", {"kind": "fund"}, "1.005")), 422,
            "invalid-amount")
    problem(api.post(F + "/contributions", {**contribution("2016-03-01", "fiscal", {"kind": "fund"}), "amount": 1.5}),
            422, "invalid-request")
    problem(api.post(F + "/contributions", contribution("2016-03-01", "lottery", {"kind": "fund"}, "1.00")), 422,
            "invalid-contribution")
    for nature in ("developer_warranty", "utility_owned", "damage_by_person", "property_company_contract"):
        problem(api.post(F + "/works", works_body("X1", {"kind": "area"}, nature=nature)), 422, "excluded-use")
    problem(api.post(F + "/emergency-uses", {
        "works_code": "E9", "title": "窗户", "common_parts": "窗", "emergency_type": "broken_window",
        "authorised_by": "街道办", "scope": {"kind": "area"}, "contractor": "k", "cost": "1.00",
        "used_on": "2017-01-01"}), 422, "invalid-emergency")
    problem(api.post(F + "/works/W1/payments", {"paid_on": "2017-04-15", "amount": "1.00"}), 422, "works-not-used")
    problem(api.post(F + "/first-deposits", {"deposited_on": "2016-03-01", "unit_ids": ["A-1-101"]}), 409,
            "first-deposit-already-recorded")
    problem(api.post(F + "/interest-allocations", {"period_from": "2016-01-01", "period_to": "2016-01-31",
                                                   "total": "1.00"}), 422, "invalid-interest-allocation")
    problem(api.post(F + "/units", units_body(units=[("Q-1", "flat", "0", "Q", "", {"owner_id": "q"})])), 422,
            "invalid-floor-area")
    problem(api.get(F + "/statement", year=2030, as_of="2020-01-01"), 422, "invalid-year")
    problem(api.get("/maintenance-funds/none/statement"), 404, "fund-not-found")
    assert head(api) == before, "nothing was recorded"


def test_accountants_of_the_community_write_auditors_and_the_township_read(api):
    set_up(api)
    body = contribution("2016-03-01", "fiscal", {"kind": "fund"}, "10.00")
    for token in ("auditor", "township", "other_accountant"):
        assert api.post(F + "/contributions", body, token=token).status_code == 403
    assert api.post("/maintenance-funds", fund_body("mfx", community="c2"), token="accountant").status_code == 403
    for token in ("accountant", "auditor", "township"):
        assert ok(api.get(F + "/units", token=token, as_of="2016-12-31"), 200)["units"][0]["first_deposit"] == "3000.00"
    assert api.get(F + "/units", token="other_accountant").status_code == 403
    assert [f["fund_code"] for f in ok(api.get("/maintenance-funds", token="township"), 200)["funds"]] == ["mf1"]
    assert ok(api.get("/maintenance-funds", token="other_accountant"), 200)["funds"] == []


def test_cross_book_contribution_is_all_or_nothing_over_http(api):
    set_up(api)
    collective_book(api)
    for month in ("2016-01", "2016-02", "2016-03", "2016-04", "2016-05"):
        ok(api.post(f"/books/coll1/periods/{month}/close", {"reason": "结账"}), 200)
    before = head(api)
    problem(api.post(F + "/contributions", contribution("2016-05-01", "community_public_income", {"kind": "fund"},
                                                        "3100.00", collective_book="coll1")), 409, "period-closed")
    assert head(api) == before
    fund = ok(api.get(F, as_of="2016-12-31"), 200)
    assert fund["balance"] == "20000.00"


def test_a_repeated_write_with_its_idempotency_key_records_once(api):
    set_up(api)
    body = contribution("2016-03-01", "fiscal", {"kind": "fund"}, "10.00")
    first = api.post(F + "/contributions", body, headers={"Idempotency-Key": "k-1"})
    again = api.post(F + "/contributions", body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert {**first.json(), "log_position": None} == {**again.json(), "log_position": None}
    assert ok(api.get(F, as_of="2016-12-31"), 200)["balance"] == "20010.00"
    problem(api.post(F + "/contributions", {**body, "amount": "11.00"}, headers={"Idempotency-Key": "k-1"}), 409,
            "idempotency-key-reused")
