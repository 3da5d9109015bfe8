"""Use cases of shop-front leasing: get the aggregates, check, post the voucher, record the event.

Each runs as one command of the group-commit writer: the voucher on the collective's
book and the lease's own events commit together or not at all. Money-moving use cases
record the voucher before the lease event, so a voucher that cannot be posted
(closed period, book not started) leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain.leases.billing import UnitRights, plan_month, termination_credits
from domain.leases.collection import LATE_FEE_DAILY_RATE_DEFAULT, InvalidDailyRate, Settlement, settle_oldest_first
from domain.leases.model import (
    DepositExceedsAgreed,
    DepositExceedsArrears,
    Invoice,
    InvoiceAmount,
    InvoiceKind,
    InvalidBillingStart,
    Lease,
    LeaseAlreadyExists,
    LeaseNotFound,
    MonthBilling,
    NonPaymentTerminationNeedsDemand,
    Receipt,
    ReceiptAmountInvalid,
    RenewalNotAllowed,
    RightsChange,
    ShopFront,
    ShopFrontAlreadyRegistered,
    ShopFrontNotFound,
    Tenant,
    TenantAlreadyRegistered,
    TenantNotFound,
    TerminationGrounds,
    lease_id,
    month_first_day,
    month_last_day,
    shop_front_id,
    tenant_id,
)
from domain.leases import postings
from domain.leases.rights import RightsHolders, ShopFront as ShopFrontRecord, collective_operating_income_share
from domain.leases.terms import LeaseRuleBroken, LeaseTerms
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.book import Book, check_code
from ledger.journal import VoucherDraft
from ledger.money import ZERO, InvalidAmount, parse_amount
from ledger.writer import UnitOfWork

#: Bounds on one request's work (TIGER_STYLE: a limit on everything).
MAX_UNITS_PER_LEASE = 20
MAX_LEASES_PER_RUN = 20_000
ONE_DAY = date.resolution


class LeasesNeedCollectiveBook(LeaseRuleBroken):
    type_slug = "leases-need-collective-book"


class TooManyUnits(LeaseRuleBroken):
    type_slug = "lease-too-many-shop-fronts"


# --- lookups ------------------------------------------------------------------------


def get_collective_book(uow: UnitOfWork, book_code: str) -> Book:
    """The collective's book that receives the rent (its community scopes every lease record)."""
    book = bookkeeping.get_book(uow, book_code)
    if book.entity_kind != "collective":
        raise LeasesNeedCollectiveBook(f"book {book_code} is a {book.entity_kind} book; rent goes to a collective's")
    return book


def get_shop_front(uow: UnitOfWork, book_code: str, unit_number: str) -> ShopFront:
    found = uow.get_optional(ShopFront, shop_front_id(book_code, unit_number))
    if found is None:
        raise ShopFrontNotFound(f"no shop-front {unit_number!r} in book {book_code}")
    return found


def get_tenant(uow: UnitOfWork, book_code: str, tenant_code: str) -> Tenant:
    found = uow.get_optional(Tenant, tenant_id(book_code, tenant_code))
    if found is None:
        raise TenantNotFound(f"no tenant {tenant_code!r} in book {book_code}")
    return found


def get_lease(uow: UnitOfWork, book_code: str, lease_code: str) -> Lease:
    found = uow.get_optional(Lease, lease_id(book_code, lease_code))
    if found is None:
        raise LeaseNotFound(f"no lease {lease_code!r} in book {book_code}")
    return found


def _post(uow: UnitOfWork, audit: Audit, book_code: str, draft: VoucherDraft | None) -> str:
    """Post a draft on the collective's book; "" when there is nothing to post."""
    if draft is None:
        return ""
    return bookkeeping.record_voucher(uow, audit, book_code, draft).number


# --- the register -------------------------------------------------------------------


def register_shop_front(uow: UnitOfWork, audit: Audit, book_code: str, *, unit_number: str, location: str,
                        floor_area_m2: object, holders: RightsHolders, rights_effective_on: date,
                        collective_share_percent: Decimal | None = None) -> ShopFront:
    get_collective_book(uow, book_code)
    check_code(unit_number, "unit number")
    for party in (holders.owner, holders.operator, holders.manager):
        check_code(party, "rights holder")
    record = ShopFrontRecord(unit_number, location, floor_area_m2, holders)  # type: ignore[arg-type]
    collective_operating_income_share(ZERO, holders, book_code, collective_share_percent)  # the share is valid
    if uow.get_optional(ShopFront, shop_front_id(book_code, unit_number)) is not None:
        raise ShopFrontAlreadyRegistered(f"shop-front {unit_number} is already registered in {book_code}")
    rights = RightsChange(rights_effective_on, holders, collective_share_percent)
    return uow.add(ShopFront(audit=audit, book_code=book_code, unit_number=unit_number, location=location,
                             floor_area_m2=record.floor_area_m2, rights=rights))


def change_rights(uow: UnitOfWork, audit: Audit, book_code: str, unit_number: str, change: RightsChange) -> ShopFront:
    """A dated change of owner, operator or manager, or of the collective's share. DOMAIN.md §4."""
    shop_front = get_shop_front(uow, book_code, unit_number)
    for party in (change.holders.owner, change.holders.operator, change.holders.manager):
        check_code(party, "rights holder")
    collective_operating_income_share(ZERO, change.holders, book_code, change.collective_share_percent)
    shop_front.change_rights(audit, change)
    return shop_front


def register_tenant(uow: UnitOfWork, audit: Audit, book_code: str, *, tenant_code: str, name: str, kind: str,
                    contact: str) -> Tenant:
    get_collective_book(uow, book_code)
    check_code(tenant_code, "tenant code")
    if uow.get_optional(Tenant, tenant_id(book_code, tenant_code)) is not None:
        raise TenantAlreadyRegistered(f"tenant {tenant_code} is already registered in {book_code}")
    return uow.add(Tenant.register(audit, book_code, tenant_code, name, kind, contact))


# --- leases -------------------------------------------------------------------------


@dataclass(frozen=True)
class TermsInput:
    """Terms as asked for; rent per m² is turned into a monthly rent with the shop-fronts' area."""

    start_on: date
    end_on: date
    billing_frequency: str
    monthly_rent: str | None = None
    rent_per_m2_month: str | None = None
    rent_free_months: int = 0
    escalation_percent: str = "0"
    deposit: str = "0.00"
    contract_reference: str | None = None

    def terms(self, floor_area_m2: Decimal) -> LeaseTerms:
        by_area = self.rent_per_m2_month is not None
        return LeaseTerms(
            start_on=self.start_on, end_on=self.end_on, billing_frequency=self.billing_frequency,  # type: ignore[arg-type]
            monthly_rent=self.monthly_rent,  # type: ignore[arg-type]
            rent_per_m2_month=self.rent_per_m2_month,  # type: ignore[arg-type]
            floor_area_m2=floor_area_m2 if by_area else None,
            rent_free_months=self.rent_free_months,
            escalation_percent=self.escalation_percent,  # type: ignore[arg-type]
            deposit=self.deposit, contract_reference=self.contract_reference,  # type: ignore[arg-type]
        )


def sign_lease(uow: UnitOfWork, audit: Audit, book_code: str, *, lease_code: str, tenant_code: str,
               unit_numbers: Sequence[str], terms: TermsInput, billing_from: date | None = None,
               renews: str | None = None) -> Lease:
    """A new lease: terms valid, tenant and shop-fronts known, no overlap, the sitting tenant's priority kept."""
    book = get_collective_book(uow, book_code)
    check_code(lease_code, "lease code")
    units = _distinct_units(unit_numbers)
    get_tenant(uow, book_code, tenant_code)
    shop_fronts = [get_shop_front(uow, book_code, unit) for unit in units]
    lease_terms = terms.terms(sum((s.floor_area_m2 for s in shop_fronts), ZERO))
    if uow.get_optional(Lease, lease_id(book_code, lease_code)) is not None:
        raise LeaseAlreadyExists(f"lease {lease_code} already exists in {book_code}")
    first_billed_on = billing_from or lease_terms.start_on
    if first_billed_on < book.starts_on:
        raise InvalidBillingStart(f"billing from {first_billed_on} is before the book starts on {book.starts_on}; "
                                  "give billing_from for a lease taken over from earlier records")
    for shop_front in shop_fronts:
        shop_front.check_no_overlapping_lease(lease_terms.start_on, lease_terms.end_on)
        shop_front.check_sitting_tenant_priority(tenant_code, lease_terms.start_on)
    lease = uow.add(Lease.sign(audit, book_code, lease_code, tenant_code, tuple(units), lease_terms, billing_from,
                               renews))
    for shop_front in shop_fronts:
        shop_front.attach_lease(audit, lease_code, tenant_code, lease_terms.start_on, lease_terms.end_on)
    return lease


def _distinct_units(unit_numbers: Sequence[str]) -> list[str]:
    units = list(dict.fromkeys(unit_numbers))
    if not units:
        raise TooManyUnits("a lease covers at least one shop-front")
    if len(units) > MAX_UNITS_PER_LEASE:
        raise TooManyUnits(f"a lease covers at most {MAX_UNITS_PER_LEASE} shop-fronts")
    return units


def renew_lease(uow: UnitOfWork, audit: Audit, book_code: str, lease_code: str, *, new_lease_code: str,
                terms: TermsInput) -> Lease:
    """The sitting tenant renews (民法典 Art. 734): same shop-fronts, from the day after the old end."""
    old = get_lease(uow, book_code, lease_code)
    old.check_renewable()
    if terms.start_on != old.terms.end_on + ONE_DAY:
        raise RenewalNotAllowed(f"a renewal of {lease_code} starts on {old.terms.end_on + ONE_DAY}, "
                                f"the day after it ends, not on {terms.start_on}")
    new = sign_lease(uow, audit, book_code, lease_code=new_lease_code, tenant_code=old.tenant_code,
                     unit_numbers=old.unit_numbers, terms=terms, renews=lease_code)
    old.record_renewal(audit, new_lease_code)
    return new


def decline_renewal(uow: UnitOfWork, audit: Audit, book_code: str, lease_code: str) -> Lease:
    """The sitting tenant declines to renew: others may then lease the shop-fronts after expiry."""
    lease = get_lease(uow, book_code, lease_code)
    lease.decline_renewal(audit)
    for unit in lease.unit_numbers:
        get_shop_front(uow, book_code, unit).decline_renewal(audit, lease_code)
    return lease


def terminate_lease(uow: UnitOfWork, audit: Audit, book_code: str, lease_code: str, *, terminated_on: date,
                    grounds: TerminationGrounds = TerminationGrounds.AGREEMENT,
                    demand_on: date | None = None) -> Lease:
    """Early termination: accrual stops at the date; rent billed beyond it is credited. DOMAIN.md §4 Termination."""
    lease = get_lease(uow, book_code, lease_code)
    lease.check_not_terminated()
    lease.check_termination_in_term(terminated_on)
    tenant = get_tenant(uow, book_code, lease.tenant_code)
    if grounds is TerminationGrounds.NON_PAYMENT:
        check_non_payment_termination_after_demand(tenant, demand_on, terminated_on)
    credits = termination_credits(lease, terminated_on)
    reductions = tuple(InvoiceAmount(c.invoice_number, c.invoice_reduction) for c in credits if c.invoice_reduction)
    against_open, to_credit = tenant.plan_invoice_credit(reductions)
    draft = postings.termination_draft(lease_code, lease.tenant_code, terminated_on, credits, against_open, to_credit)
    voucher_number = _post(uow, audit, book_code, draft)
    if reductions:
        tenant.credit_invoices(audit, lease_code, terminated_on, reductions, voucher_number)
    lease.terminate(audit, terminated_on, grounds, demand_on, credits, voucher_number)
    for unit in lease.unit_numbers:
        get_shop_front(uow, book_code, unit).end_lease_early(audit, lease_code, terminated_on)
    return lease


def check_non_payment_termination_after_demand(tenant: Tenant, demand_on: date | None, terminated_on: date) -> None:
    """The lessor may terminate after unjustified non-payment and a demand. 民法典 Art. 722; DOMAIN.md §4.

    A demand (催告) must be dated on or before the termination, with rent overdue at it.
    """
    if demand_on is None or demand_on > terminated_on:
        raise NonPaymentTerminationNeedsDemand("terminating for non-payment needs a demand dated on or before it")
    if tenant.overdue_on(demand_on) <= ZERO:
        raise NonPaymentTerminationNeedsDemand(f"{tenant.tenant_code} had no rent overdue on {demand_on}")


# --- billing ------------------------------------------------------------------------


def _units(uow: UnitOfWork, lease: Lease, day: date) -> list[UnitRights]:
    units = []
    for unit in lease.unit_numbers:
        shop_front = get_shop_front(uow, lease.book_code, unit)
        units.append(UnitRights(unit, shop_front.floor_area_m2, shop_front.rights_on(day)))
    return units


def bill_lease_month(uow: UnitOfWork, audit: Audit, lease: Lease, tenant: Tenant, month: str) -> MonthBilling:
    """Bill one month: the invoice falling due in it and the rent its days earned. DOMAIN.md §4 Accrual."""
    planned = plan_month(lease, month, _units(uow, lease, max(lease.billing_from, month_first_day(month))),
                         lease.book_code)
    credit_applied = tenant.credit_to_apply(planned.invoice.amount) if planned.invoice else ZERO
    draft = postings.billing_draft(lease.lease_code, tenant.tenant_code, planned, credit_applied, tenant.name)
    voucher_number = _post(uow, audit, lease.book_code, draft)
    invoice = planned.invoice
    if invoice is not None:
        invoice = Invoice(invoice.invoice_number, invoice.kind, invoice.lease_code, invoice.issued_on, invoice.due_on,
                          invoice.amount, invoice.period_start, invoice.period_end, voucher_number)
        tenant.issue_invoice(audit, invoice)
    billing = MonthBilling(planned.month, planned.voucher_date, invoice, planned.recognised, planned.income_shares,
                           voucher_number)
    lease.bill_month(audit, billing)
    return billing


def bill_lease(uow: UnitOfWork, audit: Audit, book_code: str, lease_code: str, month: str) -> list[MonthBilling]:
    """Bill a lease through ``month``: every month not yet billed, in order; idempotent.

    Billing a month after the lease was terminated (or expired) is rejected.
    """
    lease = get_lease(uow, book_code, lease_code)
    lease.check_month_billable(month)
    tenant = get_tenant(uow, book_code, lease.tenant_code)
    return [bill_lease_month(uow, audit, lease, tenant, m) for m in lease.unbilled_months_through(month)]


@dataclass
class BillingRun:
    month: str
    billed: dict[str, list[MonthBilling]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    @property
    def invoiced(self) -> Decimal:
        return sum((b.invoice.amount for bs in self.billed.values() for b in bs if b.invoice), ZERO)

    @property
    def recognised(self) -> Decimal:
        return sum((b.recognised for bs in self.billed.values() for b in bs), ZERO)


def run_billing(uow: UnitOfWork, audit: Audit, book_code: str, lease_codes: Sequence[str], month: str) -> BillingRun:
    """A billing run: every given lease of the book billed through ``month``; running it again adds nothing.

    Leases not yet billable in the month, or ended before it, are skipped (listed),
    never an error; any other broken rule fails the whole run and records nothing.
    """
    get_collective_book(uow, book_code)
    if len(lease_codes) > MAX_LEASES_PER_RUN:
        raise LeaseRuleBroken(f"a billing run takes at most {MAX_LEASES_PER_RUN} leases")
    run = BillingRun(month)
    for lease_code in lease_codes:
        lease = get_lease(uow, book_code, lease_code)
        if lease.billing_from > _last_day(month):
            run.skipped.append(lease_code)
            continue
        months = lease.unbilled_months_through(month)
        if not months:
            continue
        tenant = get_tenant(uow, book_code, lease.tenant_code)
        run.billed[lease_code] = [bill_lease_month(uow, audit, lease, tenant, m) for m in months]
    return run


def _last_day(month: str) -> date:
    return month_last_day(month)


# --- collection ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptResult:
    receipt: Receipt
    settlement: Settlement
    tenant: Tenant


def record_receipt(uow: UnitOfWork, audit: Audit, book_code: str, tenant_code: str, *, received_on: date,
                   amount: object, reference: str = "") -> ReceiptResult:
    """Rent received: settles the oldest open invoice first; overpayment becomes the tenant's credit."""
    tenant = get_tenant(uow, book_code, tenant_code)
    received = _positive(amount, "receipt")
    settlement = tenant.settle_receipt(received_on, received)
    draft = postings.receipt_draft(tenant_code, received_on, settlement.amount_applied, settlement.amount_unapplied,
                                   tenant.name)
    voucher_number = _post(uow, audit, book_code, draft)
    receipt = Receipt(tenant.next_receipt_number(), received_on, received, reference, voucher_number)
    tenant.record_receipt(audit, receipt, settlement)
    return ReceiptResult(receipt, settlement, tenant)


def _positive(amount: object, what: str) -> Decimal:
    try:
        value = parse_amount(amount)
    except InvalidAmount as error:
        raise ReceiptAmountInvalid(f"{what}: {error}") from None
    if value <= ZERO:
        raise ReceiptAmountInvalid(f"{what} must be > 0")
    return value


def receive_deposit(uow: UnitOfWork, audit: Audit, book_code: str, lease_code: str, *, received_on: date,
                    amount: object) -> Lease:
    """Deposit received, up to the agreed deposit: Dr 102 / Cr 211 deposit."""
    lease = get_lease(uow, book_code, lease_code)
    received = _positive(amount, "deposit")
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
    arrears = tenant.amount_open(applied_on)
    applied = min(lease.deposit_held, arrears) if amount is None else _positive(amount, "deposit applied")
    if applied > lease.deposit_held:
        raise DepositExceedsAgreed(f"only {lease.deposit_held} of the deposit is held")
    if applied <= ZERO or applied > arrears:
        raise DepositExceedsArrears(f"{tenant.tenant_code} owes {arrears} on {applied_on}; cannot apply {applied}")
    settlement = settle_oldest_first(tenant.open_invoices(applied_on), applied)
    draft = postings.deposit_applied_draft(lease_code, tenant.tenant_code, applied_on, applied)
    voucher_number = _post(uow, audit, book_code, draft)
    tenant.apply_deposit(audit, lease_code, applied_on, settlement, voucher_number)
    lease.apply_deposit(audit, applied_on, applied, voucher_number)
    return lease


@dataclass
class LateFeeRun:
    as_of: date
    daily_rate: Decimal
    charged: dict[str, Invoice] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum((invoice.amount for invoice in self.charged.values()), ZERO)


def run_late_fees(uow: UnitOfWork, audit: Audit, book_code: str, tenant_codes: Sequence[str], *, as_of: date,
                  daily_rate: Decimal = LATE_FEE_DAILY_RATE_DEFAULT) -> LateFeeRun:
    """A late-fee run as of a date: simple daily interest on rent unpaid after its due date; idempotent.

    DOMAIN.md §4 Late fee: each run charges only the days after the previous run, so
    running it again as of the same date adds nothing. Fees go to 504 其他收入.
    """
    get_collective_book(uow, book_code)
    if isinstance(daily_rate, bool) or not isinstance(daily_rate, Decimal) or not daily_rate.is_finite() \
            or daily_rate < 0 or daily_rate > Decimal("0.01"):
        raise InvalidDailyRate(f"daily rate {daily_rate!r} must be a decimal from 0 to 0.01 (1 % a day)")
    run = LateFeeRun(as_of, daily_rate)
    for tenant_code in tenant_codes:
        tenant = get_tenant(uow, book_code, tenant_code)
        lines = tenant.late_fees(as_of, daily_rate)
        fee = sum((line.amount for line in lines), ZERO)
        if fee == ZERO:
            continue  # nothing new to charge: a repeated run records nothing
        credit_applied = tenant.credit_to_apply(fee)
        draft = postings.late_fee_draft(tenant_code, as_of, fee, credit_applied, tenant.name)
        voucher_number = _post(uow, audit, book_code, draft)
        invoice = Invoice(tenant.next_late_fee_number(), InvoiceKind.LATE_FEE, "", as_of, as_of, fee,
                          voucher_number=voucher_number)
        tenant.charge_late_fees(audit, as_of, daily_rate, lines)
        tenant.issue_invoice(audit, invoice)
        run.charged[tenant_code] = invoice
    return run

