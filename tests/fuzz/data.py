"""The fuzz suite's data: a small community like the demo's, loaded over HTTP.

Book b1 (community c1, township t1) is a collective organisation with members, shares, a project
and vouchers; it lets a shop-front to a tenant under a billed lease; it bills property fees to a
household and claims the subsidy; fund mf1 holds the maintenance fund of seven units with works.
``REAL_IDS`` names, per path parameter, a thing that exists, so fuzzed requests reach past 404.
"""

from __future__ import annotations

from tests.collective.helpers import member, organisation_body, resolution, voucher
from tests.http_answers import ok
from tests.leases.conftest import lease_body
from tests.maintenance_fund.helpers import F, fund_body, units_body, works_body
from tests.subsidies.helpers import household_body

B = "/books/b1"
C = "/collective/organisations/b1"

REAL_IDS = {
    "book_code": "b1", "number": "记-2024-03-0001", "month": "2024-03", "account_code": "102",
    "member_id": "m1", "year": 2024, "project_code": "cattle", "unit_number": "A-101", "tenant_code": "T1",
    "lease_code": "L1", "household_id": "H1", "claim_code": "2024-Q1", "township_id": "t1",
    "fund_code": "mf1", "works_code": "W1", "unit_id": "A-1-101",
}


def load(api) -> None:
    """Every capability's things, each through its own endpoints (as the accountant)."""
    _collective(api)
    _leases(api)
    _subsidies(api)
    _maintenance_fund(api)


def _collective(api) -> None:
    ok(api.post("/collective/organisations", organisation_body(registered_on="2024-01-01")))
    ok(api.post(f"{C}/member-confirmations", {"resolution": resolution("2024-01-05"), "members": [
        member("m1", 1, "h1"), member("m2", 2, "h1"), member("m3", 3, "h2")]}))
    ok(api.post(f"{C}/share-plan", {"resolution": resolution("2024-01-10", "成员大会决议〔2024〕2号"),
                                    "effective_on": "2024-01-10", "holdings": [
        {"member_id": "m1", "units": "3"}, {"member_id": "m2", "units": "3"}, {"member_id": "m3", "units": "1"}]}))
    ok(api.post(f"{B}/vouchers", voucher("2024-03-05", "12000.00", "102", "501.01", "门面租金")))
    ok(api.post(f"{B}/vouchers", voucher("2024-06-25", "2000.01", "513", "102", "管理费用")))
    ok(api.post(f"{C}/projects", {"project_code": "cattle", "name": "托管养牛", "method": "fixed-per-unit",
                                  "amount_per_unit": "2000.00", "started_on": "2024-02-01", "participants": [
        {"household_id": "h1", "units": 2}, {"household_id": "h2", "units": 1}]}))


def _leases(api) -> None:
    ok(api.post(f"{B}/shop-fronts", {"unit_number": "A-101", "location": "安置区1号楼临街", "floor_area_m2": "50.00",
                                     "owner": "county-platform", "operator": "b1", "manager": "c1-property",
                                     "rights_effective_on": "2024-01-01"}))
    ok(api.post(f"{B}/tenants", {"tenant_code": "T1", "name": "张三便利店", "kind": "business",
                                 "contact": "13800000000"}))
    ok(api.post(f"{B}/leases", lease_body()))
    ok(api.post(f"{B}/billing-runs", {"month": "2024-04"}), 200)


def _subsidies(api) -> None:
    ok(api.post(f"{B}/buildings", {"building_code": "B1", "name": "B1号楼", "storeys": 7, "has_lift": True}))
    ok(api.post(f"{B}/households", household_body(moved_in_on="2023-06-20")))
    ok(api.post(f"{B}/property-billing-runs", {"month": "2024-03"}), 200)
    ok(api.post(f"{B}/subsidy-claims", {"claim_code": "2024-Q1", "submitted_on": "2024-04-05"}))


def _maintenance_fund(api) -> None:
    ok(api.post("/maintenance-funds", fund_body()))
    ok(api.post(F + "/units", units_body()))
    ok(api.post(F + "/first-deposits", {"deposited_on": "2016-02-01", "reference": "首次交存"}))
    ok(api.post(F + "/works", works_body("W1", {"kind": "building", "building": "A"})))
