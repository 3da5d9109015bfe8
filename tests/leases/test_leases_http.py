"""Shop-front leases end to end over HTTP, on SQLite and PostgreSQL (DOMAIN.md §4, §7).

Each test is named after the rule it checks; figures are hand-checked.
"""

from __future__ import annotations

from tests.leases.conftest import (
    bill,
    closing,
    head,
    lease_body,
    ok,
    open_book,
    problem,
    shop_front,
    sign,
    subledger_balance,
    tenant,
    trial_balance,
)


def _register(api, units: tuple[str, ...] = ("A-101",), tenants: tuple[str, ...] = ("T1",)) -> None:
    open_book(api)
    for unit in units:
        shop_front(api, unit)
    for code in tenants:
        tenant(api, code)


# --- accrual, proration, escalation -----------------------------------------------------


def test_escalation_and_partial_month_proration_hand_checked_in_the_trial_balance(api):
    """DOMAIN.md §4: 3,100.00 from 2024-03-15 at 5 % → 3,255.00 from 2025-03-15; March 2025 = 1,400 + 1,785."""
    _register(api)
    sign(api, escalation_percent="5")
    run = bill(api, "2025-03")
    billed = run["leases"]["L1"]
    assert billed[0]["invoice"]["amount"] == "1700.00"  # 17 of 31 days of March 2024
    assert billed[-1]["invoice"]["amount"] == "3185.00"  # 1,400.00 + 1,785.00
    assert billed[-1]["invoice"]["due_on"] == "2025-03-01"
    assert run["invoiced"] == "38985.00"  # 1,700 + 11 × 3,100 + 3,185
    rows = trial_balance(api, "2025-03-31")
    assert rows["112"]["closing"] == {"direction": "借", "debit": "38985.00", "credit": "0.00"}
    assert closing(rows, "501.01") == "38985.00"
    assert subledger_balance(api, "112", "tenant:T1", "2025-03-31")["debit"] == "38985.00"
    roll = ok(api.get("/books/b1/rent-roll", as_of="2025-03-20"), 200)
    assert roll["shop_fronts"][0]["monthly_rent"] == "3255.00"


def test_rent_free_months_are_the_first_months_from_the_start_date(api):
    """Start 2024-03-15, 2 rent-free months → free through 2024-05-14; May bills 17 of 31 days."""
    _register(api)
    sign(api, rent_free_months=2)
    billed = bill(api, "2024-05")["leases"]["L1"]
    assert [b["invoice"] for b in billed[:2]] == [None, None]
    assert [b["voucher_number"] for b in billed[:2]] == [None, None]
    assert billed[2]["invoice"]["amount"] == "1700.00"
    assert closing(trial_balance(api, "2024-05-31"), "501.01") == "1700.00"


def test_rent_per_m2_per_month_times_floor_area(api):
    _register(api)
    body = lease_body(start_on="2025-01-01", end_on="2025-12-31")
    del body["monthly_rent"]
    body["rent_per_m2_month"] = "45.50"
    assert ok(api.post("/books/b1/leases", body))["monthly_rent"] == "2275.00"  # 45.50 × 50.00 m²


def test_billing_run_for_a_period_is_idempotent(api):
    _register(api)
    sign(api)
    bill(api, "2024-04")
    before = head(api)
    again = bill(api, "2024-04")
    assert again["months_billed"] == 0 and again["invoiced"] == "0.00"
    assert head(api) == before
    assert closing(trial_balance(api, "2024-04-30"), "501.01") == "4800.00"
    single = ok(api.post("/books/b1/leases/L1/billing", {"month": "2024-04"}), 200)
    assert single["billed"] == []


def test_quarterly_rent_billed_in_advance_is_recognised_over_the_months_it_covers(api):
    """DOMAIN.md §4 Accrual: the invoice is due on the quarter's first day; income is earned month by month."""
    _register(api)
    sign(api, start_on="2025-01-01", end_on="2025-12-31", rent="1000.00", billing_frequency="quarterly")
    first = bill(api, "2025-01")["leases"]["L1"][0]
    assert first["invoice"]["amount"] == "3000.00" and first["recognised"] == "1000.00"
    rows = trial_balance(api, "2025-01-31")
    assert closing(rows, "112") == "3000.00"
    assert closing(rows, "501.01") == "1000.00"
    assert subledger_balance(api, "211", "deferred:L1", "2025-01-31")["credit"] == "2000.00"
    bill(api, "2025-02")
    rows = trial_balance(api, "2025-02-28")
    assert closing(rows, "501.01") == "2000.00"
    assert subledger_balance(api, "211", "deferred:L1", "2025-02-28")["credit"] == "1000.00"


# --- bad input --------------------------------------------------------------------------


def test_at_most_one_active_lease_per_shop_front(api):
    _register(api, tenants=("T1", "T2"))
    sign(api, start_on="2025-01-01", end_on="2025-12-31")
    before = head(api)
    overlapping = api.post("/books/b1/leases", lease_body("L2", "T2", start_on="2025-06-01", end_on="2026-05-31"))
    problem(overlapping, 409, "lease-overlaps-active-lease")
    assert head(api) == before


def test_term_over_twenty_years_is_rejected(api):
    _register(api)
    before = head(api)
    problem(api.post("/books/b1/leases", lease_body(start_on="2024-03-15", end_on="2044-03-15")), 422,
            "lease-term-too-long")
    ok(api.post("/books/b1/leases", lease_body(start_on="2024-03-15", end_on="2044-03-14")))
    assert head(api) > before


def test_negative_or_over_precise_rent_is_rejected_and_records_nothing(api):
    _register(api)
    before = head(api)
    problem(api.post("/books/b1/leases", lease_body(rent="-3100.00")), 422, "lease-rent-invalid")
    problem(api.post("/books/b1/leases", lease_body(rent="3100.001")), 422, "invalid-request")
    problem(api.post("/books/b1/leases", lease_body(rent=3100)), 422, "invalid-request")
    assert head(api) == before


def test_lease_of_six_months_or_more_needs_a_written_contract(api):
    _register(api)
    problem(api.post("/books/b1/leases", lease_body(start_on="2025-01-01", end_on="2025-06-30",
                                                    contract_reference=None)), 422,
            "lease-written-contract-required")
    ok(api.post("/books/b1/leases", lease_body(start_on="2025-01-01", end_on="2025-06-29", contract_reference=None)))


def test_lease_of_unknown_tenant_or_shop_front_is_not_found(api):
    _register(api)
    problem(api.post("/books/b1/leases", lease_body(tenant_code="NOBODY")), 404, "tenant-not-found")
    problem(api.post("/books/b1/leases", lease_body(units=("Z-999",))), 404, "shop-front-not-found")


def test_billing_a_terminated_lease_after_its_termination_is_rejected(api):
    _register(api)
    sign(api, start_on="2025-01-01", end_on="2025-12-31")
    ok(api.post("/books/b1/leases/L1/termination", {"terminated_on": "2025-02-14"}), 200)
    billed = ok(api.post("/books/b1/leases/L1/billing", {"month": "2025-02"}), 200)["billed"]
    assert [b["invoice"]["amount"] for b in billed] == ["3100.00", "1550.00"]  # Feb: 14 of 28 days
    before = head(api)
    problem(api.post("/books/b1/leases/L1/billing", {"month": "2025-03"}), 409, "lease-billing-after-termination")
    assert bill(api, "2025-04")["months_billed"] == 0  # the run skips it
    assert head(api) == before


# --- receipts and credit ------------------------------------------------------------------


def test_receipts_settle_the_oldest_open_invoice_first_and_overpayment_becomes_credit(api):
    _register(api)
    sign(api, start_on="2025-01-01", end_on="2025-12-31", rent="1000.00")
    bill(api, "2025-03")
    receipt = ok(api.post("/books/b1/tenants/T1/receipts", {"received_on": "2025-03-10", "amount": "1500.00"}))
    assert receipt["settled"] == [{"invoice_number": "L1-2025-01", "amount": "1000.00"},
                                  {"invoice_number": "L1-2025-02", "amount": "500.00"}]
    receipt = ok(api.post("/books/b1/tenants/T1/receipts", {"received_on": "2025-03-20", "amount": "2000.00"}))
    assert receipt["settled"] == [{"invoice_number": "L1-2025-02", "amount": "500.00"},
                                  {"invoice_number": "L1-2025-03", "amount": "1000.00"}]
    assert receipt["to_credit"] == "500.00"
    rows = trial_balance(api, "2025-03-31")
    assert closing(rows, "102") == "3500.00"
    assert closing(rows, "112") == "0.00"
    assert subledger_balance(api, "211", "tenant:T1", "2025-03-31")["credit"] == "500.00"
    statement = ok(api.get("/books/b1/tenants/T1/statement", as_of="2025-03-31"), 200)
    assert statement["balance"] == "-500.00" and statement["balance_kind"] == "credit"


def test_advance_credit_is_applied_when_later_invoices_are_billed(api):
    _register(api)
    sign(api, start_on="2025-01-01", end_on="2025-12-31")
    ok(api.post("/books/b1/tenants/T1/receipts", {"received_on": "2024-12-20", "amount": "5000.00"}))
    assert subledger_balance(api, "211", "tenant:T1", "2024-12-31")["credit"] == "5000.00"
    bill(api, "2025-02")
    rows = trial_balance(api, "2025-02-28")
    assert closing(rows, "112") == "1200.00"  # 2 × 3,100.00 − 5,000.00
    assert subledger_balance(api, "211", "tenant:T1", "2025-02-28")["credit"] == "0.00"
    assert closing(rows, "501.01") == "6200.00"


def test_receipt_for_an_unknown_tenant_is_not_found_and_records_nothing(api):
    _register(api)
    before = head(api)
    problem(api.post("/books/b1/tenants/NOBODY/receipts", {"received_on": "2025-01-05", "amount": "100.00"}), 404,
            "tenant-not-found")
    problem(api.post("/books/b1/tenants/T1/receipts", {"received_on": "2025-01-05", "amount": "0.00"}), 422,
            "lease-receipt-amount-invalid")
    assert head(api) == before


# --- late fees and aging ----------------------------------------------------------------


def test_late_fee_run_charges_simple_daily_interest_and_is_idempotent(api):
    """DOMAIN.md §4: 3,100.00 due 2024-07-01, unpaid, run as of 2024-07-31 → 30 days → 46.50."""
    _register(api)
    sign(api, start_on="2024-07-01", end_on="2025-06-30")
    bill(api, "2024-07")
    run = ok(api.post("/books/b1/late-fee-runs", {"as_of": "2024-07-31"}), 200)
    assert run["charged"][0]["amount"] == "46.50" and run["total"] == "46.50"
    rows = trial_balance(api, "2024-07-31")
    assert closing(rows, "504") == "46.50"
    assert closing(rows, "112") == "3146.50"
    before = head(api)
    assert ok(api.post("/books/b1/late-fee-runs", {"as_of": "2024-07-31"}), 200)["charged"] == []
    assert head(api) == before
    later = ok(api.post("/books/b1/late-fee-runs", {"as_of": "2024-08-10"}), 200)
    assert later["total"] == "15.50"  # only the 10 new days, never on the fee itself
    problem(api.post("/books/b1/late-fee-runs", {"as_of": "2024-08-10", "daily_rate": "0.5"}), 422,
            "lease-late-fee-rate-invalid")


def test_arrears_aging_buckets_per_tenant_and_totals_as_of_a_date(api):
    _register(api)
    sign(api, start_on="2024-01-01", end_on="2024-12-31", rent="1000.00")
    bill(api, "2024-12")
    aging = ok(api.get("/books/b1/arrears-aging", as_of="2024-12-15"), 200)
    expected = {"not_due": "0.00", "1-30": "1000.00", "31-90": "2000.00", "91-180": "3000.00",
                "over_180": "6000.00"}
    assert aging["totals"] == expected and aging["tenants"][0]["buckets"] == expected
    ok(api.post("/books/b1/tenants/T1/receipts", {"received_on": "2024-12-20", "amount": "6500.00"}))
    assert ok(api.get("/books/b1/arrears-aging", as_of="2024-12-15"), 200)["totals"] == expected
    after = ok(api.get("/books/b1/arrears-aging", as_of="2024-12-20"), 200)
    assert after["totals"] == {"not_due": "0.00", "1-30": "1000.00", "31-90": "2000.00", "91-180": "2500.00",
                               "over_180": "0.00"}
    assert after["total"] == "5500.00" and after["total_uppercase"] == "伍仟伍佰元整"


def test_tenant_statement_as_of_any_date(api):
    _register(api)
    sign(api, start_on="2025-01-01", end_on="2025-12-31", rent="1000.00")
    bill(api, "2025-02")
    ok(api.post("/books/b1/tenants/T1/receipts", {"received_on": "2025-01-10", "amount": "1000.00"}))
    january = ok(api.get("/books/b1/tenants/T1/statement", as_of="2025-01-31"), 200)
    assert [(l["kind"], l["charge"], l["credit"], l["balance"]) for l in january["lines"]] == [
        ("rent", "1000.00", "0.00", "1000.00"), ("receipt", "0.00", "1000.00", "0.00")]
    february = ok(api.get("/books/b1/tenants/T1/statement", as_of="2025-02-28"), 200)
    assert february["balance"] == "1000.00" and february["balance_uppercase"] == "壹仟元整"
    assert february["open_invoices"] == [{"invoice_number": "L1-2025-02", "due_on": "2025-02-01",
                                          "amount_open": "1000.00", "days_overdue": 27, "bucket": "1-30"}]


# --- deposits and termination -------------------------------------------------------------


def test_deposit_received_applied_to_arrears_and_refunded_once(api):
    _register(api)
    sign(api, start_on="2025-01-01", end_on="2025-12-31", rent="3000.00", deposit="6000.00")
    problem(api.post("/books/b1/leases/L1/deposit/receipts", {"received_on": "2025-01-01", "amount": "7000.00"}),
            422, "lease-deposit-exceeds-agreed")
    ok(api.post("/books/b1/leases/L1/deposit/receipts", {"received_on": "2025-01-01", "amount": "6000.00"}))
    bill(api, "2025-03")
    ok(api.post("/books/b1/tenants/T1/receipts", {"received_on": "2025-03-05", "amount": "6000.00"}))
    problem(api.post("/books/b1/leases/L1/deposit/refund", {"refunded_on": "2025-03-10"}), 422,
            "lease-deposit-settles-at-termination")
    ok(api.post("/books/b1/leases/L1/termination", {"terminated_on": "2025-03-31"}), 200)
    applied = ok(api.post("/books/b1/leases/L1/deposit/application", {"applied_on": "2025-04-01"}), 200)
    assert applied["deposit_applied"] == "3000.00" and applied["deposit_held"] == "3000.00"
    refunded = ok(api.post("/books/b1/leases/L1/deposit/refund", {"refunded_on": "2025-04-02"}), 200)
    assert refunded["deposit_refunded"] == "3000.00" and refunded["deposit_held"] == "0.00"
    before = head(api)
    problem(api.post("/books/b1/leases/L1/deposit/refund", {"refunded_on": "2025-04-03"}), 409,
            "lease-deposit-already-refunded")
    assert head(api) == before
    rows = trial_balance(api, "2025-04-30")
    assert closing(rows, "102") == "9000.00"  # 6,000 deposit + 6,000 rent − 3,000 refunded
    assert closing(rows, "112") == "0.00"
    assert subledger_balance(api, "211", "deposit:L1", "2025-04-30")["credit"] == "0.00"
    assert closing(rows, "501.01") == "9000.00"


def test_early_termination_stops_accrual_at_the_termination_date(api):
    """Billed through March 2025 then terminated 2025-03-20: March becomes 1,400.00 + 6/31 × 3,255.00 = 2,030.00."""
    _register(api)
    sign(api, escalation_percent="5")
    bill(api, "2025-03")
    ended = ok(api.post("/books/b1/leases/L1/termination", {"terminated_on": "2025-03-20"}), 200)
    assert ended["terminated_on"] == "2025-03-20"
    rows = trial_balance(api, "2025-03-31")
    assert closing(rows, "501.01") == "37830.00"  # 38,985.00 − 1,155.00
    assert closing(rows, "112") == "37830.00"
    statement = ok(api.get("/books/b1/tenants/T1/statement", as_of="2025-03-31"), 200)
    assert statement["lines"][-1]["kind"] == "credit_note" and statement["lines"][-1]["credit"] == "1155.00"
    problem(api.post("/books/b1/leases/L1/termination", {"terminated_on": "2025-03-25"}), 409,
            "lease-already-terminated")
    roll = ok(api.get("/books/b1/rent-roll", as_of="2025-03-21"), 200)
    assert roll["shop_fronts"][0]["vacant"] is True


def test_termination_for_non_payment_needs_a_demand_with_rent_overdue(api):
    """民法典 Art. 722."""
    _register(api)
    sign(api, start_on="2025-01-01", end_on="2025-12-31", rent="1000.00")
    bill(api, "2025-02")
    problem(api.post("/books/b1/leases/L1/termination", {"terminated_on": "2025-02-20", "grounds": "non_payment"}),
            422, "lease-termination-needs-demand")
    ok(api.post("/books/b1/leases/L1/termination",
                {"terminated_on": "2025-02-20", "grounds": "non_payment", "demand_on": "2025-02-10"}), 200)


def test_sitting_tenant_has_priority_to_renew_on_expiry(api):
    """民法典 Art. 734: another tenant may not take the shop-front right after expiry unless the sitting one declines."""
    _register(api, units=("A-101", "A-102"), tenants=("T1", "T2"))
    sign(api, start_on="2025-01-01", end_on="2025-06-30")
    sign(api, code="K1", units=("A-102",), start_on="2025-01-01", end_on="2025-06-30")
    problem(api.post("/books/b1/leases", lease_body("L2", "T2", start_on="2025-07-01", end_on="2025-12-31")), 409,
            "sitting-tenant-has-priority")
    renewal = ok(api.post("/books/b1/leases/L1/renewal", {"new_lease_code": "L1-R", "end_on": "2026-06-30",
                                                          "billing_frequency": "monthly", "monthly_rent": "3200.00",
                                                          "contract_reference": "合同-L1-R"}))
    assert renewal["start_on"] == "2025-07-01" and renewal["tenant_code"] == "T1" and renewal["renews"] == "L1"
    problem(api.post("/books/b1/leases/L1/renewal", {"new_lease_code": "L1-R2", "end_on": "2026-06-30",
                                                     "billing_frequency": "monthly", "monthly_rent": "3200.00",
                                                     "contract_reference": "x"}), 409, "lease-renewal-not-allowed")
    ok(api.post("/books/b1/leases/K1/renewal-declined"), 200)
    ok(api.post("/books/b1/leases", lease_body("K2", "T2", units=("A-102",), start_on="2025-07-01",
                                               end_on="2025-12-31")))


# --- rights and scope ----------------------------------------------------------------------


def test_collective_share_of_income_follows_dated_rights_changes(api):
    """DOMAIN.md §4 register: another operator credits the collective its configured share (60 % here)."""
    open_book(api)
    problem(api.post("/books/b1/shop-fronts", {"unit_number": "B-1", "location": "市场", "floor_area_m2": "20.00",
                                               "owner": "county-platform", "operator": "market-co",
                                               "manager": "c1-property", "rights_effective_on": "2025-01-01"}),
            422, "collective-share-percent-required")
    shop_front(api, "B-1", "20.00", operator="market-co", share="60", effective_on="2025-01-01")
    tenant(api)
    sign(api, units=("B-1",), start_on="2025-01-01", end_on="2025-12-31", rent="1000.00")
    ok(api.post("/books/b1/shop-fronts/B-1/rights-changes", {"effective_on": "2025-02-01", "owner": "county-platform",
                                                             "operator": "b1", "manager": "c1-property"}))
    problem(api.post("/books/b1/shop-fronts/B-1/rights-changes",
                     {"effective_on": "2025-01-15", "owner": "x", "operator": "b1", "manager": "y"}), 409,
            "shop-front-rights-change-out-of-order")
    bill(api, "2025-02")
    rows = trial_balance(api, "2025-02-28")
    assert closing(rows, "501.01") == "1600.00"  # 600.00 of January, all 1,000.00 of February
    assert subledger_balance(api, "211", "holder:market-co", "2025-02-28")["credit"] == "400.00"
    register = ok(api.get("/books/b1/shop-fronts/B-1", as_of="2025-01-20"), 200)
    assert register["rights"]["operator"] == "market-co"


def test_only_the_communitys_accountant_records_leases_and_readers_see_them(api):
    _register(api)
    sign(api, start_on="2025-01-01", end_on="2025-12-31")
    for token in ("other_accountant", "auditor", "township"):
        response = api.post("/books/b1/tenants", {"tenant_code": "T9", "name": "x", "kind": "person",
                                                  "contact": "1"}, token=token)
        assert response.status_code == 403, (token, response.text)
    assert api.get("/books/b1/rent-roll", token="other_accountant").status_code == 403
    assert api.get("/books/b1/rent-roll", token=None).status_code == 401
    for token in ("auditor", "township", "accountant"):
        assert api.get("/books/b1/arrears-aging", token=token, as_of="2025-01-31").status_code == 200


def test_rent_roll_vacancy_and_occupancy_per_month(api):
    _register(api, units=("A-101", "A-102", "A-103", "A-104"))
    sign(api, start_on="2025-01-01", end_on="2025-12-31", rent="1000.00")
    sign(api, code="L2", units=("A-102",), start_on="2025-02-10", end_on="2025-12-31", rent="2000.00")
    bill(api, "2025-03")
    roll = ok(api.get("/books/b1/rent-roll", as_of="2025-02-01"), 200)
    assert (roll["leased"], roll["vacant"], roll["monthly_rent_total"]) == (1, 3, "1000.00")
    months = ok(api.get("/books/b1/occupancy", as_of="2025-03-31", **{"from": "2025-01", "to": "2025-03"}),
                200)["months"]
    assert [(m["occupied"], m["occupancy_percent"]) for m in months] == [(1, "25.00"), (2, "50.00"), (2, "50.00")]
    # February: 1,000.00 + 19 of 28 days × 2,000.00 = 1,357.14
    assert [m["rent_recognised"] for m in months] == ["1000.00", "2357.14", "3000.00"]


def test_a_receipt_sent_twice_with_one_idempotency_key_is_recorded_once(api):
    _register(api)
    sign(api, start_on="2025-01-01", end_on="2025-12-31", rent="1000.00")
    bill(api, "2025-01")
    headers = {"Idempotency-Key": "bank-slip-0001"}
    body = {"received_on": "2025-01-05", "amount": "1000.00"}
    first = ok(api.post("/books/b1/tenants/T1/receipts", body, headers=headers))
    before = head(api)
    again = ok(api.post("/books/b1/tenants/T1/receipts", body, headers=headers))
    assert again["voucher_number"] == first["voucher_number"] and head(api) == before
    assert closing(trial_balance(api, "2025-01-31"), "102") == "1000.00"


# --- reads and the audit stamp -------------------------------------------------------------


def test_a_leases_status_and_rent_as_of_a_date(api):
    """DOMAIN.md §4: not started before the start, active through the termination date, terminated after it."""
    _register(api)
    sign(api, escalation_percent="5", deposit="6200.00")
    ok(api.post("/books/b1/leases/L1/deposit/receipts", {"received_on": "2024-03-15", "amount": "6200.00"}))
    bill(api, "2025-03")
    ok(api.post("/books/b1/leases/L1/termination", {"terminated_on": "2025-03-20"}), 200)
    before = ok(api.get("/books/b1/leases/L1", as_of="2024-02-29"), 200)  # months through as_of's month
    assert (before["status"], before["monthly_rent_in_force"], before["months"]) == ("not_started", "3100.00", [])
    active = ok(api.get("/books/b1/leases/L1", as_of="2025-03-20"), 200)
    assert (active["status"], active["monthly_rent_in_force"]) == ("active", "3255.00")
    assert active["deposit_movements"] == [{"date": "2024-03-15", "kind": "received", "amount": "6200.00",
                                            "voucher_number": "记-2024-03-0001"}]
    assert active["months"][-1] == {"month": "2025-03", "invoiced": "2030.00", "recognised": "2030.00",
                                    "to_collective": "2030.00"}
    after = ok(api.get("/books/b1/leases/L1", as_of="2025-03-21"), 200)
    assert (after["status"], after["terminated_on"], after["termination_grounds"]) == (
        "terminated", "2025-03-20", "agreement")
    assert after["log_position"] >= 1
    problem(api.get("/books/b1/leases/NOPE"), 404, "lease-not-found")


def test_register_and_tenant_lists_page_by_cursor(api):
    _register(api, units=("A-101", "A-102", "A-103"), tenants=("T1", "T2"))
    first = ok(api.get("/books/b1/shop-fronts", as_of="2024-06-01", limit=2), 200)
    assert [s["unit_number"] for s in first["shop_fronts"]] == ["A-101", "A-102"]
    assert first["shop_fronts"][0]["rights"]["operator"] == "b1" and first["next_cursor"] == "A-102"
    rest = ok(api.get("/books/b1/shop-fronts", as_of="2024-06-01", cursor=first["next_cursor"]), 200)
    assert [s["unit_number"] for s in rest["shop_fronts"]] == ["A-103"] and rest["next_cursor"] is None
    tenants = ok(api.get("/books/b1/tenants", limit=1), 200)
    assert [t["tenant_code"] for t in tenants["tenants"]] == ["T1"] and tenants["next_cursor"] == "T1"
    problem(api.get("/books/b1/shop-fronts/Z-9"), 404, "shop-front-not-found")
    problem(api.get("/books/b1/rent-roll", as_of="1999-12-31"), 422, "invalid-as-of")


def test_every_leasing_event_carries_the_requests_idempotency_key(api):
    """DOMAIN.md §7: who, when, why and the request's idempotency key on every event."""
    open_book(api)
    writes = [
        ("/books/b1/shop-fronts", {"unit_number": "A-101", "location": "临街", "floor_area_m2": "50.00",
                                   "owner": "county-platform", "operator": "b1", "manager": "c1-property",
                                   "rights_effective_on": "2024-01-01"}),
        ("/books/b1/shop-fronts/A-101/rights-changes", {"effective_on": "2024-02-01", "owner": "county-platform",
                                                        "operator": "b1", "manager": "c1-property"}),
        ("/books/b1/tenants", {"tenant_code": "T1", "name": "张三", "kind": "person", "contact": "1"}),
        ("/books/b1/leases", lease_body(start_on="2024-03-01", end_on="2024-12-31", deposit="100.00")),
        ("/books/b1/leases/L1/deposit/receipts", {"received_on": "2024-03-01", "amount": "100.00"}),
        ("/books/b1/billing-runs", {"month": "2024-04"}),
        ("/books/b1/leases/L1/billing", {"month": "2024-05"}),
        ("/books/b1/tenants/T1/receipts", {"received_on": "2024-04-10", "amount": "1000.00"}),
        ("/books/b1/late-fee-runs", {"as_of": "2024-05-31"}),
        ("/books/b1/leases/L1/termination", {"terminated_on": "2024-05-20"}),
        ("/books/b1/leases/L1/deposit/application", {"applied_on": "2024-05-21", "amount": "50.00"}),
        ("/books/b1/leases/L1/deposit/refund", {"refunded_on": "2024-05-22"}),
    ]
    recorder, mapper = api.runtime.app.recorder, api.runtime.app.mapper
    for number, (path, body) in enumerate(writes):
        key = f"key-{number:02d}"
        before = head(api)
        response = api.post(path, body, headers={"Idempotency-Key": key})
        assert response.status_code in (200, 201), (path, response.text)
        added = recorder.select_notifications(before + 1, 1000)
        assert added, path
        assert {mapper.to_domain_event(n).audit.idempotency_key for n in added} == {key}, path
