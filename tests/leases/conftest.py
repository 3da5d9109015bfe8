"""Helpers for the leasing tests: a collective book b1 (community c1) with a register and tenants."""

from __future__ import annotations

from tests.http_answers import head, ok, problem  # noqa: F401 - re-exported for this package's tests

from tests.conftest import open_book_body


def open_book(api, starts_on: str = "2024-01-01") -> None:
    ok(api.post("/books", open_book_body(starts_on=starts_on)))


def shop_front(api, unit: str = "A-101", area: str = "50.00", operator: str = "b1", share: str | None = None,
               effective_on: str = "2024-01-01") -> dict:
    body = {"unit_number": unit, "location": "安置区1号楼临街", "floor_area_m2": area, "owner": "county-platform",
            "operator": operator, "manager": "c1-property", "rights_effective_on": effective_on}
    if share is not None:
        body["collective_share_percent"] = share
    return ok(api.post("/books/b1/shop-fronts", body))


def tenant(api, code: str = "T1", name: str = "张三便利店") -> dict:
    return ok(api.post("/books/b1/tenants", {"tenant_code": code, "name": name, "kind": "business",
                                             "contact": "13800000000"}))


def lease_body(code: str = "L1", tenant_code: str = "T1", units: tuple[str, ...] = ("A-101",),
               start_on: str = "2024-03-15", end_on: str = "2027-03-14", rent: str = "3100.00", **terms) -> dict:
    body = {"lease_code": code, "tenant_code": tenant_code, "unit_numbers": list(units), "start_on": start_on,
            "end_on": end_on, "billing_frequency": "monthly", "monthly_rent": rent,
            "contract_reference": f"合同-{code}"}
    body.update(terms)
    return body


def sign(api, **kwargs) -> dict:
    return ok(api.post("/books/b1/leases", lease_body(**kwargs)))


def bill(api, month: str) -> dict:
    return ok(api.post("/books/b1/billing-runs", {"month": month}), 200)


def trial_balance(api, as_of: str, start: str = "2024-01-01") -> dict[str, dict]:
    body = ok(api.get("/books/b1/trial-balance", as_of=as_of, **{"from": start}), 200)
    assert body["balanced"] is True
    return {row["account_code"]: row for row in body["rows"]}


def closing(rows: dict[str, dict], account: str) -> str:
    """The account's closing balance, signed on its normal side ("0.00" when absent)."""
    return rows[account]["balance"] if account in rows else "0.00"


def subledger_balance(api, account: str, subledger: str, as_of: str) -> dict:
    body = ok(api.get(f"/books/b1/accounts/{account}/ledger", as_of=as_of, subledger=subledger,
                      **{"from": "2024-01-01"}), 200)
    return body["closing"]
