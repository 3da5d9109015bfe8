"""A tenant and their account with the collective: invoices, receipts, credit and late fees.

Source: DOMAIN.md §4 (Lease: tenant; Receipts settle the oldest open invoice first; rent
received in advance is held as a liability; Late fee). The arithmetic lives in
``collection``; this aggregate keeps what was billed and what settled it, by date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.leases.collection import (
    OpenInvoice,
    Settlement,
    SettlementLine,
    checked_amount,
    late_fee,
    settle_oldest_first,
)
from domain.leases.errors import (
    InvalidTenant,
    NonPaymentTerminationNeedsDemand,
    ReceiptAmountInvalid,
)
from domain.leases.invoice import Invoice, InvoiceKind
from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE
from ledger.money import ZERO
from ledger.values import value_type

TENANT_KINDS = ("person", "business")


def tenant_id(book_code: str, tenant_code: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"leases/{book_code}/tenant/{tenant_code}")


def check_tenant(name: str, kind: str, contact: str) -> None:
    """A tenant is a person or a business, named, with a contact. DOMAIN.md §4 Lease."""
    if not name.strip() or len(name) > 100:
        raise InvalidTenant("a tenant needs a name of at most 100 characters")
    if kind not in TENANT_KINDS:
        raise InvalidTenant(f"tenant kind must be one of {', '.join(TENANT_KINDS)}")
    if not contact.strip() or len(contact) > 200:
        raise InvalidTenant("a tenant needs a contact (phone or address) of at most 200 characters")


def check_amount_received(amount: object, what: str) -> Decimal:
    """Money received (rent, a deposit) is > 0 yuan with at most two decimals. DOMAIN.md §1."""
    return checked_amount(amount, what, ReceiptAmountInvalid)


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
class Receipt:
    receipt_number: str
    received_on: date
    amount: Decimal
    reference: str
    voucher_number: str = ""


@value_type("anju.leases.InvoiceAmount")
class InvoiceAmount:
    """An amount against one invoice: a late fee on it, or a reduction of it."""

    invoice_number: str
    amount: Decimal


class Tenant(Aggregate):
    """A tenant (person or business) and their account with the collective."""

    create_id = staticmethod(tenant_id)

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

    # --- queries --------------------------------------------------------------------
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

    def settle_receipt(self, received_on: date, amount: Decimal) -> Settlement:
        """Receipts settle the oldest open invoice first. DOMAIN.md §4 Receipts."""
        return settle_oldest_first(self.open_invoices(received_on), amount)

    def plan_invoice_credit(self, reductions: tuple[InvoiceAmount, ...]) -> tuple[Decimal, Decimal]:
        """(against open invoices, to the tenant's credit) for a set of invoice reductions."""
        against = ZERO
        total = ZERO
        for reduction in reductions:
            against += min(self.accounts[reduction.invoice_number].amount_open, reduction.amount)
            total += reduction.amount
        return against, total - against

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

    def check_demand_before_termination(self, demand_on: date | None, terminated_on: date) -> None:
        """The lessor may terminate after unjustified non-payment and a demand. 民法典 Art. 722; DOMAIN.md §4.

        A demand (催告) must be dated on or before the termination, with rent overdue at it.
        """
        if demand_on is None or demand_on > terminated_on:
            raise NonPaymentTerminationNeedsDemand("terminating for non-payment needs a demand dated on or before it")
        if self.overdue_on(demand_on) <= ZERO:
            raise NonPaymentTerminationNeedsDemand(f"{self.tenant_code} had no rent overdue on {demand_on}")

    # --- commands -------------------------------------------------------------------
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

    def record_receipt(self, audit: Audit, received_on: date, amount: Decimal, reference: str,
                       settlement: Settlement, voucher_number: str) -> Receipt:
        """Rent received, applied as ``settlement`` planned it (``settle_receipt``); numbered in turn."""
        receipt = Receipt(self.next_receipt_number(), received_on, amount, reference, voucher_number)
        self._receipt_recorded(audit=audit, receipt=receipt, lines=settlement.lines,
                               unapplied=settlement.amount_unapplied)
        return receipt

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

    @event("InvoicesCredited")
    def _invoices_credited(self, audit: Audit, lease_code: str, credited_on: date, lines: tuple[SettlementLine, ...],
                           to_credit: Decimal, voucher_number: str) -> None:
        self._settle(credited_on, lines)
        if to_credit > ZERO:
            self.credit += to_credit
            self.credit_dated = max(self.credit_dated or credited_on, credited_on)

    def charge_late_fees(self, audit: Audit, as_of: date, daily_rate: Decimal, lines: tuple[InvoiceAmount, ...],
                         voucher_number: str) -> Invoice:
        """Record a late-fee run's fees (``late_fees``) and bill them as one late-fee invoice, due at once."""
        fee = sum((line.amount for line in lines), ZERO)
        invoice = Invoice(self.next_late_fee_number(), InvoiceKind.LATE_FEE, "", as_of, as_of, fee,
                          voucher_number=voucher_number)
        self._late_fees_charged(audit=audit, as_of=as_of, daily_rate=daily_rate, lines=lines)
        self.issue_invoice(audit, invoice)
        return invoice

    @event("LateFeesCharged")
    def _late_fees_charged(self, audit: Audit, as_of: date, daily_rate: Decimal,
                           lines: tuple[InvoiceAmount, ...]) -> None:
        for number, account in self.accounts.items():
            if account.invoice.kind is InvoiceKind.RENT and account.invoice.due_on < as_of:
                self.late_fee_through[number] = max(self.late_fee_through.get(number, as_of), as_of)

    def _settle(self, on: date, lines: tuple[SettlementLine, ...]) -> None:
        for line in lines:
            self.accounts[line.invoice_number].settlements.append((on, line.amount_applied))
