"""Idempotent writes: the first response to a key is kept and replayed.

An ``IdempotencyRecord`` aggregate, with an id derived from the actor and the key, is
saved in the same transaction as the command's own events, so either both the
events and the remembered response exist, or neither does. The same key with the
same request gives the first response again and writes nothing; the same key with a
different request is a conflict.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE
from ledger.sqldb import Transaction
from ledger.writer import UnitOfWork

MAX_KEY_CHARS = 200


class IdempotencyKeyReused(ValueError):
    type_slug = "idempotency-key-reused"


class InvalidIdempotencyKey(ValueError):
    type_slug = "invalid-idempotency-key"


def record_id(actor: str, key: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"idempotency/{actor}/{key}")


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


class IdempotencyRecord(Aggregate):
    create_id = staticmethod(record_id)

    @event("Remembered")
    def __init__(self, audit: Audit, actor: str, key: str, request_sha256: str, status_code: int,
                 response_json: str) -> None:
        self.actor = actor
        self.key = key
        self.request_sha256 = request_sha256
        self.status_code = status_code
        self.response_json = response_json


@dataclass(frozen=True)
class Rendered:
    """A command's response, rendered inside the command (so a rendering failure rolls it back)."""

    status_code: int
    body: Any


@dataclass(frozen=True)
class Replayed(Rendered):
    """A response given before under the same key."""


def remembered_at(tx: Transaction, events_table: str, position_column: str, actor: str, key: str) -> int | None:
    """The log position of the response first given under (actor, key): a replay answers with it.

    The record's one event was committed with the request's own events, so its position is the
    write's; None if the record is not (yet) in the table.
    """
    record = record_id(actor, key)
    row = tx.query_one(f"SELECT {position_column} FROM {events_table} WHERE originator_id = ? AND originator_version = 1",
                       (record.hex if tx.dialect == "sqlite" else record,))
    return int(row[0]) if row else None


def idempotent(
    audit: Audit, request_sha256: str, command: Callable[[UnitOfWork], Any],
    render: Callable[[Any], tuple[int, Any]],
) -> Callable[[UnitOfWork], Any]:
    """Wrap a command so that its response is rendered inside it and remembered under the audit's key.

    The response is rendered in the command, before anything is saved, with or without a
    key: a response that cannot be rendered fails the command, which then writes nothing.
    """
    key = audit.idempotency_key
    if key is None:
        def rendered(uow: UnitOfWork) -> Rendered:
            return Rendered(*render(command(uow)))

        return rendered
    if not key or len(key) > MAX_KEY_CHARS:
        raise InvalidIdempotencyKey(f"Idempotency-Key must be 1–{MAX_KEY_CHARS} characters")

    def run(uow: UnitOfWork) -> Any:
        existing = uow.get_optional(IdempotencyRecord, record_id(audit.actor, key))
        if existing is not None:
            if existing.request_sha256 != request_sha256:
                raise IdempotencyKeyReused(f"Idempotency-Key {key!r} was used for a different request")
            return Replayed(existing.status_code, json.loads(existing.response_json))
        status_code, body = render(command(uow))
        uow.add(IdempotencyRecord(audit=audit, actor=audit.actor, key=key, request_sha256=request_sha256,
                                  status_code=status_code, response_json=json.dumps(body, ensure_ascii=False)))
        return Rendered(status_code, body)

    return run
