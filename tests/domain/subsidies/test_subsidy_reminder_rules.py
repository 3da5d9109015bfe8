"""DOMAIN.md §5 Money: arrears are recorded and reminded only (民法典 Art. 944) — the reminder rules (pure)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.subsidies import reminder
from domain.subsidies.errors import (
    InvalidReminderMethod,
    ReminderBeforeMoveIn,
    ReminderInFuture,
    ReminderNoteTooLong,
    ReminderWithoutArrears,
)
from domain.subsidies.household import Adjustment, CountsFrom, Household
from domain.subsidies.receipt import HouseholdReceipt
from domain.subsidies.reminder import (
    Reminder,
    check_reminder_method,
    check_reminder_not_in_future,
    check_reminder_note,
)
from ledger.audit import Audit

D = Decimal
AUDIT = Audit("acc", "accountant", "test")
MOVED_IN = date(2019, 6, 20)


def household_owing() -> Household:
    """Billed 12.00 on 2022-06-01 and 36.00 on 2022-07-01; 48.00 received on 2022-08-01."""
    h = Household(audit=AUDIT, book_code="b1", household_id="H1", building_code="B1", building_type="mid_rise",
                  flat_number="1-101", floor_area_m2=D("80"), moved_in_on=MOVED_IN, head=None,
                  counts=CountsFrom(MOVED_IN, 4, 2), billing_from_month="2022-06")
    for run_month, share in (("2022-06", "12.00"), ("2022-07", "36.00")):
        h.bill(AUDIT, run_month, date.fromisoformat(f"{run_month}-01"), (),
               (Adjustment("floor_area", date(2022, 6, 1), D(0), D(0), D(share), ()),), f"记-{run_month}-0001")
    h.record_receipt(AUDIT, HouseholdReceipt("R-H1-001", date(2022, 8, 1), D("48.00"), "", "记-2022-08-0001", ()))
    return h


def test_check_reminder_method_is_a_closed_list_without_any_cut_off():
    assert [check_reminder_method(m) for m in ("visit", "phone", "notice", "message")] == list(
        reminder.REMINDER_METHODS)
    assert set(reminder.REMINDER_METHODS.values()) == {"上门", "电话", "书面通知", "短信"}
    for bad in ("cut-water", "cut_power", "stop-heating", "SMS", "", None, 1):
        with pytest.raises(InvalidReminderMethod):
            check_reminder_method(bad)


def test_check_reminder_note_is_at_most_200_characters():
    assert check_reminder_note("") == "" and check_reminder_note("欠" * 200) == "欠" * 200
    for bad in ("欠" * 201, None):
        with pytest.raises(ReminderNoteTooLong):
            check_reminder_note(bad)


def test_check_reminder_not_in_future():
    assert check_reminder_not_in_future(date(2026, 12, 1), date(2026, 12, 1)) == date(2026, 12, 1)
    with pytest.raises(ReminderInFuture):
        check_reminder_not_in_future(date(2026, 12, 2), date(2026, 12, 1))


def test_check_reminder_after_move_in():
    h = household_owing()
    h.check_reminder_after_move_in(MOVED_IN)
    with pytest.raises(ReminderBeforeMoveIn):
        h.check_reminder_after_move_in(date(2019, 6, 19))


def test_check_reminder_for_arrears_reads_bills_and_receipts_as_of_the_day():
    h = household_owing()
    assert [h.owed_on(date.fromisoformat(d)) for d in ("2022-05-31", "2022-06-01", "2022-07-01", "2022-08-01")] == [
        D(0), D("12.00"), D("48.00"), D(0)]
    assert h.check_reminder_for_arrears(date(2022, 6, 15)) == D("12.00")
    for day in (date(2022, 5, 31), date(2022, 8, 1)):
        with pytest.raises(ReminderWithoutArrears):
            h.check_reminder_for_arrears(day)


def test_remind_records_one_event_and_moves_no_money():
    h = household_owing()
    h.collect_events()
    owed, charges = h.owed, list(h.charges)
    assert h.remind(AUDIT, date(2022, 7, 10), "visit", "上门提醒") == Reminder(date(2022, 7, 10), "visit", "上门提醒",
                                                                             D("48.00"))
    [event] = h.collect_events()
    assert isinstance(event, Household.ArrearsReminded) and h.reminders == (event.reminder,)
    assert (h.owed, h.charges) == (owed, charges)
    with pytest.raises(InvalidReminderMethod):  # the method is checked first; nothing is recorded
        h.remind(AUDIT, date(2019, 1, 1), "cut-water", "")
    assert h.collect_events() == [] and len(h.reminders) == 1
