"""``anju demo``: the demo community's two housing special maintenance funds (住宅专项维修资金).

* ``c001-mf-area``: the resettlement area's fund. Its units are the demo households' flats
  (the subsidies register's buildings, flat numbers and floor areas when it holds them),
  moved into from 2016, plus ten flats the county platform company still holds unassigned.
  First deposits at move-in (50.00 yuan/m², 60.00 from 2019); fiscal funds, a land-quota
  share, a donation to one building, support-project income, and (January 2026) the
  collective's 2025 shop and parking income moved in from its own book; interest every
  year on period-end balances; a top-floor roof leak of building B01 repaired as an
  emergency (2021); building B06's roof renewed after a vote (2022), leaving units below
  30 % of their first deposit and shortfall receivables on the unassigned flats; a lift
  repair of B05 rejected at exactly half the participating area (2023); a sale of an
  unassigned flat (2024) and a demolition (2025).
* ``c001-mf-shops``: the street building whose ground-floor shop-fronts are the collective's
  (areas from the lease register), with 24 flats above; interest on the daily product; a
  raising plan of residents' instalments voted at ≥ 3/4 (2023).

Deterministic (seeded); commands are submitted in date order (sub-ledger movements are
recorded in date order) and committed in writer batches.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from api.demo import C001, DemoCommunity
from api.runtime import Runtime
from domain.maintenance_fund import application as mf
from domain.maintenance_fund.contribution import LandQuotaTrade, Source, Target
from domain.maintenance_fund.errors import InvalidUnit
from domain.maintenance_fund.interest import InterestBasis
from domain.maintenance_fund.unit import DEVELOPER_VOTER, Owner
from domain.maintenance_fund.vote import Ballot, Matter
from domain.maintenance_fund.works import Emergency, WorksScope
from ledger.audit import Audit
from ledger.money import round_half_up_to_fen

AREA_FUND, SHOP_FUND = "c001-mf-area", "c001-mf-shops"  # c001's; the others' are <community>-mf-area
HOUSEHOLDS = C001.subsidy_households
BUILDINGS = ("B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08")
INTEREST_RATE = Decimal("0.0135")  # a one-year deposit rate, roughly
ACCOUNTANT_REASON = "演示数据 住宅专项维修资金 demo maintenance funds"
ACCOUNTANT = C001.accountant(ACCOUNTANT_REASON)  # the showcase scenarios are c001's
D = Decimal


def _run(runtime: Runtime, command: Callable[[Any], Any]) -> Any:
    return runtime.execute(command, wait_for_read_models=False).result


def _in_order(runtime: Runtime, commands: list[Callable[[Any], Any]]) -> None:
    """Submitted together, run in submission order by the writer (group commit)."""
    for future in [runtime.writer.submit(c) for c in commands]:
        future.result(timeout=300)


def load(runtime: Runtime, progress: Callable[[str], None], place: DemoCommunity = C001) -> None:
    rng = random.Random(20160601 + place.seed)
    flats = _flats(runtime, rng, place)
    if not place.showcase:
        code = _small_area_fund(runtime, place, flats)
        progress(f"anju demo: maintenance fund {code}: {len(flats)} units, a roof repair below 30 %")
        return
    _area_fund(runtime, rng, flats)
    progress(f"anju demo: maintenance fund {AREA_FUND}: {len(flats) + 10} units, 2016–2026")
    _shop_fund(runtime, rng)
    progress(f"anju demo: maintenance fund {SHOP_FUND}: the collective's shop-fronts and 24 flats")


def _small_area_fund(runtime: Runtime, place: DemoCommunity, flats: list[dict[str, Any]]) -> str:
    """A small community's area fund: first deposits at move-in, county funds, yearly interest, and a
    top-floor roof repaired as an emergency the year after the last move-in, leaving its building's
    units below 30 % of their first deposit (165号令 Arts. 17, 24)."""
    code, accountant = f"{place.community_id}-mf-area", place.accountant(ACCOUNTANT_REASON)
    opened_on = date(min(f["moved_in"] for f in flats).year, 1, 1)
    _run(runtime, lambda uow: mf.open_fund(
        uow, accountant, fund_code=code, name=f"{place.name}住宅专项维修资金", community_id=place.community_id,
        township_id=place.township_id, area_kind="management_area", building="", opened_on=opened_on,
        deposit_standard=D("60.00"), interest_basis=InterestBasis.PERIOD_END))
    units = [mf.UnitInput(unit_id=f["unit_id"], kind="flat", floor_area_m2=f["area"], building=f["building"],
                          stairwell=f["stairwell"], room=f["room"], household_id=f["household_id"],
                          owner=Owner.named(f["household_id"], "owner", f"住户{f['household_id']}")) for f in flats]
    _run(runtime, lambda uow: mf.register_units(uow, accountant, code, registered_on=opened_on, units=units))
    by_day: dict[date, list[str]] = {}
    for flat in flats:
        by_day.setdefault(flat["moved_in"], []).append(flat["unit_id"])
    last_move_in = max(by_day)
    fiscal_on, repair_year = date(last_move_in.year, 12, 20), last_move_in.year + 1
    for year in range(opened_on.year, 2026):  # sub-ledger movements go in date order, year by year
        _in_order(runtime, [lambda uow, d=day, ids=ids: mf.record_first_deposits(
            uow, accountant, code, deposited_on=d, unit_ids=ids, reference="首次交存（入住）")
            for day, ids in sorted(by_day.items()) if day.year == year])
        if year == fiscal_on.year:
            _run(runtime, lambda uow: mf.contribute(
                uow, accountant, code, received_on=fiscal_on, source=Source.FISCAL, target=Target("fund"),
                amount=D(place.scale_percent * 200), reference="县财政易地扶贫搬迁后续扶持资金"))
        if year == repair_year:
            cost = _run(runtime, lambda uow: mf.get_fund(uow, code).balances_total) * D("0.9")
            b01 = [f for f in flats if f["building"] == "B01"]
            share = round_half_up_to_fen(cost * len(b01) / len(flats))
            _run(runtime, lambda uow, c=share, y=year: mf.emergency_use(
                uow, accountant, code, works_code=f"{y}-E01", title="1号楼顶层屋面渗漏抢修", common_parts="屋面防水层",
                emergency=Emergency.declared("roof_leak", f"{place.short_name}社区居委会"),
                scope=WorksScope("building", "B01"), contractor="qx-fangshui", cost=c, used_on=date(y, 6, 18)))
        _interest(runtime, code, year, accountant=accountant)
    return code


# --- the area's fund --------------------------------------------------------------------------------
def _flats(runtime: Runtime, rng: random.Random, place: DemoCommunity) -> list[dict[str, Any]]:
    """The demo households' flats: from the household register when it holds them, else generated alike."""
    def read(uow: Any) -> dict[str, Any]:
        try:
            from domain.subsidies.household import Household, household_stream_id
        except ImportError:  # pragma: no cover - the subsidies capability is optional here
            return {}
        found = {}
        for n in range(1, place.subsidy_households + 1):
            household = uow.get_optional(Household, household_stream_id(place.book_code, f"H{n:04d}"))
            if household is not None:
                found[household.household_id] = household
        return found

    registered = _run(runtime, read)
    flats = []
    for n in range(1, place.subsidy_households + 1):
        household_id = f"H{n:04d}"
        household = registered.get(household_id)
        if household is not None:
            building, flat = household.building_code, household.unit_number
            area, moved_in = D(household.floor_area_m2), household.moved_in_on
        else:
            building = BUILDINGS[n % len(BUILDINGS)]
            flat = f"{building[1:]}-{(n % 30) // 2 + 1}-{n % 2 + 1:02d}{n % 6 + 1}"
            area = D(rng.choice(("40.00", "60.00", "80.00", "100.00", "120.00", "75.50", "90.25")))
            moved_in = date(2016, 1, 1) + timedelta(days=rng.randint(0, 1276))
        stairwell = flat.split("-")[1] if flat.count("-") >= 2 else "1"
        # The register's flat numbers repeat across households, so the household names the unit.
        flats.append({"unit_id": f"{building}-{household_id}", "room": flat[:32], "building": building,
                      "stairwell": stairwell,
                      "area": area, "household_id": household_id, "moved_in": max(moved_in, date(2016, 1, 1))})
    return flats


def _area_fund(runtime: Runtime, rng: random.Random, flats: list[dict[str, Any]]) -> None:
    code = AREA_FUND
    _run(runtime, lambda uow: mf.open_fund(
        uow, ACCOUNTANT, fund_code=code, name="阳光安置区住宅专项维修资金", community_id=C001.community_id,
        township_id=C001.township_id, area_kind="management_area", building="", opened_on=date(2016, 1, 1),
        deposit_standard=D("50.00"), interest_basis=InterestBasis.PERIOD_END))
    units = [mf.UnitInput(unit_id=f["unit_id"], kind="flat", floor_area_m2=f["area"], building=f["building"],
                          stairwell=f["stairwell"], room=f["room"], household_id=f["household_id"],
                          owner=Owner.named(f["household_id"], "owner", f"住户{f['household_id']}")) for f in flats]
    units += [mf.UnitInput(unit_id=f"{b}-V{i:02d}", kind="flat", floor_area_m2=D("80.00"), building=b,
                           stairwell="9", owner=Owner.named("", "developer", "县城投公司（未分配）"))
              for i, b in enumerate(("B05", "B06", "B07", "B08") * 3, start=1) if i <= 10]
    for start in range(0, len(units), 250):
        _run(runtime, lambda uow, chunk=units[start:start + 250]: mf.register_units(
            uow, ACCOUNTANT, code, registered_on=date(2016, 1, 1), units=chunk))
    _run(runtime, lambda uow: mf.set_deposit_standard(uow, ACCOUNTANT, code, effective_on=date(2019, 1, 1),
                                                      standard=D("60.00")))
    by_day: dict[date, list[str]] = {}
    for flat in flats:
        by_day.setdefault(flat["moved_in"], []).append(flat["unit_id"])
    events: list[tuple[date, Callable[[Any], Any]]] = [
        (day, lambda uow, d=day, ids=ids: mf.record_first_deposits(uow, ACCOUNTANT, code, deposited_on=d,
                                                                   unit_ids=ids, reference="首次交存（入住）"))
        for day, ids in by_day.items()]
    everyone = Target("fund")
    events += [
        (date(2017, 6, 30), _give(code, date(2017, 6, 30), Source.FISCAL, everyone, D("200000.00"),
                                  "县财政易地扶贫搬迁后续扶持资金〔2017〕12号")),
        (date(2018, 9, 20), lambda uow: mf.contribute(
            uow, ACCOUNTANT, code, received_on=date(2018, 9, 20), source=Source.LAND_QUOTA, target=everyone,
            land_quota=LandQuotaTrade.traded("3600000.00", "5", "增减挂钩节余指标跨省域交易〔2018〕5号"),
            reference="节余指标交易收益留存5%")),
        (date(2019, 5, 12), _give(code, date(2019, 5, 12), Source.DONATION, Target("building", "B03"),
                                  D("50000.00"), "爱心企业捐赠3号楼")),
        (date(2020, 7, 31), _give(code, date(2020, 7, 31), Source.SUPPORT_PROJECT, everyone, D("30000.00"),
                                  "扶贫车间租金收益")),
    ]
    events.sort(key=lambda item: item[0])
    for year in range(2016, 2026):
        _in_order(runtime, [command for day, command in events if day.year == year])
        if year == 2021:
            _emergency_roof(runtime, code)
        if year == 2022:
            _voted_roof(runtime, code)
        if year == 2023:
            _rejected_lift(runtime, code)
        if year == 2024:
            _run(runtime, lambda uow: mf.transfer_unit(uow, ACCOUNTANT, code, "B06-V02",
                                                       transferred_on=date(2024, 8, 1),
                                                       new_owner=Owner.named("P0001", "owner", "张新"),
                                                       reference="商品房买卖合同及不动产登记〔2024〕88号"))
        if year == 2025:
            _run(runtime, lambda uow: mf.demolish_unit(uow, ACCOUNTANT, code, flats[-1]["unit_id"],
                                                       demolished_on=date(2025, 3, 15),
                                                       reference="道路拓宽征收，房屋灭失"))
        _interest(runtime, code, year)
    # January 2026: the collective moves part of its 2025 shop and parking income in (both books, one command).
    _run(runtime, lambda uow: mf.contribute(
        uow, ACCOUNTANT, code, received_on=date(2026, 1, 15), source=Source.COMMUNITY_PUBLIC_INCOME, target=everyone,
        amount=D("60000.00"), collective_book=C001.book_code, reference="2025年度门面及停车公共收益"))
    flagged = _run(runtime, lambda uow: sorted(u for u in mf.get_fund(uow, code).units
                                               if (r := mf.get_fund(uow, code).replenishment(u)) and r.flagged))
    for unit_id in flagged[:5]:  # a few owners restore their unit at once (分期续筹)
        to_restore = _run(runtime, lambda uow, u=unit_id: mf.get_fund(uow, code).replenishment(u).to_restore)
        _run(runtime, _give(code, date(2026, 2, 10), Source.RESIDENT_INSTALMENT, Target("unit", unit_id), to_restore,
                            "业主续交"))


def _give(code: str, day: date, source: Source, target: Target, amount: Decimal,
          reference: str) -> Callable[[Any], Any]:
    return lambda uow: mf.contribute(uow, ACCOUNTANT, code, received_on=day, source=source, target=target,
                                     amount=amount, reference=reference)


def _interest(runtime: Runtime, code: str, year: int, basis: InterestBasis | None = None,
              accountant: Audit = ACCOUNTANT) -> None:
    balance = _run(runtime, lambda uow: mf.get_fund(uow, code).balances_total)
    total = round_half_up_to_fen(balance * INTEREST_RATE)
    if total > 0:
        _run(runtime, lambda uow: mf.allocate_interest(uow, accountant, code, period_from=date(year, 1, 1),
                                                       period_to=date(year, 12, 31), total=total, basis=basis,
                                                       reference=f"{year}年度存款利息"))


def _emergency_roof(runtime: Runtime, code: str) -> None:
    """The first buildings leak at the top floor (CONTEXT.md): repaired at once, without a vote (Art. 24)."""
    _run(runtime, lambda uow: mf.emergency_use(
        uow, ACCOUNTANT, code, works_code="2021-E01", title="1号楼顶层屋面渗漏抢修", common_parts="屋面防水层",
        emergency=Emergency.declared("roof_leak", "阳光社区街道办事处"), scope=WorksScope("building", "B01"),
        contractor="qx-fangshui", cost=D("46000.00"), used_on=date(2021, 5, 18)))
    _run(runtime, lambda uow: mf.pay_contractor(uow, ACCOUNTANT, code, "2021-E01", paid_on=date(2021, 6, 30),
                                                amount=D("46000.00")))


def _voters(runtime: Runtime, code: str, works_code: str) -> dict[str, Any]:
    def read(uow: Any) -> dict[str, Any]:
        fund = mf.get_fund(uow, code)
        return fund.voters(mf.get_works(uow, code, works_code).affected)

    return _run(runtime, read)


def _voted_roof(runtime: Runtime, code: str) -> None:
    _run(runtime, lambda uow: mf.propose_works(
        uow, ACCOUNTANT, code, works_code="2022-W01", title="6号楼屋面翻新", common_parts="屋面、落水管",
        nature="renewal", matter=Matter.USE, scope=WorksScope("building", "B06"), contractor="qx-fangshui",
        estimated_cost=D("245000.00"), proposed_on=date(2022, 3, 1)))
    voters = sorted(_voters(runtime, code, "2022-W01"))
    answers = ["for"] * 8 + ["against", "abstain"]
    ballots = [Ballot.cast(key, answers[i % len(answers)]) for i, key in enumerate(voters) if i % 9 != 4]
    _run(runtime, lambda uow: mf.record_vote(uow, ACCOUNTANT, code, "2022-W01", held_on=date(2022, 3, 20),
                                             ballots=ballots))
    _run(runtime, lambda uow: mf.use_fund(uow, ACCOUNTANT, code, "2022-W01", used_on=date(2022, 5, 10),
                                          approved_cost=D("240000.00")))
    for day, amount in ((date(2022, 5, 20), D("144000.00")), (date(2022, 9, 30), D("96000.00"))):
        _run(runtime, lambda uow, d=day, a=amount: mf.pay_contractor(uow, ACCOUNTANT, code, "2022-W01", paid_on=d,
                                                                      amount=a))


def _rejected_lift(runtime: Runtime, code: str) -> None:
    """A lift repair of B05 that exactly half the participating area approves: it fails (> 1/2 needed)."""
    _run(runtime, lambda uow: mf.propose_works(
        uow, ACCOUNTANT, code, works_code="2023-W01", title="5号楼电梯主机更换", common_parts="电梯",
        nature="renewal", matter=Matter.USE, scope=WorksScope("building", "B05"), contractor="qx-dianti",
        estimated_cost=D("168000.00"), proposed_on=date(2023, 6, 1)))
    voters = _voters(runtime, code, "2023-W01")
    participants, in_favour = _exact_half(voters)
    ballots = [Ballot.cast(key, "for" if key in in_favour else "against") for key in sorted(participants)]
    result = _run(runtime, lambda uow: mf.record_vote(uow, ACCOUNTANT, code, "2023-W01", held_on=date(2023, 6, 18),
                                                      ballots=ballots))
    assert result.participation_met and 2 * result.for_area == result.participating_area and not result.passed


def _exact_half(voters: dict[str, Any]) -> tuple[set[str], set[str]]:
    """Participants (≥ 2/3 of area and heads) and a subset of them holding exactly half their area."""
    keys = sorted(voters, key=lambda k: (k == DEVELOPER_VOTER, k))
    for dropped in [None, *keys]:
        participants = [k for k in keys if k != dropped]
        areas = [int(voters[k].area_m2 * 100) for k in participants]
        if sum(areas) % 2:
            continue
        half, reachable = sum(areas) // 2, {0: ()}
        for index, area in enumerate(areas):  # subset sum over whole hundredths of a m²
            for total, chosen in list(reachable.items()):
                if total + area <= half and total + area not in reachable:
                    reachable[total + area] = (*chosen, index)
            if half in reachable:
                return set(participants), {participants[i] for i in reachable[half]}
    raise AssertionError("no exact half found")  # pragma: no cover - the demo's areas always have one


# --- the street building's fund ------------------------------------------------------------------------
def _shop_fund(runtime: Runtime, rng: random.Random) -> None:
    code = SHOP_FUND
    _run(runtime, lambda uow: mf.open_fund(
        uow, ACCOUNTANT, fund_code=code, name="临街综合楼住宅专项维修资金", community_id=C001.community_id,
        township_id=C001.township_id, area_kind="building", building="S", opened_on=date(2021, 1, 1),
        deposit_standard=D("50.00"), interest_basis=InterestBasis.DAILY_PRODUCT))
    collective = Owner.named(C001.book_code, "collective", "阳光安置社区股份经济合作社")
    for n in range(1, 9):  # the street shop-fronts S-01…S-08 of the lease register
        unit = mf.UnitInput(unit_id=f"S-{n:02d}", kind="shop_front", floor_area_m2=None, building="S",
                            stairwell="", owner=collective, shop_front=f"{C001.book_code}/S-{n:02d}")
        try:
            _run(runtime, lambda uow, u=unit: mf.register_units(uow, ACCOUNTANT, code, registered_on=date(2021, 1, 1),
                                                                units=[u]))
        except InvalidUnit:  # not in the lease register: the survey's area instead
            fallback = replace(unit, floor_area_m2=D(rng.randint(45, 120)), shop_front="")
            _run(runtime, lambda uow, u=fallback: mf.register_units(uow, ACCOUNTANT, code,
                                                                    registered_on=date(2021, 1, 1), units=[u]))
    flats = [mf.UnitInput(unit_id=f"S-{floor}{room:02d}", kind="flat", floor_area_m2=D(rng.choice(("60.00", "75.50",
                                                                                                  "90.25"))),
                          building="S", stairwell=str(room % 2 + 1), room=f"{floor}{room:02d}",
                          owner=Owner.named(f"S-O{floor}{room:02d}", "owner", f"业主{floor}{room:02d}"))
             for floor in (2, 3, 4) for room in range(1, 9)]
    _run(runtime, lambda uow: mf.register_units(uow, ACCOUNTANT, code, registered_on=date(2021, 1, 1), units=flats))
    _run(runtime, lambda uow: mf.record_first_deposits(uow, ACCOUNTANT, code, deposited_on=date(2021, 2, 1),
                                                       reference="首次交存"))
    _run(runtime, _give(code, date(2021, 9, 1), Source.FISCAL, Target("fund"), D("20000.00"), "县财政补助"))
    for year in range(2021, 2026):
        if year == 2023:
            voters = sorted(_run(runtime, lambda uow: mf.get_fund(uow, code).voters(
                s.record.unit_id for s in mf.get_fund(uow, code).units.values() if s.is_open)))
            ballots = [Ballot.cast(k, "against" if i % 6 == 5 else "for") for i, k in enumerate(voters)]
            _run(runtime, lambda uow: mf.contribute(
                uow, ACCOUNTANT, code, received_on=date(2023, 7, 1), source=Source.RESIDENT_INSTALMENT,
                target=Target("fund"), amount=D("12000.00"), ballots=ballots, reference="业主大会续筹方案（2023）"))
        _interest(runtime, code, year, InterestBasis.DAILY_PRODUCT)


__all__ = ["AREA_FUND", "SHOP_FUND", "load"]
