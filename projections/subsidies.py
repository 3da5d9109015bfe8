"""Read models of property-fee subsidies: register, schedules, bills, runs, claims, arrears, forecasts.

Source: DOMAIN.md §5; issue 8 Projections. The tables follow the log; the schedule of a
household (补贴明细表) is not stored but computed on read from the stored register facts,
standards and policy versions with the same pure functions the billing uses
(``domain.subsidies.schedule``), so billed and projected months can never disagree in
method: billed months show what was billed, the others what would be billed today. The query
functions the routes call are in ``projections.subsidy_queries``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from domain.subsidies.billing import BillingRun
from domain.subsidies.claim import SubsidyClaim
from domain.subsidies.household import CountsFrom, Household
from domain.subsidies.policy import FeeStandards, SubsidyPolicy
from domain.subsidies.register import HouseholdRegister
from domain.subsidies.schedule import AreaFrom, HouseholdTerms, MoveInFrom
from ledger.money import to_fen
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
#: One row per reminder (催缴) given to a household: who, when and how (no money moves; 民法典 Art. 944).
REMINDERS = Table("anju_sub_reminders", (
    "book_code TEXT NOT NULL", "household_id TEXT NOT NULL", "seq INTEGER NOT NULL", "reminded_on TEXT NOT NULL",
    "method TEXT NOT NULL", "note TEXT NOT NULL", "owed_fen BIGINT NOT NULL", "reminded_by TEXT NOT NULL",
    "role TEXT NOT NULL", "reason TEXT NOT NULL", "recorded_at TEXT NOT NULL"), ("book_code", "household_id", "seq"))
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
              SUBSIDY_RECEIPTS, REGISTERS, REMINDERS)
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
        ids = sorted({entry.stream_id for entry in pending})
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            for originator, book_code, code in tx.query(
                    f"SELECT originator_id, book_code, code FROM anju_streams WHERE originator_id IN ({marks})", chunk):
                streams[originator] = (book_code, code)
        rows, updates, through = [], [], []
        for entry in pending:
            book_code, household_id = streams[entry.stream_id]
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

    @handles(Household.ArrearsReminded)
    def _reminder(self, tx: Transaction, entry: LogEntry, event: Any) -> None:
        stream = stream_of(tx, entry)
        seq = tx.query_one("SELECT COUNT(*) FROM anju_sub_reminders WHERE book_code = ? AND household_id = ?",
                           (stream.book_code, stream.code))[0]
        r, audit = event.reminder, event.audit
        tx.execute(REMINDERS.insert_sql(), (stream.book_code, stream.code, int(seq) + 1, r.reminded_on.isoformat(),
                                            r.method, r.note, to_fen(r.owed), audit.actor, audit.role, audit.reason,
                                            entry.recorded_at))

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

    @handles(BillingRun.LinesRecorded, raw=True)
    def _run_lines(self, tx: Transaction, entry: LogEntry, data: dict[str, Any]) -> None:
        """A run's lines (up to 5,000 households per event), summed from the stored JSON."""
        stream = stream_of(tx, entry)
        row = tx.query_one("SELECT vouchers FROM anju_sub_runs WHERE book_code = ? AND month = ?",
                           (stream.book_code, stream.code))
        voucher_number = data["voucher_number"]
        vouchers = json.loads(row[0]) + ([voucher_number] if voucher_number else [])
        lines = [wrapped["_data_"] for wrapped in data["lines"]]
        tx.execute("UPDATE anju_sub_runs SET households = households + ?, household_months = household_months + ?,"
                   " fee_fen = fee_fen + ?, subsidy_fen = subsidy_fen + ?, share_fen = share_fen + ?, vouchers = ?"
                   " WHERE book_code = ? AND month = ?",
                   (len(lines), sum(len(line["months"]) for line in lines), sum(_fen(line["fee"]) for line in lines),
                    sum(_fen(line["subsidy"]) for line in lines),
                    sum(_fen(line["household_share"]) for line in lines),
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



# =============================================================================================
# Query functions (every route reads through these)
# =============================================================================================
def terms_from_facts(building_type: str, facts: dict[str, Any], moved_out_on: str | None) -> HouseholdTerms:
    return HouseholdTerms(
        building_type,
        tuple(AreaFrom(date.fromisoformat(d), Decimal(a)) for d, a in facts["areas"]),
        tuple(MoveInFrom(date.fromisoformat(d), date.fromisoformat(m)) for d, m in facts["move_ins"]),
        date.fromisoformat(moved_out_on) if moved_out_on else None)


# The query functions live in ``projections.subsidy_queries``; callers may still reach them here.
from projections.subsidy_queries import (  # noqa: E402,F401 - it needs the helpers above
    Arrears,
    BillRow,
    ClaimRow,
    HouseholdRow,
    PremiumTotals,
    ReminderRow,
    RunRow,
    ScheduleLine,
    Statement,
    StatementLine,
    arrears,
    billing_runs,
    buildings,
    claim,
    claim_lines,
    claims,
    community_books,
    fee_standards,
    household,
    household_bills,
    household_register,
    household_schedule,
    household_statement,
    insurance_premiums,
    policy_versions,
    reminders,
    subsidy_forecast,
    township_claims,
)
