"""Every rule error of a collective-economy organisation (DOMAIN.md §3), in one place.

Each class names the broken rule; ``type_slug`` is its stable ``type`` on the wire
(``https://anju.example/problems/<slug>``). Rule errors are ``ValueError``s (422
unless the API registers them as conflicts); ``OrganisationNotFound`` is a
``NotFound`` (404). A few rules keep the base's slug ``collective-rule-broken``
because that is what clients have always received for them.
"""

from __future__ import annotations

from domain.rule_errors import RuleBroken
from ledger.writer import NotFound


class CollectiveRuleBroken(RuleBroken, slug="collective-rule-broken"):
    """A rule of DOMAIN.md §3 is broken; a subclass names its slug in its header (``domain.rule_errors``)."""


# --- the organisation and its book ------------------------------------------------------
class OrganisationNotFound(NotFound, slug="organisation-not-found"):
    """No collective organisation is registered on the book."""


class OrganisationAlreadyRegistered(CollectiveRuleBroken, slug="organisation-already-registered"):
    """One organisation per book (and the book's code names the organisation)."""


class InvalidOrganisation(CollectiveRuleBroken, slug="invalid-organisation"):
    """A registration with a missing or malformed name, charter or code."""


class CharterRequired(CollectiveRuleBroken, slug="collective-rule-broken"):
    """An organisation registers with its charter (the wire type stays ``collective-rule-broken``)."""


class InvalidCreditCode(CollectiveRuleBroken, slug="invalid-credit-code"):
    """Not an 18-character unified social credit code with a valid check character."""


class UnsupportedShareManagement(CollectiveRuleBroken, slug="unsupported-share-management"):
    """Only static share management (生不增、死不减) is supported."""


class InvalidReserveRate(CollectiveRuleBroken, slug="invalid-reserve-rate"):
    """The charter's 公积公益金 rate is missing, a float, or outside 0–100 %."""


class BookNotCollective(CollectiveRuleBroken, slug="book-not-collective"):
    """An adopted book must be a collective's book on the 2023 chart, in the same community."""


class InvalidWireId(CollectiveRuleBroken, slug="invalid-id"):
    """Member, household and project ids: 1–40 letters, digits, '_', '.', '-'."""


class EmptyBatch(CollectiveRuleBroken, slug="invalid-batch"):
    """A batch without any item, or above its limit."""


# --- resolutions (Art. 27) ------------------------------------------------------------------
class InconsistentResolution(CollectiveRuleBroken, slug="inconsistent-resolution"):
    """The recorded counts contradict each other (e.g. more in favour than present)."""


class QuorumNotMet(CollectiveRuleBroken, slug="quorum-not-met"):
    """Fewer than 2/3 of the members with full civil capacity took part (Art. 27)."""


class ResolutionNotPassed(CollectiveRuleBroken, slug="resolution-not-passed"):
    """Fewer than 2/3 of all members voted in favour (Art. 27)."""


# --- identity numbers -----------------------------------------------------------------------
class InvalidIdentityNumber(CollectiveRuleBroken, slug="invalid-identity-number"):
    """Not an 18-character resident identity number with a valid check character."""


class IdentityKeyTooShort(CollectiveRuleBroken, slug="identity-key-too-short"):
    """The secret key for identity hashes is missing, not bytes, or too short."""


# --- members (Arts. 11–18) ------------------------------------------------------------------
class InvalidMemberId(CollectiveRuleBroken, slug="invalid-member-id"):
    """A member id that is empty, too long or padded with whitespace."""


class InvalidMemberDetails(CollectiveRuleBroken, slug="invalid-member-details"):
    """A member's name or household is missing or too long."""


class MemberAlreadyConfirmed(CollectiveRuleBroken, slug="member-already-confirmed"):
    """The person (same identity hash) or the member id is already a current member."""


class RejoinAfterMembershipEnded(CollectiveRuleBroken, slug="rejoin-after-membership-ended"):
    """The person's membership has ended; they are not confirmed a second time."""


class EndReasonRequired(CollectiveRuleBroken, slug="end-reason-required"):
    """A membership end without one of the reasons of Arts. 11–18."""


class UnknownMember(CollectiveRuleBroken, slug="unknown-member"):
    """No member with this id in the register."""


class MembershipAlreadyEnded(CollectiveRuleBroken, slug="membership-already-ended"):
    """The membership has already ended (or the member is not current)."""


class EndBeforeConfirmation(CollectiveRuleBroken, slug="end-before-confirmation"):
    """A membership cannot end before the day it was confirmed."""


class IdentityNotProtected(CollectiveRuleBroken, slug="collective-rule-broken"):
    """A member's identity is kept only as a ``ProtectedIdentity`` (wire type ``collective-rule-broken``)."""


# --- shares (Art. 40) -----------------------------------------------------------------------
class InvalidShareUnits(CollectiveRuleBroken, slug="invalid-share-units"):
    """Units that are not a Decimal/int > 0 with at most four places (floats refused)."""


class HolderNotMember(CollectiveRuleBroken, slug="holder-not-member"):
    """A quantification plan gives shares to someone who is not a current member."""


class EmptyQuantification(CollectiveRuleBroken, slug="empty-quantification"):
    """A quantification plan that gives no member any shares."""


class InsufficientShares(CollectiveRuleBroken, slug="insufficient-shares"):
    """The holder holds fewer units than are to be moved or redeemed."""


class TransferOutsideOrganisation(CollectiveRuleBroken, slug="transfer-outside-organisation"):
    """Shares may be transferred only to a current member of the organisation."""


class TransferToSelf(CollectiveRuleBroken, slug="transfer-to-self"):
    """A transfer whose transferor and transferee are the same member."""


class HolderNotDeceased(CollectiveRuleBroken, slug="holder-not-deceased"):
    """Inheritance from a holder whose membership has not ended by death."""


class HeirNotMember(CollectiveRuleBroken, slug="heir-not-member"):
    """The heir is not a current member; the organisation redeems instead."""


class SharesAlreadyQuantified(CollectiveRuleBroken, slug="shares-already-quantified"):
    """Static management: the quantification plan is adopted once (生不增、死不减)."""


class SharesNotQuantified(CollectiveRuleBroken, slug="shares-not-quantified"):
    """Share changes and distributions need the quantification plan first."""


class NoCollectiveShareClass(CollectiveRuleBroken, slug="collective-rule-broken"):
    """Units for 集体股 where the charter has none (wire type ``collective-rule-broken``)."""


class ShareChangeDateTooEarly(CollectiveRuleBroken, slug="share-change-date-too-early"):
    """A share change dated before the register's last change or a distribution's record date."""


# --- year end and distribution (Art. 42) ------------------------------------------------------
class InvalidYear(CollectiveRuleBroken, slug="invalid-year"):
    """A year outside the range a community ledger can hold."""


class YearBeforeBook(CollectiveRuleBroken, slug="collective-rule-broken"):
    """A year that ends before the book starts (wire type ``collective-rule-broken``)."""


class YearAlreadyClosed(CollectiveRuleBroken, slug="year-already-closed"):
    ...


class PreviousYearNotClosed(CollectiveRuleBroken, slug="previous-year-not-closed"):
    ...


class YearNotClosed(CollectiveRuleBroken, slug="year-not-closed"):
    ...


class DistributionAlreadyAdopted(CollectiveRuleBroken, slug="distribution-already-adopted"):
    """One distribution per organisation-year; a second needs the first reversed."""


class DistributionExceedsDistributable(CollectiveRuleBroken, slug="distribution-exceeds-distributable"):
    """The declared amount is above what is distributable to members."""


class NoShareUnits(CollectiveRuleBroken, slug="no-share-units"):
    """An amount is declared but no member or collective class holds shares."""


class NoDistribution(CollectiveRuleBroken, slug="no-distribution"):
    """No distribution in force for the year."""


class InvalidRecordDate(CollectiveRuleBroken, slug="invalid-record-date"):
    """The record date (股权登记日) lies outside the year or before the shares were quantified."""


class DistributionAlreadyReversed(CollectiveRuleBroken, slug="distribution-already-reversed"):
    ...


class DividendsAlreadyPaid(CollectiveRuleBroken, slug="dividends-already-paid"):
    """A distribution with dividends paid is not reversed; reverse the payments first."""


# --- dividend payments ------------------------------------------------------------------------
class PaymentExceedsOwed(CollectiveRuleBroken, slug="payment-exceeds-owed"):
    """A dividend payment above what is still owed to the member for that year."""


class NoDividendDeclared(CollectiveRuleBroken, slug="no-dividend-declared"):
    """The member has no dividend line in the year's distribution."""


class InvalidPaymentAccount(CollectiveRuleBroken, slug="collective-rule-broken"):
    """Dividends are paid from 101 or 102 (wire type ``collective-rule-broken``)."""


class PaymentNotPositive(CollectiveRuleBroken, slug="collective-rule-broken"):
    """Each payment in a batch is more than zero (wire type ``collective-rule-broken``)."""


class PaymentBeforeDistribution(CollectiveRuleBroken, slug="collective-rule-broken"):
    """Dividends are paid on or after the distribution's voucher date (wire type ``collective-rule-broken``)."""


# --- pooled asset-income projects ---------------------------------------------------------------
class ProjectAlreadyRegistered(CollectiveRuleBroken, slug="project-already-registered"):
    ...


class UnknownHousehold(CollectiveRuleBroken, slug="unknown-household"):
    """A project participant that is no household of the organisation's members."""


class InvalidProject(CollectiveRuleBroken, slug="invalid-project"):
    ...


class InvalidProjectUnits(CollectiveRuleBroken, slug="invalid-project-units"):
    """Project units that are not whole numbers > 0, or no households at all."""
