"""Pooled asset-income projects (资产收益项目): the project's aggregate and what each household is paid per cycle.

Source: DOMAIN.md §3 (Pooled asset-income projects; seeds: 2,000 yuan per cow
per cycle): households take units in a project; each cycle pays a fixed amount
per unit or a share of the project's income, by the allocation rule of §1.

Units are whole numbers (a cow, a pen, a greenhouse), so a fixed payout per
unit is exact without rounding; a share of income is allocated to the fen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.collective.errors import InvalidProject, InvalidProjectUnits
from domain.collective.membership import check_wire_id
from domain.collective.topics import keep_old_topics
from domain.collective.year_end import COLLECTIVE_CHART
from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE
from ledger.chart import account_code
from ledger.journal import VoucherDraft, credit, debit, draft_of
from ledger.money import ZERO, allocate, parse_amount
from ledger.values import value_type

METHOD_FIXED_PER_UNIT = "fixed-per-unit"
METHOD_SHARE_OF_INCOME = "largest-remainder-fen"
HOUSEHOLDS_LIMIT = 100_000
UNITS_PER_HOUSEHOLD_LIMIT = 1_000_000
HOUSEHOLD_ID_LENGTH_LIMIT = 64
PROJECT_NAME_LENGTH_LIMIT = 100
PROJECT_METHODS = ("fixed-per-unit", "share-of-income")
PAYABLE = account_code(COLLECTIVE_CHART, "payable")  # 211 应付款 household:<id>
#: The default cost account a cycle's payout is charged to (511 经营支出).
PAYOUT_COST_ACCOUNT = account_code(COLLECTIVE_CHART, "operating_expense")
PROJECT_PAYOUT_SOURCE = "collective:project-payout"


class PayoutLine(NamedTuple):
    """One household's payout for a cycle: units taken and the amount in yuan."""

    household_id: str
    units: int
    amount_yuan: Decimal


@dataclass(frozen=True)
class CyclePayout:
    """One cycle's payout: lines sorted by household id, their total and the method used."""

    lines: tuple[PayoutLine, ...]
    total_yuan: Decimal
    method: str


def check_project_units(units_by_household: Mapping[str, int]) -> list[tuple[str, int]]:
    """Units per household: 1..limit households, non-empty ids, whole units > 0; sorted by id."""
    if not 0 < len(units_by_household) <= HOUSEHOLDS_LIMIT:
        raise InvalidProjectUnits(f"a project needs 1..{HOUSEHOLDS_LIMIT} households")
    for household_id, units in units_by_household.items():
        if not isinstance(household_id, str) or not household_id or len(household_id) > HOUSEHOLD_ID_LENGTH_LIMIT:
            raise InvalidProjectUnits(f"household id {household_id!r} is not a non-empty short string")
        # bool is an int subclass; True units is a bug, not one cow.
        if type(units) is not int or not 0 < units <= UNITS_PER_HOUSEHOLD_LIMIT:
            raise InvalidProjectUnits(f"household {household_id}: units must be a whole number > 0, not {units!r}")
    return sorted(units_by_household.items())


def _payout(lines: list[PayoutLine], method: str) -> CyclePayout:
    total = sum((line.amount_yuan for line in lines), ZERO)
    # The total must itself be a valid amount (within AMOUNT_LIMIT).
    return CyclePayout(lines=tuple(lines), total_yuan=parse_amount(total), method=method)


def cycle_payout_fixed_per_unit(units_by_household: Mapping[str, int], amount_per_unit: Decimal) -> CyclePayout:
    """Each household gets units × the fixed amount per unit (e.g. 2,000.00 per cow per cycle).

    Source: DOMAIN.md §3 (Pooled asset-income projects: a fixed amount per unit).
    Exact: whole units times an amount with two places needs no rounding.
    """
    per_unit = parse_amount(amount_per_unit)
    lines = [
        PayoutLine(household_id, units, per_unit * units)
        for household_id, units in check_project_units(units_by_household)
    ]
    return _payout(lines, METHOD_FIXED_PER_UNIT)


def cycle_payout_share_of_income(units_by_household: Mapping[str, int], income: Decimal) -> CyclePayout:
    """The cycle's project income split pro rata to units, exact to the fen.

    Source: DOMAIN.md §3 (Pooled asset-income projects: a share of the
    project's income; same allocation rule) and §1 (largest remainder, ties
    by household id). The lines sum exactly to the income.
    """
    income_yuan = parse_amount(income)
    ordered = check_project_units(units_by_household)
    amounts = allocate(income_yuan, ordered)
    lines = [
        PayoutLine(household_id, units, amount)
        for (household_id, units), (_, amount) in zip(ordered, amounts, strict=True)
    ]
    payout = _payout(lines, METHOD_SHARE_OF_INCOME)
    assert payout.total_yuan == income_yuan, "the lines must sum to the income"
    return payout


# --- the project's aggregate ------------------------------------------------------------
@value_type("anju.collective.ProjectShare")
class ProjectShare:
    """A household's units in a project (cows, pens), and in a cycle its payout."""

    household_id: str
    units: int
    amount: Decimal = ZERO


def project_id(book_code: str, project_code: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"collective/org/{book_code}/project/{project_code}")


class Project(Aggregate):
    """A pooled asset-income project (资产收益): households' units and the cycles paid."""

    create_id = staticmethod(project_id)

    @event("Registered")
    def __init__(self, audit: Audit, book_code: str, project_code: str, name: str, method: str,
                 amount_per_unit: Decimal, participants: tuple[ProjectShare, ...], started_on: date) -> None:
        self.book_code = book_code
        self.project_code = project_code
        self.name = name
        self.method = method
        self.amount_per_unit = amount_per_unit
        self.participants = tuple(participants)
        self.started_on = started_on
        self.cycles_paid = 0

    @classmethod
    def register(cls, audit: Audit, *, book_code: str, project_code: str, name: str, method: str,
                 amount_per_unit: Decimal | None, units_by_household: Mapping[str, int],
                 started_on: date) -> Project:
        """Households take units in the project (DOMAIN.md §3): a fixed amount per unit, or a share of income."""
        ordered = check_project_units(units_by_household)
        check_wire_id(project_code, "project code")
        if not isinstance(name, str) or not name.strip() or len(name) > PROJECT_NAME_LENGTH_LIMIT:
            raise InvalidProject(f"a project needs a name of 1–{PROJECT_NAME_LENGTH_LIMIT} characters")
        if method not in PROJECT_METHODS:
            raise InvalidProject(f"method must be one of {PROJECT_METHODS}")
        if method == "fixed-per-unit":
            if amount_per_unit is None or parse_amount(amount_per_unit) <= 0:
                raise InvalidProject("a fixed-per-unit project needs an amount per unit > 0")
        elif amount_per_unit is not None:
            raise InvalidProject("a share-of-income project has no fixed amount per unit")
        return cls(audit=audit, book_code=book_code, project_code=project_code, name=name, method=method,
                   amount_per_unit=amount_per_unit if amount_per_unit is not None else ZERO,
                   participants=tuple(ProjectShare(h, units) for h, units in ordered), started_on=started_on)

    @property
    def units_by_household(self) -> dict[str, int]:
        return {share.household_id: share.units for share in self.participants}

    def check_next_cycle(self, cycle: int, paid_on: date) -> None:
        """Cycles are paid in order, one payout each, not before the project starts."""
        if cycle != self.cycles_paid + 1:
            raise InvalidProject(f"the next cycle of {self.project_code} is {self.cycles_paid + 1}")
        if paid_on < self.started_on:
            raise InvalidProject(f"project {self.project_code} starts on {self.started_on}")

    def payout(self, cycle: int, paid_on: date, income: Decimal | None) -> CyclePayout:
        """The next cycle's payout to the households, exact to the fen, by the project's method."""
        self.check_next_cycle(cycle, paid_on)
        if self.method == "fixed-per-unit":
            if income is not None:
                raise InvalidProject("a fixed-per-unit project pays its fixed amount; send no income")
            return cycle_payout_fixed_per_unit(self.units_by_household, self.amount_per_unit)
        if income is None:
            raise InvalidProject("a share-of-income project needs the cycle's income")
        return cycle_payout_share_of_income(self.units_by_household, income)

    def payout_voucher(self, cycle: int, paid_on: date, payout: CyclePayout,
                       debit_account: str = PAYOUT_COST_ACCOUNT) -> VoucherDraft:
        """Dr the project's cost account / Cr 211 应付款 household:<id> per household (DOMAIN.md §3).

        The households are then paid by ordinary vouchers (Dr 211 / Cr 102).
        """
        lines = [credit(PAYABLE, line.amount_yuan, f"household:{line.household_id}")
                 for line in payout.lines if line.amount_yuan > 0]
        draft = draft_of(paid_on, f"{self.name} 第{cycle}期收益分配", [debit(debit_account, payout.total_yuan), *lines],
                         f"{PROJECT_PAYOUT_SOURCE}:{self.project_code}")
        assert draft is not None
        return draft

    def record_cycle(self, audit: Audit, cycle: int, paid_on: date, payout: CyclePayout, voucher_number: str) -> None:
        self.check_next_cycle(cycle, paid_on)
        payouts = tuple(ProjectShare(line.household_id, line.units, line.amount_yuan) for line in payout.lines)
        self._cycle_paid(audit=audit, book_code=self.book_code, project_code=self.project_code, cycle=cycle,
                         paid_on=paid_on, payouts=payouts, total=payout.total_yuan, method=payout.method,
                         voucher_number=voucher_number)

    @event("CyclePaid")
    def _cycle_paid(self, audit: Audit, book_code: str, project_code: str, cycle: int, paid_on: date,
                    payouts: tuple[ProjectShare, ...], total: Decimal, method: str, voucher_number: str) -> None:
        self.cycles_paid = cycle


keep_old_topics(Project)
