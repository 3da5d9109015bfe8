"""Use cases on the aggregates, through the writer, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.subsidies import application as subsidies
from domain.subsidies import billing_run
from domain.subsidies.claim import check_township_decides
from domain.subsidies.errors import (
    BillingRunNotOpen,
    BillingRunOutOfOrder,
    ClaimApprovalNeedsTownship,
    ClaimForUnbilledMonth,
    HouseholdAlreadyRegistered,
)
from ledger import bookkeeping
from ledger.audit import Audit

AUDIT = Audit("acc", "accountant", "test")
TOWNSHIP = Audit("tw", "township", "test")
TODAY = date(2026, 12, 1)
BOOK = "b1"


def run(rt, command):
    return rt.execute(command, wait_for_read_models=False).result


def setup(rt, households: int = 3, billing_from: str = "2024-01") -> list[str]:
    run(rt, lambda uow: bookkeeping.open_book(uow, AUDIT, book_code=BOOK, name="b1", entity_kind="collective",
                                              community_id="c1", township_id="t1", chart_name="collective_2023",
                                              starts_on=date(2024, 1, 1)))
    run(rt, lambda uow: subsidies.register_building(uow, AUDIT, BOOK, building_code="B", name="1号楼", storeys=7,
                                                    has_lift=True))
    items = [subsidies.HouseholdInput(f"H{n}", "B", f"U{n}", "80.00", date(2019, 6, 20), 3, 1, None, billing_from)
             for n in range(1, households + 1)]
    run(rt, lambda uow: subsidies.register_households(uow, AUDIT, rt.identity_key, BOOK, items))
    return [item.household_id for item in items]


def test_check_run_in_order_and_chunked_runs(runtime):
    ids = setup(runtime)
    with pytest.raises(BillingRunOutOfOrder):
        run(runtime, lambda uow: billing_run.start_run(uow, AUDIT, BOOK, "2024-02"))
    run(runtime, lambda uow: billing_run.start_run(uow, AUDIT, BOOK, "2024-01"))
    run(runtime, lambda uow: billing_run.bill_run_households(uow, AUDIT, BOOK, "2024-01", ids[:2]))
    with pytest.raises(ClaimForUnbilledMonth):  # a run is claimable once finished
        run(runtime, lambda uow: subsidies.submit_claim(uow, AUDIT, BOOK, "2024-01", submitted_on=date(2024, 2, 1)))
    with pytest.raises(BillingRunOutOfOrder):
        run(runtime, lambda uow: billing_run.start_run(uow, AUDIT, BOOK, "2024-02"))
    again = run(runtime, lambda uow: billing_run.bill_run_households(uow, AUDIT, BOOK, "2024-01", ids))
    assert [bill.household_id for bill in again] == ["H3"]  # households already in the run are skipped
    finished = run(runtime, lambda uow: billing_run.finish_run(uow, AUDIT, BOOK, "2024-01"))
    assert finished.total("subsidy") == Decimal("108.00") and len(finished.voucher_numbers) == 2
    with pytest.raises(BillingRunNotOpen):
        run(runtime, lambda uow: billing_run.bill_run_households(uow, AUDIT, BOOK, "2024-01", ids))
    claim = run(runtime, lambda uow: subsidies.submit_claim(uow, AUDIT, BOOK, "2024-01", submitted_on=date(2024, 2, 1)))
    assert claim.amount == Decimal("108.00") and len(claim.lines) == 3


def test_register_households_rejects_a_household_twice(runtime):
    setup(runtime, households=1)
    twice = [subsidies.HouseholdInput("H9", "B", "U9", "70", date(2019, 1, 1)),
             subsidies.HouseholdInput("H9", "B", "U9", "70", date(2019, 1, 1))]
    with pytest.raises(HouseholdAlreadyRegistered):
        run(runtime, lambda uow: subsidies.register_households(uow, AUDIT, runtime.identity_key, BOOK, twice))
    assert run(runtime, lambda uow: uow.get_optional(subsidies.Household,
                                                     subsidies.household_stream_id(BOOK, "H9"))) is None


def test_check_township_decides():
    check_township_decides(TOWNSHIP)
    with pytest.raises(ClaimApprovalNeedsTownship):
        check_township_decides(AUDIT)


def test_move_out_recorded_late_adjusts_billed_months_in_the_next_run(runtime):
    setup(runtime, households=1, billing_from="2024-03")
    run(runtime, lambda uow: billing_run.run_billing(uow, AUDIT, BOOK, "2024-05", today=TODAY))
    household = run(runtime, lambda uow: subsidies.record_move_out(uow, AUDIT, BOOK, "H1",
                                                                   moved_out_on=date(2024, 4, 10)))
    # April: 10 of 30 days at 50 % → fee 24.00 subsidy 12.00 (billed 72.00 / 36.00); May: nothing occupied
    adjustment = household.pending[0]
    assert [(d.month, d.fee, d.subsidy) for d in adjustment.months] == [
        ("2024-04", Decimal("-48.00"), Decimal("-24.00")), ("2024-05", Decimal("-72.00"), Decimal("-36.00"))]
    result = run(runtime, lambda uow: billing_run.run_billing(uow, AUDIT, BOOK, "2024-06", today=TODAY))
    line = result.runs[0].lines["H1"]
    assert (line.months, line.fee, line.subsidy, line.household_share) == (
        (), Decimal("-120.00"), Decimal("-60.00"), Decimal("-60.00"))
    household = run(runtime, lambda uow: subsidies.get_household(uow, BOOK, "H1"))
    assert household.owed == Decimal("48.00")  # March 36.00 + April 36.00 + May 36.00 − 60.00
    receipt = run(runtime, lambda uow: subsidies.record_household_receipt(
        uow, AUDIT, BOOK, "H1", received_on=date(2024, 7, 1), amount="48.00"))
    assert [(s.run_month, s.amount) for s in receipt.settled] == [("2024-04", Decimal("12.00")),
                                                                  ("2024-05", Decimal("36.00"))]
