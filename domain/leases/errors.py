"""The rules of shop-front leasing that a command can break, each with a stable ``type_slug``.

Source: DOMAIN.md §4; 民法典 Arts. 703–734. Every broken rule is a ``LeaseRuleBroken``
(a ``ValueError``: the API answers 422, or 409 where ``api/leases/routes.py`` registers it
as a conflict); a missing record is a ``ledger.writer.NotFound`` (404). The slug is the
problem ``type`` on the wire, so it never changes once published.
"""

from __future__ import annotations

from ledger.writer import NotFound


class LeaseRuleBroken(ValueError):
    """A rule of DOMAIN.md §4 is broken; ``type_slug`` names it for API problems."""

    type_slug = "lease-rule-broken"


# --- not found --------------------------------------------------------------------------


class ShopFrontNotFound(NotFound):
    type_slug = "shop-front-not-found"


class TenantNotFound(NotFound):
    type_slug = "tenant-not-found"


class LeaseNotFound(NotFound):
    type_slug = "lease-not-found"


# --- the book and the size of a request -------------------------------------------------


class LeasesNeedCollectiveBook(LeaseRuleBroken):
    """Rent goes to the community collective's book, not to a maintenance fund's."""

    type_slug = "leases-need-collective-book"


class TooManyUnits(LeaseRuleBroken):
    """A lease covers from one to ``MAX_UNITS_PER_LEASE`` shop-fronts."""

    type_slug = "lease-too-many-shop-fronts"


class BillingRunTooLarge(LeaseRuleBroken):
    """A billing run takes at most ``MAX_LEASES_PER_RUN`` leases (the slug predates this class)."""

    type_slug = "lease-rule-broken"


# --- terms (DOMAIN.md §4 Lease, Terms) ---------------------------------------------------


class TermTooLong(LeaseRuleBroken):
    """The term runs past twenty years (民法典 Art. 705)."""

    type_slug = "lease-term-too-long"


class EndNotAfterStart(LeaseRuleBroken):
    """The last day of the term is not after its first day."""

    type_slug = "lease-end-not-after-start"


class InvalidRent(LeaseRuleBroken):
    """Rent (or a rent rate or floor area) is not > 0 with at most two decimals."""

    type_slug = "lease-rent-invalid"


class RentBasisConflict(LeaseRuleBroken):
    """Rent given neither as a monthly amount nor per m², or both and disagreeing."""

    type_slug = "lease-rent-basis-conflict"


class WrittenContractRequired(LeaseRuleBroken):
    """A lease of six months or more has no written contract reference (Art. 707)."""

    type_slug = "lease-written-contract-required"


class NegativeEscalation(LeaseRuleBroken):
    """The yearly escalation percent is negative (or not a decimal)."""

    type_slug = "lease-escalation-negative"


class InvalidRentFreeMonths(LeaseRuleBroken):
    """Rent-free months are not a whole number ≥ 0."""

    type_slug = "lease-rent-free-months-invalid"


class InvalidDeposit(LeaseRuleBroken):
    """The deposit is not an amount ≥ 0 with at most two decimals."""

    type_slug = "lease-deposit-invalid"


class DayOutsideTerm(LeaseRuleBroken):
    """A day asked about lies outside the lease term."""

    type_slug = "lease-day-outside-term"


class PeriodEndsBeforeStart(LeaseRuleBroken):
    """An invoicing period whose last day precedes its first day."""

    type_slug = "lease-period-ends-before-start"


class InvalidBillingFrequency(LeaseRuleBroken):
    """Billing frequency is not monthly, quarterly or yearly."""

    type_slug = "lease-billing-frequency-invalid"


# --- the register (DOMAIN.md §4 Shop-front register) --------------------------------------


class MissingRightsHolder(LeaseRuleBroken):
    """Owner, operator or manager of a shop-front is not named."""

    type_slug = "shop-front-rights-holder-missing"


class InvalidShopFront(LeaseRuleBroken):
    """A shop-front without a unit number or with a floor area that is not > 0."""

    type_slug = "shop-front-invalid"


class CollectiveSharePercentRequired(LeaseRuleBroken):
    """No share was configured and the collective is not the operator, so there is no default."""

    type_slug = "collective-share-percent-required"


class InvalidSharePercent(LeaseRuleBroken):
    """A share percent that is not a Decimal from 0 to 100."""

    type_slug = "collective-share-percent-invalid"


class ShopFrontAlreadyRegistered(LeaseRuleBroken):
    type_slug = "shop-front-already-registered"


class RightsChangeOutOfOrder(LeaseRuleBroken):
    """A rights change dated on or before the latest one: history is not rewritten."""

    type_slug = "shop-front-rights-change-out-of-order"


class OverlappingLease(LeaseRuleBroken):
    """A shop-front has at most one active lease at a time (DOMAIN.md §4 Lease)."""

    type_slug = "lease-overlaps-active-lease"


class SittingTenantHasPriority(LeaseRuleBroken):
    """Another tenant's lease while the sitting tenant's priority to renew holds (Art. 734)."""

    type_slug = "sitting-tenant-has-priority"


# --- tenants and collection (DOMAIN.md §4 Receipts, Arrears aging, Late fee) --------------


class TenantAlreadyRegistered(LeaseRuleBroken):
    type_slug = "tenant-already-registered"


class InvalidTenant(LeaseRuleBroken):
    type_slug = "tenant-invalid"


class InvalidCollectionAmount(LeaseRuleBroken):
    """A receipt, open amount or payment that is not > 0 yuan with ≤ 2 decimals."""

    type_slug = "lease-collection-amount-invalid"


class DuplicateInvoiceNumber(LeaseRuleBroken):
    """The same invoice appears twice among the open invoices."""

    type_slug = "lease-invoice-number-duplicate"


class PaymentsExceedAmountDue(LeaseRuleBroken):
    """Payments against one invoice add up to more than it asked for."""

    type_slug = "lease-payments-exceed-amount-due"


class InvalidDailyRate(LeaseRuleBroken):
    """A late-fee daily rate that is not a Decimal ≥ 0 (a run takes at most 1 % a day)."""

    type_slug = "lease-late-fee-rate-invalid"


class ReceiptAmountInvalid(LeaseRuleBroken):
    type_slug = "lease-receipt-amount-invalid"


# --- the lease's life (DOMAIN.md §4 Lease, Accrual, Termination) ---------------------------


class LeaseAlreadyExists(LeaseRuleBroken):
    type_slug = "lease-already-exists"


class InvalidBillingStart(LeaseRuleBroken):
    type_slug = "lease-billing-start-invalid"


class BillingAfterTermination(LeaseRuleBroken):
    """A month after the lease was terminated (or expired) cannot be billed."""

    type_slug = "lease-billing-after-termination"


class BillingBeforeStart(LeaseRuleBroken):
    type_slug = "lease-billing-before-start"


class LeaseAlreadyTerminated(LeaseRuleBroken):
    type_slug = "lease-already-terminated"


class TerminationOutsideTerm(LeaseRuleBroken):
    type_slug = "lease-termination-outside-term"


class NonPaymentTerminationNeedsDemand(LeaseRuleBroken):
    """Art. 722: terminating for non-payment needs a demand first and rent overdue at it."""

    type_slug = "lease-termination-needs-demand"


class RenewalNotAllowed(LeaseRuleBroken):
    type_slug = "lease-renewal-not-allowed"


class DepositExceedsAgreed(LeaseRuleBroken):
    type_slug = "lease-deposit-exceeds-agreed"


class DepositNotHeld(LeaseRuleBroken):
    type_slug = "lease-deposit-not-held"


class DepositAlreadyRefunded(LeaseRuleBroken):
    type_slug = "lease-deposit-already-refunded"


class DepositSettlesAtTermination(LeaseRuleBroken):
    """The deposit is refunded or applied on termination or expiry, not during the lease."""

    type_slug = "lease-deposit-settles-at-termination"


class DepositExceedsArrears(LeaseRuleBroken):
    type_slug = "lease-deposit-exceeds-arrears"
