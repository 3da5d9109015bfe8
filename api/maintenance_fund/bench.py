"""``anju bench`` rows for maintenance funds: interest allocation, works apportionment, a vote tally.

Each measure opens its own fund (a fresh code in its own community), so it never touches other
data. A command's time (rules, vouchers, one save) is shown beside a same-run baseline: the
pure computation of the same rule on the same aggregate state, nothing saved — so the ratio is
what the event store and the vouchers cost on top of the rule.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from api.runtime import Runtime
from domain.maintenance_fund import application as mf
from domain.maintenance_fund.contribution import Source, Target
from domain.maintenance_fund.interest import InterestBasis
from domain.maintenance_fund.unit import Owner
from domain.maintenance_fund.vote import Ballot, Matter, tally, voters_of
from domain.maintenance_fund.works import Emergency, WorksScope, apportion_cost
from ledger.audit import Audit

AUDIT = Audit("bench", "accountant", "bench maintenance fund")
CHUNK = 490  # units per registration command (the writer bounds a save near 500 events)
D = Decimal


def _row(name: str, value: float, unit: str, baseline: float | None = None, baseline_name: str = "",
         note: str = "") -> dict:
    return {"name": name, "value": round(value, 4), "unit": unit, "baseline": baseline_name,
            "baseline_value": round(baseline, 4) if baseline else None,
            "ratio": f"{value / baseline:.2f}×" if baseline else "", "note": note}


def _run(runtime: Runtime, command: Callable[[Any], Any]) -> Any:
    return runtime.execute(command, wait_for_read_models=False).result


def _timed(runtime: Runtime, command: Callable[[Any], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    outcome = runtime.execute(command, wait_for_read_models=False)
    return time.perf_counter() - started, outcome


def _fund(runtime: Runtime, units: int) -> str:
    code = f"bench-mf-{uuid.uuid4().hex[:8]}"
    _run(runtime, lambda uow: mf.open_fund(
        uow, AUDIT, fund_code=code, name="bench 维修资金", community_id=code, township_id="bench",
        area_kind="management_area", building="", opened_on=date(2024, 1, 1), deposit_standard=D("50.00")))
    items = [mf.UnitInput(unit_id=f"U{n:06d}", kind="flat", floor_area_m2=D(40 + n % 83) + D(n % 100) / 100,
                          building=f"B{n % 20:02d}", stairwell=str(n % 4 + 1),
                          owner=Owner.named(f"O{n // 2:06d}", "owner")) for n in range(units)]
    for start in range(0, units, CHUNK):
        _run(runtime, lambda uow, chunk=items[start:start + CHUNK]: mf.register_units(
            uow, AUDIT, code, registered_on=date(2024, 1, 1), units=chunk))
    _run(runtime, lambda uow: mf.record_first_deposits(uow, AUDIT, code, deposited_on=date(2024, 2, 1)))
    _run(runtime, lambda uow: mf.emergency_use(
        uow, AUDIT, code, works_code="E1", title="bench", common_parts="管道",
        emergency=Emergency.declared("burst_water_main", "bench"), scope=WorksScope("building", "B07"),
        contractor="k", cost=D("123456.78"), used_on=date(2024, 6, 1)))
    return code


def _interest_rows(runtime: Runtime, code: str, units: int) -> list[dict]:
    rows = []
    for year, basis in ((2024, InterestBasis.PERIOD_END), (2025, InterestBasis.DAILY_PRODUCT)):
        total = D("98765.43")

        def pure(uow: Any, y: int = year, b: InterestBasis = basis) -> float:
            started = time.perf_counter()
            mf.get_fund(uow, code).plan_interest(date(y, 1, 1), date(y, 12, 31), total, b)
            return time.perf_counter() - started

        baseline = _run(runtime, pure)
        seconds, outcome = _timed(runtime, lambda uow, y=year, b=basis: mf.allocate_interest(
            uow, AUDIT, code, period_from=date(y, 1, 1), period_to=date(y, 12, 31), total=total, basis=b))
        allocation = outcome.result
        ok = sum(l.amount for l in allocation.lines) == total
        started = time.perf_counter()
        runtime.wait_for(outcome.position)
        projected = time.perf_counter() - started
        rows.append(_row(f"maintenance fund: interest allocation ({basis.value}), {units:,} units", seconds, "s",
                         baseline, "pure allocation, same state",
                         f"Σ lines = total: {'ok' if ok else 'FAILED'}; {len(allocation.voucher_numbers)} vouchers;"
                         f" read models caught up in {projected:.2f} s"))
        if year == 2024:  # 2025's movements must follow 2024's allocation
            _run(runtime, lambda uow: mf.contribute(uow, AUDIT, code, received_on=date(2025, 3, 1),
                                                    source=Source.FISCAL, target=Target("fund"),
                                                    amount=D("100000.01")))
    return rows


def _apportion_row(runtime: Runtime, code: str, units: int) -> dict:
    def pure(uow: Any) -> float:
        fund = mf.get_fund(uow, code)
        states = [s for s in fund.units.values() if s.is_open]
        started = time.perf_counter()
        apportion_cost(D("1234567.89"), [(s.record.unit_id, s.record.floor_area_m2, s.balance) for s in states])
        return time.perf_counter() - started

    baseline = _run(runtime, pure)
    seconds, outcome = _timed(runtime, lambda uow: mf.emergency_use(
        uow, AUDIT, code, works_code="E2", title="bench", common_parts="外墙",
        emergency=Emergency.declared("falling_facade", "bench"), scope=WorksScope("area"), contractor="k",
        cost=D("1234567.89"), used_on=date(2026, 3, 1)))
    lines = outcome.result.lines
    ok = sum(l.share for l in lines) == D("1234567.89") and all(l.from_balance >= 0 for l in lines)
    return _row(f"maintenance fund: works apportionment, {units:,} units", seconds, "s", baseline,
                "pure apportionment, same state", f"Σ shares = cost, no negative sub-ledger: {'ok' if ok else 'FAILED'}")


def _tally_row(owners: int) -> dict:
    voters = voters_of((Owner.named(f"O{n:06d}", "owner"), D(40 + n % 83)) for n in range(owners))
    ballots = [Ballot.cast(k, ("for", "for", "against", "abstain")[i % 4]) for i, k in enumerate(voters) if i % 7]
    started = time.perf_counter()
    result = tally(Matter.USE, voters, ballots)
    seconds = time.perf_counter() - started
    return _row(f"maintenance fund: vote tally, {owners:,} owners", seconds, "s",
                note=f"participation met {result.participation_met}, passed {result.passed}")


def run(runtime: Runtime, quick: bool, progress: Callable[[str], None]) -> list[dict]:
    units = 2_000 if quick else 10_000
    progress(f"anju bench: maintenance fund with {units:,} units…")
    code = _fund(runtime, units)
    rows = _interest_rows(runtime, code, units)
    rows.append(_apportion_row(runtime, code, units))
    rows.append(_tally_row(10_000))
    return rows
