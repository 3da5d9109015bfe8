"""The rule errors of property-fee subsidies (物业服务费补贴): each names the broken rule.

Source: DOMAIN.md §5 and §7. Every error is a ``ValueError`` (→ 422, or 409 where the API
registers it as a conflict) or a ``NotFound`` (→ 404) with a stable ``type_slug``.
"""

from __future__ import annotations

from ledger.writer import NotFound


class SubsidiesRuleBroken(ValueError):
    """Base of the broken rules of property-fee subsidies."""

    type_slug = "subsidies-rule-broken"


# --- the register -------------------------------------------------------------------------
class SubsidiesNeedCollectiveBook(SubsidiesRuleBroken):
    type_slug = "subsidies-need-collective-book"


class InvalidBuilding(SubsidiesRuleBroken):
    type_slug = "building-invalid"


class BuildingAlreadyRegistered(SubsidiesRuleBroken):
    type_slug = "building-already-registered"


class InvalidFloorArea(SubsidiesRuleBroken):
    """Floor area in m²: > 0, at most two decimals, within a plausible bound (DOMAIN.md §1, §5)."""

    type_slug = "floor-area-invalid"


class InvalidHousehold(SubsidiesRuleBroken):
    type_slug = "household-invalid"


class HouseholdAlreadyRegistered(SubsidiesRuleBroken):
    type_slug = "household-already-registered"


class MoveOutBeforeMoveIn(SubsidiesRuleBroken):
    """Move-in after move-out (or a move-out before the move-in) is rejected."""

    type_slug = "move-out-before-move-in"


class AlreadyMovedOut(SubsidiesRuleBroken):
    type_slug = "household-already-moved-out"


class InvalidCorrection(SubsidiesRuleBroken):
    type_slug = "correction-invalid"


class InvalidHouseholdCounts(SubsidiesRuleBroken):
    type_slug = "household-counts-invalid"


class BillingStartInvalid(SubsidiesRuleBroken):
    type_slug = "household-billing-start-invalid"


# --- standards and policies ---------------------------------------------------------------
class InvalidFeeStandard(SubsidiesRuleBroken):
    type_slug = "fee-standard-invalid"


class FeeStandardNotConfigured(SubsidiesRuleBroken):
    """Buildings of 10 storeys or more have no default fee standard (DOMAIN.md §5 Exact readings)."""

    type_slug = "fee-standard-not-configured"


class FeeStandardOutOfOrder(SubsidiesRuleBroken):
    type_slug = "fee-standard-out-of-order"


class InvalidSubsidyPolicy(SubsidiesRuleBroken):
    type_slug = "subsidy-policy-invalid"


class PolicyVersionOverlaps(SubsidiesRuleBroken):
    """A version effective on or before the latest version's date would overlap it."""

    type_slug = "subsidy-policy-version-overlaps"


# --- billing ------------------------------------------------------------------------------
class InvalidMonth(SubsidiesRuleBroken):
    type_slug = "month-invalid"


class BillingRunOutOfOrder(SubsidiesRuleBroken):
    type_slug = "billing-run-out-of-order"


class BillingRunNotOpen(SubsidiesRuleBroken):
    type_slug = "billing-run-not-open"


class BillingMonthInFuture(SubsidiesRuleBroken):
    type_slug = "billing-month-in-future"


class BillingRunTooLarge(SubsidiesRuleBroken):
    type_slug = "billing-run-too-large"


class NothingToBill(SubsidiesRuleBroken):
    type_slug = "nothing-to-bill"


# --- claims and receipts --------------------------------------------------------------------
class InvalidClaimPeriod(SubsidiesRuleBroken):
    type_slug = "claim-period-invalid"


class ClaimForUnbilledMonth(SubsidiesRuleBroken):
    """A claim covers months whose billing runs are finished (DOMAIN.md §5 Exact readings)."""

    type_slug = "claim-for-unbilled-month"


class ClaimAlreadyFiled(SubsidiesRuleBroken):
    type_slug = "claim-already-filed"


class ClaimOverlapsAnother(SubsidiesRuleBroken):
    type_slug = "claim-overlaps-another"


class ClaimNotSubmitted(SubsidiesRuleBroken):
    type_slug = "claim-not-submitted"


class ClaimNotReturned(SubsidiesRuleBroken):
    type_slug = "claim-not-returned"


class ClaimApprovalNeedsTownship(SubsidiesRuleBroken):
    """Only the township finance office approves or returns a claim (DOMAIN.md §7)."""

    type_slug = "claim-approval-needs-township"


class ClaimOutsideTownship(SubsidiesRuleBroken):
    type_slug = "claim-outside-township"


class InvalidReceipt(SubsidiesRuleBroken):
    type_slug = "receipt-invalid"


class ReceiptExceedsAmountOwed(SubsidiesRuleBroken):
    """A receipt above what is owed is rejected: there is no credit rule (issue 8, Bad input)."""

    type_slug = "receipt-exceeds-amount-owed"


# --- reminders of arrears (催缴; recorded and reminded only, 民法典 Art. 944) -------------------
class InvalidReminderMethod(SubsidiesRuleBroken):
    """A reminder is given by visit, phone, written notice or text message (a closed list)."""

    type_slug = "reminder-method-invalid"


class ReminderNoteTooLong(SubsidiesRuleBroken):
    type_slug = "reminder-note-too-long"


class ReminderBeforeMoveIn(SubsidiesRuleBroken):
    type_slug = "reminder-before-move-in"


class ReminderInFuture(SubsidiesRuleBroken):
    type_slug = "reminder-in-future"


class ReminderWithoutArrears(SubsidiesRuleBroken):
    """A reminder is only for a household in arrears as of its day."""

    type_slug = "reminder-without-arrears"


# --- not found ----------------------------------------------------------------------------
class HouseholdNotFound(NotFound):
    type_slug = "household-not-found"


class BuildingNotFound(NotFound):
    type_slug = "building-not-found"


class ClaimNotFound(NotFound):
    type_slug = "claim-not-found"


class BillingRunNotFound(NotFound):
    type_slug = "billing-run-not-found"
