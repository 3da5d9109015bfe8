from tests.conftest import open_book_body
import pytest

@pytest.fixture(params=["sqlite"])
def store_url(request, tmp_path):
    yield f"sqlite:///{tmp_path}/anju.db"

def test_smoke(api):
    assert api.post("/books", open_book_body(starts_on="2024-01-01")).status_code == 201
    r = api.post("/books/b1/shop-fronts", {"unit_number": "A-101", "location": "1号楼", "floor_area_m2": "50.00",
        "owner": "county", "operator": "b1", "manager": "propco", "rights_effective_on": "2024-01-01"})
    print(r.json()); assert r.status_code == 201
    r = api.post("/books/b1/tenants", {"tenant_code": "T1", "name": "张三", "kind": "person", "contact": "138"})
    print(r.json()); assert r.status_code == 201
    r = api.post("/books/b1/leases", {"lease_code": "L1", "tenant_code": "T1", "unit_numbers": ["A-101"],
        "start_on": "2024-03-15", "end_on": "2027-03-14", "billing_frequency": "monthly", "monthly_rent": "3100.00",
        "escalation_percent": "5", "rent_free_months": 0, "deposit": "6000.00", "contract_reference": "HT-1"})
    print(r.json()); assert r.status_code == 201
    r = api.post("/books/b1/billing-runs", {"month": "2025-03"})
    print(r.status_code, str(r.json())[:500]); assert r.status_code == 200
    r2 = api.post("/books/b1/billing-runs", {"month": "2025-03"})
    print(r2.json())
    tb = api.get("/books/b1/trial-balance", as_of="2025-03-31", **{"from": "2024-01-01"}).json()
    for row in tb["rows"]: print(row["account_code"], row["closing"])
    r = api.post("/books/b1/tenants/T1/receipts", {"received_on": "2025-03-20", "amount": "40000.00"})
    print(r.json())
    print(api.get("/books/b1/tenants/T1/statement", as_of="2025-03-31").json())
    print(api.get("/books/b1/arrears-aging", as_of="2025-03-10").json())
    print(api.get("/books/b1/rent-roll", as_of="2025-03-20").json())
    print(api.get("/books/b1/occupancy", as_of="2025-03-20").json()["months"][-3:])
    print(api.get("/books/b1/leases/L1", as_of="2025-03-20").json())
    r = api.post("/books/b1/leases/L1/termination", {"terminated_on": "2025-03-20"})
    print(r.status_code, r.json())
    tb = api.get("/books/b1/trial-balance", as_of="2025-03-31", **{"from": "2024-01-01"}).json()
    for row in tb["rows"]: print(row["account_code"], row["closing"])
    print(api.get("/books/b1/tenants/T1/statement", as_of="2025-03-31").json())
