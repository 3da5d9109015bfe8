"""Every rule error of the housing special maintenance fund (DOMAIN.md §6), in one place.

Each class names the broken rule; ``type_slug`` is its stable ``type`` on the wire
(``https://anju.example/problems/<slug>``). Rule errors are ``ValueError``s (422, or
409 where the API registers them as conflicts with the current state); the
not-found errors are ``NotFound`` (404).
"""

from __future__ import annotations

from ledger.writer import NotFound


class MaintenanceFundRuleBroken(ValueError):
    """A rule of DOMAIN.md §6 is broken; ``type_slug`` names it for API problems."""

    type_slug = "maintenance-fund-rule-broken"


# --- funds and units ----------------------------------------------------------------------
class FundNotFound(NotFound):
    type_slug = "fund-not-found"


class FundAlreadyExists(MaintenanceFundRuleBroken):
    """One fund per book; the book's code names the fund."""

    type_slug = "fund-already-exists"


class InvalidFund(MaintenanceFundRuleBroken):
    """A fund without a name, with an unknown kind of area, or a building fund without its building."""

    type_slug = "invalid-fund"


class InvalidDepositStandard(MaintenanceFundRuleBroken):
    """The first-deposit standard (yuan/m²) is > 0 with at most two decimals; versions go forward in time."""

    type_slug = "invalid-deposit-standard"


class InvalidUnit(MaintenanceFundRuleBroken):
    """A unit with a malformed id, kind, building, stairwell or owner."""

    type_slug = "invalid-unit"


class InvalidFloorArea(MaintenanceFundRuleBroken):
    """A floor area is > 0 m² with at most two decimals."""

    type_slug = "invalid-floor-area"


class UnitNotFound(NotFound):
    type_slug = "unit-not-found"


class UnitAlreadyRegistered(MaintenanceFundRuleBroken):
    type_slug = "unit-already-registered"


class UnitInAnotherFund(MaintenanceFundRuleBroken):
    """A unit belongs to one fund (165号令 Art. 10: one sub-ledger per unit)."""

    type_slug = "unit-in-another-fund"


class HouseholdAlreadyHasUnit(MaintenanceFundRuleBroken):
    """A household's flat (or a shop-front of the register) is one unit, in one fund."""

    type_slug = "household-already-has-unit"


class OwnerKindMismatch(MaintenanceFundRuleBroken):
    """One owner id is one kind of owner (person, developer or collective) throughout a fund."""

    type_slug = "owner-kind-mismatch"


class UnitClosed(MaintenanceFundRuleBroken):
    """A demolished unit's sub-ledger is closed (165号令 Art. 29)."""

    type_slug = "unit-closed"


class FirstDepositAlreadyRecorded(MaintenanceFundRuleBroken):
    type_slug = "first-deposit-already-recorded"


# --- money in ---------------------------------------------------------------------------------
class InvalidContribution(MaintenanceFundRuleBroken):
    """A contribution without a known source, a target or an amount > 0."""

    type_slug = "invalid-contribution"


class NoUnitsInTarget(MaintenanceFundRuleBroken):
    """A pooled contribution, works or vote names a building or stairwell with no open unit."""

    type_slug = "no-units-in-target"


class InvalidLandQuotaTrade(MaintenanceFundRuleBroken):
    """A land-quota share needs the trade amount > 0 and a retained ratio in (0, 100] %."""

    type_slug = "invalid-land-quota-trade"


class CollectiveBookNotEligible(MaintenanceFundRuleBroken):
    """Community public income comes from the community's own collective book (DOMAIN.md §6 source 5)."""

    type_slug = "collective-book-not-eligible"


class RaisingNeedsVote(MaintenanceFundRuleBroken):
    """Owners' instalments raised from a group of units are a raising plan: ≥ 3/4 of both (民法典 Art. 278)."""

    type_slug = "raising-plan-needs-vote"


class MovementOutOfDateOrder(MaintenanceFundRuleBroken):
    """Sub-ledger movements are recorded in date order, so every rule reads the balance of its date."""

    type_slug = "movement-out-of-date-order"


class MovementInAllocatedInterestPeriod(MaintenanceFundRuleBroken):
    """Once a period's interest is allocated, no sub-ledger movement may be dated inside it."""

    type_slug = "movement-in-allocated-interest-period"


class InvalidInterestAllocation(MaintenanceFundRuleBroken):
    """An interest period runs forward from after the last one, covers every movement, and has a total > 0."""

    type_slug = "invalid-interest-allocation"


class NoBalanceToAllocate(MaintenanceFundRuleBroken):
    """Interest is allocated on balances; with none, there is no basis."""

    type_slug = "no-balance-to-allocate-interest"


# --- works, votes and uses ----------------------------------------------------------------------
class WorksNotFound(NotFound):
    type_slug = "works-not-found"


class WorksAlreadyExists(MaintenanceFundRuleBroken):
    type_slug = "works-already-exists"


class InvalidWorks(MaintenanceFundRuleBroken):
    """Works without a title, common parts, contractor, scope or cost > 0."""

    type_slug = "invalid-works"


class ExcludedUse(MaintenanceFundRuleBroken):
    """165号令 Art. 25: developer warranty work, utility-owned equipment, damage caused by a person and
    the property company's contractual maintenance are not paid from the fund."""

    type_slug = "excluded-use"


class InvalidVote(MaintenanceFundRuleBroken):
    """A vote with an unknown answer, an owner answering twice, or no ballots."""

    type_slug = "invalid-vote"


class OwnerNotAffected(MaintenanceFundRuleBroken):
    """The vote is counted among the owners of the affected units only (民法典 Art. 278; DOMAIN.md §6)."""

    type_slug = "owner-not-affected"


class UseWithoutPassingVote(MaintenanceFundRuleBroken):
    """A use without a vote that passes (or an emergency reason) is rejected (DOMAIN.md §6)."""

    type_slug = "use-without-passing-vote"


class InvalidEmergency(MaintenanceFundRuleBroken):
    """Emergency use is for the dangers of 165号令 Art. 24 and names its authorising body."""

    type_slug = "invalid-emergency"


class WorksAlreadyUsed(MaintenanceFundRuleBroken):
    type_slug = "works-already-used"


class WorksNotUsed(MaintenanceFundRuleBroken):
    """A contractor is paid only for works whose use (and cost) was approved."""

    type_slug = "works-not-used"


class PaymentAboveApprovedCost(MaintenanceFundRuleBroken):
    """Payments to the contractor never add up to more than the approved cost."""

    type_slug = "payment-above-approved-cost"


class PaymentAboveReceivable(MaintenanceFundRuleBroken):
    """An owner's payment of a shortfall is at most what they owe."""

    type_slug = "payment-above-receivable"


class InvalidTransfer(MaintenanceFundRuleBroken):
    """A transfer on sale names a new owner other than the current one, dated in order."""

    type_slug = "invalid-transfer"


class InvalidDate(MaintenanceFundRuleBroken):
    """A date before the fund opened, or not a calendar date."""

    type_slug = "invalid-date"
