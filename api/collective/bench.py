"""``anju bench`` rows for collective organisations: distribution allocation and the balance sheet.

* Allocation of a year-end distribution to 10k and 100k members (DOMAIN.md §1
  largest-remainder rule), checked: the member lines and the collective share
  sum exactly to the declared amount.
* The balance sheet (资产负债表, both columns) and the income statement as of a
  date inside a ten-year history of monthly vouchers, read from the read models.
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from api.runtime import Runtime
from domain.collective.distribution_figures import compute_year_end_distribution
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.journal import VoucherDraft, credit, debit
from projections import statements
from projections.ledger_reports import book_info

AUDIT = Audit("bench", "accountant", "bench collective")
YEARS = 10
VOUCHERS_PER_MONTH = 12
READ_REPEATS = 20


def _allocation_row(members: int) -> dict:
    rng = random.Random(members)
    units = {f"M{i:06d}": Decimal(rng.choice((1, 1, 2, 3))) / rng.choice((1, 2, 4)) for i in range(members)}
    started = time.perf_counter()
    result = compute_year_end_distribution(net_income=Decimal("98765432.17"), opening_undistributed=Decimal("0.00"),
                                           reserve_rate_percent=Decimal("12.5"), units_by_member=units,
                                           collective_units=Decimal(members // 10))
    seconds = time.perf_counter() - started
    total = sum(line.amount_yuan for line in result.member_lines) + result.collective_share_amount
    ok = total == result.declared and len(result.member_lines) == members
    label = f"{members // 1000}k"
    return {"name": f"distribution allocation, {label} members", "value": round(seconds, 4), "unit": "s",
            "check": f"Σ lines = total ({total} = {result.declared}): {'ok' if ok else 'FAILED'}"}


def _ten_year_history(runtime: Runtime, book_code: str, progress: Callable[[str], None]) -> int:
    rng = random.Random(2015)
    runtime.execute(lambda uow: bookkeeping.open_book(
        uow, AUDIT, book_code=book_code, name="bench collective", entity_kind="collective", community_id="bench",
        township_id="bench", chart_name="collective_2023", starts_on=date(2015, 1, 1)))
    kinds = (("102", "501.01"), ("102", "503"), ("513", "102"), ("511", "101"), ("101", "102"), ("151", "211"),
             ("112", "501.02"), ("102", "112"), ("514", "102"), ("102", "502"), ("211", "102"), ("152", "151"))
    futures = []
    for year in range(2015, 2015 + YEARS):
        for month in range(1, 13):
            for index in range(VOUCHERS_PER_MONTH):
                dr, cr = kinds[index % len(kinds)]
                amount = Decimal(rng.randint(100, 5_000_000)) / 100
                draft = VoucherDraft(date(year, month, 1 + index * 2), "bench", (debit(dr, amount), credit(cr, amount)))
                futures.append(runtime.writer.submit(
                    lambda uow, d=draft: bookkeeping.record_voucher(uow, AUDIT, book_code, d)))
        progress(f"anju bench: collective history through {year}…")
    positions = [f.result(timeout=120).position for f in futures]
    runtime.wait_for(max(p for p in positions if p is not None))
    return len(futures)


def _balance_sheet_row(runtime: Runtime, quick: bool, progress: Callable[[str], None]) -> list[dict]:
    book_code = f"bench-coll-{uuid.uuid4().hex[:8]}"
    vouchers = _ten_year_history(runtime, book_code, progress)
    as_of = date(2021, 6, 30)
    repeats = 5 if quick else READ_REPEATS
    sheet_times, statement_times = [], []
    balanced = reconciles = True
    for _ in range(repeats):
        with runtime.db.transaction(write=False) as tx:
            info = book_info(tx, book_code)
            assert info is not None
            started = time.perf_counter()
            sheet = statements.balance_sheet(tx, info, as_of)
            sheet_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            statement = statements.income_statement(tx, info, as_of.year, as_of)
            statement_times.append(time.perf_counter() - started)
        balanced = balanced and sheet.balanced
        reconciles = reconciles and statement.reconciles
    assets = sheet.closing_totals["assets"]
    return [
        {"name": f"balance sheet as of {as_of}, {YEARS}-year history ({vouchers} vouchers)",
         "value": round(statistics.median(sheet_times), 4), "unit": "s",
         "check": f"assets = liabilities + equity (both columns; {assets} fen): {'ok' if balanced else 'FAILED'}"},
        {"name": f"income and distribution statement {as_of.year} through {as_of}",
         "value": round(statistics.median(statement_times), 4), "unit": "s",
         "check": f"年末未分配收益 = balance sheet 未分配收益: {'ok' if reconciles else 'FAILED'}"},
    ]


def run(runtime: Runtime, quick: bool, progress: Callable[[str], None]) -> list[dict]:
    rows = []
    for members in (10_000, 100_000):
        progress(f"anju bench: allocating a distribution to {members:,} members…")
        rows.append(_allocation_row(members))
    rows.extend(_balance_sheet_row(runtime, quick, progress))
    return rows
