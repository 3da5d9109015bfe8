"""The example lease the leasing domain tests share (DOMAIN.md §4)."""

from datetime import date
from decimal import Decimal

from domain.leases.terms import BillingFrequency, LeaseTerms


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
