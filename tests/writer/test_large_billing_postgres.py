"""The command that hung (issue 13): one billing run of 250 leases over years of months, on PostgreSQL.

Before, its events (~90k: 250 leases × 120 months) went into one transaction through the library's pipelined insert,
which hung in psycopg ``Pipeline.sync`` for good (README, Write path). Now the run commits
lease by lease at its checkpoints, each append is one plain round trip, and it completes.
"""

from __future__ import annotations

from datetime import date

import pytest

from api.runtime import Runtime
from domain.leases import application as leasing
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.chain import stored_links, stored_rows, verify

AUDIT = Audit("acc", "accountant", "large billing run")
LEASES, YEARS = 250, 10  # the command of `anju bench` that hung: 250 leases × 120 months
LAST_DAY = date(2014 + YEARS, 12, 31)
THROUGH = f"{LAST_DAY.year}-12"


@pytest.fixture
def writer_only(store_url):
    """The runtime without its read models following (this test is about the write path)."""
    runtime = Runtime.from_env(store_url, follow=False)
    yield runtime
    runtime.close()


@pytest.mark.parametrize("store_url", ["postgres"], indirect=True)
def test_one_command_billing_250_leases_for_120_months_completes(writer_only):
    runtime = writer_only
    book = "big"
    runtime.execute(lambda uow: bookkeeping.open_book(
        uow, AUDIT, book_code=book, name="门面", entity_kind="collective", community_id="c1", township_id="t1",
        chart_name="collective_2023", starts_on=date(2015, 1, 1)), wait_for_read_models=False)

    def lease_up(uow) -> None:
        for n in range(LEASES):
            leasing.register_shop_front(uow, AUDIT, book, unit_number=f"U{n:03d}", location="街", floor_area_m2="20.00",
                                        owner="platform", operator=book, manager="property",
                                        rights_effective_on=date(2015, 1, 1))
            leasing.register_tenant(uow, AUDIT, book, tenant_code=f"T{n:03d}", name=f"租户{n}", kind="business",
                                    contact="1")
            leasing.sign_lease(uow, AUDIT, book, lease_code=f"L{n:03d}", tenant_code=f"T{n:03d}",
                               unit_numbers=[f"U{n:03d}"], start_on=date(2015, 1, 1), end_on=LAST_DAY,
                               billing_frequency="monthly", monthly_rent=f"{1000 + n}.00", escalation_percent="3",
                               contract_reference=f"B-{n}")

    runtime.writer.execute(lease_up, timeout=120)
    codes = [f"L{n:03d}" for n in range(LEASES)]
    before = runtime.app.recorder.max_notification_id()
    batches = runtime.writer.batches
    outcome = runtime.writer.execute(lambda uow: leasing.run_billing(uow, AUDIT, book, codes, THROUGH), timeout=300)
    run = outcome.result
    assert len(run.billed) == LEASES and all(len(months) == 12 * YEARS for months in run.billed.values())
    head = runtime.app.recorder.max_notification_id()
    assert outcome.position == head
    assert head - before > 12 * YEARS * LEASES  # the events of one command ...
    assert runtime.writer.batches - batches > 1  # ... in several transactions
    last = runtime.writer.execute(lambda uow: leasing.get_lease(uow, book, "L249").unbilled_months_through(THROUGH))
    assert last.result == []
    again = runtime.writer.execute(lambda uow: leasing.run_billing(uow, AUDIT, book, codes, THROUGH), timeout=60)
    assert again.result.billed == {} and again.position is None  # running it again adds nothing
    with runtime.db.transaction(write=False, snapshot=True) as tx:
        report = verify(stored_rows(tx, runtime.config.events_table, runtime.config.position_column),
                        stored_links(tx), runtime.app.recorder.chain_key)
    assert report.ok and report.events_checked == head
