"""``anju demo``: the community's joint-stock economic cooperative (股份经济合作社) on the demo book.

About 3,000 members in about 1,000 relocated households, shares quantified in
2021 by resolution (with a collective share class), a cattle-custody project
(资产收益), deaths with inheritance, a transfer and an exit, each year closed
and distributed with awkward remainders, dividends paid each January except a
few (unpaid dividends stay visible), and one distribution reversed and
re-adopted. Deterministic (seeded).

Year-end vouchers are dated 31 December of their year. If the base demo has
already closed those months (it closes through 2025-10 before the capability
loads run), the demo auditor re-opens them, as an audited event, and the months
are closed again in order afterwards.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from api.demo import C001, DemoCommunity
from api.runtime import Runtime
from domain.collective import application as collective
from domain.collective.charter import make_charter
from domain.collective.credit_code import credit_code_check_character
from domain.collective.distribution import BANK, PAYABLE
from domain.collective.identity import identity_check_character
from domain.collective.membership import MembershipEndReason
from domain.collective.resolution import AssemblyResolution
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.book import BookMonth, book_month_id
from ledger.calendar import next_month
from ledger.chart import account_code
from ledger.journal import VoucherDraft, credit, debit

BOOK = C001.book_code
HOUSEHOLDS = C001.households
MEMBERS = C001.members
BATCH = 250  # members per command: keeps each save small (large PostgreSQL pipelines stalled)
YEARS = (2021, 2022, 2023, 2024, 2025)
#: Declared amounts, chosen to leave awkward remainders (and some 未分配收益).
DECLARED = {2021: "300000.37", 2022: "320001.13", 2023: "310000.99", 2024: "333333.33", 2025: "345678.91"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林梁韦蒙覃罗"
GIVEN = "明华英兰芳军平国建秀玉文海红云春梅霞德福贵成志强丽娟勇杰珍"
CREDIT_CODE_17 = "N2522301MF0000123"  # c001's; the others end in their own number
INVESTMENT_INCOME = account_code("collective_2023", "investment_income")  # 502 投资收益

ACCOUNTANT_REASON = "演示数据 集体经济组织"
AUDITOR = Audit("demo-auditor", "auditor", "演示：补记年终结账与收益分配，完成后重新结账")


def _run(runtime: Runtime, command: Callable[[Any], Any]) -> Any:
    return runtime.execute(command, wait_for_read_models=False).result


def _resolution(day: date, reference: str, total: int) -> AssemblyResolution:
    present = total * 9 // 10
    return AssemblyResolution.recorded(resolved_on=day, reference=reference, members_total=total, present=present,
                                       in_favour=present - total // 50)


def _people(rng: random.Random, place: DemoCommunity) -> list[dict[str, Any]]:
    """The members (c001: ~3,000 people in ~1,000 households), with valid (fictitious) identity numbers."""
    households, members = place.households, place.members
    sizes = [rng.choice((1, 2, 3, 3, 4, 5)) for _ in range(households)]
    while sum(sizes) != members:
        index = rng.randrange(households)
        sizes[index] = max(1, min(6, sizes[index] + (1 if sum(sizes) < members else -1)))
    people, used = [], set()
    for household, size in enumerate(sizes, start=1):
        surname = rng.choice(SURNAMES)
        for _ in range(size):
            born = date(1940, 1, 1) + timedelta(days=rng.randrange(80 * 365))
            while True:
                first = f"522301{born:%Y%m%d}{rng.randrange(1000):03d}"
                if first not in used:
                    used.add(first)
                    break
            index = len(people) + 1
            people.append({"member_id": f"M{index:05d}", "household_id": f"H{household:04d}", "born": born,
                           "name": surname + rng.choice(GIVEN) + rng.choice(GIVEN),
                           "identity_number": first + identity_check_character(first)})
    return people


def _units(person: dict[str, Any]) -> Decimal:
    """The quantification plan: one unit per member, 0.5 for minors, 1.2 for members over 60 (in 2021)."""
    age = 2021 - person["born"].year
    return Decimal("0.5") if age < 18 else Decimal("1.2") if age > 60 else Decimal(1)


def _reopen_closed_months(runtime: Runtime, book: str, progress: Callable[[str], None]) -> list[str]:
    """Re-open (auditor, audited) every closed month from 2021-12 on; returns them oldest first."""
    closed = []
    month = "2021-12"
    while month <= "2026-12":
        period = _run(runtime, lambda uow, m=month: uow.get_optional(BookMonth, book_month_id(book, m)))
        if period is not None and period.closed:
            closed.append(month)
        month = next_month(month)
    for month in reversed(closed):
        _run(runtime, lambda uow, m=month: bookkeeping.reopen_month(uow, AUDITOR, book, m))
    if closed:
        progress(f"anju demo: collective: auditor re-opened {closed[0]}…{closed[-1]} for the year-end postings")
    return closed


def load(runtime: Runtime, progress: Callable[[str], None], place: DemoCommunity = C001) -> None:
    rng = random.Random(20210115 + place.seed)
    ENDED.clear()
    BOOK, MEMBERS, ACCOUNTANT = place.book_code, place.members, place.accountant(ACCOUNTANT_REASON)
    reopened = _reopen_closed_months(runtime, BOOK, progress)
    code_17 = CREDIT_CODE_17 if place is C001 else f"N2522301MF0000{200 + place.seed:03d}"
    progress("anju demo: collective: registering the cooperative and its members…")
    _run(runtime, lambda uow: collective.register_organisation(
        uow, ACCOUNTANT, book_code=BOOK, name=f"{place.name}股份经济合作社", community_id=place.community_id,
        township_id=place.township_id, credit_code=code_17 + credit_code_check_character(code_17),
        charter=make_charter(Decimal(10), True), registered_on=date(2021, 1, 1), adopt_existing_book=True))
    people = _people(rng, place)
    confirmation = _resolution(date(2021, 1, 15), f"{place.short_name}社区成员大会决议〔2021〕1号", MEMBERS)
    for start in range(0, MEMBERS, BATCH):
        candidates = [collective.MemberCandidate(p["member_id"], p["name"], p["household_id"], p["identity_number"])
                      for p in people[start:start + BATCH]]
        _run(runtime, lambda uow, c=candidates: collective.confirm_members(
            uow, ACCOUNTANT, runtime.identity_key, BOOK, confirmation, c))
    holdings = {p["member_id"]: _units(p) for p in people}
    _run(runtime, lambda uow: collective.quantify(
        uow, ACCOUNTANT, BOOK, _resolution(date(2021, 3, 1), f"{place.short_name}社区成员大会决议〔2021〕2号（股份量化方案）", MEMBERS),
        date(2021, 3, 1), holdings, Decimal(300)))
    cattle = _cattle_project(runtime, place, rng, people) if place.cattle_households else {}
    for year in YEARS:
        _member_changes(runtime, place, year, people)
        if year >= 2022 and cattle:
            _cattle_cycle(runtime, place, year, cattle)
        _year_end(runtime, place, year, rng, people)
        progress(f"anju demo: collective: {year} closed and distributed")
    for month in reopened:
        _run(runtime, lambda uow, m=month: bookkeeping.close_month(uow, ACCOUNTANT, BOOK, m))
    if reopened:
        progress(f"anju demo: collective: months closed again through {reopened[-1]}")


def _cattle_project(runtime: Runtime, place: DemoCommunity, rng: random.Random,
                    people: list[dict[str, Any]]) -> dict[str, int]:
    """托管养牛: 60 households take 1–3 cows; 2,000.00 per cow per cycle (seeds)."""
    households = sorted({p["household_id"] for p in people})
    cows = {household: rng.randint(1, 3) for household in rng.sample(households, place.cattle_households)}
    BOOK, ACCOUNTANT = place.book_code, place.accountant(ACCOUNTANT_REASON)
    _run(runtime, lambda uow: collective.register_project(
        uow, ACCOUNTANT, BOOK, project_code="cattle-2022", name="肉牛托管养殖资产收益项目", method="fixed-per-unit",
        amount_per_unit=Decimal("2000.00"), units_by_household=cows, started_on=date(2022, 3, 1)))
    return cows


def _cattle_cycle(runtime: Runtime, place: DemoCommunity, year: int, cows: dict[str, int]) -> None:
    BOOK, ACCOUNTANT = place.book_code, place.accountant(ACCOUNTANT_REASON)
    total_cows = sum(cows.values())
    income = Decimal(2_600) * total_cows
    draft = VoucherDraft(date(year, 11, 15), f"{year} 肉牛托管项目收益", (debit(BANK, income), credit(INVESTMENT_INCOME, income)), 1)
    _run(runtime, lambda uow: bookkeeping.record_voucher(uow, ACCOUNTANT, BOOK, draft))
    _run(runtime, lambda uow: collective.pay_project_cycle(
        uow, ACCOUNTANT, BOOK, project_code="cattle-2022", cycle=year - 2021, paid_on=date(year, 11, 20)))
    # The households are paid from the bank the same week (Dr 211 household / Cr 102).
    lines = [debit(PAYABLE, Decimal(2000) * n, f"household:{h}") for h, n in sorted(cows.items())]
    paid = VoucherDraft(date(year, 11, 25), f"{year} 支付肉牛托管项目收益", (*lines, credit(BANK, Decimal(2000) * total_cows)))
    _run(runtime, lambda uow: bookkeeping.record_voucher(uow, ACCOUNTANT, BOOK, paid))


def _member_changes(runtime: Runtime, place: DemoCommunity, year: int, people: list[dict[str, Any]]) -> None:
    """A few deaths with inheritance by a household member, a transfer and a voluntary exit."""
    BOOK, ACCOUNTANT = place.book_code, place.accountant(ACCOUNTANT_REASON)
    by_household: dict[str, list[str]] = {}
    for person in people:
        by_household.setdefault(person["household_id"], []).append(person["member_id"])
    deaths = [p for p in people if p["born"].year < 1945 and len(by_household[p["household_id"]]) > 1]
    for index, person in enumerate(deaths[(year - 2021) * 3:(year - 2021) * 3 + 3]):
        died = date(year, 3 + index, 10)
        heir = next((m for m in by_household[person["household_id"]] if m != person["member_id"]
                     and m not in ENDED), None)
        if heir is None:
            continue
        ENDED.add(person["member_id"])
        _run(runtime, lambda uow, p=person, d=died: collective.end_membership(
            uow, ACCOUNTANT, BOOK, p["member_id"], d, MembershipEndReason.DEATH))
        _run(runtime, lambda uow, p=person, h=heir, d=died, i=index: collective.inherit(
            uow, ACCOUNTANT, BOOK, deceased_id=p["member_id"], heir_id=h, units=None,
            effective_on=d + timedelta(days=30), reference=f"继承公证书〔{year}〕{i + 1}号"))
    if year == 2023:
        adults = [p["member_id"] for p in people if 1975 <= p["born"].year <= 1995 and p["member_id"] not in ENDED]
        civil_servant, buyer, leaver = adults[:3]
        _run(runtime, lambda uow: collective.end_membership(
            uow, ACCOUNTANT, BOOK, civil_servant, date(2023, 8, 1), MembershipEndReason.BECAME_CIVIL_SERVANT))
        _run(runtime, lambda uow: collective.transfer(
            uow, ACCOUNTANT, BOOK, from_id=civil_servant, to_id=buyer, units=Decimal("0.5"),
            effective_on=date(2023, 9, 1), reference="份额转让协议〔2023〕1号"))
        _run(runtime, lambda uow: collective.end_membership(
            uow, ACCOUNTANT, BOOK, leaver, date(2023, 10, 1), MembershipEndReason.VOLUNTARY_EXIT))
        ENDED.update((civil_servant, leaver))


ENDED: set[str] = set()


def _year_end(runtime: Runtime, place: DemoCommunity, year: int, rng: random.Random,
              people: list[dict[str, Any]]) -> None:
    BOOK, ACCOUNTANT = place.book_code, place.accountant(ACCOUNTANT_REASON)
    _run(runtime, lambda uow: collective.close_year(uow, ACCOUNTANT, BOOK, year))
    if place.loss_from_year is not None and year >= place.loss_from_year:
        return  # a year in losses: closed, nothing distributed (the loss stays in 未分配收益)
    resolution = _resolution(date(year, 12, 26), f"{place.short_name}社区成员大会决议〔{year}〕9号（收益分配方案）",
                             place.members)
    declared = (Decimal(DECLARED[year]) * place.scale_percent / 100).quantize(Decimal("0.01"))
    if year == 2023 and place.showcase:
        # Adopted with the wrong amount, reversed by red vouchers, adopted again.
        _run(runtime, lambda uow: collective.adopt_distribution(
            uow, ACCOUNTANT, BOOK, year=year, resolution=resolution, declared_amount=Decimal("301000.00")))
        _run(runtime, lambda uow: collective.reverse_distribution(uow, Audit(
            place.accountant_actor, "accountant", "分配金额录入错误，冲销后按决议重新分配"), BOOK, year=year,
            red_date=date(2023, 12, 31)))
    result = _run(runtime, lambda uow: collective.adopt_distribution(
        uow, ACCOUNTANT, BOOK, year=year, resolution=resolution, declared_amount=declared))
    if year == YEARS[-1]:
        return  # the last year's dividends are payable in January, after the demo's last month
    owed = [(line.member_id, line.amount) for line in result.distribution.lines if line.amount > 0]
    payments = []
    for member_id, amount in owed:
        draw = rng.random()
        if draw < 0.03:
            continue  # not collected yet: stays visible as outstanding
        if draw < 0.05:
            amount = (amount / 2).quantize(Decimal("0.01"))
        payments.append(collective.DividendPayment(member_id, amount))
    for start in range(0, len(payments), BATCH):
        batch = payments[start:start + BATCH]
        _run(runtime, lambda uow, b=batch: collective.pay_dividends(
            uow, ACCOUNTANT, BOOK, year=year, paid_on=date(year + 1, 1, 20), payments=b))


__all__ = ["load"]
