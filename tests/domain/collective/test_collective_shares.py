"""Shares (份额): Art. 40 and 中发〔2016〕37号 as stated in DOMAIN.md §3."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.collective import errors as rules
from domain.collective.identity import (
    ProtectedIdentity,
    identity_check_character,
    protect_identity_number,
)
from domain.collective.membership import (
    Member,
    MembershipEndReason,
    confirm_member,
    end_membership,
)
from domain.collective.resolution import AssemblyResolution, ResolutionNotPassed
from domain.collective.shares import (
    ShareRegister,
    inherit_shares,
    parse_share_units,
    quantify_shares,
    redeem_shares,
    transfer_shares,
)

KEY = b"anju-test-identity-key-32-bytes!"
D = Decimal


def person(sequence: int) -> ProtectedIdentity:
    first_seventeen = f"52230119900101{sequence:03d}"
    return protect_identity_number(KEY, first_seventeen + identity_check_character(first_seventeen))


def passing(on: date = date(2025, 1, 10)) -> AssemblyResolution:
    return AssemblyResolution(resolved_on=on, reference="成员大会决议", members_total=30, present=20, in_favour=20)


def members(*member_ids: str) -> dict[str, Member]:
    register: dict[str, Member] = {}
    for sequence, member_id in enumerate(member_ids, start=1):
        register = confirm_member(register, member_id=member_id, identity=person(sequence), resolution=passing())
    return register


def ended(register: dict[str, Member], member_id: str, reason: MembershipEndReason) -> dict[str, Member]:
    return end_membership(register, member_id=member_id, ended_on=date(2025, 8, 1), reason=reason)


@pytest.mark.parametrize(
    "value, expected",
    [
        (3, D(3)),
        (D("1.5"), D("1.5")),
        (D("0.0001"), D("0.0001")),
        (D("2.50000"), D("2.5")),
        (D("1000000000"), D("1000000000")),
    ],
)
def test_parse_share_units_accepts_decimal_or_int_with_four_places(value: object, expected: Decimal) -> None:
    assert parse_share_units(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        1.5,
        True,
        0,
        D(0),
        -1,
        D("-0.5"),
        D("0.00001"),
        D("1.23456"),
        D("NaN"),
        D("Infinity"),
        "1.5",
        None,
        D("1000000000.0001"),
    ],
)
def test_parse_share_units_rejects(value: object) -> None:
    with pytest.raises(rules.InvalidShareUnits):
        parse_share_units(value)


def test_quantify_shares_gives_shares_to_current_members_and_the_collective() -> None:
    shares = quantify_shares(
        {"m2": 3, "m1": D("1.5")}, register=members("m1", "m2"), resolution=passing(), collective_units=2
    )
    assert dict(shares.units_by_member) == {"m1": D("1.5"), "m2": D(3)}
    assert list(shares.units_by_member) == ["m1", "m2"]
    assert shares.collective_units == D(2) and shares.units_total == D("6.5")


def test_quantify_shares_needs_a_passing_resolution() -> None:
    failed = AssemblyResolution(
        resolved_on=date(2025, 1, 10), reference="r", members_total=30, present=30, in_favour=19
    )
    with pytest.raises(ResolutionNotPassed):
        quantify_shares({"m1": 1}, register=members("m1"), resolution=failed)


def test_quantify_shares_only_to_current_members() -> None:
    register = ended(members("m1", "m2"), "m2", MembershipEndReason.VOLUNTARY_EXIT)
    with pytest.raises(rules.HolderNotMember):
        quantify_shares({"m1": 1, "m2": 1}, register=register, resolution=passing())
    with pytest.raises(rules.HolderNotMember):
        quantify_shares({"m1": 1, "stranger": 1}, register=register, resolution=passing())


def test_quantify_shares_needs_at_least_one_holding() -> None:
    with pytest.raises(rules.EmptyQuantification):
        quantify_shares({}, register=members("m1"), resolution=passing(), collective_units=10)


def test_share_register_is_a_frozen_copy() -> None:
    source = {"m1": D(1)}
    shares = ShareRegister(units_by_member=source)
    source["m1"] = D(99)
    assert shares.units_by_member["m1"] == D(1) and shares.collective_units == D(0)
    with pytest.raises(TypeError):
        shares.units_by_member["m1"] = D(5)  # type: ignore[index]
    with pytest.raises(rules.InvalidShareUnits):
        ShareRegister(units_by_member={"m1": 1.0})  # type: ignore[dict-item]


def test_inherit_shares_passes_all_units_to_a_member_heir() -> None:
    register = ended(members("deceased", "heir", "other"), "deceased", MembershipEndReason.DEATH)
    holdings = {"deceased": D(3), "heir": D(1), "other": D(2)}
    after = inherit_shares(holdings, register, deceased_id="deceased", heir_id="heir")
    assert after == {"heir": D(4), "other": D(2)}
    assert holdings["deceased"] == D(3)  # the input is untouched


def test_inherit_shares_split_between_two_heirs() -> None:
    register = ended(members("deceased", "heir1", "heir2"), "deceased", MembershipEndReason.DEATH)
    holdings = {"deceased": D(3)}
    step = inherit_shares(holdings, register, deceased_id="deceased", heir_id="heir1", units=D("1.5"))
    after = inherit_shares(step, register, deceased_id="deceased", heir_id="heir2")
    assert step == {"deceased": D("1.5"), "heir1": D("1.5")}
    assert after == {"heir1": D("1.5"), "heir2": D("1.5")}


@pytest.mark.parametrize("reason", [r for r in MembershipEndReason if r is not MembershipEndReason.DEATH])
def test_inherit_shares_needs_a_death(reason: MembershipEndReason) -> None:
    register = ended(members("holder", "heir"), "holder", reason)
    with pytest.raises(rules.HolderNotDeceased):
        inherit_shares({"holder": D(3)}, register, deceased_id="holder", heir_id="heir")


def test_inherit_shares_from_a_living_member_is_refused() -> None:
    with pytest.raises(rules.HolderNotDeceased):
        inherit_shares({"holder": D(3)}, members("holder", "heir"), deceased_id="holder", heir_id="heir")


def test_inherit_shares_heir_must_be_a_current_member() -> None:
    register = ended(members("deceased", "exited"), "deceased", MembershipEndReason.DEATH)
    register = ended(register, "exited", MembershipEndReason.VOLUNTARY_EXIT)
    with pytest.raises(rules.HeirNotMember):
        inherit_shares({"deceased": D(3)}, register, deceased_id="deceased", heir_id="exited")
    with pytest.raises(rules.HeirNotMember):
        inherit_shares({"deceased": D(3)}, register, deceased_id="deceased", heir_id="outsider")


def test_inherit_shares_not_more_than_held() -> None:
    register = ended(members("deceased", "heir"), "deceased", MembershipEndReason.DEATH)
    with pytest.raises(rules.InsufficientShares):
        inherit_shares({"deceased": D(3)}, register, deceased_id="deceased", heir_id="heir", units=D("3.0001"))
    with pytest.raises(rules.InsufficientShares):
        inherit_shares({"heir": D(3)}, register, deceased_id="deceased", heir_id="heir")


def test_transfer_shares_inside_the_organisation() -> None:
    holdings = {"m1": D(3), "m2": D(1)}
    after = transfer_shares(holdings, members("m1", "m2", "m3"), from_id="m1", to_id="m3", units=D("0.5"))
    assert after == {"m1": D("2.5"), "m2": D(1), "m3": D("0.5")}
    assert holdings == {"m1": D(3), "m2": D(1)}


def test_transfer_shares_of_a_whole_holding_removes_the_holder() -> None:
    after = transfer_shares({"m1": D(3)}, members("m1", "m2"), from_id="m1", to_id="m2", units=3)
    assert after == {"m2": D(3)}


def test_transfer_outside_organisation_is_refused() -> None:
    register = ended(members("m1", "m2"), "m2", MembershipEndReason.VOLUNTARY_EXIT)
    with pytest.raises(rules.TransferOutsideOrganisation):
        transfer_shares({"m1": D(3)}, register, from_id="m1", to_id="m2", units=1)
    with pytest.raises(rules.TransferOutsideOrganisation):
        transfer_shares({"m1": D(3)}, register, from_id="m1", to_id="outsider", units=1)


def test_transfer_shares_from_an_exited_member_to_a_current_member() -> None:
    register = ended(members("m1", "m2"), "m1", MembershipEndReason.VOLUNTARY_EXIT)
    assert transfer_shares({"m1": D(3)}, register, from_id="m1", to_id="m2", units=3) == {"m2": D(3)}


def test_transfer_shares_not_more_than_held() -> None:
    with pytest.raises(rules.InsufficientShares):
        transfer_shares({"m1": D(3)}, members("m1", "m2"), from_id="m1", to_id="m2", units=4)
    with pytest.raises(rules.InsufficientShares):
        transfer_shares({"m1": D(3)}, members("m1", "m2", "m3"), from_id="m3", to_id="m2", units=1)


def test_transfer_shares_to_self_is_refused() -> None:
    with pytest.raises(rules.TransferToSelf):
        transfer_shares({"m1": D(3)}, members("m1"), from_id="m1", to_id="m1", units=1)


@pytest.mark.parametrize("units", [0, D("-1"), 1.0, D("0.00001")])
def test_transfer_shares_needs_valid_units(units: object) -> None:
    with pytest.raises(rules.InvalidShareUnits):
        transfer_shares({"m1": D(3)}, members("m1", "m2"), from_id="m1", to_id="m2", units=units)  # type: ignore[arg-type]


def test_redeem_shares_cancels_the_units() -> None:
    holdings = {"m1": D(3), "m2": D(1)}
    assert redeem_shares(holdings, holder_id="m1", units=D("1.25")) == {"m1": D("1.75"), "m2": D(1)}
    assert redeem_shares(holdings, holder_id="m2", units=1) == {"m1": D(3)}
    assert holdings == {"m1": D(3), "m2": D(1)}


def test_redeem_shares_not_more_than_held() -> None:
    with pytest.raises(rules.InsufficientShares):
        redeem_shares({"m1": D(3)}, holder_id="m1", units=D("3.0001"))


unit_values = st.decimals(min_value=D("0.0001"), max_value=D(10_000), places=4)


@settings(deadline=None)  # pure and fast; wall-clock deadlines flake on shared cores
@given(
    holdings=st.dictionaries(st.sampled_from(["m1", "m2", "m3", "m4"]), unit_values, min_size=1),
    data=st.data(),
)
def test_transfer_shares_conserves_units(holdings: dict[str, Decimal], data: st.DataObject) -> None:
    from_id = data.draw(st.sampled_from(sorted(holdings)))
    to_id = data.draw(st.sampled_from([m for m in ["m1", "m2", "m3", "m4"] if m != from_id]))
    units = data.draw(st.decimals(min_value=D("0.0001"), max_value=holdings[from_id], places=4))
    after = transfer_shares(holdings, members("m1", "m2", "m3", "m4"), from_id=from_id, to_id=to_id, units=units)
    assert sum(after.values()) == sum(holdings.values())
    assert all(held > 0 for held in after.values())
    assert after.get(to_id, D(0)) == holdings.get(to_id, D(0)) + units
