"""Shares (份额) of the collective's income rights, held by members and optionally by the collective.

Source: 农村集体经济组织法 (2024) Art. 40 and 中发〔2016〕37号 as stated in
DOMAIN.md §3: income rights are quantified to members as shares by a plan of
the full members' assembly; default *static* management (生不增、死不减);
shares may be inherited, or transferred / redeemed only inside the
organisation; a collective share class (集体股) is optional.

Share units are ``Decimal`` with at most four places (or ``int``), > 0, never
``float``. Holdings are a mapping ``member_id → units`` holding only positive
units; every function returns a new mapping and leaves its input alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from domain.collective.errors import (
    CollectiveRuleBroken,
    EmptyQuantification,
    HeirNotMember,
    HolderNotDeceased,
    HolderNotMember,
    InsufficientShares,
    InvalidShareUnits,
    TransferOutsideOrganisation,
    TransferToSelf,
)
from domain.collective.membership import (
    Member,
    MembershipEndReason,
    check_is_current_member,
    check_member_id,
)
from domain.collective.resolution import AssemblyResolution, check_resolution_passes
from ledger.values import value_type

SHARE_UNITS_PLACES = 4
SHARE_UNITS_QUANTUM = Decimal(1).scaleb(-SHARE_UNITS_PLACES)
#: One holding above this is a typing error (TIGER_STYLE: limit everything).
SHARE_UNITS_LIMIT = Decimal(1_000_000_000)
HOLDERS_LIMIT = 100_000
NO_UNITS = Decimal(0)


def parse_share_units(value: object) -> Decimal:
    """Share units: ``Decimal`` or ``int``, > 0, at most four places, within the limit.

    Source: DOMAIN.md §3 (Shares) and ARCHITECTURE.md (share units have a fixed
    precision); floats and bools are refused, more than four places rejected,
    not rounded.
    """
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise InvalidShareUnits(f"share units must be Decimal or int, not {type(value).__name__}")
    units = Decimal(value)
    if not units.is_finite() or units <= 0 or units > SHARE_UNITS_LIMIT:
        raise InvalidShareUnits(f"share units must be > 0 and ≤ {SHARE_UNITS_LIMIT}, not {value}")
    if units != units.quantize(SHARE_UNITS_QUANTUM):
        raise InvalidShareUnits(f"share units {value} have more than {SHARE_UNITS_PLACES} decimal places")
    return units


def share_units(value: object) -> Decimal:
    """Share units from the wire (a decimal string) or the domain (Decimal/int)."""
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except ArithmeticError:
            raise InvalidShareUnits(f"share units {value!r} are not a decimal number") from None
    return parse_share_units(value)


def parse_collective_units(value: object) -> Decimal:
    """Units of the collective share class (集体股); zero means the organisation has none."""
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool) and value == 0:
        return NO_UNITS
    return parse_share_units(value)


def check_holdings(units_by_member: Mapping[str, object]) -> dict[str, Decimal]:
    """Holdings: at most ``HOLDERS_LIMIT`` member ids, each with valid units > 0."""
    if len(units_by_member) > HOLDERS_LIMIT:
        raise InvalidShareUnits(f"more than {HOLDERS_LIMIT} holders")
    return {check_member_id(member_id): parse_share_units(units) for member_id, units in units_by_member.items()}


@value_type("anju.collective.ShareMovement")
class ShareMovement:
    """One change of one holder's units on a date (quantified, inherited, transferred, redeemed).

    ``member_id`` is empty for the collective share class (集体股).
    """

    effective_on: date
    member_id: str
    delta_units: Decimal
    kind: str
    counterparty: str = ""
    reference: str = ""


def share_movements(before: Mapping[str, Decimal], after: Mapping[str, Decimal], effective_on: date, kind: str,
                    reference: str, counterparty: Mapping[str, str]) -> list[ShareMovement]:
    """The movements that turn one holding into another, one per holder whose units changed."""
    changed = sorted(set(before) | set(after))
    return [ShareMovement(effective_on, member_id, after.get(member_id, NO_UNITS) - before.get(member_id, NO_UNITS),
                          kind, counterparty.get(member_id, ""), reference)
            for member_id in changed if after.get(member_id, NO_UNITS) != before.get(member_id, NO_UNITS)]


@dataclass(frozen=True)
class ShareRegister:
    """The share register: units per member (sorted by id) and the collective class's units."""

    units_by_member: Mapping[str, Decimal]
    collective_units: Decimal = NO_UNITS

    def __post_init__(self) -> None:
        checked = check_holdings(self.units_by_member)
        frozen = MappingProxyType(dict(sorted(checked.items())))
        object.__setattr__(self, "units_by_member", frozen)
        object.__setattr__(self, "collective_units", parse_collective_units(self.collective_units))

    @property
    def units_total(self) -> Decimal:
        return sum(self.units_by_member.values(), NO_UNITS) + self.collective_units


def quantify_shares(
    units_by_member: Mapping[str, Decimal | int],
    *,
    register: Mapping[str, Member],
    resolution: AssemblyResolution,
    collective_units: Decimal | int = 0,
) -> ShareRegister:
    """The initial share register from a quantification plan (股份量化).

    Source: 农村集体经济组织法 Arts. 27 and 40; DOMAIN.md §3: the plan is
    decided by the full members' assembly and rejected if its resolution does
    not meet the thresholds; shares go to members (and optionally 集体股).
    """
    check_resolution_passes(resolution)
    if not units_by_member:
        raise EmptyQuantification("the plan gives no member any shares")
    for member_id in units_by_member:
        try:
            check_is_current_member(register, member_id)
        except CollectiveRuleBroken as broken:
            raise HolderNotMember(f"shares for {member_id}: {broken}") from None
    return ShareRegister(
        units_by_member=check_holdings(units_by_member), collective_units=parse_collective_units(collective_units)
    )


def _move_units(
    units_by_member: Mapping[str, Decimal], from_id: str, to_id: str | None, units: Decimal
) -> dict[str, Decimal]:
    """Move ``units`` from one holder to another (``None`` cancels them), keeping only positive holdings."""
    holdings = check_holdings(units_by_member)
    held = holdings.get(from_id, NO_UNITS)
    if units > held:
        raise InsufficientShares(f"{from_id} holds {held} units, not {units}")
    holdings[from_id] = held - units
    if to_id is not None:
        holdings[to_id] = holdings.get(to_id, NO_UNITS) + units
    after = {member_id: held_units for member_id, held_units in sorted(holdings.items()) if held_units > 0}
    # Postcondition: a move conserves units; a cancellation removes exactly ``units``.
    expected_total = sum(units_by_member.values(), NO_UNITS) - (units if to_id is None else NO_UNITS)
    assert sum(after.values(), NO_UNITS) == expected_total, "share units must be conserved"
    return after


def inherit_shares(
    units_by_member: Mapping[str, Decimal],
    register: Mapping[str, Member],
    *,
    deceased_id: str,
    heir_id: str,
    units: Decimal | int | None = None,
) -> dict[str, Decimal]:
    """A deceased member's units (all, or part for one of several heirs) pass to an heir.

    Source: DOMAIN.md §3 (shares may be inherited); 中发〔2016〕37号. Anju's
    choice where the sources are silent: the heir must be a current member,
    so shares stay inside the organisation; a non-member heir is paid by the
    organisation redeeming the units (``redeem_shares``).
    """
    deceased = register.get(deceased_id)
    if deceased is None or deceased.end_reason is not MembershipEndReason.DEATH:
        raise HolderNotDeceased(f"{deceased_id} has no membership ended by death")
    try:
        check_is_current_member(register, heir_id)
    except CollectiveRuleBroken as broken:
        raise HeirNotMember(f"heir {heir_id}: {broken}; redeem the shares instead") from None
    moved = units_by_member.get(deceased_id, NO_UNITS) if units is None else parse_share_units(units)
    if moved <= 0:
        raise InsufficientShares(f"{deceased_id} holds no units to inherit")
    return _move_units(units_by_member, deceased_id, heir_id, moved)


def transfer_shares(
    units_by_member: Mapping[str, Decimal],
    register: Mapping[str, Member],
    *,
    from_id: str,
    to_id: str,
    units: Decimal | int,
) -> dict[str, Decimal]:
    """Transfer units from a holder to another current member of the organisation.

    Source: DOMAIN.md §3 (shares may be transferred only inside the
    organisation); 中发〔2016〕37号 (有偿退出不得突破本集体经济组织的范围).
    The transferor need not be current (an exited member may keep and then
    sell units inside the organisation); the transferee must be.
    """
    moved = parse_share_units(units)
    if from_id == to_id:
        raise TransferToSelf(f"{from_id} cannot transfer units to themselves")
    try:
        check_is_current_member(register, to_id)
    except CollectiveRuleBroken as broken:
        raise TransferOutsideOrganisation(f"transferee {to_id}: {broken}") from None
    return _move_units(units_by_member, from_id, to_id, moved)


def redeem_shares(
    units_by_member: Mapping[str, Decimal],
    *,
    holder_id: str,
    units: Decimal | int,
) -> dict[str, Decimal]:
    """The organisation redeems (buys back) units from a holder; redeemed units are cancelled.

    Source: DOMAIN.md §3 (shares may be redeemed inside the organisation);
    中发〔2016〕37号 (由本集体赎回). The price and its payment are a separate
    resolution and voucher; here only the units change.
    """
    return _move_units(units_by_member, holder_id, None, parse_share_units(units))
