"""Routes of the web page: ``/`` (the page), ``/web/…`` (its assets) and ``GET /me`` (who the token is).

The page is served as files, never rendered with data: every figure it shows comes from the
JSON API, called by the browser with the signed-in token.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from api.errors import ApiProblem
from api.auth import Who

STATIC = (Path(__file__).parent / "static").resolve()
MEDIA_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
               ".ico": "image/x-icon", ".json": "application/json"}
#: The page and its modules change with the app: the browser revalidates them on every load. The
#: content security policy lets the page load nothing from outside the app and run no inline script.
HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                                      "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"}

router = APIRouter(tags=["web 网页"])


def asset(relative: str) -> FileResponse:
    """A file under ``static/`` (never outside it), with its media type."""
    path = (STATIC / relative).resolve()
    if STATIC not in path.parents or not path.is_file() or path.suffix not in MEDIA_TYPES:
        raise ApiProblem(404, "not-found", "Not found", f"no asset {relative}")
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=HEADERS)


@router.get("/", include_in_schema=False)
def page() -> FileResponse:
    return asset("index.html")


@router.get("/web/{relative:path}", include_in_schema=False)
def page_asset(relative: str) -> FileResponse:
    return asset(relative)


class ScopeOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(description="all | township | community")
    ids: list[str]


class MeOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subject: str = Field(description="令牌持有人 Who the token is for")
    role: str = Field(description="accountant 会计 | auditor 审计 | township 乡镇")
    scope: ScopeOut


@router.get("/me", summary="当前令牌 Who the token is", response_model=MeOut)
def who_am_i(who: Who):
    """令牌的持有人、角色与范围（网页据此显示菜单）。The token's subject, role and scope (the page picks its menus by them)."""
    return {"subject": who.subject, "role": who.role,
            "scope": {"kind": who.scope.kind, "ids": list(who.scope.ids)}}
