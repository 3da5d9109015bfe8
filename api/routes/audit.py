"""Auditors: the global event history with its chain links, and chain verification."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from api.auth import AUDITOR, principal, require_role, runtime_of
from api.http import page_limit, read
from api.runtime import Principal

router = APIRouter(tags=["audit 审计"])
Who = Annotated[Principal, Depends(principal)]


@router.get("/events", summary="全局事件历史 Global event history (auditor)")
def list_events(request: Request, who: Who, after: Annotated[int, Query(ge=0, le=2**62)] = 0, limit: int | None = None, as_of: date | None = None,
                book_code: str | None = None):
    """按日志顺序列出全部事件：操作人、时间（UTC）、原因、幂等键、哈希链环。
    Every event in log order with actor, time (UTC), reason, idempotency key and chain link."""
    require_role(who, AUDITOR)
    size = page_limit(limit)
    with read(request) as (tx, position):
        sql = ("SELECT e.position, e.event_type, e.book_code, e.actor, e.role, e.reason, e.idempotency_key,"
               " e.recorded_at, e.originator_id, e.originator_version, c.link FROM anju_event_index e"
               " LEFT JOIN anju_chain c ON c.position = e.position WHERE e.position > ?")
        params: list[Any] = [after]
        if book_code is not None:
            sql += " AND e.book_code = ?"
            params.append(book_code)
        if as_of is not None:
            sql += " AND e.recorded_at < ?"
            params.append(as_of.isoformat() + "T99")
        rows = tx.query(sql + " ORDER BY e.position LIMIT ?", [*params, size + 1])
    events = [{
        "position": r[0], "event_type": r[1], "book_code": r[2], "actor": r[3], "role": r[4],
        "reason": r[5], "idempotency_key": r[6], "recorded_at": r[7], "stream_id": r[8],
        "stream_version": r[9], "chain_link": bytes(r[10]).hex() if r[10] is not None else None,
    } for r in rows[:size]]
    if who.scope.kind != "all":
        events = _in_scope(request, who, events)
    next_cursor = rows[size - 1][0] if len(rows) > size else None
    return {"events": events, "next_cursor": next_cursor, "log_position": position}


def _in_scope(request: Request, who: Principal, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An auditor scoped to a township or communities sees only their books' events."""
    with read(request) as (tx, _):
        books = {code: (community, township) for code, community, township in
                 tx.query("SELECT book_code, community_id, township_id FROM anju_books")}
    return [e for e in events if e["book_code"] in books and who.scope.covers(*books[e["book_code"]])]


@router.get("/audit/verify", summary="校验哈希链 Verify the hash chain (auditor)")
async def verify_chain(request: Request, who: Who):
    """从存储的事件重新推导哈希链，报告第一个被篡改、删除或插入的位置。
    Re-derive the chain from the stored events; report the first altered, deleted or inserted position."""
    require_role(who, AUDITOR)
    report = await asyncio.to_thread(runtime_of(request).verify)
    return {"ok": report.ok, "events_checked": report.events_checked, "head_position": report.head_position,
            "head_link": report.head_link, "first_bad_position": report.first_bad_position,
            "problem": report.problem, "detail": report.detail}
