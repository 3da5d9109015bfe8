"""Owners' votes on the fund (业主共同决定): headcount, participation and approval thresholds.

Source: 民法典 Art. 278 (matters decided by owners; participation by ≥ 2/3 of the exclusive
area and ≥ 2/3 of the owners; using the fund needs > 1/2 of the participating area and
owners; raising the fund, rebuilding and changing the use of common parts need ≥ 3/4 of
both); 最高人民法院 建筑物区分所有权司法解释 (2020) Arts. 8–9 (area and headcount);
DOMAIN.md §6 Owners' vote and Exact readings.

Every threshold is an exact comparison of integers or Decimals (``3 × part ≥ 2 × total``),
never a float ratio: exactly 2/3 participates, exactly 1/2 fails, exactly 3/4 passes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from domain.maintenance_fund.errors import InvalidVote, OwnerNotAffected
from domain.maintenance_fund.unit import Owner, voter_key
from ledger.values import value_type

ZERO_AREA = Decimal("0.00")
MAX_BALLOTS = 100_000


class Answer(str, Enum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"
    ABSENT = "absent"


class Matter(str, Enum):
    """What the owners decide (民法典 Art. 278 (5)–(7))."""

    USE = "use"  # 使用维修资金: > 1/2
    RAISE = "raise"  # 筹集维修资金 (a replenishment plan): ≥ 3/4
    REBUILD = "rebuild"  # 改建、重建: ≥ 3/4
    CHANGE_OF_USE = "change_of_use"  # 改变共有部分的用途: ≥ 3/4


def parse_matter(value: object) -> Matter:
    try:
        return Matter(value)
    except ValueError:
        raise InvalidVote(f"matter must be one of {', '.join(m.value for m in Matter)}") from None


@value_type("anju.maintenance_fund.Ballot", slots=True)
class Ballot:
    """One owner's one answer for all their affected units."""

    owner: str  # the voter key (owner id; ``developer`` for the developer's units)
    answer: str  # an ``Answer`` value

    @classmethod
    def cast(cls, owner: object, answer: object) -> Ballot:
        if not isinstance(owner, str) or not owner:
            raise InvalidVote("a ballot names its owner")
        try:
            return cls(owner, Answer(answer).value)
        except ValueError:
            raise InvalidVote(f"an answer is one of {', '.join(a.value for a in Answer)}") from None


@dataclass(frozen=True)
class Voter:
    key: str
    area_m2: Decimal
    units: int


def voters_of(units: Iterable[tuple[Owner, Decimal]]) -> dict[str, Voter]:
    """The owners of the affected units, each counted once with their total exclusive area.

    Source: DOMAIN.md §6 Owners' vote and Exact readings: one owner of several units counts
    once with their total area; the developer's unsold or unassigned units count as one
    owner in total; the collective's shop-fronts count as one owner with their total area.
    """
    areas: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for owner, area in units:
        key = voter_key(owner)
        areas[key] = areas.get(key, ZERO_AREA) + area
        counts[key] = counts.get(key, 0) + 1
    return {key: Voter(key, areas[key], counts[key]) for key in sorted(areas)}


def participation_met(participating_area: Decimal, total_area: Decimal, participating_owners: int,
                      total_owners: int) -> bool:
    """Participation: owners holding ≥ 2/3 of the exclusive area AND ≥ 2/3 of the owners.

    Source: 民法典 Art. 278 para. 2; DOMAIN.md §6 Owners' vote. Exact: 3 × part ≥ 2 × total.
    """
    return 3 * participating_area >= 2 * total_area and 3 * participating_owners >= 2 * total_owners


def use_approved(for_area: Decimal, participating_area: Decimal, for_owners: int, participating_owners: int) -> bool:
    """Using the fund: > 1/2 of the participating area AND > 1/2 of the participating owners.

    Source: 民法典 Art. 278 para. 2; DOMAIN.md §6 (exactly half fails). Exact: 2 × for > part.
    """
    return 2 * for_area > participating_area and 2 * for_owners > participating_owners


def special_approved(for_area: Decimal, participating_area: Decimal, for_owners: int,
                     participating_owners: int) -> bool:
    """Raising the fund, rebuilding, changing the use of common parts: ≥ 3/4 of both.

    Source: 民法典 Art. 278 para. 2 (items 5–7 there); DOMAIN.md §6. Exact: 4 × for ≥ 3 × part.
    """
    return 4 * for_area >= 3 * participating_area and 4 * for_owners >= 3 * participating_owners


@value_type("anju.maintenance_fund.VoteTally", slots=True)
class VoteTally:
    """The figures of one vote, with the thresholds met; stored with the vote as counted then."""

    matter: str
    total_area: Decimal
    total_owners: int
    participating_area: Decimal
    participating_owners: int
    for_area: Decimal
    for_owners: int
    against_area: Decimal
    against_owners: int
    abstain_area: Decimal
    abstain_owners: int
    participation_met: bool
    approval_met: bool
    ballots: tuple[Ballot, ...] = ()

    @property
    def passed(self) -> bool:
        return self.participation_met and self.approval_met

    @property
    def absent_area(self) -> Decimal:
        return self.total_area - self.participating_area

    @property
    def absent_owners(self) -> int:
        return self.total_owners - self.participating_owners


def check_ballots(voters: Mapping[str, Voter], ballots: Sequence[Ballot]) -> None:
    """Each affected owner answers at most once (one answer for all their units); no one else votes.

    Source: DOMAIN.md §6 (the vote is counted among the owners of the affected units; an
    owner gives one answer for all their units).
    """
    if not ballots or len(ballots) > MAX_BALLOTS:
        raise InvalidVote(f"a vote records 1–{MAX_BALLOTS} ballots")
    seen: set[str] = set()
    for ballot in ballots:
        if ballot.owner not in voters:
            raise OwnerNotAffected(f"owner {ballot.owner} owns none of the affected units")
        if ballot.owner in seen:
            raise InvalidVote(f"owner {ballot.owner} answers once, for all their units")
        seen.add(ballot.owner)


def tally(matter: Matter, voters: Mapping[str, Voter], ballots: Sequence[Ballot]) -> VoteTally:
    """Count a vote: area and headcount by answer; owners without a ballot are absent."""
    check_ballots(voters, ballots)
    area = {answer: ZERO_AREA for answer in Answer}
    heads = {answer: 0 for answer in Answer}
    answered = {ballot.owner: Answer(ballot.answer) for ballot in ballots}
    for key, voter in voters.items():
        answer = answered.get(key, Answer.ABSENT)
        area[answer] += voter.area_m2
        heads[answer] += 1
    total_area = sum((v.area_m2 for v in voters.values()), ZERO_AREA)
    part_area = area[Answer.FOR] + area[Answer.AGAINST] + area[Answer.ABSTAIN]
    part_heads = heads[Answer.FOR] + heads[Answer.AGAINST] + heads[Answer.ABSTAIN]
    approve = use_approved if matter is Matter.USE else special_approved
    return VoteTally(
        matter=matter.value, total_area=total_area, total_owners=len(voters),
        participating_area=part_area, participating_owners=part_heads,
        for_area=area[Answer.FOR], for_owners=heads[Answer.FOR],
        against_area=area[Answer.AGAINST], against_owners=heads[Answer.AGAINST],
        abstain_area=area[Answer.ABSTAIN], abstain_owners=heads[Answer.ABSTAIN],
        participation_met=participation_met(part_area, total_area, part_heads, len(voters)),
        approval_met=part_heads > 0 and approve(area[Answer.FOR], part_area, heads[Answer.FOR], part_heads),
        ballots=tuple(sorted(ballots, key=lambda b: b.owner)),
    )
