"""Request limits at the edge, before any work is done.

* Bodies are bounded: over ``MAX_BODY_BYTES`` (by ``Content-Length`` or as they stream in,
  chunked or not) is a 413.
* Text a store cannot hold is refused (422 ``invalid-text``), identically on both stores:
  a NUL character (PostgreSQL text cannot contain it) or an unpaired surrogate (not
  encodable as UTF-8) in the path, the query, a header or any string of a JSON body.
  SQLite would store both; refusing them here keeps the stores interchangeable and
  keeps a request from writing an event that a read model cannot apply.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.exceptions import HTTPException

MAX_BODY_BYTES = 4 * 1024 * 1024
PROBLEM_BASE = "https://anju.example/problems/"
_SURROGATE = re.compile("[\ud800-\udfff]")


def storable_text(value: str) -> bool:
    """Text both stores hold and give back exactly: no NUL, no unpaired surrogate."""
    return "\x00" not in value and _SURROGATE.search(value) is None


def unstorable_string(value: Any) -> str | None:
    """The first string (key or value) in parsed JSON that a store cannot hold, or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not storable_text(item):
                return item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


class BodyTooLarge(HTTPException):
    """The body passed the limit while streaming in (a 413, never the 400 of a parse error)."""

    def __init__(self) -> None:
        super().__init__(413, f"request bodies are limited to {MAX_BODY_BYTES} bytes")


class BodySizeLimit:
    """ASGI middleware: bounded bodies and storable text (see the module docstring)."""

    def __init__(self, app, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                return await self._too_large(send)
            if b"\x00" in value:
                return await self._invalid_text(send, f"header {name.decode('latin-1')!r}")
        if not self._storable_target(scope):
            return await self._invalid_text(send, "the path or query")
        # Read the whole body (bounded) before the app sees it, so that it can be checked.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return await self.app(scope, _replay([message], receive), send)  # a disconnect
            body = message.get("body", b"")
            received += len(body)
            if received > self.max_bytes:
                return await self._too_large(send)
            chunks.append(body)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if b"\\u" in body or b"\x00" in body:
            bad = _unstorable_in_json(body)
            if bad is not None:
                return await self._invalid_text(send, "a string of the body")
        message = {"type": "http.request", "body": body, "more_body": False}
        return await self.app(scope, _replay([message], receive), send)

    @staticmethod
    def _storable_target(scope) -> bool:
        raw = (scope.get("raw_path") or b"") + b"?" + (scope.get("query_string") or b"")
        if b"%00" in raw or b"\x00" in raw:
            return False
        return storable_text(scope.get("path", ""))

    async def _too_large(self, send) -> None:
        await _problem(send, 413, "request-too-large", "Request too large",
                       f"request bodies are limited to {self.max_bytes} bytes")

    async def _invalid_text(self, send, where: str) -> None:
        await _problem(send, 422, "invalid-text", "Invalid text",
                       f"{where} contains a NUL character or an unpaired surrogate, which no store can hold")


def _unstorable_in_json(body: bytes) -> str | None:
    """Parse the body as JSON (if it is JSON) and find a string a store cannot hold."""
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return None  # not JSON: the app's own parsing answers
    return unstorable_string(parsed)


def _replay(messages: list[dict], receive):
    """A ``receive`` that gives the buffered messages first, then the client's own."""
    pending = list(messages)

    async def replayed():
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


async def _problem(send, status: int, slug: str, title: str, detail: str) -> None:
    body = json.dumps({"type": PROBLEM_BASE + slug, "title": title, "status": status,
                       "detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/problem+json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
