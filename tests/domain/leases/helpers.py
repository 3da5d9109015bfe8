"""The example lease the leasing domain tests share (DOMAIN.md §4)."""

from datetime import date
from decimal import Decimal

from domain.leases.invoice import BillingPeriod, calendar_period_last_day, period_due_in
from domain.leases.terms import BillingFrequency, LeaseTerms
from ledger.calendar import ONE_DAY, month_of, months_between


def terms(**overrides: object) -> LeaseTerms:
    """DOMAIN.md §4's example lease: from 2024-03-15 at 3,100.00 a month, 5 % a year (agreed: checked)."""
    fields: dict[str, object] = {
        "start_on": date(2024, 3, 15),
        "end_on": date(2027, 3, 14),
        "billing_frequency": BillingFrequency.MONTHLY,
        "monthly_rent": Decimal("3100.00"),
        "escalation_percent": Decimal("5"),
        "contract_reference": "合同-2024-017",
    }
    fields.update(overrides)
    return LeaseTerms.agreed(**fields)  # type: ignore[arg-type]


def periods_due(lease_terms: LeaseTerms, stop_after: date | None = None) -> list[BillingPeriod]:
    """Every billing period of the term, as production finds them: ``period_due_in`` month by month."""
    last_on = min(lease_terms.end_on, stop_after or lease_terms.end_on)
    found = (period_due_in(lease_terms, lease_terms.start_on, month, stop_after)
             for month in months_between(month_of(lease_terms.start_on), month_of(last_on)))
    return [period for period in found if period is not None]


def reference_billing_periods(lease_terms: LeaseTerms, stop_after: date | None = None) -> list[BillingPeriod]:
    """An independent oracle: walk the term period by period (DOMAIN.md §4, calendar periods in advance)."""
    last_on = min(lease_terms.end_on, stop_after or lease_terms.end_on)
    periods: list[BillingPeriod] = []
    first_on = lease_terms.start_on
    while first_on <= last_on:
        period_end = min(calendar_period_last_day(first_on, lease_terms.billing_frequency), last_on)
        periods.append(BillingPeriod(first_on, period_end, due_on=first_on))
        first_on = period_end + ONE_DAY
    return periods
