"""Helpers for the subsidies HTTP tests: a collective book b1 (community c1, township t1)."""

from __future__ import annotations

from tests.http_answers import head, ok, problem  # noqa: F401 - re-exported for this package's tests

from tests.conftest import issue_token, open_book_body

BOOK = "/books/b1"


def open_book(api, starts_on: str = "2019-01-01") -> None:
    ok(api.post("/books", open_book_body(starts_on=starts_on)))


def building(api, code: str = "B1", storeys: int = 7, has_lift: bool = True) -> dict:
    return ok(api.post(f"{BOOK}/buildings", {"building_code": code, "name": f"{code}号楼", "storeys": storeys,
                                             "has_lift": has_lift}))


def household_body(household_id: str = "H1", area: str = "80.00", moved_in_on: str = "2019-06-20",
                   building_code: str = "B1", **extra) -> dict:
    body = {"household_id": household_id, "building_code": building_code, "unit_number": f"1-{household_id}",
            "floor_area_m2": area, "moved_in_on": moved_in_on, "persons": 4, "labourers": 2}
    body.update(extra)
    return body


def household(api, **kwargs) -> dict:
    return ok(api.post(f"{BOOK}/households", household_body(**kwargs)))


def bill(api, month: str) -> dict:
    return ok(api.post(f"{BOOK}/property-billing-runs", {"month": month}), 200)


def schedule(api, household_id: str = "H1", **params) -> dict[str, dict]:
    body = ok(api.get(f"{BOOK}/households/{household_id}/schedule", **params), 200)
    return {line["month"]: line for line in body["lines"]}


def figures(line: dict) -> tuple[str, str, str]:
    return line["fee"], line["subsidy"], line["household_share"]


def township_t2(api) -> str:
    return issue_token(api.runtime, "township", "township:t2", "township-t2")


def trial_balance(api, as_of: str, start: str = "2019-01-01") -> dict[str, dict]:
    body = ok(api.get(f"{BOOK}/trial-balance", as_of=as_of, **{"from": start}), 200)
    assert body["balanced"] is True
    return {row["account_code"]: row for row in body["rows"]}
