"""Members and the member register: 农村集体经济组织法 Arts. 11–18 (DOMAIN.md §3)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.collective.identity import (
    ProtectedIdentity,
    identity_check_character,
    protect_identity_number,
)
from domain.collective.membership import (
    EndBeforeConfirmation,
    EndReasonRequired,
    InvalidMemberId,
    Member,
    MemberAlreadyConfirmed,
    MembershipAlreadyEnded,
    MembershipEndReason,
    RejoinAfterMembershipEnded,
    UnknownMember,
    check_is_current_member,
    check_no_rejoin_after_end,
    check_not_confirmed_twice,
    confirm_member,
    end_membership,
)
from domain.collective.resolution import (
    AssemblyResolution,
    QuorumNotMet,
    ResolutionNotPassed,
)

KEY = b"anju-test-identity-key-32-bytes!"
CONFIRMED_ON = date(2025, 6, 1)


def person(sequence: int) -> ProtectedIdentity:
    first_seventeen = f"52230119900101{sequence:03d}"
    return protect_identity_number(KEY, first_seventeen + identity_check_character(first_seventeen))


def passing(on: date = CONFIRMED_ON, reference: str = "成员大会决议〔2025〕1号") -> AssemblyResolution:
    return AssemblyResolution(resolved_on=on, reference=reference, members_total=30, present=20, in_favour=20)


def register_of(*member_ids: str) -> dict[str, Member]:
    register: dict[str, Member] = {}
    for sequence, member_id in enumerate(member_ids, start=1):
        register = confirm_member(register, member_id=member_id, identity=person(sequence), resolution=passing())
    return register


def test_confirm_member_records_the_resolution_date_and_reference() -> None:
    register = confirm_member({}, member_id="m1", identity=person(1), resolution=passing(date(2025, 3, 9), "决议-7"))
    member = register["m1"]
    assert (member.confirmed_on, member.confirmation_reference) == (date(2025, 3, 9), "决议-7")
    assert member.identity == person(1) and member.is_current


def test_confirm_member_needs_a_passing_resolution() -> None:
    no_quorum = AssemblyResolution(resolved_on=CONFIRMED_ON, reference="r", members_total=30, present=19, in_favour=19)
    not_passed = AssemblyResolution(resolved_on=CONFIRMED_ON, reference="r", members_total=30, present=30, in_favour=19)
    with pytest.raises(QuorumNotMet):
        confirm_member({}, member_id="m1", identity=person(1), resolution=no_quorum)
    with pytest.raises(ResolutionNotPassed):
        confirm_member({}, member_id="m1", identity=person(1), resolution=not_passed)


def test_confirm_member_leaves_the_given_register_alone() -> None:
    before = register_of("m1")
    after = confirm_member(before, member_id="m2", identity=person(2), resolution=passing())
    assert set(before) == {"m1"} and set(after) == {"m1", "m2"}


def test_not_confirmed_twice_same_person_under_another_id() -> None:
    register = register_of("m1")
    with pytest.raises(MemberAlreadyConfirmed):
        confirm_member(register, member_id="m9", identity=person(1), resolution=passing())
    with pytest.raises(MemberAlreadyConfirmed):
        check_not_confirmed_twice(register, "m9", person(1))


def test_not_confirmed_twice_same_member_id() -> None:
    register = register_of("m1")
    with pytest.raises(MemberAlreadyConfirmed):
        confirm_member(register, member_id="m1", identity=person(2), resolution=passing())


def test_not_confirmed_twice_lets_a_different_person_in() -> None:
    check_not_confirmed_twice(register_of("m1"), "m2", person(2))


def test_no_rejoin_after_membership_ended() -> None:
    register = end_membership(
        register_of("m1"), member_id="m1", ended_on=date(2025, 7, 1), reason=MembershipEndReason.JOINED_OTHER_COLLECTIVE
    )
    with pytest.raises(RejoinAfterMembershipEnded):
        confirm_member(register, member_id="m1-again", identity=person(1), resolution=passing(date(2026, 1, 1)))
    with pytest.raises(RejoinAfterMembershipEnded):
        check_no_rejoin_after_end(register, person(1))
    check_no_rejoin_after_end(register, person(2))


def test_membership_end_reasons_are_the_five_of_the_law() -> None:
    assert {reason.value for reason in MembershipEndReason} == {
        "death",
        "loss_of_nationality",
        "joined_other_collective",
        "became_civil_servant",
        "voluntary_exit",
    }


@pytest.mark.parametrize("reason", list(MembershipEndReason))
def test_end_membership_records_date_and_reason(reason: MembershipEndReason) -> None:
    before = register_of("m1", "m2")
    after = end_membership(before, member_id="m1", ended_on=date(2025, 9, 30), reason=reason)
    assert (after["m1"].ended_on, after["m1"].end_reason) == (date(2025, 9, 30), reason)
    assert not after["m1"].is_current and after["m2"].is_current
    assert before["m1"].is_current  # the input register is untouched


@pytest.mark.parametrize("reason", [None, "death", "moved_away"])
def test_end_membership_needs_a_reason(reason: object) -> None:
    with pytest.raises(EndReasonRequired):
        end_membership(register_of("m1"), member_id="m1", ended_on=date(2025, 9, 30), reason=reason)  # type: ignore[arg-type]


def test_end_membership_only_once() -> None:
    register = end_membership(
        register_of("m1"), member_id="m1", ended_on=date(2025, 9, 30), reason=MembershipEndReason.DEATH
    )
    with pytest.raises(MembershipAlreadyEnded):
        end_membership(register, member_id="m1", ended_on=date(2025, 10, 1), reason=MembershipEndReason.VOLUNTARY_EXIT)


def test_end_membership_of_an_unknown_member() -> None:
    with pytest.raises(UnknownMember):
        end_membership(register_of("m1"), member_id="m2", ended_on=date(2025, 9, 30), reason=MembershipEndReason.DEATH)


def test_end_membership_not_before_confirmation() -> None:
    register = register_of("m1")
    with pytest.raises(EndBeforeConfirmation):
        end_membership(register, member_id="m1", ended_on=date(2025, 5, 31), reason=MembershipEndReason.DEATH)
    same_day = end_membership(register, member_id="m1", ended_on=CONFIRMED_ON, reason=MembershipEndReason.DEATH)
    assert same_day["m1"].ended_on == CONFIRMED_ON


def test_member_needs_end_date_and_reason_together() -> None:
    for only_one in ({"ended_on": date(2025, 9, 1)}, {"end_reason": MembershipEndReason.DEATH}):
        with pytest.raises(EndReasonRequired):
            Member.registered(member_id="m1", identity=person(1), confirmed_on=CONFIRMED_ON,
                              confirmation_reference="r", **only_one)


@pytest.mark.parametrize("member_id", ["", " m1", "m1 ", "x" * 65, 7, None])
def test_member_id_is_a_short_opaque_string(member_id: object) -> None:
    with pytest.raises(InvalidMemberId):
        confirm_member({}, member_id=member_id, identity=person(1), resolution=passing())  # type: ignore[arg-type]


def test_check_is_current_member() -> None:
    register = end_membership(
        register_of("m1", "m2"), member_id="m2", ended_on=date(2025, 9, 30), reason=MembershipEndReason.DEATH
    )
    check_is_current_member(register, "m1")
    with pytest.raises(MembershipAlreadyEnded):
        check_is_current_member(register, "m2")
    with pytest.raises(UnknownMember):
        check_is_current_member(register, "m3")
