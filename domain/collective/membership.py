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
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.collective.errors import (
    EndBeforeConfirmation,
    EndReasonRequired,
    IdentityNotProtected,
    InvalidMemberDetails,
    InvalidMemberId,
    InvalidWireId,
    MemberAlreadyConfirmed,
    MembershipAlreadyEnded,
    PaymentExceedsOwed,
    RejoinAfterMembershipEnded,
    UnknownMember,
)
from domain.collective.identity import ProtectedIdentity
from domain.collective.resolution import AssemblyResolution, check_resolution_passes
from domain.collective.topics import keep_old_topics
from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE
from ledger.money import ZERO, parse_amount
from ledger.values import value_type

MEMBER_ID_LENGTH_LIMIT = 64
PERSON_NAME_LENGTH_LIMIT = 50
#: Member, household and project ids become sub-ledger keys (``member:<id>``), so they keep to that alphabet.
WIRE_ID_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
WIRE_ID_LENGTH_LIMIT = 40


class MembershipEndReason(StrEnum):
    """Why a membership ends (农村集体经济组织法 Arts. 11–18; DOMAIN.md §3)."""

    DEATH = "death"
    LOSS_OF_NATIONALITY = "loss_of_nationality"
    JOINED_OTHER_COLLECTIVE = "joined_other_collective"
    BECAME_CIVIL_SERVANT = "became_civil_servant"
    VOLUNTARY_EXIT = "voluntary_exit"


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

    @classmethod
    def registered(cls, *, member_id: str, identity: ProtectedIdentity, confirmed_on: date,
                   confirmation_reference: str, ended_on: date | None = None,
                   end_reason: MembershipEndReason | None = None) -> Member:
        """A register line, checked: the plain constructor (used when history is read) does not check."""
        check_member_id(member_id)
        if not isinstance(identity, ProtectedIdentity):
            raise IdentityNotProtected("a member's identity is stored only as a ProtectedIdentity")
        if (ended_on is None) != (end_reason is None):
            raise EndReasonRequired("an end date and an end reason go together")
        return cls(member_id=member_id, identity=identity, confirmed_on=confirmed_on,
                   confirmation_reference=confirmation_reference, ended_on=ended_on, end_reason=end_reason)

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


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
    member = Member.registered(
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


def check_wire_id(value: object, what: str) -> str:
    """Ids that appear in URLs and sub-ledger keys keep to a small alphabet."""
    if (not isinstance(value, str) or not 0 < len(value) <= WIRE_ID_LENGTH_LIMIT
            or not set(value) <= WIRE_ID_CHARACTERS):
        raise InvalidWireId(f"{what} {value!r} must be 1–{WIRE_ID_LENGTH_LIMIT} letters, digits, '_', '.' or '-'")
    return value


def check_person_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > PERSON_NAME_LENGTH_LIMIT:
        raise InvalidMemberDetails(f"a member's name has 1–{PERSON_NAME_LENGTH_LIMIT} characters")
    return name


@value_type("anju.collective.ConfirmedMember")
class ConfirmedMember:
    """What the organisation keeps of a confirmed member: id, identity hash, household."""

    member_id: str
    identity_hash: str
    household_id: str


# --- the member's aggregate -----------------------------------------------------------
def membership_id(book_code: str, member_id: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"collective/org/{book_code}/member/{member_id}")


class Membership(Aggregate):
    """One member's line of the member register (成员名册) and the dividends paid to them.

    One stream per member keeps every stream short however many members there
    are; paying members one by one touches only their own streams.
    """

    create_id = staticmethod(membership_id)

    @event("Confirmed")
    def __init__(self, audit: Audit, book_code: str, member_id: str, name: str, household_id: str,
                 identity: ProtectedIdentity, confirmed_on: date, confirmation_reference: str) -> None:
        self.book_code = book_code
        self.member_id = member_id
        self.name = name
        self.household_id = household_id
        self.line = Member(member_id=member_id, identity=identity, confirmed_on=confirmed_on,
                           confirmation_reference=confirmation_reference)
        self.dividends_paid: dict[int, Decimal] = {}

    @classmethod
    def confirm(cls, audit: Audit, *, book_code: str, line: Member, name: str, household_id: str) -> Membership:
        """A register line already checked by ``confirm_member``."""
        check_wire_id(line.member_id, "member id")
        check_wire_id(household_id, "household id")
        check_person_name(name)
        return cls(audit=audit, book_code=book_code, member_id=line.member_id, name=name,
                   household_id=household_id, identity=line.identity, confirmed_on=line.confirmed_on,
                   confirmation_reference=line.confirmation_reference)

    @property
    def is_current(self) -> bool:
        return self.line.is_current

    def end(self, audit: Audit, ended_on: date, reason: MembershipEndReason) -> None:
        """End the membership for a reason of the law (the rules of ``end_membership``)."""
        ended = end_membership({self.member_id: self.line}, member_id=self.member_id, ended_on=ended_on,
                               reason=reason)[self.member_id]
        self._ended(audit=audit, book_code=self.book_code, member_id=self.member_id,
                    ended_on=ended.ended_on, reason=reason.value)

    @event("MembershipEnded")
    def _ended(self, audit: Audit, book_code: str, member_id: str, ended_on: date, reason: str) -> None:
        self.line = replace(self.line, ended_on=ended_on, end_reason=MembershipEndReason(reason))

    def paid_for(self, year: int) -> Decimal:
        return self.dividends_paid.get(year, ZERO)

    def check_payment_within_owed(self, year: int, declared: Decimal, amount: Decimal) -> Decimal:
        """A payment may be partial but never above what is still owed for the year.

        Source: DOMAIN.md §3 (dividends payable per member; payment Dr 211 / Cr 102);
        a payment above what is owed is rejected.
        """
        owed = declared - self.paid_for(year)
        if amount > owed:
            raise PaymentExceedsOwed(f"member {self.member_id} is owed {owed} for {year}, not {amount}")
        return owed

    def pay_dividend(self, audit: Audit, year: int, declared: Decimal, amount: Decimal, paid_on: date,
                     voucher_number: str) -> None:
        parse_amount(amount)
        if amount <= 0:
            raise PaymentExceedsOwed("a payment is more than zero")
        self.check_payment_within_owed(year, declared, amount)
        self._dividend_paid(audit=audit, book_code=self.book_code, member_id=self.member_id, year=year,
                            amount=amount, paid_on=paid_on, voucher_number=voucher_number)

    @event("DividendPaid")
    def _dividend_paid(self, audit: Audit, book_code: str, member_id: str, year: int, amount: Decimal,
                       paid_on: date, voucher_number: str) -> None:
        self.dividends_paid[year] = self.paid_for(year) + amount


keep_old_topics(Membership)
