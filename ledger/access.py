"""Bearer tokens with a role and a scope; only the token's hash is ever stored.

Source: DOMAIN.md §7 (who may do what). A token is created once (``anju token
create``), printed once, and kept as an ``AccessToken`` aggregate whose id is derived
from the token's SHA-256, so checking a token is one keyed lookup and the log records
who issued which role and scope.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from ledger.audit import Audit, Role
from ledger.book import ANJU_NAMESPACE, CODE_PATTERN
from ledger.values import value_type

TOKEN_PREFIX = "anju_"


class InvalidScope(ValueError):
    type_slug = "invalid-scope"


@value_type("anju.Scope", slots=True)
class Scope:
    """``all``, ``township:<id>`` or ``community:<id>[,<id>…]``."""

    kind: str
    ids: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Scope:
        text = text.strip()
        if text == "all":
            return cls("all")
        kind, _, rest = text.partition(":")
        ids = tuple(i.strip() for i in rest.split(",") if i.strip())
        if kind not in ("township", "community") or not ids or not all(CODE_PATTERN.match(i) for i in ids):
            raise InvalidScope(f"scope {text!r} must be 'all', 'township:<id>' or 'community:<id>[,<id>…]'")
        if kind == "township" and len(ids) != 1:
            raise InvalidScope("a township scope names one township")
        return cls(kind, ids)

    def __str__(self) -> str:
        return "all" if self.kind == "all" else f"{self.kind}:{','.join(self.ids)}"

    def covers(self, community_id: str, township_id: str) -> bool:
        if self.kind == "all":
            return True
        if self.kind == "township":
            return township_id in self.ids
        return community_id in self.ids


def check_role_scope(role: str, scope: Scope) -> None:
    """Accountants work for communities; township offices for one township (DOMAIN.md §7)."""
    if role not in (Role.ACCOUNTANT.value, Role.AUDITOR.value, Role.TOWNSHIP.value):
        raise InvalidScope(f"role must be accountant, auditor or township, not {role!r}")
    if role == Role.ACCOUNTANT.value and scope.kind != "community":
        raise InvalidScope("an accountant's scope is community:<id>[,<id>…]")
    if role == Role.TOWNSHIP.value and scope.kind != "township":
        raise InvalidScope("a township office's scope is township:<id>")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_id(token: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"token/{token_hash(token)}")


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


SUBJECT_PATTERN = re.compile(r"^[\w.@\-]{1,64}$")


class AccessToken(Aggregate):
    @staticmethod
    def create_id(token_sha256: str) -> UUID:  # type: ignore[override]
        return uuid5(ANJU_NAMESPACE, f"token/{token_sha256}")

    @event("Issued")
    def __init__(self, audit: Audit, token_sha256: str, subject: str, role: str, scope: Scope) -> None:
        self.token_sha256 = token_sha256
        self.subject = subject
        self.role = role
        self.scope = scope
        self.revoked = False

    @classmethod
    def issue(cls, audit: Audit, token: str, subject: str, role: str, scope: Scope) -> AccessToken:
        check_role_scope(role, scope)
        if not SUBJECT_PATTERN.match(subject):
            raise InvalidScope("a token subject is 1–64 letters, digits, '.', '@', '_' or '-'")
        return cls(audit=audit, token_sha256=token_hash(token), subject=subject, role=role, scope=scope)

    @event("Revoked")
    def revoke(self, audit: Audit) -> None:
        self.revoked = True
