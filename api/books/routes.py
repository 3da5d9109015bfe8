"""Books (账套), vouchers (记账凭证), periods, trial balance and ledgers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from api.auth import AUDITOR, Who, require_read, require_role, require_write
from api.books import schemas as out
from api.books.schemas import (BookIn, OpeningBalancesIn, PeriodActionIn, ReversalIn, SubAccountIn,
                               VoucherBatchIn, VoucherIn)
from api.errors import PROBLEM_BASE, ApiProblem, register_conflict, status_for
from api.http import AsOf, page_limit, read, read_book, readable_book, reading_date, writable_book, write
from api.runtime import Principal
from api.schemas import money
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.book import Book, BookMonth, OpeningBalancesLocked
from ledger.journal import JournalLine, Voucher, VoucherDraft
from ledger.money import ZERO, from_fen, parse_amount, uppercase_amount
from ledger.writer import UnitOfWork
from projections import books as book_models
from projections.history import events_page
from projections.ledger_reports import BookInfo, book_info, detail_ledger, opening_balances, trial_balance

router = APIRouter(tags=["books 账套"])
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"

register_conflict(OpeningBalancesLocked)  # the first month has been closed: a conflict with recorded state


# --- helpers ------------------------------------------------------------------
def to_draft(body: VoucherIn, source: str = "") -> VoucherDraft:
    lines = []
    for line in body.lines:
        debit = parse_amount(line.debit) if line.debit is not None else ZERO
        credit = parse_amount(line.credit) if line.credit is not None else ZERO
        lines.append(JournalLine(line.account_code, debit, credit, line.subledger, line.memo))
    return VoucherDraft(body.voucher_date, body.summary, tuple(lines), body.attachments, source)


def voucher_json(voucher: Voucher, reversed_by: str | None = None) -> dict[str, Any]:
    return {
        "book_code": voucher.book_code,
        "number": voucher.number,
        "voucher_date": voucher.voucher_date.isoformat(),
        "summary": voucher.summary,
        "attachments": voucher.attachments,
        "kind": "red" if voucher.is_red else "blue",
        "reverses": voucher.reverses,
        "reversed_by": reversed_by,
        "lines": [
            {"account_code": l.account_code, "subledger": l.subledger, "debit": money(l.debit),
             "credit": money(l.credit), "memo": l.memo}
            for l in voucher.lines
        ],
        "total": money(voucher.lines_total),
        "total_uppercase": uppercase_amount(voucher.lines_total),
    }


def book_json(book: Book | BookInfo) -> dict[str, Any]:
    return {
        "book_code": book.book_code, "name": book.name, "entity_kind": book.entity_kind,
        "community_id": book.community_id, "township_id": book.township_id, "chart_name": book.chart_name,
        "starts_on": book.starts_on.isoformat(),
        "sub_accounts": [{"code": c, "name_zh": z, "name_en": e} for c, z, e in book.sub_accounts],
    }


def figure_json(figure) -> dict[str, str]:
    return {"direction": figure.direction, "debit": money(figure.debit), "credit": money(figure.credit)}


# --- books --------------------------------------------------------------------
@router.post("/books", status_code=201, summary="开设账套 Open a book", response_model=out.BookOut)
async def open_book(body: BookIn, request: Request, who: Who):
    """开设账套（集体经济组织或维修资金）。Open a book for a collective organisation or a maintenance fund."""
    require_write(who, body.community_id, body.township_id)
    chart = body.chart_name or ("collective_2023" if body.entity_kind == "collective" else "maintenance_fund")

    def command(uow: UnitOfWork, audit: Audit) -> Book:
        return bookkeeping.open_book(uow, audit, book_code=body.book_code,
                                     name=body.name, entity_kind=body.entity_kind, community_id=body.community_id,
                                     township_id=body.township_id, chart_name=chart, starts_on=body.starts_on)

    return await write(request, who, f"开设账套 {body.name}", command, lambda b: (201, book_json(b)), out.BookOut)


@router.get("/books", summary="账套列表 List books", response_model=out.BookListOut)
def list_books(request: Request, who: Who, as_of: AsOf = None):
    """列出调用者范围内的账套。Books within the caller's scope."""
    with read(request) as (tx, position):
        books = []
        for code in book_models.book_codes(tx):
            info = book_info(tx, code)
            if info and who.scope.covers(info.community_id, info.township_id):
                if as_of is None or info.starts_on <= as_of:
                    books.append(book_json(info))
    return {"books": books, "log_position": position}


@router.get("/books/{book_code}", summary="账套 Get a book", response_model=out.BookDetailOut)
def get_book(book_code: str, request: Request, who: Who, as_of: AsOf = None):
    """账套信息与科目表。The book and its chart of accounts."""
    with read(request) as (tx, position):
        info = readable_book(tx, who, book_code)
        chart = info.chart
        accounts = [
            {"code": a.code, "name_zh": a.name_zh, "name_en": a.name_en, "class": a.account_class.value,
             "normal_balance": a.normal_balance.value, "postable": not chart.children(a.code)}
            for a in chart.ordered()
        ]
        periods = book_models.periods_of(tx, book_code)
    return {**book_json(info), "chart": {"name": chart.name, "title_zh": chart.title_zh, "title_en": chart.title_en,
                                         "accounts": accounts},
            "closed_months": [p.month for p in periods if p.closed], "log_position": position}


@router.post("/books/{book_code}/sub-accounts", status_code=201, summary="增设明细科目 Add a sub-account",
             response_model=out.BookOut)
async def add_sub_account(book_code: str, body: SubAccountIn, request: Request, who: Who):
    """增设明细科目（不得删除或改名）。Add a sub-account; accounts are never removed or renamed."""
    def command(uow: UnitOfWork, audit: Audit) -> Book:
        writable_book(uow, who, book_code)
        return bookkeeping.add_sub_account(uow, audit, book_code, body.code,
                                           body.name_zh, body.name_en)

    return await write(request, who, f"增设科目 {body.code}", command, lambda b: (201, book_json(b)), out.BookOut)


# --- vouchers -----------------------------------------------------------------
@router.post("/books/{book_code}/vouchers", status_code=201, summary="记账 Record a voucher",
             response_model=out.VoucherOut)
async def record_voucher(book_code: str, body: VoucherIn, request: Request, who: Who):
    """录入记账凭证：借贷平衡、至少两行、末级科目、所属期间未结账。Record a balanced voucher in an open period."""
    draft = to_draft(body)

    def command(uow: UnitOfWork, audit: Audit) -> Voucher:
        writable_book(uow, who, book_code)
        return bookkeeping.record_voucher(uow, audit, book_code, draft)

    return await write(request, who, body.summary, command, lambda v: (201, voucher_json(v)), out.VoucherOut)


@router.post("/books/{book_code}/voucher-batches", status_code=200, summary="批量记账 Record many vouchers",
             response_model=out.BatchOut)
async def record_voucher_batch(book_code: str, body: VoucherBatchIn, request: Request, who: Who):
    """批量录入凭证，每张凭证各自成败；整批一个幂等键。Record many vouchers; each has its own outcome (201 or a
    problem). A caller who may not write to the book gets 403 for the whole request. ``Idempotency-Key`` covers
    the batch: a retry answers every item's first outcome again and records nothing new."""
    drafts: list[VoucherDraft | ValueError] = []
    for voucher_in in body.vouchers:
        try:
            drafts.append(to_draft(voucher_in))
        except ValueError as error:
            drafts.append(error)

    def command(uow: UnitOfWork, audit: Audit) -> list[dict[str, Any]]:
        writable_book(uow, who, book_code)  # 403 / 404 for the whole request, before any item
        results = []
        for index, (voucher_in, draft) in enumerate(zip(body.vouchers, drafts, strict=True)):
            try:
                if isinstance(draft, ValueError):
                    raise draft
                with uow.savepoint():  # one item fails alone; all are saved in one transaction
                    stamp = replace(audit, reason=voucher_in.summary[:200] or audit.reason)
                    voucher = bookkeeping.record_voucher(uow, stamp, book_code, draft)
                    results.append({"index": index, "status": 201, "voucher": voucher_json(voucher)})
            except (ValueError, LookupError) as error:  # the item's own problem
                results.append({"index": index, **_item_problem(error)})
        return results

    def render(results: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
        recorded = sum(1 for r in results if r["status"] == 201)
        return 200, {"recorded": recorded, "rejected": len(results) - recorded, "results": results}

    return await write(request, who, f"批量记账 {len(body.vouchers)} 张", command, render, out.BatchOut)


def _item_problem(error: BaseException) -> dict[str, Any]:
    status = getattr(error, "status", None) or status_for(error)
    slug = getattr(error, "type_slug", "invalid-input")
    return {"status": status, "problem": {"type": PROBLEM_BASE + slug, "status": status, "detail": str(error)}}


@router.get("/books/{book_code}/vouchers", summary="凭证列表 List vouchers", response_model=out.VoucherListOut)
def list_vouchers(book_code: str, request: Request, who: Who,
                  month: Annotated[str | None, Query(pattern=MONTH_PATTERN)] = None,
                  as_of: AsOf = None, limit: int | None = None, cursor: str | None = None):
    """按凭证号列出凭证。Vouchers in number order, optionally of one month, dated on or before ``as_of``."""
    size = page_limit(limit)
    with read_book(request, who, book_code) as (tx, position):
        page, next_cursor = book_models.voucher_page(tx, book_code, month, as_of, cursor, size)
    items = [{"number": v.number, "voucher_date": v.voucher_date, "summary": v.summary,
              "total": money(from_fen(v.total_fen)), "reverses": v.reverses, "reversed_by": v.reversed_by,
              "recorded_by": v.recorded_by, "recorded_at": v.recorded_at} for v in page]
    return {"vouchers": items, "next_cursor": next_cursor, "log_position": position}


@router.get("/books/{book_code}/vouchers/{number}", summary="凭证 Get a voucher", response_model=out.VoucherDetailOut)
def get_voucher(book_code: str, number: str, request: Request, who: Who, as_of: AsOf = None):
    """凭证详情，含大写金额。A voucher with its lines and its uppercase total (大写)."""
    with read_book(request, who, book_code) as (tx, position):
        v = book_models.voucher_record(tx, book_code, number, as_of)
        if v is None:
            raise ApiProblem(404, "voucher-not-found", "Voucher not found", f"no voucher {number} in {book_code}")
    total = from_fen(v.total_fen)
    return {
        "book_code": book_code, "number": v.number, "voucher_date": v.voucher_date, "summary": v.summary,
        "kind": "red" if v.reverses else "blue", "reverses": v.reverses, "reversed_by": v.reversed_by,
        "lines": [{"account_code": a, "subledger": s, "debit": money(Decimal(d)), "credit": money(Decimal(c)),
                   "memo": m} for a, s, d, c, m in v.lines],
        "total": money(total), "total_uppercase": uppercase_amount(total), "attachments": v.attachments,
        "source": v.source, "recorded_by": v.recorded_by, "recorded_at": v.recorded_at, "reason": v.reason,
        "voucher_position": v.position, "log_position": position,
    }


@router.post("/books/{book_code}/vouchers/{number}/reversal", status_code=201,
             summary="红字冲销 Reverse a voucher", response_model=out.ReversalOut)
async def reverse_voucher(book_code: str, number: str, body: ReversalIn, request: Request, who: Who):
    """以红字凭证冲销原凭证，可随附更正的蓝字凭证。Cancel a voucher by a red voucher, optionally with a blue correction."""
    correction = to_draft(body.correction) if body.correction else None

    def command(uow: UnitOfWork, audit: Audit) -> bookkeeping.Reversal:
        writable_book(uow, who, book_code)
        return bookkeeping.reverse_voucher(uow, audit, book_code, number, body.red_date, correction)

    def render(reversal: bookkeeping.Reversal) -> tuple[int, dict[str, Any]]:
        return 201, {"original": voucher_json(reversal.original, reversal.red.number),
                     "red": voucher_json(reversal.red),
                     "correction": voucher_json(reversal.correction) if reversal.correction else None}

    return await write(request, who, body.reason, command, render, out.ReversalOut)


# --- opening balances (期初余额) ---------------------------------------------------
def opening_lines(body: OpeningBalancesIn) -> tuple[JournalLine, ...]:
    """The request's lines as journal lines (amounts parsed as everywhere: strings, two places)."""
    return to_draft(VoucherIn(voucher_date=date(2000, 1, 1), summary="期初余额", lines=body.lines)).lines


def opening_json(book_code: str, opening_date: date, lines: list[tuple[str, str, Decimal, Decimal, str]],
                 locked: bool) -> dict[str, Any]:
    debit_total = sum((line[2] for line in lines), ZERO)
    credit_total = sum((line[3] for line in lines), ZERO)
    return {"book_code": book_code, "opening_date": opening_date.isoformat(),
            "lines": [{"account_code": a, "subledger": s, "debit": money(d), "credit": money(c), "memo": m}
                      for a, s, d, c, m in lines],
            "total_debit": money(debit_total), "total_credit": money(credit_total),
            "total_uppercase": uppercase_amount(debit_total), "balanced": debit_total == credit_total,
            "locked": locked}


def book_opening_json(book: Book, changed: bool) -> dict[str, Any]:
    lines = [(l.account_code, l.subledger, l.debit, l.credit, l.memo) for l in book.opening_lines]
    return {**opening_json(book.book_code, book.opening_date, lines, False), "changed": changed}


@router.post("/books/{book_code}/opening-balances", status_code=201, summary="录入期初余额 Enter opening balances",
             response_model=out.OpeningBalancesOut)
async def enter_opening_balances(book_code: str, body: OpeningBalancesIn, request: Request, who: Who):
    """录入（或在首月结账前整体替换）期初余额：借贷平衡、末级科目、每科目每辅助核算一行；首月结账后锁定。
    Enter the book's opening balances, or replace them whole before its first month is closed (a new event,
    never an edit): Σ debit = Σ credit, leaf accounts, one line per account and sub-ledger. Dated the day before
    the book's first day; 201 when recorded, 200 when they are already these. After the first close: 409
    ``opening-balances-locked``."""
    lines = opening_lines(body)

    def command(uow: UnitOfWork, audit: Audit) -> tuple[Book, bool]:
        writable_book(uow, who, book_code)
        return bookkeeping.enter_opening_balances(uow, audit, book_code, lines)

    return await write(request, who, body.reason, command,
                       lambda r: (201 if r[1] else 200, book_opening_json(*r)), out.OpeningBalancesOut)


@router.get("/books/{book_code}/opening-balances", summary="期初余额 Opening balances",
            response_model=out.OpeningBalancesOut)
def get_opening_balances(book_code: str, request: Request, who: Who):
    """期初余额及是否已锁定（首月已结账）。The book's opening balances and whether they are locked."""
    with read(request) as (tx, position):
        info = readable_book(tx, who, book_code)
        found = opening_balances(tx, info)
    opening_date = info.starts_on - timedelta(days=1)
    return {**opening_json(book_code, opening_date, found.lines, found.locked), "log_position": position}


# --- periods ------------------------------------------------------------------
def period_json(period: BookMonth) -> dict[str, Any]:
    return {"book_code": period.book_code, "month": period.month, "closed": period.closed,
            "vouchers": period.last_sequence}


@router.post("/books/{book_code}/periods/{month}/close", summary="结账 Close a month", response_model=out.PeriodOut)
async def close_month(book_code: str, request: Request, who: Who,
                      month: Annotated[str, Path(pattern=MONTH_PATTERN)], body: PeriodActionIn | None = None):
    """按月结账（须先结上月）。Close a month; months close in order."""
    reason = body.reason if body else f"结账 {month}"

    def command(uow: UnitOfWork, audit: Audit) -> BookMonth:
        writable_book(uow, who, book_code)
        return bookkeeping.close_month(uow, audit, book_code, month)

    return await write(request, who, reason, command, lambda p: (200, period_json(p)), out.PeriodOut)


@router.post("/books/{book_code}/periods/{month}/reopen", summary="反结账 Re-open a month (auditor)",
             response_model=out.PeriodOut)
async def reopen_month(book_code: str, request: Request, who: Who,
                       month: Annotated[str, Path(pattern=MONTH_PATTERN)], body: PeriodActionIn | None = None):
    """反结账，仅审计人员可操作并留痕。Re-open a closed month: auditor only, recorded as an event."""
    require_role(who, AUDITOR)
    reason = body.reason if body else f"反结账 {month}"

    def command(uow: UnitOfWork, audit: Audit) -> BookMonth:
        book = bookkeeping.get_book(uow, book_code)
        require_read(who, book.community_id, book.township_id)
        return bookkeeping.reopen_month(uow, audit, book_code, month)

    return await write(request, who, reason, command, lambda p: (200, period_json(p)), out.PeriodOut)


@router.get("/books/{book_code}/periods", summary="会计期间 Periods", response_model=out.PeriodListOut)
def list_periods(book_code: str, request: Request, who: Who, as_of: AsOf = None):
    """各月结账状态。Months with their closed state."""
    with read_book(request, who, book_code) as (tx, position):
        periods = book_models.periods_of(tx, book_code)
    return {"periods": [{"month": p.month, "closed": p.closed, "changed_at": p.changed_at, "changed_by": p.changed_by}
                        for p in periods], "log_position": position}


# --- reports ------------------------------------------------------------------
def _period_start(as_of: date, start: date | None) -> date:
    begin = start or date(as_of.year, 1, 1)
    if begin > as_of:
        raise ApiProblem(422, "invalid-period", "Invalid period", "from must not be after as_of")
    return begin


@router.get("/books/{book_code}/trial-balance", summary="科目余额表 Trial balance", response_model=out.TrialBalanceOut)
def get_trial_balance(book_code: str, request: Request, who: Who, as_of: AsOf = None,
                      from_date: Annotated[date | None, Query(alias="from")] = None):
    """科目余额表：期初余额、本期发生额、期末余额（默认本年初至 as_of）。
    Trial balance: opening balance, the period's debits and credits, closing balance (default: year start to as_of)."""
    as_of = reading_date(as_of)
    start = _period_start(as_of, from_date)
    with read(request) as (tx, position):
        info = readable_book(tx, who, book_code)
        tb = trial_balance(tx, info, start, as_of)
    rows = [{
        "account_code": r.account.code, "name_zh": r.account.name_zh, "name_en": r.account.name_en,
        "level": r.account.level, "class": r.account.account_class.value,
        "normal_balance": r.account.normal_balance.value,
        "opening": figure_json(r.opening), "period_debit": money(r.period_debit),
        "period_credit": money(r.period_credit), "closing": figure_json(r.closing),
        "balance": money(r.closing_signed),
    } for r in tb.rows]
    totals = {k: money(v) for k, v in tb.totals.items()}
    totals["closing_debit_uppercase"] = uppercase_amount(tb.totals["closing_debit"])
    return {"title_zh": "科目余额表", "title_en": "Trial balance", "book_code": book_code,
            "period_start": start.isoformat(), "as_of": as_of.isoformat(), "rows": rows, "totals": totals,
            "balanced": tb.balanced, "log_position": position}


@router.get("/books/{book_code}/accounts/{account_code}/ledger", summary="明细账 Account detail ledger",
            response_model=out.DetailLedgerOut)
def get_account_ledger(book_code: str, account_code: str, request: Request, who: Who, as_of: AsOf = None,
                       from_date: Annotated[date | None, Query(alias="from")] = None,
                       subledger: str | None = None, limit: int | None = None, cursor: str | None = None):
    """明细账：期初余额、逐笔发生额及余额、期末余额。Detail ledger with a running balance."""
    as_of = reading_date(as_of)
    start = _period_start(as_of, from_date)
    size = page_limit(limit)
    with read(request) as (tx, position):
        info = readable_book(tx, who, book_code)
        ledger = detail_ledger(tx, info, account_code, subledger, start, as_of, size, cursor)
    return {
        "title_zh": "明细账", "title_en": "Detail ledger", "book_code": book_code,
        "account_code": ledger.account.code, "name_zh": ledger.account.name_zh, "name_en": ledger.account.name_en,
        "subledger": subledger, "period_start": start.isoformat(), "as_of": as_of.isoformat(),
        "opening": figure_json(ledger.opening),
        "lines": [{"voucher_date": l.voucher_date, "number": l.number, "line_no": l.line_no,
                   "account_code": l.account_code, "subledger": l.subledger, "summary": l.summary,
                   "debit": money(l.debit), "credit": money(l.credit), "balance": figure_json(l.balance)}
                  for l in ledger.lines],
        "period_debit": money(ledger.period_debit), "period_credit": money(ledger.period_credit),
        "closing": figure_json(ledger.closing), "next_cursor": ledger.next_cursor, "log_position": position,
    }


@router.get("/books/{book_code}/history", summary="账套事件历史 Book history", response_model=out.BookHistoryOut)
def get_book_history(book_code: str, request: Request, who: Who, as_of: AsOf = None,
                     limit: int | None = None,
                     cursor: Annotated[int | None, Query(ge=0, le=2**62)] = None):
    """账套的全部事件：谁、何时、为何。Every event of the book: who, when (UTC), why."""
    size = page_limit(limit)
    with read_book(request, who, book_code) as (tx, position):
        page, next_cursor = events_page(tx, cursor or 0, size, book_code=book_code, recorded_before=as_of,
                                        with_links=False)
    events = [{"position": e.position, "event_type": e.event_type, "actor": e.actor, "role": e.role,
               "reason": e.reason, "idempotency_key": e.idempotency_key, "recorded_at": e.recorded_at,
               "stream_id": e.stream_id, "stream_version": e.stream_version} for e in page]
    return {"book_code": book_code, "events": events, "next_cursor": next_cursor, "log_position": position}
