"""Every maintenance-fund write endpoint stamps the request's Idempotency-Key on every event it records.

``maintenance_fund_steps()`` is the fund's part of the walk in
``tests/api/test_idempotency_key_on_every_write.py`` (fund ``mf1`` of community c1, township t1;
it needs nothing the other steps create); it runs here on its own as well, with a replay of each step.
"""

from __future__ import annotations

from tests.api.test_idempotency_key_on_every_write import Step, _write_operations, check_step_stamps_its_key
from tests.maintenance_fund.helpers import F, ballots, contribution, fund_body, units_body, works_body

M = "/maintenance-funds/{fund_code}"


def maintenance_fund_steps() -> list[Step]:
    area = {"kind": "area"}
    return [
        Step("POST /maintenance-funds", "/maintenance-funds", fund_body()),
        Step(f"POST {M}/deposit-standards", F + "/deposit-standards", {"effective_on": "2016-06-01",
                                                                       "yuan_per_m2": "60.00"}),
        Step(f"POST {M}/units", F + "/units", units_body()),
        Step(f"POST {M}/first-deposits", F + "/first-deposits", {"deposited_on": "2016-02-01"}),
        Step(f"POST {M}/contributions", F + "/contributions",
             contribution("2016-03-01", "fiscal", {"kind": "fund"}, "1000.00")),
        Step(f"POST {M}/interest-allocations", F + "/interest-allocations",
             {"period_from": "2016-01-01", "period_to": "2016-12-31", "total": "10.00"}),
        Step(f"POST {M}/works", F + "/works", works_body("W1", area)),
        Step(f"POST {M}/works/{{works_code}}/vote", F + "/works/W1/vote",
             {"held_on": "2017-03-10", "ballots": ballots({"o1": "for", "developer": "for", "coll-c1": "for"})}),
        Step(f"POST {M}/works/{{works_code}}/use", F + "/works/W1/use",
             {"used_on": "2017-04-01", "approved_cost": "30000.00"}),
        Step(f"POST {M}/works/{{works_code}}/payments", F + "/works/W1/payments",
             {"paid_on": "2017-04-02", "amount": "100.00"}),
        Step(f"POST {M}/units/{{unit_id}}/receivable-payments", F + "/units/A-1-102/receivable-payments",
             {"received_on": "2017-04-03", "amount": "1.00"}),
        Step(f"POST {M}/emergency-uses", F + "/emergency-uses", {
            "works_code": "E1", "title": "电梯故障抢修", "common_parts": "电梯", "emergency_type": "lift_failure",
            "authorised_by": "住建局", "scope": area, "contractor": "k", "cost": "10.00", "used_on": "2017-04-05"}),
        Step(f"POST {M}/units/{{unit_id}}/transfer", F + "/units/B-1-101/transfer",
             {"transferred_on": "2017-05-01", "new_owner": {"owner_id": "o5"}}),
        Step(f"POST {M}/units/{{unit_id}}/demolition", F + "/units/B-1-101/demolition",
             {"demolished_on": "2017-06-01"}),
    ]


def test_every_maintenance_fund_write_stamps_the_request_idempotency_key(api):
    steps = maintenance_fund_steps()
    ours = {op for op in _write_operations(api) if op.split(" ", 1)[1].startswith("/maintenance-funds")}
    assert ours == {step.operation for step in steps}, "a fund write operation has no step here"
    for step in steps:
        check_step_stamps_its_key(api, step, replay=True)
