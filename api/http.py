"""Shared HTTP plumbing for routes: the write helper, reads with their log position, dates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from api.auth import runtime_of
from api.runtime import Principal
from ledger.idempotency import fingerprint
from ledger.sqldb import Transaction
from ledger.writer import UnitOfWork

CHINA_STANDARD_TIME = timezone(timedelta(hours=8))
DEFAULT_LIMIT = 100
MAX_LIMIT = 1_000


def today_cst() -> date:
    """Business dates are calendar dates in China Standard Time."""
    return datetime.now(CHINA_STANDARD_TIME).date()


async def write(request: Request, who: Principal, reason: str, command: Callable[[UnitOfWork], Any],
                render: Callable[[Any], tuple[int, dict[str, Any]]]) -> JSONResponse:
    """Run one command for the caller, honouring ``Idempotency-Key``; answer with its log position."""
    runtime = runtime_of(request)
    key = request.headers.get("idempotency-key")
    audit = who.audit(reason, key)
    body = await request.body()
    request_sha256 = fingerprint(request.method, request.url.path, body)
    status, payload, position = await runtime.write(command, audit, request_sha256, render)
    if isinstance(payload, dict) and "log_position" not in payload:
        payload = {**payload, "log_position": position}
    headers = {"Idempotency-Key": key} if key else None
    return JSONResponse(payload, status_code=status, headers=headers)


@contextmanager
def read(request: Request) -> Iterator[tuple[Transaction, int]]:
    """One read transaction, with the log position every read model had reached in it."""
    runtime = runtime_of(request)
    runtime.read_your_writes()
    with runtime.db.transaction(write=False) as tx:
        row = tx.query_one("SELECT MIN(position) FROM anju_tracking")
        yield tx, int(row[0]) if row and row[0] is not None else 0


def page_limit(limit: int | None) -> int:
    from api.errors import ApiProblem

    if limit is None:
        return DEFAULT_LIMIT
    if limit < 1 or limit > MAX_LIMIT:
        raise ApiProblem(422, "invalid-limit", "Invalid limit", f"limit must be between 1 and {MAX_LIMIT}")
    return limit
