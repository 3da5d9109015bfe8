"""Every subsidies write endpoint stamps the request's Idempotency-Key on every event it records.

``subsidies_steps()`` is the subsidies part of the walk in
``tests/api/test_idempotency_key_on_every_write.py`` (a book ``b1`` of community c1 whose
months from 2025-01 are open); it runs here on its own book as well.
"""

from __future__ import annotations

from tests.api.test_idempotency_key_on_every_write import Step, _write_operations, check_step_stamps_its_key
from tests.conftest import open_book_body

B = "/books/{book_code}"


def subsidies_steps(book: str = "b1") -> list[Step]:
    p = f"/books/{book}"
    return [
        Step(f"POST {B}/buildings", f"{p}/buildings", {"building_code": "SB1", "name": "安置1号楼", "storeys": 7}),
        Step(f"POST {B}/households", f"{p}/households",
             {"household_id": "SH1", "building_code": "SB1", "unit_number": "1-1-101", "floor_area_m2": "80.00",
              "moved_in_on": "2019-06-20", "persons": 4, "labourers": 2, "billing_from_month": "2025-01"}),
        Step(f"POST {B}/fee-standards", f"{p}/fee-standards",
             {"building_type": "mid_rise", "effective_on": "2025-01-01", "rate_per_m2_month": "1.00"}),
        Step(f"POST {B}/subsidy-policies", f"{p}/subsidy-policies",
             {"effective_on": "2025-01-01", "extension_granted": True}),
        Step(f"POST {B}/property-billing-runs", f"{p}/property-billing-runs", {"month": "2025-03"}),
        Step(f"POST {B}/households/{{household_id}}/corrections", f"{p}/households/SH1/corrections",
             {"kind": "floor_area", "effective_on": "2025-02-01", "floor_area_m2": "81.50"}),
        Step(f"POST {B}/households/{{household_id}}/counts", f"{p}/households/SH1/counts",
             {"effective_on": "2025-02-01", "persons": 5, "labourers": 2}),
        Step(f"POST {B}/subsidy-claims", f"{p}/subsidy-claims", {"claim_code": "2025-01", "submitted_on": "2025-04-01"}),
        Step(f"POST {B}/subsidy-claims/{{claim_code}}/approval", f"{p}/subsidy-claims/2025-01/approval",
             {"approved_on": "2025-04-02"}, token="township"),
        Step(f"POST {B}/subsidy-claims", f"{p}/subsidy-claims", {"claim_code": "2025-02", "submitted_on": "2025-04-01"}),
        Step(f"POST {B}/subsidy-claims/{{claim_code}}/return", f"{p}/subsidy-claims/2025-02/return",
             {"reason": "补充材料", "returned_on": "2025-04-02"}, token="township"),
        Step(f"POST {B}/subsidy-claims/{{claim_code}}/resubmission", f"{p}/subsidy-claims/2025-02/resubmission",
             {"submitted_on": "2025-04-03"}),
        Step(f"POST {B}/subsidy-receipts", f"{p}/subsidy-receipts", {"received_on": "2025-04-10", "amount": "1.00"}),
        Step(f"POST {B}/property-fee-receipts", f"{p}/property-fee-receipts",
             {"household_id": "SH1", "received_on": "2025-04-10", "amount": "10.00"}),
        Step(f"POST {B}/households/{{household_id}}/reminders", f"{p}/households/SH1/reminders",
             {"reminded_on": "2025-04-15", "method": "phone", "note": "电话提醒缴纳一季度物业费"}),
        Step(f"POST {B}/households/{{household_id}}/move-out", f"{p}/households/SH1/move-out",
             {"moved_out_on": "2025-03-20"}),
    ]


def test_every_subsidies_write_stamps_the_request_idempotency_key(api):
    assert api.post("/books", open_book_body("b1")).status_code == 201
    steps = subsidies_steps()
    ours = {op for op in _write_operations(api) if any(op.endswith(s.operation.split(" ", 1)[1]) for s in steps)}
    assert ours == {step.operation for step in steps}
    for step in steps:
        check_step_stamps_its_key(api, step, replay=True)
