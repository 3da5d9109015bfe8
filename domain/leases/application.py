"""Use cases of shop-front leasing: get the aggregates, let them plan and check, post, record.

Each runs as one command of the group-commit writer: the voucher on the collective's book
and the leasing events commit together or not at all (a failed command rolls back both).
Money-moving use cases read: get → check and plan (the aggregate) → post the voucher →
record the command with the voucher's number.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from domain.leases import postings
from domain.leases.accrual import BillingRun, MonthBilling
from domain.leases.errors import (
    BillingRunTooLarge,
    InvalidBillingStart,
    LeaseAlreadyExists,
    LeaseNotFound,
    LeasesNeedCollectiveBook,
    ShopFrontAlreadyRegistered,
    ShopFrontNotFound,
    TenantAlreadyRegistered,
    TenantNotFound,
)
from domain.leases.lease import Lease, TerminationGrounds, distinct_units, lease_id
from domain.leases.rights import RightsChange, RightsHolders
from domain.leases.shop_front import ShopFront, shop_front_id
from domain.leases.tenant import InvoiceAmount, Tenant, tenant_id
from domain.leases.terms import LeaseTerms
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.book import Book, check_code
from ledger.calendar import ONE_DAY, month_last_day
from ledger.journal import VoucherDraft
from ledger.money import ZERO
from ledger.writer import UnitOfWork


#: Bound on one request's work (TIGER_STYLE: a limit on everything).
MAX_LEASES_PER_RUN = 20_000


# --- lookups ------------------------------------------------------------------------


def get_collective_book(uow: UnitOfWork, book_code: str) -> Book:
    """The collective's book that receives the rent (its community scopes every lease record)."""
    book = bookkeeping.get_book(uow, book_code)
    if book.entity_kind != "collective":
        raise LeasesNeedCollectiveBook(f"book {book_code} is a {book.entity_kind} book; rent goes to a collective's")
    return book


def get_shop_front(uow: UnitOfWork, book_code: str, unit_number: str) -> ShopFront:
    return uow.get(ShopFront, shop_front_id(book_code, unit_number), ShopFrontNotFound(
        f"no shop-front {unit_number!r} in book {book_code}"))


def get_tenant(uow: UnitOfWork, book_code: str, tenant_code: str) -> Tenant:
    return uow.get(Tenant, tenant_id(book_code, tenant_code), TenantNotFound(
        f"no tenant {tenant_code!r} in book {book_code}"))


def get_lease(uow: UnitOfWork, book_code: str, lease_code: str) -> Lease:
    return uow.get(Lease, lease_id(book_code, lease_code), LeaseNotFound(
        f"no lease {lease_code!r} in book {book_code}"))


def _shop_fronts_of(uow: UnitOfWork, lease: Lease) -> dict[str, ShopFront]:
    return {unit: get_shop_front(uow, lease.book_code, unit) for unit in lease.unit_numbers}


def _post(uow: UnitOfWork, audit: Audit, book_code: str, draft: VoucherDraft | None) -> str:
    """Post a draft on the collective's book; "" when there is nothing to post."""
    if draft is None:
        return ""
    return bookkeeping.record_voucher(uow, audit, book_code, draft).number


# --- the register -------------------------------------------------------------------


def _rights(book_code: str, effective_on: date, owner: str, operator: str, manager: str,
            collective_share_percent: Decimal | None) -> RightsChange:
    holders = RightsHolders.named(owner, operator, manager)
    for party in (holders.owner, holders.operator, holders.manager):
        check_code(party, "rights holder")
    return RightsChange.agreed(effective_on, holders, book_code, collective_share_percent)


def register_shop_front(uow: UnitOfWork, audit: Audit, book_code: str, *, unit_number: str, location: str,
                        floor_area_m2: object, owner: str, operator: str, manager: str, rights_effective_on: date,
                        collective_share_percent: Decimal | None = None) -> ShopFront:
    """A shop-front enters the register with its area and its three rights holders. DOMAIN.md §4."""
    get_collective_book(uow, book_code)
    check_code(unit_number, "unit number")
    rights = _rights(book_code, rights_effective_on, owner, operator, manager, collective_share_percent)
    shop_front = ShopFront.register(audit, book_code, unit_number, location, floor_area_m2, rights)
    if uow.get_optional(ShopFront, shop_front_id(book_code, unit_number)) is not None:
        raise ShopFrontAlreadyRegistered(f"shop-front {unit_number} is already registered in {book_code}")
    return uow.add(shop_front)


def change_rights(uow: UnitOfWork, audit: Audit, book_code: str, unit_number: str, *, effective_on: date,
                  owner: str, operator: str, manager: str,
                  collective_share_percent: Decimal | None = None) -> ShopFront:
    """A dated change of owner, operator or manager, or of the collective's share. DOMAIN.md §4."""
    shop_front = get_shop_front(uow, book_code, unit_number)
    shop_front.change_rights(audit, _rights(book_code, effective_on, owner, operator, manager,
                                            collective_share_percent))
    return shop_front


def register_tenant(uow: UnitOfWork, audit: Audit, book_code: str, *, tenant_code: str, name: str, kind: str,
                    contact: str) -> Tenant:
    get_collective_book(uow, book_code)
    check_code(tenant_code, "tenant code")
    if uow.get_optional(Tenant, tenant_id(book_code, tenant_code)) is not None:
        raise TenantAlreadyRegistered(f"tenant {tenant_code} is already registered in {book_code}")
    return uow.add(Tenant.register(audit, book_code, tenant_code, name, kind, contact))


# --- leases -------------------------------------------------------------------------


def sign_lease(uow: UnitOfWork, audit: Audit, book_code: str, *, lease_code: str, tenant_code: str,
               unit_numbers: Sequence[str], billing_from: date | None = None, renews: str | None = None,
               **terms: Any) -> Lease:
    """A new lease: terms agreed (``LeaseTerms.agreed``), tenant and shop-fronts known, no overlap,
    the sitting tenant's priority kept. ``terms`` are the keyword arguments of ``LeaseTerms.agreed``
    as asked for; the floor area (for a rent per m²) is the shop-fronts', taken now and kept.
    """
    book = get_collective_book(uow, book_code)
    check_code(lease_code, "lease code")
    units = distinct_units(unit_numbers)
    get_tenant(uow, book_code, tenant_code)
    shop_fronts = [get_shop_front(uow, book_code, unit) for unit in units]
    areas = tuple(shop_front.floor_area_m2 for shop_front in shop_fronts)
    agreed = LeaseTerms.agreed(floor_area_m2=sum(areas, ZERO), **terms)
    if uow.get_optional(Lease, lease_id(book_code, lease_code)) is not None:
        raise LeaseAlreadyExists(f"lease {lease_code} already exists in {book_code}")
    first_billed_on = billing_from or agreed.start_on
    if first_billed_on < book.starts_on:
        raise InvalidBillingStart(f"billing from {first_billed_on} is before the book starts on {book.starts_on}; "
                                  "give billing_from for a lease taken over from earlier records")
    for shop_front in shop_fronts:
        shop_front.check_no_overlapping_lease(agreed.start_on, agreed.end_on)
        shop_front.check_sitting_tenant_priority(tenant_code, agreed.start_on)
    lease = uow.add(Lease.sign(audit, book_code, lease_code, tenant_code, tuple(units), areas, agreed, billing_from,
                               renews))
    for shop_front in shop_fronts:
        shop_front.attach_lease(audit, lease_code, tenant_code, agreed.start_on, agreed.end_on)
    return lease


def renew_lease(uow: UnitOfWork, audit: Audit, book_code: str, lease_code: str, *, new_lease_code: str,
                start_on: date | None = None, **terms: Any) -> Lease:
    """The sitting tenant renews (民法典 Art. 734): same shop-fronts, from the day after the old end.

    ``start_on`` defaults to that day; ``terms`` as for ``sign_lease``.
    """
    old = get_lease(uow, book_code, lease_code)
    old.check_renewable()
    first_day = start_on or old.terms.end_on + ONE_DAY
    old.check_renewal_starts_after_end(first_day)
    new = sign_lease(uow, audit, book_code, lease_code=new_lease_code, tenant_code=old.tenant_code,
                     unit_numbers=old.unit_numbers, renews=lease_code, start_on=first_day, **terms)
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
        tenant.check_demand_before_termination(demand_on, terminated_on)
    credits = lease.termination_credits(terminated_on)
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


# --- billing ------------------------------------------------------------------------


def _bill_months(uow: UnitOfWork, audit: Audit, lease: Lease, months: list[str]) -> list[MonthBilling]:
    """Bill months of a lease in order: per month, the invoice falling due and the rent earned. DOMAIN.md §4.

    The shop-fronts are read once for all the months (for the rights in force); the floor
    areas come from the lease.
    """
    if not months:
        return []
    tenant = get_tenant(uow, lease.book_code, lease.tenant_code)
    shop_fronts = _shop_fronts_of(uow, lease)
    billed = []
    for month in months:
        planned = lease.plan_month(month, shop_fronts)
        credit_applied = tenant.credit_to_apply(planned.invoiced)
        draft = postings.billing_draft(lease.lease_code, tenant.tenant_code, planned, credit_applied, tenant.name)
        billing = planned.numbered(_post(uow, audit, lease.book_code, draft))
        if billing.invoice is not None:
            tenant.issue_invoice(audit, billing.invoice)
        lease.bill_month(audit, billing)
        billed.append(billing)
    return billed


def bill_lease(uow: UnitOfWork, audit: Audit, book_code: str, lease_code: str, month: str) -> list[MonthBilling]:
    """Bill a lease through ``month``: every month not yet billed, in order; idempotent.

    Billing a month after the lease was terminated (or expired) is rejected.
    """
    lease = get_lease(uow, book_code, lease_code)
    lease.check_month_billable(month)
    get_tenant(uow, book_code, lease.tenant_code)
    return _bill_months(uow, audit, lease, lease.unbilled_months_through(month))


def run_billing(uow: UnitOfWork, audit: Audit, book_code: str, lease_codes: Sequence[str], month: str) -> BillingRun:
    """A billing run: every given lease of the book billed through ``month``; running it again adds nothing.

    Leases not yet billable in the month, or ended before it, are skipped (listed),
    never an error; any other broken rule fails the run. Each lease is a unit of work
    (``uow.checkpoint()``): a run too large for one transaction commits lease by lease, so
    a run that fails part-way keeps the leases already committed, and running it again
    bills only the months still unbilled (README, Write path).
    """
    get_collective_book(uow, book_code)
    if len(lease_codes) > MAX_LEASES_PER_RUN:
        raise BillingRunTooLarge(f"a billing run takes at most {MAX_LEASES_PER_RUN} leases")
    run = BillingRun(month)
    for lease_code in lease_codes:
        lease = get_lease(uow, book_code, lease_code)
        if lease.billing_from > month_last_day(month):
            run.skipped.append(lease_code)
            continue
        months = lease.unbilled_months_through(month)
        if months:
            run.billed[lease_code] = _bill_months(uow, audit, lease, months)
            uow.checkpoint()
    return run


# The collection use cases (receipts, deposits, late fees) live in their own module; callers reach them here too.
from domain.leases.collection_application import (  # noqa: E402,F401 - it needs the getters above
    ReceiptResult,
    apply_deposit,
    receive_deposit,
    record_receipt,
    refund_deposit,
    run_late_fees,
)
