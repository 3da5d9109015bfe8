"""Every rule error of a collective-economy organisation (DOMAIN.md §3), in one place.

Each class names the broken rule; ``type_slug`` is its stable ``type`` on the wire
(``https://anju.example/problems/<slug>``). Rule errors are ``ValueError``s (422
unless the API registers them as conflicts); ``OrganisationNotFound`` is a
``NotFound`` (404). A few rules keep the base's slug ``collective-rule-broken``
because that is what clients have always received for them.
"""

from __future__ import annotations

from ledger.writer import NotFound


class CollectiveRuleBroken(ValueError):
    """A rule of DOMAIN.md §3 is broken; ``type_slug`` names it for API problems."""

    type_slug = "collective-rule-broken"


# --- the organisation and its book ------------------------------------------------------
class OrganisationNotFound(NotFound):
    type_slug = "organisation-not-found"


class OrganisationAlreadyRegistered(CollectiveRuleBroken):
    """One organisation per book (and the book's code names the organisation)."""

    type_slug = "organisation-already-registered"


class InvalidOrganisation(CollectiveRuleBroken):
    """A registration with a missing or malformed name, charter or code."""

    type_slug = "invalid-organisation"


class CharterRequired(CollectiveRuleBroken):
    """An organisation registers with its charter (the wire type stays ``collective-rule-broken``)."""


class InvalidCreditCode(CollectiveRuleBroken):
    """Not an 18-character unified social credit code with a valid check character."""

    type_slug = "invalid-credit-code"


class UnsupportedShareManagement(CollectiveRuleBroken):
    """Only static share management (生不增、死不减) is supported."""

    type_slug = "unsupported-share-management"


class InvalidReserveRate(CollectiveRuleBroken):
    """The charter's 公积公益金 rate is missing, a float, or outside 0–100 %."""

    type_slug = "invalid-reserve-rate"


class BookNotCollective(CollectiveRuleBroken):
    """An adopted book must be a collective's book on the 2023 chart, in the same community."""

    type_slug = "book-not-collective"


class InvalidWireId(CollectiveRuleBroken):
    """Member, household and project ids: 1–40 letters, digits, '_', '.', '-'."""

    type_slug = "invalid-id"


class EmptyBatch(CollectiveRuleBroken):
    """A batch without any item, or above its limit."""

    type_slug = "invalid-batch"


# --- resolutions (Art. 27) ------------------------------------------------------------------
class InconsistentResolution(CollectiveRuleBroken):
    """The recorded counts contradict each other (e.g. more in favour than present)."""

    type_slug = "inconsistent-resolution"


class QuorumNotMet(CollectiveRuleBroken):
    """Fewer than 2/3 of the members with full civil capacity took part (Art. 27)."""

    type_slug = "quorum-not-met"


class ResolutionNotPassed(CollectiveRuleBroken):
    """Fewer than 2/3 of all members voted in favour (Art. 27)."""

    type_slug = "resolution-not-passed"


# --- identity numbers -----------------------------------------------------------------------
class InvalidIdentityNumber(CollectiveRuleBroken):
    """Not an 18-character resident identity number with a valid check character."""

    type_slug = "invalid-identity-number"


class IdentityKeyTooShort(CollectiveRuleBroken):
    """The secret key for identity hashes is missing, not bytes, or too short."""

    type_slug = "identity-key-too-short"


# --- members (Arts. 11–18) ------------------------------------------------------------------
class InvalidMemberId(CollectiveRuleBroken):
    """A member id that is empty, too long or padded with whitespace."""

    type_slug = "invalid-member-id"


class InvalidMemberDetails(CollectiveRuleBroken):
    """A member's name or household is missing or too long."""

    type_slug = "invalid-member-details"


class MemberAlreadyConfirmed(CollectiveRuleBroken):
    """The person (same identity hash) or the member id is already a current member."""

    type_slug = "member-already-confirmed"


class RejoinAfterMembershipEnded(CollectiveRuleBroken):
    """The person's membership has ended; they are not confirmed a second time."""

    type_slug = "rejoin-after-membership-ended"


class EndReasonRequired(CollectiveRuleBroken):
    """A membership end without one of the reasons of Arts. 11–18."""

    type_slug = "end-reason-required"


class UnknownMember(CollectiveRuleBroken):
    """No member with this id in the register."""

    type_slug = "unknown-member"


class MembershipAlreadyEnded(CollectiveRuleBroken):
    """The membership has already ended (or the member is not current)."""

    type_slug = "membership-already-ended"


class EndBeforeConfirmation(CollectiveRuleBroken):
    """A membership cannot end before the day it was confirmed."""

    type_slug = "end-before-confirmation"


class IdentityNotProtected(CollectiveRuleBroken):
    """A member's identity is kept only as a ``ProtectedIdentity`` (wire type ``collective-rule-broken``)."""


# --- shares (Art. 40) -----------------------------------------------------------------------
class InvalidShareUnits(CollectiveRuleBroken):
    """Units that are not a Decimal/int > 0 with at most four places (floats refused)."""

    type_slug = "invalid-share-units"


class HolderNotMember(CollectiveRuleBroken):
    """A quantification plan gives shares to someone who is not a current member."""

    type_slug = "holder-not-member"


class EmptyQuantification(CollectiveRuleBroken):
    """A quantification plan that gives no member any shares."""

    type_slug = "empty-quantification"


class InsufficientShares(CollectiveRuleBroken):
    """The holder holds fewer units than are to be moved or redeemed."""

    type_slug = "insufficient-shares"


class TransferOutsideOrganisation(CollectiveRuleBroken):
    """Shares may be transferred only to a current member of the organisation."""

    type_slug = "transfer-outside-organisation"


class TransferToSelf(CollectiveRuleBroken):
    """A transfer whose transferor and transferee are the same member."""

    type_slug = "transfer-to-self"


class HolderNotDeceased(CollectiveRuleBroken):
    """Inheritance from a holder whose membership has not ended by death."""

    type_slug = "holder-not-deceased"


class HeirNotMember(CollectiveRuleBroken):
    """The heir is not a current member; the organisation redeems instead."""

    type_slug = "heir-not-member"


class SharesAlreadyQuantified(CollectiveRuleBroken):
    """Static management: the quantification plan is adopted once (生不增、死不减)."""

    type_slug = "shares-already-quantified"


class SharesNotQuantified(CollectiveRuleBroken):
    """Share changes and distributions need the quantification plan first."""

    type_slug = "shares-not-quantified"


class NoCollectiveShareClass(CollectiveRuleBroken):
    """Units for 集体股 where the charter has none (wire type ``collective-rule-broken``)."""


class ShareChangeDateTooEarly(CollectiveRuleBroken):
    """A share change dated before the register's last change or a distribution's record date."""

    type_slug = "share-change-date-too-early"


# --- year end and distribution (Art. 42) ------------------------------------------------------
class InvalidYear(CollectiveRuleBroken):
    """A year outside the range a community ledger can hold."""

    type_slug = "invalid-year"


class YearBeforeBook(CollectiveRuleBroken):
    """A year that ends before the book starts (wire type ``collective-rule-broken``)."""


class YearAlreadyClosed(CollectiveRuleBroken):
    type_slug = "year-already-closed"


class PreviousYearNotClosed(CollectiveRuleBroken):
    type_slug = "previous-year-not-closed"


class YearNotClosed(CollectiveRuleBroken):
    type_slug = "year-not-closed"


class DistributionAlreadyAdopted(CollectiveRuleBroken):
    """One distribution per organisation-year; a second needs the first reversed."""

    type_slug = "distribution-already-adopted"


class DistributionExceedsDistributable(CollectiveRuleBroken):
    """The declared amount is above what is distributable to members."""

    type_slug = "distribution-exceeds-distributable"


class NoShareUnits(CollectiveRuleBroken):
    """An amount is declared but no member or collective class holds shares."""

    type_slug = "no-share-units"


class NoDistribution(CollectiveRuleBroken):
    """No distribution in force for the year."""

    type_slug = "no-distribution"


class InvalidRecordDate(CollectiveRuleBroken):
    """The record date (股权登记日) lies outside the year or before the shares were quantified."""

    type_slug = "invalid-record-date"


class DistributionAlreadyReversed(CollectiveRuleBroken):
    type_slug = "distribution-already-reversed"


class DividendsAlreadyPaid(CollectiveRuleBroken):
    """A distribution with dividends paid is not reversed; reverse the payments first."""

    type_slug = "dividends-already-paid"


# --- dividend payments ------------------------------------------------------------------------
class PaymentExceedsOwed(CollectiveRuleBroken):
    """A dividend payment above what is still owed to the member for that year."""

    type_slug = "payment-exceeds-owed"


class NoDividendDeclared(CollectiveRuleBroken):
    """The member has no dividend line in the year's distribution."""

    type_slug = "no-dividend-declared"


class InvalidPaymentAccount(CollectiveRuleBroken):
    """Dividends are paid from 101 or 102 (wire type ``collective-rule-broken``)."""


class PaymentNotPositive(CollectiveRuleBroken):
    """Each payment in a batch is more than zero (wire type ``collective-rule-broken``)."""


class PaymentBeforeDistribution(CollectiveRuleBroken):
    """Dividends are paid on or after the distribution's voucher date (wire type ``collective-rule-broken``)."""


# --- pooled asset-income projects ---------------------------------------------------------------
class ProjectAlreadyRegistered(CollectiveRuleBroken):
    type_slug = "project-already-registered"


class UnknownHousehold(CollectiveRuleBroken):
    """A project participant that is no household of the organisation's members."""

    type_slug = "unknown-household"


class InvalidProject(CollectiveRuleBroken):
    type_slug = "invalid-project"


class InvalidProjectUnits(CollectiveRuleBroken):
    """Project units that are not whole numbers > 0, or no households at all."""

    type_slug = "invalid-project-units"
