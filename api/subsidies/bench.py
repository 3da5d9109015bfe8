"""``anju bench`` rows for property-fee subsidies: a monthly billing run, a 10-year schedule, a forecast.

Each measure opens its own collective books (fresh codes), so it never touches other data.
The billing run is measured beside a same-run baseline: the pure figure computation
(``plan_household_bill`` for every household, nothing saved), so the row shows what the
event store and the vouchers cost on top of the rules.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable
from datetime import date

from api.runtime import Runtime
from domain.subsidies import application as subsidies
from domain.subsidies import billing_run
from domain.subsidies.billing import plan_household_bill
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.calendar import months_between
from ledger.writer import UnitOfWork
from projections.subsidies import household, household_schedule, subsidy_forecast

AUDIT = Audit("bench", "accountant", "bench subsidies")
#: Households per command. Commands run one after the other: one that touches many
#: households must not share a writer batch (the writer splits batches above 500 events).
CHUNK = 490
TODAY = date(2026, 12, 1)


def run(runtime: Runtime, quick: bool, progress: Callable[[str], None]) -> list[dict]:
    households = 1_000 if quick else 10_000
    communities, per_community = (5, 50) if quick else (50, 100)
    return [*_billing_run(runtime, households, progress), _schedule(runtime, progress),
            _forecast(runtime, communities, per_community, progress)]


def _row(name: str, value: float, unit: str, baseline: float | None = None, baseline_name: str = "",
         note: str = "") -> dict:
    return {"name": name, "value": round(value, 2), "unit": unit, "baseline": baseline_name,
            "baseline_value": round(baseline, 2) if baseline else None,
            "ratio": f"{value / baseline:.2f}×" if baseline else "", "note": note}


def _book(runtime: Runtime, community: str = "bench", township: str = "bench") -> str:
    code = f"bench-sub-{uuid.uuid4().hex[:8]}"
    runtime.execute(lambda uow: bookkeeping.open_book(
        uow, AUDIT, book_code=code, name="bench 物业费", entity_kind="collective", community_id=community,
        township_id=township, chart_name="collective_2023", starts_on=date(2019, 1, 1)), wait_for_read_models=False)
    runtime.execute(lambda uow: subsidies.register_building(uow, AUDIT, code, building_code="B", name="bench",
                                                            storeys=7, has_lift=True), wait_for_read_models=False)
    return code


def _households(runtime: Runtime, book: str, count: int, billing_from: str) -> list[str]:
    ids = [f"H{n:06d}" for n in range(count)]
    items = [subsidies.HouseholdInput(h, "B", f"U{n}", f"{60 + n % 60}.{n % 100:02d}",
                                      date(2016, 1, 1 + n % 28).replace(year=2016 + n % 4, month=1 + n % 12), 3, 1,
                                      None, billing_from) for n, h in enumerate(ids)]
    for start in range(0, count, CHUNK):
        runtime.execute(lambda uow, chunk=items[start:start + CHUNK]: subsidies.register_households(
            uow, AUDIT, runtime.identity_key, book, chunk), wait_for_read_models=False)
    return ids


def _bill_month(runtime: Runtime, book: str, ids: list[str], month: str) -> None:
    runtime.execute(lambda uow: billing_run.start_run(uow, AUDIT, book, month), wait_for_read_models=False)
    for start in range(0, len(ids), CHUNK):
        runtime.execute(lambda uow, chunk=ids[start:start + CHUNK]: billing_run.bill_run_households(
            uow, AUDIT, book, month, chunk), wait_for_read_models=False)
    runtime.execute(lambda uow: billing_run.finish_run(uow, AUDIT, book, month), wait_for_read_models=False)


def _billing_run(runtime: Runtime, count: int, progress: Callable[[str], None]) -> list[dict]:
    book = _book(runtime)
    progress(f"anju bench: subsidies: registering {count:,} households…")
    ids = _households(runtime, book, count, "2019-06")
    _bill_month(runtime, book, ids, "2019-06")  # warm: every household loaded once, as after a month's work

    def plan_all(uow: UnitOfWork) -> float:
        standards, policies = subsidies.known_standards(uow, book), subsidies.known_policies(uow, book)
        households = [subsidies.get_household(uow, book, household_id) for household_id in ids]
        started = time.perf_counter()
        for loaded in households:
            plan_household_bill(loaded, "2019-07", standards, policies)
        return time.perf_counter() - started

    pure_seconds = runtime.execute(plan_all, wait_for_read_models=False).result
    progress(f"anju bench: subsidies: billing run for {count:,} households…")
    started = time.perf_counter()
    _bill_month(runtime, book, ids, "2019-07")
    seconds = time.perf_counter() - started
    return [
        _row(f"subsidies: monthly billing run, {count:,} households", count / seconds, "households/s",
             count / pure_seconds, "pure figures alone, same run",
             f"{seconds:.2f} s: load each household + figures + its Billed event + run lines + 1 voucher per "
             f"{CHUNK} households, {CHUNK} households per command"),
        _row(f"subsidies: pure monthly figures, {count:,} households", count / pure_seconds, "households/s",
             note="plan_household_bill on households already loaded; nothing saved"),
    ]


def _schedule(runtime: Runtime, progress: Callable[[str], None]) -> dict:
    """One household's schedule over 10 years of billed months (2016-03 to 2026-02), read model only."""
    book = _book(runtime)
    runtime.execute(lambda uow: subsidies.register_household(uow, AUDIT, runtime.identity_key, book,
                                                             subsidies.HouseholdInput(
                                                                 "H1", "B", "U1", "80.55", date(2016, 2, 29), 4, 2,
                                                                 None, "2019-01")), wait_for_read_models=False)
    progress("anju bench: subsidies: billing one household for 8 years…")
    for month in months_between("2019-01", "2026-02"):
        runtime.execute(lambda uow, m=month: billing_run.run_billing(uow, AUDIT, book, m, today=TODAY),
                        wait_for_read_models=False)
    runtime.wait_for(runtime.app.recorder.max_notification_id())
    timings = []
    for _ in range(60):
        started = time.perf_counter()
        with runtime.db.transaction(write=False) as tx:
            lines = household_schedule(tx, book, household(tx, book, "H1"), through="2026-02")
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return _row("subsidies: one household's schedule, 10 years, p95", timings[int(len(timings) * 0.95) - 1], "ms",
                note=f"{len(lines)} months (86 billed, the rest computed); p50 {statistics.median(timings):.1f} ms")


def _forecast(runtime: Runtime, communities: int, per_community: int, progress: Callable[[str], None]) -> dict:
    """The township forecast (24 months of subsidy) over many communities' registers."""
    township = f"bench-t-{uuid.uuid4().hex[:6]}"
    progress(f"anju bench: subsidies: {communities} communities × {per_community} households for the forecast…")
    books = []
    for n in range(communities):
        book = _book(runtime, community=f"bench-c{n}", township=township)
        _households(runtime, book, per_community, "2024-01")
        books.append(book)
    runtime.wait_for(runtime.app.recorder.max_notification_id())
    started = time.perf_counter()
    with runtime.db.transaction(write=False) as tx:
        total = sum(sum(subsidy_forecast(tx, book, "2024-01", 24).values()) for book in books)
    seconds = time.perf_counter() - started
    return _row(f"subsidies: township forecast, 24 months, {communities} communities × {per_community} households",
                seconds * 1000, "ms", note=f"total subsidy {total}")
