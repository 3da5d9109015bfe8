"""Bulk imports over HTTP on both stores: every bad row named, nothing written; applied once; templates."""

from __future__ import annotations

import io

from tests.collective.helpers import organisation_body
from tests.conftest import open_book_body
from tests.http_answers import head, ok, problem
from tests.imports.helpers import MEMBER_HEADER, XLSX, csv_bytes, member_row, upload, xlsx_bytes

GOOD_ROWS = [member_row("M1", 1, "H1"), member_row("M2", 2, "H1"), member_row("M3", 3, "H2")]


def _organisation(api) -> None:
    ok(api.post("/collective/organisations", organisation_body("b1")))


def test_a_roster_with_errors_in_several_rows_is_refused_whole_naming_every_row_and_column(api):
    _organisation(api)
    rows = [
        member_row("M1", 1),
        member_row("M2", 2, identity="52010219800101002X"),  # row 3: wrong check character
        member_row("M3", 3, name=""),  # row 4: no name
        member_row("M4", 4, present="1"),  # row 5: quorum not met
        member_row("M1", 5),  # row 6: the same member id as row 2
        member_row("M 6", 6),  # row 7: not an id
    ]
    before = head(api)
    body = problem(upload(api, "b1", "members", csv_bytes(MEMBER_HEADER, rows)), 422, "import-rows-invalid")
    found = {(e["row"], e["column"], e["rule"]) for e in body["errors"]}
    assert (3, "identity_number", "invalid-identity-number") in found
    assert (4, "name", "missing") in found
    assert (5, "present", "quorum-not-met") in found
    assert (6, "member_id", "import-duplicate-row") in found
    assert (7, "member_id", "string_pattern_mismatch") in found
    assert {e["row"] for e in body["errors"]} == {3, 4, 5, 6, 7}
    assert all(e["message"] and e["loc"] == ["file", str(e["row"]), e["column"]] for e in body["errors"])
    assert head(api) == before  # nothing written
    assert ok(api.get("/collective/organisations/b1/members"), 200)["members"] == []


def test_the_corrected_roster_is_applied_once_and_the_same_file_again_records_nothing(api):
    _organisation(api)
    content = csv_bytes(MEMBER_HEADER, GOOD_ROWS)
    applied = ok(upload(api, "b1", "members", content, file_name="成员名册.csv", reason="导入成员名册",
                        headers={"Idempotency-Key": "roster-1"}))
    assert (applied["rows"], applied["applied"], applied["skipped"], applied["already_imported"]) == (3, 3, 0, False)
    after_first = head(api)
    again = ok(upload(api, "b1", "members", content), 200)
    assert again["already_imported"] is True and again["applied"] == 0
    assert head(api) == after_first == again["log_position"]  # nothing new: the log as it stands
    # the same rows in another file (here without BOM): recognised row by row, nothing new
    other = ok(upload(api, "b1", "members", csv_bytes(MEMBER_HEADER, GOOD_ROWS, bom=False)), 200)
    assert (other["applied"], other["skipped"], other["already_imported"]) == (0, 3, False)
    assert head(api) == after_first
    # a recorded member with other details is an error, not an update
    changed = [*GOOD_ROWS[:2], member_row("M3", 3, "H9")]
    body = problem(upload(api, "b1", "members", csv_bytes(MEMBER_HEADER, changed)), 422, "import-rows-invalid")
    assert [(e["row"], e["column"], e["rule"]) for e in body["errors"]] == [(4, "member_id", "import-row-differs")]
    assert head(api) == after_first
    # every event of the import carries the stamp: who, why, the key
    history = ok(api.get("/books/b1/history", token="auditor", limit=1000), 200)["events"]
    imported = [e for e in history if e["idempotency_key"] == "roster-1"]
    assert any(e["event_type"].endswith("FileImported") for e in imported)
    assert all(e["actor"] == "acc-c1" and e["reason"].startswith("导入成员名册") for e in imported)


def test_an_xlsx_roster_is_imported_like_a_csv_one(api):
    _organisation(api)
    rows = [[*r[:6], int(r[6]), int(r[7]), int(r[8])] for r in GOOD_ROWS]  # counts as numeric cells
    applied = ok(upload(api, "b1", "members", xlsx_bytes(MEMBER_HEADER, rows), XLSX))
    assert applied["applied"] == 3


def test_a_downloaded_template_filled_in_round_trips_into_a_valid_import(api):
    from openpyxl import load_workbook

    ok(api.post("/books", open_book_body("b1")))
    response = api.client.get("/imports/templates/tenants.xlsx",
                              headers={"Authorization": f"Bearer {api.accountant}"})
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == ["承租人编号 tenant_code", "名称 name", "类型 kind", "联系方式 contact"]
    described = ok(api.get("/imports/templates/tenants.json"), 200)  # the same columns, for a machine
    assert [c["header"] for c in described["columns"]] == [c.value for c in sheet[1]]
    sheet.append(["T002", "李四", "person", "13900000000"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    applied = ok(upload(api, "b1", "tenants", buffer.getvalue(), XLSX))
    assert applied["applied"] == 2  # the example row and the one added
    tenants = ok(api.get("/books/b1/tenants"), 200)["tenants"]
    assert [t["tenant_code"] for t in tenants] == ["T001", "T002"]

    csv_template = api.client.get("/imports/templates/opening-balances.csv",
                                  headers={"Authorization": f"Bearer {api.accountant}"}, params={"example": False})
    assert csv_template.content.startswith("\ufeff科目编码 account_code".encode())
    filled = csv_template.content + "102,,500.00,,\r\n301,,,500.00,\r\n".encode()
    entered = ok(upload(api, "b1", "opening-balances", filled))
    assert entered["applied"] == 2
    tb = ok(api.get("/books/b1/trial-balance", as_of="2025-01-31"), 200)
    assert next(r for r in tb["rows"] if r["account_code"] == "102")["opening"]["debit"] == "500.00"


def test_opening_balances_from_a_file_that_do_not_balance_or_name_parents_are_refused(api):
    ok(api.post("/books", open_book_body("b1")))
    header = ["科目编码 account_code", "辅助核算 subledger", "借方余额 debit", "贷方余额 credit"]
    before = head(api)
    unbalanced = problem(upload(api, "b1", "opening-balances", csv_bytes(header, [["102", "", "100.00", ""],
                                                                                 ["301", "", "", "99.99"]])),
                         422, "import-rows-invalid")
    assert [e["rule"] for e in unbalanced["errors"]] == ["opening-balances-unbalanced"]
    bad_lines = problem(upload(api, "b1", "opening-balances", csv_bytes(header, [
        ["501", "", "100.00", ""], ["301", "", "", "1.001"], ["102", "", "5.00", "5.00"]])), 422, "import-rows-invalid")
    assert {(e["row"], e["column"], e["rule"]) for e in bad_lines["errors"]} == {
        (2, "account_code", "account-not-postable"), (3, "credit", "string_pattern_mismatch"),
        (4, "debit", "invalid-line")}
    assert head(api) == before
    ok(upload(api, "b1", "opening-balances", csv_bytes(header, [["102", "", "100.00", ""], ["301", "", "", "100.00"]])))
    ok(api.post("/books/b1/periods/2025-01/close", {"reason": "结账"}), 200)
    locked = head(api)
    problem(upload(api, "b1", "opening-balances", csv_bytes(header, [["102", "", "200.00", ""],
                                                                      ["301", "", "", "200.00"]])),
            409, "opening-balances-locked")
    assert head(api) == locked


def test_malformed_oversized_and_wrong_template_files_are_refused_naming_the_rule(api):
    _organisation(api)
    before = head(api)
    problem(upload(api, "b1", "members", b""), 422, "import-file-empty")
    problem(upload(api, "b1", "members", b"PK\x03\x04 not really a zip", XLSX), 422, "import-file-not-xlsx")
    problem(upload(api, "b1", "members", b"\x89PNG\r\n", XLSX), 422, "import-file-not-xlsx")
    problem(upload(api, "b1", "members", b"\xff\xfe\x00\x00garbage"), 422, "import-file-not-utf8")
    problem(upload(api, "b1", "members", b"{}", "application/json"), 422, "import-file-unsupported-type")
    problem(upload(api, "b1", "members", csv_bytes(["member_id", "name"], [["M1", "张三"]])), 422,
            "import-wrong-template")
    problem(upload(api, "b1", "members", csv_bytes([*MEMBER_HEADER, "工资 salary"], [member_row("M1", 1)])), 422,
            "import-wrong-template")
    problem(upload(api, "b1", "members", csv_bytes(MEMBER_HEADER, [])), 422, "import-file-empty")
    problem(upload(api, "b1", "members", csv_bytes(MEMBER_HEADER, [member_row("M1", 1) + ["extra"]])), 422,
            "import-wrong-template")
    problem(upload(api, "b1", "payroll", csv_bytes(MEMBER_HEADER, [member_row("M1", 1)])), 404, "unknown-import-kind")
    problem(upload(api, "b1", "members", csv_bytes(MEMBER_HEADER, [member_row("M1", 1, name="张\x00三")])), 422,
            "import-rows-invalid")
    too_many = csv_bytes(MEMBER_HEADER, [member_row(f"M{i}", i) for i in range(5_001)])
    problem(upload(api, "b1", "members", too_many), 422, "import-too-many-rows")
    oversized = csv_bytes(MEMBER_HEADER, [member_row("M1", 1, name="张" * 400)] * 4000)
    assert len(oversized) > 4 * 1024 * 1024
    problem(upload(api, "b1", "members", oversized), 413, "request-too-large")
    assert head(api) == before


def test_an_import_into_another_communitys_book_is_forbidden_before_the_file_is_read(api):
    _organisation(api)
    before = head(api)
    problem(upload(api, "b1", "members", b"not even a file", token="other_accountant"), 403, "out-of-scope")
    problem(upload(api, "b1", "members", csv_bytes(MEMBER_HEADER, GOOD_ROWS), token="auditor"), 403, "forbidden-role")
    assert head(api) == before


def test_households_shop_fronts_and_fund_units_import_through_their_own_rules(api):
    ok(api.post("/books", open_book_body("b1")))
    ok(api.post("/books/b1/buildings", {"building_code": "B1", "name": "安置1号楼", "storeys": 7}))
    households = csv_bytes(["household_id", "building_code", "unit_number", "floor_area_m2", "moved_in_on", "persons"],
                           [["H1", "B1", "1-1-101", "80.00", "2019-06-20", "4"],
                            ["H2", "B9", "1-1-102", "80.00", "2019-06-20", "3"],
                            ["H3", "B1", "1-1-103", "80.00", "2019-06-20", "x"],
                            ["H4", "B1", "1-1-104", "80.001", "2019-06-20", "2"]])
    body = problem(upload(api, "b1", "households", households), 422, "import-rows-invalid")
    assert {(e["row"], e["column"]) for e in body["errors"]} == {(3, "building_code"), (4, "persons"),
                                                                (5, "floor_area_m2")}
    fixed = households.replace(b"B9", b"B1").replace(b"80.001", b"80.00").replace(b",x", b",2")
    assert ok(upload(api, "b1", "households", fixed))["applied"] == 4

    shops = csv_bytes(["unit_number", "location", "floor_area_m2", "owner", "operator", "manager",
                       "rights_effective_on"], [["A-101", "临街", "50.00", "county-platform", "b1", "c1-property",
                                                 "2024-01-01"], ["A-102", "临街", "0.00", "county-platform", "b1",
                                                                 "c1-property", "2024-01-01"]])
    body = problem(upload(api, "b1", "shop-fronts", shops), 422, "import-rows-invalid")
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "floor_area_m2")]
    assert ok(upload(api, "b1", "shop-fronts", shops.replace(b"0.00,county", b"45.50,county")))["applied"] == 2

    ok(api.post("/maintenance-funds", {"fund_code": "mf1", "name": "维修资金", "community_id": "c1",
                                       "township_id": "t1", "opened_on": "2016-01-01",
                                       "deposit_standard_yuan_per_m2": "50.00"}))
    units = csv_bytes(["unit_id", "kind", "floor_area_m2", "building", "stairwell", "owner_id", "owner_kind",
                       "registered_on"], [["1-1-101", "flat", "80.00", "1", "1", "H1", "owner", "2016-01-01"],
                                          ["1-1-102", "villa", "80.00", "1", "1", "H2", "owner", "2016-01-01"]])
    body = problem(upload(api, "mf1", "fund-units", units), 422, "import-rows-invalid")
    assert [e["row"] for e in body["errors"]] == [3]
    assert ok(upload(api, "mf1", "fund-units", units.replace(b"villa", b"flat")))["applied"] == 2
    assert len(ok(api.get("/maintenance-funds/mf1/units"), 200)["units"]) == 2


def test_kinds_list_their_columns(api):
    kinds = ok(api.get("/imports/kinds"), 200)
    assert {k["kind"] for k in kinds["kinds"]} == {"members", "households", "shop-fronts", "tenants", "fund-units",
                                                  "opening-balances"}
    assert kinds["max_rows"] == 5_000
