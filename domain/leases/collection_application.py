"""Use cases of collecting what leases owe: rent receipts, deposits (received, refunded, applied), late fees.

``fn(uow, audit, ...)`` like every use case in ``domain.leases.application`` (which re-exports these):
the voucher on the collective's book and the leasing events commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.leases import postings
from domain.leases.application import _post, get_collective_book, get_lease, get_tenant
from domain.leases.collection import (
    LATE_FEE_DAILY_RATE_DEFAULT,
    LateFeeRun,
    Settlement,
    check_run_daily_rate,
    settle_oldest_first,
)
from domain.leases.lease import Lease
from domain.leases.tenant import Receipt, Tenant, check_amount_received
from ledger.audit import Audit
from ledger.money import ZERO
from ledger.writer import UnitOfWork


@dataclass(frozen=True)
class ReceiptResult:
    receipt: Receipt
    settlement: Settlement
    tenant: Tenant


def record_receipt(uow: UnitOfWork, audit: Audit, book_code: str, tenant_code: str, *, received_on: date,
                   amount: object, reference: str = "") -> ReceiptResult:
    """Rent received: settles the oldest open invoice first; overpayment becomes the tenant's credit."""
    tenant = get_tenant(uow, book_code, tenant_code)
    received = check_amount_received(amount, "receipt")
    settlement = tenant.settle_receipt(received_on, received)
    draft = postings.receipt_draft(tenant_code, received_on, settlement.amount_applied, settlement.amount_unapplied,
                                   tenant.name)
    voucher_number = _post(uow, audit, book_code, draft)
    receipt = tenant.record_receipt(audit, received_on, received, reference, settlement, voucher_number)
    return ReceiptResult(receipt, settlement, tenant)


def receive_deposit(uow: UnitOfWork, audit: Audit, book_code: str, lease_code: str, *, received_on: date,
                    amount: object) -> Lease:
    """Deposit received, up to the agreed deposit: Dr 102 / Cr 211 deposit."""
    lease = get_lease(uow, book_code, lease_code)
    received = check_amount_received(amount, "deposit")
    lease.check_deposit_receivable(received)
    voucher_number = _post(uow, audit, book_code, postings.deposit_received_draft(lease_code, received_on, received))
    lease.receive_deposit(audit, received_on, received, voucher_number)
    return lease


def refund_deposit(uow: UnitOfWork, audit: Audit, book_code: str, lease_code: str, *, refunded_on: date) -> Lease:
    """The deposit still held is refunded on termination or expiry; a second refund is rejected."""
    lease = get_lease(uow, book_code, lease_code)
    lease.check_deposit_settles_at_termination(refunded_on)
    lease.check_deposit_held()
    amount = lease.deposit_held
    voucher_number = _post(uow, audit, book_code, postings.deposit_refund_draft(lease_code, refunded_on, amount))
    lease.refund_deposit(audit, refunded_on, amount, voucher_number)
    return lease


def apply_deposit(uow: UnitOfWork, audit: Audit, book_code: str, lease_code: str, *, applied_on: date,
                  amount: object | None = None) -> Lease:
    """The deposit applied to the tenant's arrears, oldest first (Dr 211 押金 / Cr 112). DOMAIN.md §4 Termination."""
    lease = get_lease(uow, book_code, lease_code)
    lease.check_deposit_settles_at_termination(applied_on)
    lease.check_deposit_held()
    tenant = get_tenant(uow, book_code, lease.tenant_code)
    asked = None if amount is None else check_amount_received(amount, "deposit applied")
    applied = lease.deposit_to_apply(tenant.amount_open(applied_on), asked)
    settlement = settle_oldest_first(tenant.open_invoices(applied_on), applied)
    draft = postings.deposit_applied_draft(lease_code, tenant.tenant_code, applied_on, applied)
    voucher_number = _post(uow, audit, book_code, draft)
    tenant.apply_deposit(audit, lease_code, applied_on, settlement, voucher_number)
    lease.apply_deposit(audit, applied_on, applied, voucher_number)
    return lease


def run_late_fees(uow: UnitOfWork, audit: Audit, book_code: str, tenant_codes: Sequence[str], *, as_of: date,
                  daily_rate: Decimal = LATE_FEE_DAILY_RATE_DEFAULT) -> LateFeeRun:
    """A late-fee run as of a date: simple daily interest on rent unpaid after its due date; idempotent.

    DOMAIN.md §4 Late fee: each run charges only the days after the previous run, so
    running it again as of the same date adds nothing. Fees go to 504 其他收入.
    """
    get_collective_book(uow, book_code)
    run = LateFeeRun(as_of, check_run_daily_rate(daily_rate))
    for tenant_code in tenant_codes:
        tenant = get_tenant(uow, book_code, tenant_code)
        lines = tenant.late_fees(as_of, daily_rate)
        fee = sum((line.amount for line in lines), ZERO)
        if fee == ZERO:
            continue  # nothing new to charge: a repeated run records nothing
        draft = postings.late_fee_draft(tenant_code, as_of, fee, tenant.credit_to_apply(fee), tenant.name)
        voucher_number = _post(uow, audit, book_code, draft)
        run.charged[tenant_code] = tenant.charge_late_fees(audit, as_of, daily_rate, lines, voucher_number)
    return run
