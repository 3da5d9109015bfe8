"""Members' assembly resolutions: 农村集体经济组织法 Art. 27 (DOMAIN.md §3)."""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.collective.errors import CollectiveRuleBroken
from domain.collective.resolution import (
    AssemblyResolution,
    InconsistentResolution,
    QuorumNotMet,
    ResolutionNotPassed,
    check_quorum_met,
    check_resolution_counts_consistent,
    check_resolution_passes,
    check_two_thirds_of_all_members_in_favour,
)


def resolution(**counts: object) -> AssemblyResolution:
    fields: dict[str, object] = {"resolved_on": date(2025, 6, 1), "reference": "成员大会决议〔2025〕1号"}
    fields.update(counts)
    return AssemblyResolution.recorded(**fields)  # type: ignore[arg-type]


def test_a_stored_resolution_is_decoded_without_today_s_checks() -> None:
    """The store decodes history with the plain constructor: a record accepted once loads for ever."""
    stored = AssemblyResolution(resolved_on=date(2025, 6, 1), reference="", members_total=3, present=5, in_favour=4)
    assert (stored.reference, stored.present) == ("", 5)
    with pytest.raises(InconsistentResolution):
        check_resolution_passes(stored)  # a command relying on it still checks it


def test_members_with_full_capacity_defaults_to_members_total() -> None:
    assert resolution(members_total=300, present=200, in_favour=200).members_with_full_capacity == 300
    assert (
        resolution(
            members_total=300, members_with_full_capacity=240, present=200, in_favour=200
        ).members_with_full_capacity
        == 240
    )


@pytest.mark.parametrize("present", [200, 201, 300])
def test_quorum_is_two_thirds_of_members_with_full_capacity_met(present: int) -> None:
    check_quorum_met(resolution(members_total=300, present=present, in_favour=0))


@pytest.mark.parametrize("present", [0, 100, 199])
def test_quorum_is_two_thirds_of_members_with_full_capacity_not_met(present: int) -> None:
    with pytest.raises(QuorumNotMet):
        check_quorum_met(resolution(members_total=300, present=present, in_favour=0))


def test_quorum_is_two_thirds_of_members_with_full_capacity_not_of_all_members() -> None:
    # 240 with full capacity: 160 present is exactly 2/3 of them, though only 53 % of all 300.
    check_quorum_met(resolution(members_total=300, members_with_full_capacity=240, present=160, in_favour=0))
    with pytest.raises(QuorumNotMet):
        check_quorum_met(resolution(members_total=300, members_with_full_capacity=240, present=159, in_favour=0))


def test_quorum_rounds_two_thirds_up_when_not_whole() -> None:
    # 2/3 of 299 is 199.33…: 199 is short, 200 is enough.
    check_quorum_met(resolution(members_total=299, present=200, in_favour=0))
    with pytest.raises(QuorumNotMet):
        check_quorum_met(resolution(members_total=299, present=199, in_favour=0))


def test_resolution_needs_two_thirds_of_all_members() -> None:
    check_two_thirds_of_all_members_in_favour(resolution(members_total=300, present=300, in_favour=200))
    with pytest.raises(ResolutionNotPassed):
        check_two_thirds_of_all_members_in_favour(resolution(members_total=300, present=300, in_favour=199))


def test_resolution_needs_two_thirds_of_all_members_not_of_those_present() -> None:
    # 150 of 210 present is 71 % of those present but only half of all 300 members.
    with pytest.raises(ResolutionNotPassed):
        check_two_thirds_of_all_members_in_favour(resolution(members_total=300, present=210, in_favour=150))


def test_resolution_needs_two_thirds_of_all_members_including_those_without_full_capacity() -> None:
    check_two_thirds_of_all_members_in_favour(
        resolution(members_total=300, members_with_full_capacity=240, present=240, in_favour=200)
    )
    with pytest.raises(ResolutionNotPassed):
        check_two_thirds_of_all_members_in_favour(
            resolution(members_total=300, members_with_full_capacity=240, present=240, in_favour=199)
        )


def test_check_resolution_passes_at_both_edges() -> None:
    check_resolution_passes(resolution(members_total=300, present=200, in_favour=200))


def test_check_resolution_passes_rejects_missing_quorum_before_the_vote() -> None:
    with pytest.raises(QuorumNotMet):
        check_resolution_passes(resolution(members_total=300, present=199, in_favour=199))


def test_check_resolution_passes_rejects_a_failed_vote() -> None:
    with pytest.raises(ResolutionNotPassed):
        check_resolution_passes(resolution(members_total=300, present=250, in_favour=199))


@pytest.mark.parametrize(
    "counts",
    [
        {"members_total": 300, "present": 200, "in_favour": 201},  # more in favour than present
        {"members_total": 300, "present": 301, "in_favour": 0},  # more present than members
        {"members_total": 300, "members_with_full_capacity": 240, "present": 241, "in_favour": 0},
        {"members_total": 300, "members_with_full_capacity": 301, "present": 200, "in_favour": 0},
        {"members_total": 0, "present": 0, "in_favour": 0},
        {"members_total": 300, "present": -1, "in_favour": 0},
        {"members_total": 300, "present": 200, "in_favour": -1},
        {"members_total": True, "present": 1, "in_favour": 1},
        {"members_total": 300.0, "present": 200, "in_favour": 200},
        {"members_total": "300", "present": 200, "in_favour": 200},
        {"members_total": 1_000_001, "present": 700_000, "in_favour": 700_000},
    ],
)
def test_resolution_counts_consistent_rejects(counts: dict[str, object]) -> None:
    with pytest.raises(InconsistentResolution):
        resolution(**counts)


@pytest.mark.parametrize(
    "fields",
    [
        {"resolved_on": datetime(2025, 6, 1, 9, 30)},
        {"resolved_on": "2025-06-01"},
        {"reference": ""},
        {"reference": "   "},
        {"reference": "x" * 201},
    ],
)
def test_resolution_counts_consistent_needs_a_date_and_a_reference(fields: dict[str, object]) -> None:
    with pytest.raises(InconsistentResolution):
        resolution(members_total=3, present=3, in_favour=3, **fields)


def test_resolution_counts_consistent_accepts_a_coherent_record() -> None:
    record = resolution(members_total=300, members_with_full_capacity=280, present=280, in_favour=250)
    check_resolution_counts_consistent(record)
    assert (record.members_total, record.present, record.in_favour) == (300, 280, 250)


def test_resolution_is_immutable() -> None:
    record = resolution(members_total=3, present=3, in_favour=3)
    with pytest.raises(AttributeError):
        record.in_favour = 0  # type: ignore[misc]


def test_resolution_errors_are_named_rule_errors() -> None:
    assert QuorumNotMet.type_slug == "quorum-not-met"
    assert ResolutionNotPassed.type_slug == "resolution-not-passed"
    assert InconsistentResolution.type_slug == "inconsistent-resolution"
    for error in (QuorumNotMet, ResolutionNotPassed, InconsistentResolution):
        assert issubclass(error, CollectiveRuleBroken) and issubclass(error, ValueError)


@st.composite
def consistent_counts(draw: st.DrawFn) -> tuple[int, int, int, int]:
    total = draw(st.integers(1, 2000))
    capacity = draw(st.integers(0, total))
    present = draw(st.integers(0, capacity))
    in_favour = draw(st.integers(0, present))
    return total, capacity, present, in_favour


@settings(deadline=None)  # pure and fast; wall-clock deadlines flake on shared cores
@given(consistent_counts())
def test_check_resolution_passes_agrees_with_exact_fractions(counts: tuple[int, int, int, int]) -> None:
    total, capacity, present, in_favour = counts
    record = resolution(members_total=total, members_with_full_capacity=capacity, present=present, in_favour=in_favour)
    quorum = capacity == 0 or Fraction(present, capacity) >= Fraction(2, 3)
    passed = Fraction(in_favour, total) >= Fraction(2, 3)
    try:
        check_resolution_passes(record)
        outcome = "passed"
    except QuorumNotMet:
        outcome = "no-quorum"
    except ResolutionNotPassed:
        outcome = "rejected"
    assert outcome == ("no-quorum" if not quorum else "passed" if passed else "rejected")
