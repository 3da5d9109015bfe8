"""Shop-front leases (门面租赁): the register, tenants, leases, billing, receipts, deposits, late fees.

Every resource lives under the collective's book that receives the rent
(``/books/{book_code}/...``); the book's community scopes who may record and read.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import Field, Strict, StringConstraints

from api.auth import principal, require_read, require_write, runtime_of
from api.errors import ApiProblem, register_conflict
from api.http import page_limit, read, today_cst
from api.http import write as write_command
from api.runtime import Principal
from api.schemas import AmountIn, Code, Model, StrictDate, Text, money
from domain.leases import application as leasing
from domain.leases.collection import AGING_BUCKETS, LATE_FEE_DAILY_RATE_DEFAULT
from domain.leases.model import (
    BillingAfterTermination,
    DepositAlreadyRefunded,
    DepositNotHeld,
    Lease,
    LeaseAlreadyExists,
    LeaseAlreadyTerminated,
    OverlappingLease,
    RenewalNotAllowed,
    RightsChange,
    RightsChangeOutOfOrder,
    ShopFront,
    ShopFrontAlreadyRegistered,
    SittingTenantHasPriority,
    Tenant,
    TenantAlreadyRegistered,
    TerminationGrounds,
)
from domain.leases.rights import RightsHolders
from domain.leases.terms import monthly_rent_in_force
from ledger.money import from_fen, uppercase_amount
from ledger.sqldb import Transaction
from ledger.writer import UnitOfWork
from projections import leases as read_models
from projections.ledger_reports import BookInfo, book_info

router = APIRouter(tags=["leases 门面租赁"])
Who = Annotated[Principal, Depends(principal)]
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
Month = Annotated[str, Strict(), StringConstraints(pattern=MONTH_PATTERN)]
PercentIn = Annotated[str, Strict(), StringConstraints(pattern=r"^-?\d{1,3}(\.\d{1,4})?$")]
BookCode = Annotated[str, Path(pattern=CODE_PATTERN)]
Unit = Annotated[str, Path(pattern=CODE_PATTERN)]
TenantCode = Annotated[str, Path(pattern=CODE_PATTERN)]
LeaseCode = Annotated[str, Path(pattern=CODE_PATTERN)]

# Conflicts with the state of the register or a lease are 409s; other broken rules stay 422.
register_conflict(ShopFrontAlreadyRegistered, TenantAlreadyRegistered, LeaseAlreadyExists, OverlappingLease,
                  SittingTenantHasPriority, RightsChangeOutOfOrder, BillingAfterTermination, LeaseAlreadyTerminated,
                  RenewalNotAllowed, DepositAlreadyRefunded, DepositNotHeld, status=409)


# --- wire types -----------------------------------------------------------------------
class ShopFrontIn(Model):
    unit_number: Code = Field(description="门面编号 Unit number")
    location: Text = Field(description="位置 Location")
    floor_area_m2: AmountIn = Field(description="面积（平方米）Floor area in m², two decimals at most")
    owner: Code = Field(description="所有权人 Owner (所有权), e.g. the county platform company")
    operator: Code = Field(description="经营权人 Operator (经营权); the collective is named by its book code")
    manager: Code = Field(description="管理权人 Manager (管理权), e.g. the community property company")
    collective_share_percent: PercentIn | None = Field(
        None, description="集体计提比例 Share of operating income credited to the collective, percent "
                          "(default 100 where the collective is the operator)")
    rights_effective_on: StrictDate = Field(description="权属生效日期 Date the rights holders hold from")


class RightsChangeIn(Model):
    effective_on: StrictDate = Field(description="变更生效日期 Effective date (after the latest change)")
    owner: Code
    operator: Code
    manager: Code
    collective_share_percent: PercentIn | None = None
    reason: Text = Field("三权变更", description="原因 Reason")


class TenantIn(Model):
    tenant_code: Code = Field(description="承租人编号 Tenant code")
    name: Text = Field(description="名称 Name of the person or business")
    kind: Annotated[str, Strict(), StringConstraints(pattern=r"^(person|business)$")] = Field(
        description="类型 person | business")
    contact: Text = Field(description="联系方式 Contact (phone or address)")


class TermsIn(Model):
    start_on: StrictDate = Field(description="起租日 First day of the term")
    end_on: StrictDate = Field(description="到期日 Last day of the term (≤ 20 years)")
    billing_frequency: Annotated[str, Strict(), StringConstraints(pattern=r"^(monthly|quarterly|yearly)$")] = Field(
        description="收租周期 monthly | quarterly | yearly (in advance)")
    monthly_rent: AmountIn | None = Field(None, description="月租金 Rent per month (or give rent_per_m2_month)")
    rent_per_m2_month: AmountIn | None = Field(None, description="每平方米月租金 Rent per m² per month")
    rent_free_months: Annotated[int, Strict(), Field(ge=0, le=240)] = Field(0, description="免租月数 Rent-free months")
    escalation_percent: PercentIn = Field("0", description="年递增率 Yearly escalation, percent")
    deposit: AmountIn = Field("0.00", description="押金 Deposit agreed")
    contract_reference: Annotated[str, Strict(), StringConstraints(max_length=100)] | None = Field(
        None, description="书面合同编号 Written contract reference (required from 6 months)")


class LeaseIn(TermsIn):
    lease_code: Code = Field(description="合同编号 Lease code")
    tenant_code: Code = Field(description="承租人 Tenant code")
    unit_numbers: list[Code] = Field(min_length=1, max_length=leasing.MAX_UNITS_PER_LEASE,
                                     description="门面 Shop-fronts leased")
    billing_from: StrictDate | None = Field(
        None, description="开始计租日 First day billed here (default the start; later for leases taken over "
                          "from earlier records)")


class RenewalIn(Model):
    new_lease_code: Code = Field(description="续租合同编号 Code of the renewed lease")
    end_on: StrictDate
    billing_frequency: Annotated[str, Strict(), StringConstraints(pattern=r"^(monthly|quarterly|yearly)$")]
    monthly_rent: AmountIn | None = None
    rent_per_m2_month: AmountIn | None = None
    rent_free_months: Annotated[int, Strict(), Field(ge=0, le=240)] = 0
    escalation_percent: PercentIn = "0"
    deposit: AmountIn = "0.00"
    contract_reference: Annotated[str, Strict(), StringConstraints(max_length=100)] | None = None


class TerminationIn(Model):
    terminated_on: StrictDate = Field(description="解约日 Last day of the lease (accrual stops after it)")
    grounds: Annotated[str, Strict(), StringConstraints(pattern=r"^(agreement|non_payment)$")] = Field(
        "agreement", description="解约原因 agreement | non_payment (needs a demand, 民法典 Art. 722)")
    demand_on: StrictDate | None = Field(None, description="催告日 Date of the demand for payment")
    reason: Text = Field("提前解约", description="摘要 Reason")


class BillingIn(Model):
    month: Month = Field(description="计租月份 Bill every month not yet billed through this month (YYYY-MM)")


class ReceiptIn(Model):
    received_on: StrictDate = Field(description="收款日 Date received")
    amount: AmountIn = Field(description="金额 Amount received")
    reference: Annotated[str, Strict(), StringConstraints(max_length=100)] = Field(
        "", description="凭据 Bank slip or receipt reference")


class DepositReceiptIn(Model):
    received_on: StrictDate
    amount: AmountIn


class DepositRefundIn(Model):
    refunded_on: StrictDate


class DepositApplicationIn(Model):
    applied_on: StrictDate
    amount: AmountIn | None = Field(None, description="金额 Amount applied (default: as much as arrears and the "
                                                      "deposit allow)")


class LateFeeRunIn(Model):
    as_of: StrictDate = Field(description="计算截至日 Charge late fees for the days through this date")
    daily_rate: Annotated[str, Strict(), StringConstraints(pattern=r"^0(\.\d{1,8})?$")] = Field(
        str(LATE_FEE_DAILY_RATE_DEFAULT), description="日费率 Daily rate (default 0.0005 = 0.05 % a day)")


# --- helpers --------------------------------------------------------------------------
async def write(request: Request, who: Principal, reason: str, command, render):  # noqa: ANN001, ANN201
    """``api.http.write``, then wait until the read models hold the write (read-your-writes).

    The writer resolves a command's future before it records its commit position,
    so a read sent the moment a write answers could otherwise miss it.
    """
    response = await write_command(request, who, reason, command, render)
    position = json.loads(response.body).get("log_position") if response.status_code < 300 else None
    if isinstance(position, int):
        await asyncio.to_thread(runtime_of(request).wait_for, position)
    return response


def guarded_book(uow: UnitOfWork, who: Principal, book_code: str) -> None:
    """The caller may record for the book's community (checked on the aggregate)."""
    book = leasing.get_collective_book(uow, book_code)
    require_write(who, book.community_id, book.township_id)


def readable_book(tx: Transaction, who: Principal, book_code: str) -> BookInfo:
    info = book_info(tx, book_code)
    if info is None:
        raise ApiProblem(404, "book-not-found", "Book not found", f"no book {book_code!r}")
    require_read(who, info.community_id, info.township_id)
    return info


def _percent(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def _terms(body: TermsIn | RenewalIn, start_on: date) -> leasing.TermsInput:
    return leasing.TermsInput(
        start_on=start_on, end_on=body.end_on, billing_frequency=body.billing_frequency,
        monthly_rent=body.monthly_rent, rent_per_m2_month=body.rent_per_m2_month,
        rent_free_months=body.rent_free_months, escalation_percent=body.escalation_percent,
        deposit=body.deposit, contract_reference=body.contract_reference)


def _key(request: Request) -> str | None:
    return request.headers.get("idempotency-key")


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
        "terminated_on": lease.terminated_on.isoformat() if lease.terminated_on else None,
        "renews": lease.renews, "renewed_by": lease.renewed_by, "renewal_declined": lease.renewal_declined,
        "deposit_received": money(lease.deposit_received), "deposit_refunded": money(lease.deposit_refunded),
        "deposit_applied": money(lease.deposit_applied), "deposit_held": money(lease.deposit_held),
        "months_billed": sorted(lease.billed),
    }


def billing_json(billing) -> dict[str, Any]:  # noqa: ANN001 - MonthBilling
    invoice = billing.invoice
    return {
        "month": billing.month, "voucher_number": billing.voucher_number or None,
        "recognised": money(billing.recognised),
        "income_shares": [{"party": share.party or "collective", "amount": money(share.amount)}
                          for share in billing.income_shares],
        "invoice": None if invoice is None else {
            "invoice_number": invoice.invoice_number, "due_on": invoice.due_on.isoformat(),
            "period_start": invoice.period_start.isoformat() if invoice.period_start else None,
            "period_end": invoice.period_end.isoformat() if invoice.period_end else None,
            "amount": money(invoice.amount)},
    }


def run_json(run: leasing.BillingRun) -> dict[str, Any]:
    return {"month": run.month, "leases_billed": len(run.billed),
            "months_billed": sum(len(b) for b in run.billed.values()),
            "invoiced": money(run.invoiced), "recognised": money(run.recognised), "skipped": run.skipped,
            "leases": {code: [billing_json(b) for b in billed] for code, billed in run.billed.items()}}


# --- the register ---------------------------------------------------------------------
@router.post("/books/{book_code}/shop-fronts", status_code=201, summary="登记门面 Register a shop-front")
async def register_shop_front(book_code: BookCode, body: ShopFrontIn, request: Request, who: Who):
    """登记门面及其三权（所有权、经营权、管理权）。Register a shop-front with its owner, operator and manager."""
    reason = f"登记门面 {body.unit_number}"

    def command(uow: UnitOfWork) -> ShopFront:
        guarded_book(uow, who, book_code)
        holders = RightsHolders(body.owner, body.operator, body.manager)
        return leasing.register_shop_front(
            uow, who.audit(reason, _key(request)), book_code, unit_number=body.unit_number, location=body.location,
            floor_area_m2=body.floor_area_m2, holders=holders, rights_effective_on=body.rights_effective_on,
            collective_share_percent=_percent(body.collective_share_percent))

    return await write(request, who, reason, command, lambda s: (201, shop_front_json(s)))


@router.post("/books/{book_code}/shop-fronts/{unit_number}/rights-changes", status_code=201,
             summary="三权变更 Change a shop-front's rights holders")
async def change_rights(book_code: BookCode, unit_number: Unit, body: RightsChangeIn, request: Request, who: Who):
    """按日期登记权属变更（不改写历史）。A dated change of the rights holders or the collective's share."""
    def command(uow: UnitOfWork) -> ShopFront:
        guarded_book(uow, who, book_code)
        change = RightsChange(body.effective_on, RightsHolders(body.owner, body.operator, body.manager),
                              _percent(body.collective_share_percent))
        return leasing.change_rights(uow, who.audit(body.reason, _key(request)), book_code, unit_number, change)

    return await write(request, who, body.reason, command, lambda s: (201, shop_front_json(s)))


@router.get("/books/{book_code}/shop-fronts", summary="门面登记簿 Shop-front register")
def list_shop_fronts(book_code: BookCode, request: Request, who: Who, as_of: date | None = None,
                     limit: int | None = None, cursor: str | None = None):
    """门面登记簿：面积与截至 as_of 的三权。The register: areas and the rights holders in force on ``as_of``."""
    as_of = as_of or today_cst()
    size = page_limit(limit)
    with read(request) as (tx, position):
        readable_book(tx, who, book_code)
        rows = read_models.rent_roll(tx, book_code, as_of, cursor, size + 1)
    items = [{"unit_number": r.unit_number, "location": r.location, "floor_area_m2": money(r.floor_area_m2),
              "rights": r.rights.__dict__} for r in rows[:size]]
    return {"book_code": book_code, "as_of": as_of.isoformat(), "shop_fronts": items,
            "next_cursor": items[-1]["unit_number"] if len(rows) > size else None, "log_position": position}


@router.get("/books/{book_code}/shop-fronts/{unit_number}", summary="门面 Get a shop-front")
def get_shop_front(book_code: BookCode, unit_number: Unit, request: Request, who: Who, as_of: date | None = None):
    """门面及其三权变更历史。A shop-front with the history of its rights holders and its leases."""
    as_of = as_of or today_cst()
    with read(request) as (tx, position):
        readable_book(tx, who, book_code)
        row = tx.query_one("SELECT location, floor_area_m2 FROM anju_lease_shop_fronts WHERE book_code = ?"
                           " AND unit_number = ?", (book_code, unit_number))
        if row is None:
            raise ApiProblem(404, "shop-front-not-found", "Shop-front not found", f"no shop-front {unit_number!r}")
        history = read_models.rights_history(tx, book_code, unit_number)
        leases = tx.query("SELECT lease_code, start_on, end_on FROM anju_lease_occupancy WHERE book_code = ?"
                          " AND unit_number = ? AND start_on <= ? ORDER BY start_on",
                          (book_code, unit_number, as_of.isoformat()))
    return {"book_code": book_code, "unit_number": unit_number, "location": row[0],
            "floor_area_m2": money(Decimal(row[1])), "as_of": as_of.isoformat(),
            "rights": read_models.rights_as_of(history, as_of).__dict__,
            "rights_history": [r.__dict__ for r in history if r.effective_on <= as_of.isoformat()] or
            [history[0].__dict__],
            "leases": [{"lease_code": c, "start_on": s, "end_on": e} for c, s, e in leases],
            "log_position": position}


# --- tenants ----------------------------------------------------------------------------
@router.post("/books/{book_code}/tenants", status_code=201, summary="登记承租人 Register a tenant")
async def register_tenant(book_code: BookCode, body: TenantIn, request: Request, who: Who):
    """登记承租人（个人或企业）及联系方式。Register a tenant (person or business) with a contact."""
    reason = f"登记承租人 {body.tenant_code}"

    def command(uow: UnitOfWork) -> Tenant:
        guarded_book(uow, who, book_code)
        return leasing.register_tenant(uow, who.audit(reason, _key(request)), book_code,
                                       tenant_code=body.tenant_code, name=body.name, kind=body.kind,
                                       contact=body.contact)

    return await write(request, who, reason, command, lambda t: (201, tenant_json(t)))


@router.get("/books/{book_code}/tenants", summary="承租人列表 List tenants")
def list_tenants(book_code: BookCode, request: Request, who: Who, as_of: date | None = None,
                 limit: int | None = None, cursor: str | None = None):
    """承租人列表。Tenants of the book in code order."""
    size = page_limit(limit)
    with read(request) as (tx, position):
        readable_book(tx, who, book_code)
        rows = tx.query("SELECT tenant_code, name, kind, contact FROM anju_lease_tenants WHERE book_code = ?"
                        " AND tenant_code > ? ORDER BY tenant_code LIMIT ?", (book_code, cursor or "", size + 1))
    items = [{"tenant_code": r[0], "name": r[1], "kind": r[2], "contact": r[3]} for r in rows[:size]]
    return {"book_code": book_code, "tenants": items,
            "next_cursor": items[-1]["tenant_code"] if len(rows) > size else None, "log_position": position}


@router.post("/books/{book_code}/tenants/{tenant_code}/receipts", status_code=201, summary="收租 Record a receipt")
async def record_receipt(book_code: BookCode, tenant_code: TenantCode, body: ReceiptIn, request: Request, who: Who):
    """收到租金：先冲最早的未结发票，多收部分转为预收款。
    Rent received: settles the oldest open invoice first; an overpayment becomes the tenant's credit."""
    reason = f"收门面租金 {tenant_code}"

    def command(uow: UnitOfWork) -> leasing.ReceiptResult:
        guarded_book(uow, who, book_code)
        return leasing.record_receipt(uow, who.audit(reason, _key(request)), book_code, tenant_code,
                                      received_on=body.received_on, amount=body.amount, reference=body.reference)

    def render(result: leasing.ReceiptResult) -> tuple[int, dict[str, Any]]:
        receipt = result.receipt
        return 201, {"receipt_number": receipt.receipt_number, "tenant_code": tenant_code,
                     "received_on": receipt.received_on.isoformat(), "amount": money(receipt.amount),
                     "amount_uppercase": uppercase_amount(receipt.amount), "voucher_number": receipt.voucher_number,
                     "settled": [{"invoice_number": line.invoice_number, "amount": money(line.amount_applied)}
                                 for line in result.settlement.lines],
                     "to_credit": money(result.settlement.amount_unapplied),
                     "tenant_credit": money(result.tenant.credit)}

    return await write(request, who, reason, command, render)


@router.get("/books/{book_code}/tenants/{tenant_code}/statement", summary="承租人对账单 Tenant statement")
def get_tenant_statement(book_code: BookCode, tenant_code: TenantCode, request: Request, who: Who,
                         as_of: date | None = None):
    """承租人对账单：截至 as_of 的发票、收款、余额及未结发票账龄。
    Invoices, receipts, credits and the balance as of any date, with the open invoices aged."""
    as_of = as_of or today_cst()
    with read(request) as (tx, position):
        readable_book(tx, who, book_code)
        statement = read_models.tenant_statement(tx, book_code, tenant_code, as_of)
    if statement is None:
        raise ApiProblem(404, "tenant-not-found", "Tenant not found", f"no tenant {tenant_code!r} in {book_code}")
    balance = statement.balance
    return {
        "title_zh": "承租人对账单", "title_en": "Tenant statement", "book_code": book_code,
        "tenant_code": tenant_code, "name": statement.name, "kind": statement.kind, "contact": statement.contact,
        "as_of": as_of.isoformat(),
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
@router.post("/books/{book_code}/leases", status_code=201, summary="签订租赁合同 Sign a lease")
async def sign_lease(book_code: BookCode, body: LeaseIn, request: Request, who: Who):
    """签订租赁合同：期限不超过二十年，六个月以上须有书面合同，一个门面同一时间只有一份有效租约。
    Sign a lease: term ≤ 20 years, a written contract from 6 months, one active lease per shop-front."""
    reason = f"签订租赁合同 {body.lease_code}"

    def command(uow: UnitOfWork) -> Lease:
        guarded_book(uow, who, book_code)
        return leasing.sign_lease(uow, who.audit(reason, _key(request)), book_code, lease_code=body.lease_code,
                                  tenant_code=body.tenant_code, unit_numbers=body.unit_numbers,
                                  terms=_terms(body, body.start_on), billing_from=body.billing_from)

    return await write(request, who, reason, command, lambda lease: (201, lease_json(lease)))


@router.get("/books/{book_code}/leases/{lease_code}", summary="租赁合同 Get a lease")
def get_lease(book_code: BookCode, lease_code: LeaseCode, request: Request, who: Who, as_of: date | None = None):
    """租赁合同、押金与逐月租金。A lease with its deposit movements and rent per month (through ``as_of``)."""
    as_of = as_of or today_cst()
    with read(request) as (tx, position):
        readable_book(tx, who, book_code)
        found = read_models.lease_row(tx, book_code, lease_code)
    if found is None:
        raise ApiProblem(404, "lease-not-found", "Lease not found", f"no lease {lease_code!r} in {book_code}")
    (code, tenant, units, start_on, end_on, billing_from, terminated_on, grounds, terms_text, renews, renewed_by,
     declined) = found["row"]
    terms = read_models.terms_from_json(terms_text)
    day = min(max(as_of, terms.start_on), terms.end_on)
    status = ("not_started" if as_of < terms.start_on else
              "terminated" if terminated_on and as_of.isoformat() > terminated_on else
              "expired" if as_of > terms.end_on else "active")
    return {
        "book_code": book_code, "lease_code": code, "tenant_code": tenant, "unit_numbers": json.loads(units),
        "start_on": start_on, "end_on": end_on, "billing_from": billing_from, "terminated_on": terminated_on,
        "termination_grounds": grounds, "status": status, "as_of": as_of.isoformat(),
        "billing_frequency": terms.billing_frequency.value, "monthly_rent_first_year": money(terms.first_year_rent),
        "monthly_rent_in_force": money(monthly_rent_in_force(terms, day)),
        "rent_free_months": terms.rent_free_months, "escalation_percent": str(terms.escalation_percent),
        "deposit": money(terms.deposit), "contract_reference": terms.contract_reference,
        "renews": renews, "renewed_by": renewed_by, "renewal_declined": bool(declined),
        "deposit_movements": [{"date": d, "kind": k, "amount": money(from_fen(int(a))),
                               "voucher_number": v} for d, k, a, v in found["deposits"] if d <= as_of.isoformat()],
        "months": [{"month": m, "invoiced": money(from_fen(int(i))),
                    "recognised": money(from_fen(int(r))),
                    "to_collective": money(from_fen(int(c)))}
                   for m, i, r, c in found["income"] if m <= as_of.isoformat()[:7]],
        "log_position": position,
    }


@router.post("/books/{book_code}/leases/{lease_code}/renewal", status_code=201, summary="续租 Renew a lease")
async def renew_lease(book_code: BookCode, lease_code: LeaseCode, body: RenewalIn, request: Request, who: Who):
    """原承租人以同等条件优先续租（民法典第734条），新租约自原租约到期次日起。
    The sitting tenant renews (Art. 734): a new lease of the same shop-fronts from the day after expiry."""
    reason = f"续租 {lease_code} → {body.new_lease_code}"

    def command(uow: UnitOfWork) -> Lease:
        guarded_book(uow, who, book_code)
        old = leasing.get_lease(uow, book_code, lease_code)
        return leasing.renew_lease(uow, who.audit(reason, _key(request)), book_code, lease_code,
                                   new_lease_code=body.new_lease_code,
                                   terms=_terms(body, old.terms.end_on + timedelta(days=1)))

    return await write(request, who, reason, command, lambda lease: (201, lease_json(lease)))


@router.post("/books/{book_code}/leases/{lease_code}/renewal-declined", status_code=200,
             summary="放弃优先续租 The sitting tenant declines to renew")
async def decline_renewal(book_code: BookCode, lease_code: LeaseCode, request: Request, who: Who):
    """原承租人放弃优先承租权，门面到期后可租给他人。The sitting tenant waives the priority right to renew."""
    reason = f"放弃续租 {lease_code}"

    def command(uow: UnitOfWork) -> Lease:
        guarded_book(uow, who, book_code)
        return leasing.decline_renewal(uow, who.audit(reason, _key(request)), book_code, lease_code)

    return await write(request, who, reason, command, lambda lease: (200, lease_json(lease)))


@router.post("/books/{book_code}/leases/{lease_code}/termination", status_code=200,
             summary="提前解约 Terminate a lease early")
async def terminate_lease(book_code: BookCode, lease_code: LeaseCode, body: TerminationIn, request: Request,
                          who: Who):
    """提前解约：计租止于解约日，已开具的以后期间租金冲回。
    Early termination: accrual stops at the date; rent billed or earned beyond it is credited back."""
    def command(uow: UnitOfWork) -> Lease:
        guarded_book(uow, who, book_code)
        return leasing.terminate_lease(uow, who.audit(body.reason, _key(request)), book_code, lease_code,
                                       terminated_on=body.terminated_on, grounds=TerminationGrounds(body.grounds),
                                       demand_on=body.demand_on)

    return await write(request, who, body.reason, command, lambda lease: (200, lease_json(lease)))


@router.post("/books/{book_code}/leases/{lease_code}/billing", status_code=200, summary="按租约计租 Bill one lease")
async def bill_lease(book_code: BookCode, lease_code: LeaseCode, body: BillingIn, request: Request, who: Who):
    """对单份租约计租至指定月份（重复执行不重复计租；解约后的月份拒绝）。
    Bill one lease through a month; idempotent; months after termination are rejected."""
    reason = f"计租 {lease_code} {body.month}"

    def command(uow: UnitOfWork) -> list:
        guarded_book(uow, who, book_code)
        return leasing.bill_lease(uow, who.audit(reason, _key(request)), book_code, lease_code, body.month)

    return await write(request, who, reason, command,
                       lambda billed: (200, {"lease_code": lease_code, "month": body.month,
                                             "billed": [billing_json(b) for b in billed]}))


@router.post("/books/{book_code}/leases/{lease_code}/deposit/receipts", status_code=201,
             summary="收押金 Receive the deposit")
async def receive_deposit(book_code: BookCode, lease_code: LeaseCode, body: DepositReceiptIn, request: Request,
                          who: Who):
    """收取押金（不超过约定金额）：借 102 贷 211 押金。Deposit received, up to the agreed deposit."""
    reason = f"收押金 {lease_code}"

    def command(uow: UnitOfWork) -> Lease:
        guarded_book(uow, who, book_code)
        return leasing.receive_deposit(uow, who.audit(reason, _key(request)), book_code, lease_code,
                                       received_on=body.received_on, amount=body.amount)

    return await write(request, who, reason, command, lambda lease: (201, lease_json(lease)))


@router.post("/books/{book_code}/leases/{lease_code}/deposit/refund", status_code=200,
             summary="退押金 Refund the deposit")
async def refund_deposit(book_code: BookCode, lease_code: LeaseCode, body: DepositRefundIn, request: Request,
                         who: Who):
    """租约终止或到期后退还剩余押金；重复退还被拒绝。Refund what is held of the deposit on termination or expiry."""
    reason = f"退押金 {lease_code}"

    def command(uow: UnitOfWork) -> Lease:
        guarded_book(uow, who, book_code)
        return leasing.refund_deposit(uow, who.audit(reason, _key(request)), book_code, lease_code,
                                      refunded_on=body.refunded_on)

    return await write(request, who, reason, command, lambda lease: (200, lease_json(lease)))


@router.post("/books/{book_code}/leases/{lease_code}/deposit/application", status_code=200,
             summary="押金抵欠租 Apply the deposit to arrears")
async def apply_deposit(book_code: BookCode, lease_code: LeaseCode, body: DepositApplicationIn, request: Request,
                        who: Who):
    """租约终止或到期后以押金抵扣欠租（先抵最早的发票）：借 211 押金 贷 112。
    On termination or expiry, apply the deposit to the tenant's arrears, oldest invoice first."""
    reason = f"押金抵欠租 {lease_code}"

    def command(uow: UnitOfWork) -> Lease:
        guarded_book(uow, who, book_code)
        return leasing.apply_deposit(uow, who.audit(reason, _key(request)), book_code, lease_code,
                                     applied_on=body.applied_on, amount=body.amount)

    return await write(request, who, reason, command, lambda lease: (200, lease_json(lease)))


# --- runs ---------------------------------------------------------------------------------
@router.post("/books/{book_code}/billing-runs", status_code=200, summary="批量计租 Billing run")
async def run_billing(book_code: BookCode, body: BillingIn, request: Request, who: Who):
    """对账套内全部租约计租至指定月份；重复执行不增加任何记录。
    Bill every lease of the book through a month; running it again adds nothing."""
    reason = f"批量计租 {body.month}"
    with read(request) as (tx, _):
        readable_book(tx, who, book_code)
        codes = read_models.lease_codes(tx, book_code)

    def command(uow: UnitOfWork) -> leasing.BillingRun:
        guarded_book(uow, who, book_code)
        return leasing.run_billing(uow, who.audit(reason, _key(request)), book_code, codes, body.month)

    return await write(request, who, reason, command, lambda run: (200, run_json(run)))


@router.post("/books/{book_code}/late-fee-runs", status_code=200, summary="计收滞纳金 Late-fee run")
async def run_late_fees(book_code: BookCode, body: LateFeeRunIn, request: Request, who: Who):
    """按日计收滞纳金（单利，不计复利），截至 as_of；同一日期重复执行不增加任何记录。
    Late fees as of a date: simple daily interest on rent unpaid after its due date; idempotent."""
    reason = f"计收滞纳金 截至 {body.as_of.isoformat()}"
    with read(request) as (tx, _):
        readable_book(tx, who, book_code)
        codes = read_models.tenant_codes(tx, book_code)

    def command(uow: UnitOfWork) -> leasing.LateFeeRun:
        guarded_book(uow, who, book_code)
        return leasing.run_late_fees(uow, who.audit(reason, _key(request)), book_code, codes, as_of=body.as_of,
                                     daily_rate=Decimal(body.daily_rate))

    def render(run: leasing.LateFeeRun) -> tuple[int, dict[str, Any]]:
        return 200, {"as_of": run.as_of.isoformat(), "daily_rate": str(run.daily_rate), "total": money(run.total),
                     "charged": [{"tenant_code": code, "invoice_number": invoice.invoice_number,
                                  "amount": money(invoice.amount), "voucher_number": invoice.voucher_number}
                                 for code, invoice in sorted(run.charged.items())]}

    return await write(request, who, reason, command, render)


# --- reports -----------------------------------------------------------------------------
@router.get("/books/{book_code}/rent-roll", summary="租金清册 Rent roll")
def get_rent_roll(book_code: BookCode, request: Request, who: Who, as_of: date | None = None,
                  limit: int | None = None, cursor: str | None = None):
    """租金清册：每个门面截至 as_of 的租约、承租人、月租金或空置。
    Each shop-front with its lease, tenant and monthly rent in force on ``as_of``, or vacant."""
    as_of = as_of or today_cst()
    size = page_limit(limit)
    with read(request) as (tx, position):
        info = readable_book(tx, who, book_code)
        rows = read_models.rent_roll(tx, book_code, as_of, cursor, size + 1)
    page = rows[:size]
    items = [{"unit_number": r.unit_number, "location": r.location, "floor_area_m2": money(r.floor_area_m2),
              "operator": r.rights.operator, "vacant": r.vacant, "lease_code": r.lease_code,
              "tenant_code": r.tenant_code, "tenant_name": r.tenant_name, "start_on": r.start_on,
              "end_on": r.end_on, "billing_frequency": r.billing_frequency,
              "monthly_rent": money(r.monthly_rent) if r.monthly_rent is not None else None} for r in page]
    rent_total = sum((r.monthly_rent for r in page if r.monthly_rent is not None), Decimal("0.00"))
    return {"title_zh": "租金清册", "title_en": "Rent roll", "book_code": book_code,
            "community_id": info.community_id, "as_of": as_of.isoformat(), "shop_fronts": items,
            "leased": sum(1 for r in page if not r.vacant), "vacant": sum(1 for r in page if r.vacant),
            "monthly_rent_total": money(rent_total), "monthly_rent_total_uppercase": uppercase_amount(rent_total),
            "next_cursor": items[-1]["unit_number"] if len(rows) > size else None, "log_position": position}


@router.get("/books/{book_code}/arrears-aging", summary="欠租账龄 Arrears aging")
def get_arrears_aging(book_code: BookCode, request: Request, who: Who, as_of: date | None = None):
    """欠租账龄：按承租人及合计，分未到期、1–30、31–90、91–180、180 天以上。
    Open invoices aged as of a date, per tenant and in total: not due, 1–30, 31–90, 91–180, over 180 days."""
    as_of = as_of or today_cst()
    with read(request) as (tx, position):
        info = readable_book(tx, who, book_code)
        aging = read_models.arrears_aging(tx, book_code, as_of)
    total = aging.total
    return {"title_zh": "欠租账龄分析", "title_en": "Arrears aging", "book_code": book_code,
            "community_id": info.community_id, "as_of": as_of.isoformat(), "buckets": list(AGING_BUCKETS),
            "tenants": [{"tenant_code": t.tenant_code, "name": t.name,
                         "buckets": {b: money(a) for b, a in t.buckets.items()}, "total": money(t.total)}
                        for t in aging.tenants],
            "totals": {b: money(a) for b, a in aging.totals.items()}, "total": money(total),
            "total_uppercase": uppercase_amount(total), "log_position": position}


@router.get("/books/{book_code}/occupancy", summary="出租率与租金收入 Occupancy and rent income")
def get_occupancy(book_code: BookCode, request: Request, who: Who, as_of: date | None = None,
                  from_month: Annotated[str | None, Query(alias="from", pattern=MONTH_PATTERN)] = None,
                  to_month: Annotated[str | None, Query(alias="to", pattern=MONTH_PATTERN)] = None):
    """每月出租率与租金收入（开票、确认收入、归集体部分）。
    Per month: shop-fronts leased on the month's last day, rent invoiced, rent earned and the collective's part."""
    as_of = as_of or today_cst()
    last = to_month or f"{as_of.year:04d}-{as_of.month:02d}"
    first = from_month or f"{as_of.year - 1:04d}-{as_of.month:02d}"
    if first > last:
        raise ApiProblem(422, "invalid-period", "Invalid period", "from must not be after to")
    with read(request) as (tx, position):
        info = readable_book(tx, who, book_code)
        months = read_models.occupancy_and_income(tx, book_code, first, last, as_of)
    return {"title_zh": "出租率与租金收入", "title_en": "Occupancy and rent income", "book_code": book_code,
            "community_id": info.community_id, "as_of": as_of.isoformat(),
            "months": [{"month": m.month, "shop_fronts": m.shop_fronts, "occupied": m.occupied,
                        "vacant": m.shop_fronts - m.occupied, "occupancy_percent": str(m.occupancy_percent),
                        "floor_area_m2": money(m.floor_area_m2), "occupied_area_m2": money(m.occupied_area_m2),
                        "rent_invoiced": money(m.rent_invoiced), "rent_recognised": money(m.rent_recognised),
                        "rent_to_collective": money(m.rent_to_collective)} for m in months],
            "log_position": position}
