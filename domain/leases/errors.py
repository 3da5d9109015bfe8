"""The rules of shop-front leasing that a command can break, each with a stable ``type_slug``.

Source: DOMAIN.md §4; 民法典 Arts. 703–734. Every broken rule is a ``LeaseRuleBroken``
(a ``ValueError``: the API answers 422, or 409 where ``api/leases/routes.py`` registers it
as a conflict); a missing record is a ``ledger.writer.NotFound`` (404). The slug is the
problem ``type`` on the wire, so it never changes once published.
"""

from __future__ import annotations

from domain.rule_errors import RuleBroken
from ledger.writer import NotFound


class LeaseRuleBroken(RuleBroken, slug="lease-rule-broken"):
    """A rule of DOMAIN.md §4 is broken; a subclass names its slug in its header (``domain.rule_errors``)."""


# --- not found --------------------------------------------------------------------------


class ShopFrontNotFound(NotFound, slug="shop-front-not-found"):
    """No shop-front with this unit number in the book's register."""


class TenantNotFound(NotFound, slug="tenant-not-found"):
    """No tenant with this code in the book."""


class LeaseNotFound(NotFound, slug="lease-not-found"):
    """No lease with this code in the book."""


# --- the book and the size of a request -------------------------------------------------


class LeasesNeedCollectiveBook(LeaseRuleBroken, slug="leases-need-collective-book"):
    """Rent goes to the community collective's book, not to a maintenance fund's."""


class TooManyUnits(LeaseRuleBroken, slug="lease-too-many-shop-fronts"):
    """A lease covers from one to ``MAX_UNITS_PER_LEASE`` shop-fronts."""


class BillingRunTooLarge(LeaseRuleBroken, slug="lease-rule-broken"):
    """A billing run takes at most ``MAX_LEASES_PER_RUN`` leases (the slug predates this class)."""


# --- terms (DOMAIN.md §4 Lease, Terms) ---------------------------------------------------


class TermTooLong(LeaseRuleBroken, slug="lease-term-too-long"):
    """The term runs past twenty years (民法典 Art. 705)."""


class EndNotAfterStart(LeaseRuleBroken, slug="lease-end-not-after-start"):
    """The last day of the term is not after its first day."""


class InvalidRent(LeaseRuleBroken, slug="lease-rent-invalid"):
    """Rent (or a rent rate or floor area) is not > 0 with at most two decimals."""


class RentBasisConflict(LeaseRuleBroken, slug="lease-rent-basis-conflict"):
    """Rent given neither as a monthly amount nor per m², or both and disagreeing."""


class WrittenContractRequired(LeaseRuleBroken, slug="lease-written-contract-required"):
    """A lease of six months or more has no written contract reference (Art. 707)."""


class NegativeEscalation(LeaseRuleBroken, slug="lease-escalation-negative"):
    """The yearly escalation percent is negative (or not a decimal)."""


class InvalidRentFreeMonths(LeaseRuleBroken, slug="lease-rent-free-months-invalid"):
    """Rent-free months are not a whole number ≥ 0."""


class InvalidDeposit(LeaseRuleBroken, slug="lease-deposit-invalid"):
    """The deposit is not an amount ≥ 0 with at most two decimals."""


class DayOutsideTerm(LeaseRuleBroken, slug="lease-day-outside-term"):
    """A day asked about lies outside the lease term."""


class PeriodEndsBeforeStart(LeaseRuleBroken, slug="lease-period-ends-before-start"):
    """An invoicing period whose last day precedes its first day."""


class InvalidBillingFrequency(LeaseRuleBroken, slug="lease-billing-frequency-invalid"):
    """Billing frequency is not monthly, quarterly or yearly."""


# --- the register (DOMAIN.md §4 Shop-front register) --------------------------------------


class MissingRightsHolder(LeaseRuleBroken, slug="shop-front-rights-holder-missing"):
    """Owner, operator or manager of a shop-front is not named."""


class InvalidShopFront(LeaseRuleBroken, slug="shop-front-invalid"):
    """A shop-front without a unit number or with a floor area that is not > 0."""


class CollectiveSharePercentRequired(LeaseRuleBroken, slug="collective-share-percent-required"):
    """No share was configured and the collective is not the operator, so there is no default."""


class InvalidSharePercent(LeaseRuleBroken, slug="collective-share-percent-invalid"):
    """A share percent that is not a Decimal from 0 to 100."""


class ShopFrontAlreadyRegistered(LeaseRuleBroken, slug="shop-front-already-registered"):
    ...


class RightsChangeOutOfOrder(LeaseRuleBroken, slug="shop-front-rights-change-out-of-order"):
    """A rights change dated on or before the latest one: history is not rewritten."""


class OverlappingLease(LeaseRuleBroken, slug="lease-overlaps-active-lease"):
    """A shop-front has at most one active lease at a time (DOMAIN.md §4 Lease)."""


class SittingTenantHasPriority(LeaseRuleBroken, slug="sitting-tenant-has-priority"):
    """Another tenant's lease while the sitting tenant's priority to renew holds (Art. 734)."""


# --- tenants and collection (DOMAIN.md §4 Receipts, Arrears aging, Late fee) --------------


class TenantAlreadyRegistered(LeaseRuleBroken, slug="tenant-already-registered"):
    ...


class InvalidTenant(LeaseRuleBroken, slug="tenant-invalid"):
    ...


class InvalidCollectionAmount(LeaseRuleBroken, slug="lease-collection-amount-invalid"):
    """A receipt, open amount or payment that is not > 0 yuan with ≤ 2 decimals."""


class DuplicateInvoiceNumber(LeaseRuleBroken, slug="lease-invoice-number-duplicate"):
    """The same invoice appears twice among the open invoices."""


class PaymentsExceedAmountDue(LeaseRuleBroken, slug="lease-payments-exceed-amount-due"):
    """Payments against one invoice add up to more than it asked for."""


class InvalidDailyRate(LeaseRuleBroken, slug="lease-late-fee-rate-invalid"):
    """A late-fee daily rate that is not a Decimal ≥ 0 (a run takes at most 1 % a day)."""


class ReceiptAmountInvalid(LeaseRuleBroken, slug="lease-receipt-amount-invalid"):
    ...


# --- the lease's life (DOMAIN.md §4 Lease, Accrual, Termination) ---------------------------


class LeaseAlreadyExists(LeaseRuleBroken, slug="lease-already-exists"):
    ...


class InvalidBillingStart(LeaseRuleBroken, slug="lease-billing-start-invalid"):
    ...


class BillingAfterTermination(LeaseRuleBroken, slug="lease-billing-after-termination"):
    """A month after the lease was terminated (or expired) cannot be billed."""


class BillingBeforeStart(LeaseRuleBroken, slug="lease-billing-before-start"):
    ...


class LeaseAlreadyTerminated(LeaseRuleBroken, slug="lease-already-terminated"):
    ...


class TerminationOutsideTerm(LeaseRuleBroken, slug="lease-termination-outside-term"):
    ...


class NonPaymentTerminationNeedsDemand(LeaseRuleBroken, slug="lease-termination-needs-demand"):
    """Art. 722: terminating for non-payment needs a demand first and rent overdue at it."""


class RenewalNotAllowed(LeaseRuleBroken, slug="lease-renewal-not-allowed"):
    ...


class DepositExceedsAgreed(LeaseRuleBroken, slug="lease-deposit-exceeds-agreed"):
    ...


class DepositNotHeld(LeaseRuleBroken, slug="lease-deposit-not-held"):
    ...


class DepositAlreadyRefunded(LeaseRuleBroken, slug="lease-deposit-already-refunded"):
    ...


class DepositSettlesAtTermination(LeaseRuleBroken, slug="lease-deposit-settles-at-termination"):
    """The deposit is refunded or applied on termination or expiry, not during the lease."""


class DepositExceedsArrears(LeaseRuleBroken, slug="lease-deposit-exceeds-arrears"):
    ...
