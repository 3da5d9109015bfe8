"""Property-fee subsidies over HTTP, on SQLite and PostgreSQL (issue 8)."""

from __future__ import annotations

from tests.subsidies.helpers import (
    BOOK,
    bill,
    building,
    figures,
    head,
    household,
    household_body,
    ok,
    open_book,
    problem,
    schedule,
    township_t2,
    trial_balance,
)


def test_worked_case_end_to_end_register_bill_claim_approve_receive(api):
    open_book(api)
    building(api)
    registered = household(api, head_identity_number="11010519491231002X")
    assert registered["head_identity_masked"] == "**************002X"
    assert registered["billing_from_month"] == "2019-06"
    result = bill(api, "2022-06")  # every month from the move-in month, across the 3rd anniversary
    assert [run["month"] for run in result["runs"]][:2] == ["2019-06", "2019-07"]
    assert result["household_months"] == 37
    lines = schedule(api)
    assert figures(lines["2019-06"]) == ("26.40", "26.40", "0.00")
    assert figures(lines["2022-05"]) == ("72.00", "72.00", "0.00")
    assert figures(lines["2022-06"]) == ("72.00", "60.00", "12.00")
    assert lines["2022-06"]["billed"] is True
    assert lines["2022-06"]["ratios"] == [{"percent": "100", "days": 20, "policy_version": 0},
                                          {"percent": "50", "days": 10, "policy_version": 0}]
    assert figures(lines["2024-06"]) == ("72.00", "24.00", "48.00") and lines["2024-06"]["billed"] is False

    claim = ok(api.post(f"{BOOK}/subsidy-claims", {"claim_code": "2022-Q2", "submitted_on": "2022-07-05"}))
    assert (claim["amount"], claim["households"], claim["status"]) == ("204.00", 1, "submitted")
    problem(api.post(f"{BOOK}/subsidy-claims/2022-Q2/approval", {"approved_on": "2022-07-10"}), 403, "forbidden-role")
    problem(api.post(f"{BOOK}/subsidy-claims/2022-Q2/approval", {"approved_on": "2022-07-10"}, token=township_t2(api)),
            403, "out-of-scope")
    problem(api.post(f"{BOOK}/subsidy-receipts", {"received_on": "2022-07-20", "amount": "204.00"}), 422,
            "receipt-exceeds-amount-owed")  # nothing approved yet: no money moves on submission
    approved = ok(api.post(f"{BOOK}/subsidy-claims/2022-Q2/approval", {"approved_on": "2022-07-10"},
                           token="township"), 200)
    assert approved["status"] == "approved"
    receipt = ok(api.post(f"{BOOK}/subsidy-receipts", {"received_on": "2022-07-20", "amount": "204.00"}))
    assert receipt["settled"] == [{"claim_code": "2022-Q2", "amount": "204.00"}]

    problem(api.post(f"{BOOK}/property-fee-receipts", {"household_id": "H1", "received_on": "2022-07-02",
                                                       "amount": "12.01"}), 422, "receipt-exceeds-amount-owed")
    paid = ok(api.post(f"{BOOK}/property-fee-receipts", {"household_id": "H1", "received_on": "2022-07-02",
                                                         "amount": "12.00"}))
    assert paid["settled"] == [{"run_month": "2022-06", "amount": "12.00"}] and paid["owed_after"] == "0.00"

    register = ok(api.get(f"{BOOK}/subsidy-claims"), 200)
    assert (register["claimed"], register["approved"], register["received"], register["outstanding"]) == (
        "204.00", "204.00", "204.00", "0.00")
    statement = ok(api.get(f"{BOOK}/households/H1/bills", as_of="2022-07-31"), 200)
    assert (statement["billed"], statement["paid"], statement["balance"]) == ("12.00", "12.00", "0.00")
    rows = trial_balance(api, "2022-07-31")
    total_fee = sum(int(run["fee"].replace(".", "")) for run in ok(api.get(f"{BOOK}/property-billing-runs"),
                                                                     200)["runs"])
    assert rows["501.02"]["balance"] == f"{total_fee // 100}.{total_fee % 100:02d}"
    township = ok(api.get("/townships/t1/subsidy-claims", token="township"), 200)
    assert [c["claim_code"] for c in township["claims"]] == ["2022-Q2"]


def test_billing_run_is_idempotent(api):
    open_book(api)
    building(api)
    household(api)
    first = bill(api, "2019-08")
    assert first["household_months"] == 3
    before = head(api)
    again = bill(api, "2019-08")
    assert again["already_billed"] is True and again["runs"] == [] and head(api) == before
    runs = ok(api.get(f"{BOOK}/property-billing-runs"), 200)["runs"]
    assert [(r["month"], r["status"], r["fee"]) for r in runs] == [
        ("2019-06", "finished", "26.40"), ("2019-07", "finished", "72.00"), ("2019-08", "finished", "72.00")]
    assert ok(api.get(f"{BOOK}/property-billing-runs/2019-07"), 200)["subsidy"] == "72.00"


def test_floor_area_correction_goes_as_one_adjustment_into_the_next_run_and_its_claim(api):
    open_book(api, "2024-01-01")
    building(api)
    household(api, billing_from_month="2024-05")
    bill(api, "2024-06")
    corrected = ok(api.post(f"{BOOK}/households/H1/corrections", {"kind": "floor_area", "effective_on": "2024-06-01",
                                                                   "floor_area_m2": "90.00"}))
    assert [(a["fee"], a["subsidy"], a["household_share"]) for a in corrected["pending_adjustments"]] == [
        ("9.00", "3.00", "6.00")]
    assert figures(schedule(api)["2024-06"]) == ("72.00", "24.00", "48.00")  # billed months are never rewritten
    july = bill(api, "2024-07")["runs"][0]
    assert (july["fee"], july["subsidy"], july["household_share"]) == ("90.00", "3.00", "87.00")
    claim = ok(api.post(f"{BOOK}/subsidy-claims", {"claim_code": "2024-07", "submitted_on": "2024-08-01"}))
    assert claim["amount"] == "3.00"
    problem(api.post(f"{BOOK}/subsidy-claims", {"claim_code": "2024-Q3"}), 422, "claim-for-unbilled-month")
    bill(api, "2024-09")
    problem(api.post(f"{BOOK}/subsidy-claims", {"claim_code": "2024-Q3"}), 409, "claim-overlaps-another")
    line = schedule(api)["2024-06"]
    assert line["later_adjustments"] == [{"run_month": "2024-07", "fee": "9.00", "subsidy": "3.00"}]


def test_policy_version_in_billed_months_applies_from_the_first_unbilled_month(api):
    open_book(api, "2024-01-01")
    building(api)
    household(api, billing_from_month="2024-06")
    bill(api, "2024-06")
    ok(api.post(f"{BOOK}/subsidy-policies", {"effective_on": "2024-01-01", "extension_granted": True}))
    lines = schedule(api)
    assert figures(lines["2024-06"]) == ("72.00", "24.00", "48.00")
    assert figures(lines["2024-07"]) == ("72.00", "36.00", "36.00")
    assert lines["2024-07"]["policy_versions"] == [1]
    assert bill(api, "2024-07")["runs"][0]["subsidy"] == "36.00"
    problem(api.post(f"{BOOK}/subsidy-policies", {"effective_on": "2024-01-01"}), 409, "subsidy-policy-version-overlaps")
    versions = ok(api.get(f"{BOOK}/subsidy-policies"), 200)["versions"]
    assert [(v["version"], v["extension_granted"]) for v in versions] == [(0, False), (1, True)]


def test_bad_input_answers_the_rule_and_records_nothing(api):
    open_book(api)
    building(api)
    building(api, "T1", storeys=18)
    before = head(api)
    for body, slug in (
        (household_body(area="0"), "floor-area-invalid"),
        (household_body(area="80.255"), "floor-area-invalid"),
        (household_body(area="-5.00"), "floor-area-invalid"),
        (household_body(head_identity_number="110105194912310021"), "invalid-identity-number"),
        (household_body(building_code="NOPE"), "building-not-found"),
    ):
        response = api.post(f"{BOOK}/households", body)
        assert response.status_code in (404, 422), response.text
        assert response.json()["type"].endswith(slug), response.text
    problem(api.post(f"{BOOK}/households", household_body(area=80.5)), 422, "invalid-request")
    assert head(api) == before
    household(api)
    problem(api.post(f"{BOOK}/households", household_body()), 409, "household-already-registered")
    problem(api.post(f"{BOOK}/households/H1/move-out", {"moved_out_on": "2019-06-19"}), 422, "move-out-before-move-in")
    problem(api.post(f"{BOOK}/subsidy-claims", {"claim_code": "2019-06"}), 422, "claim-for-unbilled-month")
    problem(api.post(f"{BOOK}/subsidy-claims", {"claim_code": "2019-13"}), 422, "claim-period-invalid")
    problem(api.post(f"{BOOK}/property-billing-runs", {"month": "2999-01"}), 422, "billing-month-in-future")
    problem(api.post(f"{BOOK}/property-billing-runs", {"month": "2019-05"}), 422, "nothing-to-bill")
    household(api, household_id="H2", building_code="T1")
    before = head(api)
    problem(api.post(f"{BOOK}/property-billing-runs", {"month": "2019-07"}), 422, "fee-standard-not-configured")
    assert head(api) == before
    ok(api.post(f"{BOOK}/fee-standards", {"building_type": "high_rise", "effective_on": "2019-01-01",
                                          "rate_per_m2_month": "1.20"}))
    assert bill(api, "2019-07")["households_billed"] == 2
    problem(api.post(f"{BOOK}/fee-standards", {"building_type": "high_rise", "effective_on": "2019-01-01",
                                               "rate_per_m2_month": "1.30"}), 409, "fee-standard-out-of-order")
    problem(api.post(f"{BOOK}/property-fee-receipts", {"household_id": "H1", "received_on": "2019-08-01",
                                                       "amount": 1}), 422, "invalid-request")


def test_roles_accountant_writes_own_community_auditor_reads(api):
    open_book(api)
    problem(api.post(f"{BOOK}/buildings", {"building_code": "B1", "name": "1号楼", "storeys": 6},
                     token="other_accountant"), 403, "out-of-scope")
    problem(api.post(f"{BOOK}/buildings", {"building_code": "B1", "name": "1号楼", "storeys": 6}, token="auditor"),
            403, "forbidden-role")
    building(api)
    household(api)
    assert ok(api.get(f"{BOOK}/households", token="auditor"), 200)["households"][0]["household_id"] == "H1"
    assert ok(api.get(f"{BOOK}/households/H1/schedule", token="township"), 200)["lines"]
    problem(api.get(f"{BOOK}/households", token="other_accountant"), 403, "out-of-scope")
    problem(api.get("/townships/t1/subsidy-claims"), 403, "out-of-scope")


def test_move_in_and_counts_feed_premiums_and_the_register(api):
    open_book(api)
    building(api, "L1", storeys=5)
    household(api, moved_in_on="2024-03-01", billing_from_month="2024-03", building_code="L1")
    ok(api.post(f"{BOOK}/households/H1/counts", {"effective_on": "2024-07-01", "persons": 5, "labourers": 1}))
    premiums = ok(api.get(f"{BOOK}/insurance-programmes", year=2024), 200)
    # 122 days at 4 persons / 2 labourers and 184 days at 5 / 1, of 366
    assert (premiums["housing_insurance"], premiums["employment_insurance"]) == ("76.94", "35.08")
    record = ok(api.get(f"{BOOK}/households/H1"), 200)
    assert [c["persons"] for c in record["counts"]] == [4, 5]
    assert record["household"]["building_type"] == "low_rise"
    forecast = ok(api.get(f"{BOOK}/subsidy-forecast", as_of="2024-03-15", months=3), 200)
    # 80 m² at the ≤ 5-storey default 0.60 → 48.00 a month, all subsidised in the first 3 years
    assert [(m["month"], m["subsidy"]) for m in forecast["months"]] == [
        ("2024-03", "48.00"), ("2024-04", "48.00"), ("2024-05", "48.00")]


def test_returned_claim_is_resubmitted_and_households_with_zero_are_listed(api):
    open_book(api, "2024-01-01")
    building(api)
    household(api, billing_from_month="2024-04")
    household(api, household_id="H2", moved_in_on="2016-03-01", billing_from_month="2024-04")  # past its windows
    bill(api, "2024-06")
    ok(api.post(f"{BOOK}/subsidy-claims", {"claim_code": "2024-Q2", "submitted_on": "2024-07-01"}))
    returned = ok(api.post(f"{BOOK}/subsidy-claims/2024-Q2/return", {"reason": "缺少入住证明", "returned_on": "2024-07-03"},
                           token="township"), 200)
    assert (returned["status"], returned["returned_reason"]) == ("returned", "缺少入住证明")
    problem(api.post(f"{BOOK}/subsidy-claims/2024-Q2/approval", {}, token="township"), 409, "claim-not-submitted")
    ok(api.post(f"{BOOK}/subsidy-claims/2024-Q2/resubmission", {"submitted_on": "2024-07-05"}), 200)
    record = ok(api.get(f"{BOOK}/subsidy-claims/2024-Q2"), 200)
    assert record["lines"] == [{"household_id": "H1", "amount": "96.00"}, {"household_id": "H2", "amount": "0.00"}]
    assert [h["action"] for h in record["history"]] == ["submitted", "returned", "resubmitted"]
    arrears = ok(api.get(f"{BOOK}/property-fee-arrears", as_of="2024-07-31"), 200)
    assert [(a["household_id"], a["owed"]) for a in arrears["households"]] == [("H1", "120.00"), ("H2", "216.00")]
