"""Pooled asset-income projects (资产收益项目): what each household is paid per cycle.

Source: DOMAIN.md §3 (Pooled asset-income projects; seeds: 2,000 yuan per cow
per cycle): households take units in a project; each cycle pays a fixed amount
per unit or a share of the project's income, by the allocation rule of §1.

Units are whole numbers (a cow, a pen, a greenhouse), so a fixed payout per
unit is exact without rounding; a share of income is allocated to the fen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from domain.collective.errors import CollectiveRuleBroken
from ledger.money import ZERO, allocate, parse_amount

METHOD_FIXED_PER_UNIT = "fixed-per-unit"
METHOD_SHARE_OF_INCOME = "largest-remainder-fen"
HOUSEHOLDS_LIMIT = 100_000
UNITS_PER_HOUSEHOLD_LIMIT = 1_000_000
HOUSEHOLD_ID_LENGTH_LIMIT = 64


class InvalidProjectUnits(CollectiveRuleBroken):
    """Project units that are not whole numbers > 0, or no households at all."""

    type_slug = "invalid-project-units"


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
