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
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
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


class ProblemFieldError(BaseModel):
    """One broken constraint of an invalid request (``invalid-request`` problems only)."""

    loc: list[str] = Field(description="出错位置 Where: body / query / path / header, then field names")
    msg: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details: every error answer of the API (``application/problem+json``)."""

    type: str = Field(description="问题类型 A stable URI per broken rule, " + PROBLEM_BASE + "<slug>")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    instance: str | None = None
    errors: list[ProblemFieldError] | None = Field(None, description="invalid-request only: each broken field")


#: Which problems an operation may answer, and when (see ``document_problems``).
PROBLEM_RESPONSES = {
    "400": "无法解析 The body is not well-formed JSON (malformed-body)",
    "401": "未认证 No or unknown bearer token (unauthenticated)",
    "403": "无权限 The token's role or scope does not allow this (forbidden-role, out-of-scope)",
    "404": "不存在 A book, organisation, lease, fund, … named in the path does not exist",
    "409": "冲突 The request conflicts with recorded state (already exists, period closed, "
           "Idempotency-Key reused with another body, concurrent modification)",
    "413": "请求过大 The body is over 4 MiB (request-too-large)",
    "422": "规则不符 Invalid request or a broken rule, named by its type (invalid-request, invalid-text, …)",
    "503": "暂不可用 The store did not answer or the request timed out; retry",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def _needs_token(dependant) -> bool:
    from api.auth import principal

    return any(dep.call is principal or _needs_token(dep) for dep in dependant.dependencies)


def _api_routes(app: FastAPI):
    """Every API route with its effective path, included routers' routes too."""
    from fastapi import routing

    contexts = routing.iter_route_contexts(app.routes) if hasattr(routing, "iter_route_contexts") else app.routes
    for context in contexts:
        if isinstance(getattr(context, "original_route", context), APIRoute):
            yield context


def _names_a_thing(parameter: dict) -> bool:
    """A path parameter, or a query filter naming a book or an id, may name what does not exist."""
    name = parameter.get("name", "")
    return parameter.get("in") == "path" or (parameter.get("in") == "query" and (
        name in ("book", "id") or name.endswith(("_code", "_id"))))


def _problems_of(method: str, operation: dict, authenticated: bool) -> list[str]:
    """The problem statuses an operation can answer: the edge's (422 invalid-text and 503 on every
    operation, 400 and 413 where a body is taken), auth's (401, 403), 404 where a parameter names a
    thing and on writes (bodies name things too), 409 on writes."""
    codes = ["422", "503"]
    if "requestBody" in operation:
        codes += ["400", "413"]
    if authenticated:
        codes += ["401", "403"]
    if method in WRITE_METHODS:  # a write's body names things too (a lease's tenant, a checkpoint's book)
        codes += ["404", "409"]
    elif any(_names_a_thing(p) for p in operation.get("parameters", ())):
        codes.append("404")
    return sorted(codes)


def document_problems(app: FastAPI, schema: dict) -> dict:
    """Declare every operation's problem+json error answers in the OpenAPI document, in place.

    A post-processing step over the generated document (not a ``responses=`` per router), so
    every router included now or later is covered. FastAPI's own 422 (``HTTPValidationError``,
    ``application/json``) is replaced: this API's 422 is a problem too. Answers an operation
    declares itself for a status (``/healthz``'s 503) are kept."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(problem_schema.pop("$defs", {}))
    components["Problem"] = problem_schema
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    content = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    routes = {(route.path_format, method.lower()): route for route in _api_routes(app) for method in route.methods}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            route = routes.get((path, method))
            authenticated = route is not None and _needs_token(route.dependant)
            responses = operation.setdefault("responses", {})
            if "HTTPValidationError" in str(responses.get("422", "")):
                del responses["422"]
            for code in _problems_of(method, operation, authenticated):
                responses.setdefault(code, {"description": PROBLEM_RESPONSES[code], "content": content})
    return schema


def install_openapi(app: FastAPI) -> None:
    """The app's OpenAPI document (FastAPI's, cached by it) with every operation's problems declared."""
    generate = app.openapi

    def openapi() -> dict:
        return document_problems(app, generate())  # idempotent; FastAPI regenerates when routes change

    app.openapi = openapi


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
        slug = {400: "malformed-body", 404: "not-found", 405: "method-not-allowed", 413: "request-too-large"}.get(
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


__all__ = ["ApiProblem", "Problem", "document_problems", "install", "install_openapi", "problem", "register_conflict", "BookRuleBroken"]
