"""Units (flats and shop-fronts), their owners, and the one-fund-per-unit register.

Source: 住宅专项维修资金管理办法 (165号令) Arts. 6 and 10 (a sub-ledger per unit, shop-fronts
in residential buildings included); DOMAIN.md §6 (headcount rules); DOMAIN.md §4 (the
collective owning shop-fronts is one owner with their total area).

A unit is a value inside its fund's aggregate (the fund holds every unit's balance, so that
allocating interest or apportioning works over 100k units is one event, not 100k). The
``UnitRegister`` of a community is what makes "a unit belongs to one fund" hold across funds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.maintenance_fund.errors import (
    FirstDepositAlreadyRecorded,
    HouseholdAlreadyHasUnit,
    InvalidDate,
    InvalidFloorArea,
    InvalidTransfer,
    InvalidUnit,
    PaymentAboveReceivable,
    UnitAlreadyRegistered,
    UnitInAnotherFund,
)
from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE
from ledger.money import ZERO, to_fen
from ledger.values import value_type

UNIT_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
PLACE_PATTERN = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_.\-\u4e00-\u9fff]{0,31}$")
FLOOR_AREA_LIMIT_M2 = Decimal("100000.00")
NAME_LIMIT = 100
#: The voter key of every unit held by the developer (unsold or unassigned): one owner in total.
DEVELOPER_VOTER = "developer"


class UnitKind(str, Enum):
    FLAT = "flat"
    SHOP_FRONT = "shop_front"


class OwnerKind(str, Enum):
    OWNER = "owner"  # a household or person who owns the unit
    DEVELOPER = "developer"  # unsold or unassigned units (often a county platform company)
    COLLECTIVE = "collective"  # the community collective owning shop-fronts (DOMAIN.md §4)


def check_unit_id(unit_id: object) -> str:
    """A unit id is 1–64 letters, digits, '.', '_' or '-' (it keys the sub-ledger ``unit:<id>``)."""
    if not isinstance(unit_id, str) or not UNIT_ID_PATTERN.match(unit_id):
        raise InvalidUnit(f"unit id {unit_id!r} must be 1–64 letters, digits, '.', '_' or '-'")
    return unit_id


def check_place(value: object, what: str, required: bool = True) -> str:
    """Buildings and stairwells are short codes (``B01``, ``2单元``)."""
    if value in (None, "") and not required:
        return ""
    if not isinstance(value, str) or not PLACE_PATTERN.match(value):
        raise InvalidUnit(f"{what} {value!r} must be 1–32 letters, digits or Chinese characters")
    return value


def parse_floor_area(value: object) -> Decimal:
    """A floor area (m², from the title or survey) is > 0 with at most two decimals; floats are refused."""
    if isinstance(value, bool | float) or not isinstance(value, str | int | Decimal):
        raise InvalidFloorArea(f"floor area {value!r} must be a decimal string")
    try:
        area = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise InvalidFloorArea(f"floor area {value!r} is not a number") from None
    if not area.is_finite() or area <= 0 or area > FLOOR_AREA_LIMIT_M2:
        raise InvalidFloorArea(f"floor area {value!r} must be > 0 and at most {FLOOR_AREA_LIMIT_M2} m²")
    if area != area.quantize(Decimal("0.01")):
        raise InvalidFloorArea(f"floor area {value!r} has more than two decimals")
    return area.quantize(Decimal("0.01"))


@value_type("anju.maintenance_fund.Owner", slots=True)
class Owner:
    """Who owns a unit: a person or household, the developer, or the collective."""

    owner_id: str
    kind: str  # an ``OwnerKind`` value
    name: str = ""

    @classmethod
    def named(cls, owner_id: object, kind: object, name: object = "") -> Owner:
        try:
            owner_kind = OwnerKind(kind)
        except ValueError:
            raise InvalidUnit(f"owner kind must be one of {', '.join(k.value for k in OwnerKind)}") from None
        if not isinstance(name, str) or len(name) > NAME_LIMIT:
            raise InvalidUnit(f"an owner's name has at most {NAME_LIMIT} characters")
        if owner_kind is OwnerKind.DEVELOPER and owner_id in (None, ""):
            return cls("", owner_kind.value, name)  # unassigned: held by the developer
        if not isinstance(owner_id, str) or not UNIT_ID_PATTERN.match(owner_id):
            raise InvalidUnit(f"owner id {owner_id!r} must be 1–64 letters, digits, '.', '_' or '-'")
        if owner_kind is not OwnerKind.DEVELOPER and owner_id == DEVELOPER_VOTER:
            raise InvalidUnit(f"owner id {DEVELOPER_VOTER!r} is reserved for the developer's units")
        return cls(owner_id, owner_kind.value, name)


def voter_key(owner: Owner) -> str:
    """The owner a unit counts for in a vote's headcount.

    Source: 民法典 Art. 278; 最高人民法院 建筑物区分所有权司法解释 (2020) Art. 9; DOMAIN.md §6
    (Exact readings): one owner of several units counts once (with their total area);
    the developer's unsold or unassigned units count as one owner in total; the
    collective's shop-fronts count as one owner (its own owner id).
    """
    return DEVELOPER_VOTER if owner.kind == OwnerKind.DEVELOPER.value else owner.owner_id


@value_type("anju.maintenance_fund.UnitRecord", slots=True)
class UnitRecord:
    """A unit as registered in its fund: what it is, where, how large, and whose."""

    unit_id: str
    kind: str  # a ``UnitKind`` value
    floor_area_m2: Decimal
    building: str
    stairwell: str
    owner: Owner
    room: str = ""
    household_id: str = ""  # a flat: the household's id in the household register (subsidies)
    shop_front: str = ""  # a shop-front: ``<book>/<unit number>`` in the leases register

    @classmethod
    def registered(cls, *, unit_id: object, kind: object, floor_area_m2: object, building: object,
                   stairwell: object, owner: Owner, room: object = "", household_id: object = "",
                   shop_front: object = "") -> UnitRecord:
        """Validated where input is parsed (never in the constructor: stored units load as they were)."""
        try:
            unit_kind = UnitKind(kind)
        except ValueError:
            raise InvalidUnit(f"unit kind must be one of {', '.join(k.value for k in UnitKind)}") from None
        if household_id and unit_kind is not UnitKind.FLAT:
            raise InvalidUnit("only a flat refers to a household")
        if shop_front and unit_kind is not UnitKind.SHOP_FRONT:
            raise InvalidUnit("only a shop-front refers to the shop-front register")
        if household_id not in (None, "") and (not isinstance(household_id, str)
                                                or not UNIT_ID_PATTERN.match(household_id)):
            raise InvalidUnit(f"household id {household_id!r} is malformed")
        if not isinstance(shop_front, str) or len(shop_front) > 130:
            raise InvalidUnit("a shop-front reference is '<book>/<unit number>'")
        return cls(check_unit_id(unit_id), unit_kind.value, parse_floor_area(floor_area_m2),
                   check_place(building, "building"), check_place(stairwell, "stairwell", required=False),
                   owner, check_place(room, "room", required=False), household_id or "", shop_front)

    @property
    def claims(self) -> tuple[str, ...]:
        """What else this unit is, beside its id: a household's flat, a shop-front of the register."""
        found = []
        if self.household_id:
            found.append(f"household:{self.household_id}")
        if self.shop_front:
            found.append(f"shop_front:{self.shop_front}")
        return tuple(found)


@dataclass
class UnitState:
    """A unit's sub-ledger as the fund sees it (state only, never stored)."""

    record: UnitRecord
    registered_on: date
    first_deposit: Decimal | None = None
    balance: Decimal = ZERO
    receivable: Decimal = ZERO
    closed_on: date | None = None
    #: (date, fen) of movements since the last allocated interest period: the daily product's input.
    since_interest: list[tuple[date, int]] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def move(self, on: date, delta: Decimal) -> None:
        self.balance += delta
        self.since_interest.append((on, to_fen(delta)))

    def check_first_deposit(self, deposited_on: date) -> None:
        """One first deposit per unit, not before it is registered (165号令 Art. 7)."""
        unit_id = self.record.unit_id
        if self.first_deposit is not None:
            raise FirstDepositAlreadyRecorded(f"unit {unit_id} made its first deposit ({self.first_deposit})")
        if deposited_on < self.registered_on:
            raise InvalidDate(f"unit {unit_id} is registered from {self.registered_on}")

    def check_transfer(self, transferred_on: date, owner: Owner) -> None:
        """A sale passes the unit to an owner it does not already have, not before it is registered."""
        unit_id = self.record.unit_id
        if transferred_on < self.registered_on:
            raise InvalidTransfer(f"unit {unit_id} is registered from {self.registered_on}")
        if owner == self.record.owner or (owner.owner_id and owner.owner_id == self.record.owner.owner_id):
            raise InvalidTransfer(f"{owner.owner_id or owner.kind} already owns unit {unit_id}")

    def check_receivable_payment(self, amount: Decimal) -> None:
        if amount <= 0 or amount > self.receivable:
            raise PaymentAboveReceivable(
                f"unit {self.record.unit_id} owes {self.receivable}; a payment is > 0 and at most that")


def unit_register_id(community_id: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"maintenance_fund/unit-register/{community_id}")


class UnitRegister(Aggregate):
    """The community's register of which fund each unit (and each household's flat) belongs to."""

    @staticmethod
    def create_id(community_id: str) -> UUID:  # type: ignore[override]
        return unit_register_id(community_id)

    @event("Started")
    def __init__(self, audit: Audit, community_id: str) -> None:
        self.community_id = community_id
        self.fund_of: dict[str, str] = {}  # unit id or claim → fund (book) code

    def check_unit_is_free(self, fund_code: str, unit: UnitRecord) -> None:
        """A unit belongs to one fund (165号令 Art. 10; DOMAIN.md §6 Books)."""
        holder = self.fund_of.get(unit.unit_id)
        if holder == fund_code:
            raise UnitAlreadyRegistered(f"unit {unit.unit_id} is already registered in fund {fund_code}")
        if holder is not None:
            raise UnitInAnotherFund(f"unit {unit.unit_id} belongs to fund {holder}; a unit belongs to one fund")
        for claim in unit.claims:
            if claim in self.fund_of:
                raise HouseholdAlreadyHasUnit(f"{claim} is already a unit of fund {self.fund_of[claim]}")

    def enrol(self, audit: Audit, fund_code: str, units: Sequence[UnitRecord]) -> None:
        seen: set[str] = set()
        for unit in units:
            self.check_unit_is_free(fund_code, unit)
            for key in (unit.unit_id, *unit.claims):
                if key in seen:
                    raise UnitAlreadyRegistered(f"{key} appears twice in one registration")
                seen.add(key)
        self._enrolled(audit=audit, fund_code=fund_code, keys=tuple(sorted(seen)))

    @event("Enrolled")
    def _enrolled(self, audit: Audit, fund_code: str, keys: tuple[str, ...]) -> None:
        for key in keys:
            self.fund_of[key] = fund_code
