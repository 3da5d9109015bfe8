"""The query functions the leasing routes call, over the tables of ``projections.leases``.

The queries fold the rows with the same pure rules the domain uses (aging buckets,
rent in force, a lease's status on a date). All SQL the leasing routes need is here
and in ``projections.leases``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from domain.leases.collection import (
    AGING_BUCKETS,
    AgedInvoice,
    OpenInvoice,
    age_invoices,
    aging_totals,
)
from domain.leases.lease import lease_status_on, rent_in_force_on
from domain.leases.terms import LeaseTerms, monthly_rent_in_force
from ledger.calendar import month_first_day, month_last_day, next_month
from ledger.money import ZERO, from_fen
from ledger.sqldb import Transaction
from projections.leases import terms_from_json

MAX_MONTHS = 120
MAX_STATEMENT_LINES = 5_000


# --- queries: candidates of runs ------------------------------------------------------------


def lease_codes(tx: Transaction, book_code: str) -> list[str]:
    """Every lease of the book, in code order: the candidates of a billing run."""
    return [r[0] for r in tx.query("SELECT lease_code FROM anju_lease_leases WHERE book_code = ?"
                                   " ORDER BY lease_code", (book_code,))]


def tenant_codes(tx: Transaction, book_code: str) -> list[str]:
    """Every tenant of the book, in code order: the candidates of a late-fee run."""
    return [r[0] for r in tx.query("SELECT tenant_code FROM anju_lease_tenants WHERE book_code = ?"
                                   " ORDER BY tenant_code", (book_code,))]


def invoice_count(tx: Transaction, book_code: str) -> int:
    row = tx.query_one("SELECT COUNT(*) FROM anju_lease_invoices WHERE book_code = ?", (book_code,))
    return int(row[0]) if row else 0


# --- queries: the register ------------------------------------------------------------------


@dataclass(frozen=True)
class RightsRow:
    effective_on: str
    owner: str
    operator: str
    manager: str
    collective_share_percent: str | None


def rights_history(tx: Transaction, book_code: str, unit_number: str) -> list[RightsRow]:
    rows = tx.query("SELECT effective_on, owner, operator, manager, collective_share_percent FROM anju_lease_rights"
                    " WHERE book_code = ? AND unit_number = ? ORDER BY effective_on", (book_code, unit_number))
    return [RightsRow(*r) for r in rows]


def rights_as_of(history: list[RightsRow], as_of: date) -> RightsRow:
    """The rights in force on a date; before the first dated change, the first one."""
    in_force = [r for r in history if r.effective_on <= as_of.isoformat()]
    return in_force[-1] if in_force else history[0]


@dataclass(frozen=True)
class ShopFrontLease:
    lease_code: str
    start_on: str
    end_on: str


@dataclass(frozen=True)
class ShopFrontRecord:
    """One shop-front as of a date: its area, rights then (and their history so far), and its leases."""

    unit_number: str
    location: str
    floor_area_m2: Decimal
    rights: RightsRow
    rights_history: list[RightsRow]
    leases: list[ShopFrontLease]


def shop_front(tx: Transaction, book_code: str, unit_number: str, as_of: date) -> ShopFrontRecord | None:
    row = tx.query_one("SELECT location, floor_area_m2 FROM anju_lease_shop_fronts WHERE book_code = ?"
                       " AND unit_number = ?", (book_code, unit_number))
    if row is None:
        return None
    history = rights_history(tx, book_code, unit_number)
    leases = tx.query("SELECT lease_code, start_on, end_on FROM anju_lease_occupancy WHERE book_code = ?"
                      " AND unit_number = ? AND start_on <= ? ORDER BY start_on",
                      (book_code, unit_number, as_of.isoformat()))
    so_far = [r for r in history if r.effective_on <= as_of.isoformat()] or [history[0]]
    return ShopFrontRecord(unit_number, row[0], Decimal(row[1]), rights_as_of(history, as_of), so_far,
                           [ShopFrontLease(*lease) for lease in leases])


@dataclass(frozen=True)
class RentRollRow:
    unit_number: str
    location: str
    floor_area_m2: Decimal
    rights: RightsRow
    lease_code: str | None
    tenant_code: str | None
    tenant_name: str | None
    start_on: str | None
    end_on: str | None
    billing_frequency: str | None
    monthly_rent: Decimal | None

    @property
    def vacant(self) -> bool:
        return self.lease_code is None


def rent_roll(tx: Transaction, book_code: str, as_of: date, after: str | None, limit: int) -> list[RentRollRow]:
    """Each shop-front with the lease in force on ``as_of`` (tenant, monthly rent then), or vacant."""
    day = as_of.isoformat()
    units = tx.query("SELECT unit_number, location, floor_area_m2 FROM anju_lease_shop_fronts WHERE book_code = ?"
                     " AND unit_number > ? ORDER BY unit_number LIMIT ?", (book_code, after or "", limit))
    if not units:
        return []
    first, last = units[0][0], units[-1][0]
    occupied = {r[0]: r[1:] for r in tx.query(
        "SELECT o.unit_number, l.lease_code, l.tenant_code, t.name, l.start_on, o.end_on, l.terms"
        " FROM anju_lease_occupancy o JOIN anju_lease_leases l ON l.book_code = o.book_code"
        " AND l.lease_code = o.lease_code JOIN anju_lease_tenants t ON t.book_code = l.book_code"
        " AND t.tenant_code = l.tenant_code WHERE o.book_code = ? AND o.unit_number >= ? AND o.unit_number <= ?"
        " AND o.start_on <= ? AND o.end_on >= ?", (book_code, first, last, day, day))}
    rights: dict[str, list[RightsRow]] = defaultdict(list)
    for r in tx.query("SELECT unit_number, effective_on, owner, operator, manager, collective_share_percent"
                      " FROM anju_lease_rights WHERE book_code = ? AND unit_number >= ? AND unit_number <= ?"
                      " ORDER BY unit_number, effective_on", (book_code, first, last)):
        rights[r[0]].append(RightsRow(*r[1:]))
    rows = []
    for unit, location, area in units:
        lease = occupied.get(unit)
        if lease is None:
            rows.append(RentRollRow(unit, location, Decimal(area), rights_as_of(rights[unit], as_of),
                                    None, None, None, None, None, None, None))
            continue
        lease_code, tenant_code, tenant_name, start_on, end_on, terms_text = lease
        terms = terms_from_json(terms_text)
        rows.append(RentRollRow(unit, location, Decimal(area), rights_as_of(rights[unit], as_of), lease_code,
                                tenant_code, tenant_name, start_on, end_on, terms.billing_frequency.value,
                                monthly_rent_in_force(terms, as_of)))
    return rows


# --- queries: tenants -----------------------------------------------------------------------


@dataclass(frozen=True)
class TenantRow:
    tenant_code: str
    name: str
    kind: str
    contact: str


def tenants_page(tx: Transaction, book_code: str, after: str | None, limit: int) -> list[TenantRow]:
    rows = tx.query("SELECT tenant_code, name, kind, contact FROM anju_lease_tenants WHERE book_code = ?"
                    " AND tenant_code > ? ORDER BY tenant_code LIMIT ?", (book_code, after or "", limit))
    return [TenantRow(*r) for r in rows]


@dataclass(frozen=True)
class StatementLine:
    entry_date: str
    kind: str
    reference: str
    charge: Decimal
    credit: Decimal
    balance: Decimal
    voucher_number: str


@dataclass
class TenantStatement:
    tenant_code: str
    name: str
    kind: str
    contact: str
    lines: list[StatementLine] = field(default_factory=list)
    open_invoices: list[AgedInvoice] = field(default_factory=list)

    @property
    def charges(self) -> Decimal:
        return sum((line.charge for line in self.lines), ZERO)

    @property
    def credits(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)

    @property
    def balance(self) -> Decimal:
        """> 0: the tenant owes; < 0: the tenant holds a credit."""
        return self.charges - self.credits


def tenant_statement(tx: Transaction, book_code: str, tenant_code: str, as_of: date) -> TenantStatement | None:
    """Invoices, receipts, credits and the running balance through ``as_of``; the open invoices aged."""
    tenant = tx.query_one("SELECT name, kind, contact FROM anju_lease_tenants WHERE book_code = ? AND tenant_code = ?",
                          (book_code, tenant_code))
    if tenant is None:
        return None
    statement = TenantStatement(tenant_code, *tenant)
    rows = tx.query("SELECT entry_date, kind, reference, charge_fen, credit_fen, voucher_number FROM"
                    " anju_lease_statement WHERE book_code = ? AND tenant_code = ? AND entry_date <= ?"
                    " ORDER BY entry_date, position LIMIT ?",
                    (book_code, tenant_code, as_of.isoformat(), MAX_STATEMENT_LINES))
    balance = 0
    for entry_date, kind, reference, charge_fen, credit_fen, voucher_number in rows:
        balance += int(charge_fen) - int(credit_fen)
        statement.lines.append(StatementLine(entry_date, kind, reference, from_fen(int(charge_fen)),
                                             from_fen(int(credit_fen)), from_fen(balance), voucher_number))
    statement.open_invoices = age_invoices(open_invoices(tx, book_code, as_of, tenant_code)[tenant_code], as_of)
    return statement


def open_invoices(tx: Transaction, book_code: str, as_of: date,
                  tenant_code: str | None = None) -> dict[str, list[OpenInvoice]]:
    """Per tenant, the invoices issued through ``as_of`` still open on that date."""
    day = as_of.isoformat()
    sql = ("SELECT i.tenant_code, i.invoice_number, i.due_on, i.amount_fen - COALESCE(s.settled_fen, 0)"
           " FROM anju_lease_invoices i LEFT JOIN (SELECT invoice_number, SUM(amount_fen) AS settled_fen"
           " FROM anju_lease_settlements WHERE book_code = ? AND settled_on <= ?{tenant} GROUP BY invoice_number) s"
           " ON s.invoice_number = i.invoice_number WHERE i.book_code = ? AND i.issued_on <= ?{tenant_i}"
           " AND i.amount_fen > COALESCE(s.settled_fen, 0) ORDER BY i.tenant_code, i.due_on, i.invoice_number")
    params: list[Any] = [book_code, day]
    if tenant_code is not None:
        params.append(tenant_code)
    params += [book_code, day]
    if tenant_code is not None:
        params.append(tenant_code)
    sql = sql.format(tenant=" AND tenant_code = ?" if tenant_code else "",
                     tenant_i=" AND i.tenant_code = ?" if tenant_code else "")
    result: dict[str, list[OpenInvoice]] = defaultdict(list)
    for tenant, number, due_on, open_fen in tx.query(sql, params):
        result[tenant].append(OpenInvoice(number, date.fromisoformat(due_on), from_fen(int(open_fen))))
    return result


@dataclass(frozen=True)
class TenantAging:
    tenant_code: str
    name: str
    buckets: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)


@dataclass(frozen=True)
class ArrearsAging:
    as_of: date
    tenants: list[TenantAging]

    @property
    def totals(self) -> dict[str, Decimal]:
        totals = {bucket: ZERO for bucket in AGING_BUCKETS}
        for tenant in self.tenants:
            for bucket, amount in tenant.buckets.items():
                totals[bucket] += amount
        return totals

    @property
    def total(self) -> Decimal:
        return sum(self.totals.values(), ZERO)


def arrears_aging(tx: Transaction, book_code: str, as_of: date) -> ArrearsAging:
    """Open invoices aged as of a date, per tenant and in total, in DOMAIN.md §4 buckets."""
    names = dict(tx.query("SELECT tenant_code, name FROM anju_lease_tenants WHERE book_code = ?", (book_code,)))
    tenants = [TenantAging(tenant, names.get(tenant, tenant), aging_totals(age_invoices(items, as_of)))
               for tenant, items in sorted(open_invoices(tx, book_code, as_of).items())]
    return ArrearsAging(as_of, tenants)


# --- queries: occupancy and leases ------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    month: str
    shop_fronts: int
    occupied: int
    floor_area_m2: Decimal
    occupied_area_m2: Decimal
    rent_invoiced: Decimal
    rent_recognised: Decimal
    rent_to_collective: Decimal

    @property
    def occupancy_percent(self) -> Decimal:
        if self.shop_fronts == 0:
            return Decimal("0.00")
        return (Decimal(self.occupied) * 100 / self.shop_fronts).quantize(Decimal("0.01"))


def occupancy_and_income(tx: Transaction, book_code: str, first_month: str, last_month: str,
                         as_of: date) -> list[MonthFigures]:
    """Per month: shop-fronts leased on the month's last day (or ``as_of``), and rent billed and earned."""
    units = {r[0]: Decimal(r[1]) for r in tx.query(
        "SELECT unit_number, floor_area_m2 FROM anju_lease_shop_fronts WHERE book_code = ?", (book_code,))}
    spans = tx.query("SELECT unit_number, start_on, end_on FROM anju_lease_occupancy WHERE book_code = ?"
                     " AND start_on <= ? AND end_on >= ?",
                     (book_code, month_last_day(last_month).isoformat(), month_first_day(first_month).isoformat()))
    income = {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in tx.query(
        "SELECT month, SUM(invoiced_fen), SUM(recognised_fen), SUM(collective_fen) FROM anju_lease_income"
        " WHERE book_code = ? AND month >= ? AND month <= ? GROUP BY month", (book_code, first_month, last_month))}
    figures = []
    month = first_month
    while month <= last_month and len(figures) < MAX_MONTHS:
        day = min(month_last_day(month), as_of).isoformat()
        leased = {unit for unit, start_on, end_on in spans if start_on <= day <= end_on}
        invoiced, recognised, collective = income.get(month, (0, 0, 0))
        figures.append(MonthFigures(month, len(units), len(leased), sum(units.values(), ZERO),
                                    sum((units.get(u, ZERO) for u in leased), ZERO), from_fen(invoiced),
                                    from_fen(recognised), from_fen(collective)))
        month = next_month(month)
    return figures


@dataclass(frozen=True)
class DepositMovement:
    on_date: str
    kind: str
    amount: Decimal
    voucher_number: str


@dataclass(frozen=True)
class LeaseMonth:
    month: str
    invoiced: Decimal
    recognised: Decimal
    to_collective: Decimal


@dataclass(frozen=True)
class LeaseRecord:
    """A lease as of a date: its terms, status and rent then, deposit movements and months through then."""

    lease_code: str
    tenant_code: str
    unit_numbers: list[str]
    start_on: str
    end_on: str
    billing_from: str
    terminated_on: str | None
    grounds: str | None
    terms: LeaseTerms
    renews: str | None
    renewed_by: str | None
    renewal_declined: bool
    status: str
    monthly_rent_in_force: Decimal
    deposits: list[DepositMovement]
    months: list[LeaseMonth]


def lease_record(tx: Transaction, book_code: str, lease_code: str, as_of: date) -> LeaseRecord | None:
    row = tx.query_one("SELECT lease_code, tenant_code, unit_numbers, start_on, end_on, billing_from, terminated_on,"
                       " grounds, terms, renews, renewed_by, renewal_declined FROM anju_lease_leases"
                       " WHERE book_code = ? AND lease_code = ?", (book_code, lease_code))
    if row is None:
        return None
    code, tenant, units, start_on, end_on, billing_from, terminated_on, grounds, terms_text, renews, renewed_by, \
        declined = row
    terms = terms_from_json(terms_text)
    day = as_of.isoformat()
    deposits = [DepositMovement(d, k, from_fen(int(a)), v) for d, k, a, v in tx.query(
        "SELECT on_date, kind, amount_fen, voucher_number FROM anju_lease_deposits WHERE book_code = ?"
        " AND lease_code = ? ORDER BY position", (book_code, lease_code)) if d <= day]
    months = [LeaseMonth(m, from_fen(int(i)), from_fen(int(r)), from_fen(int(c))) for m, i, r, c in tx.query(
        "SELECT month, invoiced_fen, recognised_fen, collective_fen FROM anju_lease_income WHERE book_code = ?"
        " AND lease_code = ? ORDER BY month", (book_code, lease_code)) if m <= day[:7]]
    ended_on = date.fromisoformat(terminated_on) if terminated_on else None
    return LeaseRecord(code, tenant, json.loads(units), start_on, end_on, billing_from, terminated_on, grounds, terms,
                       renews, renewed_by, bool(declined), lease_status_on(terms, ended_on, as_of),
                       rent_in_force_on(terms, as_of), deposits, months)
