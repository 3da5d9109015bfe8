"""Read models of shop-front leasing, and the query functions the leasing routes call.

Tables (amounts in whole fen, dates as ISO text): the register with its dated rights,
tenants, leases and which shop-front each occupies when, invoices and what settled
them (with dates, so any as-of date can be answered), tenant statement entries,
rent recognised per lease and month, and deposit movements. The book (and code) of the
stream an event belongs to comes from the shared stream index (``projections.base``).
The queries the leasing routes call read these tables; they live in
``projections.lease_queries``.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from domain.leases.lease import Lease, lease_id
from domain.leases.rights import COLLECTIVE, IncomeShare, RightsChange
from domain.leases.shop_front import ShopFront
from domain.leases.tenant import Tenant
from domain.leases.terms import BillingFrequency, LeaseTerms
from ledger.money import ZERO, to_fen
from ledger.sqldb import Transaction
from projections.base import ReadModel, Table, handles, insert_rows, stream_of
from projections.runner import LogEntry

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
        key = entry.stream_id
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

    # The bulk events (an invoice and a billed month per lease and month, a receipt per payment) are
    # read from the stored JSON (``raw=True``): decoding them bounded replay. Fields a value type
    # defaults (``period_start``, ``voucher_number`` …) are read with the same defaults.
    @handles(Tenant.InvoiceIssued, raw=True)
    def invoice_issued(self, tx: Transaction, entry: LogEntry, data: dict[str, Any]) -> None:
        book, tenant = self._stream(tx, entry)
        invoice = data["invoice"]["_data_"]
        number, kind, issued_on = invoice["invoice_number"], invoice["kind"]["_data_"], invoice["issued_on"]["_data_"]
        amount, voucher = _fen(invoice["amount"]), invoice.get("voucher_number", "")
        tx.execute(INVOICES.insert_sql(), (
            book, number, tenant, invoice["lease_code"], kind, issued_on, invoice["due_on"]["_data_"], amount,
            _raw_day(invoice.get("period_start")), _raw_day(invoice.get("period_end")), voucher, entry.position))
        tx.execute(STATEMENT.insert_sql(), (book, tenant, entry.position, issued_on, kind, number, amount, 0, voucher))
        credit_applied = _fen(data["credit_applied"])
        if credit_applied > 0:
            tx.execute(SETTLEMENTS.insert_sql(), (book, entry.position, 1, number, tenant,
                                                  data["credit_applied_on"]["_data_"], credit_applied, "credit"))

    @handles(Tenant.ReceiptRecorded, raw=True)
    def receipt_recorded(self, tx: Transaction, entry: LogEntry, data: dict[str, Any]) -> None:
        book, tenant = self._stream(tx, entry)
        receipt = data["receipt"]["_data_"]
        received_on = receipt["received_on"]["_data_"]
        for n, wrapped in enumerate(data["lines"], start=1):
            line = wrapped["_data_"]
            tx.execute(SETTLEMENTS.insert_sql(), (book, entry.position, n, line["invoice_number"], tenant, received_on,
                                                  _fen(line["amount_applied"]), "receipt"))
        tx.execute(STATEMENT.insert_sql(), (book, tenant, entry.position, received_on, "receipt",
                                            receipt["receipt_number"], 0, _fen(receipt["amount"]),
                                            receipt.get("voucher_number", "")))

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
        self._codes[entry.stream_id] = (book, event.lease_code)
        terms: LeaseTerms = event.terms
        tx.execute(LEASES.insert_sql(), (
            book, event.lease_code, event.tenant_code, json.dumps(list(event.unit_numbers)), terms.start_on.isoformat(),
            terms.end_on.isoformat(), event.billing_from.isoformat(), None, None, terms_json(terms),
            to_fen(terms.deposit), event.renews, None, 0, entry.position))

    @handles(Lease.MonthBilled, raw=True)
    def month_billed(self, tx: Transaction, entry: LogEntry, data: dict[str, Any]) -> None:
        book, lease = self._stream(tx, entry)
        billing = data["billing"]["_data_"]
        collective = sum((Decimal(share["_data_"]["amount"]["_data_"]) for share in billing["income_shares"]
                          if share["_data_"]["party"] == COLLECTIVE), ZERO)
        invoice = billing["invoice"]
        tx.execute(INCOME.insert_sql(), (book, lease, billing["month"], _fen(billing["recognised"]), to_fen(collective),
                                         _fen(invoice["_data_"]["amount"]) if invoice else 0))

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


def _fen(wrapped: dict[str, Any]) -> int:
    """Whole fen of a stored amount (``{"_type_": "decimal_str", "_data_": "926.00"}``)."""
    return to_fen(Decimal(wrapped["_data_"]))


def _raw_day(wrapped: dict[str, Any] | None) -> str | None:
    """A stored optional date (``{"_type_": "date_iso", "_data_": …}`` or null) as ISO text."""
    return None if wrapped is None else wrapped["_data_"]


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
