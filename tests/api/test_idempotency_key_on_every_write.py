"""Every event recorded through any write endpoint carries the request's Idempotency-Key (DOMAIN.md §7).

The walk below covers every write operation the OpenAPI lists (the test fails when one is missing, so a
new endpoint must add its step). Each step is sent with its own key; every event the step appended to the
log must carry exactly that key in its audit stamp.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.collective.helpers import member, organisation_body, resolution, voucher
from tests.conftest import open_book_body

WRITE_METHODS = ("post", "put", "patch", "delete")
C = "/collective/organisations"


@dataclass(frozen=True)
class Step:
    operation: str  # "POST /books/{book_code}/vouchers": the OpenAPI template
    path: str  # the concrete path
    body: Any = None
    token: str = "accountant"
    expected: int = 0  # 0: any 2xx
    extra: dict = field(default_factory=dict)


def _lease(code: str, tenant: str, unit: str, **terms: Any) -> dict:
    return {"lease_code": code, "tenant_code": tenant, "unit_numbers": [unit], "start_on": "2025-01-01",
            "end_on": "2025-06-30", "billing_frequency": "monthly", "monthly_rent": "3100.00",
            "contract_reference": f"合同-{code}", **terms}


def _shop_front(unit: str) -> dict:
    return {"unit_number": unit, "location": "安置区1号楼临街", "floor_area_m2": "50.00", "owner": "county-platform",
            "operator": "b1", "manager": "c1-property", "rights_effective_on": "2024-01-01"}


def _steps() -> list[Step]:
    books = [
        Step("POST /books", "/books", open_book_body("x1")),
        Step("POST /books/{book_code}/sub-accounts", "/books/x1/sub-accounts",
             {"code": "501.03", "name_zh": "其他经营收入", "name_en": "Other operating income"}),
        Step("POST /books/{book_code}/vouchers", "/books/x1/vouchers", voucher("2025-01-10", "10.00", "102", "504")),
        Step("POST /books/{book_code}/voucher-batches", "/books/x1/voucher-batches",
             {"vouchers": [voucher("2025-01-11", "11.00", "102", "504"), voucher("2025-01-12", "12.00", "102", "504")]}),
        Step("POST /books/{book_code}/vouchers/{number}/reversal", "/books/x1/vouchers/记-2025-01-0001/reversal",
             {"red_date": "2025-01-20", "reason": "错账冲销"}),
        Step("POST /books/{book_code}/periods/{month}/close", "/books/x1/periods/2025-01/close", {"reason": "结账"}),
        Step("POST /books/{book_code}/periods/{month}/reopen", "/books/x1/periods/2025-01/reopen",
             {"reason": "审计反结账"}, token="auditor"),
    ]
    collective = [
        Step("POST /collective/organisations", C, organisation_body()),
        Step("POST /collective/organisations/{book_code}/member-confirmations", f"{C}/b1/member-confirmations",
             {"resolution": resolution("2024-01-05"),
              "members": [member("m1", 1, "h1"), member("m2", 2, "h1"), member("m3", 3, "h2")]}),
        Step("POST /collective/organisations/{book_code}/share-plan", f"{C}/b1/share-plan",
             {"resolution": resolution("2024-01-10", "成员大会决议〔2024〕2号"), "effective_on": "2024-01-10",
              "holdings": [{"member_id": "m1", "units": "3"}, {"member_id": "m2", "units": "3"},
                           {"member_id": "m3", "units": "1"}]}),
        Step("POST /books/{book_code}/vouchers", "/books/b1/vouchers",
             voucher("2024-03-05", "12000.00", "102", "501.01", "门面租金")),
        Step("POST /collective/organisations/{book_code}/share-changes/transfer", f"{C}/b1/share-changes/transfer",
             {"from_id": "m1", "to_id": "m3", "units": "1", "effective_on": "2024-05-01", "reference": "转让协议1"}),
        Step("POST /collective/organisations/{book_code}/members/{member_id}/end", f"{C}/b1/members/m2/end",
             {"ended_on": "2024-06-01", "reason": "death"}),
        Step("POST /collective/organisations/{book_code}/share-changes/inheritance",
             f"{C}/b1/share-changes/inheritance",
             {"deceased_id": "m2", "heir_id": "m1", "effective_on": "2024-06-10", "reference": "继承公证书"}),
        Step("POST /collective/organisations/{book_code}/share-changes/redemption",
             f"{C}/b1/share-changes/redemption",
             {"holder_id": "m3", "units": "0.5", "effective_on": "2024-07-01", "reference": "赎回决议"}),
        Step("POST /collective/organisations/{book_code}/projects", f"{C}/b1/projects",
             {"project_code": "cattle", "name": "托管养牛", "method": "fixed-per-unit", "amount_per_unit": "100.00",
              "started_on": "2024-02-01", "participants": [{"household_id": "h1", "units": 2},
                                                           {"household_id": "h2", "units": 1}]}),
        Step("POST /collective/organisations/{book_code}/projects/{project_code}/cycles",
             f"{C}/b1/projects/cattle/cycles", {"cycle": 1, "paid_on": "2024-08-01"}),
        Step("POST /collective/organisations/{book_code}/years/{year}/close", f"{C}/b1/years/2024/close"),
        Step("POST /collective/organisations/{book_code}/years/{year}/distribution",
             f"{C}/b1/years/2024/distribution",
             {"resolution": resolution("2024-12-28", "成员大会决议〔2024〕9号", total=2)}),
        Step("POST /collective/organisations/{book_code}/years/{year}/distribution/reversal",
             f"{C}/b1/years/2024/distribution/reversal", {"red_date": "2024-12-31", "reason": "重新分配"}),
        Step("POST /collective/organisations/{book_code}/years/{year}/distribution",
             f"{C}/b1/years/2024/distribution",
             {"resolution": resolution("2024-12-29", "成员大会决议〔2024〕10号", total=2)}),
        Step("POST /collective/organisations/{book_code}/dividend-payments", f"{C}/b1/dividend-payments",
             {"year": 2024, "paid_on": "2025-01-15", "payments": [{"member_id": "m1", "amount": "1.00"}]}),
    ]
    leases = [
        Step("POST /books/{book_code}/shop-fronts", "/books/b1/shop-fronts", _shop_front("A-101")),
        Step("POST /books/{book_code}/shop-fronts", "/books/b1/shop-fronts", _shop_front("A-102")),
        Step("POST /books/{book_code}/shop-fronts", "/books/b1/shop-fronts", _shop_front("A-103")),
        Step("POST /books/{book_code}/shop-fronts/{unit_number}/rights-changes",
             "/books/b1/shop-fronts/A-101/rights-changes",
             {"effective_on": "2025-01-01", "owner": "county-platform", "operator": "b1", "manager": "c1-property"}),
        Step("POST /books/{book_code}/tenants", "/books/b1/tenants",
             {"tenant_code": "T1", "name": "张三便利店", "kind": "business", "contact": "13800000000"}),
        Step("POST /books/{book_code}/tenants", "/books/b1/tenants",
             {"tenant_code": "T2", "name": "李四", "kind": "person", "contact": "13900000000"}),
        Step("POST /books/{book_code}/leases", "/books/b1/leases", _lease("L1", "T1", "A-101", deposit="1000.00")),
        Step("POST /books/{book_code}/leases", "/books/b1/leases", _lease("K1", "T2", "A-102")),
        Step("POST /books/{book_code}/leases", "/books/b1/leases", _lease("L3", "T1", "A-103")),
        Step("POST /books/{book_code}/leases/{lease_code}/deposit/receipts", "/books/b1/leases/L1/deposit/receipts",
             {"received_on": "2025-01-02", "amount": "1000.00"}),
        Step("POST /books/{book_code}/leases/{lease_code}/billing", "/books/b1/leases/L1/billing",
             {"month": "2025-01"}),
        Step("POST /books/{book_code}/billing-runs", "/books/b1/billing-runs", {"month": "2025-02"}),
        Step("POST /books/{book_code}/tenants/{tenant_code}/receipts", "/books/b1/tenants/T1/receipts",
             {"received_on": "2025-02-10", "amount": "100.00"}),
        Step("POST /books/{book_code}/late-fee-runs", "/books/b1/late-fee-runs", {"as_of": "2025-02-28"}),
        Step("POST /books/{book_code}/leases/{lease_code}/renewal-declined", "/books/b1/leases/K1/renewal-declined"),
        Step("POST /books/{book_code}/leases/{lease_code}/renewal", "/books/b1/leases/L3/renewal",
             {"new_lease_code": "L3-R", "end_on": "2025-12-31", "billing_frequency": "monthly",
              "monthly_rent": "3200.00", "contract_reference": "合同-L3-R"}),
        Step("POST /books/{book_code}/leases/{lease_code}/termination", "/books/b1/leases/L1/termination",
             {"terminated_on": "2025-03-31"}),
        Step("POST /books/{book_code}/leases/{lease_code}/deposit/application",
             "/books/b1/leases/L1/deposit/application", {"applied_on": "2025-04-01", "amount": "200.00"}),
        Step("POST /books/{book_code}/leases/{lease_code}/deposit/refund", "/books/b1/leases/L1/deposit/refund",
             {"refunded_on": "2025-04-02"}),
    ]
    # The later capabilities keep their part of the walk beside their own tests (imported here, late,
    # because those modules import this one).
    from tests.audit.test_checkpoints import checkpoint_steps
    from tests.imports.test_imports_idempotency import imports_steps
    from tests.maintenance_fund.test_maintenance_fund_idempotency import maintenance_fund_steps
    from tests.subsidies.test_subsidies_idempotency import subsidies_steps

    return (books + collective + leases + subsidies_steps("b1") + maintenance_fund_steps() + imports_steps()
            + checkpoint_steps())


def _send_file(api, step: Step, key: str):
    """A step whose body is a file (imports): raw bytes with their content type."""
    headers = {"Authorization": f"Bearer {api._token(step.token)}", "Idempotency-Key": key,
               "Content-Type": step.extra["content_type"]}
    return api.client.post(step.path, content=step.extra["content"], headers=headers)


def _write_operations(api) -> set[str]:
    spec = api.client.app.openapi()
    return {f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item
            if method in WRITE_METHODS}


def _audit_keys_after(api, head: int) -> list[tuple[str, str | None]]:
    """(topic, idempotency key of the audit stamp) of every event after ``head``, from the raw stored rows."""
    found = []
    for notification in api.runtime.app.recorder.select_notifications(start=head + 1, limit=10_000):
        state = json.loads(notification.state)
        audit = state.get("audit", {}).get("_data_", {})
        found.append((notification.topic, audit.get("idempotency_key")))
    return found


def check_step_stamps_its_key(api, step: Step, replay: bool = False) -> None:
    """Send the step with a fresh Idempotency-Key: it succeeds and every event it records carries the key.
    With ``replay``, the same request again answers the same (but for the log position) and records nothing."""
    key = f"key-{uuid.uuid4().hex}"

    def send():
        if "content" in step.extra:
            return _send_file(api, step, key)
        return api.post(step.path, step.body, token=step.token, headers={"Idempotency-Key": key})

    head = api.runtime.app.recorder.max_notification_id() or 0
    response = send()
    assert 200 <= response.status_code < 300, (step.operation, response.status_code, response.text)
    stamped = _audit_keys_after(api, head)
    assert stamped, f"{step.operation} recorded no event"
    missing = [topic for topic, stored_key in stamped if stored_key != key]
    assert not missing, f"{step.operation}: events without the request's key: {missing}"
    if replay:
        again = send()
        assert again.status_code == response.status_code, step.operation
        assert {k: v for k, v in again.json().items() if k != "log_position"} == {
            k: v for k, v in response.json().items() if k != "log_position"}, step.operation
        assert (api.runtime.app.recorder.max_notification_id() or 0) == head + len(stamped), \
            f"{step.operation}: a replay wrote"


def test_every_event_recorded_through_any_endpoint_carries_the_request_idempotency_key(api):
    steps = _steps()
    assert _write_operations(api) == {step.operation for step in steps}, "a write operation has no step here"
    for step in steps:
        check_step_stamps_its_key(api, step)
