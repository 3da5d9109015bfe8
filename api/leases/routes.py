"""Shop-front leases (门面租赁): the register, tenants, leases, billing, receipts, deposits, late fees.

Every resource lives under the collective's book that receives the rent
(``/books/{book_code}/...``); the book's community scopes who may record and read.
Writes go through ``api.http.write`` (one audit stamp with the request's idempotency
key); reads go through the query functions of ``projections.lease_queries``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request

from api.auth import Who
from api.errors import ApiProblem, register_conflict
from api.http import (AsOf, BookCode, PathCode, page_limit, read, read_book, readable_book, reading_date,
                      writable_book, write)
from api.leases import schemas as out
from api.leases.schemas import MONTH_PATTERN
from api.runtime import Principal
from api.schemas import money
from domain.leases import application as leasing
from domain.leases import errors as rules
from domain.leases.accrual import BillingRun, MonthBilling
from domain.leases.collection import AGING_BUCKETS, LateFeeRun
from domain.leases.lease import Lease, TerminationGrounds
from domain.leases.rights import RightsChange
from domain.leases.shop_front import ShopFront
from domain.leases.tenant import Tenant
from ledger.money import uppercase_amount
from projections import lease_queries as read_models

router = APIRouter(tags=["leases 门面租赁"])
Unit = TenantCode = LeaseCode = PathCode
T = TypeVar("T")

# Conflicts with the state of the register or a lease are 409s; other broken rules stay 422.
register_conflict(rules.ShopFrontAlreadyRegistered, rules.TenantAlreadyRegistered, rules.LeaseAlreadyExists,
                  rules.OverlappingLease, rules.SittingTenantHasPriority, rules.RightsChangeOutOfOrder,
                  rules.BillingAfterTermination, rules.LeaseAlreadyTerminated, rules.RenewalNotAllowed,
                  rules.DepositAlreadyRefunded, rules.DepositNotHeld, status=409)


def _read_book(request: Request, who: Principal, book_code: str, query: Callable[..., T],
               *args: Any) -> tuple[T, int]:
    """One read of a book the caller may read: ``query(tx, book_code, *args)`` and the log position it saw."""
    with read_book(request, who, book_code) as (tx, position):
        return query(tx, book_code, *args), position


def _read_one(request: Request, who: Principal, book_code: str, query: Callable[..., T | None], key: str,
              as_of: date | None, missing: type[Exception], what: str) -> tuple[T, date, int]:
    """One record of a book as of the reading date (``reading_date``: ``as_of``, or today in China);
    a missing one answers the domain's not-found problem (404). (the record, the day, the log position)"""
    day = reading_date(as_of)
    found, position = _read_book(request, who, book_code, query, key, day)
    if found is None:
        raise missing(f"no {what} {key!r} in {book_code}")
    return found, day, position


async def _write_lease(request: Request, who: Principal, book_code: str, reason: str, status: int,
                       use_case: Callable[[Any, Any], Lease]) -> Any:
    """A write in a book the caller may record in that answers with one lease as it now stands."""
    def command(uow, audit) -> Lease:
        writable_book(uow, who, book_code)
        return use_case(uow, audit)

    return await write(request, who, reason, command, lambda lease: (status, lease_json(lease)),
                       response_model=out.LeaseOut)


# --- rendering ------------------------------------------------------------------------
def _percent(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def rights_json(change: RightsChange) -> dict[str, Any]:
    share = change.collective_share_percent
    return {"effective_on": change.effective_on.isoformat(), "owner": change.holders.owner,
            "operator": change.holders.operator, "manager": change.holders.manager,
            "collective_share_percent": str(share) if share is not None else None}


def shop_front_json(shop_front: ShopFront) -> dict[str, Any]:
    return {"book_code": shop_front.book_code, "unit_number": shop_front.unit_number,
            "location": shop_front.location, "floor_area_m2": money(shop_front.floor_area_m2),
            "rights": [rights_json(change) for change in shop_front.rights]}


def tenant_json(tenant: Tenant) -> dict[str, Any]:
    return {"book_code": tenant.book_code, "tenant_code": tenant.tenant_code, "name": tenant.name,
            "kind": tenant.kind, "contact": tenant.contact, "credit": money(tenant.credit)}


def lease_json(lease: Lease) -> dict[str, Any]:
    terms = lease.terms
    return {
        "book_code": lease.book_code, "lease_code": lease.lease_code, "tenant_code": lease.tenant_code,
        "unit_numbers": list(lease.unit_numbers), "start_on": terms.start_on.isoformat(),
        "end_on": terms.end_on.isoformat(), "billing_from": lease.billing_from.isoformat(),
        "billing_frequency": terms.billing_frequency.value, "monthly_rent": money(terms.first_year_rent),
        "rent_per_m2_month": money(terms.rent_per_m2_month) if terms.rent_per_m2_month is not None else None,
        "rent_free_months": terms.rent_free_months, "escalation_percent": str(terms.escalation_percent),
        "deposit": money(terms.deposit), "contract_reference": terms.contract_reference,
        "terminated_on": _iso(lease.terminated_on),
        "renews": lease.renews, "renewed_by": lease.renewed_by, "renewal_declined": lease.renewal_declined,
        "deposit_received": money(lease.deposit_received), "deposit_refunded": money(lease.deposit_refunded),
        "deposit_applied": money(lease.deposit_applied), "deposit_held": money(lease.deposit_held),
        "months_billed": sorted(lease.billed),
    }


def billing_json(billing: MonthBilling) -> dict[str, Any]:
    invoice = billing.invoice
    return {
        "month": billing.month, "voucher_number": billing.voucher_number or None,
        "recognised": money(billing.recognised),
        "income_shares": [{"party": share.party or "collective", "amount": money(share.amount)}
                          for share in billing.income_shares],
        "invoice": None if invoice is None else {
            "invoice_number": invoice.invoice_number, "due_on": invoice.due_on.isoformat(),
            "period_start": _iso(invoice.period_start), "period_end": _iso(invoice.period_end),
            "amount": money(invoice.amount)},
    }


def run_json(run: BillingRun) -> dict[str, Any]:
    return {"month": run.month, "leases_billed": len(run.billed),
            "months_billed": sum(len(b) for b in run.billed.values()),
            "invoiced": money(run.invoiced), "recognised": money(run.recognised), "skipped": run.skipped,
            "leases": {code: [billing_json(b) for b in billed] for code, billed in run.billed.items()}}


def receipt_json(result: leasing.ReceiptResult) -> dict[str, Any]:
    receipt = result.receipt
    return {"receipt_number": receipt.receipt_number, "tenant_code": result.tenant.tenant_code,
            "received_on": receipt.received_on.isoformat(), "amount": money(receipt.amount),
            "amount_uppercase": uppercase_amount(receipt.amount), "voucher_number": receipt.voucher_number,
            "settled": [{"invoice_number": line.invoice_number, "amount": money(line.amount_applied)}
                        for line in result.settlement.lines],
            "to_credit": money(result.settlement.amount_unapplied), "tenant_credit": money(result.tenant.credit)}


def late_fee_run_json(run: LateFeeRun) -> dict[str, Any]:
    return {"as_of": run.as_of.isoformat(), "daily_rate": str(run.daily_rate), "total": money(run.total),
            "charged": [{"tenant_code": code, "invoice_number": invoice.invoice_number,
                         "amount": money(invoice.amount), "voucher_number": invoice.voucher_number}
                        for code, invoice in sorted(run.charged.items())]}


def _rights_row(row: read_models.RightsRow) -> dict[str, Any]:
    return row.__dict__


# --- the register ---------------------------------------------------------------------
@router.post("/books/{book_code}/shop-fronts", status_code=201, summary="登记门面 Register a shop-front",
             response_model=out.ShopFrontOut)
async def register_shop_front(book_code: BookCode, body: out.ShopFrontIn, request: Request, who: Who):
    """登记门面及其三权（所有权、经营权、管理权）。Register a shop-front with its owner, operator and manager."""
    def command(uow, audit) -> ShopFront:
        writable_book(uow, who, book_code)
        return leasing.register_shop_front(
            uow, audit, book_code, unit_number=body.unit_number, location=body.location,
            floor_area_m2=body.floor_area_m2, owner=body.owner, operator=body.operator, manager=body.manager,
            rights_effective_on=body.rights_effective_on,
            collective_share_percent=_percent(body.collective_share_percent))

    return await write(request, who, f"登记门面 {body.unit_number}", command,
                       lambda s: (201, shop_front_json(s)), response_model=out.ShopFrontOut)


@router.post("/books/{book_code}/shop-fronts/{unit_number}/rights-changes", status_code=201,
             summary="三权变更 Change a shop-front's rights holders", response_model=out.ShopFrontOut)
async def change_rights(book_code: BookCode, unit_number: Unit, body: out.RightsChangeIn, request: Request, who: Who):
    """按日期登记权属变更（不改写历史）。A dated change of the rights holders or the collective's share."""
    def command(uow, audit) -> ShopFront:
        writable_book(uow, who, book_code)
        return leasing.change_rights(uow, audit, book_code, unit_number, effective_on=body.effective_on,
                                     owner=body.owner, operator=body.operator, manager=body.manager,
                                     collective_share_percent=_percent(body.collective_share_percent))

    return await write(request, who, body.reason, command, lambda s: (201, shop_front_json(s)),
                       response_model=out.ShopFrontOut)


@router.get("/books/{book_code}/shop-fronts", summary="门面登记簿 Shop-front register",
            response_model=out.RegisterOut)
def list_shop_fronts(book_code: BookCode, request: Request, who: Who, as_of: AsOf = None,
                     limit: int | None = None, cursor: str | None = None):
    """门面登记簿：面积与截至 as_of 的三权。The register: areas and the rights holders in force on ``as_of``."""
    day = reading_date(as_of)
    size = page_limit(limit)
    rows, position = _read_book(request, who, book_code, read_models.rent_roll, day, cursor, size + 1)
    items = [{"unit_number": r.unit_number, "location": r.location, "floor_area_m2": money(r.floor_area_m2),
              "rights": _rights_row(r.rights)} for r in rows[:size]]
    return {"book_code": book_code, "as_of": day.isoformat(), "shop_fronts": items,
            "next_cursor": items[-1]["unit_number"] if len(rows) > size else None, "log_position": position}


@router.get("/books/{book_code}/shop-fronts/{unit_number}", summary="门面 Get a shop-front",
            response_model=out.ShopFrontRecordOut)
def get_shop_front(book_code: BookCode, unit_number: Unit, request: Request, who: Who, as_of: AsOf = None):
    """门面及其三权变更历史。A shop-front with the history of its rights holders and its leases."""
    record, day, position = _read_one(request, who, book_code, read_models.shop_front, unit_number, as_of,
                                      rules.ShopFrontNotFound, "shop-front")
    return {"book_code": book_code, "unit_number": unit_number, "location": record.location,
            "floor_area_m2": money(record.floor_area_m2), "as_of": day.isoformat(),
            "rights": _rights_row(record.rights), "rights_history": [_rights_row(r) for r in record.rights_history],
            "leases": [lease.__dict__ for lease in record.leases], "log_position": position}


# --- tenants ----------------------------------------------------------------------------
@router.post("/books/{book_code}/tenants", status_code=201, summary="登记承租人 Register a tenant",
             response_model=out.TenantOut)
async def register_tenant(book_code: BookCode, body: out.TenantIn, request: Request, who: Who):
    """登记承租人（个人或企业）及联系方式。Register a tenant (person or business) with a contact."""
    def command(uow, audit) -> Tenant:
        writable_book(uow, who, book_code)
        return leasing.register_tenant(uow, audit, book_code, tenant_code=body.tenant_code, name=body.name,
                                       kind=body.kind, contact=body.contact)

    return await write(request, who, f"登记承租人 {body.tenant_code}", command, lambda t: (201, tenant_json(t)),
                       response_model=out.TenantOut)


@router.get("/books/{book_code}/tenants", summary="承租人列表 List tenants", response_model=out.TenantsOut)
def list_tenants(book_code: BookCode, request: Request, who: Who, as_of: AsOf = None,
                 limit: int | None = None, cursor: str | None = None):
    """承租人列表。Tenants of the book in code order."""
    size = page_limit(limit)
    rows, position = _read_book(request, who, book_code, read_models.tenants_page, cursor, size + 1)
    items = [row.__dict__ for row in rows[:size]]
    return {"book_code": book_code, "tenants": items,
            "next_cursor": items[-1]["tenant_code"] if len(rows) > size else None, "log_position": position}


@router.post("/books/{book_code}/tenants/{tenant_code}/receipts", status_code=201, summary="收租 Record a receipt",
             response_model=out.ReceiptOut)
async def record_receipt(book_code: BookCode, tenant_code: TenantCode, body: out.ReceiptIn, request: Request, who: Who):
    """收到租金：先冲最早的未结发票，多收部分转为预收款。
    Rent received: settles the oldest open invoice first; an overpayment becomes the tenant's credit."""
    def command(uow, audit) -> leasing.ReceiptResult:
        writable_book(uow, who, book_code)
        return leasing.record_receipt(uow, audit, book_code, tenant_code, received_on=body.received_on,
                                      amount=body.amount, reference=body.reference)

    return await write(request, who, f"收门面租金 {tenant_code}", command, lambda r: (201, receipt_json(r)),
                       response_model=out.ReceiptOut)


@router.get("/books/{book_code}/tenants/{tenant_code}/statement", summary="承租人对账单 Tenant statement",
            response_model=out.StatementOut)
def get_tenant_statement(book_code: BookCode, tenant_code: TenantCode, request: Request, who: Who,
                         as_of: AsOf = None):
    """承租人对账单：截至 as_of 的发票、收款、余额及未结发票账龄。
    Invoices, receipts, credits and the balance as of any date, with the open invoices aged."""
    statement, day, position = _read_one(request, who, book_code, read_models.tenant_statement, tenant_code,
                                         as_of, rules.TenantNotFound, "tenant")
    balance = statement.balance
    return {
        "title_zh": "承租人对账单", "title_en": "Tenant statement", "book_code": book_code,
        "tenant_code": tenant_code, "name": statement.name, "kind": statement.kind, "contact": statement.contact,
        "as_of": day.isoformat(),
        "lines": [{"date": l.entry_date, "kind": l.kind, "reference": l.reference, "charge": money(l.charge),
                   "credit": money(l.credit), "balance": money(l.balance), "voucher_number": l.voucher_number}
                  for l in statement.lines],
        "total_charges": money(statement.charges), "total_credits": money(statement.credits),
        "balance": money(balance), "balance_uppercase": uppercase_amount(abs(balance)),
        "balance_kind": "owes" if balance > 0 else ("credit" if balance < 0 else "settled"),
        "open_invoices": [{"invoice_number": i.invoice_number, "due_on": i.due_on.isoformat(),
                           "amount_open": money(i.amount_open), "days_overdue": i.days_overdue, "bucket": i.bucket}
                          for i in statement.open_invoices],
        "log_position": position,
    }


# --- leases -----------------------------------------------------------------------------
@router.post("/books/{book_code}/leases", status_code=201, summary="签订租赁合同 Sign a lease",
             response_model=out.LeaseOut)
async def sign_lease(book_code: BookCode, body: out.LeaseIn, request: Request, who: Who):
    """签订租赁合同：期限不超过二十年，六个月以上须有书面合同，一个门面同一时间只有一份有效租约。
    Sign a lease: term ≤ 20 years, a written contract from 6 months, one active lease per shop-front."""
    return await _write_lease(request, who, book_code, f"签订租赁合同 {body.lease_code}", 201, lambda uow, audit: (
        leasing.sign_lease(uow, audit, book_code, lease_code=body.lease_code, tenant_code=body.tenant_code,
                           unit_numbers=body.unit_numbers, billing_from=body.billing_from, **body.terms())))


@router.get("/books/{book_code}/leases/{lease_code}", summary="租赁合同 Get a lease",
            response_model=out.LeaseRecordOut)
def get_lease(book_code: BookCode, lease_code: LeaseCode, request: Request, who: Who, as_of: AsOf = None):
    """租赁合同、状态、押金与逐月租金。A lease with its status, deposit movements and rent per month (through ``as_of``)."""
    lease, day, position = _read_one(request, who, book_code, read_models.lease_record, lease_code, as_of,
                                     rules.LeaseNotFound, "lease")
    terms = lease.terms
    return {
        "book_code": book_code, "lease_code": lease.lease_code, "tenant_code": lease.tenant_code,
        "unit_numbers": lease.unit_numbers, "start_on": lease.start_on, "end_on": lease.end_on,
        "billing_from": lease.billing_from, "terminated_on": lease.terminated_on,
        "termination_grounds": lease.grounds, "status": lease.status, "as_of": day.isoformat(),
        "billing_frequency": terms.billing_frequency.value, "monthly_rent_first_year": money(terms.first_year_rent),
        "monthly_rent_in_force": money(lease.monthly_rent_in_force),
        "rent_free_months": terms.rent_free_months, "escalation_percent": str(terms.escalation_percent),
        "deposit": money(terms.deposit), "contract_reference": terms.contract_reference,
        "renews": lease.renews, "renewed_by": lease.renewed_by, "renewal_declined": lease.renewal_declined,
        "deposit_movements": [{"date": d.on_date, "kind": d.kind, "amount": money(d.amount),
                               "voucher_number": d.voucher_number} for d in lease.deposits],
        "months": [{"month": m.month, "invoiced": money(m.invoiced), "recognised": money(m.recognised),
                    "to_collective": money(m.to_collective)} for m in lease.months],
        "log_position": position,
    }


@router.post("/books/{book_code}/leases/{lease_code}/renewal", status_code=201, summary="续租 Renew a lease",
             response_model=out.LeaseOut)
async def renew_lease(book_code: BookCode, lease_code: LeaseCode, body: out.RenewalIn, request: Request, who: Who):
    """原承租人以同等条件优先续租（民法典第734条），新租约自原租约到期次日起。
    The sitting tenant renews (Art. 734): a new lease of the same shop-fronts from the day after expiry."""
    reason = f"续租 {lease_code} → {body.new_lease_code}"
    return await _write_lease(request, who, book_code, reason, 201, lambda uow, audit: (
        leasing.renew_lease(uow, audit, book_code, lease_code, new_lease_code=body.new_lease_code, **body.terms())))


@router.post("/books/{book_code}/leases/{lease_code}/renewal-declined", status_code=200,
             summary="放弃优先续租 The sitting tenant declines to renew", response_model=out.LeaseOut)
async def decline_renewal(book_code: BookCode, lease_code: LeaseCode, request: Request, who: Who):
    """原承租人放弃优先承租权，门面到期后可租给他人。The sitting tenant waives the priority right to renew."""
    return await _write_lease(request, who, book_code, f"放弃续租 {lease_code}", 200, lambda uow, audit: (
        leasing.decline_renewal(uow, audit, book_code, lease_code)))


@router.post("/books/{book_code}/leases/{lease_code}/termination", status_code=200,
             summary="提前解约 Terminate a lease early", response_model=out.LeaseOut)
async def terminate_lease(book_code: BookCode, lease_code: LeaseCode, body: out.TerminationIn, request: Request,
                          who: Who):
    """提前解约：计租止于解约日，已开具的以后期间租金冲回。
    Early termination: accrual stops at the date; rent billed or earned beyond it is credited back."""
    return await _write_lease(request, who, book_code, body.reason, 200, lambda uow, audit: (
        leasing.terminate_lease(uow, audit, book_code, lease_code, terminated_on=body.terminated_on,
                                grounds=TerminationGrounds(body.grounds), demand_on=body.demand_on)))


@router.post("/books/{book_code}/leases/{lease_code}/billing", status_code=200, summary="按租约计租 Bill one lease",
             response_model=out.LeaseBillingOut)
async def bill_lease(book_code: BookCode, lease_code: LeaseCode, body: out.BillingIn, request: Request, who: Who):
    """对单份租约计租至指定月份（重复执行不重复计租；解约后的月份拒绝）。
    Bill one lease through a month; idempotent; months after termination are rejected."""
    def command(uow, audit) -> list[MonthBilling]:
        writable_book(uow, who, book_code)
        return leasing.bill_lease(uow, audit, book_code, lease_code, body.month)

    def render(billed: list[MonthBilling]) -> tuple[int, dict[str, Any]]:
        return 200, {"lease_code": lease_code, "month": body.month, "billed": [billing_json(b) for b in billed]}

    return await write(request, who, f"计租 {lease_code} {body.month}", command, render,
                       response_model=out.LeaseBillingOut)


@router.post("/books/{book_code}/leases/{lease_code}/deposit/receipts", status_code=201,
             summary="收押金 Receive the deposit", response_model=out.LeaseOut)
async def receive_deposit(book_code: BookCode, lease_code: LeaseCode, body: out.DepositReceiptIn, request: Request,
                          who: Who):
    """收取押金（不超过约定金额）：借 102 贷 211 押金。Deposit received, up to the agreed deposit."""
    return await _write_lease(request, who, book_code, f"收押金 {lease_code}", 201, lambda uow, audit: (
        leasing.receive_deposit(uow, audit, book_code, lease_code, received_on=body.received_on,
                                amount=body.amount)))


@router.post("/books/{book_code}/leases/{lease_code}/deposit/refund", status_code=200,
             summary="退押金 Refund the deposit", response_model=out.LeaseOut)
async def refund_deposit(book_code: BookCode, lease_code: LeaseCode, body: out.DepositRefundIn, request: Request,
                         who: Who):
    """租约终止或到期后退还剩余押金；重复退还被拒绝。Refund what is held of the deposit on termination or expiry."""
    return await _write_lease(request, who, book_code, f"退押金 {lease_code}", 200, lambda uow, audit: (
        leasing.refund_deposit(uow, audit, book_code, lease_code, refunded_on=body.refunded_on)))


@router.post("/books/{book_code}/leases/{lease_code}/deposit/application", status_code=200,
             summary="押金抵欠租 Apply the deposit to arrears", response_model=out.LeaseOut)
async def apply_deposit(book_code: BookCode, lease_code: LeaseCode, body: out.DepositApplicationIn, request: Request,
                        who: Who):
    """租约终止或到期后以押金抵扣欠租（先抵最早的发票）：借 211 押金 贷 112。
    On termination or expiry, apply the deposit to the tenant's arrears, oldest invoice first."""
    return await _write_lease(request, who, book_code, f"押金抵欠租 {lease_code}", 200, lambda uow, audit: (
        leasing.apply_deposit(uow, audit, book_code, lease_code, applied_on=body.applied_on,
                              amount=body.amount)))


# --- runs ---------------------------------------------------------------------------------
@router.post("/books/{book_code}/billing-runs", status_code=200, summary="批量计租 Billing run",
             response_model=out.BillingRunOut)
async def run_billing(book_code: BookCode, body: out.BillingIn, request: Request, who: Who):
    """对账套内全部租约计租至指定月份；重复执行不增加任何记录。
    Bill every lease of the book through a month; running it again adds nothing."""
    with read(request) as (tx, _):
        readable_book(tx, who, book_code)
        codes = read_models.lease_codes(tx, book_code)

    def command(uow, audit) -> BillingRun:
        writable_book(uow, who, book_code)
        return leasing.run_billing(uow, audit, book_code, codes, body.month)

    return await write(request, who, f"批量计租 {body.month}", command, lambda run: (200, run_json(run)),
                       response_model=out.BillingRunOut)


@router.post("/books/{book_code}/late-fee-runs", status_code=200, summary="计收滞纳金 Late-fee run",
             response_model=out.LateFeeRunOut)
async def run_late_fees(book_code: BookCode, body: out.LateFeeRunIn, request: Request, who: Who):
    """按日计收滞纳金（单利，不计复利），截至 as_of，计至实际缴纳之日；同一日期重复执行不增加任何记录。
    Late fees as of a date: simple daily interest on rent unpaid after its due date, through the day it is paid;
    idempotent."""
    with read(request) as (tx, _):
        readable_book(tx, who, book_code)
        codes = read_models.tenant_codes(tx, book_code)

    def command(uow, audit) -> LateFeeRun:
        writable_book(uow, who, book_code)
        return leasing.run_late_fees(uow, audit, book_code, codes, as_of=body.as_of,
                                     daily_rate=Decimal(body.daily_rate))

    return await write(request, who, f"计收滞纳金 截至 {body.as_of.isoformat()}", command,
                       lambda run: (200, late_fee_run_json(run)), response_model=out.LateFeeRunOut)


# --- reports -----------------------------------------------------------------------------
@router.get("/books/{book_code}/rent-roll", summary="租金清册 Rent roll", response_model=out.RentRollOut)
def get_rent_roll(book_code: BookCode, request: Request, who: Who, as_of: AsOf = None,
                  limit: int | None = None, cursor: str | None = None):
    """租金清册：每个门面截至 as_of 的租约、承租人、月租金或空置。
    Each shop-front with its lease, tenant and monthly rent in force on ``as_of``, or vacant."""
    day = reading_date(as_of)
    size = page_limit(limit)
    with read(request) as (tx, position):
        info = readable_book(tx, who, book_code)
        rows = read_models.rent_roll(tx, book_code, day, cursor, size + 1)
    page = rows[:size]
    items = [{"unit_number": r.unit_number, "location": r.location, "floor_area_m2": money(r.floor_area_m2),
              "operator": r.rights.operator, "vacant": r.vacant, "lease_code": r.lease_code,
              "tenant_code": r.tenant_code, "tenant_name": r.tenant_name, "start_on": r.start_on,
              "end_on": r.end_on, "billing_frequency": r.billing_frequency,
              "monthly_rent": money(r.monthly_rent) if r.monthly_rent is not None else None} for r in page]
    rent_total = sum((r.monthly_rent for r in page if r.monthly_rent is not None), Decimal("0.00"))
    return {"title_zh": "租金清册", "title_en": "Rent roll", "book_code": book_code,
            "community_id": info.community_id, "as_of": day.isoformat(), "shop_fronts": items,
            "leased": sum(1 for r in page if not r.vacant), "vacant": sum(1 for r in page if r.vacant),
            "monthly_rent_total": money(rent_total), "monthly_rent_total_uppercase": uppercase_amount(rent_total),
            "next_cursor": items[-1]["unit_number"] if len(rows) > size else None, "log_position": position}


@router.get("/books/{book_code}/arrears-aging", summary="欠租账龄 Arrears aging", response_model=out.ArrearsAgingOut)
def get_arrears_aging(book_code: BookCode, request: Request, who: Who, as_of: AsOf = None):
    """欠租账龄：按承租人及合计，分未到期、1–30、31–90、91–180、180 天以上。
    Open invoices aged as of a date, per tenant and in total: not due, 1–30, 31–90, 91–180, over 180 days."""
    day = reading_date(as_of)
    with read(request) as (tx, position):
        info = readable_book(tx, who, book_code)
        aging = read_models.arrears_aging(tx, book_code, day)
    total = aging.total
    return {"title_zh": "欠租账龄分析", "title_en": "Arrears aging", "book_code": book_code,
            "community_id": info.community_id, "as_of": day.isoformat(), "buckets": list(AGING_BUCKETS),
            "tenants": [{"tenant_code": t.tenant_code, "name": t.name,
                         "buckets": {b: money(a) for b, a in t.buckets.items()}, "total": money(t.total)}
                        for t in aging.tenants],
            "totals": {b: money(a) for b, a in aging.totals.items()}, "total": money(total),
            "total_uppercase": uppercase_amount(total), "log_position": position}


@router.get("/books/{book_code}/occupancy", summary="出租率与租金收入 Occupancy and rent income",
            response_model=out.OccupancyOut)
def get_occupancy(book_code: BookCode, request: Request, who: Who, as_of: AsOf = None,
                  from_month: Annotated[str | None, Query(alias="from", pattern=MONTH_PATTERN)] = None,
                  to_month: Annotated[str | None, Query(alias="to", pattern=MONTH_PATTERN)] = None):
    """每月出租率与租金收入（开票、确认收入、归集体部分）。
    Per month: shop-fronts leased on the month's last day, rent invoiced, rent earned and the collective's part."""
    day = reading_date(as_of)
    last = to_month or f"{day.year:04d}-{day.month:02d}"
    first = from_month or f"{day.year - 1:04d}-{day.month:02d}"
    if first > last:
        raise ApiProblem(422, "invalid-period", "Invalid period", "from must not be after to")
    with read(request) as (tx, position):
        info = readable_book(tx, who, book_code)
        months = read_models.occupancy_and_income(tx, book_code, first, last, day)
    return {"title_zh": "出租率与租金收入", "title_en": "Occupancy and rent income", "book_code": book_code,
            "community_id": info.community_id, "as_of": day.isoformat(),
            "months": [{"month": m.month, "shop_fronts": m.shop_fronts, "occupied": m.occupied,
                        "vacant": m.shop_fronts - m.occupied, "occupancy_percent": str(m.occupancy_percent),
                        "floor_area_m2": money(m.floor_area_m2), "occupied_area_m2": money(m.occupied_area_m2),
                        "rent_invoiced": money(m.rent_invoiced), "rent_recognised": money(m.rent_recognised),
                        "rent_to_collective": money(m.rent_to_collective)} for m in months],
            "log_position": position}
