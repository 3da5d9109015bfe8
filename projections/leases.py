"""Read models of shop-front leasing, and the pure queries the read endpoints serve.

Tables (amounts in whole fen, dates as ISO text): the register with its dated rights,
tenants, leases and which shop-front each occupies when, invoices and what settled
them (with dates, so any as-of date can be answered), tenant statement entries,
rent recognised per lease and month, and deposit movements. The queries fold these
rows with the same pure rules the domain uses (aging buckets, rent in force).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from domain.leases.billing import COLLECTIVE
from domain.leases.collection import AGING_BUCKETS, AgedInvoice, OpenInvoice, age_invoices, aging_totals
from domain.leases.model import Lease, MonthBilling, ShopFront, Tenant, month_first_day, month_last_day, next_month
from domain.leases.terms import LeaseTerms, monthly_rent_in_force
from ledger.money import ZERO, from_fen, to_fen
from ledger.sqldb import Transaction
from projections.runner import LogEntry

MAX_MONTHS = 120


class LeasesProjection:
    name = "leases"
    tables = ("anju_lease_ids", "anju_lease_shop_fronts", "anju_lease_rights", "anju_lease_tenants",
              "anju_lease_leases", "anju_lease_occupancy", "anju_lease_invoices", "anju_lease_settlements",
              "anju_lease_statement", "anju_lease_income", "anju_lease_deposits")

    def create_tables(self, tx: Transaction) -> None:
        for ddl in (
            "CREATE TABLE IF NOT EXISTS anju_lease_ids (originator_id TEXT PRIMARY KEY, book_code TEXT NOT NULL,"
            " code TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS anju_lease_shop_fronts (book_code TEXT NOT NULL, unit_number TEXT NOT NULL,"
            " location TEXT NOT NULL, floor_area_m2 TEXT NOT NULL, position BIGINT NOT NULL,"
            " PRIMARY KEY (book_code, unit_number))",
            "CREATE TABLE IF NOT EXISTS anju_lease_rights (book_code TEXT NOT NULL, unit_number TEXT NOT NULL,"
            " effective_on TEXT NOT NULL, owner TEXT NOT NULL, operator TEXT NOT NULL, manager TEXT NOT NULL,"
            " collective_share_percent TEXT, position BIGINT NOT NULL,"
            " PRIMARY KEY (book_code, unit_number, effective_on))",
            "CREATE TABLE IF NOT EXISTS anju_lease_tenants (book_code TEXT NOT NULL, tenant_code TEXT NOT NULL,"
            " name TEXT NOT NULL, kind TEXT NOT NULL, contact TEXT NOT NULL, PRIMARY KEY (book_code, tenant_code))",
            "CREATE TABLE IF NOT EXISTS anju_lease_leases (book_code TEXT NOT NULL, lease_code TEXT NOT NULL,"
            " tenant_code TEXT NOT NULL, unit_numbers TEXT NOT NULL, start_on TEXT NOT NULL, end_on TEXT NOT NULL,"
            " billing_from TEXT NOT NULL, terminated_on TEXT, grounds TEXT, terms TEXT NOT NULL,"
            " deposit_agreed_fen BIGINT NOT NULL, renews TEXT, renewed_by TEXT, renewal_declined INTEGER NOT NULL,"
            " position BIGINT NOT NULL, PRIMARY KEY (book_code, lease_code))",
            "CREATE TABLE IF NOT EXISTS anju_lease_occupancy (book_code TEXT NOT NULL, unit_number TEXT NOT NULL,"
            " lease_code TEXT NOT NULL, start_on TEXT NOT NULL, end_on TEXT NOT NULL,"
            " PRIMARY KEY (book_code, unit_number, lease_code))",
            "CREATE TABLE IF NOT EXISTS anju_lease_invoices (book_code TEXT NOT NULL, invoice_number TEXT NOT NULL,"
            " tenant_code TEXT NOT NULL, lease_code TEXT NOT NULL, kind TEXT NOT NULL, issued_on TEXT NOT NULL,"
            " due_on TEXT NOT NULL, amount_fen BIGINT NOT NULL, period_start TEXT, period_end TEXT,"
            " voucher_number TEXT NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (book_code, invoice_number))",
            "CREATE INDEX IF NOT EXISTS anju_lease_invoices_by_tenant ON anju_lease_invoices"
            " (book_code, tenant_code, due_on)",
            "CREATE TABLE IF NOT EXISTS anju_lease_settlements (book_code TEXT NOT NULL, position BIGINT NOT NULL,"
            " line_no INTEGER NOT NULL, invoice_number TEXT NOT NULL, tenant_code TEXT NOT NULL,"
            " settled_on TEXT NOT NULL, amount_fen BIGINT NOT NULL, source TEXT NOT NULL,"
            " PRIMARY KEY (book_code, position, line_no))",
            "CREATE INDEX IF NOT EXISTS anju_lease_settlements_by_invoice ON anju_lease_settlements"
            " (book_code, invoice_number, settled_on)",
            "CREATE TABLE IF NOT EXISTS anju_lease_statement (book_code TEXT NOT NULL, tenant_code TEXT NOT NULL,"
            " position BIGINT NOT NULL, entry_date TEXT NOT NULL, kind TEXT NOT NULL, reference TEXT NOT NULL,"
            " charge_fen BIGINT NOT NULL, credit_fen BIGINT NOT NULL, voucher_number TEXT NOT NULL,"
            " PRIMARY KEY (book_code, tenant_code, position))",
            "CREATE TABLE IF NOT EXISTS anju_lease_income (book_code TEXT NOT NULL, lease_code TEXT NOT NULL,"
            " month TEXT NOT NULL, recognised_fen BIGINT NOT NULL, collective_fen BIGINT NOT NULL,"
            " invoiced_fen BIGINT NOT NULL, PRIMARY KEY (book_code, lease_code, month))",
            "CREATE TABLE IF NOT EXISTS anju_lease_deposits (book_code TEXT NOT NULL, lease_code TEXT NOT NULL,"
            " position BIGINT NOT NULL, on_date TEXT NOT NULL, kind TEXT NOT NULL, amount_fen BIGINT NOT NULL,"
            " voucher_number TEXT NOT NULL, PRIMARY KEY (book_code, lease_code, position))",
        ):
            tx.execute(ddl)

    # --- following the log --------------------------------------------------------
    def handle(self, tx: Transaction, entries: list[LogEntry]) -> None:
        keys: dict[str, tuple[str, str]] = {}
        for entry in entries:
            if not entry.topic.startswith("domain.leases."):
                continue
            event = entry.event
            handler = _HANDLERS.get(type(event).__qualname__)
            if handler is None:
                continue
            originator = str(entry.originator_id)
            code = getattr(event, "book_code", None)
            if entry.originator_version == 1 and code is not None:
                key = (code, _natural_code(event))
                tx.execute("INSERT INTO anju_lease_ids VALUES (?, ?, ?)", (originator, *key))
                keys[originator] = key
            if originator not in keys:
                row = tx.query_one("SELECT book_code, code FROM anju_lease_ids WHERE originator_id = ?",
                                   (originator,))
                assert row is not None, "every leasing stream starts with its creation event"
                keys[originator] = (row[0], row[1])
            book_code, own_code = keys[originator]
            handler(tx, entry.position, book_code, own_code, event)

    def digest_queries(self) -> list[str]:
        return [
            "SELECT * FROM anju_lease_shop_fronts ORDER BY book_code, unit_number",
            "SELECT * FROM anju_lease_rights ORDER BY book_code, unit_number, effective_on",
            "SELECT * FROM anju_lease_tenants ORDER BY book_code, tenant_code",
            "SELECT * FROM anju_lease_leases ORDER BY book_code, lease_code",
            "SELECT * FROM anju_lease_occupancy ORDER BY book_code, unit_number, lease_code",
            "SELECT * FROM anju_lease_invoices ORDER BY book_code, invoice_number",
            "SELECT * FROM anju_lease_settlements ORDER BY book_code, position, line_no",
            "SELECT * FROM anju_lease_statement ORDER BY book_code, tenant_code, position",
            "SELECT * FROM anju_lease_income ORDER BY book_code, lease_code, month",
            "SELECT * FROM anju_lease_deposits ORDER BY book_code, lease_code, position",
        ]


def projections() -> list:
    return [LeasesProjection()]


_CODE_ATTRIBUTE = {"ShopFront": "unit_number", "Tenant": "tenant_code", "Lease": "lease_code"}


def _natural_code(event: Any) -> str:
    """The code a leasing stream is known by: unit number, tenant code or lease code."""
    return getattr(event, _CODE_ATTRIBUTE[type(event).__qualname__.split(".")[0]])


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


# --- event handlers: (tx, position, book_code, own code, event) ---------------------------


def _shop_front_registered(tx: Transaction, position: int, book: str, unit: str, event: Any) -> None:
    tx.execute("INSERT INTO anju_lease_shop_fronts VALUES (?, ?, ?, ?, ?)",
               (book, unit, event.location, str(event.floor_area_m2), position))
    _rights(tx, position, book, unit, event.rights)


def _rights_changed(tx: Transaction, position: int, book: str, unit: str, event: Any) -> None:
    _rights(tx, position, book, unit, event.change)


def _rights(tx: Transaction, position: int, book: str, unit: str, change: Any) -> None:
    share = str(change.collective_share_percent) if change.collective_share_percent is not None else None
    tx.execute("INSERT INTO anju_lease_rights VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               (book, unit, change.effective_on.isoformat(), change.holders.owner, change.holders.operator,
                change.holders.manager, share, position))


def _lease_attached(tx: Transaction, position: int, book: str, unit: str, event: Any) -> None:
    tx.execute("INSERT INTO anju_lease_occupancy VALUES (?, ?, ?, ?, ?)",
               (book, unit, event.lease_code, event.start_on.isoformat(), event.end_on.isoformat()))


def _lease_ended_early(tx: Transaction, position: int, book: str, unit: str, event: Any) -> None:
    tx.execute("UPDATE anju_lease_occupancy SET end_on = ? WHERE book_code = ? AND unit_number = ?"
               " AND lease_code = ?", (event.ended_on.isoformat(), book, unit, event.lease_code))


def _tenant_registered(tx: Transaction, position: int, book: str, tenant: str, event: Any) -> None:
    tx.execute("INSERT INTO anju_lease_tenants VALUES (?, ?, ?, ?, ?)",
               (book, tenant, event.name, event.kind, event.contact))


def _invoice_issued(tx: Transaction, position: int, book: str, tenant: str, event: Any) -> None:
    invoice = event.invoice
    tx.execute("INSERT INTO anju_lease_invoices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (book, invoice.invoice_number, tenant, invoice.lease_code, invoice.kind.value,
                invoice.issued_on.isoformat(), invoice.due_on.isoformat(), to_fen(invoice.amount),
                _iso(invoice.period_start), _iso(invoice.period_end), invoice.voucher_number, position))
    _statement(tx, position, book, tenant, invoice.issued_on, invoice.kind.value, invoice.invoice_number,
               invoice.amount, ZERO, invoice.voucher_number)
    if event.credit_applied > ZERO:
        tx.execute("INSERT INTO anju_lease_settlements VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (book, position, 1, invoice.invoice_number, tenant, event.credit_applied_on.isoformat(),
                    to_fen(event.credit_applied), "credit"))


def _receipt_recorded(tx: Transaction, position: int, book: str, tenant: str, event: Any) -> None:
    receipt = event.receipt
    _settlements(tx, position, book, tenant, receipt.received_on, event.lines, "receipt")
    _statement(tx, position, book, tenant, receipt.received_on, "receipt", receipt.receipt_number, ZERO,
               receipt.amount, receipt.voucher_number)


def _tenant_deposit_applied(tx: Transaction, position: int, book: str, tenant: str, event: Any) -> None:
    _settlements(tx, position, book, tenant, event.applied_on, event.lines, "deposit")
    total = sum((line.amount_applied for line in event.lines), ZERO)
    _statement(tx, position, book, tenant, event.applied_on, "deposit_applied", event.lease_code, ZERO, total,
               event.voucher_number)


def _invoices_credited(tx: Transaction, position: int, book: str, tenant: str, event: Any) -> None:
    _settlements(tx, position, book, tenant, event.credited_on, event.lines, "credit_note")
    total = sum((line.amount_applied for line in event.lines), ZERO) + event.to_credit
    _statement(tx, position, book, tenant, event.credited_on, "credit_note", event.lease_code, ZERO, total,
               event.voucher_number)


def _settlements(tx: Transaction, position: int, book: str, tenant: str, on: date, lines: Any, source: str) -> None:
    tx.executemany("INSERT INTO anju_lease_settlements VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   [(book, position, n, line.invoice_number, tenant, on.isoformat(), to_fen(line.amount_applied),
                     source) for n, line in enumerate(lines, start=1)])


def _statement(tx: Transaction, position: int, book: str, tenant: str, on: date, kind: str, reference: str,
               charge: Decimal, credit: Decimal, voucher_number: str) -> None:
    tx.execute("INSERT INTO anju_lease_statement VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (book, tenant, position, on.isoformat(), kind, reference, to_fen(charge), to_fen(credit),
                voucher_number))


def _lease_signed(tx: Transaction, position: int, book: str, lease: str, event: Any) -> None:
    terms: LeaseTerms = event.terms
    tx.execute("INSERT INTO anju_lease_leases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (book, lease, event.tenant_code, json.dumps(list(event.unit_numbers)), terms.start_on.isoformat(),
                terms.end_on.isoformat(), event.billing_from.isoformat(), None, None, terms_json(terms),
                to_fen(terms.deposit), event.renews, None, 0, position))


def _month_billed(tx: Transaction, position: int, book: str, lease: str, event: Any) -> None:
    billing: MonthBilling = event.billing
    tx.execute("INSERT INTO anju_lease_income VALUES (?, ?, ?, ?, ?, ?)",
               (book, lease, billing.month, to_fen(billing.recognised), to_fen(_collective(billing.income_shares)),
                to_fen(billing.invoice.amount) if billing.invoice else 0))


def _collective(shares: Any) -> Decimal:
    return sum((share.amount for share in shares if share.party == COLLECTIVE), ZERO)


def _terminated(tx: Transaction, position: int, book: str, lease: str, event: Any) -> None:
    tx.execute("UPDATE anju_lease_leases SET terminated_on = ?, grounds = ? WHERE book_code = ? AND lease_code = ?",
               (event.terminated_on.isoformat(), event.grounds.value, book, lease))
    for credit in event.credits:
        tx.execute("UPDATE anju_lease_income SET recognised_fen = recognised_fen - ?, collective_fen ="
                   " collective_fen - ?, invoiced_fen = invoiced_fen - ? WHERE book_code = ? AND lease_code = ?"
                   " AND month = ?", (to_fen(credit.recognised_reduction), to_fen(_collective(credit.income_shares)),
                                      to_fen(credit.invoice_reduction), book, lease, credit.month))


def _renewed(tx: Transaction, position: int, book: str, lease: str, event: Any) -> None:
    tx.execute("UPDATE anju_lease_leases SET renewed_by = ? WHERE book_code = ? AND lease_code = ?",
               (event.renewed_by, book, lease))


def _renewal_declined(tx: Transaction, position: int, book: str, lease: str, event: Any) -> None:
    tx.execute("UPDATE anju_lease_leases SET renewal_declined = 1 WHERE book_code = ? AND lease_code = ?",
               (book, lease))


def _deposit(kind: str, date_field: str):  # noqa: ANN202 - handler factory
    def handle(tx: Transaction, position: int, book: str, lease: str, event: Any) -> None:
        tx.execute("INSERT INTO anju_lease_deposits VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (book, lease, position, getattr(event, date_field).isoformat(), kind, to_fen(event.amount),
                    event.voucher_number))

    return handle


def _ignore(*_: Any) -> None:
    return None


_HANDLERS = {
    ShopFront.Registered.__qualname__: _shop_front_registered,
    ShopFront.RightsChanged.__qualname__: _rights_changed,
    ShopFront.LeaseAttached.__qualname__: _lease_attached,
    ShopFront.LeaseEndedEarly.__qualname__: _lease_ended_early,
    ShopFront.RenewalDeclined.__qualname__: _ignore,
    Tenant.Registered.__qualname__: _tenant_registered,
    Tenant.InvoiceIssued.__qualname__: _invoice_issued,
    Tenant.ReceiptRecorded.__qualname__: _receipt_recorded,
    Tenant.DepositApplied.__qualname__: _tenant_deposit_applied,
    Tenant.InvoicesCredited.__qualname__: _invoices_credited,
    Tenant.LateFeesCharged.__qualname__: _ignore,
    Lease.Signed.__qualname__: _lease_signed,
    Lease.MonthBilled.__qualname__: _month_billed,
    Lease.Terminated.__qualname__: _terminated,
    Lease.Renewed.__qualname__: _renewed,
    Lease.RenewalDeclined.__qualname__: _renewal_declined,
    Lease.DepositReceived.__qualname__: _deposit("received", "received_on"),
    Lease.DepositRefunded.__qualname__: _deposit("refunded", "refunded_on"),
    Lease.DepositApplied.__qualname__: _deposit("applied", "applied_on"),
}


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
    data = json.loads(text)
    return LeaseTerms(
        start_on=date.fromisoformat(data["start_on"]), end_on=date.fromisoformat(data["end_on"]),
        billing_frequency=data["billing_frequency"], monthly_rent=Decimal(data["monthly_rent"]),
        rent_per_m2_month=Decimal(data["rent_per_m2_month"]) if data["rent_per_m2_month"] else None,
        floor_area_m2=Decimal(data["floor_area_m2"]) if data["floor_area_m2"] else None,
        rent_free_months=data["rent_free_months"], escalation_percent=Decimal(data["escalation_percent"]),
        deposit=Decimal(data["deposit"]), contract_reference=data["contract_reference"],
    )


# --- queries ---------------------------------------------------------------------------


def shop_front_codes(tx: Transaction, book_code: str) -> list[str]:
    return [r[0] for r in tx.query("SELECT unit_number FROM anju_lease_shop_fronts WHERE book_code = ?"
                                   " ORDER BY unit_number", (book_code,))]


def lease_codes(tx: Transaction, book_code: str) -> list[str]:
    """Every lease of the book, in code order: the candidates of a billing run."""
    return [r[0] for r in tx.query("SELECT lease_code FROM anju_lease_leases WHERE book_code = ?"
                                   " ORDER BY lease_code", (book_code,))]


def tenant_codes(tx: Transaction, book_code: str) -> list[str]:
    return [r[0] for r in tx.query("SELECT tenant_code FROM anju_lease_tenants WHERE book_code = ?"
                                   " ORDER BY tenant_code", (book_code,))]


def tenant_exists(tx: Transaction, book_code: str, tenant_code: str) -> bool:
    return tx.query_one("SELECT 1 FROM anju_lease_tenants WHERE book_code = ? AND tenant_code = ?",
                        (book_code, tenant_code)) is not None


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


MAX_STATEMENT_LINES = 5_000


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


def lease_row(tx: Transaction, book_code: str, lease_code: str) -> dict[str, Any] | None:
    row = tx.query_one("SELECT lease_code, tenant_code, unit_numbers, start_on, end_on, billing_from, terminated_on,"
                       " grounds, terms, renews, renewed_by, renewal_declined FROM anju_lease_leases"
                       " WHERE book_code = ? AND lease_code = ?", (book_code, lease_code))
    if row is None:
        return None
    deposits = tx.query("SELECT on_date, kind, amount_fen, voucher_number FROM anju_lease_deposits"
                        " WHERE book_code = ? AND lease_code = ? ORDER BY position", (book_code, lease_code))
    income = tx.query("SELECT month, invoiced_fen, recognised_fen, collective_fen FROM anju_lease_income"
                      " WHERE book_code = ? AND lease_code = ? ORDER BY month", (book_code, lease_code))
    return {"row": row, "deposits": deposits, "income": income}
