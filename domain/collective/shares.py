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
from decimal import Decimal
from types import MappingProxyType

from domain.collective.errors import CollectiveRuleBroken
from domain.collective.membership import (
    Member,
    MembershipEndReason,
    check_is_current_member,
    check_member_id,
)
from domain.collective.resolution import AssemblyResolution, check_resolution_passes

SHARE_UNITS_PLACES = 4
SHARE_UNITS_QUANTUM = Decimal(1).scaleb(-SHARE_UNITS_PLACES)
#: One holding above this is a typing error (TIGER_STYLE: limit everything).
SHARE_UNITS_LIMIT = Decimal(1_000_000_000)
HOLDERS_LIMIT = 100_000
NO_UNITS = Decimal(0)


class InvalidShareUnits(CollectiveRuleBroken):
    """Units that are not a Decimal/int > 0 with at most four places (floats refused)."""

    type_slug = "invalid-share-units"


class HolderNotMember(CollectiveRuleBroken):
    """A quantification plan gives shares to someone who is not a current member."""

    type_slug = "holder-not-member"


class EmptyQuantification(CollectiveRuleBroken):
    """A quantification plan that gives no member any shares."""

    type_slug = "empty-quantification"


class InsufficientShares(CollectiveRuleBroken):
    """The holder holds fewer units than are to be moved or redeemed."""

    type_slug = "insufficient-shares"


class TransferOutsideOrganisation(CollectiveRuleBroken):
    """Shares may be transferred only to a current member of the organisation."""

    type_slug = "transfer-outside-organisation"


class TransferToSelf(CollectiveRuleBroken):
    """A transfer whose transferor and transferee are the same member."""

    type_slug = "transfer-to-self"


class HolderNotDeceased(CollectiveRuleBroken):
    """Inheritance from a holder whose membership has not ended by death."""

    type_slug = "holder-not-deceased"


class HeirNotMember(CollectiveRuleBroken):
    """The heir is not a current member; the organisation redeems instead."""

    type_slug = "heir-not-member"


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


def holdings_unchanged_by_birth_or_death(units_by_member: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Static management (生不增、死不减): births and deaths do not re-cut shares.

    Source: DOMAIN.md §3 (Shares, default static management); 中发〔2016〕37号.
    A newborn member gets no shares; a deceased member's units stay on the
    register until inherited, transferred or redeemed. This is the one place
    to change should an organisation adopt dynamic management.
    """
    return check_holdings(units_by_member)


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
