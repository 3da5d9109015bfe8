"""Shared HTTP plumbing of every capability's routes.

* ``write``: run one command through the group-commit writer. The audit stamp (actor,
  role, reason and the request's ``Idempotency-Key``) is built here, once, and handed to
  the command as ``command(uow, audit)``: no route builds a stamp of its own, so no event
  can miss the key (DOMAIN.md §7).
* ``read``: one read transaction with the log position the read models had reached
  (``read_book``: in a book the caller may read).
* ``writable_book`` / ``readable_book``: "a book I may write" (checked on the aggregate,
  inside the command; ``in_book`` wraps a use case in that check) and "a book I may read"
  (checked on the read model); ``recorded_for``: "an organisation or a fund I may write",
  checked the same way on its own aggregate.
* ``reading_date``: the one rule for a missing ``as_of`` — today in China Standard Time;
  ``income_period``: the year an income statement covers, read as of that date.
* ``readable``: what a read found (a book, an organisation, a fund), if the caller may read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.auth import require_read, require_write, runtime_of
from api.errors import ApiProblem
from api.runtime import Principal
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.book import Book
from ledger.calendar import today_cst
from ledger.idempotency import fingerprint
from ledger.sqldb import Transaction
from ledger.writer import UnitOfWork
from projections.ledger_reports import BookInfo, book_info
from projections.runner import tracked_position

DEFAULT_LIMIT = 100
MAX_LIMIT = 1_000
YEAR_MIN, YEAR_MAX = 2000, 2100

#: A command as routes hand it to ``write``: it receives the unit of work and the stamp.
Command = Callable[[UnitOfWork, Audit], Any]
AsOf = Annotated[date | None, Query(description="截至日期 Business date to report as of (default: today, CST)")]
#: What a code in a path (a book, shop-front, tenant, lease, household) looks like.
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
PathCode = Annotated[str, Path(pattern=CODE_PATTERN)]
BookCode = PathCode


class Scoped(Protocol):
    """What a read finds that a token's scope decides on: a book, an organisation, a fund."""

    community_id: str
    township_id: str


Found = TypeVar("Found", bound=Scoped)


async def write(request: Request, who: Principal, reason: str, command: Command,
                render: Callable[[Any], tuple[int, dict[str, Any]]],
                response_model: type[BaseModel] | None = None) -> JSONResponse:
    """Run one command for the caller, honouring ``Idempotency-Key``; answer with its log position.

    ``render`` turns the command's result into (status, body); with ``response_model`` the
    body is checked against the schema the OpenAPI promises before it is remembered.
    """
    runtime = runtime_of(request)
    key = request.headers.get("idempotency-key")
    audit = who.audit(reason, key)
    body = await request.body()
    request_sha256 = fingerprint(request.method, request.url.path, body)

    def stamped(uow: UnitOfWork) -> Any:
        return command(uow, audit)

    def rendered(result: Any) -> tuple[int, dict[str, Any]]:
        status, payload = render(result)
        if response_model is not None and 200 <= status < 300:
            payload = response_model.model_validate(payload).model_dump(mode="json", by_alias=True)
            if payload.get("log_position") is None:
                payload.pop("log_position", None)  # filled in below with the command's position
        return status, payload

    status, payload, position = await runtime.write(stamped, audit, request_sha256, rendered)
    if isinstance(payload, dict) and "log_position" not in payload:
        payload = {**payload, "log_position": position}
    headers = {"Idempotency-Key": key} if key else None
    return JSONResponse(payload, status_code=status, headers=headers)


@contextmanager
def read(request: Request, scope: Callable[[Transaction], Any] | None = None) -> Iterator[tuple[Transaction, int]]:
    """One read transaction, with the log position every read model had reached in it; ``scope`` first checks
    that the caller may read what the route reads (``readable_book``, a fund, an organisation)."""
    runtime = runtime_of(request)
    runtime.read_your_writes()
    with runtime.db.transaction(write=False) as tx:
        position = tracked_position(tx)
        if scope is not None:
            scope(tx)
        yield tx, position


def read_book(request: Request, who: Principal, book_code: str) -> AbstractContextManager[tuple[Transaction, int]]:
    """``read`` in a book the caller may read (``readable_book``)."""
    return read(request, lambda tx: readable_book(tx, who, book_code))


def writable_book(uow: UnitOfWork, who: Principal, book_code: str) -> Book:
    """The book, if the caller may record in it (checked on the aggregate, not a read model)."""
    book = bookkeeping.get_book(uow, book_code)
    require_write(who, book.community_id, book.township_id)
    return book


def in_book(who: Principal, book_code: str, use_case: Command) -> Command:
    """The command: the caller may record in the book (``writable_book``), then the use case."""
    return recorded_for(who, lambda uow: bookkeeping.get_book(uow, book_code), use_case)


def recorded_for(who: Principal, owner: Callable[[UnitOfWork], Any],
                 use_case: Callable[[UnitOfWork, Audit], Any]) -> Callable[[UnitOfWork, Audit], Any]:
    """The command: the caller may record for the aggregate ``owner`` gets (an organisation, a fund: checked on
    its community and township, not on a read model), then the use case."""

    def command(uow: UnitOfWork, audit: Audit) -> Any:
        found = owner(uow)
        require_write(who, found.community_id, found.township_id)
        return use_case(uow, audit)

    return command


def readable(who: Principal, found: Found | None, slug: str, title: str, detail: str) -> Found:
    """What a read found, if the caller may read it; a 404 ``slug`` when nothing was found (before the scope check)."""
    if found is None:
        raise ApiProblem(404, slug, title, detail)
    require_read(who, found.community_id, found.township_id)
    return found


def readable_book(tx: Transaction, who: Principal, book_code: str) -> BookInfo:
    """The book, if the caller may read it; 404 when there is none (before the scope check)."""
    return readable(who, book_info(tx, book_code), "book-not-found", "Book not found", f"no book {book_code!r}")


def reading_date(as_of: date | None) -> date:
    """A missing ``as_of`` means today (China Standard Time); it stays within the years a ledger holds."""
    day = as_of or today_cst()
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise ApiProblem(422, "invalid-as-of", "Invalid as_of", f"as_of must lie in {YEAR_MIN}–{YEAR_MAX}")
    return day


def income_period(year: int | None, as_of: date | None) -> tuple[int, date]:
    """The year an income statement covers (default: as_of's) and the day it is read as of (``reading_date``);
    a year that begins after that day is a 422."""
    day = reading_date(as_of)
    year = year or day.year
    if date(year, 1, 1) > day:
        raise ApiProblem(422, "invalid-period", "Invalid period", f"as_of {day} is before {year} begins")
    return year, day


def page_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if limit < 1 or limit > MAX_LIMIT:
        raise ApiProblem(422, "invalid-limit", "Invalid limit", f"limit must be between 1 and {MAX_LIMIT}")
    return limit
