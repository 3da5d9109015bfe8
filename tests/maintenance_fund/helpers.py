"""Builders for the fund's HTTP tests: a fund mf1 (community c1, township t1) of seven units in two buildings.

Building A: owner o1 has two flats (60 + 40 m²); the developer holds one unsold flat and one
unassigned (50 + 50 m²); the collective owns two shop-fronts (30 + 70 m²) — three owners of
100 m² each by the headcount rules. Building B: one flat of owner o4 (100 m²).
"""

from __future__ import annotations

from tests.http_answers import head, ok, problem  # noqa: F401 - re-exported for this package's tests

from typing import Any

from tests.conftest import open_book_body

F = "/maintenance-funds/mf1"

UNITS = [
    ("A-1-101", "flat", "60.00", "A", "1", {"owner_id": "o1", "kind": "owner", "name": "王一"}),
    ("A-1-102", "flat", "40.00", "A", "1", {"owner_id": "o1", "kind": "owner", "name": "王一"}),
    ("A-1-201", "flat", "50.00", "A", "2", {"owner_id": "county-platform", "kind": "developer"}),
    ("A-1-202", "flat", "50.00", "A", "2", {"owner_id": "", "kind": "developer"}),
    ("A-S01", "shop_front", "30.00", "A", "", {"owner_id": "coll-c1", "kind": "collective", "name": "合作社"}),
    ("A-S02", "shop_front", "70.00", "A", "", {"owner_id": "coll-c1", "kind": "collective", "name": "合作社"}),
    ("B-1-101", "flat", "100.00", "B", "1", {"owner_id": "o4", "kind": "owner", "name": "李四"}),
]


def fund_body(code: str = "mf1", community: str = "c1", township: str = "t1", **extra: Any) -> dict:
    return {"fund_code": code, "name": f"{code} 住宅专项维修资金", "community_id": community,
            "township_id": township, "opened_on": "2016-01-01", "deposit_standard_yuan_per_m2": "50.00", **extra}


def units_body(day: str = "2016-01-01", units=UNITS) -> dict:
    return {"registered_on": day, "units": [
        {"unit_id": u, "kind": k, "floor_area_m2": a, "building": b, "stairwell": s, "owner": o}
        for u, k, a, b, s, o in units]}


def set_up(api) -> None:
    """mf1 with its seven units and their first deposits (50.00 yuan/m², 2016-02-01)."""
    ok(api.post("/maintenance-funds", fund_body()))
    ok(api.post(F + "/units", units_body()))
    ok(api.post(F + "/first-deposits", {"deposited_on": "2016-02-01", "reference": "首次交存"}))


def contribution(day: str, source: str, target: dict, amount: str | None = None, **extra: Any) -> dict:
    body = {"received_on": day, "source": source, "target": target, **extra}
    if amount is not None:
        body["amount"] = amount
    return body


def collective_book(api) -> None:
    ok(api.post("/books", open_book_body("coll1", starts_on="2016-01-01")))
    ok(api.post("/books/coll1/vouchers", {"voucher_date": "2016-04-20", "summary": "门面及停车收入", "lines": [
        {"account_code": "102", "debit": "9000.00"}, {"account_code": "501.01", "credit": "9000.00"}]}))


def lines(body: dict) -> dict[str, str]:
    return {line["unit_id"]: line["amount"] for line in body["lines"]}


def works_body(code: str, scope: dict, matter: str = "use", nature: str = "repair", **extra: Any) -> dict:
    return {"works_code": code, "title": f"{code} 屋面防水维修", "common_parts": "屋面", "nature": nature,
            "matter": matter, "scope": scope, "contractor": "k-roof", "estimated_cost": "24000.00",
            "proposed_on": "2017-03-01", **extra}


def ballots(answers: dict[str, str]) -> list[dict]:
    return [{"owner": owner, "answer": answer} for owner, answer in answers.items()]
