"""Works (维修工程) paid from the fund: what is payable, emergency use, apportionment, the Works aggregate.

Source: 165号令 Arts. 18–25 (use only for repair, renewal and retrofit of common parts after
the warranty period; who benefits pays; Art. 24 emergency use; Art. 25 what is not payable);
民法典 Arts. 278, 281; DOMAIN.md §6 Use, Emergency use, Replenishment (a charge above a
unit's balance leaves a receivable, never a negative sub-ledger).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.maintenance_fund.contribution import allocate_by_floor_area
from domain.maintenance_fund.errors import (
    ExcludedUse,
    InvalidEmergency,
    InvalidWorks,
    NoUnitsInTarget,
    PaymentAboveApprovedCost,
    UseWithoutPassingVote,
    WorksAlreadyUsed,
    WorksNotUsed,
)
from domain.maintenance_fund.unit import UNIT_ID_PATTERN, check_place
from domain.maintenance_fund.vote import Matter, VoteTally
from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE
from ledger.money import ZERO, InvalidAmount, parse_positive_amount
from ledger.values import value_type

TEXT_LIMIT = 200


class WorksNature(str, Enum):
    """What the works are: the payable natures, then the ones 165号令 Art. 25 excludes."""

    REPAIR = "repair"  # 维修
    RENEWAL = "renewal"  # 更新
    RETROFIT = "retrofit"  # 改造
    DEVELOPER_WARRANTY = "developer_warranty"  # 保修期内由建设单位承担
    UTILITY_OWNED = "utility_owned"  # 供水、供电、供气等专业单位的管线和设施设备
    DAMAGE_BY_PERSON = "damage_by_person"  # 人为损坏，由责任人承担
    PROPERTY_COMPANY_CONTRACT = "property_company_contract"  # 物业服务合同约定由物业公司承担的维修养护


EXCLUDED_NATURES = frozenset({WorksNature.DEVELOPER_WARRANTY, WorksNature.UTILITY_OWNED,
                              WorksNature.DAMAGE_BY_PERSON, WorksNature.PROPERTY_COMPANY_CONTRACT})


class EmergencyType(str, Enum):
    """The dangers of 165号令 Art. 24 for which the vote is skipped (DOMAIN.md §6 Emergency use)."""

    LIFT_FAILURE = "lift_failure"  # 电梯故障
    ROOF_LEAK = "roof_leak"  # 屋面渗漏
    OUTER_WALL_LEAK = "outer_wall_leak"  # 外墙渗漏
    FIRE_SYSTEM_FAILURE = "fire_system_failure"  # 消防设施故障
    FALLING_FACADE = "falling_facade"  # 外墙墙面脱落
    BURST_WATER_MAIN = "burst_water_main"  # 供水管道爆裂
    BURST_DRAIN_MAIN = "burst_drain_main"  # 排水管道爆裂


class ScopeKind(str, Enum):
    AREA = "area"  # the whole property-management area (the fund)
    BUILDING = "building"
    STAIRWELL = "stairwell"


def check_use_is_payable(nature: object) -> WorksNature:
    """Only repair, renewal and retrofit of common parts are paid from the fund.

    Source: 165号令 Arts. 18 and 25; DOMAIN.md §6 Use: developer warranty work,
    utility-owned pipes and equipment, damage caused by a person and the property
    company's own contractual maintenance are not payable.
    """
    try:
        kind = WorksNature(nature)
    except ValueError:
        raise InvalidWorks(f"nature must be one of {', '.join(n.value for n in WorksNature)}") from None
    if kind in EXCLUDED_NATURES:
        raise ExcludedUse(f"{kind.value} is not payable from the maintenance fund (165号令 Art. 25)")
    return kind


def check_text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > TEXT_LIMIT:
        raise InvalidWorks(f"{what} is 1–{TEXT_LIMIT} characters")
    return value


@value_type("anju.maintenance_fund.Emergency", slots=True)
class Emergency:
    """Why the vote was skipped, and who authorised the use (165号令 Art. 24)."""

    emergency_type: str
    authorised_by: str

    @classmethod
    def declared(cls, emergency_type: object, authorised_by: object) -> Emergency:
        """An emergency use names one of the Art. 24 dangers and its authorising body.

        Source: 165号令 Art. 24; DOMAIN.md §6 Emergency use.
        """
        try:
            kind = EmergencyType(emergency_type)
        except ValueError:
            raise InvalidEmergency(
                f"emergency type must be one of {', '.join(e.value for e in EmergencyType)}") from None
        if not isinstance(authorised_by, str) or not authorised_by.strip() or len(authorised_by) > TEXT_LIMIT:
            raise InvalidEmergency("an emergency use names its authorising body (e.g. 街道办事处, 住建局)")
        return cls(kind.value, authorised_by)


@value_type("anju.maintenance_fund.WorksScope", slots=True)
class WorksScope:
    """Who benefits pays: a building, a stairwell of a building, or the whole area."""

    kind: str
    building: str = ""
    stairwell: str = ""

    @classmethod
    def parsed(cls, kind: object, building: object = "", stairwell: object = "") -> WorksScope:
        try:
            scope = ScopeKind(kind)
        except ValueError:
            raise InvalidWorks(f"scope must be one of {', '.join(s.value for s in ScopeKind)}") from None
        if scope is ScopeKind.AREA:
            return cls(scope.value)
        if scope is ScopeKind.BUILDING:
            return cls(scope.value, check_place(building, "building"))
        return cls(scope.value, check_place(building, "building"), check_place(stairwell, "stairwell"))

    def covers(self, building: str, stairwell: str) -> bool:
        if self.kind == ScopeKind.AREA.value:
            return True
        if self.kind == ScopeKind.BUILDING.value:
            return building == self.building
        return building == self.building and stairwell == self.stairwell


def affected_units(scope: WorksScope, units: Iterable[tuple[str, str, str]]) -> tuple[str, ...]:
    """The open units the works serve: (unit id, building, stairwell) → ids in the scope, by id.

    Source: 165号令 Art. 22 (who benefits pays); DOMAIN.md §6 Use (the building, the
    stairwell, or the whole area).
    """
    found = tuple(sorted(unit_id for unit_id, building, stairwell in units if scope.covers(building, stairwell)))
    if not found:
        raise NoUnitsInTarget(f"no open unit lies in the {scope.kind} {scope.building} {scope.stairwell}".strip())
    return found


@value_type("anju.maintenance_fund.ChargeLine", slots=True)
class ChargeLine:
    """One unit's share of a use: what its sub-ledger pays, and what is left owed by its owner."""

    unit_id: str
    share: Decimal
    from_balance: Decimal
    receivable: Decimal


def split_charge(unit_id: str, share: Decimal, balance: Decimal) -> ChargeLine:
    """A charge above a unit's balance takes the balance and leaves the rest as a receivable.

    Source: DOMAIN.md §6 Replenishment ("a use larger than a unit's balance leaves a
    receivable from that owner, never a negative sub-ledger silently").
    """
    from_balance = min(share, max(balance, ZERO))
    return ChargeLine(unit_id, share, from_balance, share - from_balance)


def apportion_cost(cost: Decimal, units: Sequence[tuple[str, Decimal, Decimal]]) -> tuple[ChargeLine, ...]:
    """The cost of a use over the affected units by floor area: (unit id, area, balance) → lines.

    Source: 165号令 Art. 22; DOMAIN.md §6 Use ("apportioned to the affected units'
    sub-ledgers by floor area"); §1 Allocation (exact; ties by unit id as text).
    """
    balances = {unit_id: balance for unit_id, _, balance in units}
    shares = allocate_by_floor_area(cost, [(unit_id, area) for unit_id, area, _ in units])
    lines = tuple(split_charge(unit_id, share, balances[unit_id]) for unit_id, share in shares)
    assert sum((line.share for line in lines), ZERO) == cost, "the shares sum to the cost"
    return lines


def check_contractor(code: object) -> str:
    if not isinstance(code, str) or not UNIT_ID_PATTERN.match(code):
        raise InvalidWorks(f"contractor code {code!r} must be 1–64 letters, digits, '.', '_' or '-'")
    return code


# --- the aggregate ----------------------------------------------------------------------------
def works_id(book_code: str, works_code: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"maintenance_fund/{book_code}/works/{works_code}")


class Works(Aggregate):
    """One works item of a fund: proposal, owners' votes (or an emergency), the use, payments."""

    @staticmethod
    def create_id(book_code: str, works_code: str) -> UUID:  # type: ignore[override]
        return works_id(book_code, works_code)

    @event("Proposed")
    def __init__(self, audit: Audit, book_code: str, works_code: str, title: str, common_parts: str, nature: str,
                 matter: str, scope: WorksScope, affected: tuple[str, ...], contractor: str,
                 estimated_cost: Decimal, proposed_on: date, emergency: Emergency | None) -> None:
        self.book_code = book_code
        self.works_code = works_code
        self.title = title
        self.common_parts = common_parts
        self.nature = nature
        self.matter = matter
        self.scope = scope
        self.affected = tuple(affected)
        self.contractor = contractor
        self.estimated_cost = estimated_cost
        self.proposed_on = proposed_on
        self.emergency = emergency
        self.votes: list[VoteTally] = []
        self.used_on: date | None = None
        self.approved_cost = ZERO
        self.paid = ZERO

    @classmethod
    def propose(cls, audit: Audit, *, book_code: str, works_code: str, title: object, common_parts: object,
                nature: object, matter: Matter, scope: WorksScope, affected: tuple[str, ...], contractor: object,
                estimated_cost: object, proposed_on: date, emergency: Emergency | None = None) -> Works:
        check_use_is_payable(nature)
        if not UNIT_ID_PATTERN.match(works_code):
            raise InvalidWorks(f"works code {works_code!r} must be 1–64 letters, digits, '.', '_' or '-'")
        cost = parse_positive_amount(estimated_cost, "estimated cost", InvalidWorks, malformed=InvalidAmount)
        return cls(audit=audit, book_code=book_code, works_code=works_code, title=check_text(title, "title"),
                   common_parts=check_text(common_parts, "the common parts"), nature=WorksNature(nature).value,
                   matter=matter.value, scope=scope, affected=affected, contractor=check_contractor(contractor),
                   estimated_cost=cost, proposed_on=proposed_on, emergency=emergency)

    @property
    def latest_vote(self) -> VoteTally | None:
        return self.votes[-1] if self.votes else None

    @property
    def status(self) -> str:
        if self.used_on is not None:
            return "paid" if self.paid == self.approved_cost else "used"
        if self.emergency is not None:
            return "emergency"
        vote = self.latest_vote
        return "proposed" if vote is None else "approved" if vote.passed else "rejected"

    # --- rules -----------------------------------------------------------------------------
    def check_not_used(self) -> None:
        if self.used_on is not None:
            raise WorksAlreadyUsed(f"works {self.works_code} were already charged to the fund on {self.used_on}")

    def check_use_authorised(self) -> None:
        """A use without a vote that passes, or an emergency reason, is rejected (DOMAIN.md §6)."""
        if self.emergency is not None:
            return
        vote = self.latest_vote
        if vote is None:
            raise UseWithoutPassingVote(f"works {self.works_code} have no owners' vote")
        if not vote.passed:
            raise UseWithoutPassingVote(
                f"the owners' vote on {self.works_code} did not pass (participation met: {vote.participation_met}, "
                f"approval met: {vote.approval_met})")

    def check_payment_within_approved_cost(self, amount: Decimal) -> None:
        """Payments leave in instalments, never above the approved cost (issue 9; 165号令 Art. 22)."""
        if self.used_on is None:
            raise WorksNotUsed(f"works {self.works_code} have no approved use to pay")
        if self.paid + amount > self.approved_cost:
            raise PaymentAboveApprovedCost(
                f"paid {self.paid} + {amount} would exceed the approved cost {self.approved_cost}")

    # --- commands ---------------------------------------------------------------------------
    def record_vote(self, audit: Audit, held_on: date, tally: VoteTally) -> None:
        self.check_not_used()
        if self.emergency is not None:
            raise InvalidWorks(f"works {self.works_code} are an emergency use; no vote is held")
        if held_on < self.proposed_on:
            raise InvalidWorks(f"the vote ({held_on}) cannot precede the proposal ({self.proposed_on})")
        self._vote_recorded(audit=audit, held_on=held_on, tally=tally)

    @event("VoteRecorded")
    def _vote_recorded(self, audit: Audit, held_on: date, tally: VoteTally) -> None:
        self.votes.append(tally)
        self.voted_on = held_on

    def use(self, audit: Audit, used_on: date, approved_cost: Decimal, from_balances: Decimal,
            receivables: Decimal, voucher_numbers: Sequence[str]) -> None:
        self.check_not_used()
        self.check_use_authorised()
        if used_on < self.proposed_on:
            raise InvalidWorks(f"the use ({used_on}) cannot precede the proposal ({self.proposed_on})")
        assert from_balances + receivables == approved_cost, "the charge lines sum to the approved cost"
        self._used(audit=audit, used_on=used_on, approved_cost=approved_cost, from_balances=from_balances,
                   receivables=receivables, voucher_numbers=tuple(voucher_numbers))

    @event("Used")
    def _used(self, audit: Audit, used_on: date, approved_cost: Decimal, from_balances: Decimal,
              receivables: Decimal, voucher_numbers: tuple[str, ...]) -> None:
        self.used_on = used_on
        self.approved_cost = approved_cost

    def pay(self, audit: Audit, paid_on: date, amount: Decimal, voucher_number: str) -> None:
        self.check_payment_within_approved_cost(amount)
        assert self.used_on is not None
        if paid_on < self.used_on:
            raise InvalidWorks(f"a payment ({paid_on}) cannot precede the use ({self.used_on})")
        self._paid(audit=audit, paid_on=paid_on, amount=amount, voucher_number=voucher_number)

    @event("Paid")
    def _paid(self, audit: Audit, paid_on: date, amount: Decimal, voucher_number: str) -> None:
        self.paid += amount
