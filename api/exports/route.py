"""The export middleware: ``?format=xlsx|pdf|csv`` (or ``Accept``) on a GET → a file.

For a file it runs the app's own JSON endpoint unchanged — the same token, role and scope
checks, ``as_of``, pagination and ``log_position`` — and renders that JSON; any answer other
than a 200 (401, 403, 404, 422 …) goes back exactly as the JSON endpoint gave it. The route
that answered (its path template, as the OpenAPI spells it) picks the declaration. Then:

* the header block's book, community and township come from the book's read model
  (``book_info``), the chain head from ``ledger.chain.chain_head`` at the log position the
  answer reflects (the link of the last event the statement includes);
* a declared list route asked for a file without ``limit`` reads its largest page (1,000
  rows); a longer list says so in the file and in ``X-Anju-Next-Cursor`` (one file per page);
* ``format`` other than json/xlsx/pdf/csv is a 422 ``invalid-export-format``; a route with
  no declaration in ``api/exports/tables.py`` asked for a file is a 406 ``not-exportable``
  (after its own checks, so a caller out of scope still gets the JSON endpoint's 403).

It is a middleware, not a wrapper of each route: FastAPI 0.165 serves included routers
through per-include route contexts, so a route's own ASGI slot is not the one that runs.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, quote

import logging
import re
from functools import cache

import anyio
from eventsourcing.persistence import OperationalError
from fastapi.routing import iter_route_contexts
from starlette.routing import compile_path
from starlette.requests import Request
from starlette.responses import Response

from api.errors import ApiProblem, problem
from api.exports import csv_file, document, pdf_file, xlsx_file
from api.exports.tables import BY_PATH, Export, declaration_for
from api.http import MAX_LIMIT, read
from ledger.chain import chain_head
from ledger.money import from_fen
from projections.books import voucher_record
from projections.ledger_reports import book_info

log = logging.getLogger("anju.exports")
FORMATS = {"xlsx": xlsx_file.MEDIA_TYPE, "pdf": pdf_file.MEDIA_TYPE, "csv": csv_file.MEDIA_TYPE}
BY_MEDIA_TYPE = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
                 "application/pdf": "pdf", "text/csv": "csv"}


def requested_format(scope: dict) -> str | None:
    """``format`` from the query (the last one given), else a file media type named in ``Accept``."""
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    given = [value for key, value in pairs if key == "format"]
    if given:
        value = given[-1].strip().lower()
        if value == "json":
            return None
        if value not in FORMATS:
            raise ApiProblem(422, "invalid-export-format", "Invalid export format",
                             f"format must be one of json, {', '.join(FORMATS)}; got {given[-1][:40]!r}")
        return value
    accept = dict(scope.get("headers") or []).get(b"accept", b"").decode("latin-1").lower()
    for media in accept.split(","):
        name = media.split(";")[0].strip()
        if name in BY_MEDIA_TYPE:
            return BY_MEDIA_TYPE[name]
    return None


def inner_query(query_string: bytes, takes_limit: bool) -> bytes:
    """The query without ``format``; with the largest page when the caller named no ``limit``."""
    parts = [p for p in query_string.split(b"&") if p and p.split(b"=")[0] != b"format"]
    if takes_limit and not any(p.split(b"=")[0] == b"limit" for p in parts):
        parts.append(b"limit=%d" % MAX_LIMIT)
    return b"&".join(parts)


@cache
def _pattern(template: str) -> re.Pattern:
    return compile_path(template)[0]


def _declared_match(path: str) -> str | None:
    """A declared template the path fits (decides only the larger page; the route matched decides the rest)."""
    for template in BY_PATH:
        if _pattern(template).match(path):
            return template
    return None


class Exports:
    """ASGI middleware, outermost: a request for a file runs the JSON endpoint, then renders it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._templates: dict[int, str] = {}

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        try:
            fmt = requested_format(scope)
        except ApiProblem as error:
            await problem(error.status, error.type_slug, error.title, error.detail)(scope, receive, send)
            return
        if fmt is None:
            await self.app(scope, receive, send)
            return
        guess = _declared_match(scope.get("path", ""))
        inner = dict(scope, query_string=inner_query(scope.get("query_string", b""), guess is not None))
        status, headers, body = await self._run(inner, receive)
        content_type = dict(headers).get(b"content-type", b"").decode("latin-1")
        if status != 200 or not content_type.startswith("application/json"):
            await _replay(send, status, headers, body)
            return
        template = self._template_of(scope.get("app"), inner.get("route"))
        export = declaration_for(template) if template else None
        if export is None:
            await problem(406, "not-exportable", "Not exportable",
                          f"{template or scope.get('path')} has no export declaration (api/exports/tables.py): "
                          "it answers JSON only")(scope, receive, send)
            return
        try:
            payload = json.loads(body)
            content, filename = await anyio.to_thread.run_sync(_render, export, inner, payload, fmt)
        except ApiProblem as error:
            await problem(error.status, error.type_slug, error.title, error.detail)(scope, receive, send)
            return
        except OperationalError:
            await problem(503, "store-unavailable", "Store unavailable", "the event store did not answer; retry")(
                scope, receive, send)
            return
        except Exception:  # a defect of the renderer: problem+json, never a bare 500 page
            log.exception("export failed")
            await problem(500, "export-failed", "Export failed", "the file could not be rendered")(
                scope, receive, send)
            return
        extra = {"Content-Disposition": _disposition(filename, export.title_en), "Vary": "Accept"}
        cursor = payload.get("next_cursor") if isinstance(payload, dict) else None
        if cursor is not None:
            extra["X-Anju-Next-Cursor"] = quote(str(cursor), safe="")
        await Response(content, media_type=FORMATS[fmt], headers=extra)(scope, receive, send)

    def _template_of(self, app: Any, route: Any) -> str | None:
        """The matched route's path template as the OpenAPI spells it (an included router's prefix too)."""
        if route is None:
            return None
        if id(route) not in self._templates and app is not None:
            for context in iter_route_contexts(app.routes):
                original = getattr(context, "original_route", context)
                template = getattr(context, "path_format", None) or getattr(original, "path", None)
                if template:
                    self._templates.setdefault(id(original), template)
        return self._templates.get(id(route)) or getattr(route, "path", None)

    async def _run(self, scope: dict, receive: Any) -> tuple[int, list, bytes]:
        started: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: dict) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        return int(started.get("status", 500)), list(started.get("headers", [])), b"".join(chunks)

def _render(export: Export, scope: dict, payload: dict, fmt: str) -> tuple[bytes, str]:
    request = Request(scope)
    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    params = {k: str(v) for k, v in (scope.get("path_params") or {}).items()}
    book_code = params.get("book_code") or params.get("fund_code") or payload.get("book_code")
    with read(request) as (tx, _):
        info = book_info(tx, book_code) if isinstance(book_code, str) else None
        position = payload.get("log_position")
        head = chain_head(tx, position if isinstance(position, int) else None)
        slips_json = _vouchers(tx, book_code, payload, query) if export.vouchers and fmt == "pdf" else None
    ctx = document.Context(params, query, info.community_id if info else None,
                           info.township_id if info else None, book_code, info.name if info else None,
                           head[0] if head else None, head[1].hex() if head else None)
    sheet = document.sheet(export, payload, ctx)
    name = _filename(export, book_code or params.get("township_id"), payload, query, fmt)
    if fmt == "xlsx":
        return xlsx_file.render(sheet), name
    if fmt == "csv":
        return csv_file.render(sheet), name
    if slips_json is not None:
        chart = info.chart if info else None

        def account_name(code: str) -> str:
            try:
                return chart.account(code).name_zh if chart else ""
            except (KeyError, LookupError, ValueError):
                return ""

        slips = [document.slip(v, account_name) for v in slips_json]
        return pdf_file.render_slips(slips, sheet.header, info.name if info else (book_code or "")), name
    return pdf_file.render(sheet), name


def _vouchers(tx: Any, book_code: Any, payload: dict, query: dict) -> list[dict]:
    """The vouchers to print: the one answered, or every voucher of the list's page."""
    if "lines" in payload:
        return [payload]
    as_of = document.cell(query.get("as_of"), "date") if query.get("as_of") else None
    result = []
    for item in payload.get("vouchers") or []:
        record = voucher_record(tx, book_code, item["number"], as_of if isinstance(as_of, date) else None)
        if record is None:
            continue
        result.append({"number": record.number, "voucher_date": record.voucher_date, "summary": record.summary,
                       "attachments": record.attachments, "reverses": record.reverses,
                       "reversed_by": record.reversed_by, "recorded_by": record.recorded_by,
                       "total": str(from_fen(int(record.total_fen))),
                       "lines": [{"account_code": a, "subledger": s, "debit": d, "credit": c, "memo": m}
                                 for a, s, d, c, m in record.lines]})
    return result


async def _replay(send: Any, status: int, headers: list, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _filename(export: Export, subject: Any, payload: dict, query: dict, fmt: str) -> str:
    day = payload.get("as_of") or query.get("as_of") or query.get("month") or payload.get("year") or ""
    parts = [str(subject or ""), str(payload.get("number") or ""), str(day)]
    return "_".join(p for p in [export.title_zh, *parts] if p) + f".{fmt}"


def _disposition(filename: str, title_en: str) -> str:
    """An ASCII name (English title, book, date) for old clients, the Chinese one as ``filename*``."""
    stem = title_en.lower().replace(" ", "-") + "_" + filename.split("_", 1)[-1]
    ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in stem)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
