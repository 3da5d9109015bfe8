"""Reminders of property-fee arrears (催缴) over HTTP, on SQLite and PostgreSQL (DOMAIN.md §5 Money, §7).

Arrears are recorded and reminded only (民法典 Art. 944): a reminder is an event on the household's
stream with who, when and why, moves no money, and shows on the arrears list.
"""

from __future__ import annotations

from datetime import datetime

from tests.exports.files import table, workbook_rows
from tests.subsidies.helpers import BOOK, bill, building, head, household, ok, open_book, problem

REMINDERS = f"{BOOK}/households/H1/reminders"


def _in_arrears(api) -> None:
    """H1 (80 m² at 0.90, moved in 2019-06-20) owes 12.00 for June 2022 and 36.00 for July (billed on the 1st)."""
    open_book(api)
    building(api)
    household(api)
    bill(api, "2022-07")


def _topics_after(api, position: int) -> list[str]:
    return [n.topic for n in api.runtime.app.recorder.select_notifications(start=position + 1, limit=100)]


def test_a_reminder_is_recorded_with_who_when_why_and_shows_on_the_arrears_list(api):
    _in_arrears(api)
    listed = ok(api.get(f"{BOOK}/property-fee-arrears", as_of="2022-07-31"), 200)["households"]
    assert [(a["household_id"], a["owed"], a["last_reminded_on"], a["reminders"]) for a in listed] == [
        ("H1", "48.00", None, 0)]
    before = head(api)
    first = ok(api.post(REMINDERS, {"reminded_on": "2022-07-10", "method": "phone", "note": "电话提醒缴纳6、7月物业费"}))
    assert first == {"book_code": "b1", "household_id": "H1", "reminded_on": "2022-07-10", "method": "phone",
                     "method_zh": "电话", "note": "电话提醒缴纳6、7月物业费", "owed": "48.00", "reminded_by": "acc-c1",
                     "reminders": 1, "log_position": first["log_position"]}
    topics = _topics_after(api, before)
    assert len(topics) == 1 and topics[0].endswith("Household.ArrearsReminded"), topics  # no voucher, no posting
    second = ok(api.post(REMINDERS, {"reminded_on": "2022-07-20", "method": "notice"}))
    assert (second["method_zh"], second["note"], second["reminders"]) == ("书面通知", "", 2)

    listed = ok(api.get(REMINDERS), 200)
    assert listed["unit_number"] == "1-H1" and "第九百四十四条" in listed["note"]
    rows = listed["reminders"]
    assert [(r["seq"], r["reminded_on"], r["method"], r["owed"]) for r in rows] == [
        (1, "2022-07-10", "phone", "48.00"), (2, "2022-07-20", "notice", "48.00")]
    assert all((r["reminded_by"], r["role"], r["reason"]) == ("acc-c1", "accountant", "催缴物业费 H1") for r in rows)
    assert all(r["recorded_at"] for r in rows)
    assert ok(api.get(REMINDERS, token="auditor"), 200)["reminders"] == rows

    arrears = ok(api.get(f"{BOOK}/property-fee-arrears", as_of="2022-07-31"), 200)["households"]
    assert [(a["last_reminded_on"], a["reminders"]) for a in arrears] == [("2022-07-20", 2)]
    as_of_15th = ok(api.get(f"{BOOK}/property-fee-arrears", as_of="2022-07-15"), 200)["households"]
    assert [(a["last_reminded_on"], a["reminders"]) for a in as_of_15th] == [("2022-07-10", 1)]

    exported = api.get(f"{BOOK}/property-fee-arrears", as_of="2022-07-31", format="xlsx")
    assert exported.status_code == 200, exported.text
    headers, body = table(workbook_rows(exported.content)[1], "户号")
    row = dict(zip(headers, [c.value for c in body[0]]))
    assert (row["户号"], row["最近催缴"], row["催缴次数"]) == ("H1", datetime(2022, 7, 20), 2)


def test_a_reminder_needs_arrears_as_of_its_own_day(api):
    _in_arrears(api)
    ok(api.post(f"{BOOK}/property-fee-receipts", {"household_id": "H1", "received_on": "2022-08-01",
                                                  "amount": "48.00"}))
    before = head(api)
    problem(api.post(REMINDERS, {"reminded_on": "2022-05-10", "method": "visit"}), 422, "reminder-without-arrears")
    problem(api.post(REMINDERS, {"reminded_on": "2022-08-05", "method": "visit"}), 422, "reminder-without-arrears")
    assert head(api) == before
    assert ok(api.post(REMINDERS, {"reminded_on": "2022-07-25", "method": "visit"}))["owed"] == "48.00"
    assert ok(api.get(f"{BOOK}/property-fee-arrears", as_of="2022-08-31"), 200)["households"] == []


def test_each_refused_reminder_names_its_rule_and_writes_nothing(api):
    _in_arrears(api)
    before = head(api)
    for body, status, slug in (
        ({"reminded_on": "2022-07-10", "method": "cut-water"}, 422, "reminder-method-invalid"),
        ({"reminded_on": "2022-07-10", "method": "SMS"}, 422, "reminder-method-invalid"),
        ({"reminded_on": "2022-07-10", "method": "phone", "note": "欠" * 201}, 422, "reminder-note-too-long"),
        ({"reminded_on": "2019-06-19", "method": "phone"}, 422, "reminder-before-move-in"),
        ({"reminded_on": "2999-01-01", "method": "phone"}, 422, "reminder-in-future"),
        ({"reminded_on": "2022-07-10"}, 422, "invalid-request"),
    ):
        problem(api.post(REMINDERS, body), status, slug)
    problem(api.post(f"{BOOK}/households/H9/reminders", {"reminded_on": "2022-07-10", "method": "phone"}), 404,
            "household-not-found")
    problem(api.get(f"{BOOK}/households/H9/reminders"), 404, "household-not-found")
    for token in ("auditor", "township"):
        assert api.post(REMINDERS, {"reminded_on": "2022-07-10", "method": "phone"}, token=token).status_code == 403
    assert head(api) == before
    assert ok(api.get(REMINDERS), 200)["reminders"] == []
    assert ok(api.post(REMINDERS, {"reminded_on": "2022-07-10", "method": "message", "note": "欠" * 200}))[
        "reminders"] == 1
