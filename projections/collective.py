"""Read models of collective-economy organisations (DOMAIN.md §3), and the queries the routes call.

Tables ``anju_coll_*`` (amounts in whole fen, dates as ISO text): organisations,
resolutions, the member register, share movements (a share register as of any
date is a sum of them), year closes, distributions with every member's dividend
line, dividend payments, and pooled asset-income projects with their cycles.
The book a stream belongs to comes from the shared stream index
(``projections.base.book_of``). The balance sheet and the income statement of
an organisation's book are the shared folds of ``projections/statements.py``.

All SQL the collective routes need is here, as query functions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.collective.distribution import Distribution
from domain.collective.membership import Membership
from domain.collective.organisation import Organisation
from domain.collective.project import Project
from domain.collective.topics import OLD_MODULE
from ledger.money import to_fen
from ledger.sqldb import Transaction
from projections.base import ReadModel, Table, book_of, handles, insert_rows
from projections.runner import LogEntry

UNITS_SCALE = 10_000  # share units are kept with four places, as whole 1/10,000 units


def units_to_int(units: Decimal) -> int:
    scaled = units * UNITS_SCALE
    assert scaled == scaled.to_integral_value(), "share units have at most four places"
    return int(scaled)


def units_from_int(scaled: int) -> Decimal:
    return (Decimal(scaled) / UNITS_SCALE).normalize() if scaled else Decimal(0)


def format_units(scaled: int) -> str:
    """Share units on the wire: a decimal string without exponent (``3``, ``2.5``)."""
    return format(units_from_int(int(scaled)), "f")


# --- tables (names, columns, order and keys are what replay digests are computed over) ---------
ORGS = Table("anju_coll_orgs", (
    "book_code TEXT NOT NULL", "name TEXT NOT NULL", "community_id TEXT NOT NULL", "township_id TEXT NOT NULL",
    "credit_code TEXT NOT NULL", "reserve_rate_percent TEXT NOT NULL", "collective_share_class INTEGER NOT NULL",
    "share_management TEXT NOT NULL", "registered_on TEXT NOT NULL", "book_adopted INTEGER NOT NULL",
    "members_confirmed INTEGER NOT NULL", "quantified_on TEXT", "position BIGINT NOT NULL"), ("book_code",))
RESOLUTIONS = Table("anju_coll_resolutions", (
    "book_code TEXT NOT NULL", "position BIGINT NOT NULL", "purpose TEXT NOT NULL", "reference TEXT NOT NULL",
    "resolved_on TEXT NOT NULL", "members_total INTEGER NOT NULL", "members_with_full_capacity INTEGER NOT NULL",
    "present INTEGER NOT NULL", "in_favour INTEGER NOT NULL"), ("book_code", "position"))
MEMBERS = Table("anju_coll_members", (
    "book_code TEXT NOT NULL", "member_id TEXT NOT NULL", "name TEXT NOT NULL", "household_id TEXT NOT NULL",
    "identity_masked TEXT NOT NULL", "confirmed_on TEXT NOT NULL", "confirmation_reference TEXT NOT NULL",
    "ended_on TEXT", "end_reason TEXT"), ("book_code", "member_id"))
SHARE_MOVEMENTS = Table("anju_coll_share_movements", (
    "book_code TEXT NOT NULL", "position BIGINT NOT NULL", "seq INTEGER NOT NULL", "effective_on TEXT NOT NULL",
    "member_id TEXT NOT NULL", "delta_units BIGINT NOT NULL", "kind TEXT NOT NULL", "counterparty TEXT NOT NULL",
    "reference TEXT NOT NULL"), ("book_code", "position", "seq"), indexes=(("book_code", "effective_on"),))
YEAR_CLOSES = Table("anju_coll_year_closes", (
    "book_code TEXT NOT NULL", "year INTEGER NOT NULL", "net_income_fen BIGINT NOT NULL",
    "voucher_numbers TEXT NOT NULL", "position BIGINT NOT NULL"), ("book_code", "year"))
DISTRIBUTIONS = Table("anju_coll_distributions", (
    "book_code TEXT NOT NULL", "year INTEGER NOT NULL", "attempt INTEGER NOT NULL", "record_date TEXT NOT NULL",
    "voucher_date TEXT NOT NULL", "resolution_reference TEXT NOT NULL", "figures TEXT NOT NULL",
    "declared_fen BIGINT NOT NULL", "members INTEGER NOT NULL", "voucher_numbers TEXT NOT NULL", "reversed_on TEXT",
    "red_numbers TEXT", "position BIGINT NOT NULL"), ("book_code", "year", "attempt"))
DIVIDENDS = Table("anju_coll_dividends", (
    "book_code TEXT NOT NULL", "year INTEGER NOT NULL", "attempt INTEGER NOT NULL", "member_id TEXT NOT NULL",
    "units BIGINT NOT NULL", "declared_fen BIGINT NOT NULL"), ("book_code", "year", "attempt", "member_id"))
DIVIDEND_PAYMENTS = Table("anju_coll_dividend_payments", (
    "position BIGINT NOT NULL", "book_code TEXT NOT NULL", "year INTEGER NOT NULL", "member_id TEXT NOT NULL",
    "paid_on TEXT NOT NULL", "amount_fen BIGINT NOT NULL", "voucher_number TEXT NOT NULL"), ("position",),
    indexes=(("book_code", "year", "member_id"),))
PROJECTS = Table("anju_coll_projects", (
    "book_code TEXT NOT NULL", "project_code TEXT NOT NULL", "name TEXT NOT NULL", "method TEXT NOT NULL",
    "amount_per_unit_fen BIGINT NOT NULL", "started_on TEXT NOT NULL", "participants TEXT NOT NULL",
    "cycles_paid INTEGER NOT NULL"), ("book_code", "project_code"))
PROJECT_CYCLES = Table("anju_coll_project_cycles", (
    "book_code TEXT NOT NULL", "project_code TEXT NOT NULL", "cycle INTEGER NOT NULL", "paid_on TEXT NOT NULL",
    "total_fen BIGINT NOT NULL", "method TEXT NOT NULL", "voucher_number TEXT NOT NULL", "payouts TEXT NOT NULL"),
    ("book_code", "project_code", "cycle"))

#: Where the collective's events are stored: today's aggregate modules, and the module
#: every aggregate lived in until the capability skeleton (its topics stay in the store).
TOPIC_PREFIXES = tuple(f"{module}:" for module in sorted(
    {OLD_MODULE, *(cls.__module__ for cls in (Organisation, Membership, Distribution, Project))}))


class CollectiveReadModel(ReadModel):
    """Organisations, registers, distributions, dividends and projects, by event class."""

    name = "collective"
    tables = (ORGS, RESOLUTIONS, MEMBERS, SHARE_MOVEMENTS, YEAR_CLOSES, DISTRIBUTIONS, DIVIDENDS,
              DIVIDEND_PAYMENTS, PROJECTS, PROJECT_CYCLES)
    topic_prefixes = TOPIC_PREFIXES

    def __init__(self) -> None:
        self._members: list[tuple] = []  # register lines buffered within a batch (confirmed in thousands)

    def handle(self, tx: Transaction, entries: list[LogEntry]) -> None:
        self._members = []  # a batch abandoned half-way leaves nothing behind for its retry
        super().handle(tx, entries)

    def flush(self, tx: Transaction) -> None:
        insert_rows(tx, MEMBERS, self._members)
        self._members = []

    # --- the organisation --------------------------------------------------------
    @handles(Organisation.Registered)
    def registered(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        charter = event.charter
        insert_rows(tx, ORGS, [(event.book_code, event.name, event.community_id, event.township_id,
                                event.credit_code, str(charter.reserve_rate_percent),
                                int(charter.collective_share_class), charter.share_management,
                                event.registered_on.isoformat(), int(event.book_adopted), 0, None, entry.position)])

    @handles(Organisation.MembersConfirmed)
    def members_confirmed(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book_code = book_of(tx, entry)
        _resolution(tx, book_code, entry.position, "confirm-members", event.resolution)
        tx.execute("UPDATE anju_coll_orgs SET members_confirmed = members_confirmed + ? WHERE book_code = ?",
                   (len(event.confirmed), book_code))

    @handles(Organisation.SharesQuantified, raw=True)
    def shares_quantified(self, tx: Transaction, entry: LogEntry, data: dict[str, Any]) -> None:
        book_code = book_of(tx, entry)
        _resolution(tx, book_code, entry.position, "quantify-shares", entry.decoded(data["resolution"]))
        tx.execute("UPDATE anju_coll_orgs SET quantified_on = ? WHERE book_code = ?",
                   (data["effective_on"]["_data_"], book_code))
        _raw_movements(tx, entry, book_code, data["movements"])

    @handles(Organisation.SharesMoved, raw=True)
    def shares_moved(self, tx: Transaction, entry: LogEntry, data: dict[str, Any]) -> None:
        _raw_movements(tx, entry, book_of(tx, entry), data["movements"])

    @handles(Organisation.YearClosed)
    def year_closed(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        close = event.close
        insert_rows(tx, YEAR_CLOSES, [(book_of(tx, entry), close.year, to_fen(close.net_income),
                                       json.dumps(list(close.voucher_numbers), ensure_ascii=False), entry.position)])

    # --- members -------------------------------------------------------------------
    @handles(Membership.Confirmed, raw=True)
    def member_confirmed(self, tx: Transaction, entry: LogEntry, data: dict[str, Any]) -> None:
        self._members.append((data["book_code"], data["member_id"], data["name"], data["household_id"],
                              data["identity"]["_data_"]["masked"], data["confirmed_on"]["_data_"],
                              data["confirmation_reference"], None, None))

    @handles(Membership.MembershipEnded)
    def membership_ended(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        self.flush(tx)  # the line may have been confirmed earlier in this batch
        tx.execute("UPDATE anju_coll_members SET ended_on = ?, end_reason = ? WHERE book_code = ? AND member_id = ?",
                   (event.ended_on.isoformat(), str(event.reason), event.book_code, event.member_id))

    @handles(Membership.DividendPaid, raw=True)
    def dividend_paid(self, tx: Transaction, entry: LogEntry, data: dict[str, Any]) -> None:
        tx.execute(DIVIDEND_PAYMENTS.insert_sql(), (
            entry.position, data["book_code"], data["year"], data["member_id"], data["paid_on"]["_data_"],
            _fen(data["amount"]), data["voucher_number"]))

    # --- distributions ---------------------------------------------------------------
    @handles(Distribution.Adopted, raw=True)
    def distribution_adopted(self, tx: Transaction, entry: LogEntry, data: dict[str, Any]) -> None:
        book_code, year, attempt, lines = data["book_code"], data["year"], data["attempt"], data["lines"]
        figures_data = entry.decoded(data["figures"])  # a dozen figures: typed, as stored or defaulted
        resolution = entry.decoded(data["resolution"])
        figures = {name: str(getattr(figures_data, name)) for name in figures_data.__dataclass_fields__}
        insert_rows(tx, DISTRIBUTIONS, [(
            book_code, year, attempt, data["record_date"]["_data_"], data["voucher_date"]["_data_"],
            resolution.reference, json.dumps(figures, sort_keys=True), to_fen(figures_data.declared), len(lines),
            json.dumps(list(data["voucher_numbers"]), ensure_ascii=False), None, None, entry.position)])
        _resolution(tx, book_code, entry.position, f"distribution-{year}", resolution)
        rows = []
        for wrapped in lines:  # thousands of lines per event: read as stored
            line = wrapped["_data_"]
            rows.append((book_code, year, attempt, line["member_id"], units_to_int(Decimal(line["units"]["_data_"])),
                         _fen(line["amount"])))
        insert_rows(tx, DIVIDENDS, rows)

    @handles(Distribution.Reversed)
    def distribution_reversed(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        tx.execute("UPDATE anju_coll_distributions SET reversed_on = ?, red_numbers = ? WHERE book_code = ?"
                   " AND year = ? AND attempt = ?",
                   (event.reversed_on.isoformat(), json.dumps(list(event.red_numbers), ensure_ascii=False),
                    event.book_code, event.year, event.attempt))

    # --- projects ------------------------------------------------------------------------
    @handles(Project.Registered)
    def project_registered(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        participants = [[p.household_id, p.units] for p in event.participants]
        insert_rows(tx, PROJECTS, [(event.book_code, event.project_code, event.name, event.method,
                                    to_fen(event.amount_per_unit), event.started_on.isoformat(),
                                    json.dumps(participants, ensure_ascii=False), 0)])

    @handles(Project.CyclePaid)
    def cycle_paid(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        payouts = [[p.household_id, p.units, str(p.amount)] for p in event.payouts]
        insert_rows(tx, PROJECT_CYCLES, [(event.book_code, event.project_code, event.cycle, event.paid_on.isoformat(),
                                          to_fen(event.total), event.method, event.voucher_number,
                                          json.dumps(payouts))])
        tx.execute("UPDATE anju_coll_projects SET cycles_paid = ? WHERE book_code = ? AND project_code = ?",
                   (event.cycle, event.book_code, event.project_code))


def _resolution(tx: Transaction, book_code: str, position: int, purpose: str, resolution: Any) -> None:
    insert_rows(tx, RESOLUTIONS, [(book_code, position, purpose, resolution.reference,
                                   resolution.resolved_on.isoformat(), resolution.members_total,
                                   resolution.capacity_count, resolution.present, resolution.in_favour)])


_MOVEMENT_FIELDS = frozenset(("effective_on", "member_id", "delta_units", "kind", "counterparty", "reference"))


def _raw_movements(tx: Transaction, entry: LogEntry, book_code: str, movements: list[Any]) -> None:
    """Share movements from the stored JSON; a movement stored without every field (defaults) is decoded."""
    rows = []
    for seq, wrapped in enumerate(movements):
        m = wrapped["_data_"]
        if m.keys() != _MOVEMENT_FIELDS:
            typed = entry.decoded(wrapped)
            rows.append((book_code, entry.position, seq, typed.effective_on.isoformat(), typed.member_id,
                         units_to_int(typed.delta_units), typed.kind, typed.counterparty, typed.reference))
            continue
        rows.append((book_code, entry.position, seq, m["effective_on"]["_data_"], m["member_id"],
                     units_to_int(Decimal(m["delta_units"]["_data_"])), m["kind"], m["counterparty"], m["reference"]))
    insert_rows(tx, SHARE_MOVEMENTS, rows)


def _fen(wrapped: dict[str, Any]) -> int:
    """Whole fen of a stored amount (``{"_type_": "decimal_str", "_data_": "95.00"}``)."""
    return to_fen(Decimal(wrapped["_data_"]))



# --- organisations and registers ------------------------------------------------------
@dataclass(frozen=True)
class OrganisationInfo:
    book_code: str
    name: str
    community_id: str
    township_id: str
    credit_code: str
    reserve_rate_percent: str
    collective_share_class: bool
    share_management: str
    registered_on: str
    book_adopted: bool
    members_confirmed: int
    quantified_on: str | None


def organisation_info(tx: Transaction, book_code: str) -> OrganisationInfo | None:
    row = tx.query_one("SELECT book_code, name, community_id, township_id, credit_code, reserve_rate_percent,"
                       " collective_share_class, share_management, registered_on, book_adopted, members_confirmed,"
                       " quantified_on FROM anju_coll_orgs WHERE book_code = ?", (book_code,))
    if row is None:
        return None
    return OrganisationInfo(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), row[7], row[8],
                            bool(row[9]), int(row[10]), row[11])


def organisations(tx: Transaction) -> list[OrganisationInfo]:
    """Every organisation, by book code (the routes filter by the caller's scope)."""
    rows = tx.query("SELECT book_code, name, community_id, township_id, credit_code, reserve_rate_percent,"
                    " collective_share_class, share_management, registered_on, book_adopted, members_confirmed,"
                    " quantified_on FROM anju_coll_orgs ORDER BY book_code")
    return [OrganisationInfo(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], r[8], bool(r[9]), int(r[10]),
                             r[11]) for r in rows]


@dataclass(frozen=True)
class YearCloseRow:
    year: int
    net_income_fen: int
    voucher_numbers: list[str]


def year_closes(tx: Transaction, book_code: str, as_of: date) -> list[YearCloseRow]:
    """The years closed, whose closing date (31 December) is on or before ``as_of``."""
    rows = tx.query("SELECT year, net_income_fen, voucher_numbers FROM anju_coll_year_closes WHERE book_code = ?"
                    " ORDER BY year", (book_code,))
    return [YearCloseRow(int(y), int(n), json.loads(v)) for y, n, v in rows if f"{y}-12-31" <= as_of.isoformat()]


def resolutions(tx: Transaction, book_code: str, as_of: date) -> list[dict[str, Any]]:
    """The members' assembly resolutions recorded, resolved on or before ``as_of``, in log order."""
    rows = tx.query("SELECT purpose, reference, resolved_on, members_total, members_with_full_capacity, present,"
                    " in_favour, position FROM anju_coll_resolutions WHERE book_code = ? AND resolved_on <= ?"
                    " ORDER BY position", (book_code, as_of.isoformat()))
    return [{"purpose": r[0], "reference": r[1], "resolved_on": r[2], "members_total": r[3],
             "members_with_full_capacity": r[4], "present": r[5], "in_favour": r[6], "recorded_at_position": r[7]}
            for r in rows]


def projects(tx: Transaction, book_code: str, as_of: date) -> list[dict[str, Any]]:
    """Projects started by ``as_of`` with their households and the cycles paid by then (amounts in fen)."""
    day = as_of.isoformat()
    rows = tx.query("SELECT project_code, name, method, amount_per_unit_fen, started_on, participants"
                    " FROM anju_coll_projects WHERE book_code = ? AND started_on <= ? ORDER BY project_code",
                    (book_code, day))
    cycles = tx.query("SELECT project_code, cycle, paid_on, total_fen, method, voucher_number, payouts"
                      " FROM anju_coll_project_cycles WHERE book_code = ? AND paid_on <= ?"
                      " ORDER BY project_code, cycle", (book_code, day))
    return [{"project_code": code, "name": name, "method": method, "amount_per_unit_fen": int(per_unit),
             "started_on": started,
             "participants": [{"household_id": h, "units": u} for h, u in json.loads(participants)],
             "cycles": [{"cycle": c[1], "paid_on": c[2], "total_fen": int(c[3]), "method": c[4],
                         "voucher_number": c[5],
                         "payouts": [{"household_id": h, "units": u, "amount": a} for h, u, a in json.loads(c[6])]}
                        for c in cycles if c[0] == code]}
            for code, name, method, per_unit, started, participants in rows]


def member_register(tx: Transaction, book_code: str, as_of: date, limit: int, cursor: str | None,
                    current_only: bool = False) -> tuple[list[dict[str, Any]], dict[str, int], bool]:
    """成员名册 as of a date: members confirmed by then, with their status on that date."""
    day = as_of.isoformat()
    sql = ("SELECT member_id, name, household_id, identity_masked, confirmed_on, confirmation_reference, ended_on,"
           " end_reason FROM anju_coll_members WHERE book_code = ? AND confirmed_on <= ? AND member_id > ?")
    params: list[Any] = [book_code, day, cursor or ""]
    if current_only:
        sql += " AND (ended_on IS NULL OR ended_on > ?)"
        params.append(day)
    rows = tx.query(sql + " ORDER BY member_id LIMIT ?", [*params, limit + 1])
    items = []
    for r in rows[:limit]:
        ended = r[6] is not None and r[6] <= day
        items.append({"member_id": r[0], "name": r[1], "household_id": r[2], "identity_masked": r[3],
                      "confirmed_on": r[4], "confirmation_reference": r[5],
                      "status": "ended" if ended else "current", "ended_on": r[6] if ended else None,
                      "end_reason": r[7] if ended else None})
    counts = tx.query_one(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN ended_on IS NULL OR ended_on > ? THEN 1 ELSE 0 END), 0),"
        " COUNT(DISTINCT household_id) FROM anju_coll_members WHERE book_code = ? AND confirmed_on <= ?",
        (day, book_code, day))
    summary = {"members_confirmed": int(counts[0]), "members_current": int(counts[1]), "households": int(counts[2])}
    return items, summary, len(rows) > limit


def member_line(tx: Transaction, book_code: str, member_id: str, as_of: date) -> dict[str, Any] | None:
    """One line of the member register as of a date, with the units held that day."""
    day = as_of.isoformat()
    row = tx.query_one("SELECT member_id, name, household_id, identity_masked, confirmed_on, confirmation_reference,"
                       " ended_on, end_reason FROM anju_coll_members WHERE book_code = ? AND member_id = ?"
                       " AND confirmed_on <= ?", (book_code, member_id, day))
    if row is None:
        return None
    units = tx.query_one("SELECT COALESCE(SUM(delta_units), 0) FROM anju_coll_share_movements WHERE book_code = ?"
                         " AND member_id = ? AND effective_on <= ?", (book_code, member_id, day))
    ended = row[6] is not None and row[6] <= day
    return {"member_id": row[0], "name": row[1], "household_id": row[2], "identity_masked": row[3],
            "confirmed_on": row[4], "confirmation_reference": row[5], "status": "ended" if ended else "current",
            "ended_on": row[6] if ended else None, "end_reason": row[7] if ended else None,
            "units": format_units(int(units[0]))}


def share_register(tx: Transaction, book_code: str, as_of: date, limit: int,
                   cursor: str | None) -> tuple[list[dict[str, Any]], dict[str, str], bool]:
    """份额登记簿 as of a date: each holder's units on that date (the record date of a distribution)."""
    day = as_of.isoformat()
    rows = tx.query(
        "SELECT s.member_id, SUM(s.delta_units), MAX(m.name), MAX(m.household_id) FROM anju_coll_share_movements s"
        " LEFT JOIN anju_coll_members m ON m.book_code = s.book_code AND m.member_id = s.member_id"
        " WHERE s.book_code = ? AND s.effective_on <= ? AND s.member_id <> '' AND s.member_id > ?"
        " GROUP BY s.member_id HAVING SUM(s.delta_units) <> 0 ORDER BY s.member_id LIMIT ?",
        (book_code, day, cursor or "", limit + 1))
    holders = [{"member_id": r[0], "name": r[2], "household_id": r[3], "units": format_units(int(r[1]))}
               for r in rows[:limit]]
    totals = tx.query_one(
        "SELECT COALESCE(SUM(CASE WHEN member_id <> '' THEN delta_units ELSE 0 END), 0),"
        " COALESCE(SUM(CASE WHEN member_id = '' THEN delta_units ELSE 0 END), 0),"
        " COUNT(DISTINCT CASE WHEN member_id <> '' THEN member_id END)"
        " FROM anju_coll_share_movements WHERE book_code = ? AND effective_on <= ?", (book_code, day))
    member_units, collective_units = int(totals[0]), int(totals[1])
    summary = {"member_units": format_units(member_units), "collective_units": format_units(collective_units),
               "units_total": format_units(member_units + collective_units)}
    return holders, summary, len(rows) > limit


def distributions_as_of(tx: Transaction, book_code: str, as_of: date) -> list[dict[str, Any]]:
    """Distributions posted by a date (voucher date ≤ as_of) and not reversed by then."""
    day = as_of.isoformat()
    rows = tx.query(
        "SELECT year, attempt, record_date, voucher_date, resolution_reference, figures, voucher_numbers, members,"
        " reversed_on, red_numbers FROM anju_coll_distributions WHERE book_code = ? AND voucher_date <= ?"
        " ORDER BY year, attempt", (book_code, day))
    return [{"year": r[0], "attempt": r[1], "record_date": r[2], "voucher_date": r[3], "resolution_reference": r[4],
             "figures": json.loads(r[5]), "voucher_numbers": json.loads(r[6]), "members": r[7],
             "reversed_on": r[8] if r[8] is not None and r[8] <= day else None,
             "red_numbers": json.loads(r[9]) if r[9] is not None and r[8] <= day else []}
            for r in rows]


def dividend_register(tx: Transaction, book_code: str, as_of: date, year: int | None, limit: int,
                      cursor: str | None, member_id: str | None = None,
                      ) -> tuple[list[dict[str, Any]], dict[int, dict[str, int]], str | None]:
    """股东分红登记簿: per member per year — units, declared, paid and outstanding, as of a date."""
    day = as_of.isoformat()
    in_force = ("d.book_code = ? AND d.voucher_date <= ? AND (d.reversed_on IS NULL OR d.reversed_on > ?)")
    params: list[Any] = [book_code, day, day]
    year_sql = ""
    if year is not None:
        year_sql = " AND d.year = ?"
        params.append(year)
    if member_id is not None:
        year_sql += " AND v.member_id = ?"
        params.append(member_id)
    after_year, after_member = _dividend_cursor(cursor)
    rows = tx.query(
        "SELECT v.year, v.member_id, v.units, v.declared_fen, COALESCE(p.paid, 0), m.name"
        " FROM anju_coll_distributions d JOIN anju_coll_dividends v ON v.book_code = d.book_code"
        " AND v.year = d.year AND v.attempt = d.attempt"
        " LEFT JOIN (SELECT year, member_id, SUM(amount_fen) AS paid FROM anju_coll_dividend_payments"
        " WHERE book_code = ? AND paid_on <= ? GROUP BY year, member_id) p ON p.year = v.year AND p.member_id = v.member_id"
        " LEFT JOIN anju_coll_members m ON m.book_code = v.book_code AND m.member_id = v.member_id"
        " WHERE " + in_force + year_sql + " AND (v.year > ? OR (v.year = ? AND v.member_id > ?))"
        " ORDER BY v.year, v.member_id LIMIT ?",
        [book_code, day, *params, after_year, after_year, after_member, limit + 1])
    items = [{"year": int(r[0]), "member_id": r[1], "name": r[5], "units": int(r[2]), "declared_fen": int(r[3]),
              "paid_fen": int(r[4]), "outstanding_fen": int(r[3]) - int(r[4])} for r in rows[:limit]]
    totals_rows = tx.query(
        "SELECT d.year, COUNT(*), COALESCE(SUM(v.declared_fen), 0) FROM anju_coll_distributions d"
        " JOIN anju_coll_dividends v ON v.book_code = d.book_code AND v.year = d.year AND v.attempt = d.attempt"
        " WHERE " + in_force + year_sql + " GROUP BY d.year ORDER BY d.year", params)
    paid_rows = tx.query(
        "SELECT year, COALESCE(SUM(amount_fen), 0) FROM anju_coll_dividend_payments WHERE book_code = ?"
        " AND paid_on <= ? GROUP BY year ORDER BY year", (book_code, day))
    paid_by_year = {int(y): int(p) for y, p in paid_rows}
    totals = {int(y): {"members": int(n), "declared_fen": int(d), "paid_fen": paid_by_year.get(int(y), 0),
                       "outstanding_fen": int(d) - paid_by_year.get(int(y), 0)} for y, n, d in totals_rows}
    next_cursor = f"{items[-1]['year']}|{items[-1]['member_id']}" if len(rows) > limit else None
    return items, totals, next_cursor


class InvalidRegisterCursor(ValueError):
    type_slug = "invalid-cursor"


def _dividend_cursor(cursor: str | None) -> tuple[int, str]:
    if not cursor:
        return 0, ""
    try:
        year, member_id = cursor.split("|", 1)
        return int(year), member_id
    except ValueError:
        raise InvalidRegisterCursor(f"cursor {cursor!r} is not one this API gave") from None
