"""The rules a maintenance fund checks over its own state before it records a movement.

``Fund`` (``fund.py``) holds the state and the events; these are its read-only rules — which unit, open or
not, the dates a movement may take (in date order, never inside an allocated interest period: the balance
a rule reads is then the balance on the movement's date), the standard in force, owner kinds, the units a
contribution or works reach and their voters. Source: 165号令 Arts. 6–7, 10, 17, 24–29; DOMAIN.md §6.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from domain.maintenance_fund.contribution import Target, TargetKind
from domain.maintenance_fund.errors import (
    InvalidDate,
    InvalidFund,
    MovementInAllocatedInterestPeriod,
    MovementOutOfDateOrder,
    NoUnitsInTarget,
    OwnerKindMismatch,
    UnitClosed,
    UnitNotFound,
)
from domain.maintenance_fund.replenishment import Replenishment, replenishment_of
from domain.maintenance_fund.unit import Owner, UnitState, check_place
from domain.maintenance_fund.vote import Voter, voters_of
from domain.maintenance_fund.works import WorksScope, affected_units

AREA_KINDS = ("management_area", "building")


def check_fund_place(name: object, area_kind: object, building: object) -> str:
    """One fund per property-management area, or per building where there is none (165号令 Art. 10).

    Returns the building's code ("" for an area's fund)."""
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        raise InvalidFund("a fund needs a name of 1–100 characters")
    if area_kind not in AREA_KINDS:
        raise InvalidFund(f"a fund is kept per {' or '.join(AREA_KINDS)}")
    building_code = check_place(building, "building", required=area_kind == "building")
    if area_kind != "building" and building_code:
        raise InvalidFund("only a building's fund names its building")
    return building_code


class FundRules:
    """The checks and lookups of ``Fund`` over the state its events build."""

    fund_code: str
    opened_on: date
    standards: list[tuple[date, Decimal]]
    units: dict[str, UnitState]
    owner_kinds: dict[str, str]
    latest_movement_on: date
    last_interest_to: date | None

    def unit(self, unit_id: str) -> UnitState:
        state = self.units.get(unit_id)
        if state is None:
            raise UnitNotFound(f"fund {self.fund_code} has no unit {unit_id!r}")
        return state

    def open_unit(self, unit_id: str) -> UnitState:
        state = self.unit(unit_id)
        if not state.is_open:
            raise UnitClosed(f"unit {unit_id} was demolished on {state.closed_on}; its sub-ledger is closed")
        return state

    def check_date(self, day: date, what: str) -> date:
        if not isinstance(day, date) or day < self.opened_on:
            raise InvalidDate(f"{what} ({day}) cannot precede the fund's opening ({self.opened_on})")
        return day

    def check_movement_date(self, day: date) -> None:
        """Movements in date order, none inside an allocated interest period (this module's docstring)."""
        self.check_date(day, "a movement")
        if self.last_interest_to is not None and day <= self.last_interest_to:
            raise MovementInAllocatedInterestPeriod(
                f"interest was allocated through {self.last_interest_to}; date the movement after it")
        if day < self.latest_movement_on:
            raise MovementOutOfDateOrder(f"the fund's latest movement is dated {self.latest_movement_on}")

    def standard_on(self, day: date) -> Decimal:
        """The first-deposit standard in force on a day (effective-dated versions, DOMAIN.md intro)."""
        return [rate for effective_on, rate in self.standards if effective_on <= day][-1]

    def check_owner_kind(self, owner: Owner, pending: dict[str, str] | None = None) -> None:
        known = (pending or {}).get(owner.owner_id) or self.owner_kinds.get(owner.owner_id)
        if owner.owner_id and known is not None and known != owner.kind:
            raise OwnerKindMismatch(f"owner {owner.owner_id} is a {known} owner in this fund, not {owner.kind}")

    def units_in(self, target: Target) -> list[UnitState]:
        """The open units a contribution reaches: one unit, a building's units, or all units."""
        if target.kind == TargetKind.UNIT.value:
            return [self.open_unit(target.code)]
        found = [s for s in self.units.values() if s.is_open
                 and (target.kind == TargetKind.FUND.value or s.record.building == target.code)]
        if not found:
            raise NoUnitsInTarget(f"no open unit in {target.kind} {target.code}".strip())
        return found

    def affected(self, scope: WorksScope) -> tuple[str, ...]:
        units = ((s.record.unit_id, s.record.building, s.record.stairwell) for s in self.units.values() if s.is_open)
        return affected_units(scope, units)

    def voters(self, unit_ids: Iterable[str]) -> dict[str, Voter]:
        """The affected units' owners for a vote, counted by the headcount rules (``vote.voters_of``)."""
        states = [self.open_unit(unit_id) for unit_id in unit_ids]
        return voters_of((s.record.owner, s.record.floor_area_m2) for s in states)

    def replenishment(self, unit_id: str) -> Replenishment | None:
        state = self.unit(unit_id)
        return replenishment_of(state.first_deposit, state.balance) if state.is_open else None
