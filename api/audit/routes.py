"""Auditors: the global event history with its chain links, and chain verification."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict

from api.auth import AUDITOR, principal, require_role, runtime_of
from api.http import page_limit, read
from api.runtime import Principal
from api.schemas import Out
from projections.books import book_scopes
from projections.history import EventRow, events_page

router = APIRouter(tags=["audit 审计"])
Who = Annotated[Principal, Depends(principal)]


class LoggedEventOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    position: int
    event_type: str
    book_code: str | None
    actor: str | None
    role: str | None
    reason: str | None
    idempotency_key: str | None
    recorded_at: str
    stream_id: str
    stream_version: int
    chain_link: str | None


class EventListOut(Out):
    events: list[LoggedEventOut]
    next_cursor: int | None


class VerifyOut(BaseModel):
    ok: bool
    events_checked: int
    head_position: int | None
    head_link: str | None
    first_bad_position: int | None
    problem: str | None
    detail: str | None


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


@router.get("/audit/verify", summary="校验哈希链 Verify the hash chain (auditor)", response_model=VerifyOut)
async def verify_chain(request: Request, who: Who):
    """从存储的事件重新推导哈希链，报告第一个被篡改、删除或插入的位置。
    Re-derive the chain from the stored events; report the first altered, deleted or inserted position."""
    require_role(who, AUDITOR)
    report = await asyncio.to_thread(runtime_of(request).verify)
    return {"ok": report.ok, "events_checked": report.events_checked, "head_position": report.head_position,
            "head_link": report.head_link, "first_bad_position": report.first_bad_position,
            "problem": report.problem, "detail": report.detail}
