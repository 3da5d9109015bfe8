"""The leasing aggregates and their billing in memory, without a store (DOMAIN.md §4)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.leases.accrual import BilledDays, MonthBilling, month_invoice
from domain.leases.errors import SittingTenantHasPriority
from domain.leases.invoice import period_due_in
from domain.leases.lease import Lease, lease_status_on, rent_in_force_on
from domain.leases.rights import RightsChange, RightsHolders, UnitRights, income_shares
from domain.leases.shop_front import RENEWAL_PRIORITY_DAYS, ShopFront
from domain.leases.terms import BillingFrequency, LeaseTerms
from ledger.audit import Audit
from ledger.calendar import month_of, months_between
from tests.domain.leases.helpers import reference_billing_periods

AUDIT = Audit("test", "accountant", "test")
HOLDERS = RightsHolders("county-platform", "b1", "property")


def _terms(frequency: str = "monthly", start_on: date = date(2024, 3, 15), end_on: date = date(2027, 3, 14),
           **terms: object) -> LeaseTerms:
    return LeaseTerms.agreed(start_on=start_on, end_on=end_on, billing_frequency=frequency, monthly_rent="3100.00",
                             contract_reference="HT", **terms)


def _shop_front(unit: str = "A-101", area: str = "50.00", rights: RightsChange | None = None) -> ShopFront:
    return ShopFront.register(AUDIT, "b1", unit, "x", area, rights or RightsChange(date(2020, 1, 1), HOLDERS))


def _lease(frequency: str = "monthly", start_on: date = date(2024, 3, 15), end_on: date = date(2027, 3, 14),
           billing_from: date | None = None, units: tuple[str, ...] = ("A-101",),
           areas: tuple[Decimal, ...] = (Decimal("50.00"),), **terms: object) -> Lease:
    return Lease.sign(AUDIT, "b1", "L1", "T1", units, areas, _terms(frequency, start_on, end_on, **terms),
                      billing_from)


@pytest.mark.parametrize("frequency", ["monthly", "quarterly", "yearly"])
@pytest.mark.parametrize("billing_from", [None, date(2025, 2, 11)])
@pytest.mark.parametrize("stop_after", [None, date(2026, 5, 20)])
def test_period_falling_due_in_a_month_matches_the_terms_billing_periods(frequency, billing_from, stop_after):
    lease = _lease(frequency, billing_from=billing_from)
    first = billing_from or lease.terms.start_on
    expected = {}
    for period in reference_billing_periods(lease.terms, stop_after):
        if period.period_end >= first:
            due_on = max(period.period_start, first)
            expected[month_of(due_on)] = (due_on, period.period_end)
    found = {}
    for month in months_between("2024-01", "2027-06"):
        period = period_due_in(lease.terms, lease.billing_from, month, stop_after)
        if period is not None:
            found[month] = (period.due_on, period.period_end)
    assert found == expected


def test_income_is_split_by_floor_area_then_by_the_collectives_share():
    """按比例计提: 60 % of a market-co unit, 100 % of a collective unit; parts sum to the income."""
    market = RightsChange(date(2025, 1, 1), RightsHolders("county", "market-co", "property"), Decimal("60"))
    own = RightsChange(date(2025, 1, 1), HOLDERS)
    shares = income_shares(Decimal("1000.01"), [UnitRights("A", Decimal("30.00"), market),
                                                UnitRights("B", Decimal("10.00"), own)], "b1")
    # 1,000.01 by area 3 : 1 → 750.01 / 250.00; 60 % of 750.01 = 450.01 (half-up)
    assert {s.party: s.amount for s in shares} == {"": Decimal("700.01"), "market-co": Decimal("300.00")}


def test_a_lease_splits_its_income_by_the_floor_areas_kept_at_signing():
    """The lease takes each shop-front's area when signed and bills with it; rights come dated from the register."""
    market = RightsChange(date(2020, 1, 1), RightsHolders("county", "market-co", "property"), Decimal("60"))
    shop_fronts = {"A": _shop_front("A", "30.00", market), "B": _shop_front("B", "10.00")}
    lease = _lease(start_on=date(2025, 1, 1), end_on=date(2025, 12, 31), units=("A", "B"),
                   areas=(Decimal("30.00"), Decimal("10.00")))
    january = lease.plan_month("2025-01", shop_fronts)
    # 3,100.00 by area 3 : 1 → 2,325.00 / 775.00; 60 % of 2,325.00 = 1,395.00 to the collective
    assert {s.party: s.amount for s in january.income_shares} == {"": Decimal("2170.00"),
                                                                   "market-co": Decimal("930.00")}
    # A lease stored before the areas were kept reads them from the shop-fronts: the same split.
    older = Lease(audit=AUDIT, book_code="b1", lease_code="L1", tenant_code="T1", unit_numbers=("A", "B"),
                  terms=lease.terms, billing_from=lease.billing_from, renews=None)  # a Signed event without areas
    assert older.floor_areas_m2 == ()
    assert older.plan_month("2025-01", shop_fronts) == january


def test_quarterly_invoice_in_advance_and_rent_earned_in_its_month():
    lease = _lease("quarterly", start_on=date(2025, 1, 1), end_on=date(2025, 12, 31))
    january = lease.plan_month("2025-01", {"A-101": _shop_front()})
    assert january.invoice is not None and january.invoice.amount == Decimal("9300.00")
    assert january.recognised == Decimal("3100.00")
    assert month_invoice(lease.billed_days, "2025-02") is None


def test_termination_credits_take_back_billed_rent_after_the_termination_date():
    lease = _lease("quarterly", start_on=date(2025, 1, 1), end_on=date(2025, 12, 31))
    lease.bill_month(AUDIT, lease.plan_month("2025-01", {"A-101": _shop_front()}))
    credits = lease.termination_credits(date(2025, 2, 14))
    # Q1 invoice 9,300.00 becomes January + 14 of 28 February days = 3,100.00 + 1,550.00
    assert [(c.month, c.invoice_reduction, c.recognised_reduction) for c in credits] == [
        ("2025-01", Decimal("4650.00"), Decimal("0.00"))]


def test_sitting_tenant_priority_lapses_after_the_window_or_when_declined():
    shop_front = _shop_front()
    shop_front.attach_lease(AUDIT, "L1", "T1", date(2025, 1, 1), date(2025, 6, 30))
    with pytest.raises(SittingTenantHasPriority):
        shop_front.check_sitting_tenant_priority("T2", date(2025, 7, 1))
    shop_front.check_sitting_tenant_priority("T1", date(2025, 7, 1))
    shop_front.check_sitting_tenant_priority("T2", date(2025, 6, 30) + timedelta(days=RENEWAL_PRIORITY_DAYS + 1))
    shop_front.decline_renewal(AUDIT, "L1")
    shop_front.check_sitting_tenant_priority("T2", date(2025, 7, 1))


def test_month_billing_is_numbered_with_its_voucher_on_the_month_and_the_invoice():
    lease = _lease()
    planned = MonthBilling("2024-03", date(2024, 3, 15), month_invoice(BilledDays("L1", lease.terms,
                                                                                  lease.billing_from, None),
                                                                       "2024-03"), Decimal("1700.00"), ())
    numbered = planned.numbered("记-2024-03-0001")
    assert numbered.invoice is not None and numbered.invoice.amount == Decimal("1700.00")
    assert (numbered.voucher_number, numbered.invoice.voucher_number) == ("记-2024-03-0001", "记-2024-03-0001")
    assert lease.terms.billing_frequency is BillingFrequency.MONTHLY


def test_a_leases_status_on_a_date():
    """Not started before its first day, active through the termination day, then terminated; expired after the end."""
    terms = _terms(start_on=date(2025, 1, 1), end_on=date(2025, 12, 31))
    assert lease_status_on(terms, None, date(2024, 12, 31)) == "not_started"
    assert lease_status_on(terms, None, date(2025, 12, 31)) == "active"
    assert lease_status_on(terms, None, date(2026, 1, 1)) == "expired"
    assert lease_status_on(terms, date(2025, 3, 20), date(2025, 3, 20)) == "active"
    assert lease_status_on(terms, date(2025, 3, 20), date(2025, 3, 21)) == "terminated"
    assert lease_status_on(terms, date(2025, 3, 20), date(2026, 6, 1)) == "terminated"
    escalating = _terms(start_on=date(2024, 3, 15), end_on=date(2026, 3, 14), escalation_percent="5")
    assert rent_in_force_on(escalating, date(2020, 1, 1)) == Decimal("3100.00")
    assert rent_in_force_on(escalating, date(2030, 1, 1)) == Decimal("3255.00")
