"""Read models of property-fee subsidies: register, schedules, bills, runs, claims, arrears, forecasts.

Source: DOMAIN.md §5; issue 8 Projections. The tables follow the log; the schedule of a
household (补贴明细表) is not stored but computed on read from the stored register facts,
standards and policy versions with the same pure functions the billing uses
(``domain.subsidies.schedule``), so billed and projected months can never disagree in
method: billed months show what was billed, the others what would be billed today.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from domain.subsidies.billing import BillingRun
from domain.subsidies.claim import SubsidyClaim
from domain.subsidies.household import CountsFrom, Household
from domain.subsidies.errors import FeeStandardNotConfigured
from domain.subsidies.policy import DEFAULT_POLICY, FeeStandard, FeeStandards, PolicyVersion, SubsidyPolicy
from domain.subsidies.programmes import Premiums, programme_premiums
from domain.subsidies.register import HouseholdRegister
from domain.subsidies.schedule import (
    AreaFrom,
    HouseholdTerms,
    MoveInFrom,
    change_days,
    month_figures,
    schedule_months,
    subsidy_last_day,
)
from ledger.calendar import month_first_day, month_of, months_between, next_month
from ledger.money import ZERO, from_fen, to_fen
from ledger.sqldb import Transaction
from projections.base import ReadModel, Table, book_of, handles, stream_of
from projections.runner import LogEntry

BUILDINGS = Table("anju_sub_buildings", (
    "book_code TEXT NOT NULL", "building_code TEXT NOT NULL", "name TEXT NOT NULL", "storeys INTEGER NOT NULL",
    "has_lift INTEGER NOT NULL", "building_type TEXT NOT NULL"), ("book_code", "building_code"))
HOUSEHOLDS = Table("anju_sub_households", (
    "book_code TEXT NOT NULL", "household_id TEXT NOT NULL", "building_code TEXT NOT NULL",
    "building_type TEXT NOT NULL", "unit_number TEXT NOT NULL", "floor_area_m2 TEXT NOT NULL",
    "moved_in_on TEXT NOT NULL", "moved_out_on TEXT", "billing_from_month TEXT NOT NULL", "head_masked TEXT",
    "facts TEXT NOT NULL", "billed_through TEXT", "billed_fen BIGINT NOT NULL", "paid_fen BIGINT NOT NULL",
    "position BIGINT NOT NULL"), ("book_code", "household_id"))
STANDARDS = Table("anju_sub_standards", (
    "book_code TEXT NOT NULL", "seq INTEGER NOT NULL", "building_type TEXT NOT NULL", "effective_on TEXT NOT NULL",
    "rate TEXT NOT NULL", "set_by TEXT NOT NULL"), ("book_code", "seq"))
POLICIES = Table("anju_sub_policies", (
    "book_code TEXT NOT NULL", "version INTEGER NOT NULL", "effective_on TEXT NOT NULL", "full_years INTEGER NOT NULL",
    "partial_through_years INTEGER NOT NULL", "partial_percent TEXT NOT NULL", "extension_granted INTEGER NOT NULL",
    "extension_until TEXT NOT NULL", "transition_end TEXT NOT NULL", "adopted_by TEXT NOT NULL",
    "adopted_at TEXT NOT NULL"), ("book_code", "version"))
#: One row per billed household-month (kind "month") and per adjustment line (kind "adjustment").
BILLS = Table("anju_sub_bills", (
    "book_code TEXT NOT NULL", "household_id TEXT NOT NULL", "run_month TEXT NOT NULL", "line_no INTEGER NOT NULL",
    "kind TEXT NOT NULL", "month TEXT NOT NULL", "billed_on TEXT NOT NULL", "fee_fen BIGINT NOT NULL",
    "subsidy_fen BIGINT NOT NULL", "share_fen BIGINT NOT NULL", "detail TEXT NOT NULL", "voucher_number TEXT NOT NULL"),
    ("book_code", "household_id", "run_month", "line_no"), indexes=(("book_code", "run_month"),))
RECEIPTS = Table("anju_sub_receipts", (
    "book_code TEXT NOT NULL", "receipt_number TEXT NOT NULL", "household_id TEXT NOT NULL",
    "received_on TEXT NOT NULL", "amount_fen BIGINT NOT NULL", "reference TEXT NOT NULL",
    "voucher_number TEXT NOT NULL", "settled TEXT NOT NULL"), ("book_code", "receipt_number"),
    indexes=(("book_code", "household_id"),))
RUNS = Table("anju_sub_runs", (
    "book_code TEXT NOT NULL", "month TEXT NOT NULL", "status TEXT NOT NULL", "households INTEGER NOT NULL",
    "household_months INTEGER NOT NULL", "fee_fen BIGINT NOT NULL", "subsidy_fen BIGINT NOT NULL",
    "share_fen BIGINT NOT NULL", "vouchers TEXT NOT NULL", "started_by TEXT NOT NULL"), ("book_code", "month"))
CLAIMS = Table("anju_sub_claims", (
    "book_code TEXT NOT NULL", "claim_code TEXT NOT NULL", "township_id TEXT NOT NULL", "months TEXT NOT NULL",
    "status TEXT NOT NULL", "households INTEGER NOT NULL", "amount_fen BIGINT NOT NULL", "received_fen BIGINT NOT NULL",
    "submitted_on TEXT NOT NULL", "approved_on TEXT", "returned_reason TEXT NOT NULL", "history TEXT NOT NULL"),
    ("book_code", "claim_code"), indexes=(("township_id", "claim_code"),))
CLAIM_LINES = Table("anju_sub_claim_lines", (
    "book_code TEXT NOT NULL", "claim_code TEXT NOT NULL", "household_id TEXT NOT NULL", "amount_fen BIGINT NOT NULL"),
    ("book_code", "claim_code", "household_id"))
SUBSIDY_RECEIPTS = Table("anju_sub_subsidy_receipts", (
    "book_code TEXT NOT NULL", "receipt_number TEXT NOT NULL", "received_on TEXT NOT NULL",
    "amount_fen BIGINT NOT NULL", "reference TEXT NOT NULL", "voucher_number TEXT NOT NULL", "settled TEXT NOT NULL"),
    ("book_code", "receipt_number"))
REGISTERS = Table("anju_sub_registers", (
    "book_code TEXT NOT NULL", "township_id TEXT NOT NULL"), ("book_code",), indexes=(("township_id",),))


BILLED_TOPIC = f"{Household.Billed.__module__}:{Household.Billed.__qualname__}"


def _fen(wrapped: dict[str, Any]) -> int:
    return to_fen(Decimal(wrapped["_data_"]))


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _facts_json(areas: Iterable[AreaFrom], move_ins: Iterable[MoveInFrom], counts: Iterable[CountsFrom]) -> str:
    return json.dumps({"areas": [[a.effective_on.isoformat(), str(a.floor_area_m2)] for a in areas],
                       "move_ins": [[m.effective_on.isoformat(), m.moved_in_on.isoformat()] for m in move_ins],
                       "counts": [[c.effective_on.isoformat(), c.persons, c.labourers] for c in counts]})


class SubsidiesReadModel(ReadModel):
    """Follows the capability's aggregates (``domain.subsidies``) into the tables above."""

    name = "subsidies"
    tables = (BUILDINGS, HOUSEHOLDS, STANDARDS, POLICIES, BILLS, RECEIPTS, RUNS, CLAIMS, CLAIM_LINES,
              SUBSIDY_RECEIPTS, REGISTERS)
    topic_prefixes = ("domain.subsidies.",)

    # --- register ----------------------------------------------------------------------------
    @handles(HouseholdRegister.Started)
    def _register_started(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        tx.execute(REGISTERS.insert_sql(), (event.book_code, event.township_id))

    @handles(HouseholdRegister.BuildingRegistered)
    def _building(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        b = event.building
        tx.execute(BUILDINGS.insert_sql(), (book_of(tx, entry), b.building_code, b.name, b.storeys, int(b.has_lift),
                                            b.building_type))

    @handles(Household.Registered)
    def _household(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        facts = _facts_json((AreaFrom(date.min, event.floor_area_m2),), (MoveInFrom(date.min, event.moved_in_on),),
                            (event.counts,))
        tx.execute(HOUSEHOLDS.insert_sql(), (
            event.book_code, event.household_id, event.building_code, event.building_type, event.flat_number,
            str(event.floor_area_m2), event.moved_in_on.isoformat(), None, event.billing_from_month,
            event.head.masked if event.head is not None else None, facts, None, 0, 0, entry.position))

    @handles(Household.FloorAreaCorrected, Household.MoveInCorrected, Household.MovedOut, Household.CountsChanged)
    def _household_fact(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        stream = stream_of(tx, entry)
        row = tx.query_one("SELECT facts FROM anju_sub_households WHERE book_code = ? AND household_id = ?",
                           (stream.book_code, stream.code))
        facts = json.loads(row[0])
        if isinstance(event, Household.FloorAreaCorrected):
            facts["areas"].append([event.fact.effective_on.isoformat(), str(event.fact.floor_area_m2)])
        elif isinstance(event, Household.MoveInCorrected):
            facts["move_ins"].append([event.fact.effective_on.isoformat(), event.fact.moved_in_on.isoformat()])
        elif isinstance(event, Household.CountsChanged):
            facts["counts"].append([event.counts.effective_on.isoformat(), event.counts.persons,
                                    event.counts.labourers])
        terms = terms_from_facts("", facts, None)
        tx.execute("UPDATE anju_sub_households SET facts = ?, floor_area_m2 = ?, moved_in_on = ?"
                   " WHERE book_code = ? AND household_id = ?",
                   (json.dumps(facts), str(max(terms.areas, key=lambda a: a.effective_on).floor_area_m2),
                    terms.first_moved_in_on.isoformat(), stream.book_code, stream.code))
        if isinstance(event, Household.MovedOut):
            tx.execute("UPDATE anju_sub_households SET moved_out_on = ? WHERE book_code = ? AND household_id = ?",
                       (event.moved_out_on.isoformat(), stream.book_code, stream.code))

    # --- bills: the hot path (one event per household per run), read from the stored JSON -----
    def handle(self, tx: Transaction, entries: list[LogEntry]) -> None:
        """Bills are buffered and written per batch, from the stored JSON (decoding them would bound
        replay); every other event goes to its ``@handles`` method as usual."""
        self._billed: list[LogEntry] = []
        others = []
        for entry in entries:
            (self._billed if entry.topic == BILLED_TOPIC else others).append(entry)
        super().handle(tx, others)  # calls ``flush``

    def flush(self, tx: Transaction) -> None:
        pending, self._billed = getattr(self, "_billed", []), []
        if not pending:
            return
        streams: dict[str, tuple[str, str]] = {}
        ids = sorted({str(entry.originator_id) for entry in pending})
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            for originator, book_code, code in tx.query(
                    f"SELECT originator_id, book_code, code FROM anju_streams WHERE originator_id IN ({marks})", chunk):
                streams[originator] = (book_code, code)
        rows, updates, through = [], [], []
        for entry in pending:
            book_code, household_id = streams[str(entry.originator_id)]
            data = entry.data
            run_month, billed_on, voucher = data["run_month"], data["billed_on"]["_data_"], data["voucher_number"]
            share, last = 0, None
            for line_no, wrapped in enumerate(data["months"], start=1):
                billed = wrapped["_data_"]
                f = billed["figures"]["_data_"]
                fee, subsidy, own = (_fen(f[k]) for k in ("fee", "subsidy", "household_share"))
                detail = json.dumps({"days_in_month": f["days_in_month"], "occupied_days": f["occupied_days"],
                                     "ratios": [[r["_data_"]["percent"]["_data_"], r["_data_"]["days"],
                                                 r["_data_"]["policy_version"]] for r in f["ratios"]],
                                     "standards_known": billed["standards_known"],
                                     "policies_known": billed["policies_known"]})
                rows.append((book_code, household_id, run_month, line_no, "month", f["month"], billed_on, fee, subsidy,
                             own, detail, voucher))
                share += own
                last = max(last or "", f["month"])
            for offset, wrapped in enumerate(data["adjustments"], start=len(data["months"]) + 1):
                a = wrapped["_data_"]
                fee, subsidy, own = (_fen(a[k]) for k in ("fee", "subsidy", "household_share"))
                detail = json.dumps({"cause": a["cause"], "effective_on": a["effective_on"]["_data_"],
                                     "months": [[d["_data_"]["month"], d["_data_"]["fee"]["_data_"],
                                                 d["_data_"]["subsidy"]["_data_"]] for d in a["months"]]})
                rows.append((book_code, household_id, run_month, offset, "adjustment", run_month, billed_on, fee,
                             subsidy, own, detail, voucher))
                share += own
            updates.append((share, book_code, household_id))
            if last is not None:
                through.append((last, book_code, household_id))
        tx.executemany(BILLS.insert_sql(), rows)
        tx.executemany("UPDATE anju_sub_households SET billed_fen = billed_fen + ? WHERE book_code = ?"
                       " AND household_id = ?", updates)
        if through:
            tx.executemany("UPDATE anju_sub_households SET billed_through = ? WHERE book_code = ?"
                           " AND household_id = ?", through)

    @handles(Household.ReceiptRecorded)
    def _receipt(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        stream = stream_of(tx, entry)
        r = event.receipt
        settled = json.dumps([[s.run_month, str(s.amount)] for s in r.settled])
        tx.execute(RECEIPTS.insert_sql(), (stream.book_code, r.receipt_number, stream.code, r.received_on.isoformat(),
                                           to_fen(r.amount), r.reference, r.voucher_number, settled))
        tx.execute("UPDATE anju_sub_households SET paid_fen = paid_fen + ? WHERE book_code = ? AND household_id = ?",
                   (to_fen(r.amount), stream.book_code, stream.code))

    # --- standards and policies -------------------------------------------------------------------
    @handles(FeeStandards.StandardSet)
    def _standard(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        book = book_of(tx, entry)
        seq = tx.query_one("SELECT COUNT(*) FROM anju_sub_standards WHERE book_code = ?", (book,))[0]
        s = event.standard
        tx.execute(STANDARDS.insert_sql(), (book, int(seq) + 1, s.building_type, s.effective_on.isoformat(),
                                            str(s.rate_per_m2_month), event.audit.actor))

    @handles(SubsidyPolicy.VersionAdopted)
    def _policy(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        v = event.version
        tx.execute(POLICIES.insert_sql(), (
            book_of(tx, entry), v.version, v.effective_on.isoformat(), v.full_years, v.partial_through_years,
            str(v.partial_percent), int(v.extension_granted), v.extension_until.isoformat(),
            v.transition_end.isoformat(), event.audit.actor, entry.recorded_at))

    # --- runs ----------------------------------------------------------------------------------
    @handles(BillingRun.Started)
    def _run_started(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        tx.execute(RUNS.insert_sql(), (event.book_code, event.month, "open", 0, 0, 0, 0, 0, "[]", event.audit.actor))

    @handles(BillingRun.LinesRecorded)
    def _run_lines(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        stream = stream_of(tx, entry)
        row = tx.query_one("SELECT vouchers FROM anju_sub_runs WHERE book_code = ? AND month = ?",
                           (stream.book_code, stream.code))
        vouchers = json.loads(row[0]) + ([event.voucher_number] if event.voucher_number else [])
        lines = event.lines
        tx.execute("UPDATE anju_sub_runs SET households = households + ?, household_months = household_months + ?,"
                   " fee_fen = fee_fen + ?, subsidy_fen = subsidy_fen + ?, share_fen = share_fen + ?, vouchers = ?"
                   " WHERE book_code = ? AND month = ?",
                   (len(lines), sum(len(line.months) for line in lines), sum(to_fen(line.fee) for line in lines),
                    sum(to_fen(line.subsidy) for line in lines), sum(to_fen(line.household_share) for line in lines),
                    json.dumps(vouchers), stream.book_code, stream.code))

    @handles(BillingRun.Finished)
    def _run_finished(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        stream = stream_of(tx, entry)
        tx.execute("UPDATE anju_sub_runs SET status = 'finished' WHERE book_code = ? AND month = ?",
                   (stream.book_code, stream.code))

    # --- claims and the township's receipts ---------------------------------------------------------
    @handles(SubsidyClaim.Submitted)
    def _claim(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        history = json.dumps([["submitted", event.submitted_on.isoformat(), event.audit.actor, ""]])
        tx.execute(CLAIMS.insert_sql(), (
            event.book_code, event.claim_code, event.township_id, json.dumps(list(event.months)), "submitted",
            len(event.lines), to_fen(event.amount), 0, event.submitted_on.isoformat(), None, "", history))
        tx.executemany(CLAIM_LINES.insert_sql(), [(event.book_code, event.claim_code, line.household_id,
                                                   to_fen(line.amount)) for line in event.lines])

    @handles(SubsidyClaim.Approved, SubsidyClaim.Returned, SubsidyClaim.Resubmitted, SubsidyClaim.ReceiptApplied)
    def _claim_changed(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        stream = stream_of(tx, entry)
        key = (stream.book_code, stream.code)
        row = tx.query_one("SELECT history, received_fen FROM anju_sub_claims WHERE book_code = ? AND claim_code = ?",
                           key)
        history, received = json.loads(row[0]), int(row[1])
        actor = event.audit.actor
        if isinstance(event, SubsidyClaim.Approved):
            history.append(["approved", event.approved_on.isoformat(), actor, ""])
            sets = ("status = 'approved', approved_on = ?", (event.approved_on.isoformat(),))
        elif isinstance(event, SubsidyClaim.Returned):
            history.append(["returned", event.returned_on.isoformat(), actor, event.reason])
            sets = ("status = 'returned', returned_reason = ?", (event.reason,))
        elif isinstance(event, SubsidyClaim.Resubmitted):
            history.append(["resubmitted", event.submitted_on.isoformat(), actor, ""])
            sets = ("status = 'submitted', returned_reason = '', submitted_on = ?", (event.submitted_on.isoformat(),))
        else:
            history.append(["received", event.received_on.isoformat(), actor, str(event.amount)])
            sets = ("received_fen = ?", (received + to_fen(event.amount),))
        tx.execute(f"UPDATE anju_sub_claims SET {sets[0]}, history = ? WHERE book_code = ? AND claim_code = ?",
                   (*sets[1], json.dumps(history), *key))

    @handles(HouseholdRegister.SubsidyReceiptRecorded)
    def _subsidy_receipt(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        r = event.receipt
        tx.execute(SUBSIDY_RECEIPTS.insert_sql(), (
            book_of(tx, entry), r.receipt_number, r.received_on.isoformat(), to_fen(r.amount), r.reference,
            r.voucher_number, json.dumps([[s.claim_code, str(s.amount)] for s in r.settled])))


def read_models() -> list[ReadModel]:
    return [SubsidiesReadModel()]


# =============================================================================================
# Query functions (every route reads through these)
# =============================================================================================
def terms_from_facts(building_type: str, facts: dict[str, Any], moved_out_on: str | None) -> HouseholdTerms:
    return HouseholdTerms(
        building_type,
        tuple(AreaFrom(date.fromisoformat(d), Decimal(a)) for d, a in facts["areas"]),
        tuple(MoveInFrom(date.fromisoformat(d), date.fromisoformat(m)) for d, m in facts["move_ins"]),
        date.fromisoformat(moved_out_on) if moved_out_on else None)


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


def arrears(tx: Transaction, book_code: str, as_of: date, limit: int = 1000) -> list[Arrears]:
    """Households owing their share as of a date, with the oldest open bill (recorded and reminded only:
    民法典 Art. 944 forbids cutting services to enforce it)."""
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
        result.append(Arrears(household_id, unit, statement.balance, oldest.reference[:7],
                              max((as_of - oldest.on_date).days, 0)))
        if len(result) >= limit:
            break
    return result


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


def subsidy_receipts(tx: Transaction, book_code: str) -> list[tuple]:
    return tx.query("SELECT receipt_number, received_on, amount_fen, reference, voucher_number, settled"
                    " FROM anju_sub_subsidy_receipts WHERE book_code = ? ORDER BY receipt_number", (book_code,))


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
