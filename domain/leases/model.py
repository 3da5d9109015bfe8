"""Aggregates of shop-front leasing: the register, tenants' accounts and leases.

Source: DOMAIN.md §4; 民法典 Arts. 703–734. Three aggregates, each keyed by a natural
code inside the collective's book that receives the rent:

* ``ShopFront``: one unit of the register, its dated rights holders (三权分置) and
  the leases that occupy it (at most one at a time);
* ``Tenant``: the tenant and their account — invoices, receipts settled oldest first,
  a credit (advance) balance, late-fee runs;
* ``Lease``: the agreed terms, the months billed, termination, renewal and the deposit.

Command methods check their rules first, then trigger one event whose body only
mutates state. The pure arithmetic lives in ``terms``, ``collection`` and ``rights``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.leases.collection import (
    OpenInvoice,
    Settlement,
    SettlementLine,
    late_fee,
    settle_oldest_first,
)
from domain.leases.rights import RightsHolders
from domain.leases.terms import BillingFrequency, LeaseRuleBroken, LeaseTerms
from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE
from ledger.money import ZERO
from ledger.values import value_type
from ledger.writer import NotFound

# The pure value types of the rule modules travel inside events: register them.
value_type("anju.leases.BillingFrequency")(BillingFrequency)
value_type("anju.leases.LeaseTerms")(LeaseTerms)
value_type("anju.leases.RightsHolders")(RightsHolders)
value_type("anju.leases.SettlementLine")(SettlementLine)

#: Art. 734 gives the sitting tenant a priority right "on expiry"; DOMAIN.md is silent on
#: how long it lasts. Held open this long after expiry unless the tenant declines first.
RENEWAL_PRIORITY_DAYS = 180
TENANT_KINDS = ("person", "business")


def shop_front_id(book_code: str, unit_number: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"leases/{book_code}/shop-front/{unit_number}")


def tenant_id(book_code: str, tenant_code: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"leases/{book_code}/tenant/{tenant_code}")


def lease_id(book_code: str, lease_code: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"leases/{book_code}/lease/{lease_code}")


# --- errors: each names the broken rule ---------------------------------------------


class ShopFrontNotFound(NotFound):
    type_slug = "shop-front-not-found"


class TenantNotFound(NotFound):
    type_slug = "tenant-not-found"


class LeaseNotFound(NotFound):
    type_slug = "lease-not-found"


class ShopFrontAlreadyRegistered(LeaseRuleBroken):
    type_slug = "shop-front-already-registered"


class TenantAlreadyRegistered(LeaseRuleBroken):
    type_slug = "tenant-already-registered"


class LeaseAlreadyExists(LeaseRuleBroken):
    type_slug = "lease-already-exists"


class InvalidTenant(LeaseRuleBroken):
    type_slug = "tenant-invalid"


class RightsChangeOutOfOrder(LeaseRuleBroken):
    """A rights change dated on or before the latest one: history is not rewritten."""

    type_slug = "shop-front-rights-change-out-of-order"


class OverlappingLease(LeaseRuleBroken):
    """A shop-front has at most one active lease at a time (DOMAIN.md §4 Lease)."""

    type_slug = "lease-overlaps-active-lease"


class SittingTenantHasPriority(LeaseRuleBroken):
    """Another tenant's lease while the sitting tenant's priority to renew holds (Art. 734)."""

    type_slug = "sitting-tenant-has-priority"


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


class ReceiptAmountInvalid(LeaseRuleBroken):
    type_slug = "lease-receipt-amount-invalid"


# --- values carried by events -------------------------------------------------------


@value_type("anju.leases.RightsChange")
@dataclass(frozen=True)
class RightsChange:
    """The rights holders in force from a date, and the collective's share of the income."""

    effective_on: date
    holders: RightsHolders
    collective_share_percent: Decimal | None = None


@value_type("anju.leases.InvoiceKind")
class InvoiceKind(Enum):
    RENT = "rent"
    LATE_FEE = "late_fee"


@value_type("anju.leases.Invoice")
@dataclass(frozen=True)
class Invoice:
    """An amount billed to a tenant, due on ``due_on`` (in advance: the period's first day)."""

    invoice_number: str
    kind: InvoiceKind
    lease_code: str
    issued_on: date
    due_on: date
    amount: Decimal
    period_start: date | None = None
    period_end: date | None = None
    voucher_number: str = ""


@value_type("anju.leases.IncomeShare")
@dataclass(frozen=True)
class IncomeShare:
    """Part of recognised rent: ``party`` "" is the collective (501.01), others are owed (211)."""

    party: str
    amount: Decimal


@value_type("anju.leases.MonthBilling")
@dataclass(frozen=True)
class MonthBilling:
    """What billing one calendar month of a lease produced."""

    month: str
    voucher_date: date
    invoice: Invoice | None
    recognised: Decimal
    income_shares: tuple[IncomeShare, ...]
    voucher_number: str = ""


@value_type("anju.leases.MonthCredit")
@dataclass(frozen=True)
class MonthCredit:
    """On early termination: how much of a billed month's invoice and income is taken back."""

    month: str
    invoice_number: str
    invoice_reduction: Decimal
    recognised_reduction: Decimal
    income_shares: tuple[IncomeShare, ...]


# --- ShopFront --------------------------------------------------------------------


@dataclass
class Occupancy:
    """A lease on a shop-front: its tenant and days (state only, never stored)."""

    lease_code: str
    tenant_code: str
    start_on: date
    end_on: date
    ended_early: bool = False
    renewal_declined: bool = False


class ShopFront(Aggregate):
    """One shop-front of the register (DOMAIN.md §4 Shop-front register)."""

    @staticmethod
    def create_id(book_code: str, unit_number: str) -> UUID:  # type: ignore[override]
        return shop_front_id(book_code, unit_number)

    @event("Registered")
    def __init__(self, audit: Audit, book_code: str, unit_number: str, location: str, floor_area_m2: Decimal,
                 rights: RightsChange) -> None:
        self.book_code = book_code
        self.unit_number = unit_number
        self.location = location
        self.floor_area_m2 = floor_area_m2
        self.rights: list[RightsChange] = [rights]
        self.occupancies: list[Occupancy] = []

    # rules
    def rights_on(self, day: date) -> RightsChange:
        """The rights in force on ``day``; before the first dated change, the first one."""
        in_force = [change for change in self.rights if change.effective_on <= day]
        return in_force[-1] if in_force else self.rights[0]

    def check_rights_change_in_order(self, effective_on: date) -> None:
        """Rights changes are dated events appended in date order; history is never rewritten."""
        latest = self.rights[-1].effective_on
        if effective_on <= latest:
            raise RightsChangeOutOfOrder(f"{self.unit_number}: a change must be dated after {latest}")

    def check_no_overlapping_lease(self, start_on: date, end_on: date) -> None:
        """One shop-front has at most one active lease at a time. DOMAIN.md §4 Lease."""
        for other in self.occupancies:
            if start_on <= other.end_on and other.start_on <= end_on:
                raise OverlappingLease(
                    f"shop-front {self.unit_number} is leased under {other.lease_code} "
                    f"from {other.start_on} to {other.end_on}")

    def check_sitting_tenant_priority(self, tenant_code: str, start_on: date) -> None:
        """On expiry the sitting tenant may renew first, on equal terms. DOMAIN.md §4; 民法典 Art. 734.

        The latest lease before ``start_on`` that ran to its end (not terminated early)
        blocks another tenant's lease starting within ``RENEWAL_PRIORITY_DAYS`` of its
        expiry, unless the sitting tenant declined to renew.
        """
        earlier = [o for o in self.occupancies if o.end_on < start_on]
        if not earlier:
            return
        sitting = max(earlier, key=lambda o: o.end_on)
        if sitting.ended_early or sitting.renewal_declined or sitting.tenant_code == tenant_code:
            return
        if (start_on - sitting.end_on).days <= RENEWAL_PRIORITY_DAYS:
            raise SittingTenantHasPriority(
                f"{sitting.tenant_code}'s lease {sitting.lease_code} of {self.unit_number} expires on "
                f"{sitting.end_on}; the sitting tenant has priority to renew unless they decline")

    # commands
    def change_rights(self, audit: Audit, change: RightsChange) -> None:
        self.check_rights_change_in_order(change.effective_on)
        self._rights_changed(audit=audit, change=change)

    @event("RightsChanged")
    def _rights_changed(self, audit: Audit, change: RightsChange) -> None:
        self.rights.append(change)

    def attach_lease(self, audit: Audit, lease_code: str, tenant_code: str, start_on: date, end_on: date) -> None:
        self.check_no_overlapping_lease(start_on, end_on)
        self.check_sitting_tenant_priority(tenant_code, start_on)
        self._lease_attached(audit=audit, lease_code=lease_code, tenant_code=tenant_code, start_on=start_on,
                             end_on=end_on)

    @event("LeaseAttached")
    def _lease_attached(self, audit: Audit, lease_code: str, tenant_code: str, start_on: date, end_on: date) -> None:
        self.occupancies.append(Occupancy(lease_code, tenant_code, start_on, end_on))

    def end_lease_early(self, audit: Audit, lease_code: str, ended_on: date) -> None:
        self._lease_ended_early(audit=audit, lease_code=lease_code, ended_on=ended_on)

    @event("LeaseEndedEarly")
    def _lease_ended_early(self, audit: Audit, lease_code: str, ended_on: date) -> None:
        for occupancy in self.occupancies:
            if occupancy.lease_code == lease_code:
                occupancy.end_on = ended_on
                occupancy.ended_early = True

    def decline_renewal(self, audit: Audit, lease_code: str) -> None:
        self._renewal_declined(audit=audit, lease_code=lease_code)

    @event("RenewalDeclined")
    def _renewal_declined(self, audit: Audit, lease_code: str) -> None:
        for occupancy in self.occupancies:
            if occupancy.lease_code == lease_code:
                occupancy.renewal_declined = True


# --- Tenant -----------------------------------------------------------------------


@dataclass
class InvoiceAccount:
    """An invoice and what settled it so far (state only)."""

    invoice: Invoice
    settlements: list[tuple[date, Decimal]] = field(default_factory=list)

    @property
    def amount_settled(self) -> Decimal:
        return sum((amount for _, amount in self.settlements), ZERO)

    @property
    def amount_open(self) -> Decimal:
        return self.invoice.amount - self.amount_settled


@value_type("anju.leases.Receipt")
@dataclass(frozen=True)
class Receipt:
    receipt_number: str
    received_on: date
    amount: Decimal
    reference: str
    voucher_number: str = ""


@value_type("anju.leases.InvoiceAmount")
@dataclass(frozen=True)
class InvoiceAmount:
    """An amount against one invoice: a late fee on it, or a reduction of it."""

    invoice_number: str
    amount: Decimal


class Tenant(Aggregate):
    """A tenant (person or business) and their account with the collective."""

    @staticmethod
    def create_id(book_code: str, tenant_code: str) -> UUID:  # type: ignore[override]
        return tenant_id(book_code, tenant_code)

    @event("Registered")
    def __init__(self, audit: Audit, book_code: str, tenant_code: str, name: str, kind: str, contact: str) -> None:
        self.book_code = book_code
        self.tenant_code = tenant_code
        self.name = name
        self.kind = kind
        self.contact = contact
        self.accounts: dict[str, InvoiceAccount] = {}
        self.credit = ZERO  # advance receipts held as a liability (211 tenant)
        self.credit_dated: date | None = None
        self.receipts = 0
        self.late_fee_through: dict[str, date] = {}

    @classmethod
    def register(cls, audit: Audit, book_code: str, tenant_code: str, name: str, kind: str, contact: str) -> Tenant:
        check_tenant(name, kind, contact)
        return cls(audit=audit, book_code=book_code, tenant_code=tenant_code, name=name, kind=kind, contact=contact)

    # queries
    def open_invoices(self, on: date) -> list[OpenInvoice]:
        """Invoices issued on or before ``on`` with an amount still open."""
        return [OpenInvoice(a.invoice.invoice_number, a.invoice.due_on, a.amount_open)
                for a in self.accounts.values() if a.amount_open > ZERO and a.invoice.issued_on <= on]

    def amount_open(self, on: date) -> Decimal:
        return sum((item.amount_open for item in self.open_invoices(on)), ZERO)

    def overdue_on(self, day: date) -> Decimal:
        """Open amount of invoices due before ``day`` (settlements after ``day`` not counted)."""
        total = ZERO
        for account in self.accounts.values():
            if account.invoice.due_on < day:
                settled = sum((amount for on, amount in account.settlements if on <= day), ZERO)
                total += account.invoice.amount - settled
        return total

    def credit_to_apply(self, amount: Decimal) -> Decimal:
        """Advance credit used against a new invoice: as much as both allow."""
        return min(self.credit, amount)

    def next_receipt_number(self) -> str:
        return f"{self.tenant_code}-R{self.receipts + 1:04d}"

    def next_late_fee_number(self) -> str:
        runs = sum(1 for a in self.accounts.values() if a.invoice.kind is InvoiceKind.LATE_FEE)
        return f"{self.tenant_code}-LF{runs + 1:04d}"

    # commands
    def issue_invoice(self, audit: Audit, invoice: Invoice) -> Decimal:
        """Record an invoice; any advance credit settles it at once. Returns the credit applied."""
        applied = self.credit_to_apply(invoice.amount)
        applied_on = max(invoice.issued_on, self.credit_dated or invoice.issued_on)
        self._invoice_issued(audit=audit, invoice=invoice, credit_applied=applied, credit_applied_on=applied_on)
        return applied

    @event("InvoiceIssued")
    def _invoice_issued(self, audit: Audit, invoice: Invoice, credit_applied: Decimal, credit_applied_on: date) -> None:
        account = InvoiceAccount(invoice)
        if credit_applied > ZERO:
            account.settlements.append((credit_applied_on, credit_applied))
            self.credit -= credit_applied
        self.accounts[invoice.invoice_number] = account

    def settle_receipt(self, received_on: date, amount: Decimal) -> Settlement:
        """Receipts settle the oldest open invoice first. DOMAIN.md §4 Receipts."""
        return settle_oldest_first(self.open_invoices(received_on), amount)

    def record_receipt(self, audit: Audit, receipt: Receipt, settlement: Settlement) -> None:
        self._receipt_recorded(audit=audit, receipt=receipt, lines=settlement.lines,
                               unapplied=settlement.amount_unapplied)

    @event("ReceiptRecorded")
    def _receipt_recorded(self, audit: Audit, receipt: Receipt, lines: tuple[SettlementLine, ...],
                          unapplied: Decimal) -> None:
        self._settle(receipt.received_on, lines)
        self.receipts += 1
        if unapplied > ZERO:
            self.credit += unapplied
            self.credit_dated = max(self.credit_dated or receipt.received_on, receipt.received_on)

    def apply_deposit(self, audit: Audit, lease_code: str, applied_on: date, settlement: Settlement,
                      voucher_number: str) -> None:
        self._deposit_applied(audit=audit, lease_code=lease_code, applied_on=applied_on, lines=settlement.lines,
                              voucher_number=voucher_number)

    @event("DepositApplied")
    def _deposit_applied(self, audit: Audit, lease_code: str, applied_on: date, lines: tuple[SettlementLine, ...],
                         voucher_number: str) -> None:
        self._settle(applied_on, lines)

    def credit_invoices(self, audit: Audit, lease_code: str, credited_on: date,
                        reductions: tuple[InvoiceAmount, ...], voucher_number: str) -> None:
        """Take back part of invoices (early termination): against their open amount, the rest as credit."""
        lines = []
        to_credit = ZERO
        for reduction in reductions:
            open_amount = self.accounts[reduction.invoice_number].amount_open
            against_open = min(open_amount, reduction.amount)
            if against_open > ZERO:
                lines.append(SettlementLine(reduction.invoice_number, against_open))
            to_credit += reduction.amount - against_open
        self._invoices_credited(audit=audit, lease_code=lease_code, credited_on=credited_on, lines=tuple(lines),
                                to_credit=to_credit, voucher_number=voucher_number)

    def plan_invoice_credit(self, reductions: tuple[InvoiceAmount, ...]) -> tuple[Decimal, Decimal]:
        """(against open invoices, to the tenant's credit) for a set of invoice reductions."""
        against = ZERO
        total = ZERO
        for reduction in reductions:
            against += min(self.accounts[reduction.invoice_number].amount_open, reduction.amount)
            total += reduction.amount
        return against, total - against

    @event("InvoicesCredited")
    def _invoices_credited(self, audit: Audit, lease_code: str, credited_on: date, lines: tuple[SettlementLine, ...],
                           to_credit: Decimal, voucher_number: str) -> None:
        self._settle(credited_on, lines)
        if to_credit > ZERO:
            self.credit += to_credit
            self.credit_dated = max(self.credit_dated or credited_on, credited_on)

    def late_fees(self, as_of: date, daily_rate: Decimal) -> tuple[InvoiceAmount, ...]:
        """Late fee per rent invoice for the days after the last run through ``as_of``. DOMAIN.md §4 Late fee.

        Simple interest: fees are never charged on late-fee invoices themselves.
        """
        lines = []
        for number, account in sorted(self.accounts.items()):
            invoice = account.invoice
            if invoice.kind is not InvoiceKind.RENT or invoice.due_on >= as_of:
                continue
            accrue_from = self.late_fee_through.get(number, invoice.due_on)
            fee = late_fee(invoice.amount, invoice.due_on, account.settlements, accrue_from, as_of, daily_rate)
            if fee > ZERO:
                lines.append(InvoiceAmount(number, fee))
        return tuple(lines)

    def charge_late_fees(self, audit: Audit, as_of: date, daily_rate: Decimal,
                         lines: tuple[InvoiceAmount, ...]) -> None:
        self._late_fees_charged(audit=audit, as_of=as_of, daily_rate=daily_rate, lines=lines)

    @event("LateFeesCharged")
    def _late_fees_charged(self, audit: Audit, as_of: date, daily_rate: Decimal,
                           lines: tuple[InvoiceAmount, ...]) -> None:
        for number, account in self.accounts.items():
            if account.invoice.kind is InvoiceKind.RENT and account.invoice.due_on < as_of:
                self.late_fee_through[number] = max(self.late_fee_through.get(number, as_of), as_of)

    def _settle(self, on: date, lines: tuple[SettlementLine, ...]) -> None:
        for line in lines:
            self.accounts[line.invoice_number].settlements.append((on, line.amount_applied))


def check_tenant(name: str, kind: str, contact: str) -> None:
    """A tenant is a person or a business, named, with a contact. DOMAIN.md §4 Lease."""
    if not name.strip() or len(name) > 100:
        raise InvalidTenant("a tenant needs a name of at most 100 characters")
    if kind not in TENANT_KINDS:
        raise InvalidTenant(f"tenant kind must be one of {', '.join(TENANT_KINDS)}")
    if not contact.strip() or len(contact) > 200:
        raise InvalidTenant("a tenant needs a contact (phone or address) of at most 200 characters")


# --- Lease ------------------------------------------------------------------------


@value_type("anju.leases.TerminationGrounds")
class TerminationGrounds(Enum):
    AGREEMENT = "agreement"  # 协商解除
    NON_PAYMENT = "non_payment"  # 承租人无正当理由未支付租金，经催告仍未支付 (Art. 722)


class Lease(Aggregate):
    """A lease of one or more shop-fronts to a tenant (DOMAIN.md §4 Lease; 民法典 Arts. 703–734)."""

    @staticmethod
    def create_id(book_code: str, lease_code: str) -> UUID:  # type: ignore[override]
        return lease_id(book_code, lease_code)

    @event("Signed")
    def __init__(self, audit: Audit, book_code: str, lease_code: str, tenant_code: str,
                 unit_numbers: tuple[str, ...], terms: LeaseTerms, billing_from: date, renews: str | None) -> None:
        self.book_code = book_code
        self.lease_code = lease_code
        self.tenant_code = tenant_code
        self.unit_numbers = unit_numbers
        self.terms = terms
        self.billing_from = billing_from
        self.renews = renews
        self.renewed_by: str | None = None
        self.renewal_declined = False
        self.terminated_on: date | None = None
        self.billed: dict[str, MonthBilling] = {}
        self.deposit_received = ZERO
        self.deposit_refunded = ZERO
        self.deposit_applied = ZERO

    @classmethod
    def sign(cls, audit: Audit, book_code: str, lease_code: str, tenant_code: str, unit_numbers: tuple[str, ...],
             terms: LeaseTerms, billing_from: date | None, renews: str | None = None) -> Lease:
        first_billed_on = billing_from or terms.start_on
        check_billing_start(terms, first_billed_on)
        return cls(audit=audit, book_code=book_code, lease_code=lease_code, tenant_code=tenant_code,
                   unit_numbers=unit_numbers, terms=terms, billing_from=first_billed_on, renews=renews)

    # --- queries --------------------------------------------------------------------
    @property
    def last_day(self) -> date:
        """The last day rent accrues: the termination date, else the end of the term."""
        return self.terminated_on or self.terms.end_on

    def in_force_on(self, day: date) -> bool:
        return self.terms.start_on <= day <= self.last_day

    @property
    def deposit_held(self) -> Decimal:
        return self.deposit_received - self.deposit_refunded - self.deposit_applied

    @property
    def deferred_balance(self) -> Decimal:
        """Invoiced but not yet earned (211 deferred): advance billing recognised over its months."""
        invoiced = sum((b.invoice.amount for b in self.billed.values() if b.invoice), ZERO)
        return invoiced - sum((b.recognised for b in self.billed.values()), ZERO)

    # --- rules ----------------------------------------------------------------------
    def check_month_billable(self, month: str) -> None:
        """Months after termination (or expiry) and before the first billed day are not billed."""
        first_day = month_first_day(month)
        if first_day > self.last_day:
            if self.terminated_on is not None:
                raise BillingAfterTermination(
                    f"lease {self.lease_code} was terminated on {self.terminated_on}; {month} cannot be billed")
            raise BillingAfterTermination(f"lease {self.lease_code} expired on {self.terms.end_on}; "
                                          f"{month} cannot be billed")
        if month_last_day(month) < self.billing_from:
            raise BillingBeforeStart(f"lease {self.lease_code} is billed from {self.billing_from}, not in {month}")

    def check_not_terminated(self) -> None:
        if self.terminated_on is not None:
            raise LeaseAlreadyTerminated(f"lease {self.lease_code} was terminated on {self.terminated_on}")

    def check_termination_in_term(self, terminated_on: date) -> None:
        """Early termination falls inside the term and not before the first billed day."""
        if not max(self.terms.start_on, self.billing_from - timedelta(days=1)) <= terminated_on < self.terms.end_on:
            raise TerminationOutsideTerm(
                f"an early termination of {self.lease_code} falls from {self.billing_from - timedelta(days=1)} "
                f"to the day before its end {self.terms.end_on}, not on {terminated_on}")

    def check_deposit_receivable(self, amount: Decimal) -> None:
        if self.deposit_received + amount > self.terms.deposit:
            raise DepositExceedsAgreed(f"lease {self.lease_code} agreed a deposit of {self.terms.deposit}; "
                                       f"{self.deposit_received} was received already")

    def check_deposit_settles_at_termination(self, on: date) -> None:
        """The deposit is refunded or applied to arrears on termination or expiry. DOMAIN.md §4 Termination."""
        if on <= self.last_day and self.terminated_on is None:
            raise DepositSettlesAtTermination(
                f"lease {self.lease_code} runs to {self.last_day}; its deposit settles on termination or expiry")

    def check_deposit_held(self) -> None:
        if self.deposit_held > ZERO:
            return
        if self.deposit_refunded > ZERO:
            raise DepositAlreadyRefunded(f"the deposit of lease {self.lease_code} was already refunded")
        raise DepositNotHeld(f"no deposit of lease {self.lease_code} is held")

    def check_renewable(self) -> None:
        if self.terminated_on is not None:
            raise RenewalNotAllowed(f"lease {self.lease_code} was terminated early; there is nothing to renew")
        if self.renewed_by is not None:
            raise RenewalNotAllowed(f"lease {self.lease_code} was already renewed by {self.renewed_by}")

    def unbilled_months_through(self, month: str) -> list[str]:
        """Months from the first billed day through ``month`` (clipped to the last day) not yet billed."""
        last = min(month, month_of_day(self.last_day))
        current = month_of_day(self.billing_from)
        months = []
        while current <= last:
            if current not in self.billed:
                months.append(current)
            current = next_month(current)
        return months

    # --- commands -------------------------------------------------------------------
    def bill_month(self, audit: Audit, billing: MonthBilling) -> None:
        self._month_billed(audit=audit, billing=billing)

    @event("MonthBilled")
    def _month_billed(self, audit: Audit, billing: MonthBilling) -> None:
        self.billed[billing.month] = billing

    def terminate(self, audit: Audit, terminated_on: date, grounds: TerminationGrounds, demand_on: date | None,
                  credits: tuple[MonthCredit, ...], voucher_number: str) -> None:
        self._terminated(audit=audit, terminated_on=terminated_on, grounds=grounds, demand_on=demand_on,
                         credits=credits, voucher_number=voucher_number)

    @event("Terminated")
    def _terminated(self, audit: Audit, terminated_on: date, grounds: TerminationGrounds, demand_on: date | None,
                    credits: tuple[MonthCredit, ...], voucher_number: str) -> None:
        self.terminated_on = terminated_on
        for credit in credits:
            billed = self.billed[credit.month]
            invoice = billed.invoice
            if invoice is not None:
                invoice = replace(invoice, amount=invoice.amount - credit.invoice_reduction)
            shares = subtract_shares(billed.income_shares, credit.income_shares)
            self.billed[credit.month] = MonthBilling(billed.month, billed.voucher_date, invoice,
                                                     billed.recognised - credit.recognised_reduction, shares,
                                                     billed.voucher_number)

    def record_renewal(self, audit: Audit, renewed_by: str) -> None:
        self.check_renewable()
        self._renewed(audit=audit, renewed_by=renewed_by)

    @event("Renewed")
    def _renewed(self, audit: Audit, renewed_by: str) -> None:
        self.renewed_by = renewed_by

    def decline_renewal(self, audit: Audit) -> None:
        self.check_renewable()
        self._renewal_declined(audit=audit)

    @event("RenewalDeclined")
    def _renewal_declined(self, audit: Audit) -> None:
        self.renewal_declined = True

    def receive_deposit(self, audit: Audit, received_on: date, amount: Decimal, voucher_number: str) -> None:
        self._deposit_received(audit=audit, received_on=received_on, amount=amount, voucher_number=voucher_number)

    @event("DepositReceived")
    def _deposit_received(self, audit: Audit, received_on: date, amount: Decimal, voucher_number: str) -> None:
        self.deposit_received += amount

    def refund_deposit(self, audit: Audit, refunded_on: date, amount: Decimal, voucher_number: str) -> None:
        self._deposit_refunded(audit=audit, refunded_on=refunded_on, amount=amount, voucher_number=voucher_number)

    @event("DepositRefunded")
    def _deposit_refunded(self, audit: Audit, refunded_on: date, amount: Decimal, voucher_number: str) -> None:
        self.deposit_refunded += amount

    def apply_deposit(self, audit: Audit, applied_on: date, amount: Decimal, voucher_number: str) -> None:
        self._deposit_applied(audit=audit, applied_on=applied_on, amount=amount, voucher_number=voucher_number)

    @event("DepositApplied")
    def _deposit_applied(self, audit: Audit, applied_on: date, amount: Decimal, voucher_number: str) -> None:
        self.deposit_applied += amount


def check_billing_start(terms: LeaseTerms, billing_from: date) -> None:
    """Billing starts inside the term: at the start, or later for a lease taken over from paper records."""
    if not terms.start_on <= billing_from <= terms.end_on:
        raise InvalidBillingStart(f"billing must start within the term {terms.start_on} – {terms.end_on}, "
                                  f"not on {billing_from}")


def subtract_shares(shares: tuple[IncomeShare, ...], taken: tuple[IncomeShare, ...]) -> tuple[IncomeShare, ...]:
    by_party = {share.party: share.amount for share in shares}
    for share in taken:
        by_party[share.party] = by_party.get(share.party, ZERO) - share.amount
    return tuple(IncomeShare(party, amount) for party, amount in by_party.items())


# --- months -------------------------------------------------------------------------


def month_of_day(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_first_day(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def month_last_day(month: str) -> date:
    return month_first_day(next_month(month)) - timedelta(days=1)


def next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + 1:04d}-01" if mon == 12 else f"{year:04d}-{mon + 1:02d}"
