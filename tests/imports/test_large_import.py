"""A roster of 2,000 members is one command and one transaction, on both stores (the writer's bounds)."""

from __future__ import annotations

from tests.collective.helpers import identity_number, organisation_body
from tests.http_answers import head, ok
from tests.imports.helpers import MEMBER_HEADER, csv_bytes, upload

ROWS = 2_000


def test_a_roster_of_two_thousand_members_is_applied_whole_in_one_save(api):
    ok(api.post("/collective/organisations", organisation_body("b1")))
    rows = [[f"M{i:05d}", f"成员{i}", f"H{i // 4:04d}", identity_number(i, f"19{50 + i // 1000:02d}0101"),
             "成员大会决议〔2024〕1号", "2024-01-05", str(ROWS), str(ROWS), str(ROWS)] for i in range(ROWS)]
    before = head(api)
    applied = ok(upload(api, "b1", "members", csv_bytes(MEMBER_HEADER, rows)))
    assert applied["applied"] == ROWS
    events = head(api) - before
    assert events >= 2 * ROWS + 1  # a membership and a register entry per row, and the import record
    register = ok(api.get("/collective/organisations/b1/members", limit=1000), 200)
    assert register["members"][0]["member_id"] == "M00000"
    again = ok(upload(api, "b1", "members", csv_bytes(MEMBER_HEADER, rows)), 200)
    assert again["already_imported"] is True and head(api) == before + events
