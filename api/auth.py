"""Bearer tokens → principals; role and scope checks of DOMAIN.md §7.

No token → 401. A token of the wrong role or outside its scope → 403.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from api.errors import ApiProblem
from api.runtime import NOT_CACHED, Principal, Runtime
from ledger.audit import Role

ACCOUNTANT = Role.ACCOUNTANT.value
AUDITOR = Role.AUDITOR.value
TOWNSHIP = Role.TOWNSHIP.value
READERS = (ACCOUNTANT, AUDITOR, TOWNSHIP)


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime


async def principal(request: Request) -> Principal:
    """FastAPI dependency: the caller, from ``Authorization: Bearer <token>``.

    Async, so a request with a known token is not handed to a worker thread and back
    (about a tenth of an HTTP write's CPU under yappi before); only the first use of a token
    reads the store, in a worker thread.
    """
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(401, "unauthenticated", "Unauthenticated", "send Authorization: Bearer <token>")
    if len(token) > 200:
        raise ApiProblem(401, "unauthenticated", "Unauthenticated", "unknown token")
    runtime, token = runtime_of(request), token.strip()
    found = runtime.cached_principal(token)
    if found is NOT_CACHED:
        found = await run_in_threadpool(runtime.principal_for, token)
    if found is None:
        raise ApiProblem(401, "unauthenticated", "Unauthenticated", "unknown or revoked token")
    return found  # type: ignore[return-value]


#: A route parameter: the authenticated caller (``principal``).
Who = Annotated[Principal, Depends(principal)]


def require_role(who: Principal, *roles: str) -> None:
    if who.role not in roles:
        raise ApiProblem(403, "forbidden-role", "Forbidden",
                         f"role {who.role} may not do this; needs {' or '.join(roles)}")


def require_scope(who: Principal, community_id: str, township_id: str) -> None:
    """The answer names nothing of what is outside the scope: a book's community is not told (issue 11, item 7)."""
    if not who.scope.covers(community_id, township_id):
        raise ApiProblem(403, "out-of-scope", "Forbidden", "what this request names is outside this token's scope")


def require_read(who: Principal, community_id: str, township_id: str) -> None:
    """Accountants read their communities; township offices their township; auditors their scope."""
    require_role(who, *READERS)
    require_scope(who, community_id, township_id)


def require_write(who: Principal, community_id: str, township_id: str) -> None:
    """Only a community accountant records, and only for their own community (DOMAIN.md §7)."""
    require_role(who, ACCOUNTANT)
    require_scope(who, community_id, township_id)
