"""Township statements (乡镇汇总报表): every community of a township side by side, and the totals.

Source: DOMAIN.md §7 (the township office reads statements and schedules for every community in
its township) and §2 (the statements of the 2023 chart). A township statement is the same fold
over every book in scope (``projections.statements``), so the per-community figures are exactly
those of each book's own statements, and the totals are their sums.

Nothing here scans history. Balances come from the running-balance read model (one seek per
account and sub-ledger, ``ledger_reports.cumulative_as_of``). The income statement needs each
account's movement in the year *without* the year-end closing vouchers (they only move the
income from 5xx to 321 and 322); rather than summing the year's postings, the small read model
``township`` keeps running totals of the closing vouchers' postings per book, account and date,
so a year's flows are four seeks per account: Δ running balance − Δ closing postings.
The other figures are the capabilities' per-community aggregates (dividend register totals,
rent roll, arrears aging, subsidy claims, fund totals): their cost grows with a community's
units, tenants, members and claims, never with the number of events.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from domain.leases.collection import AGING_BUCKETS
from ledger.book import BookMonth
from ledger.journal import YEAR_END_CLOSE_SOURCE
from ledger.money import from_fen, to_fen
from ledger.sqldb import Transaction
from projections.base import ReadModel, Table
from projections.ledger_reports import BookInfo, book_info, cumulative_as_of
from projections.runner import LogEntry
from projections.statements import (
    BalanceSheet,
    IncomeStatement,
    balance_sheet,
    balance_sheet_from_balances,
    income_statement_from_flows,
    net_debit_by_code,
)

VOUCHER_RECORDED_TOPIC = f"{BookMonth.VoucherRecorded.__module__}:{BookMonth.VoucherRecorded.__qualname__}"
COLLECTIVE_CHART = "collective_2023"
ZERO = Decimal("0.00")

CLOSE_POSTINGS = Table(
    "anju_township_close_cum",
    ("book_code TEXT NOT NULL", "account_code TEXT NOT NULL", "on_date TEXT NOT NULL", "debit_cum BIGINT NOT NULL",
     "credit_cum BIGINT NOT NULL"),
    ("book_code", "account_code", "on_date"),
)


class TownshipSummary(ReadModel):
    """Running totals of the year-end closing vouchers' postings (book, account, date → Σ debit, Σ credit).

    Reads the stored JSON of ``VoucherRecorded`` (no decoding) and keeps only vouchers whose source
    is the year-end close — the same vouchers ``statements.period_flows`` leaves out.
    """

    name = "township"
    tables = (CLOSE_POSTINGS,)

    def handle(self, tx: Transaction, entries: list[LogEntry]) -> None:
        deltas: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
        for entry in entries:
            if entry.topic != VOUCHER_RECORDED_TOPIC:
                continue
            voucher = entry.data["voucher"]["_data_"]
            if not str(voucher["source"] or "").startswith(YEAR_END_CLOSE_SOURCE):
                continue
            day = voucher["voucher_date"]["_data_"]
            for wrapped in voucher["lines"]:
                line = wrapped["_data_"]
                delta = deltas[(voucher["book_code"], line["account_code"], day)]
                delta[0] += to_fen(Decimal(line["debit"]["_data_"]))
                delta[1] += to_fen(Decimal(line["credit"]["_data_"]))
        for (book_code, account, day), (debit_fen, credit_fen) in sorted(deltas.items()):
            self._add(tx, book_code, account, day, debit_fen, credit_fen)

    @staticmethod
    def _add(tx: Transaction, book_code: str, account: str, day: str, debit_fen: int, credit_fen: int) -> None:
        """Add one day's movement: the row of that day (from the previous total) and every later row."""
        base = tx.query_one(
            "SELECT debit_cum, credit_cum FROM anju_township_close_cum WHERE book_code = ? AND account_code = ?"
            " AND on_date <= ? ORDER BY on_date DESC LIMIT 1", (book_code, account, day))
        debit_cum, credit_cum = (int(base[0]), int(base[1])) if base else (0, 0)
        tx.execute(
            "INSERT INTO anju_township_close_cum VALUES (?, ?, ?, ?, ?) ON CONFLICT (book_code, account_code, on_date)"
            " DO UPDATE SET debit_cum = excluded.debit_cum, credit_cum = excluded.credit_cum",
            (book_code, account, day, debit_cum + debit_fen, credit_cum + credit_fen))
        tx.execute(
            "UPDATE anju_township_close_cum SET debit_cum = debit_cum + ?, credit_cum = credit_cum + ?"
            " WHERE book_code = ? AND account_code = ? AND on_date > ?", (debit_fen, credit_fen, book_code, account, day))



# --- the communities of a township --------------------------------------------------------------
@dataclass(frozen=True)
class CommunityBooks:
    community_id: str
    township_id: str
    collective_books: tuple[BookInfo, ...]  # books on the 2023 collective chart
    other_books: tuple[BookInfo, ...]  # maintenance-fund books and any other

    @property
    def name(self) -> str:
        first = (self.collective_books or self.other_books)[0]
        return first.name


def communities(tx: Transaction, township_id: str | None = None) -> list[CommunityBooks]:
    """Every community with a book (of one township, or all), by community id; its books by code."""
    sql = "SELECT book_code FROM anju_books"
    params: tuple = ()
    if township_id is not None:
        sql += " WHERE township_id = ?"
        params = (township_id,)
    books = [book_info(tx, code) for (code,) in tx.query(sql + " ORDER BY community_id, book_code", params)]
    grouped: dict[tuple[str, str], list[BookInfo]] = defaultdict(list)
    for book in books:
        if book is not None:
            grouped[(book.community_id, book.township_id)].append(book)
    return [CommunityBooks(community, township,
                           tuple(b for b in found if _is_collective(b)), tuple(b for b in found if not _is_collective(b)))
            for (community, township), found in sorted(grouped.items())]


def township_ids(tx: Transaction) -> list[str]:
    return [row[0] for row in tx.query("SELECT DISTINCT township_id FROM anju_books ORDER BY township_id")]


def _is_collective(book: BookInfo) -> bool:
    return book.chart_name == COLLECTIVE_CHART and book.entity_kind == "collective"


# --- the income statement without a scan ---------------------------------------------------------
def _close_cum_as_of(tx: Transaction, book_code: str, as_of: date) -> dict[str, int]:
    """account → net debit of the closing vouchers' postings through ``as_of`` (one seek per account)."""
    rows = tx.query(
        "SELECT k.account_code, (SELECT c.debit_cum - c.credit_cum FROM anju_township_close_cum c"
        " WHERE c.book_code = k.book_code AND c.account_code = k.account_code AND c.on_date <= ?"
        " ORDER BY c.on_date DESC LIMIT 1) FROM (SELECT DISTINCT book_code, account_code FROM anju_township_close_cum"
        " WHERE book_code = ?) k", (as_of.isoformat(), book_code))
    return {code: int(net) for code, net in rows if net is not None}


def year_flows(tx: Transaction, book_code: str, start: date, end: date) -> dict[str, int]:
    """Net debit movement per account from ``start`` to ``end``, the year-end closing vouchers left out.

    Equal to ``statements.period_flows`` (which sums the postings), from running totals instead.
    """
    before, through = start - timedelta(days=1), end
    flows: dict[str, int] = defaultdict(int)
    for sign, day in ((1, through), (-1, before)):
        for (code, _subledger), (dr, cr) in cumulative_as_of(tx, book_code, day).items():
            flows[code] += sign * (dr - cr)
        for code, net in _close_cum_as_of(tx, book_code, day).items():
            flows[code] -= sign * net
    return {code: amount for code, amount in flows.items() if amount}


def income_statement(tx: Transaction, book: BookInfo, year: int, as_of: date) -> IncomeStatement:
    """收益及收益分配表 of one book, through ``as_of`` — the fold of ``statements``, from running totals."""
    start, year_end = date(year, 1, 1), date(year, 12, 31)
    end = min(as_of, year_end)
    chart = book.chart
    opening = balance_sheet_from_balances(chart, net_debit_by_code(tx, book.book_code, start - timedelta(days=1)))
    lines = income_statement_from_flows(year_flows(tx, book.book_code, start, end), opening["undistributed"])
    closing = balance_sheet_from_balances(chart, net_debit_by_code(tx, book.book_code, end))
    return IncomeStatement(year, start, end, lines, closing["undistributed"])


@dataclass(frozen=True)
class CommunitySheet:
    community_id: str
    book: BookInfo
    sheet: BalanceSheet


def balance_sheets(tx: Transaction, places: list[CommunityBooks], as_of: date) -> list[CommunitySheet]:
    return [CommunitySheet(place.community_id, book, balance_sheet(tx, book, as_of))
            for place in places for book in place.collective_books]


@dataclass(frozen=True)
class CommunityIncome:
    community_id: str
    book: BookInfo
    statement: IncomeStatement


def income_statements(tx: Transaction, places: list[CommunityBooks], year: int, as_of: date) -> list[CommunityIncome]:
    return [CommunityIncome(place.community_id, book, income_statement(tx, book, year, as_of))
            for place in places for book in place.collective_books]


# --- the overview: dividends, rent, arrears, subsidies, funds ------------------------------------
AGING_KEYS = AGING_BUCKETS  # not_due, 1-30, 31-90, 91-180, over_180 (DOMAIN.md §4)


@dataclass
class Overview:
    """One community's figures as of a date (yuan), or the township's totals."""

    community_id: str | None
    name: str
    collective_books: list[str] = field(default_factory=list)
    dividends_declared: Decimal = ZERO
    dividends_paid: Decimal = ZERO
    dividends_unpaid: Decimal = ZERO
    shop_fronts: int = 0
    shop_fronts_leased: int = 0
    monthly_rent_in_force: Decimal = ZERO
    arrears: dict[str, Decimal] = field(default_factory=lambda: {k: ZERO for k in AGING_KEYS})
    tenants_in_arrears: int = 0
    claims_awaiting_approval: Decimal = ZERO
    claims_approved_unpaid: Decimal = ZERO
    claims_returned: Decimal = ZERO
    funds: list[str] = field(default_factory=list)
    fund_units: int = 0
    fund_balance: Decimal = ZERO
    fund_receivable: Decimal = ZERO
    units_to_replenish: int = 0
    amount_to_restore: Decimal = ZERO

    @property
    def rent_open(self) -> Decimal:
        """Every open rent invoice, due or not (the arrears aging's total)."""
        return sum(self.arrears.values(), ZERO)

    @property
    def rent_overdue(self) -> Decimal:
        """Open rent past its due date (the 未到期 bucket left out)."""
        return self.rent_open - self.arrears["not_due"]

    @property
    def claims_outstanding(self) -> Decimal:
        """Claimed and not yet received: awaiting approval plus approved and unpaid (returned claims excluded)."""
        return self.claims_awaiting_approval + self.claims_approved_unpaid

    def add(self, other: Overview) -> None:
        for name in ("dividends_declared", "dividends_paid", "dividends_unpaid", "shop_fronts", "shop_fronts_leased",
                     "monthly_rent_in_force", "tenants_in_arrears", "claims_awaiting_approval",
                     "claims_approved_unpaid", "claims_returned", "fund_units", "fund_balance", "fund_receivable",
                     "units_to_replenish", "amount_to_restore"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key in AGING_KEYS:
            self.arrears[key] += other.arrears[key]
        self.collective_books += other.collective_books
        self.funds += other.funds


def claim_as_of(history: list[list[str]], amount: Decimal, as_of: date) -> tuple[str | None, Decimal]:
    """A subsidy claim's status and the money received for it as of a date, from its dated history.

    ``history`` rows are ``[action, date, actor, detail]`` (submitted, approved, returned, resubmitted,
    received with the amount as detail). None: not yet submitted on that date.
    """
    status, received, day = None, ZERO, as_of.isoformat()
    for action, on, _actor, detail in history:
        if on > day:
            continue
        if action == "received":
            received += Decimal(detail)
        else:
            status = "submitted" if action == "resubmitted" else action
    return status, min(received, amount)


def community_overview(tx: Transaction, place: CommunityBooks, as_of: date) -> Overview:
    from projections import collective, lease_queries, maintenance_fund, subsidies

    figures = Overview(place.community_id, place.name)
    for book in place.collective_books:
        figures.collective_books.append(book.book_code)
        _, by_year, _ = collective.dividend_register(tx, book.book_code, as_of, None, 1, None)
        for totals in by_year.values():
            figures.dividends_declared += from_fen(totals["declared_fen"])
            figures.dividends_paid += from_fen(totals["paid_fen"])
            figures.dividends_unpaid += from_fen(totals["outstanding_fen"])
        after = None
        while True:
            page = lease_queries.rent_roll(tx, book.book_code, as_of, after, 1000)
            for row in page:
                figures.shop_fronts += 1
                if not row.vacant:
                    figures.shop_fronts_leased += 1
                    figures.monthly_rent_in_force += row.monthly_rent or ZERO
            if len(page) < 1000:
                break
            after = page[-1].unit_number
        aging = lease_queries.arrears_aging(tx, book.book_code, as_of)
        for key, amount in aging.totals.items():
            figures.arrears[key] += amount
        figures.tenants_in_arrears += sum(1 for t in aging.tenants if t.total - t.buckets["not_due"] > 0)
        for claim in subsidies.claims(tx, book.book_code):
            status, received = claim_as_of(claim.history, claim.amount, as_of)
            if status == "submitted":
                figures.claims_awaiting_approval += claim.amount - received
            elif status == "approved":
                figures.claims_approved_unpaid += claim.amount - received
            elif status == "returned":
                figures.claims_returned += claim.amount - received
    for fund in maintenance_fund.funds(tx, place.township_id):
        if fund.community_id != place.community_id:
            continue
        figures.funds.append(fund.book_code)
        totals = maintenance_fund.fund_totals(tx, fund.book_code, as_of)
        figures.fund_units += totals["open_units"]
        figures.fund_balance += totals["balance"]
        figures.fund_receivable += totals["receivable"]
        flagged = maintenance_fund.replenishment_list(tx, fund.book_code, as_of)
        figures.units_to_replenish += len(flagged)
        figures.amount_to_restore += sum((u.replenishment.to_restore for u in flagged if u.replenishment), ZERO)
    return figures


def overview(tx: Transaction, places: list[CommunityBooks], as_of: date) -> tuple[list[Overview], Overview]:
    """Each community's overview and the township's totals (the sum of the rows)."""
    rows = [community_overview(tx, place, as_of) for place in places]
    total = Overview(None, "合计 Total")
    for row in rows:
        total.add(row)
    return rows, total
