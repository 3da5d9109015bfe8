"""Township statements over HTTP, on both stores: consolidation, isolation, past dates, bad input.

Every total is checked against the per-community figures read independently from each book's own
endpoints (``/collective/organisations/{book}/statements/…``, ``/books/{book}/…``, ``/maintenance-funds/…``).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from tests.http_answers import ok, problem

DONGFENG, XINGLONG = "t-dongfeng", "t-xinglong"
D = Decimal
PAST = "2023-06-30"


def _books(demo, township=DONGFENG):
    places = ok(demo.get(f"/townships/{township}/communities"), 200)["communities"]
    return {p["community_id"]: p for p in places}


# --- determinism (issue 11 item 8) --------------------------------------------------------------
def _topic_counts(store) -> Counter:
    table = store.runtime.config.events_table
    with store.runtime.db.transaction(write=False) as tx:
        return Counter({topic: int(n) for topic, n in tx.query(f"SELECT topic, COUNT(*) FROM {table} GROUP BY topic")})


def test_the_demo_records_the_same_events_on_sqlite_and_postgresql(demo_stores):
    sqlite, postgres = demo_stores["sqlite"], demo_stores["postgres"]
    counts = _topic_counts(sqlite)
    assert counts == _topic_counts(postgres)
    assert sqlite.events == postgres.events > 1_000
    assert counts["domain.leases.lease:Lease.MonthBilled"] > 0
    # …and the same figures: the township overview is identical on both stores (but for the log position).
    answers = [ok(s.get(f"/townships/{DONGFENG}/overview", as_of="2026-11-30"), 200) for s in (sqlite, postgres)]
    for answer in answers:
        answer.pop("log_position")
    assert answers[0] == answers[1]


# --- consolidation ------------------------------------------------------------------------------
@pytest.mark.parametrize("as_of", ["2025-12-31", PAST])
def test_consolidated_balance_sheet_is_each_books_own_sheet_and_their_sum(demo, as_of):
    sheet = ok(demo.get(f"/townships/{DONGFENG}/statements/balance-sheet", as_of=as_of), 200)
    assert sheet["as_of"] == as_of and sheet["log_position"] > 0
    assert [c["community_id"] for c in sheet["communities"]] == ["c002", "c003"]
    totals: dict[tuple[str, str], Decimal] = Counter()
    for column in sheet["communities"]:
        own = ok(demo.get(f"/collective/organisations/{column['book_code']}/statements/balance-sheet",
                          who="auditor", as_of=as_of), 200)
        assert column["lines"] == own["lines"] and column["totals"] == own["totals"] and own["balanced"]
        for line in own["lines"] + own["totals"]:
            totals[(line["key"], "closing")] += D(line["closing"])
            totals[(line["key"], "opening")] += D(line["opening"])
    for line in sheet["total"]["lines"] + sheet["total"]["totals"]:
        assert D(line["closing"]) == totals[(line["key"], "closing")], line["key"]
        assert D(line["opening"]) == totals[(line["key"], "opening")], line["key"]
    assert sheet["total"]["community_id"] is None and sheet["total"]["balanced"]
    assert D(next(t for t in sheet["total"]["totals"] if t["key"] == "assets")["closing"]) > 0


@pytest.mark.parametrize(("year", "as_of"), [(2025, "2025-12-31"), (2024, "2024-12-31"), (2023, PAST)])
def test_consolidated_income_statement_is_each_books_own_statement_and_their_sum(demo, year, as_of):
    statement = ok(demo.get(f"/townships/{DONGFENG}/statements/income", year=year, as_of=as_of), 200)
    totals: dict[str, Decimal] = Counter()
    losses = {}
    for column in statement["communities"]:
        own = ok(demo.get(f"/collective/organisations/{column['book_code']}/statements/income", who="auditor",
                          year=year, as_of=as_of), 200)
        assert column["lines"] == own["lines"] and own["reconciles_with_balance_sheet"]
        for line in own["lines"]:
            totals[line["key"]] += D(line["amount"])
        net = D(next(line["amount"] for line in own["lines"] if line["key"] == "net_income"))
        assert column["in_losses"] == (net < 0)
        losses[column["community_id"]] = column["in_losses"]
    assert {line["key"]: D(line["amount"]) for line in statement["total"]["lines"]} == totals
    assert statement["period_end"] == as_of and statement["total"]["reconciles_with_balance_sheet"]
    # 河湾 (c003) runs at a loss from 2024; 青山 (c002) does not.
    assert losses == {"c002": False, "c003": year >= 2024}


@pytest.mark.parametrize("as_of", ["2026-11-30", "2026-06-30"])
def test_overview_totals_are_the_communities_own_registers_summed(demo, as_of):
    view = ok(demo.get(f"/townships/{DONGFENG}/overview", as_of=as_of), 200)
    rows = {r["community_id"]: r for r in view["communities"]}
    assert list(rows) == ["c002", "c003"] and view["as_of"] == as_of
    expected: dict[str, Decimal] = Counter()
    for community_id, row in rows.items():
        book = f"{community_id}-collective"
        dividends = ok(demo.get(f"/collective/organisations/{book}/dividend-register", who="auditor", as_of=as_of,
                                limit=1), 200)["years"]
        rent = ok(demo.get(f"/books/{book}/rent-roll", who="auditor", as_of=as_of, limit=1000), 200)
        aging = ok(demo.get(f"/books/{book}/arrears-aging", who="auditor", as_of=as_of), 200)
        claims = ok(demo.get(f"/books/{book}/subsidy-claims", who="auditor"), 200)
        own = {
            "dividends_declared": sum((D(y["declared"]) for y in dividends), D(0)),
            "dividends_unpaid": sum((D(y["outstanding"]) for y in dividends), D(0)),
            "monthly_rent_in_force": D(rent["monthly_rent_total"]), "shop_fronts_leased": rent["leased"],
            "rent_open": D(aging["total"]), "not_due": D(aging["totals"]["not_due"]),
            "over_180": D(aging["totals"]["over_180"]),
            "fund_balance": D(0), "units_to_replenish": 0, "amount_to_restore": D(0),
        }
        if as_of == "2026-11-30":  # the claim register is as recorded now: compare at the demo's last date
            own["claims"] = D(claims["outstanding"])
        for fund in row["maintenance_funds"]:
            detail = ok(demo.get(f"/maintenance-funds/{fund}", who="auditor", as_of=as_of), 200)
            flagged = ok(demo.get(f"/maintenance-funds/{fund}/replenishment", who="auditor", as_of=as_of), 200)
            own["fund_balance"] += D(detail["balance"])
            own["units_to_replenish"] += flagged["units_flagged"]
            own["amount_to_restore"] += D(flagged["amount_to_restore_total"])
        mine = {key: (D(row[key]) if isinstance(row[key], str) else row[key]) for key in own if key in row}
        mine.update(not_due=D(row["arrears_aging"]["not_due"]), over_180=D(row["arrears_aging"]["over_180"]))
        if "claims" in own:
            mine["claims"] = D(row["claims_outstanding"]) + D(row["claims_returned"])
        assert mine == own, community_id
        for key, value in own.items():
            expected[key] += value
    total = view["total"]
    assert total["community_id"] is None
    for key, value in expected.items():
        if key in total:
            assert (D(total[key]) if isinstance(total[key], str) else total[key]) == value, key
    assert D(total["arrears_aging"]["over_180"]) == expected["over_180"]
    if as_of == "2026-11-30":  # what the demo set up is visible in the totals
        assert rows["c002"]["claims_approved_unpaid"] != "0.00" and total["units_to_replenish"] > 0
        assert D(total["dividends_unpaid"]) > 0 and D(total["rent_overdue"]) > 0


def test_figures_as_of_a_past_date_leave_out_what_came_later(demo):
    before = ok(demo.get(f"/townships/{DONGFENG}/overview", as_of="2025-10-31"), 200)["total"]
    after = ok(demo.get(f"/townships/{DONGFENG}/overview", as_of="2026-11-30"), 200)["total"]
    assert before["rent_open"] == "0.00" and D(after["rent_open"]) > 0  # leases are billed from 2025-11
    assert before["claims_outstanding"] == "0.00" and after["claims_outstanding"] != "0.00"
    assert D(before["dividends_declared"]) < D(after["dividends_declared"])
    early = ok(demo.get(f"/townships/{DONGFENG}/statements/balance-sheet", as_of="2021-01-01"), 200)
    late = ok(demo.get(f"/townships/{DONGFENG}/statements/balance-sheet", as_of="2025-12-31"), 200)
    assert early["total"]["totals"] != late["total"]["totals"]


# --- isolation ----------------------------------------------------------------------------------
def test_a_township_office_sees_its_own_township_only(demo):
    assert [t["township_id"] for t in ok(demo.get("/townships"), 200)["townships"]] == [DONGFENG]
    assert set(_books(demo)) == {"c002", "c003"}
    for path in ("communities", "overview", "statements/balance-sheet", "statements/income"):
        problem(demo.get(f"/townships/{XINGLONG}/{path}"), 403, "out-of-scope")
        # …and a township that does not exist is refused alike: no answer tells them apart.
        problem(demo.get(f"/townships/t-nowhere/{path}"), 403, "out-of-scope")
    other = ok(demo.get(f"/townships/{XINGLONG}/overview", who="township_t-xinglong"), 200)
    assert [r["community_id"] for r in other["communities"]] == ["c004"]
    problem(demo.get(f"/townships/{DONGFENG}/overview", who="township_t-xinglong"), 403, "out-of-scope")
    # Lists show nothing of the other township, and its books are refused.
    assert {b["community_id"] for b in ok(demo.get("/books"), 200)["books"]} == {"c002", "c003"}
    assert {b["community_id"] for b in ok(demo.get("/books", who="township_t-xinglong"), 200)["books"]} == {"c004"}
    problem(demo.get("/books/c004-collective/trial-balance", who="township", as_of="2025-12-31"), 403, "out-of-scope")


def test_accountants_see_their_own_community_only(demo):
    for who in ("accountant_c002", "accountant_c003"):
        problem(demo.get("/townships", who=who), 403, "forbidden-role")
        problem(demo.get(f"/townships/{DONGFENG}/overview", who=who), 403, "out-of-scope")
    ok(demo.get("/books/c002-collective/trial-balance", who="accountant_c002", as_of="2025-12-31"), 200)
    for book in ("c003-collective", "c004-collective"):
        problem(demo.get(f"/books/{book}/trial-balance", who="accountant_c002", as_of="2025-12-31"), 403,
                "out-of-scope")
    books = ok(demo.get("/books", who="accountant_c002"), 200)
    listed = {b["community_id"] for b in books["books"]}
    assert listed == {"c002"}


def test_auditors_see_what_their_scope_covers(demo):
    listed = ok(demo.get("/townships", who="auditor"), 200)["townships"]
    assert [t["township_id"] for t in listed] == [DONGFENG, XINGLONG]
    assert ok(demo.get(f"/townships/{XINGLONG}/communities", who="auditor"), 200)["communities"][0][
        "community_id"] == "c004"
    # Only a caller allowed to read every township learns that one does not exist.
    problem(demo.get("/townships/t-nowhere/overview", who="auditor"), 404, "township-not-found")
    assert [t["township_id"] for t in ok(demo.get("/townships", who="auditor_xinglong"), 200)["townships"]] == [
        XINGLONG]
    problem(demo.get(f"/townships/{DONGFENG}/overview", who="auditor_xinglong"), 403, "out-of-scope")
    problem(demo.get(f"/townships/{DONGFENG}/overview", who="auditor_c002"), 403, "out-of-scope")


# --- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "params", "status", "slug"), [
    ("overview", {"as_of": "2025-13-01"}, 422, "invalid-request"),
    ("statements/balance-sheet", {"as_of": "yesterday"}, 422, "invalid-request"),
    ("statements/balance-sheet", {"as_of": "1999-12-31"}, 422, "invalid-as-of"),
    ("statements/income", {"year": "2026", "as_of": "2025-12-31"}, 422, "invalid-period"),
    ("statements/income", {"year": "1800"}, 422, "invalid-request"),
])
def test_bad_dates_are_refused_with_problem_json(demo, path, params, status, slug):
    problem(demo.get(f"/townships/{DONGFENG}/{path}", **params), status, slug)


def test_a_malformed_township_id_or_no_token_is_refused(demo):
    response = demo.get("/townships/bad%20id/overview", who="auditor")
    assert response.status_code == 422 and response.headers["content-type"].startswith("application/problem+json")
    anonymous = demo.client.get(f"/townships/{DONGFENG}/overview")
    problem(anonymous, 401, "unauthenticated")
