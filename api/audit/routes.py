"""Auditors: the global event history with its chain links, the history of any aggregate with its
states before and after each event, statements as recorded by a past log position, sealed
checkpoints, and chain verification (checkpoints included)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.audit import schemas
from api.audit.verification import InvalidNotedCheckpoint, parse_noted, report_json, verify_all
from api.auth import AUDITOR, Who, require_role, runtime_of
from api.errors import ApiProblem, register_conflict
from api.http import AsOf, page_limit, read, readable_book, reading_date, write
from api.runtime import Principal
from api.schemas import EventOut, Out, money
from ledger.audit import Audit
from ledger.chain import chain_head
from ledger.checkpoint import REGISTER_ID, CheckpointHeadNotAdvanced, seal_checkpoint
from ledger.money import from_fen
from ledger.sqldb import Transaction
from ledger.writer import UnitOfWork
from projections.aggregate_history import (
    HISTORY_DEFAULT_LIMIT,
    HISTORY_MAX_LIMIT,
    VOUCHER_KIND,
    StreamRef,
    canonical_stream_id,
    events_at,
    fold_states,
    is_mark_of,
    reversal_marks,
    stream_events,
    stream_ref,
    streams_named,
    voucher_states,
    voucher_trail,
)
from projections.as_recorded import (
    AsRecordedRuleBroken,
    compare_as_recorded,
    opening_lines_from_log,
    resolve_as_recorded_at,
    trial_balance_as_recorded,
    trial_balance_digest,
)
from projections.books import book_scopes
from projections.history import EventRow, events_page
from projections.ledger_reports import book_info

router = APIRouter(tags=["audit 审计"])
register_conflict(CheckpointHeadNotAdvanced)  # another seal of the same head: a conflict with recorded state


def figure_json(figure) -> dict[str, str]:
    return {"direction": figure.direction, "debit": money(figure.debit), "credit": money(figure.credit)}


def _period_start(as_of: date, start: date | None) -> date:
    begin = start or date(as_of.year, 1, 1)
    if begin > as_of:
        raise ApiProblem(422, "invalid-period", "Invalid period", "from must not be after as_of")
    return begin


class LoggedEventOut(EventOut):
    book_code: str | None
    chain_link: str | None


class EventListOut(Out):
    events: list[LoggedEventOut]
    next_cursor: int | None


@router.get("/events", summary="全局事件历史 Global event history (auditor)", response_model=EventListOut)
def list_events(request: Request, who: Who, after: Annotated[int, Query(ge=0, le=2**62)] = 0, limit: int | None = None,
                as_of: date | None = None, book_code: str | None = None):
    """按日志顺序列出全部事件：操作人、时间（UTC）、原因、幂等键、哈希链环。
    Every event in log order with actor, time (UTC), reason, idempotency key and chain link."""
    require_role(who, AUDITOR)
    size = page_limit(limit)
    with read(request) as (tx, position):
        page, next_cursor = events_page(tx, after, size, book_code=book_code, recorded_before=as_of)
        if who.scope.kind != "all":
            page = _in_scope(who, page, book_scopes(tx))
    events = [asdict(e) for e in page]
    return {"events": events, "next_cursor": next_cursor, "log_position": position}


def _in_scope(who: Principal, events: list[EventRow], books: dict[str, tuple[str, str]]) -> list[EventRow]:
    """An auditor scoped to a township or communities sees only their books' events."""
    return [e for e in events if e.book_code in books and who.scope.covers(*books[e.book_code])]




# --- chain verification, checkpoints included ----------------------------------------------------
@router.get("/audit/verify", summary="校验哈希链与封存点 Verify the hash chain and checkpoints (auditor)",
            response_model=schemas.VerifyOut)
async def verify_chain(request: Request, who: Who,
                       checkpoint: Annotated[str | None, Query(max_length=100, description=(
                           "外部记录的封存点 POSITION:LINK noted outside the store (catches a truncated tail)"))] = None):
    """从存储的事件重新推导哈希链，报告第一个被篡改、删除或插入的位置，并检查每个封存点。
    Re-derive the chain from the stored events; report the first altered, deleted or inserted position,
    and the first sealed checkpoint that no longer holds."""
    require_role(who, AUDITOR)
    expected = _noted(checkpoint)
    report = await asyncio.to_thread(verify_all, runtime_of(request), expected)
    return report_json(report)


def _noted(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    try:
        return parse_noted(text)
    except InvalidNotedCheckpoint as error:
        raise ApiProblem(422, error.type_slug, "Invalid checkpoint", str(error)) from None


@router.post("/audit/checkpoints", status_code=201, summary="封存哈希链头 Seal the chain head (auditor)",
             response_model=schemas.CheckpointOut)
async def seal_chain_head(body: schemas.CheckpointIn, request: Request, who: Who):
    """记录当前哈希链头（位置与链环）为一个封存点事件，可同时封存一张科目余额表的摘要。
    Record the current chain head (position and link) as a checkpoint event — who, when, why — with an
    optional SHA-256 of a trial balance as recorded at the position read."""
    require_role(who, AUDITOR)
    runtime = runtime_of(request)
    statement = None
    with read(request) as (tx, position):
        head = chain_head(tx)
        if body.statement is not None:
            statement = _statement_digest(tx, runtime, who, body.statement, position)
    if head is None:
        raise ApiProblem(422, "nothing-to-seal", "Nothing to seal", "the log is empty: there is no chain head")
    head_position, head_link = head[0], head[1].hex()

    def command(uow: UnitOfWork, audit: Audit) -> dict[str, Any]:
        number = seal_checkpoint(uow, audit, head_position, head_link, statement)
        return {"number": number, "head_position": head_position, "head_link": head_link,
                "sealed_at": None, "sealed_by": audit.actor, "reason": audit.reason, "statement": statement}

    return await write(request, who, body.reason, command, lambda result: (201, result), schemas.CheckpointOut)


def _statement_digest(tx: Transaction, runtime, who: Principal, statement: schemas.StatementIn,
                      position: int) -> dict[str, Any]:
    info = readable_book(tx, who, statement.book_code)
    as_of = reading_date(statement.as_of)
    start = _period_start(as_of, statement.from_date)
    tb = trial_balance_as_recorded(tx, info, start, as_of, position,
                                   opening_lines_from_log(tx, runtime.app, info.book_code))
    return {"kind": "trial_balance", "book_code": info.book_code, "period_start": start.isoformat(),
            "as_of": as_of.isoformat(), "position": position, "sha256": trial_balance_digest(tb)}


@router.get("/audit/checkpoints", summary="封存点列表 Sealed checkpoints (auditor)",
            response_model=schemas.CheckpointListOut)
def list_checkpoints(request: Request, who: Who, limit: int | None = None,
                     cursor: Annotated[int | None, Query(ge=0, le=2**62)] = None):
    """全部封存点（按编号）：谁、何时、为何、封存的位置与链环；报表摘要按其日志位置重算核对。
    Every checkpoint by number: who, when, why, the sealed position and link; a sealed statement digest
    is recomputed at its position (``still_matches``). A statement of a book outside the token's scope is
    left out."""
    require_role(who, AUDITOR)
    size = page_limit(limit)
    runtime = runtime_of(request)
    with read(request) as (tx, position):
        events, next_cursor = stream_events(tx, str(REGISTER_ID), cursor or 0, size)
        sealed = [e for e in events if e.event_type == "CheckpointRegister.Sealed"]
        states = fold_states(runtime.app, str(REGISTER_ID), [e.stream_version for e in sealed])
        checkpoints = [_checkpoint_json(tx, runtime, who, e, states[e.stream_version].event) for e in sealed]
    return {"checkpoints": checkpoints, "next_cursor": next_cursor, "log_position": position}


def _checkpoint_json(tx: Transaction, runtime, who: Principal, e, fields: dict[str, Any]) -> dict[str, Any]:
    statement = None
    if fields.get("statement_sha256") and fields.get("statement_book"):
        info = book_info(tx, fields["statement_book"])
        if info is not None and who.scope.covers(info.community_id, info.township_id):
            statement = {"kind": fields["statement_kind"], "book_code": info.book_code,
                         "period_start": fields["statement_from"], "as_of": fields["statement_as_of"],
                         "position": fields["statement_position"], "sha256": fields["statement_sha256"]}
            tb = trial_balance_as_recorded(tx, info, date.fromisoformat(statement["period_start"]),
                                           date.fromisoformat(statement["as_of"]), int(statement["position"]),
                                           opening_lines_from_log(tx, runtime.app, info.book_code))
            statement["still_matches"] = trial_balance_digest(tb) == statement["sha256"]
    return {"number": fields["number"], "event_position": e.position, "head_position": fields["head_position"],
            "head_link": fields["head_link"], "sealed_at": e.recorded_at, "sealed_by": e.actor or "",
            "reason": e.reason or "", "statement": statement}


# --- the history of one aggregate -------------------------------------------------------------------
HistoryLimit = Annotated[int, Query(ge=1, le=HISTORY_MAX_LIMIT, description=(
    f"每页事件数 Events per page (at most {HISTORY_MAX_LIMIT}: each carries two states)"))]
VersionCursor = Annotated[int | None, Query(ge=0, le=2**62, description="上一页给出的游标 next_cursor of the last page")]


#: A stored event that cannot be folded (see ``_folding``): declared, so the OpenAPI names every answer.
NOT_READABLE = {409: {"description": "历史无法重建 A stored event of the stream cannot be decoded (history-not-readable)",
                      "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}


@router.get("/audit/aggregates/{stream_id}/history", summary="聚合事件史 History of an aggregate by stream id (auditor)",
            response_model=schemas.AggregateHistoryOut, responses=NOT_READABLE)
def aggregate_history(stream_id: str, request: Request, who: Who, limit: HistoryLimit = HISTORY_DEFAULT_LIMIT,
                      cursor: VersionCursor = None):
    """一个聚合（按事件列表中的 stream_id）的全部事件：操作人、角色、时间（UTC）、原因、幂等键、日志位置、
    哈希链环，以及每个事件前后的状态。
    Every event of one aggregate (the ``stream_id`` of ``GET /events``) with actor, role, time (UTC), reason,
    idempotency key, log position and chain link, and the aggregate's state before and after each event.
    A token scoped to communities or a township is answered 403 for any id outside its scope, known or not."""
    require_role(who, AUDITOR)
    canonical = canonical_stream_id(stream_id)
    with read(request) as (tx, position):
        ref = stream_ref(tx, canonical) if canonical else None
        _require_stream_in_scope(tx, who, ref, stream_id)
        assert ref is not None
        return _stream_page(tx, request, ref, cursor or 0, limit, position)


@router.get("/audit/history", summary="聚合事件史 History of an aggregate by its book and code (auditor)",
            response_model=schemas.AggregateHistoryOut, responses=NOT_READABLE)
def aggregate_history_by_code(request: Request, who: Who,
                              book: Annotated[str, Query(max_length=64, description="账套 Book code")],
                              kind: Annotated[str, Query(max_length=40, description=(
                                  "种类 voucher, book, month, organisation, member, lease, tenant, shop-front, "
                                  "household, fund, works, distribution, project, billing-run, subsidy-claim, …"))],
                              id: Annotated[str | None, Query(max_length=100, description=(
                                  "编号 Voucher number, lease code, member id, household id, month (YYYY-MM), fund "
                                  "code …; for book and organisation the book code (default)"))] = None,
                              limit: HistoryLimit = HISTORY_DEFAULT_LIMIT, cursor: VersionCursor = None):
    """按账套与业务编号查聚合的事件史（凭证号、租约号、成员号、住户号……），内容同上。
    The same history, addressed as callers know aggregates: a voucher number, lease code, member id,
    household id, month. A voucher's history is its recording, its reversal mark and its red voucher."""
    require_role(who, AUDITOR)
    code = id or book
    with read(request) as (tx, position):
        info = readable_book(tx, who, book)
        if kind == VOUCHER_KIND:
            return _voucher_history(tx, request, info.book_code, code, position)
        streams = streams_named(tx, info.book_code, kind, code)
        if not streams:
            raise ApiProblem(404, "aggregate-not-found", "Aggregate not found",
                             f"no {kind} {code!r} in book {book!r}")
        if len(streams) > 1:
            raise ApiProblem(422, "ambiguous-aggregate", "Ambiguous aggregate",
                             f"{len(streams)} {kind} streams of book {book!r} carry code {code!r}; use"
                             f" /audit/aggregates/{{stream_id}}/history with one of: {', '.join(streams[:20])}")
        ref = stream_ref(tx, streams[0])
        assert ref is not None
        return _stream_page(tx, request, ref, cursor or 0, limit, position)


def _require_stream_in_scope(tx: Transaction, who: Principal, ref: StreamRef | None, asked: str) -> None:
    """Unknown → 404 for an auditor of everything; for a scoped auditor unknown and out of scope are one 403."""
    if who.scope.kind == "all":
        if ref is None:
            raise ApiProblem(404, "aggregate-not-found", "Aggregate not found", f"no aggregate {asked[:64]!r}")
        return
    info = book_info(tx, ref.book_code) if ref is not None and ref.book_code else None
    if info is None or not who.scope.covers(info.community_id, info.township_id):
        raise ApiProblem(403, "out-of-scope", "Forbidden",
                         f"no aggregate {asked[:64]!r} within this token's scope ({who.scope})")


def _event_json(e, change) -> dict[str, Any]:
    return {"position": e.position, "stream_id": e.stream_id, "stream_version": e.stream_version,
            "event_type": e.event_type, "actor": e.actor, "role": e.role, "reason": e.reason,
            "idempotency_key": e.idempotency_key, "recorded_at": e.recorded_at, "chain_link": e.chain_link,
            "event": change.event if change else {}, "state_before": change.before if change else None,
            "state_after": change.after if change else None}


@contextmanager
def _folding(stream_id: str) -> Iterator[None]:
    """A stored event that cannot be decoded or applied (a row forged in the store) is a 409, not a 500."""
    try:
        yield
    except ApiProblem:
        raise
    except Exception as error:  # noqa: BLE001 - any failure of the library's decoding or an aggregate's apply
        raise ApiProblem(409, "history-not-readable", "History cannot be rebuilt",
                         f"the stored events of stream {stream_id} cannot be folded ({type(error).__name__});"
                         " run anju verify") from None


def _stream_page(tx: Transaction, request: Request, ref: StreamRef, after: int, limit: int,
                 position: int) -> dict[str, Any]:
    events, next_cursor = stream_events(tx, ref.stream_id, after, limit)
    with _folding(ref.stream_id):
        states = fold_states(runtime_of(request).app, ref.stream_id, [e.stream_version for e in events])
    return {"stream_id": ref.stream_id, "kind": ref.kind, "book_code": ref.book_code, "code": ref.code,
            "events": [_event_json(e, states.get(e.stream_version)) for e in events], "next_cursor": next_cursor,
            "log_position": position}


def _voucher_history(tx: Transaction, request: Request, book_code: str, number: str, position: int) -> dict[str, Any]:
    trail = voucher_trail(tx, book_code, number)
    if trail is None:
        raise ApiProblem(404, "voucher-not-found", "Voucher not found", f"no voucher {number!r} in book {book_code!r}")
    app = runtime_of(request).app
    positions = [trail.recorded_position] + ([trail.red_position] if trail.red_position else [])
    events = events_at(tx, positions)
    with _folding(trail.month_stream):
        if trail.red_number:
            events += [m for m in reversal_marks(tx, trail.month_stream) if is_mark_of(app, m, trail.sequence)]
        events.sort(key=lambda e: e.position)
        states = voucher_states(app, trail, events)
    return {"stream_id": trail.month_stream, "kind": "voucher", "book_code": book_code, "code": number,
            "events": [_event_json(e, states.get(e.position)) for e in events], "next_cursor": None,
            "log_position": position}


# --- statements as recorded by a past log position -----------------------------------------------------
@router.get("/audit/books/{book_code}/trial-balance", summary="科目余额表：当时所记与更正后 Trial balance as recorded"
            " then and as corrected since (auditor)", response_model=schemas.AsRecordedTrialBalanceOut)
def trial_balance_as_recorded_then(
        book_code: str, request: Request, who: Who, as_of: AsOf = None,
        as_recorded_at: Annotated[str, Query(max_length=40, description=(
            "记录截至 A log position, or a UTC timestamp with offset (the last position recorded by then)"))] = "",
        from_date: Annotated[date | None, Query(alias="from")] = None):
    """科目余额表（截至 as_of 的业务日期）按 as_recorded_at 时的日志所记，与按现在的日志（更正后）并列：
    逐科目差异，以及其间记录、影响该表的凭证（补记、红字冲销）。资产负债表亦同。
    The trial balance for ``as_of`` as the log stood at ``as_recorded_at`` beside the same statement as
    corrected since (the position read), with per-account differences, the vouchers recorded in between
    that reach it (back-dated ones, red reversals) and the balance-sheet lines of both versions."""
    require_role(who, AUDITOR)
    if not as_recorded_at.strip():
        raise ApiProblem(422, "invalid-as-recorded-at", "Invalid as_recorded_at",
                         "as_recorded_at is required: a log position or a UTC timestamp")
    as_of = reading_date(as_of)
    start = _period_start(as_of, from_date)
    runtime = runtime_of(request)
    with read(request) as (tx, position):
        info = readable_book(tx, who, book_code)
        try:
            then = resolve_as_recorded_at(tx, as_recorded_at, position, datetime.now(timezone.utc))
        except AsRecordedRuleBroken as error:
            raise ApiProblem(422, error.type_slug, "Invalid as_recorded_at", str(error)) from None
        comparison = compare_as_recorded(tx, info, start, as_of, then, position,
                                         opening_lines_from_log(tx, runtime.app, info.book_code))
    return _comparison_json(comparison, as_recorded_at, position)


def _tb_json(tb, position: int) -> dict[str, Any]:
    rows = [{"account_code": r.account.code, "name_zh": r.account.name_zh, "name_en": r.account.name_en,
             "level": r.account.level, "opening": figure_json(r.opening), "period_debit": money(r.period_debit),
             "period_credit": money(r.period_credit), "closing": figure_json(r.closing),
             "balance": money(r.closing_signed)} for r in tb.rows]
    return {"position": position, "rows": rows, "totals": {k: money(v) for k, v in tb.totals.items()},
            "balanced": tb.balanced, "sha256": trial_balance_digest(tb)}


def _figures_json(figures: dict[str, Decimal]) -> dict[str, str]:
    return {k: money(v) for k, v in figures.items()}


def _comparison_json(c, as_recorded_at: str, position: int) -> dict[str, Any]:
    sheet = []
    recorded = {**c.sheet_recorded, **{f"total_{k}": v for k, v in c.sheet_totals_recorded.items()}}
    corrected = {**c.sheet_corrected, **{f"total_{k}": v for k, v in c.sheet_totals_corrected.items()}}
    for key in [*c.sheet_corrected, *(k for k in c.sheet_recorded if k not in c.sheet_corrected),
                *(f"total_{k}" for k in c.sheet_totals_corrected)]:
        then, now = recorded.get(key, 0), corrected.get(key, 0)
        sheet.append({"key": key, "recorded": money(from_fen(then)), "corrected": money(from_fen(now)),
                      "difference": money(from_fen(now - then))})
    return {
        "title_zh": "科目余额表（当时所记与更正后）", "title_en": "Trial balance as recorded and as corrected",
        "book_code": c.book.book_code, "period_start": c.period_start.isoformat(), "as_of": c.as_of.isoformat(),
        "as_recorded_at": as_recorded_at, "recorded": _tb_json(c.recorded, c.recorded_position),
        "corrected": _tb_json(c.corrected, c.corrected_position),
        "differences": [{"account_code": d["account"].code, "name_zh": d["account"].name_zh,
                         "name_en": d["account"].name_en, "level": d["account"].level,
                         "recorded": _figures_json(d["recorded"]), "corrected": _figures_json(d["corrected"]),
                         "difference": _figures_json(d["difference"])} for d in c.differences],
        "changes": [{**asdict(ch), "total": money(ch.total)} for ch in c.changes],
        "changes_truncated": c.changes_truncated, "balance_sheet": sheet, "log_position": position,
    }
