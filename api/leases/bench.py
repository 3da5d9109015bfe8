"""``anju bench`` rows for leasing: a monthly billing run over many leases; arrears aging over years of invoices.

Each run opens its own collective book (a fresh code), so it never touches other data.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date
from decimal import Decimal

from api.bench import read_models_caught_up
from api.runtime import Runtime
from domain.leases import application as leasing
from ledger import bookkeeping
from ledger.audit import Audit
from projections.lease_queries import arrears_aging, invoice_count

AUDIT = Audit("bench", "accountant", "bench leases")
CHUNK = 250  # leases per command: one writer batch commits many chunks together


def run(runtime: Runtime, quick: bool, progress: Callable[[str], None]) -> list[dict]:
    leases_total = 1_000 if quick else 10_000
    aging_leases, aging_years = (50, 10) if quick else (400, 10)
    return [_billing_run(runtime, leases_total, progress), _aging(runtime, aging_leases, aging_years, progress)]


def _book(runtime: Runtime, starts_on: date) -> str:
    code = f"bench-leases-{uuid.uuid4().hex[:8]}"
    runtime.execute(lambda uow: bookkeeping.open_book(
        uow, AUDIT, book_code=code, name="bench 门面租赁", entity_kind="collective", community_id="bench",
        township_id="bench", chart_name="collective_2023", starts_on=starts_on), wait_for_read_models=False)
    return code


def _leases(runtime: Runtime, book: str, count: int, start_on: date, end_on: date) -> list[str]:
    def command(uow, first: int, last: int) -> None:
        for n in range(first, last):
            unit, tenant, lease = f"U{n:05d}", f"T{n:05d}", f"L{n:05d}"
            leasing.register_shop_front(uow, AUDIT, book, unit_number=unit, location="bench", floor_area_m2="20.00",
                                        owner="county-platform", operator=book, manager="property",
                                        rights_effective_on=start_on)
            leasing.register_tenant(uow, AUDIT, book, tenant_code=tenant, name=f"租户{n}", kind="business",
                                    contact="1")
            leasing.sign_lease(uow, AUDIT, book, lease_code=lease, tenant_code=tenant, unit_numbers=[unit],
                               start_on=start_on, end_on=end_on, billing_frequency="monthly",
                               monthly_rent=f"{1000 + n % 500}.00", escalation_percent="3",
                               contract_reference=f"B-{n}")

    _wait([runtime.writer.submit(lambda uow, a=first: command(uow, a, min(a + CHUNK, count)))
           for first in range(0, count, CHUNK)])
    return [f"L{n:05d}" for n in range(count)]


def _bill(runtime: Runtime, book: str, codes: list[str], month: str) -> None:
    _wait([runtime.writer.submit(lambda uow, chunk=codes[i:i + CHUNK]: leasing.run_billing(uow, AUDIT, book, chunk,
                                                                                             month))
           for i in range(0, len(codes), CHUNK)])


def _wait(futures: list[Future]) -> None:
    for future in futures:
        future.result(timeout=600)


def _billing_run(runtime: Runtime, count: int, progress: Callable[[str], None]) -> dict:
    book = _book(runtime, date(2025, 1, 1))
    progress(f"anju bench: leasing {count} shop-fronts…")
    codes = _leases(runtime, book, count, date(2025, 1, 1), date(2034, 12, 31))
    started = time.perf_counter()
    _bill(runtime, book, codes, "2025-01")
    seconds = time.perf_counter() - started
    return {"name": f"monthly billing run, {count:,} leases", "value": round(count / seconds, 1),
            "unit": "leases/s", "seconds": round(seconds, 3), "leases": count,
            "note": "invoice + accrual voucher + lease and tenant events per lease, group-committed"}


def _aging(runtime: Runtime, count: int, years: int, progress: Callable[[str], None]) -> dict:
    book = _book(runtime, date(2015, 1, 1))
    codes = _leases(runtime, book, count, date(2015, 1, 1), date(2015 + years, 1, 1) - date.resolution)
    progress(f"anju bench: billing {count} leases for {years} years…")
    _bill(runtime, book, codes, f"{2015 + years - 1}-12")
    _pay_most(runtime, book, count)
    # The aging reads the read models: every invoice billed must be in them (runtime.wait_for gives up
    # after 10 s; on PostgreSQL a reading taken then saw 31,158 of 48,000 invoices).
    read_models_caught_up(runtime, progress)
    as_of = date(2015 + years - 1, 12, 20)
    started = time.perf_counter()
    with runtime.db.transaction(write=False) as tx:
        aging = arrears_aging(tx, book, as_of)
        invoices = invoice_count(tx, book)
    seconds = time.perf_counter() - started
    return {"name": f"arrears aging as of a date, {int(invoices):,} invoices over {years} years", "value":
            round(seconds * 1000, 1), "unit": "ms", "invoices": int(invoices), "tenants_in_arrears": len(aging.tenants),
            "total_open": str(aging.total)}


def _pay_most(runtime: Runtime, book: str, count: int) -> None:
    """Nine tenants in ten pay everything billed; the tenth leaves its arrears open to be aged."""
    def command(uow, n: int) -> None:
        tenant = leasing.get_tenant(uow, book, f"T{n:05d}")
        owed = tenant.amount_open(date(2100, 1, 1))
        if owed > Decimal("0"):
            leasing.record_receipt(uow, AUDIT, book, f"T{n:05d}", received_on=date(2024, 12, 20), amount=owed)

    _wait([runtime.writer.submit(lambda uow, n=n: command(uow, n)) for n in range(count) if n % 10])
