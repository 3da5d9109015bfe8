"""Members' assembly resolutions (成员大会决议): quorum and passing thresholds.

Source: 农村集体经济组织法 (2024) Art. 27 as stated in DOMAIN.md §3. All
thresholds use exact integer arithmetic: "三分之二以上" includes the number
itself (民法典 Art. 1259), so ``3 × count ≥ 2 × base``.
"""

from __future__ import annotations

from datetime import date, datetime

from domain.collective.errors import (
    InconsistentResolution,
    QuorumNotMet,
    ResolutionNotPassed,
)
from ledger.values import value_type

#: A membership count above this is a typing error, not a community (TIGER_STYLE: limit everything).
MEMBERS_LIMIT = 1_000_000
REFERENCE_LENGTH_LIMIT = 200


@value_type("anju.collective.AssemblyResolution", kw_only=True)
class AssemblyResolution:
    """A members' assembly resolution as recorded (date, reference and the counts).

    ``present`` counts the members with full civil capacity who took part (in
    person, online or by a household proxy; Art. 27), so
    ``in_favour ≤ present ≤ members_with_full_capacity ≤ members_total``.
    ``members_with_full_capacity`` defaults to ``members_total``.
    """

    resolved_on: date
    reference: str
    members_total: int
    members_with_full_capacity: int | None = None
    present: int
    in_favour: int

    @classmethod
    def recorded(cls, *, resolved_on: date, reference: str, members_total: int,
                 members_with_full_capacity: int | None = None, present: int, in_favour: int) -> AssemblyResolution:
        """A resolution as the assembly's minutes give it, checked for coherence.

        The plain constructor does not check: the store decodes history with it,
        and a record accepted once must load for ever, whatever today's rules say.
        """
        resolution = cls(resolved_on=resolved_on, reference=reference, members_total=members_total,
                         members_with_full_capacity=members_total if members_with_full_capacity is None
                         else members_with_full_capacity, present=present, in_favour=in_favour)
        check_resolution_counts_consistent(resolution)
        return resolution

    @property
    def capacity_count(self) -> int:
        """Members with full civil capacity (``members_total`` when not recorded separately)."""
        if self.members_with_full_capacity is None:
            return self.members_total
        return self.members_with_full_capacity


def _check_count(name: str, value: object) -> int:
    # bool is an int subclass; a True member count is a bug, not one member.
    if type(value) is not int or not 0 <= value <= MEMBERS_LIMIT:
        raise InconsistentResolution(f"{name} must be a whole number 0..{MEMBERS_LIMIT}, not {value!r}")
    return value


def check_resolution_counts_consistent(resolution: AssemblyResolution) -> None:
    """The record itself is coherent before any threshold is checked.

    Source: DOMAIN.md §3 (resolutions record date, members total, present, in
    favour): a calendar date, a reference, at least one member, and
    ``0 ≤ in_favour ≤ present ≤ members_with_full_capacity ≤ members_total``.
    """
    if not isinstance(resolution.resolved_on, date) or isinstance(resolution.resolved_on, datetime):
        raise InconsistentResolution("resolved_on must be a calendar date")
    reference = resolution.reference
    if not isinstance(reference, str) or not reference.strip() or len(reference) > REFERENCE_LENGTH_LIMIT:
        raise InconsistentResolution(f"reference must be 1..{REFERENCE_LENGTH_LIMIT} characters")
    total = _check_count("members_total", resolution.members_total)
    capacity = _check_count("members_with_full_capacity", resolution.capacity_count)
    present = _check_count("present", resolution.present)
    in_favour = _check_count("in_favour", resolution.in_favour)
    if total < 1:
        raise InconsistentResolution("an assembly has at least one member")
    if not in_favour <= present <= capacity <= total:
        raise InconsistentResolution(
            f"need in_favour ({in_favour}) ≤ present ({present}) ≤ "
            f"members_with_full_capacity ({capacity}) ≤ members_total ({total})"
        )


def check_quorum_met(resolution: AssemblyResolution) -> None:
    """Quorum: at least 2/3 of the members with full civil capacity take part.

    Source: 农村集体经济组织法 Art. 27; DOMAIN.md §3 (Assembly resolutions).
    """
    if 3 * resolution.present < 2 * resolution.capacity_count:
        raise QuorumNotMet(
            f"{resolution.reference}: {resolution.present} present of "
            f"{resolution.capacity_count} members with full civil capacity; 2/3 needed"
        )


def check_two_thirds_of_all_members_in_favour(resolution: AssemblyResolution) -> None:
    """Passing: at least 2/3 of ALL members vote in favour (one person, one vote).

    Source: 农村集体经济组织法 Art. 27; DOMAIN.md §3 (Assembly resolutions). The
    base is every member, not those present.
    """
    if 3 * resolution.in_favour < 2 * resolution.members_total:
        raise ResolutionNotPassed(
            f"{resolution.reference}: {resolution.in_favour} in favour of "
            f"{resolution.members_total} members; 2/3 of all members needed"
        )


def check_resolution_passes(resolution: AssemblyResolution) -> None:
    """A resolution that a plan may rely on: quorum met, then passed.

    Source: DOMAIN.md §3: share quantification and distribution plans record
    the resolution and are rejected if it does not meet the thresholds of
    农村集体经济组织法 Art. 27. The record's coherence is checked first, so a
    resolution built without ``recorded`` is held to the same rules.
    """
    check_resolution_counts_consistent(resolution)
    check_quorum_met(resolution)
    check_two_thirds_of_all_members_in_favour(resolution)
