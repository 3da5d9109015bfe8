"""Read models of shop-front leasing, and the query functions the leasing routes call.

Tables (amounts in whole fen, dates as ISO text): the register with its dated rights,
tenants, leases and which shop-front each occupies when, invoices and what settled
them (with dates, so any as-of date can be answered), tenant statement entries,
rent recognised per lease and month, and deposit movements. The book (and code) of the
stream an event belongs to comes from the shared stream index (``projections.base``).
The queries fold these rows with the same pure rules the domain uses (aging buckets,
rent in force, a lease's status on a date). All SQL the leasing routes need is here.
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
from domain.leases.lease import Lease, lease_id, lease_status_on, rent_in_force_on
from domain.leases.rights import COLLECTIVE, IncomeShare, RightsChange
from domain.leases.shop_front import ShopFront
from domain.leases.tenant import Tenant
from domain.leases.terms import BillingFrequency, LeaseTerms, monthly_rent_in_force
from ledger.calendar import month_first_day, month_last_day, next_month
from ledger.money import ZERO, from_fen, to_fen
from ledger.sqldb import Transaction
from projections.base import ReadModel, Table, handles, insert_rows, stream_of
from projections.runner import LogEntry

MAX_MONTHS = 120
MAX_STATEMENT_LINES = 5_000

SHOP_FRONTS = Table("anju_lease_shop_fronts", (
    "book_code TEXT NOT NULL", "unit_number TEXT NOT NULL", "location TEXT NOT NULL", "floor_area_m2 TEXT NOT NULL",
    "position BIGINT NOT NULL"), ("book_code", "unit_number"))
RIGHTS = Table("anju_lease_rights", (
    "book_code TEXT NOT NULL", "unit_number TEXT NOT NULL", "effective_on TEXT NOT NULL", "owner TEXT NOT NULL",
    "operator TEXT NOT NULL", "manager TEXT NOT NULL", "collective_share_percent TEXT", "position BIGINT NOT NULL"),
    ("book_code", "unit_number", "effective_on"))
TENANTS = Table("anju_lease_tenants", (
    "book_code TEXT NOT NULL", "tenant_code TEXT NOT NULL", "name TEXT NOT NULL", "kind TEXT NOT NULL",
    "contact TEXT NOT NULL"), ("book_code", "tenant_code"))
LEASES = Table("anju_lease_leases", (
    "book_code TEXT NOT NULL", "lease_code TEXT NOT NULL", "tenant_code TEXT NOT NULL", "unit_numbers TEXT NOT NULL",
    "start_on TEXT NOT NULL", "end_on TEXT NOT NULL", "billing_from TEXT NOT NULL", "terminated_on TEXT",
    "grounds TEXT", "terms TEXT NOT NULL", "deposit_agreed_fen BIGINT NOT NULL", "renews TEXT", "renewed_by TEXT",
    "renewal_declined INTEGER NOT NULL", "position BIGINT NOT NULL"), ("book_code", "lease_code"))
OCCUPANCY = Table("anju_lease_occupancy", (
    "book_code TEXT NOT NULL", "unit_number TEXT NOT NULL", "lease_code TEXT NOT NULL", "start_on TEXT NOT NULL",
    "end_on TEXT NOT NULL"), ("book_code", "unit_number", "lease_code"))
INVOICES = Table("anju_lease_invoices", (
    "book_code TEXT NOT NULL", "invoice_number TEXT NOT NULL", "tenant_code TEXT NOT NULL", "lease_code TEXT NOT NULL",
    "kind TEXT NOT NULL", "issued_on TEXT NOT NULL", "due_on TEXT NOT NULL", "amount_fen BIGINT NOT NULL",
    "period_start TEXT", "period_end TEXT", "voucher_number TEXT NOT NULL", "position BIGINT NOT NULL"),
    ("book_code", "invoice_number"), indexes=(("book_code", "tenant_code", "due_on"),))
SETTLEMENTS = Table("anju_lease_settlements", (
    "book_code TEXT NOT NULL", "position BIGINT NOT NULL", "line_no INTEGER NOT NULL", "invoice_number TEXT NOT NULL",
    "tenant_code TEXT NOT NULL", "settled_on TEXT NOT NULL", "amount_fen BIGINT NOT NULL", "source TEXT NOT NULL"),
    ("book_code", "position", "line_no"), indexes=(("book_code", "invoice_number", "settled_on"),))
STATEMENT = Table("anju_lease_statement", (
    "book_code TEXT NOT NULL", "tenant_code TEXT NOT NULL", "position BIGINT NOT NULL", "entry_date TEXT NOT NULL",
    "kind TEXT NOT NULL", "reference TEXT NOT NULL", "charge_fen BIGINT NOT NULL", "credit_fen BIGINT NOT NULL",
    "voucher_number TEXT NOT NULL"), ("book_code", "tenant_code", "position"))
INCOME = Table("anju_lease_income", (
    "book_code TEXT NOT NULL", "lease_code TEXT NOT NULL", "month TEXT NOT NULL", "recognised_fen BIGINT NOT NULL",
    "collective_fen BIGINT NOT NULL", "invoiced_fen BIGINT NOT NULL"), ("book_code", "lease_code", "month"))
DEPOSITS = Table("anju_lease_deposits", (
    "book_code TEXT NOT NULL", "lease_code TEXT NOT NULL", "position BIGINT NOT NULL", "on_date TEXT NOT NULL",
    "kind TEXT NOT NULL", "amount_fen BIGINT NOT NULL", "voucher_number TEXT NOT NULL"),
    ("book_code", "lease_code", "position"))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _collective(shares: tuple[IncomeShare, ...]) -> Decimal:
    return sum((share.amount for share in shares if share.party == COLLECTIVE), ZERO)


class LeasesReadModel(ReadModel):
    """The leasing read model: one handler per event class (``@handles``)."""

    name = "leases"
    tables = (SHOP_FRONTS, RIGHTS, TENANTS, LEASES, OCCUPANCY, INVOICES, SETTLEMENTS, STATEMENT, INCOME, DEPOSITS)
    #: ``domain.leases.`` covers the aggregates' modules and the topics they had before (``domain.leases.model``).
    topic_prefixes = ("domain.leases.",)

    def __init__(self) -> None:
        self._codes: dict[str, tuple[str, str]] = {}  # originator id → (book, own code), for one batch

    def flush(self, tx: Transaction) -> None:
        self._codes.clear()

    def _stream(self, tx: Transaction, entry: LogEntry) -> tuple[str, str]:
        """(book code, own code) of the entry's stream: unit number, tenant code or lease code."""
        key = str(entry.originator_id)
        found = self._codes.get(key)
        if found is None:
            stream = stream_of(tx, entry)
            code = stream.code
            if stream.kind == Lease.__name__ and lease_id(stream.book_code, code) != entry.originator_id:
                code = _lease_code_of(tx, stream.book_code, code, entry)
            found = self._codes[key] = (stream.book_code, code)
        return found

    # --- the register ---------------------------------------------------------------
    @handles(ShopFront.Registered)
    def shop_front_registered(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, unit = self._stream(tx, entry)
        tx.execute(SHOP_FRONTS.insert_sql(), (book, unit, event.location, str(event.floor_area_m2), entry.position))
        self._rights(tx, entry, book, unit, event.rights)

    @handles(ShopFront.RightsChanged)
    def rights_changed(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, unit = self._stream(tx, entry)
        self._rights(tx, entry, book, unit, event.change)

    @staticmethod
    def _rights(tx: Transaction, entry: LogEntry, book: str, unit: str, change: RightsChange) -> None:
        share = str(change.collective_share_percent) if change.collective_share_percent is not None else None
        tx.execute(RIGHTS.insert_sql(), (book, unit, change.effective_on.isoformat(), change.holders.owner,
                                         change.holders.operator, change.holders.manager, share, entry.position))

    @handles(ShopFront.LeaseAttached)
    def lease_attached(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, unit = self._stream(tx, entry)
        tx.execute(OCCUPANCY.insert_sql(), (book, unit, event.lease_code, event.start_on.isoformat(),
                                            event.end_on.isoformat()))

    @handles(ShopFront.LeaseEndedEarly)
    def lease_ended_early(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, unit = self._stream(tx, entry)
        tx.execute("UPDATE anju_lease_occupancy SET end_on = ? WHERE book_code = ? AND unit_number = ?"
                   " AND lease_code = ?", (event.ended_on.isoformat(), book, unit, event.lease_code))

    # --- tenants --------------------------------------------------------------------
    @handles(Tenant.Registered)
    def tenant_registered(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, tenant = self._stream(tx, entry)
        tx.execute(TENANTS.insert_sql(), (book, tenant, event.name, event.kind, event.contact))

    @handles(Tenant.InvoiceIssued)
    def invoice_issued(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, tenant = self._stream(tx, entry)
        invoice = event.invoice
        tx.execute(INVOICES.insert_sql(), (
            book, invoice.invoice_number, tenant, invoice.lease_code, invoice.kind.value, invoice.issued_on.isoformat(),
            invoice.due_on.isoformat(), to_fen(invoice.amount), _iso(invoice.period_start), _iso(invoice.period_end),
            invoice.voucher_number, entry.position))
        _statement(tx, entry, book, tenant, invoice.issued_on, invoice.kind.value, invoice.invoice_number,
                   invoice.amount, ZERO, invoice.voucher_number)
        if event.credit_applied > ZERO:
            tx.execute(SETTLEMENTS.insert_sql(), (book, entry.position, 1, invoice.invoice_number, tenant,
                                                  event.credit_applied_on.isoformat(), to_fen(event.credit_applied),
                                                  "credit"))

    @handles(Tenant.ReceiptRecorded)
    def receipt_recorded(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, tenant = self._stream(tx, entry)
        receipt = event.receipt
        _settlements(tx, entry, book, tenant, receipt.received_on, event.lines, "receipt")
        _statement(tx, entry, book, tenant, receipt.received_on, "receipt", receipt.receipt_number, ZERO,
                   receipt.amount, receipt.voucher_number)

    @handles(Tenant.DepositApplied)
    def tenant_deposit_applied(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, tenant = self._stream(tx, entry)
        _settlements(tx, entry, book, tenant, event.applied_on, event.lines, "deposit")
        total = sum((line.amount_applied for line in event.lines), ZERO)
        _statement(tx, entry, book, tenant, event.applied_on, "deposit_applied", event.lease_code, ZERO, total,
                   event.voucher_number)

    @handles(Tenant.InvoicesCredited)
    def invoices_credited(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, tenant = self._stream(tx, entry)
        _settlements(tx, entry, book, tenant, event.credited_on, event.lines, "credit_note")
        total = sum((line.amount_applied for line in event.lines), ZERO) + event.to_credit
        _statement(tx, entry, book, tenant, event.credited_on, "credit_note", event.lease_code, ZERO, total,
                   event.voucher_number)

    # --- leases ---------------------------------------------------------------------
    @handles(Lease.Signed)
    def lease_signed(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book = stream_of(tx, entry).book_code
        self._codes[str(entry.originator_id)] = (book, event.lease_code)
        terms: LeaseTerms = event.terms
        tx.execute(LEASES.insert_sql(), (
            book, event.lease_code, event.tenant_code, json.dumps(list(event.unit_numbers)), terms.start_on.isoformat(),
            terms.end_on.isoformat(), event.billing_from.isoformat(), None, None, terms_json(terms),
            to_fen(terms.deposit), event.renews, None, 0, entry.position))

    @handles(Lease.MonthBilled)
    def month_billed(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, lease = self._stream(tx, entry)
        billing = event.billing
        tx.execute(INCOME.insert_sql(), (book, lease, billing.month, to_fen(billing.recognised),
                                         to_fen(_collective(billing.income_shares)),
                                         to_fen(billing.invoice.amount) if billing.invoice else 0))

    @handles(Lease.Terminated)
    def terminated(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, lease = self._stream(tx, entry)
        tx.execute("UPDATE anju_lease_leases SET terminated_on = ?, grounds = ? WHERE book_code = ? AND lease_code = ?",
                   (event.terminated_on.isoformat(), event.grounds.value, book, lease))
        for credit in event.credits:
            tx.execute("UPDATE anju_lease_income SET recognised_fen = recognised_fen - ?, collective_fen ="
                       " collective_fen - ?, invoiced_fen = invoiced_fen - ? WHERE book_code = ? AND lease_code = ?"
                       " AND month = ?", (to_fen(credit.recognised_reduction), to_fen(_collective(credit.income_shares)),
                                          to_fen(credit.invoice_reduction), book, lease, credit.month))

    @handles(Lease.Renewed)
    def renewed(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, lease = self._stream(tx, entry)
        tx.execute("UPDATE anju_lease_leases SET renewed_by = ? WHERE book_code = ? AND lease_code = ?",
                   (event.renewed_by, book, lease))

    @handles(Lease.RenewalDeclined)
    def renewal_declined(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, lease = self._stream(tx, entry)
        tx.execute("UPDATE anju_lease_leases SET renewal_declined = 1 WHERE book_code = ? AND lease_code = ?",
                   (book, lease))

    @handles(Lease.DepositReceived)
    def deposit_received(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        self._deposit(tx, entry, "received", event.received_on, event)

    @handles(Lease.DepositRefunded)
    def deposit_refunded(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        self._deposit(tx, entry, "refunded", event.refunded_on, event)

    @handles(Lease.DepositApplied)
    def deposit_applied(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        self._deposit(tx, entry, "applied", event.applied_on, event)

    def _deposit(self, tx: Transaction, entry: LogEntry, kind: str, on: date, event: Any) -> None:
        book, lease = self._stream(tx, entry)
        tx.execute(DEPOSITS.insert_sql(), (book, lease, entry.position, on.isoformat(), kind, to_fen(event.amount),
                                           event.voucher_number))


def read_models() -> list[ReadModel]:
    return [LeasesReadModel()]


def _lease_code_of(tx: Transaction, book_code: str, indexed_code: str, entry: LogEntry) -> str:
    """The lease code of a lease stream whose index row names another code (its tenant's).

    The shared index takes the first natural-code attribute of a stream's first event, and
    ``Lease.Signed`` carries ``tenant_code`` as well as ``lease_code``; the lease is the one of
    that tenant whose id is the stream's.
    """
    for (code,) in tx.query("SELECT lease_code FROM anju_lease_leases WHERE book_code = ? AND tenant_code = ?",
                            (book_code, indexed_code)):
        if lease_id(book_code, code) == entry.originator_id:
            return code
    raise AssertionError(f"lease stream {entry.originator_id} has no signed lease in {book_code}")


def _settlements(tx: Transaction, entry: LogEntry, book: str, tenant: str, on: date, lines: Any, source: str) -> None:
    insert_rows(tx, SETTLEMENTS, [(book, entry.position, n, line.invoice_number, tenant, on.isoformat(),
                                   to_fen(line.amount_applied), source) for n, line in enumerate(lines, start=1)])


def _statement(tx: Transaction, entry: LogEntry, book: str, tenant: str, on: date, kind: str, reference: str,
               charge: Decimal, credit: Decimal, voucher_number: str) -> None:
    tx.execute(STATEMENT.insert_sql(), (book, tenant, entry.position, on.isoformat(), kind, reference, to_fen(charge),
                                        to_fen(credit), voucher_number))


def terms_json(terms: LeaseTerms) -> str:
    return json.dumps({
        "start_on": terms.start_on.isoformat(), "end_on": terms.end_on.isoformat(),
        "billing_frequency": terms.billing_frequency.value, "monthly_rent": str(terms.monthly_rent),
        "rent_per_m2_month": str(terms.rent_per_m2_month) if terms.rent_per_m2_month is not None else None,
        "floor_area_m2": str(terms.floor_area_m2) if terms.floor_area_m2 is not None else None,
        "rent_free_months": terms.rent_free_months, "escalation_percent": str(terms.escalation_percent),
        "deposit": str(terms.deposit), "contract_reference": terms.contract_reference,
    }, ensure_ascii=False, sort_keys=True)


def terms_from_json(text: str) -> LeaseTerms:
    """The terms as the read model stored them (a plain value: nothing is re-checked)."""
    data = json.loads(text)
    return LeaseTerms(
        start_on=date.fromisoformat(data["start_on"]), end_on=date.fromisoformat(data["end_on"]),
        billing_frequency=BillingFrequency(data["billing_frequency"]), monthly_rent=Decimal(data["monthly_rent"]),
        rent_per_m2_month=Decimal(data["rent_per_m2_month"]) if data["rent_per_m2_month"] else None,
        floor_area_m2=Decimal(data["floor_area_m2"]) if data["floor_area_m2"] else None,
        rent_free_months=data["rent_free_months"], escalation_percent=Decimal(data["escalation_percent"]),
        deposit=Decimal(data["deposit"]), contract_reference=data["contract_reference"],
    )


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
