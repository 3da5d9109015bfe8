"""The query functions the subsidies routes call, over the tables of ``projections.subsidies``.

Schedules, statements, arrears, claims and forecasts fold the rows with the same pure rules
the domain uses (``domain.subsidies.schedule``, ``programmes``). All SQL the subsidies routes
need is here and in ``projections.subsidies`` (which re-exports these for older callers).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from domain.subsidies.household import CountsFrom
from domain.subsidies.errors import FeeStandardNotConfigured
from domain.subsidies.policy import DEFAULT_POLICY, FeeStandard, PolicyVersion
from domain.subsidies.programmes import Premiums, programme_premiums
from domain.subsidies.schedule import (
    HouseholdTerms,
    change_days,
    month_figures,
    schedule_months,
    subsidy_last_day,
)
from ledger.calendar import month_first_day, month_of, months_between, next_month
from ledger.money import ZERO, from_fen
from ledger.sqldb import Transaction
from projections.subsidies import _iso, terms_from_facts


def fee_standards(tx: Transaction, book_code: str) -> tuple[FeeStandard, ...]:
    rows = tx.query("SELECT building_type, effective_on, rate FROM anju_sub_standards WHERE book_code = ?"
                    " ORDER BY seq", (book_code,))
    return tuple(FeeStandard(r[0], date.fromisoformat(r[1]), Decimal(r[2])) for r in rows)


def policy_versions(tx: Transaction, book_code: str) -> tuple[PolicyVersion, ...]:
    rows = tx.query("SELECT version, effective_on, full_years, partial_through_years, partial_percent,"
                    " extension_granted, extension_until, transition_end FROM anju_sub_policies WHERE book_code = ?"
                    " ORDER BY version", (book_code,))
    return tuple(PolicyVersion(int(r[0]), date.fromisoformat(r[1]), int(r[2]), int(r[3]), Decimal(r[4]), bool(r[5]),
                               date.fromisoformat(r[6]), date.fromisoformat(r[7])) for r in rows)


def buildings(tx: Transaction, book_code: str) -> list[tuple]:
    return tx.query("SELECT building_code, name, storeys, has_lift, building_type FROM anju_sub_buildings"
                    " WHERE book_code = ? ORDER BY building_code", (book_code,))


@dataclass(frozen=True)
class HouseholdRow:
    household_id: str
    building_code: str
    building_type: str
    unit_number: str
    floor_area_m2: Decimal
    moved_in_on: date
    moved_out_on: date | None
    billing_from_month: str
    head_masked: str | None
    billed_through: str | None
    billed: Decimal
    paid: Decimal
    facts: dict[str, Any]

    @property
    def balance(self) -> Decimal:
        return self.billed - self.paid

    @property
    def terms(self) -> HouseholdTerms:
        return terms_from_facts(self.building_type, self.facts, _iso(self.moved_out_on))

    @property
    def counts(self) -> tuple[CountsFrom, ...]:
        return tuple(CountsFrom(date.fromisoformat(d), int(p), int(l)) for d, p, l in self.facts["counts"])


HOUSEHOLD_COLUMNS = ("household_id, building_code, building_type, unit_number, floor_area_m2, moved_in_on, moved_out_on,"
                     " billing_from_month, head_masked, billed_through, billed_fen, paid_fen, facts")


def _household_row(r: tuple) -> HouseholdRow:
    return HouseholdRow(r[0], r[1], r[2], r[3], Decimal(r[4]), date.fromisoformat(r[5]),
                        date.fromisoformat(r[6]) if r[6] else None, r[7], r[8], r[9], from_fen(int(r[10])),
                        from_fen(int(r[11])), json.loads(r[12]))


def household_register(tx: Transaction, book_code: str, cursor: str | None, limit: int) -> list[HouseholdRow]:
    rows = tx.query(f"SELECT {HOUSEHOLD_COLUMNS} FROM anju_sub_households WHERE book_code = ? AND household_id > ?"
                    " ORDER BY household_id LIMIT ?", (book_code, cursor or "", limit))
    return [_household_row(r) for r in rows]


def household(tx: Transaction, book_code: str, household_id: str) -> HouseholdRow | None:
    row = tx.query_one(f"SELECT {HOUSEHOLD_COLUMNS} FROM anju_sub_households WHERE book_code = ? AND household_id = ?",
                       (book_code, household_id))
    return _household_row(row) if row else None


@dataclass(frozen=True)
class BillRow:
    run_month: str
    line_no: int
    kind: str
    month: str
    billed_on: date
    fee: Decimal
    subsidy: Decimal
    household_share: Decimal
    detail: dict[str, Any]
    voucher_number: str


def household_bills(tx: Transaction, book_code: str, household_id: str) -> list[BillRow]:
    rows = tx.query("SELECT run_month, line_no, kind, month, billed_on, fee_fen, subsidy_fen, share_fen, detail,"
                    " voucher_number FROM anju_sub_bills WHERE book_code = ? AND household_id = ?"
                    " ORDER BY run_month, line_no", (book_code, household_id))
    return [BillRow(r[0], int(r[1]), r[2], r[3], date.fromisoformat(r[4]), from_fen(int(r[5])), from_fen(int(r[6])),
                    from_fen(int(r[7])), json.loads(r[8]), r[9]) for r in rows]


# --- the schedule ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScheduleLine:
    month: str
    billed: bool
    run_month: str | None
    days_in_month: int
    occupied_days: int
    fee: Decimal
    subsidy: Decimal
    household_share: Decimal
    ratios: tuple[tuple[Decimal, int, int], ...]  # (percent, days, policy version)
    adjustments: tuple[tuple[str, Decimal, Decimal], ...] = ()  # later corrections: (run month, Δfee, Δsubsidy)

    @property
    def policy_versions(self) -> tuple[int, ...]:
        return tuple(sorted({version for _, _, version in self.ratios}))


def household_schedule(tx: Transaction, book_code: str, row: HouseholdRow, through: str | None = None,
                       first: str | None = None) -> list[ScheduleLine]:
    """The subsidy schedule of a household: billed months as billed, the rest as billing would compute them.

    Raises ``FeeStandardNotConfigured`` for an unbilled month of a building with no standard.
    """
    standards, policies = fee_standards(tx, book_code), policy_versions(tx, book_code)
    terms = row.terms
    billed: dict[str, BillRow] = {}
    corrections: dict[str, list[tuple[str, Decimal, Decimal]]] = defaultdict(list)
    for bill in household_bills(tx, book_code, row.household_id):
        if bill.kind == "month":
            billed[bill.month] = bill
        else:
            for month, fee, subsidy in bill.detail["months"]:
                corrections[month].append((bill.run_month, Decimal(fee), Decimal(subsidy)))
    months = schedule_months(terms, policies, through=max([through or "", *billed]))
    lines: list[ScheduleLine] = []
    changes: tuple[date, ...] | None = None
    for month in months:
        if first is not None and month < first:
            continue
        bill = billed.get(month)
        if bill is not None:
            detail = bill.detail
            lines.append(ScheduleLine(month, True, bill.run_month, detail["days_in_month"], detail["occupied_days"],
                                      bill.fee, bill.subsidy, bill.household_share,
                                      tuple((Decimal(p), int(d), int(v)) for p, d, v in detail["ratios"]),
                                      tuple(corrections.get(month, ()))))
            continue
        if changes is None:
            changes = change_days(terms, standards, policies)
        f = month_figures(month, terms, standards, policies, changes)
        lines.append(ScheduleLine(month, False, None, f.days_in_month, f.occupied_days, f.fee, f.subsidy,
                                  f.household_share, tuple((r.percent, r.days, r.policy_version) for r in f.ratios)))
    return lines


# --- statements and arrears --------------------------------------------------------------------------
@dataclass(frozen=True)
class StatementLine:
    on_date: date
    kind: str  # bill | adjustment | receipt
    reference: str
    charge: Decimal
    credit: Decimal
    balance: Decimal
    voucher_number: str


@dataclass(frozen=True)
class Statement:
    lines: list[StatementLine]
    billed: Decimal
    paid: Decimal

    @property
    def balance(self) -> Decimal:
        return self.billed - self.paid


def household_statement(tx: Transaction, book_code: str, household_id: str, as_of: date) -> Statement:
    """Billed, paid and balance as of any date: bills by run, then receipts, in date order."""
    entries: list[tuple[date, int, str, str, Decimal, Decimal, str]] = []
    per_run: dict[tuple[str, str], list[BillRow]] = defaultdict(list)
    for bill in household_bills(tx, book_code, household_id):
        if bill.billed_on <= as_of:
            per_run[(bill.run_month, bill.voucher_number)].append(bill)
    for (run_month, voucher), bills in per_run.items():
        share = sum((b.household_share for b in bills), ZERO)
        months = [b.month for b in bills if b.kind == "month"]
        reference = f"{run_month} 物业费 {', '.join(months)}" + (" + 调整" if any(b.kind != "month" for b in bills) else "")
        entries.append((bills[0].billed_on, 0, "bill", reference, max(share, ZERO), max(-share, ZERO), voucher))
    rows = tx.query("SELECT receipt_number, received_on, amount_fen, voucher_number FROM anju_sub_receipts"
                    " WHERE book_code = ? AND household_id = ? AND received_on <= ?",
                    (book_code, household_id, as_of.isoformat()))
    for number, received_on, amount, voucher in rows:
        entries.append((date.fromisoformat(received_on), 1, "receipt", number, ZERO, from_fen(int(amount)), voucher))
    entries.sort(key=lambda e: (e[0], e[1], e[3]))
    balance, lines = ZERO, []
    for on_date, _, kind, reference, charge, credit, voucher in entries:
        balance += charge - credit
        lines.append(StatementLine(on_date, kind, reference, charge, credit, balance, voucher))
    billed = sum((line.charge - (line.credit if line.kind == "bill" else ZERO) for line in lines), ZERO)
    paid = sum((line.credit for line in lines if line.kind == "receipt"), ZERO)
    return Statement(lines, billed, paid)


@dataclass(frozen=True)
class Arrears:
    household_id: str
    unit_number: str
    owed: Decimal
    oldest_open_run: str
    days_overdue: int
    last_reminded_on: date | None = None
    reminders: int = 0


def arrears(tx: Transaction, book_code: str, as_of: date, limit: int = 1000) -> list[Arrears]:
    """Households owing their share as of a date, with the oldest open bill and the reminders given them
    on or before that date, the last one's date and their count (recorded and reminded only: 民法典 Art. 944
    forbids cutting services to enforce it)."""
    reminded = {r[0]: (date.fromisoformat(r[1]), int(r[2])) for r in tx.query(
        "SELECT household_id, MAX(reminded_on), COUNT(*) FROM anju_sub_reminders WHERE book_code = ?"
        " AND reminded_on <= ? GROUP BY household_id", (book_code, as_of.isoformat()))}
    rows = tx.query("SELECT h.household_id, h.unit_number FROM anju_sub_households h WHERE h.book_code = ?"
                    " AND h.billed_fen > h.paid_fen ORDER BY h.household_id", (book_code,))
    result = []
    for household_id, unit in rows:
        statement = household_statement(tx, book_code, household_id, as_of)
        if statement.balance <= ZERO:
            continue
        # Receipts clear the oldest bill first: the open part is the newest bills totalling the balance.
        left, oldest = statement.balance, None
        for line in reversed([line for line in statement.lines if line.kind == "bill" and line.charge > ZERO]):
            oldest = line
            left -= line.charge
            if left <= ZERO:
                break
        assert oldest is not None
        last_reminded_on, count = reminded.get(household_id, (None, 0))
        result.append(Arrears(household_id, unit, statement.balance, oldest.reference[:7],
                              max((as_of - oldest.on_date).days, 0), last_reminded_on, count))
        if len(result) >= limit:
            break
    return result


@dataclass(frozen=True)
class ReminderRow:
    seq: int
    reminded_on: date
    method: str
    note: str
    owed: Decimal
    reminded_by: str
    role: str
    reason: str
    recorded_at: str


def reminders(tx: Transaction, book_code: str, household_id: str) -> list[ReminderRow]:
    """A household's reminders (催缴记录) in the order given: who, when, how, and what it owed that day."""
    rows = tx.query("SELECT seq, reminded_on, method, note, owed_fen, reminded_by, role, reason, recorded_at"
                    " FROM anju_sub_reminders WHERE book_code = ? AND household_id = ? ORDER BY seq",
                    (book_code, household_id))
    return [ReminderRow(int(r[0]), date.fromisoformat(r[1]), r[2], r[3], from_fen(int(r[4])), r[5], r[6], r[7],
                        str(r[8])) for r in rows]


# --- runs and claims -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunRow:
    month: str
    status: str
    households: int
    household_months: int
    fee: Decimal
    subsidy: Decimal
    household_share: Decimal
    vouchers: list[str]


def billing_runs(tx: Transaction, book_code: str, month: str | None = None) -> list[RunRow]:
    sql = ("SELECT month, status, households, household_months, fee_fen, subsidy_fen, share_fen, vouchers"
           " FROM anju_sub_runs WHERE book_code = ?")
    params: tuple = (book_code,)
    if month is not None:
        sql, params = sql + " AND month = ?", (book_code, month)
    rows = tx.query(sql + " ORDER BY month", params)
    return [RunRow(r[0], r[1], int(r[2]), int(r[3]), from_fen(int(r[4])), from_fen(int(r[5])), from_fen(int(r[6])),
                   json.loads(r[7])) for r in rows]


@dataclass(frozen=True)
class ClaimRow:
    book_code: str
    claim_code: str
    township_id: str
    months: list[str]
    status: str
    households: int
    amount: Decimal
    received: Decimal
    submitted_on: date
    approved_on: date | None
    returned_reason: str
    history: list[list[str]]

    @property
    def approved(self) -> Decimal:
        return self.amount if self.status == "approved" else ZERO

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.received


CLAIM_COLUMNS = ("book_code, claim_code, township_id, months, status, households, amount_fen, received_fen,"
                 " submitted_on, approved_on, returned_reason, history")


def _claim_row(r: tuple) -> ClaimRow:
    return ClaimRow(r[0], r[1], r[2], json.loads(r[3]), r[4], int(r[5]), from_fen(int(r[6])), from_fen(int(r[7])),
                    date.fromisoformat(r[8]), date.fromisoformat(r[9]) if r[9] else None, r[10], json.loads(r[11]))


def claims(tx: Transaction, book_code: str) -> list[ClaimRow]:
    rows = tx.query(f"SELECT {CLAIM_COLUMNS} FROM anju_sub_claims WHERE book_code = ? ORDER BY months",
                    (book_code,))
    return [_claim_row(r) for r in rows]


def township_claims(tx: Transaction, township_id: str) -> list[ClaimRow]:
    rows = tx.query(f"SELECT {CLAIM_COLUMNS} FROM anju_sub_claims WHERE township_id = ? ORDER BY book_code, months",
                    (township_id,))
    return [_claim_row(r) for r in rows]


def claim(tx: Transaction, book_code: str, claim_code: str) -> ClaimRow | None:
    row = tx.query_one(f"SELECT {CLAIM_COLUMNS} FROM anju_sub_claims WHERE book_code = ? AND claim_code = ?",
                       (book_code, claim_code))
    return _claim_row(row) if row else None


def claim_lines(tx: Transaction, book_code: str, claim_code: str, cursor: str | None,
                limit: int) -> list[tuple[str, Decimal]]:
    rows = tx.query("SELECT household_id, amount_fen FROM anju_sub_claim_lines WHERE book_code = ? AND claim_code = ?"
                    " AND household_id > ? ORDER BY household_id LIMIT ?", (book_code, claim_code, cursor or "", limit))
    return [(r[0], from_fen(int(r[1]))) for r in rows]


# --- read models for the township: premiums and forecasts ---------------------------------------------
@dataclass
class PremiumTotals:
    year: int
    households: int = 0
    person_days: int = 0
    labourer_days: int = 0
    housing_insurance: Decimal = ZERO
    employment_insurance: Decimal = ZERO
    per_household: list[tuple[str, Premiums]] = field(default_factory=list)


def insurance_premiums(tx: Transaction, book_code: str, year: int) -> PremiumTotals:
    """安居险 and 就业险 due for a community and year, household by household (DOMAIN.md §5)."""
    totals = PremiumTotals(year)
    for row in household_register(tx, book_code, None, 10**9):
        premiums = programme_premiums(row.counts, year, row.moved_out_on)
        if premiums.person_days == 0 and premiums.labourer_days == 0:
            continue
        totals.households += 1
        totals.person_days += premiums.person_days
        totals.labourer_days += premiums.labourer_days
        totals.housing_insurance += premiums.housing_insurance
        totals.employment_insurance += premiums.employment_insurance
        totals.per_household.append((row.household_id, premiums))
    return totals


def community_books(tx: Transaction, township_id: str) -> list[str]:
    return [r[0] for r in tx.query("SELECT book_code FROM anju_sub_registers WHERE township_id = ? ORDER BY book_code",
                                   (township_id,))]


def subsidy_forecast(tx: Transaction, book_code: str, first_month: str, months: int) -> dict[str, Decimal]:
    """Subsidy per month the township must budget for a community: billed months as billed, the rest projected."""
    standards, policies = fee_standards(tx, book_code), policy_versions(tx, book_code)
    wanted = months_between(first_month, _month_plus(first_month, months - 1))
    totals = {month: ZERO for month in wanted}
    billed = tx.query("SELECT household_id, month, subsidy_fen FROM anju_sub_bills WHERE book_code = ? AND kind = 'month'"
                      " AND month >= ? AND month <= ?", (book_code, wanted[0], wanted[-1]))
    billed_keys = set()
    for household_id, month, subsidy in billed:
        totals[month] += from_fen(int(subsidy))
        billed_keys.add((household_id, month))
    # After the latest transition end of any version no day is subsidised (DOMAIN.md §5).
    latest_end = max(p.transition_end for p in (DEFAULT_POLICY, *policies))
    projected = [month for month in wanted if month_first_day(month) <= latest_end]
    for row in household_register(tx, book_code, None, 10**9):
        terms = row.terms
        start = max(month_of(terms.first_moved_in_on), row.billing_from_month)
        # The last day any version could subsidise for this household: later months are 0.00.
        end = month_of(max(subsidy_last_day(fact.moved_in_on, policy)
                           for fact in terms.move_ins for policy in (DEFAULT_POLICY, *policies)))
        months = [m for m in projected if start <= m <= end and (row.household_id, m) not in billed_keys]
        if not months:
            continue
        changes = change_days(terms, standards, policies)
        try:
            for month in months:
                totals[month] += month_figures(month, terms, standards, policies, changes).subsidy
        except FeeStandardNotConfigured:
            continue  # no fee standard configured yet: nothing can be forecast for it
    return totals


def _month_plus(month: str, count: int) -> str:
    for _ in range(count):
        month = next_month(month)
    return month
