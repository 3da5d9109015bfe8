"""Reminders of property-fee arrears (催缴记录): the one way arrears are followed up.

Source: DOMAIN.md §5 Money: "Arrears may not be enforced by cutting water, power, heat or gas
(民法典 Art. 944): the system only records and reminds." A reminder is recorded on the
household's own stream by ``Household.remind`` (the command and its event live on the aggregate;
its value type and rules are here, mixed in as ``ReminderRules`` the way ``FundRules`` is into
``Fund``): the day, how (上门 visit, 电话 phone, 书面通知 written notice, 短信 text message), a
note, and what the household owed as of that day. It moves no money — no voucher, no posting — and
blocks nothing (a household's arrears never block the subsidy claim). No action that cuts off or
restricts water, power, heat or gas exists in this package, and none may be modelled (Art. 944).

The household aggregate knows every bill's date, share and every receipt's date and amount, so
"in arrears as of the reminder's day" is checked from aggregate state, with no I/O, by the same
reading the arrears list uses (bills dated on or before the day less receipts on or before it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from domain.subsidies.errors import (
    InvalidReminderMethod,
    ReminderBeforeMoveIn,
    ReminderInFuture,
    ReminderNoteTooLong,
    ReminderWithoutArrears,
)
from ledger.money import ZERO
from ledger.values import value_type

if TYPE_CHECKING:
    from domain.subsidies.receipt import HouseholdReceipt

#: The ways a reminder is given (a closed list), with their Chinese names.
REMINDER_METHODS = {"visit": "上门", "phone": "电话", "notice": "书面通知", "message": "短信"}
MAX_REMINDER_NOTE = 200


@value_type("anju.subsidies.Reminder")
class Reminder:
    """One reminder (催缴) given to a household: when, how, a note, and what it owed that day."""

    reminded_on: date
    method: str
    note: str
    owed: Decimal


def check_reminder_method(method: object) -> str:
    """A reminder is given by visit (上门), phone (电话), written notice (书面通知) or text message (短信).

    Source: DOMAIN.md §5 Money ("the system only records and reminds"); the closed list is this
    product's reading (README, Property-fee subsidies): a cut-off of water, power, heat or gas is no
    method of reminding (民法典 Art. 944), so it is not in the list.
    """
    if not isinstance(method, str) or method not in REMINDER_METHODS:
        raise InvalidReminderMethod(f"a reminder is given by one of {', '.join(REMINDER_METHODS)}; not {method!r}")
    return method


def check_reminder_note(note: object) -> str:
    """A reminder's note is text of at most 200 characters (may be empty; the reason is in the audit stamp)."""
    if not isinstance(note, str) or len(note) > MAX_REMINDER_NOTE:
        raise ReminderNoteTooLong(f"a reminder's note is at most {MAX_REMINDER_NOTE} characters")
    return note


def check_reminder_not_in_future(reminded_on: date, today: date) -> date:
    """A reminder records what was done: it is dated today (CST) or earlier, never ahead."""
    if reminded_on > today:
        raise ReminderInFuture(f"a reminder dated {reminded_on} lies after today ({today})")
    return reminded_on


class ReminderRules:
    """The reminder checks of ``Household`` over the state its events build."""

    household_id: str
    charges: list[tuple[str, Decimal]]
    charged_on: list[date]
    receipts: Sequence[HouseholdReceipt]

    @property
    def moved_in_on(self) -> date:  # pragma: no cover - ``Household`` defines it
        raise NotImplementedError

    def owed_on(self, day: date) -> Decimal:
        """What the household owed as of ``day``: its bills dated on or before it less its receipts then."""
        billed = sum((share for (_, share), on in zip(self.charges, self.charged_on) if on <= day), ZERO)
        return billed - sum((r.amount for r in self.receipts if r.received_on <= day), ZERO)

    def check_reminder_after_move_in(self, reminded_on: date) -> None:
        """A reminder is dated on or after the household's move-in date (DOMAIN.md §5 Household register)."""
        if reminded_on < self.moved_in_on:
            raise ReminderBeforeMoveIn(f"household {self.household_id} moved in on {self.moved_in_on}; "
                                       f"a reminder dated {reminded_on} precedes it")

    def check_reminder_for_arrears(self, reminded_on: date) -> Decimal:
        """A reminder is only for a household in arrears as of its day (DOMAIN.md §5 Money: records and reminds)."""
        owed = self.owed_on(reminded_on)
        if owed <= ZERO:
            raise ReminderWithoutArrears(f"household {self.household_id} owed nothing as of {reminded_on}; "
                                         "there is nothing to remind of")
        return owed
