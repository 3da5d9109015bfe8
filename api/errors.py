"""RFC 9457 problem+json for every error, with a stable ``type`` per broken rule.

Domain errors carry a ``type_slug``; this module maps error classes to HTTP status
codes. Anything unexpected still answers problem+json (and is logged), never a bare 500 page.
"""

from __future__ import annotations

import logging

from eventsourcing.persistence import IntegrityError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ledger.book import (
    BookRuleBroken,
    PeriodClosed,
    PeriodCloseOutOfOrder,
    PeriodNotClosed,
    ReopenNeedsAuditor,
    VoucherAlreadyReversed,
)
from ledger.idempotency import IdempotencyKeyReused
from ledger.writer import AlreadyExists, NotFound

log = logging.getLogger("anju.api")

PROBLEM_BASE = "https://anju.example/problems/"
PROBLEM_JSON = "application/problem+json"


class ApiProblem(Exception):
    """An error raised by the API layer itself (auth, scope, limits)."""

    def __init__(self, status: int, slug: str, title: str, detail: str = "") -> None:
        super().__init__(detail or title)
        self.status = status
        self.type_slug = slug
        self.title = title
        self.detail = detail or title


#: Error classes whose status is not 422 (the default for a broken rule).
STATUS_BY_CLASS: list[tuple[type[BaseException], int]] = [
    (NotFound, 404),
    (LookupError, 404),
    (ReopenNeedsAuditor, 403),
    (PeriodClosed, 409),
    (PeriodCloseOutOfOrder, 409),
    (PeriodNotClosed, 409),
    (VoucherAlreadyReversed, 409),
    (AlreadyExists, 409),
    (IdempotencyKeyReused, 409),
]
CONFLICT_SLUGS = {"book-already-exists"}


def register_conflict(*classes: type[BaseException], status: int = 409) -> None:
    """Domain capabilities name which of their rule errors are conflicts (409) or 404s."""
    for cls in classes:
        STATUS_BY_CLASS.insert(0, (cls, status))


def problem(status: int, slug: str, title: str, detail: str, **extra: object) -> JSONResponse:
    body = {"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def status_for(error: BaseException) -> int:
    if getattr(error, "type_slug", None) in CONFLICT_SLUGS:
        return 409
    for cls, status in STATUS_BY_CLASS:
        if isinstance(error, cls):
            return status
    return 422


def _title(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiProblem)
    async def api_problem(_: Request, error: ApiProblem) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        response = problem(error.status, error.type_slug, error.title, error.detail)
        if headers:
            response.headers.update(headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in error.errors()
        ][:50]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:5])
        return problem(422, "invalid-request", "Invalid request", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        slug = {404: "not-found", 405: "method-not-allowed", 413: "request-too-large"}.get(
            error.status_code, "http-error")
        return problem(error.status_code, slug, _title(slug), str(error.detail))

    @app.exception_handler(IntegrityError)
    async def conflict(_: Request, error: IntegrityError) -> JSONResponse:
        return problem(409, "concurrent-modification", "Concurrent modification",
                       "another request changed the same records at the same time; retry")

    @app.exception_handler(OperationalError)
    async def unavailable(_: Request, error: OperationalError) -> JSONResponse:
        log.warning("store unavailable: %s", error)
        return problem(503, "store-unavailable", "Store unavailable", "the event store did not answer; retry")

    @app.exception_handler(TimeoutError)
    async def timeout(_: Request, error: TimeoutError) -> JSONResponse:
        return problem(503, "timeout", "Timed out", "the request did not complete in time; retry")

    @app.exception_handler(ValueError)
    async def rule_broken(_: Request, error: ValueError) -> JSONResponse:
        slug = getattr(error, "type_slug", "invalid-input")
        return problem(status_for(error), slug, _title(slug), str(error))

    @app.exception_handler(LookupError)
    async def not_found(_: Request, error: LookupError) -> JSONResponse:
        slug = getattr(error, "type_slug", "not-found")
        return problem(status_for(error), slug, _title(slug), str(error).strip("'\""))

    @app.exception_handler(OverflowError)
    async def overflow(_: Request, error: OverflowError) -> JSONResponse:
        return problem(422, "number-out-of-range", "Number out of range", "a number in the request is too large")

    import psycopg

    @app.exception_handler(psycopg.errors.DataError)
    async def data_error(_: Request, error: Exception) -> JSONResponse:
        return problem(422, "invalid-input", "Invalid input", "a value in the request is out of range")

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return problem(500, "internal-error", "Internal error", "an unexpected error occurred")


__all__ = ["ApiProblem", "install", "problem", "register_conflict", "BookRuleBroken"]
