"""The leasing aggregates and billing plan in memory, without a store (DOMAIN.md §4)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.leases.billing import UnitRights, income_shares, month_invoice, period_due_in, plan_month, \
    termination_credits
from domain.leases.model import (
    RENEWAL_PRIORITY_DAYS,
    Lease,
    MonthBilling,
    RightsChange,
    ShopFront,
    SittingTenantHasPriority,
    month_of_day,
    next_month,
)
from domain.leases.rights import RightsHolders
from domain.leases.terms import BillingFrequency, LeaseTerms, billing_periods
from ledger.audit import Audit

AUDIT = Audit("test", "accountant", "test")
HOLDERS = RightsHolders("county-platform", "b1", "property")


def _lease(frequency: str = "monthly", start_on: date = date(2024, 3, 15), end_on: date = date(2027, 3, 14),
           billing_from: date | None = None, **terms: object) -> Lease:
    lease_terms = LeaseTerms(start_on=start_on, end_on=end_on, billing_frequency=frequency,  # type: ignore[arg-type]
                             monthly_rent=Decimal("3100.00"), contract_reference="HT", **terms)  # type: ignore[arg-type]
    return Lease.sign(AUDIT, "b1", "L1", "T1", ("A-101",), lease_terms, billing_from)


@pytest.mark.parametrize("frequency", ["monthly", "quarterly", "yearly"])
@pytest.mark.parametrize("billing_from", [None, date(2025, 2, 11)])
@pytest.mark.parametrize("stop_after", [None, date(2026, 5, 20)])
def test_period_falling_due_in_a_month_matches_the_terms_billing_periods(frequency, billing_from, stop_after):
    lease = _lease(frequency, billing_from=billing_from)
    first = billing_from or lease.terms.start_on
    expected = {}
    for period in billing_periods(lease.terms, stop_after):
        if period.period_end >= first:
            due_on = max(period.period_start, first)
            expected[month_of_day(due_on)] = (due_on, period.period_end)
    month, found = "2024-01", {}
    while month <= "2027-06":
        period = period_due_in(lease, month, stop_after)
        if period is not None:
            found[month] = (period.due_on, period.period_end)
        month = next_month(month)
    assert found == expected


def test_income_is_split_by_floor_area_then_by_the_collectives_share():
    """按比例计提: 60 % of a market-co unit, 100 % of a collective unit; parts sum to the income."""
    market = RightsChange(date(2025, 1, 1), RightsHolders("county", "market-co", "property"), Decimal("60"))
    own = RightsChange(date(2025, 1, 1), HOLDERS)
    shares = income_shares(Decimal("1000.01"), [UnitRights("A", Decimal("30.00"), market),
                                                UnitRights("B", Decimal("10.00"), own)], "b1")
    # 1,000.01 by area 3 : 1 → 750.01 / 250.00; 60 % of 750.01 = 450.01 (half-up)
    assert {s.party: s.amount for s in shares} == {"": Decimal("700.01"), "market-co": Decimal("300.00")}


def test_quarterly_invoice_in_advance_and_rent_earned_in_its_month():
    lease = _lease("quarterly", start_on=date(2025, 1, 1), end_on=date(2025, 12, 31))
    january = plan_month(lease, "2025-01", [UnitRights("A-101", Decimal("50"), RightsChange(date(2025, 1, 1),
                                                                                            HOLDERS))], "b1")
    assert january.invoice is not None and january.invoice.amount == Decimal("9300.00")
    assert january.recognised == Decimal("3100.00")
    assert month_invoice(lease, "2025-02", None) is None


def test_termination_credits_take_back_billed_rent_after_the_termination_date():
    lease = _lease("quarterly", start_on=date(2025, 1, 1), end_on=date(2025, 12, 31))
    units = [UnitRights("A-101", Decimal("50"), RightsChange(date(2025, 1, 1), HOLDERS))]
    billed = plan_month(lease, "2025-01", units, "b1")
    lease.bill_month(AUDIT, billed)
    credits = termination_credits(lease, date(2025, 2, 14))
    # Q1 invoice 9,300.00 becomes January + 14 of 28 February days = 3,100.00 + 1,550.00
    assert [(c.month, c.invoice_reduction, c.recognised_reduction) for c in credits] == [
        ("2025-01", Decimal("4650.00"), Decimal("0.00"))]


def test_sitting_tenant_priority_lapses_after_the_window_or_when_declined():
    shop_front = ShopFront(audit=AUDIT, book_code="b1", unit_number="A-101", location="x",
                           floor_area_m2=Decimal("50"), rights=RightsChange(date(2025, 1, 1), HOLDERS))
    shop_front.attach_lease(AUDIT, "L1", "T1", date(2025, 1, 1), date(2025, 6, 30))
    with pytest.raises(SittingTenantHasPriority):
        shop_front.check_sitting_tenant_priority("T2", date(2025, 7, 1))
    shop_front.check_sitting_tenant_priority("T1", date(2025, 7, 1))
    shop_front.check_sitting_tenant_priority("T2", date(2025, 6, 30) + timedelta(days=RENEWAL_PRIORITY_DAYS + 1))
    shop_front.decline_renewal(AUDIT, "L1")
    shop_front.check_sitting_tenant_priority("T2", date(2025, 7, 1))


def test_month_billing_round_trips_through_the_event_values():
    lease = _lease()
    billing = MonthBilling("2024-03", date(2024, 3, 15), month_invoice(lease, "2024-03", None), Decimal("1700.00"),
                           ())
    assert billing.invoice is not None and billing.invoice.amount == Decimal("1700.00")
    assert lease.terms.billing_frequency is BillingFrequency.MONTHLY
