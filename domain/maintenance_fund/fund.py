"""The Fund (维修资金): one per property-management area (or building), with a sub-ledger per unit.

Source: 165号令 Arts. 6–7, 10, 17, 27–29; DOMAIN.md §6. The fund keeps every unit's record,
first deposit, balance (201 ``unit:<id>``) and receivable (112 ``unit:<id>``) as aggregate
state, so rules read balances from the aggregate, never from a read model, and a movement
over every unit of a large fund is one event. Its money moves on its own book (the
``maintenance_fund`` chart), posted by the use cases in the same command.

Sub-ledger movements are recorded in date order, and never inside a period whose interest
was allocated: the balance a rule reads is then the balance on the movement's date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.maintenance_fund.contribution import (
    Contribution,
    FirstDeposits,
    Line,
    allocate_by_floor_area,
    first_deposit_amount,
)
from domain.maintenance_fund.errors import (
    InvalidDepositStandard,
    InvalidInterestAllocation,
    InvalidUnit,
    NoUnitsInTarget,
    UnitAlreadyRegistered,
)
from domain.maintenance_fund.fund_rules import AREA_KINDS, FundRules, check_fund_place
from domain.maintenance_fund.interest import InterestAllocation, InterestBasis, allocate_interest, check_interest_period, interest_weight
from domain.maintenance_fund.unit import Owner, UnitRecord, UnitState
from domain.maintenance_fund.works import ChargeLine, apportion_cost
from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE
from ledger.money import ZERO, to_fen

def fund_id(book_code: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"maintenance_fund/{book_code}")


class Fund(FundRules, Aggregate):
    """A housing special maintenance fund, addressed by its book's code (its rules: ``fund_rules``)."""

    @staticmethod
    def create_id(book_code: str) -> UUID:  # type: ignore[override]
        return fund_id(book_code)

    @event("Opened")
    def __init__(self, audit: Audit, book_code: str, fund_code: str, name: str, community_id: str,
                 township_id: str, area_kind: str, building: str, opened_on: date, deposit_standard: Decimal,
                 interest_basis: str) -> None:
        self.book_code = book_code
        self.fund_code = fund_code
        self.name = name
        self.community_id = community_id
        self.township_id = township_id
        self.area_kind = area_kind
        self.building = building
        self.opened_on = opened_on
        self.standards: list[tuple[date, Decimal]] = [(opened_on, deposit_standard)]
        self.interest_basis = interest_basis
        self.units: dict[str, UnitState] = {}
        self.owner_kinds: dict[str, str] = {}
        self.latest_movement_on = opened_on
        self.last_interest_to: date | None = None

    @classmethod
    def open(cls, audit: Audit, *, fund_code: str, name: object, community_id: str, township_id: str,
             area_kind: object, building: object, opened_on: date, deposit_standard: Decimal,
             interest_basis: InterestBasis) -> Fund:
        """One fund per property-management area, or per building where there is none (165号令 Art. 10)."""
        building_code = check_fund_place(name, area_kind, building)
        return cls(audit=audit, book_code=fund_code, fund_code=fund_code, name=name, community_id=community_id,
                   township_id=township_id, area_kind=area_kind, building=building_code, opened_on=opened_on,
                   deposit_standard=deposit_standard, interest_basis=interest_basis.value)

    # --- units ---------------------------------------------------------------------------------
    def register_units(self, audit: Audit, registered_on: date, units: Sequence[UnitRecord]) -> None:
        self.check_date(registered_on, "registration")
        pending: dict[str, str] = {}
        for unit in units:
            if unit.unit_id in self.units:
                raise UnitAlreadyRegistered(f"unit {unit.unit_id} is already registered in fund {self.fund_code}")
            if self.area_kind == "building" and unit.building != self.building:
                raise InvalidUnit(f"fund {self.fund_code} is building {self.building}'s; {unit.unit_id} is not in it")
            self.check_owner_kind(unit.owner, pending)
            if unit.owner.owner_id:
                pending[unit.owner.owner_id] = unit.owner.kind
        self._units_registered(audit=audit, registered_on=registered_on, units=tuple(units))

    @event("UnitsRegistered")
    def _units_registered(self, audit: Audit, registered_on: date, units: tuple[UnitRecord, ...]) -> None:
        for unit in units:
            self.units[unit.unit_id] = UnitState(unit, registered_on)
            if unit.owner.owner_id:
                self.owner_kinds[unit.owner.owner_id] = unit.owner.kind

    def set_deposit_standard(self, audit: Audit, effective_on: date, standard: Decimal) -> None:
        if effective_on <= self.standards[-1][0]:
            raise InvalidDepositStandard(f"a new standard takes effect after {self.standards[-1][0]}")
        self._deposit_standard_set(audit=audit, effective_on=effective_on, standard=standard)

    @event("DepositStandardSet")
    def _deposit_standard_set(self, audit: Audit, effective_on: date, standard: Decimal) -> None:
        self.standards.append((effective_on, standard))

    # --- money in --------------------------------------------------------------------------------
    def plan_first_deposits(self, deposited_on: date, unit_ids: Sequence[str] | None,
                            reference: str = "") -> FirstDeposits:
        """Area × the standard in force, for the named units (default: every open unit still without one)."""
        self.check_movement_date(deposited_on)
        if unit_ids is None:
            unit_ids = sorted(u for u, s in self.units.items() if s.is_open and s.first_deposit is None)
        if not unit_ids:
            raise NoUnitsInTarget("every open unit already has its first deposit")
        standard = self.standard_on(deposited_on)
        lines = []
        for unit_id in sorted(set(unit_ids)):
            state = self.open_unit(unit_id)
            state.check_first_deposit(deposited_on)
            lines.append(Line(unit_id, first_deposit_amount(state.record.floor_area_m2, standard)))
        return FirstDeposits(deposited_on, standard, tuple(lines), reference)

    def record_first_deposits(self, audit: Audit, deposits: FirstDeposits) -> None:
        checked = self.plan_first_deposits(deposits.deposited_on, [l.unit_id for l in deposits.lines])
        assert checked.lines == deposits.lines, "first deposits follow the rule"
        self._first_deposits_recorded(audit=audit, deposits=deposits)

    @event("FirstDepositsRecorded")
    def _first_deposits_recorded(self, audit: Audit, deposits: FirstDeposits) -> None:
        for line in deposits.lines:
            state = self.units[line.unit_id]
            state.first_deposit = line.amount
            state.move(deposits.deposited_on, line.amount)
        self.latest_movement_on = deposits.deposited_on

    def plan_contribution(self, contribution: Contribution) -> Contribution:
        """The contribution with its lines: one unit, or its target's units by floor area (exact)."""
        self.check_movement_date(contribution.received_on)
        units = self.units_in(contribution.target)
        shares = allocate_by_floor_area(contribution.amount, [(s.record.unit_id, s.record.floor_area_m2)
                                                               for s in units])
        return replace(contribution, lines=tuple(Line(u, a) for u, a in shares if a > 0))

    def record_contribution(self, audit: Audit, contribution: Contribution) -> None:
        """Record a contribution planned by ``plan_contribution`` (its lines sum to its amount)."""
        self.check_movement_date(contribution.received_on)
        assert sum((l.amount for l in contribution.lines), ZERO) == contribution.amount, "lines sum to the amount"
        for line in contribution.lines:
            self.open_unit(line.unit_id)
        self._contribution_recorded(audit=audit, contribution=contribution)

    @event("ContributionRecorded")
    def _contribution_recorded(self, audit: Audit, contribution: Contribution) -> None:
        for line in contribution.lines:
            self.units[line.unit_id].move(contribution.received_on, line.amount)
        self.latest_movement_on = contribution.received_on

    # --- interest (Art. 27) ----------------------------------------------------------------------
    def check_interest_period(self, period_from: date, period_to: date) -> None:
        self.check_date(period_from, "the interest period")
        check_interest_period(period_from, period_to, self.last_interest_to, self.latest_movement_on)

    def interest_weights(self, basis: InterestBasis, period_from: date, period_to: date) -> list[tuple[str, int]]:
        """Each open unit's basis in fen (× days for the daily product), before this interest is credited."""
        # A demolished unit's sub-ledger is closed and its balance refunded: it earns nothing.
        return [(unit_id, interest_weight(basis, to_fen(state.balance), state.since_interest, period_from, period_to))
                for unit_id, state in self.units.items() if state.is_open]

    def plan_interest(self, period_from: date, period_to: date, total: Decimal, basis: InterestBasis,
                      reference: str = "") -> InterestAllocation:
        self.check_interest_period(period_from, period_to)
        if total <= 0:
            raise InvalidInterestAllocation("the period's income must be > 0")
        lines = allocate_interest(total, self.interest_weights(basis, period_from, period_to))
        return InterestAllocation(period_from, period_to, basis.value, total, tuple(lines), reference=reference)

    def allocate_interest(self, audit: Audit, allocation: InterestAllocation) -> None:
        self.check_interest_period(allocation.period_from, allocation.period_to)
        self._interest_allocated(audit=audit, allocation=allocation)

    @event("InterestAllocated")
    def _interest_allocated(self, audit: Audit, allocation: InterestAllocation) -> None:
        for line in allocation.lines:
            self.units[line.unit_id].balance += line.amount
        for state in self.units.values():
            state.since_interest = []
        self.latest_movement_on = allocation.period_to
        self.last_interest_to = allocation.period_to

    # --- uses, receivables -------------------------------------------------------------------------
    def plan_charge(self, charged_on: date, unit_ids: Sequence[str], cost: Decimal) -> tuple[ChargeLine, ...]:
        """The cost over the still-open affected units by floor area; shortfalls become receivables."""
        self.check_movement_date(charged_on)
        states = [self.units[u] for u in unit_ids if u in self.units and self.units[u].is_open]
        if not states:
            raise NoUnitsInTarget("none of the affected units is still open")
        return apportion_cost(cost, [(s.record.unit_id, s.record.floor_area_m2, s.balance) for s in states])

    def charge(self, audit: Audit, works_code: str, charged_on: date, lines: tuple[ChargeLine, ...],
               voucher_numbers: Sequence[str]) -> None:
        self.check_movement_date(charged_on)
        for line in lines:
            assert line.from_balance <= self.open_unit(line.unit_id).balance, "never a negative sub-ledger"
        self._units_charged(audit=audit, works_code=works_code, charged_on=charged_on, lines=lines,
                            voucher_numbers=tuple(voucher_numbers))

    @event("UnitsCharged")
    def _units_charged(self, audit: Audit, works_code: str, charged_on: date, lines: tuple[ChargeLine, ...],
                       voucher_numbers: tuple[str, ...]) -> None:
        for line in lines:
            state = self.units[line.unit_id]
            if line.from_balance:
                state.move(charged_on, -line.from_balance)
            state.receivable += line.receivable
        self.latest_movement_on = charged_on

    def check_receivable_payment(self, unit_id: str, received_on: date, amount: Decimal) -> None:
        self.check_date(received_on, "the payment")
        self.unit(unit_id).check_receivable_payment(amount)

    def pay_receivable(self, audit: Audit, unit_id: str, received_on: date, amount: Decimal,
                       voucher_number: str) -> None:
        self.check_receivable_payment(unit_id, received_on, amount)
        self._receivable_paid(audit=audit, unit_id=unit_id, received_on=received_on, amount=amount,
                              voucher_number=voucher_number)

    @event("ReceivablePaid")
    def _receivable_paid(self, audit: Audit, unit_id: str, received_on: date, amount: Decimal,
                         voucher_number: str) -> None:
        self.units[unit_id].receivable -= amount

    # --- transfer on sale (Art. 28), demolition (Art. 29) ---------------------------------------------
    def transfer(self, audit: Audit, unit_id: str, transferred_on: date, owner: Owner, reference: str) -> None:
        """Transfer on sale: the sub-ledger and its balance pass to the new owner; no money moves (Art. 28)."""
        self.check_date(transferred_on, "the transfer")
        self.open_unit(unit_id).check_transfer(transferred_on, owner)
        self.check_owner_kind(owner)
        self._unit_transferred(audit=audit, unit_id=unit_id, transferred_on=transferred_on, owner=owner,
                               reference=reference)

    @event("UnitTransferred")
    def _unit_transferred(self, audit: Audit, unit_id: str, transferred_on: date, owner: Owner,
                          reference: str) -> None:
        state = self.units[unit_id]
        state.record = replace(state.record, owner=owner)
        if owner.owner_id:
            self.owner_kinds[owner.owner_id] = owner.kind

    def plan_demolition(self, unit_id: str, demolished_on: date) -> Decimal:
        """Demolition: the balance is refunded to the owner and the sub-ledger closed (Art. 29)."""
        state = self.open_unit(unit_id)
        self.check_movement_date(demolished_on)
        return state.balance

    def demolish(self, audit: Audit, unit_id: str, demolished_on: date, reference: str,
                 voucher_number: str) -> None:
        refunded = self.plan_demolition(unit_id, demolished_on)
        self._unit_demolished(audit=audit, unit_id=unit_id, demolished_on=demolished_on, refunded=refunded,
                              reference=reference, voucher_number=voucher_number)

    @event("UnitDemolished")
    def _unit_demolished(self, audit: Audit, unit_id: str, demolished_on: date, refunded: Decimal,
                         reference: str, voucher_number: str) -> None:
        state = self.units[unit_id]
        if refunded:
            state.move(demolished_on, -refunded)
        state.closed_on = demolished_on
        self.latest_movement_on = demolished_on

    # --- figures -----------------------------------------------------------------------------------
    @property
    def balances_total(self) -> Decimal:
        return sum((s.balance for s in self.units.values()), ZERO)


__all__ = ["AREA_KINDS", "FirstDeposits", "Fund", "UnitState", "fund_id"]
