"""Members of a collective-economy organisation and the member register (成员名册).

Source: 农村集体经济组织法 (2024) Arts. 11–18 as stated in DOMAIN.md §3: members
are confirmed by the members' assembly; membership ends on death, loss of
nationality, joining another collective, becoming a civil servant, or voluntary
exit (no partition of collective property on exit). Identities are kept only
as ``ProtectedIdentity`` (masked plus keyed hash).

The register is a plain mapping ``member_id → Member``; every function returns
a new mapping and leaves its input alone. Ending a membership does not touch
share holdings (static management, see ``shares.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from domain.collective.errors import CollectiveRuleBroken
from domain.collective.identity import ProtectedIdentity
from domain.collective.resolution import AssemblyResolution, check_resolution_passes

MEMBER_ID_LENGTH_LIMIT = 64


class MembershipEndReason(StrEnum):
    """Why a membership ends (农村集体经济组织法 Arts. 11–18; DOMAIN.md §3)."""

    DEATH = "death"
    LOSS_OF_NATIONALITY = "loss_of_nationality"
    JOINED_OTHER_COLLECTIVE = "joined_other_collective"
    BECAME_CIVIL_SERVANT = "became_civil_servant"
    VOLUNTARY_EXIT = "voluntary_exit"


class InvalidMemberId(CollectiveRuleBroken):
    """A member id that is empty, too long or padded with whitespace."""

    type_slug = "invalid-member-id"


class MemberAlreadyConfirmed(CollectiveRuleBroken):
    """The person (same identity hash) or the member id is already a current member."""

    type_slug = "member-already-confirmed"


class RejoinAfterMembershipEnded(CollectiveRuleBroken):
    """The person's membership has ended; they are not confirmed a second time."""

    type_slug = "rejoin-after-membership-ended"


class EndReasonRequired(CollectiveRuleBroken):
    """A membership end without one of the reasons of Arts. 11–18."""

    type_slug = "end-reason-required"


class UnknownMember(CollectiveRuleBroken):
    """No member with this id in the register."""

    type_slug = "unknown-member"


class MembershipAlreadyEnded(CollectiveRuleBroken):
    """The membership has already ended (or the member is not current)."""

    type_slug = "membership-already-ended"


class EndBeforeConfirmation(CollectiveRuleBroken):
    """A membership cannot end before the day it was confirmed."""

    type_slug = "end-before-confirmation"


def check_member_id(member_id: object) -> str:
    """A member id is an opaque, non-empty string of bounded length."""
    if not isinstance(member_id, str) or not member_id or member_id != member_id.strip():
        raise InvalidMemberId(f"member id must be a non-empty string without surrounding spaces: {member_id!r}")
    if len(member_id) > MEMBER_ID_LENGTH_LIMIT:
        raise InvalidMemberId(f"member id longer than {MEMBER_ID_LENGTH_LIMIT} characters")
    return member_id


@dataclass(frozen=True, kw_only=True)
class Member:
    """One line of the member register: who, confirmed when and by which resolution, and any end."""

    member_id: str
    identity: ProtectedIdentity
    confirmed_on: date
    confirmation_reference: str
    ended_on: date | None = None
    end_reason: MembershipEndReason | None = None

    def __post_init__(self) -> None:
        check_member_id(self.member_id)
        if not isinstance(self.identity, ProtectedIdentity):
            raise CollectiveRuleBroken("a member's identity is stored only as a ProtectedIdentity")
        if (self.ended_on is None) != (self.end_reason is None):
            raise EndReasonRequired("an end date and an end reason go together")

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


def current_member_ids(register: Mapping[str, Member]) -> frozenset[str]:
    """Ids of the members whose membership has not ended."""
    return frozenset(member_id for member_id, member in register.items() if member.is_current)


def check_not_confirmed_twice(register: Mapping[str, Member], member_id: str, identity: ProtectedIdentity) -> None:
    """A person (same identity hash) or a member id is confirmed only once.

    Source: DOMAIN.md §3 (Members; one member register filed with the township)
    and 农村集体经济组织法 Arts. 11–12 (membership confirmed by the assembly).
    """
    if member_id in register:
        raise MemberAlreadyConfirmed(f"member id {member_id} is already in the register")
    for member in register.values():
        if member.is_current and member.identity.keyed_hash_hex == identity.keyed_hash_hex:
            raise MemberAlreadyConfirmed(f"this person is already member {member.member_id}")


def check_no_rejoin_after_end(register: Mapping[str, Member], identity: ProtectedIdentity) -> None:
    """A person whose membership ended is not confirmed again (a choice, see below).

    Source: 农村集体经济组织法 Arts. 11–18 (DOMAIN.md §3) list when membership
    ends but not how it is regained; Anju rejects a re-confirmation so that one
    person never holds two register lines. A wrongly recorded end is corrected
    by reversing the end event, not by a new confirmation.
    """
    for member in register.values():
        if not member.is_current and member.identity.keyed_hash_hex == identity.keyed_hash_hex:
            raise RejoinAfterMembershipEnded(
                f"this person's membership {member.member_id} ended on {member.ended_on} ({member.end_reason})"
            )


def confirm_member(
    register: Mapping[str, Member],
    *,
    member_id: str,
    identity: ProtectedIdentity,
    resolution: AssemblyResolution,
) -> dict[str, Member]:
    """Add a member confirmed by a passing members' assembly resolution.

    Source: 农村集体经济组织法 Arts. 11–12 and 27 (DOMAIN.md §3): membership is
    confirmed by the members' assembly; the member is confirmed on the day of
    the resolution, which is recorded by its reference.
    """
    check_member_id(member_id)
    check_resolution_passes(resolution)
    check_no_rejoin_after_end(register, identity)
    check_not_confirmed_twice(register, member_id, identity)
    member = Member(
        member_id=member_id,
        identity=identity,
        confirmed_on=resolution.resolved_on,
        confirmation_reference=resolution.reference,
    )
    return {**register, member_id: member}


def end_membership(
    register: Mapping[str, Member],
    *,
    member_id: str,
    ended_on: date,
    reason: MembershipEndReason,
) -> dict[str, Member]:
    """End a current membership on a date, for one of the reasons of the law.

    Source: 农村集体经济组织法 Arts. 11–18 (DOMAIN.md §3): death, loss of
    nationality, joining another collective, becoming a civil servant, or
    voluntary exit. Without such a reason nothing ends. Holdings are untouched
    (on voluntary exit there is no partition of collective property).
    """
    if not isinstance(reason, MembershipEndReason):
        raise EndReasonRequired(f"ending a membership needs one of {[r.value for r in MembershipEndReason]}")
    if member_id not in register:
        raise UnknownMember(f"no member {member_id}")
    member = register[member_id]
    if not member.is_current:
        raise MembershipAlreadyEnded(f"member {member_id} already ended on {member.ended_on}")
    if not isinstance(ended_on, date) or isinstance(ended_on, datetime):
        raise EndBeforeConfirmation("ended_on must be a calendar date")
    if ended_on < member.confirmed_on:
        raise EndBeforeConfirmation(f"member {member_id} was confirmed on {member.confirmed_on}")
    return {**register, member_id: replace(member, ended_on=ended_on, end_reason=reason)}


def check_is_current_member(register: Mapping[str, Member], member_id: str) -> None:
    """The id names a member whose membership has not ended.

    Source: DOMAIN.md §3 (Members; shares move only inside the organisation).
    """
    if member_id not in register:
        raise UnknownMember(f"no member {member_id}")
    if not register[member_id].is_current:
        raise MembershipAlreadyEnded(f"member {member_id} is no longer a member")
