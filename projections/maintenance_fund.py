"""Read models of housing special maintenance funds (DOMAIN.md §6), and the queries the routes call.

Tables ``anju_mf_*`` (amounts in whole fen, floor areas in hundredths of a m², dates as ISO
text): funds, units (with their current owner), every sub-ledger movement per unit (a
balance or a statement as of any date is a sum of them), owner changes, money in (first
deposits, contributions, interest), works with their votes and payments. A fund's book
balances (bank, receivables, payables) come from the books read model, so the annual
statement reconciles the sub-ledgers with the fund's own bank account.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain.maintenance_fund.fund import Fund
from domain.maintenance_fund.replenishment import Replenishment, replenishment_of
from domain.maintenance_fund.statement import (
    BEFORE,
    CONTRIBUTION,
    FIRST_DEPOSIT,
    INSIDE,
    INTEREST,
    RECEIVABLE_PAYMENT,
    REFUND,
    USE,
    BookBalances,
    MovementSum,
    StatementFigures,
    fold_statement,
    fund_reconciles,
)
from domain.maintenance_fund.unit import DEVELOPER_VOTER, Owner, voter_key
from domain.maintenance_fund.works import Works
from ledger.chart import load_chart
from ledger.money import ZERO, from_fen, to_fen
from ledger.sqldb import Transaction
from projections.base import ReadModel, Table, book_of, handles, insert_rows
from projections.ledger_reports import cumulative_as_of
from projections.runner import LogEntry

FUNDS = Table("anju_mf_funds", (
    "book_code TEXT NOT NULL", "name TEXT NOT NULL", "community_id TEXT NOT NULL", "township_id TEXT NOT NULL",
    "area_kind TEXT NOT NULL", "building TEXT NOT NULL", "opened_on TEXT NOT NULL", "interest_basis TEXT NOT NULL",
    "standards TEXT NOT NULL", "position BIGINT NOT NULL"), ("book_code",), indexes=(("township_id",),))
UNITS = Table("anju_mf_units", (
    "book_code TEXT NOT NULL", "unit_id TEXT NOT NULL", "kind TEXT NOT NULL", "area_hundredths BIGINT NOT NULL",
    "building TEXT NOT NULL", "stairwell TEXT NOT NULL", "room TEXT NOT NULL", "owner_id TEXT NOT NULL",
    "owner_kind TEXT NOT NULL", "owner_name TEXT NOT NULL", "household_id TEXT NOT NULL", "shop_front TEXT NOT NULL",
    "registered_on TEXT NOT NULL", "first_deposit_fen BIGINT", "first_deposit_on TEXT", "closed_on TEXT"),
    ("book_code", "unit_id"))
MOVEMENTS = Table("anju_mf_movements", (
    "book_code TEXT NOT NULL", "unit_id TEXT NOT NULL", "position BIGINT NOT NULL", "on_date TEXT NOT NULL",
    "kind TEXT NOT NULL", "source TEXT NOT NULL", "works_code TEXT NOT NULL", "amount_fen BIGINT NOT NULL",
    "receivable_fen BIGINT NOT NULL"), ("book_code", "unit_id", "position"), indexes=(("book_code", "on_date"),))
OWNER_CHANGES = Table("anju_mf_owner_changes", (
    "book_code TEXT NOT NULL", "unit_id TEXT NOT NULL", "position BIGINT NOT NULL", "on_date TEXT NOT NULL",
    "owner_id TEXT NOT NULL", "owner_kind TEXT NOT NULL", "owner_name TEXT NOT NULL", "reference TEXT NOT NULL"),
    ("book_code", "unit_id", "position"))
MONEY_IN = Table("anju_mf_money_in", (
    "book_code TEXT NOT NULL", "position BIGINT NOT NULL", "on_date TEXT NOT NULL", "kind TEXT NOT NULL",
    "source TEXT NOT NULL", "target TEXT NOT NULL", "amount_fen BIGINT NOT NULL", "units INTEGER NOT NULL",
    "reference TEXT NOT NULL", "details TEXT NOT NULL", "voucher_numbers TEXT NOT NULL"), ("book_code", "position"))
WORKS = Table("anju_mf_works", (
    "book_code TEXT NOT NULL", "works_code TEXT NOT NULL", "title TEXT NOT NULL", "common_parts TEXT NOT NULL",
    "nature TEXT NOT NULL", "matter TEXT NOT NULL", "scope TEXT NOT NULL", "affected_units INTEGER NOT NULL",
    "contractor TEXT NOT NULL", "estimated_fen BIGINT NOT NULL", "proposed_on TEXT NOT NULL",
    "emergency_type TEXT NOT NULL", "authorised_by TEXT NOT NULL", "used_on TEXT", "approved_fen BIGINT NOT NULL",
    "from_balance_fen BIGINT NOT NULL", "receivable_fen BIGINT NOT NULL", "paid_fen BIGINT NOT NULL",
    "voucher_numbers TEXT NOT NULL", "votes INTEGER NOT NULL", "authorised INTEGER NOT NULL"), ("book_code", "works_code"))
VOTES = Table("anju_mf_votes", (
    "book_code TEXT NOT NULL", "works_code TEXT NOT NULL", "vote_no INTEGER NOT NULL", "held_on TEXT NOT NULL",
    "tally TEXT NOT NULL", "passed INTEGER NOT NULL", "position BIGINT NOT NULL"), ("book_code", "works_code", "vote_no"))
PAYMENTS = Table("anju_mf_payments", (
    "book_code TEXT NOT NULL", "works_code TEXT NOT NULL", "position BIGINT NOT NULL", "paid_on TEXT NOT NULL",
    "amount_fen BIGINT NOT NULL", "voucher_number TEXT NOT NULL"), ("book_code", "works_code", "position"))


def _area(area: Decimal) -> int:
    return int(area * 100)


def area_text(hundredths: int) -> str:
    return str((Decimal(int(hundredths)) / 100).quantize(Decimal("0.01")))


def tally_json(tally: Any) -> dict[str, Any]:
    """A vote's figures, for the read model and the wire (areas as strings with two decimals)."""
    figures = {name: getattr(tally, name) for name in (
        "matter", "total_owners", "participating_owners", "for_owners", "against_owners", "abstain_owners",
        "participation_met", "approval_met")}
    for name in ("total_area", "participating_area", "for_area", "against_area", "abstain_area"):
        figures[name] = str(getattr(tally, name).quantize(Decimal("0.01")))
    figures["absent_owners"] = tally.absent_owners
    figures["absent_area"] = str(tally.absent_area.quantize(Decimal("0.01")))
    figures["passed"] = tally.passed
    figures["ballots"] = [[b.owner, b.answer] for b in tally.ballots]
    return figures


class MaintenanceFundReadModel(ReadModel):
    name = "maintenance_fund"
    tables = (FUNDS, UNITS, MOVEMENTS, OWNER_CHANGES, MONEY_IN, WORKS, VOTES, PAYMENTS)
    topic_prefixes = ("domain.maintenance_fund.",)

    # --- funds and units ---------------------------------------------------------------------
    @handles(Fund.Opened)
    def fund_opened(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        standards = [[event.opened_on.isoformat(), str(event.deposit_standard)]]
        insert_rows(tx, FUNDS, [(event.book_code, event.name, event.community_id, event.township_id, event.area_kind,
                                 event.building, event.opened_on.isoformat(), event.interest_basis,
                                 json.dumps(standards), entry.position)])

    @handles(Fund.DepositStandardSet)
    def standard_set(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book = book_of(tx, entry)
        row = tx.query_one("SELECT standards FROM anju_mf_funds WHERE book_code = ?", (book,))
        standards = json.loads(row[0]) + [[event.effective_on.isoformat(), str(event.standard)]]
        tx.execute("UPDATE anju_mf_funds SET standards = ? WHERE book_code = ?", (json.dumps(standards), book))

    @handles(Fund.UnitsRegistered)
    def units_registered(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, day = book_of(tx, entry), event.registered_on.isoformat()
        insert_rows(tx, UNITS, [(book, u.unit_id, u.kind, _area(u.floor_area_m2), u.building, u.stairwell, u.room,
                                 u.owner.owner_id, u.owner.kind, u.owner.name, u.household_id, u.shop_front, day,
                                 None, None, None) for u in event.units])
        insert_rows(tx, OWNER_CHANGES, [(book, u.unit_id, entry.position, day, u.owner.owner_id, u.owner.kind,
                                         u.owner.name, "registered") for u in event.units])

    @handles(Fund.UnitTransferred)
    def unit_transferred(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, owner = book_of(tx, entry), event.owner
        tx.execute("UPDATE anju_mf_units SET owner_id = ?, owner_kind = ?, owner_name = ? WHERE book_code = ?"
                   " AND unit_id = ?", (owner.owner_id, owner.kind, owner.name, book, event.unit_id))
        insert_rows(tx, OWNER_CHANGES, [(book, event.unit_id, entry.position, event.transferred_on.isoformat(),
                                         owner.owner_id, owner.kind, owner.name, event.reference or "transfer")])

    @handles(Fund.UnitDemolished)
    def unit_demolished(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, day = book_of(tx, entry), event.demolished_on.isoformat()
        tx.execute("UPDATE anju_mf_units SET closed_on = ? WHERE book_code = ? AND unit_id = ?",
                   (day, book, event.unit_id))
        if event.refunded:
            insert_rows(tx, MOVEMENTS, [(book, event.unit_id, entry.position, day, REFUND, "", "",
                                         -to_fen(event.refunded), 0)])

    # --- money in ---------------------------------------------------------------------------------
    @handles(Fund.FirstDepositsRecorded)
    def first_deposits(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, deposits = book_of(tx, entry), event.deposits
        day = deposits.deposited_on.isoformat()
        tx.executemany("UPDATE anju_mf_units SET first_deposit_fen = ?, first_deposit_on = ? WHERE book_code = ?"
                       " AND unit_id = ?", [(to_fen(l.amount), day, book, l.unit_id) for l in deposits.lines])
        self._lines(tx, book, entry.position, day, FIRST_DEPOSIT, FIRST_DEPOSIT, deposits.lines)
        total = sum((l.amount for l in deposits.lines), ZERO)
        self._money_in(tx, book, entry.position, day, FIRST_DEPOSIT, FIRST_DEPOSIT, "units", total,
                       len(deposits.lines), deposits.reference,
                       {"standard_yuan_per_m2": str(deposits.standard_yuan_per_m2)}, deposits.voucher_numbers)

    @handles(Fund.ContributionRecorded)
    def contribution(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, c = book_of(tx, entry), event.contribution
        day = c.received_on.isoformat()
        self._lines(tx, book, entry.position, day, CONTRIBUTION, c.source, c.lines)
        details: dict[str, Any] = {}
        if c.land_quota is not None:
            q = c.land_quota
            details["land_quota"] = {"trade_amount": str(q.trade_amount), "retained_percent": str(q.retained_percent),
                                     "trade_reference": q.trade_reference, "contribution": str(q.contribution)}
        if c.community_transfer is not None:
            t = c.community_transfer
            details["community_transfer"] = {"collective_book": t.collective_book, "debit_account": t.debit_account,
                                             "voucher_number": t.voucher_number}
        if c.vote is not None:
            details["vote"] = tally_json(c.vote)
        target = c.target.kind if not c.target.code else f"{c.target.kind}:{c.target.code}"
        self._money_in(tx, book, entry.position, day, CONTRIBUTION, c.source, target, c.amount, len(c.lines),
                       c.reference, details, c.voucher_numbers)

    @handles(Fund.InterestAllocated)
    def interest(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, a = book_of(tx, entry), event.allocation
        day = a.period_to.isoformat()
        self._lines(tx, book, entry.position, day, INTEREST, a.basis, a.lines)
        self._money_in(tx, book, entry.position, day, INTEREST, a.basis, "fund", a.total, len(a.lines), a.reference,
                       {"period_from": a.period_from.isoformat(), "period_to": day, "basis": a.basis,
                        "method": a.method}, a.voucher_numbers)

    def _lines(self, tx: Transaction, book: str, position: int, day: str, kind: str, source: str, lines: Any) -> None:
        insert_rows(tx, MOVEMENTS, [(book, l.unit_id, position, day, kind, source, "", to_fen(l.amount), 0)
                                    for l in lines])

    def _money_in(self, tx: Transaction, book: str, position: int, day: str, kind: str, source: str, target: str,
                  amount: Decimal, units: int, reference: str, details: dict, numbers: Any) -> None:
        insert_rows(tx, MONEY_IN, [(book, position, day, kind, source, target, to_fen(amount), units, reference,
                                    json.dumps(details, ensure_ascii=False, sort_keys=True),
                                    json.dumps(list(numbers), ensure_ascii=False))])

    # --- uses and receivables ------------------------------------------------------------------------
    @handles(Fund.UnitsCharged)
    def units_charged(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, day = book_of(tx, entry), event.charged_on.isoformat()
        insert_rows(tx, MOVEMENTS, [(book, l.unit_id, entry.position, day, USE, "", event.works_code,
                                     -to_fen(l.from_balance), to_fen(l.receivable)) for l in event.lines])

    @handles(Fund.ReceivablePaid)
    def receivable_paid(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        insert_rows(tx, MOVEMENTS, [(book_of(tx, entry), event.unit_id, entry.position,
                                     event.received_on.isoformat(), RECEIVABLE_PAYMENT, "", "", 0,
                                     -to_fen(event.amount))])

    @handles(Works.Proposed)
    def works_proposed(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        scope = {"kind": event.scope.kind, "building": event.scope.building, "stairwell": event.scope.stairwell}
        emergency = event.emergency
        insert_rows(tx, WORKS, [(event.book_code, event.works_code, event.title, event.common_parts, event.nature,
                                 event.matter, json.dumps(scope), len(event.affected), event.contractor,
                                 to_fen(event.estimated_cost), event.proposed_on.isoformat(),
                                 emergency.emergency_type if emergency else "",
                                 emergency.authorised_by if emergency else "", None, 0, 0, 0, 0, "[]", 0,
                                 1 if emergency else 0)])

    @handles(Works.VoteRecorded)
    def vote_recorded(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, code = book_of(tx, entry), _works_code(tx, entry)
        row = tx.query_one("SELECT votes FROM anju_mf_works WHERE book_code = ? AND works_code = ?", (book, code))
        number = int(row[0]) + 1
        insert_rows(tx, VOTES, [(book, code, number, event.held_on.isoformat(),
                                 json.dumps(tally_json(event.tally), ensure_ascii=False), int(event.tally.passed),
                                 entry.position)])
        tx.execute("UPDATE anju_mf_works SET votes = ?, authorised = ? WHERE book_code = ? AND works_code = ?",
                   (number, int(event.tally.passed), book, code))

    @handles(Works.Used)
    def works_used(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        tx.execute("UPDATE anju_mf_works SET used_on = ?, approved_fen = ?, from_balance_fen = ?, receivable_fen = ?,"
                   " voucher_numbers = ? WHERE book_code = ? AND works_code = ?",
                   (event.used_on.isoformat(), to_fen(event.approved_cost), to_fen(event.from_balances),
                    to_fen(event.receivables), json.dumps(list(event.voucher_numbers), ensure_ascii=False),
                    book_of(tx, entry), _works_code(tx, entry)))

    @handles(Works.Paid)
    def works_paid(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book, code = book_of(tx, entry), _works_code(tx, entry)
        insert_rows(tx, PAYMENTS, [(book, code, entry.position, event.paid_on.isoformat(), to_fen(event.amount),
                                    event.voucher_number)])
        tx.execute("UPDATE anju_mf_works SET paid_fen = paid_fen + ? WHERE book_code = ? AND works_code = ?",
                   (to_fen(event.amount), book, code))


def _works_code(tx: Transaction, entry: LogEntry) -> str:
    from projections.base import stream_of

    return stream_of(tx, entry).code



# === queries ========================================================================================
@dataclass(frozen=True)
class FundInfo:
    book_code: str
    name: str
    community_id: str
    township_id: str
    area_kind: str
    building: str
    opened_on: str
    interest_basis: str
    standards: list[list[str]]


FUND_COLUMNS = ("book_code, name, community_id, township_id, area_kind, building, opened_on, interest_basis,"
                " standards")


def _fund(row: Any) -> FundInfo:
    return FundInfo(*row[:8], json.loads(row[8]))


def fund_info(tx: Transaction, book_code: str) -> FundInfo | None:
    row = tx.query_one(f"SELECT {FUND_COLUMNS} FROM anju_mf_funds WHERE book_code = ?", (book_code,))
    return _fund(row) if row else None


def funds(tx: Transaction, township_id: str | None = None) -> list[FundInfo]:
    if township_id is None:
        rows = tx.query(f"SELECT {FUND_COLUMNS} FROM anju_mf_funds ORDER BY book_code")
    else:
        rows = tx.query(f"SELECT {FUND_COLUMNS} FROM anju_mf_funds WHERE township_id = ? ORDER BY book_code",
                        (township_id,))
    return [_fund(r) for r in rows]


def fund_totals(tx: Transaction, book_code: str, as_of: date) -> dict[str, Any]:
    """Units, area, Σ sub-ledgers and Σ receivables as of a date."""
    day = as_of.isoformat()
    units = tx.query_one("SELECT COUNT(*), COALESCE(SUM(area_hundredths), 0) FROM anju_mf_units WHERE book_code = ?"
                         " AND registered_on <= ? AND (closed_on IS NULL OR closed_on > ?)", (book_code, day, day))
    money = tx.query_one("SELECT COALESCE(SUM(amount_fen), 0), COALESCE(SUM(receivable_fen), 0) FROM"
                         " anju_mf_movements WHERE book_code = ? AND on_date <= ?", (book_code, day))
    return {"open_units": int(units[0]), "floor_area_m2": area_text(units[1]), "balance": from_fen(int(money[0])),
            "receivable": from_fen(int(money[1]))}


# --- units and owners --------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitRow:
    unit_id: str
    kind: str
    floor_area_m2: str
    building: str
    stairwell: str
    room: str
    owner: Owner
    household_id: str
    shop_front: str
    registered_on: str
    first_deposit: Decimal | None
    closed_on: str | None
    balance: Decimal
    receivable: Decimal

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def replenishment(self) -> Replenishment | None:
        return replenishment_of(self.first_deposit, self.balance) if self.is_open else None


_OWNER_AS_OF = ("(SELECT c.{col} FROM anju_mf_owner_changes c WHERE c.book_code = u.book_code AND c.unit_id = u.unit_id"
                " AND c.on_date <= ? ORDER BY c.on_date DESC, c.position DESC LIMIT 1)")
UNITS_AS_OF = (
    "SELECT u.unit_id, u.kind, u.area_hundredths, u.building, u.stairwell, u.room, "
    + ", ".join(_OWNER_AS_OF.format(col=c) for c in ("owner_id", "owner_kind", "owner_name"))
    + ", u.household_id, u.shop_front, u.registered_on,"
    " CASE WHEN u.first_deposit_on <= ? THEN u.first_deposit_fen END,"
    " CASE WHEN u.closed_on <= ? THEN u.closed_on END, COALESCE(m.balance, 0), COALESCE(m.receivable, 0)"
    " FROM anju_mf_units u LEFT JOIN (SELECT unit_id, SUM(amount_fen) AS balance, SUM(receivable_fen) AS receivable"
    " FROM anju_mf_movements WHERE book_code = ? AND on_date <= ? {unit_filter} GROUP BY unit_id) m"
    " ON m.unit_id = u.unit_id WHERE u.book_code = ? AND u.registered_on <= ? {where} ORDER BY u.unit_id")


def units(tx: Transaction, book_code: str, as_of: date, *, limit: int | None = None, after: str = "",
          unit_id: str | None = None) -> list[UnitRow]:
    """The fund's units registered by ``as_of``, with owner, first deposit, balance and receivable then."""
    day = as_of.isoformat()
    where, unit_filter = " AND u.unit_id > ?", ""
    params: list[Any] = [day, day, day, day, day, book_code, day]
    if unit_id is not None:
        unit_filter = " AND unit_id = ?"
        params.append(unit_id)
    params += [book_code, day]
    if unit_id is not None:
        where = " AND u.unit_id = ?"
        params.append(unit_id)
    else:
        params.append(after)
    sql = UNITS_AS_OF.format(unit_filter=unit_filter, where=where)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [UnitRow(r[0], r[1], area_text(r[2]), r[3], r[4], r[5], Owner(r[6] or "", r[7] or "", r[8] or ""),
                    r[9], r[10], r[11], from_fen(int(r[12])) if r[12] is not None else None, r[13],
                    from_fen(int(r[14])), from_fen(int(r[15]))) for r in tx.query(sql, params)]


def owners(tx: Transaction, book_code: str, as_of: date) -> list[dict[str, Any]]:
    """The owners as a vote counts them (DOMAIN.md §6 headcount), over the open units as of a date."""
    found: dict[str, dict[str, Any]] = {}
    for unit in units(tx, book_code, as_of):
        if not unit.is_open:
            continue
        key = voter_key(unit.owner)
        entry = found.setdefault(key, {"owner": key, "kind": unit.owner.kind, "names": set(), "unit_ids": [],
                                       "area_hundredths": 0, "balance": ZERO})
        if unit.owner.name:
            entry["names"].add(unit.owner.name)
        entry["unit_ids"].append(unit.unit_id)
        entry["area_hundredths"] += _area(Decimal(unit.floor_area_m2))
        entry["balance"] += unit.balance
    for entry in found.values():
        entry["names"] = sorted(entry["names"])
        entry["floor_area_m2"] = area_text(entry.pop("area_hundredths"))
    return [found[k] for k in sorted(found, key=lambda k: (k == DEVELOPER_VOTER, k))]


def replenishment_list(tx: Transaction, book_code: str, as_of: date) -> list[UnitRow]:
    """Units below 30 % of their first deposit as of a date (165号令 Art. 17), by unit id."""
    return [u for u in units(tx, book_code, as_of) if u.replenishment is not None and u.replenishment.flagged]


# --- statements (Arts. 30–31) ---------------------------------------------------------------------
def statement_period(year: int, as_of: date) -> tuple[date, date]:
    """From 1 January of ``year`` to 31 December, or to ``as_of`` when it falls earlier in that year."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return start, min(end, as_of) if as_of >= start else start - timedelta(days=1)


def movement_sums(tx: Transaction, book_code: str, start: date, end: date,
                  unit_id: str | None = None) -> list[MovementSum]:
    sql = ("SELECT CASE WHEN on_date < ? THEN 'before' ELSE 'inside' END, kind, source, works_code,"
           " SUM(amount_fen), SUM(receivable_fen) FROM anju_mf_movements WHERE book_code = ? AND on_date <= ?")
    params: list[Any] = [start.isoformat(), book_code, end.isoformat()]
    if unit_id is not None:
        sql += " AND unit_id = ?"
        params.append(unit_id)
    rows = tx.query(sql + " GROUP BY 1, kind, source, works_code", params)
    return [MovementSum(r[0], r[1], r[2], r[3], int(r[4]), int(r[5])) for r in rows]


def works_titles(tx: Transaction, book_code: str) -> dict[str, str]:
    return {r[0]: r[1] for r in tx.query("SELECT works_code, title FROM anju_mf_works WHERE book_code = ?",
                                         (book_code,))}


def unit_statement(tx: Transaction, book_code: str, unit_id: str, year: int, as_of: date) -> dict[str, Any] | None:
    """分户账: one unit's opening, deposits by source, value-added income, uses by works, closing."""
    start, end = statement_period(year, as_of)
    found = units(tx, book_code, max(end, start), unit_id=unit_id)
    if not found:
        return None
    figures = fold_statement(movement_sums(tx, book_code, start, end, unit_id))
    owner_rows = tx.query("SELECT on_date, owner_id, owner_kind, owner_name, reference FROM anju_mf_owner_changes"
                          " WHERE book_code = ? AND unit_id = ? AND on_date <= ? ORDER BY on_date, position",
                          (book_code, unit_id, end.isoformat()))
    return {"unit": found[0], "period_start": start, "period_end": end, "figures": figures,
            "titles": works_titles(tx, book_code), "owners": owner_rows}


def book_balances(tx: Transaction, book_code: str, as_of: date) -> BookBalances:
    """The fund book's balances in each account's normal direction, from the running balances."""
    chart = load_chart("maintenance_fund")
    by_account: dict[str, int] = {}
    for (account, _), (dr, cr) in cumulative_as_of(tx, book_code, as_of).items():
        by_account[account] = by_account.get(account, 0) + dr - cr

    def debit_side(role: str) -> Decimal:
        return from_fen(by_account.get(chart.code_for(role), 0))

    def credit_side(role: str) -> Decimal:
        return from_fen(-by_account.get(chart.code_for(role), 0))

    return BookBalances(debit_side("bank"), debit_side("bonds"), debit_side("receivable"), credit_side("funds_held"),
                        credit_side("value_added_income"), credit_side("payable"))


def fund_statement(tx: Transaction, book_code: str, year: int, as_of: date) -> dict[str, Any]:
    """The fund's annual statement, reconciled with its own book's bank account (Arts. 30–31)."""
    start, end = statement_period(year, as_of)
    figures: StatementFigures = fold_statement(movement_sums(tx, book_code, start, end))
    book = book_balances(tx, book_code, end)
    totals = fund_totals(tx, book_code, end)
    return {"period_start": start, "period_end": end, "figures": figures, "book": book, "totals": totals,
            "titles": works_titles(tx, book_code),
            "reconciles": fund_reconciles(figures.closing, figures.receivable_closing, book)}


# --- works, votes, money in ------------------------------------------------------------------------
WORKS_COLUMNS = ("works_code, title, common_parts, nature, matter, scope, affected_units, contractor, estimated_fen,"
                 " proposed_on, emergency_type, authorised_by, used_on, approved_fen, from_balance_fen,"
                 " receivable_fen, paid_fen, voucher_numbers, votes, authorised")


def _works(row: Any) -> dict[str, Any]:
    keys = [c.strip() for c in WORKS_COLUMNS.split(",")]
    item = dict(zip(keys, row, strict=True))
    item["scope"] = json.loads(item["scope"])
    item["voucher_numbers"] = json.loads(item["voucher_numbers"])
    item["authorised"] = bool(item["authorised"])
    return item


def works_list(tx: Transaction, book_code: str, limit: int, after: str = "") -> list[dict[str, Any]]:
    rows = tx.query(f"SELECT {WORKS_COLUMNS} FROM anju_mf_works WHERE book_code = ? AND works_code > ?"
                    " ORDER BY works_code LIMIT ?", (book_code, after, limit))
    return [_works(r) for r in rows]


def works_detail(tx: Transaction, book_code: str, works_code: str) -> dict[str, Any] | None:
    row = tx.query_one(f"SELECT {WORKS_COLUMNS} FROM anju_mf_works WHERE book_code = ? AND works_code = ?",
                       (book_code, works_code))
    if row is None:
        return None
    item = _works(row)
    item["payments"] = [{"paid_on": r[0], "amount_fen": int(r[1]), "voucher_number": r[2]} for r in tx.query(
        "SELECT paid_on, amount_fen, voucher_number FROM anju_mf_payments WHERE book_code = ? AND works_code = ?"
        " ORDER BY position", (book_code, works_code))]
    return item


def vote_tallies(tx: Transaction, book_code: str, works_code: str) -> list[dict[str, Any]]:
    rows = tx.query("SELECT vote_no, held_on, tally FROM anju_mf_votes WHERE book_code = ? AND works_code = ?"
                    " ORDER BY vote_no", (book_code, works_code))
    return [{"vote_no": int(r[0]), "held_on": r[1], **json.loads(r[2])} for r in rows]


def money_in(tx: Transaction, book_code: str, as_of: date, limit: int, after: int = 0) -> list[dict[str, Any]]:
    rows = tx.query("SELECT position, on_date, kind, source, target, amount_fen, units, reference, details,"
                    " voucher_numbers FROM anju_mf_money_in WHERE book_code = ? AND on_date <= ? AND position > ?"
                    " ORDER BY position LIMIT ?", (book_code, as_of.isoformat(), after, limit))
    return [{"position": int(r[0]), "on_date": r[1], "kind": r[2], "source": r[3], "target": r[4],
             "amount_fen": int(r[5]), "units": int(r[6]), "reference": r[7], "details": json.loads(r[8]),
             "voucher_numbers": json.loads(r[9])} for r in rows]


__all__ = ["BEFORE", "INSIDE", "MaintenanceFundReadModel"]
