"""Subsidy claims (补贴申领) to the township: a month or a calendar quarter, every household listed.

Source: DOMAIN.md §5 (Money, Exact readings) and §7. A claim is submitted by the
community accountant, approved or returned with a reason by the township finance office
(approval records an event; no money moves until the township's receipt), and settled
by receipts. A household's arrears never block a claim: the claim lists the subsidy
billed for each household, whatever the household owes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.subsidies.errors import (
    ClaimApprovalNeedsTownship,
    ClaimNotReturned,
    ClaimNotSubmitted,
    InvalidClaimPeriod,
    InvalidReceipt,
)
from ledger.audit import Audit, Role
from ledger.book import ANJU_NAMESPACE
from ledger.money import ZERO
from ledger.values import value_type

MONTH_CODE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER_CODE = re.compile(r"^(\d{4})-Q([1-4])$")
SUBMITTED, APPROVED, RETURNED = "submitted", "approved", "returned"
MAX_REASON = 200


def claim_id(book_code: str, claim_code: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"subsidies/{book_code}/claim/{claim_code}")


def claim_months(claim_code: str) -> tuple[str, ...]:
    """The months a claim covers: ``2024-06`` one month, ``2024-Q2`` its calendar quarter.

    Source: DOMAIN.md §5 Money ("subsidy claims to the township per month or quarter") and
    Exact readings ("A quarterly claim covers a calendar quarter").
    """
    month = MONTH_CODE.match(claim_code)
    if month:
        return (claim_code,)
    quarter = QUARTER_CODE.match(claim_code)
    if quarter:
        year, number = quarter.group(1), int(quarter.group(2))
        return tuple(f"{year}-{m:02d}" for m in range(3 * number - 2, 3 * number + 1))
    raise InvalidClaimPeriod(f"a claim is for a month (2024-06) or a calendar quarter (2024-Q2), not {claim_code!r}")


@value_type("anju.subsidies.ClaimLine")
class ClaimLine:
    household_id: str
    amount: Decimal


def claim_lines(run_subsidies: Sequence[Mapping[str, Decimal]]) -> tuple[ClaimLine, ...]:
    """Every household of the covered runs with the sum of its subsidy lines (0.00 ones kept).

    Source: DOMAIN.md §5 Exact readings: "A quarterly claim covers a calendar quarter and
    is the sum of its three billed months (households with 0.00 listed)". Each run's lines
    include the adjustment lines it carried (so a correction reaches its month's claim).
    """
    totals: dict[str, Decimal] = {}
    for run in run_subsidies:
        for household_id, amount in run.items():
            totals[household_id] = totals.get(household_id, ZERO) + amount
    return tuple(ClaimLine(household_id, totals[household_id]) for household_id in sorted(totals))


def check_township_decides(audit: Audit) -> None:
    """Only the township finance office approves or returns a claim (DOMAIN.md §7)."""
    if audit.role != Role.TOWNSHIP.value:
        raise ClaimApprovalNeedsTownship(f"a claim is approved or returned by the township office, not a {audit.role}")


class SubsidyClaim(Aggregate):
    """One claim of a community to its township, for a month or a quarter."""

    @staticmethod
    def create_id(book_code: str, claim_code: str) -> UUID:  # type: ignore[override]
        return claim_id(book_code, claim_code)

    @event("Submitted")
    def __init__(self, audit: Audit, book_code: str, claim_code: str, township_id: str, months: tuple[str, ...],
                 lines: tuple[ClaimLine, ...], amount: Decimal, submitted_on: date) -> None:
        self.book_code = book_code
        self.claim_code = claim_code
        self.township_id = township_id
        self.months = months
        self.lines = lines
        self.amount = amount
        self.submitted_on = submitted_on
        self.status = SUBMITTED
        self.approved_on: date | None = None
        self.returned_reason = ""
        self.received = ZERO

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.received

    def check_submitted(self) -> None:
        if self.status != SUBMITTED:
            raise ClaimNotSubmitted(f"claim {self.claim_code} is {self.status}, not awaiting a decision")

    def approve(self, audit: Audit, approved_on: date) -> None:
        check_township_decides(audit)
        self.check_submitted()
        if approved_on < self.submitted_on:
            raise ClaimNotSubmitted(f"claim {self.claim_code} was submitted on {self.submitted_on}")
        self._approved(audit=audit, approved_on=approved_on)

    @event("Approved")
    def _approved(self, audit: Audit, approved_on: date) -> None:
        self.status = APPROVED
        self.approved_on = approved_on

    def return_claim(self, audit: Audit, returned_on: date, reason: str) -> None:
        check_township_decides(audit)
        self.check_submitted()
        if not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON:
            raise ClaimNotSubmitted(f"a returned claim needs a reason of at most {MAX_REASON} characters")
        self._returned(audit=audit, returned_on=returned_on, reason=reason)

    @event("Returned")
    def _returned(self, audit: Audit, returned_on: date, reason: str) -> None:
        self.status = RETURNED
        self.returned_reason = reason

    def resubmit(self, audit: Audit, submitted_on: date) -> None:
        if self.status != RETURNED:
            raise ClaimNotReturned(f"claim {self.claim_code} is {self.status}; only a returned claim is resubmitted")
        self._resubmitted(audit=audit, submitted_on=submitted_on)

    @event("Resubmitted")
    def _resubmitted(self, audit: Audit, submitted_on: date) -> None:
        self.status = SUBMITTED
        self.submitted_on = submitted_on
        self.returned_reason = ""

    def apply_receipt(self, audit: Audit, receipt_number: str, received_on: date, amount: Decimal) -> None:
        if self.status != APPROVED or amount <= ZERO or amount > self.outstanding:
            raise InvalidReceipt(f"claim {self.claim_code} cannot take {amount} (status {self.status}, "
                                 f"outstanding {self.outstanding})")
        self._receipt_applied(audit=audit, receipt_number=receipt_number, received_on=received_on, amount=amount)

    @event("ReceiptApplied")
    def _receipt_applied(self, audit: Audit, receipt_number: str, received_on: date, amount: Decimal) -> None:
        self.received += amount
