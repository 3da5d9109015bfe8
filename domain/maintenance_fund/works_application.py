"""Use cases of a fund's works: proposal, the owners' vote, use (and emergency use), paying the contractor.

``fn(uow, audit, fund_code, ...)`` like every use case in ``domain.maintenance_fund.application`` (which
re-exports these): the vouchers on the fund's book and the fund's and the works' events commit together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.maintenance_fund.application import SOURCE_PREFIX, _post, get_fund, get_works
from domain.maintenance_fund.errors import WorksAlreadyExists
from domain.maintenance_fund.postings import charge_drafts, contractor_payment_draft
from domain.maintenance_fund.vote import Ballot, Matter, VoteTally, tally
from domain.maintenance_fund.works import ChargeLine, Emergency, Works, WorksNature, WorksScope, works_id
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.journal import Voucher
from ledger.writer import UnitOfWork


def propose_works(uow: UnitOfWork, audit: Audit, fund_code: str, *, works_code: str, title: str,
                  common_parts: str, nature: str, matter: Matter, scope: WorksScope, contractor: str,
                  estimated_cost: object, proposed_on: date, emergency: Emergency | None = None) -> Works:
    fund = get_fund(uow, fund_code)
    if uow.get_optional(Works, works_id(fund_code, works_code)) is not None:
        raise WorksAlreadyExists(f"fund {fund_code} already has works {works_code!r}")
    fund.check_date(proposed_on, "the proposal")
    works = Works.propose(audit, book_code=fund_code, works_code=works_code, title=title, common_parts=common_parts,
                          nature=nature, matter=matter, scope=scope, affected=fund.affected(scope),
                          contractor=contractor, estimated_cost=estimated_cost, proposed_on=proposed_on,
                          emergency=emergency)
    return uow.add(works)


def record_vote(uow: UnitOfWork, audit: Audit, fund_code: str, works_code: str, *, held_on: date,
                ballots: Sequence[Ballot]) -> VoteTally:
    """Record the owners' vote on works, counted among the owners of its still-open affected units."""
    fund = get_fund(uow, fund_code)
    works = get_works(uow, fund_code, works_code)
    fund.check_date(held_on, "the vote")
    voters = fund.voters(u for u in works.affected if fund.unit(u).is_open)
    result = tally(Matter(works.matter), voters, ballots)
    works.record_vote(audit, held_on, result)
    return result


@dataclass(frozen=True)
class UseResult:
    works: Works
    lines: tuple[ChargeLine, ...]
    voucher_numbers: tuple[str, ...]


def use_fund(uow: UnitOfWork, audit: Audit, fund_code: str, works_code: str, *, used_on: date,
             approved_cost: Decimal) -> UseResult:
    """Charge the approved cost to the affected units by floor area: Dr 201 (and 112 shortfalls) / Cr 211."""
    fund = get_fund(uow, fund_code)
    works = get_works(uow, fund_code, works_code)
    works.check_not_used()
    works.check_use_authorised()
    lines = fund.plan_charge(used_on, works.affected, approved_cost)
    numbers = _post(uow, audit, fund_code, charge_drafts(
        used_on, f"动用维修资金：{works.title}", lines, works.contractor, f"{SOURCE_PREFIX}:works:{works_code}"))
    fund.charge(audit, works_code, used_on, lines, numbers)
    works.use(audit, used_on, approved_cost, sum((l.from_balance for l in lines), Decimal("0.00")),
              sum((l.receivable for l in lines), Decimal("0.00")), numbers)
    return UseResult(works, lines, numbers)


def emergency_use(uow: UnitOfWork, audit: Audit, fund_code: str, *, works_code: str, title: str,
                  common_parts: str, emergency: Emergency, scope: WorksScope, contractor: str, cost: Decimal,
                  used_on: date) -> UseResult:
    """Emergency use (165号令 Art. 24): no vote; the type and authorising body are recorded; same apportionment."""
    propose_works(uow, audit, fund_code, works_code=works_code, title=title, common_parts=common_parts,
                  nature=WorksNature.REPAIR.value, matter=Matter.USE, scope=scope, contractor=contractor,
                  estimated_cost=cost, proposed_on=used_on, emergency=emergency)
    return use_fund(uow, audit, fund_code, works_code, used_on=used_on, approved_cost=cost)


def pay_contractor(uow: UnitOfWork, audit: Audit, fund_code: str, works_code: str, *, paid_on: date,
                   amount: Decimal) -> Voucher:
    """An instalment to the contractor, Dr 211 / Cr 102, never above the approved cost in total."""
    get_fund(uow, fund_code)
    works = get_works(uow, fund_code, works_code)
    works.check_payment_within_approved_cost(amount)
    voucher = bookkeeping.record_voucher(uow, audit, fund_code, contractor_payment_draft(
        paid_on, f"支付维修工程款：{works.title}", works.contractor, amount, f"{SOURCE_PREFIX}:works:{works_code}"))
    works.pay(audit, paid_on, amount, voucher.number)
    return voucher
