"""Read models and statements of collective-economy organisations (DOMAIN.md §2–§3).

Read models (tables ``anju_coll_*``): organisations, resolutions, the member
register, share movements (a share register as of any date is a sum of them),
year closes, distributions with every member's dividend line, dividend
payments, and pooled asset-income projects.

Statements are pure functions of balances or flows (``*_from_*``), wrapped by
functions that read those figures from the books' read models: the balance
sheet (资产负债表, 期末 and 年初) and the income and distribution statement
(收益及收益分配表, every line of the formulas). Amounts are whole fen in the
store and in the pure functions; ``ledger.money.from_fen`` turns them to yuan.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain.collective.model import Distribution, Membership, Organisation, Project
from domain.collective.year_end import YEAR_CLOSE_SOURCE

COLLECTIVE_TOPIC_PREFIX = Organisation.__module__ + ":"
from ledger.chart import AccountClass, Chart
from ledger.money import to_fen
from ledger.sqldb import Transaction
from projections.ledger_reports import BookInfo, cumulative_as_of
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


# --- read models -------------------------------------------------------------------
class CollectiveProjection:
    name = "collective"
    tables = ("anju_coll_orgs", "anju_coll_ids", "anju_coll_resolutions", "anju_coll_members",
              "anju_coll_share_movements", "anju_coll_year_closes", "anju_coll_distributions",
              "anju_coll_dividends", "anju_coll_dividend_payments", "anju_coll_projects", "anju_coll_project_cycles")

    def create_tables(self, tx: Transaction) -> None:
        for ddl in (
            "CREATE TABLE IF NOT EXISTS anju_coll_orgs (book_code TEXT PRIMARY KEY, name TEXT NOT NULL,"
            " community_id TEXT NOT NULL, township_id TEXT NOT NULL, credit_code TEXT NOT NULL,"
            " reserve_rate_percent TEXT NOT NULL, collective_share_class INTEGER NOT NULL,"
            " share_management TEXT NOT NULL, registered_on TEXT NOT NULL, book_adopted INTEGER NOT NULL,"
            " members_confirmed INTEGER NOT NULL, quantified_on TEXT, position BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS anju_coll_ids (originator_id TEXT PRIMARY KEY, book_code TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS anju_coll_resolutions (book_code TEXT NOT NULL, position BIGINT NOT NULL,"
            " purpose TEXT NOT NULL, reference TEXT NOT NULL, resolved_on TEXT NOT NULL,"
            " members_total INTEGER NOT NULL, members_with_full_capacity INTEGER NOT NULL,"
            " present INTEGER NOT NULL, in_favour INTEGER NOT NULL, PRIMARY KEY (book_code, position))",
            "CREATE TABLE IF NOT EXISTS anju_coll_members (book_code TEXT NOT NULL, member_id TEXT NOT NULL,"
            " name TEXT NOT NULL, household_id TEXT NOT NULL, identity_masked TEXT NOT NULL,"
            " confirmed_on TEXT NOT NULL, confirmation_reference TEXT NOT NULL, ended_on TEXT, end_reason TEXT,"
            " PRIMARY KEY (book_code, member_id))",
            "CREATE TABLE IF NOT EXISTS anju_coll_share_movements (book_code TEXT NOT NULL, position BIGINT NOT NULL,"
            " seq INTEGER NOT NULL, effective_on TEXT NOT NULL, member_id TEXT NOT NULL, delta_units BIGINT NOT NULL,"
            " kind TEXT NOT NULL, counterparty TEXT NOT NULL, reference TEXT NOT NULL,"
            " PRIMARY KEY (book_code, position, seq))",
            "CREATE INDEX IF NOT EXISTS anju_coll_share_movements_by_date ON anju_coll_share_movements"
            " (book_code, effective_on)",
            "CREATE TABLE IF NOT EXISTS anju_coll_year_closes (book_code TEXT NOT NULL, year INTEGER NOT NULL,"
            " net_income_fen BIGINT NOT NULL, voucher_numbers TEXT NOT NULL, position BIGINT NOT NULL,"
            " PRIMARY KEY (book_code, year))",
            "CREATE TABLE IF NOT EXISTS anju_coll_distributions (book_code TEXT NOT NULL, year INTEGER NOT NULL,"
            " attempt INTEGER NOT NULL, record_date TEXT NOT NULL, voucher_date TEXT NOT NULL,"
            " resolution_reference TEXT NOT NULL, figures TEXT NOT NULL, declared_fen BIGINT NOT NULL,"
            " members INTEGER NOT NULL, voucher_numbers TEXT NOT NULL, reversed_on TEXT, red_numbers TEXT,"
            " position BIGINT NOT NULL, PRIMARY KEY (book_code, year, attempt))",
            "CREATE TABLE IF NOT EXISTS anju_coll_dividends (book_code TEXT NOT NULL, year INTEGER NOT NULL,"
            " attempt INTEGER NOT NULL, member_id TEXT NOT NULL, units BIGINT NOT NULL, declared_fen BIGINT NOT NULL,"
            " PRIMARY KEY (book_code, year, attempt, member_id))",
            "CREATE TABLE IF NOT EXISTS anju_coll_dividend_payments (position BIGINT PRIMARY KEY,"
            " book_code TEXT NOT NULL, year INTEGER NOT NULL, member_id TEXT NOT NULL, paid_on TEXT NOT NULL,"
            " amount_fen BIGINT NOT NULL, voucher_number TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS anju_coll_dividend_payments_by_member ON anju_coll_dividend_payments"
            " (book_code, year, member_id)",
            "CREATE TABLE IF NOT EXISTS anju_coll_projects (book_code TEXT NOT NULL, project_code TEXT NOT NULL,"
            " name TEXT NOT NULL, method TEXT NOT NULL, amount_per_unit_fen BIGINT NOT NULL, started_on TEXT NOT NULL,"
            " participants TEXT NOT NULL, cycles_paid INTEGER NOT NULL, PRIMARY KEY (book_code, project_code))",
            "CREATE TABLE IF NOT EXISTS anju_coll_project_cycles (book_code TEXT NOT NULL, project_code TEXT NOT NULL,"
            " cycle INTEGER NOT NULL, paid_on TEXT NOT NULL, total_fen BIGINT NOT NULL, method TEXT NOT NULL,"
            " voucher_number TEXT NOT NULL, payouts TEXT NOT NULL, PRIMARY KEY (book_code, project_code, cycle))",
        ):
            tx.execute(ddl)

    def handle(self, tx: Transaction, entries: list[LogEntry]) -> None:
        members: list[tuple] = []
        for entry in entries:
            if not entry.topic.startswith(COLLECTIVE_TOPIC_PREFIX):
                continue  # decoding every other event (vouchers, leases) would bound replay speed
            event = entry.event
            if isinstance(event, Membership.Confirmed):
                members.append((event.book_code, event.member_id, event.name, event.household_id,
                                event.identity.masked, event.confirmed_on.isoformat(), event.confirmation_reference,
                                None, None))
                continue
            if members:
                tx.executemany("INSERT INTO anju_coll_members VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", members)
                members = []
            self._one(tx, entry, event)
        if members:
            tx.executemany("INSERT INTO anju_coll_members VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", members)

    def _one(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        position = entry.position
        if isinstance(event, Organisation.Registered):
            charter = event.charter
            tx.execute("INSERT INTO anju_coll_orgs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?)",
                       (event.book_code, event.name, event.community_id, event.township_id, event.credit_code,
                        str(charter.reserve_rate_percent), int(charter.collective_share_class),
                        charter.share_management, event.registered_on.isoformat(), int(event.book_adopted), position))
            tx.execute("INSERT INTO anju_coll_ids VALUES (?, ?)", (str(entry.originator_id), event.book_code))
        elif isinstance(event, Organisation.MembersConfirmed):
            book_code = self._book_of(tx, entry)
            self._resolution(tx, book_code, position, "confirm-members", event.resolution)
            tx.execute("UPDATE anju_coll_orgs SET members_confirmed = members_confirmed + ? WHERE book_code = ?",
                       (len(event.confirmed), book_code))
        elif isinstance(event, Organisation.SharesQuantified):
            book_code = self._book_of(tx, entry)
            self._resolution(tx, book_code, position, "quantify-shares", event.resolution)
            tx.execute("UPDATE anju_coll_orgs SET quantified_on = ? WHERE book_code = ?",
                       (event.effective_on.isoformat(), book_code))
            self._movements(tx, book_code, position, event.movements)
        elif isinstance(event, Organisation.SharesMoved):
            self._movements(tx, self._book_of(tx, entry), position, event.movements)
        elif isinstance(event, Organisation.YearClosed):
            close = event.close
            tx.execute("INSERT INTO anju_coll_year_closes VALUES (?, ?, ?, ?, ?)",
                       (self._book_of(tx, entry), close.year, to_fen(close.net_income),
                        json.dumps(list(close.voucher_numbers), ensure_ascii=False), position))
        elif isinstance(event, Membership.MembershipEnded):
            tx.execute("UPDATE anju_coll_members SET ended_on = ?, end_reason = ? WHERE book_code = ? AND member_id = ?",
                       (event.ended_on.isoformat(), str(event.reason), event.book_code, event.member_id))
        elif isinstance(event, Membership.DividendPaid):
            tx.execute("INSERT INTO anju_coll_dividend_payments VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (position, event.book_code, event.year, event.member_id, event.paid_on.isoformat(),
                        to_fen(event.amount), event.voucher_number))
        elif isinstance(event, Distribution.Adopted):
            self._distribution(tx, event, position)
        elif isinstance(event, Distribution.Reversed):
            tx.execute("UPDATE anju_coll_distributions SET reversed_on = ?, red_numbers = ? WHERE book_code = ?"
                       " AND year = ? AND attempt = ?",
                       (event.reversed_on.isoformat(), json.dumps(list(event.red_numbers), ensure_ascii=False),
                        event.book_code, event.year, event.attempt))
        elif isinstance(event, Project.Registered):
            participants = [[p.household_id, p.units] for p in event.participants]
            tx.execute("INSERT INTO anju_coll_projects VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                       (event.book_code, event.project_code, event.name, event.method, to_fen(event.amount_per_unit),
                        event.started_on.isoformat(), json.dumps(participants, ensure_ascii=False)))
        elif isinstance(event, Project.CyclePaid):
            payouts = [[p.household_id, p.units, str(p.amount)] for p in event.payouts]
            tx.execute("INSERT INTO anju_coll_project_cycles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (event.book_code, event.project_code, event.cycle, event.paid_on.isoformat(),
                        to_fen(event.total), event.method, event.voucher_number, json.dumps(payouts)))
            tx.execute("UPDATE anju_coll_projects SET cycles_paid = ? WHERE book_code = ? AND project_code = ?",
                       (event.cycle, event.book_code, event.project_code))

    @staticmethod
    def _book_of(tx: Transaction, entry: LogEntry) -> str:
        row = tx.query_one("SELECT book_code FROM anju_coll_ids WHERE originator_id = ?", (str(entry.originator_id),))
        assert row is not None, "an organisation's stream starts with its Registered event"
        return row[0]

    @staticmethod
    def _resolution(tx: Transaction, book_code: str, position: int, purpose: str, resolution: Any) -> None:
        tx.execute("INSERT INTO anju_coll_resolutions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (book_code, position, purpose, resolution.reference, resolution.resolved_on.isoformat(),
                    resolution.members_total, resolution.capacity_count, resolution.present, resolution.in_favour))

    @staticmethod
    def _movements(tx: Transaction, book_code: str, position: int, movements: Any) -> None:
        tx.executemany("INSERT INTO anju_coll_share_movements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (book_code, position, seq, m.effective_on.isoformat(), m.member_id, units_to_int(m.delta_units),
             m.kind, m.counterparty, m.reference) for seq, m in enumerate(movements)])

    def _distribution(self, tx: Transaction, event: Any, position: int) -> None:
        figures = {name: str(getattr(event.figures, name)) for name in event.figures.__dataclass_fields__}
        tx.execute("INSERT INTO anju_coll_distributions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)",
                   (event.book_code, event.year, event.attempt, event.record_date.isoformat(),
                    event.voucher_date.isoformat(), event.resolution.reference, json.dumps(figures, sort_keys=True),
                    to_fen(event.figures.declared), len(event.lines),
                    json.dumps(list(event.voucher_numbers), ensure_ascii=False), position))
        self._resolution(tx, event.book_code, position, f"distribution-{event.year}", event.resolution)
        tx.executemany("INSERT INTO anju_coll_dividends VALUES (?, ?, ?, ?, ?, ?)", [
            (event.book_code, event.year, event.attempt, line.member_id, units_to_int(line.units), to_fen(line.amount))
            for line in event.lines])

    def digest_queries(self) -> list[str]:
        return [
            "SELECT * FROM anju_coll_orgs ORDER BY book_code",
            "SELECT * FROM anju_coll_resolutions ORDER BY book_code, position",
            "SELECT * FROM anju_coll_members ORDER BY book_code, member_id",
            "SELECT * FROM anju_coll_share_movements ORDER BY book_code, position, seq",
            "SELECT * FROM anju_coll_year_closes ORDER BY book_code, year",
            "SELECT * FROM anju_coll_distributions ORDER BY book_code, year, attempt",
            "SELECT * FROM anju_coll_dividends ORDER BY book_code, year, attempt, member_id",
            "SELECT * FROM anju_coll_dividend_payments ORDER BY position",
            "SELECT * FROM anju_coll_projects ORDER BY book_code, project_code",
            "SELECT * FROM anju_coll_project_cycles ORDER BY book_code, project_code, cycle",
        ]


def projections() -> list:
    return [CollectiveProjection()]


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


def list_organisation_codes(tx: Transaction) -> list[str]:
    return [r[0] for r in tx.query("SELECT book_code FROM anju_coll_orgs ORDER BY book_code")]


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


# --- the balance sheet (资产负债表) ---------------------------------------------------------
ASSETS, LIABILITIES, EQUITY = "assets", "liabilities", "equity"


@dataclass(frozen=True)
class SheetLine:
    key: str
    name_zh: str
    name_en: str
    side: str
    group_zh: str
    group_en: str
    accounts: tuple[str, ...]  # first-level codes; "-133" subtracts (contra accounts are inside the sum already)


#: 资产负债表 of the 2023 system, by first-level account. Contra accounts (133, 152, 162) carry credit balances,
#: so adding net debits nets them. 113 内部往来 goes to receivables or payables by the sign of its balance.
BALANCE_SHEET_LINES: tuple[SheetLine, ...] = (
    SheetLine("cash", "货币资金", "Cash and bank deposits", ASSETS, "流动资产", "Current assets", ("101", "102")),
    SheetLine("short_investments", "短期投资", "Short-term investments", ASSETS, "流动资产", "Current assets", ("111",)),
    SheetLine("receivables", "应收款项", "Receivables", ASSETS, "流动资产", "Current assets", ("112", "113+")),
    SheetLine("inventories", "存货", "Inventories", ASSETS, "流动资产", "Current assets", ("121", "401")),
    SheetLine("consumable_bio", "消耗性生物资产", "Consumable biological assets", ASSETS, "流动资产", "Current assets",
              ("131",)),
    SheetLine("long_investments", "长期投资", "Long-term investments", ASSETS, "非流动资产", "Non-current assets",
              ("141",)),
    SheetLine("productive_bio", "生产性生物资产净值", "Productive biological assets, net", ASSETS, "非流动资产",
              "Non-current assets", ("132", "133")),
    SheetLine("welfare_bio", "公益性生物资产", "Public-welfare biological assets", ASSETS, "非流动资产",
              "Non-current assets", ("134",)),
    SheetLine("fixed_assets", "固定资产净值", "Fixed assets, net", ASSETS, "非流动资产", "Non-current assets",
              ("151", "152")),
    SheetLine("construction", "在建工程", "Construction in progress", ASSETS, "非流动资产", "Non-current assets",
              ("153",)),
    SheetLine("disposal", "固定资产清理", "Fixed assets in disposal", ASSETS, "非流动资产", "Non-current assets",
              ("154",)),
    SheetLine("intangibles", "无形资产净值", "Intangible assets, net", ASSETS, "非流动资产", "Non-current assets",
              ("161", "162")),
    SheetLine("deferred", "长期待摊费用", "Long-term deferred expenses", ASSETS, "非流动资产", "Non-current assets",
              ("171",)),
    SheetLine("pending_losses", "待处理财产损溢", "Property losses and gains pending", ASSETS, "非流动资产",
              "Non-current assets", ("181",)),
    SheetLine("short_borrowings", "短期借款", "Short-term borrowings", LIABILITIES, "流动负债", "Current liabilities",
              ("201",)),
    SheetLine("payables", "应付款项", "Payables", LIABILITIES, "流动负债", "Current liabilities", ("211", "113-")),
    SheetLine("wages", "应付工资", "Wages payable", LIABILITIES, "流动负债", "Current liabilities", ("212",)),
    SheetLine("labour", "应付劳务费", "Labour service fees payable", LIABILITIES, "流动负债", "Current liabilities",
              ("213",)),
    SheetLine("taxes", "应交税费", "Taxes payable", LIABILITIES, "流动负债", "Current liabilities", ("214",)),
    SheetLine("long_borrowings", "长期借款及应付款", "Long-term borrowings and payables", LIABILITIES, "非流动负债",
              "Non-current liabilities", ("221",)),
    SheetLine("one_matter", "一事一议资金", "One-matter-one-discussion funds", LIABILITIES, "非流动负债",
              "Non-current liabilities", ("231",)),
    SheetLine("special_payables", "专项应付款", "Special-purpose payables", LIABILITIES, "非流动负债",
              "Non-current liabilities", ("241",)),
    SheetLine("capital", "资本", "Capital", EQUITY, "所有者权益", "Owners' equity", ("301",)),
    SheetLine("reserve", "公积公益金", "Reserve and public-welfare fund", EQUITY, "所有者权益", "Owners' equity",
              ("311",)),
    SheetLine("undistributed", "未分配收益", "Undistributed income", EQUITY, "所有者权益", "Owners' equity",
              ("321", "322", "income", "expense")),
)


def _first_level(code: str) -> str:
    return code.split(".", 1)[0]


def balance_sheet_from_balances(chart: Chart, net_debit_fen: Mapping[str, int]) -> dict[str, int]:
    """资产负债表 line amounts (fen) from each account's net debit balance on a date.

    Source: DOMAIN.md §2 (资产负债表; chart of the 2023 system). Asset lines are
    net debits, liability and equity lines net credits; 未分配收益 takes 321,
    322 and any income and expense not yet closed, so the sheet balances on
    every date, before and after the year-end close. An account the table
    does not name falls to its class (never silently dropped).
    """
    first_level: dict[str, int] = defaultdict(int)
    for code, amount in net_debit_fen.items():
        account = chart.account(code)
        if account.account_class in (AccountClass.INCOME, AccountClass.EXPENSE):
            first_level[account.account_class.value] += amount
        else:
            first_level[_first_level(code)] += amount
    lines = {line.key: 0 for line in BALANCE_SHEET_LINES}
    placed: set[str] = set()
    for line in BALANCE_SHEET_LINES:
        for ref in line.accounts:
            code, sign = ref.rstrip("+-"), ref[-1] if ref[-1] in "+-" else ""
            amount = first_level.get(code, 0)
            placed.add(code)
            if sign == "+" and amount < 0 or sign == "-" and amount > 0:
                continue
            lines[line.key] += amount if line.side == ASSETS else -amount
    for code, amount in first_level.items():
        if code in placed:
            continue
        account_class = chart.account(code).account_class
        if account_class in (AccountClass.ASSET, AccountClass.COST):
            lines["other_assets"] = lines.get("other_assets", 0) + amount
        elif account_class == AccountClass.LIABILITY:
            lines["other_liabilities"] = lines.get("other_liabilities", 0) - amount
        else:
            lines["undistributed"] -= amount
    return lines


def balance_sheet_totals(lines: Mapping[str, int]) -> dict[str, int]:
    sides = {line.key: (line.side, line.group_zh) for line in BALANCE_SHEET_LINES}
    sides["other_assets"] = (ASSETS, "非流动资产")
    sides["other_liabilities"] = (LIABILITIES, "非流动负债")
    totals = defaultdict(int)
    for key, amount in lines.items():
        side, group = sides[key]
        totals[side] += amount
        totals[group] += amount
    return {
        "current_assets": totals["流动资产"], "non_current_assets": totals["非流动资产"], "assets": totals[ASSETS],
        "current_liabilities": totals["流动负债"], "non_current_liabilities": totals["非流动负债"],
        "liabilities": totals[LIABILITIES], "equity": totals[EQUITY],
        "liabilities_and_equity": totals[LIABILITIES] + totals[EQUITY],
    }


def net_debit_by_code(tx: Transaction, book_code: str, as_of: date) -> dict[str, int]:
    """Each account's net debit balance (fen) through a date, from the running-balance read model."""
    totals: dict[str, int] = defaultdict(int)
    for (code, _subledger), (dr, cr) in cumulative_as_of(tx, book_code, as_of).items():
        totals[code] += dr - cr
    return dict(totals)


@dataclass(frozen=True)
class BalanceSheet:
    as_of: date
    year_start: date
    closing: dict[str, int]
    opening: dict[str, int]
    closing_totals: dict[str, int]
    opening_totals: dict[str, int]

    @property
    def balanced(self) -> bool:
        return all(t["assets"] == t["liabilities_and_equity"] for t in (self.closing_totals, self.opening_totals))


def balance_sheet(tx: Transaction, book: BookInfo, as_of: date) -> BalanceSheet:
    """资产负债表 as of a date, with the 年初 column (balances at the end of the previous year)."""
    chart = book.chart
    year_start = date(as_of.year, 1, 1)
    closing = balance_sheet_from_balances(chart, net_debit_by_code(tx, book.book_code, as_of))
    opening = balance_sheet_from_balances(chart, net_debit_by_code(tx, book.book_code, year_start - timedelta(days=1)))
    for key in set(closing) | set(opening):
        closing.setdefault(key, 0)
        opening.setdefault(key, 0)
    return BalanceSheet(as_of, year_start, closing, opening, balance_sheet_totals(closing), balance_sheet_totals(opening))


# --- the income and distribution statement (收益及收益分配表) -----------------------------
INCOME_STATEMENT_LINES: tuple[tuple[str, str, str], ...] = (
    ("operating_income", "一、经营收入", "Operating income (501)"),
    ("operating_expenses", "减：经营支出", "Less: operating expenses (511)"),
    ("taxes_and_surcharges", "税金及附加", "Taxes and surcharges (512)"),
    ("management_expenses", "管理费用", "Management expenses (513)"),
    ("investment_income", "加：投资收益", "Add: investment income (502)"),
    ("operating_result", "二、经营收益", "Operating result = 501 − 511 − 512 − 513 + 502"),
    ("subsidy_income", "加：补助收入", "Add: subsidy income (503)"),
    ("other_income", "其他收入", "Other income (504)"),
    ("public_welfare_expenses", "减：公益支出", "Less: public-welfare expenses (514)"),
    ("other_expenses", "其他支出", "Other expenses (515)"),
    ("total_result", "三、收益总额", "Total result = operating result + 503 + 504 − 514 − 515"),
    ("income_tax", "减：所得税费用", "Less: income tax (521)"),
    ("net_income", "四、净收益", "Net income = total result − 521"),
    ("opening_undistributed", "加：年初未分配收益", "Add: undistributed income at the start of the year"),
    ("other_transfers_in", "其他转入", "Other transfers in"),
    ("distributable_income", "五、可分配收益", "Distributable income = net income + opening + other transfers in"),
    ("reserve_withdrawal", "减：提取公积公益金", "Less: reserve and public-welfare fund withdrawal (322.02)"),
    ("distributed_to_members", "向成员分配", "Distributed to members (322.03)"),
    ("other_distributions", "其他", "Other distributions (322.04)"),
    ("closing_undistributed", "六、年末未分配收益", "Undistributed income at the end of the year"),
)


def _flow(flows: Mapping[str, int], prefix: str) -> int:
    """Net debit flow (fen) of an account and its sub-accounts."""
    return sum(amount for code, amount in flows.items() if code == prefix or code.startswith(prefix + "."))


def income_statement_from_flows(flows: Mapping[str, int], opening_undistributed_fen: int) -> dict[str, int]:
    """收益及收益分配表, every line of the formulas of DOMAIN.md §2 (fen).

    ``flows`` is each account's net debit movement in the period, leaving out
    the year-end closing vouchers (they only move the same income from 5xx to
    321 and 322). 其他转入 is whatever reached 321 or 322.01 otherwise (for
    example a loss covered from 公积公益金, Dr 311 / Cr 322).
    """
    f = {k: _flow(flows, k) for k in ("501", "502", "503", "504", "511", "512", "513", "514", "515", "521",
                                      "321", "322.01", "322.02", "322.03", "322.04")}
    s: dict[str, int] = {
        "operating_income": -f["501"], "operating_expenses": f["511"], "taxes_and_surcharges": f["512"],
        "management_expenses": f["513"], "investment_income": -f["502"],
    }
    s["operating_result"] = (s["operating_income"] - s["operating_expenses"] - s["taxes_and_surcharges"]
                             - s["management_expenses"] + s["investment_income"])
    s.update(subsidy_income=-f["503"], other_income=-f["504"], public_welfare_expenses=f["514"],
             other_expenses=f["515"])
    s["total_result"] = (s["operating_result"] + s["subsidy_income"] + s["other_income"]
                         - s["public_welfare_expenses"] - s["other_expenses"])
    s["income_tax"] = f["521"]
    s["net_income"] = s["total_result"] - s["income_tax"]
    s["opening_undistributed"] = opening_undistributed_fen
    s["other_transfers_in"] = -f["321"] - f["322.01"]
    s["distributable_income"] = s["net_income"] + s["opening_undistributed"] + s["other_transfers_in"]
    s.update(reserve_withdrawal=f["322.02"], distributed_to_members=f["322.03"], other_distributions=f["322.04"])
    s["closing_undistributed"] = (s["distributable_income"] - s["reserve_withdrawal"] - s["distributed_to_members"]
                                  - s["other_distributions"])
    return s


def period_flows(tx: Transaction, book_code: str, start: date, end: date) -> dict[str, int]:
    """Net debit movement per account between two dates, leaving out year-end closing vouchers."""
    rows = tx.query(
        "SELECT p.account_code, COALESCE(SUM(p.debit_fen), 0), COALESCE(SUM(p.credit_fen), 0) FROM anju_postings p"
        " JOIN anju_vouchers v ON v.book_code = p.book_code AND v.number = p.number"
        " WHERE p.book_code = ? AND p.voucher_date >= ? AND p.voucher_date <= ? AND v.source NOT LIKE ?"
        " GROUP BY p.account_code ORDER BY p.account_code",
        (book_code, start.isoformat(), end.isoformat(), YEAR_CLOSE_SOURCE + "%"))
    return {r[0]: int(r[1]) - int(r[2]) for r in rows}


@dataclass(frozen=True)
class IncomeStatement:
    year: int
    period_start: date
    period_end: date
    lines: dict[str, int]
    undistributed_on_balance_sheet: int

    @property
    def reconciles(self) -> bool:
        """年末未分配收益 equals the balance sheet's 未分配收益 on the same date."""
        return self.lines["closing_undistributed"] == self.undistributed_on_balance_sheet


def income_statement(tx: Transaction, book: BookInfo, year: int, as_of: date | None = None) -> IncomeStatement:
    """收益及收益分配表 for a year, through ``as_of`` (default 31 December)."""
    start, year_end = date(year, 1, 1), date(year, 12, 31)
    end = min(as_of or year_end, year_end)
    chart = book.chart
    opening = balance_sheet_from_balances(chart, net_debit_by_code(tx, book.book_code, start - timedelta(days=1)))
    lines = income_statement_from_flows(period_flows(tx, book.book_code, start, end), opening["undistributed"])
    closing = balance_sheet_from_balances(chart, net_debit_by_code(tx, book.book_code, end))
    return IncomeStatement(year, start, end, lines, closing["undistributed"])
