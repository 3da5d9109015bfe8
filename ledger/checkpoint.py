"""Sealed checkpoints (审计封存点): an auditor records the chain head as an event, and verify
checks that every checkpoint still holds.

A checkpoint seals a log position and the chain link there (``anju_chain``), with who sealed
it, when, why, and optionally the SHA-256 of a statement (a trial balance as recorded by a
position). All checkpoints are events of one ``CheckpointRegister`` stream, so they are
numbered 1, 2, 3 … without gaps.

``verify_with_checkpoints`` re-derives the keyed chain from every raw row of the events table
(``ledger.chain.verify``) and, in the same snapshot, reads every checkpoint event straight from
the events table (not from a read model) and checks each one: the chain re-derives without a
break up to and including its sealed position *and* its own event, and the link kept at the
sealed position is the one it sealed. The first checkpoint that fails is named. A checkpoint
the caller noted outside the store (``expected``: position and link) is checked the same way,
which is what catches a truncation of the tail that took the latest checkpoints with it.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid5

import orjson
from eventsourcing.domain import Aggregate, event

from ledger.audit import Audit, Role
from ledger.book import ANJU_NAMESPACE
from ledger.chain import CHAIN_TABLE, VerifyReport, stored_links, stored_rows, verify
from ledger.sqldb import Database, Transaction
from ledger.writer import AlreadyExists, UnitOfWork

REGISTER_ID: UUID = uuid5(ANJU_NAMESPACE, "audit/checkpoints")
REASON_LIMIT = 200


class CheckpointRuleBroken(ValueError):
    type_slug = "checkpoint-rule-broken"


class SealNeedsAuditor(CheckpointRuleBroken):
    type_slug = "seal-needs-auditor"


class CheckpointHeadNotAdvanced(AlreadyExists):
    type_slug = "checkpoint-head-already-sealed"


class NothingToSeal(CheckpointRuleBroken):
    type_slug = "nothing-to-seal"


def check_sealed_by_auditor(audit: Audit) -> None:
    """Only an auditor seals a checkpoint (DOMAIN.md §7: the auditor verifies the chain)."""
    if audit.role != Role.AUDITOR.value:
        raise SealNeedsAuditor("only an auditor may seal a checkpoint")


class CheckpointRegister(Aggregate):
    """Every sealed checkpoint, numbered without gaps (one stream for the whole log)."""

    @staticmethod
    def create_id(audit: Audit) -> UUID:  # type: ignore[override]
        return REGISTER_ID

    @event("Started")
    def __init__(self, audit: Audit) -> None:
        self.count = 0
        self.last_head_position = 0

    def check_head_advances(self, head_position: int) -> None:
        """A checkpoint seals a head later than the previous one's (two seals of one head are one too many)."""
        if head_position <= self.last_head_position:
            raise CheckpointHeadNotAdvanced(
                f"the chain head {head_position} is already sealed (checkpoint {self.count} sealed"
                f" {self.last_head_position}); the checkpoint's own event moves the head, seal again")

    def seal(self, audit: Audit, head_position: int, head_link: str, statement: dict[str, Any] | None) -> int:
        check_sealed_by_auditor(audit)
        if head_position < 1:
            raise NothingToSeal("the log is empty: there is no chain head to seal")
        self.check_head_advances(head_position)
        number = self.count + 1
        statement = statement or {}
        self._sealed(audit=audit, number=number, head_position=head_position, head_link=head_link,
                     statement_kind=statement.get("kind"), statement_book=statement.get("book_code"),
                     statement_from=statement.get("period_start"), statement_as_of=statement.get("as_of"),
                     statement_position=statement.get("position"), statement_sha256=statement.get("sha256"))
        return number

    @event("Sealed")
    def _sealed(self, audit: Audit, number: int, head_position: int, head_link: str, statement_kind: str | None,
                statement_book: str | None, statement_from: str | None, statement_as_of: str | None,
                statement_position: int | None, statement_sha256: str | None) -> None:
        self.count = number
        self.last_head_position = head_position


SEALED_TOPIC = f"{CheckpointRegister.Sealed.__module__}:{CheckpointRegister.Sealed.__qualname__}"


def seal_checkpoint(uow: UnitOfWork, audit: Audit, head_position: int, head_link: str,
                    statement: dict[str, Any] | None) -> int:
    """Use case: seal the chain head (the register is started on first use)."""
    register = uow.get_optional(CheckpointRegister, REGISTER_ID)
    if register is None:
        register = uow.add(CheckpointRegister(audit=audit))
    return register.seal(audit, head_position, head_link, statement)


# --- reading checkpoints from the raw events table ------------------------------------------
@dataclass(frozen=True)
class Checkpoint:
    number: int
    event_position: int  # where the checkpoint's own event is in the log
    head_position: int
    head_link: str
    sealed_at: str
    sealed_by: str
    role: str
    reason: str
    statement: dict[str, Any] | None


def stored_checkpoints(tx: Transaction, events_table: str, id_column: str) -> list[Checkpoint | int]:
    """Every Sealed event of the events table, in log order; a row that cannot be read is its position."""
    found: list[Checkpoint | int] = []
    for position, state in tx.query(f"SELECT {id_column}, state FROM {events_table} WHERE topic = ?"
                                    f" ORDER BY {id_column}", (SEALED_TOPIC,)):
        try:
            found.append(_checkpoint(int(position), orjson.loads(bytes(state) if not isinstance(state, str)
                                                                  else state.encode())))
        except (ValueError, KeyError, TypeError):
            found.append(int(position))
    return found


def _checkpoint(position: int, data: dict[str, Any]) -> Checkpoint:
    audit = data["audit"]["_data_"]
    statement = None
    if data.get("statement_sha256"):
        statement = {"kind": data.get("statement_kind"), "book_code": data.get("statement_book"),
                     "period_start": data.get("statement_from"), "as_of": data.get("statement_as_of"),
                     "position": data.get("statement_position"), "sha256": data.get("statement_sha256")}
    return Checkpoint(int(data["number"]), position, int(data["head_position"]), str(data["head_link"]),
                      str(data["timestamp"]["_data_"]), str(audit["actor"]), str(audit["role"]),
                      str(audit["reason"]), statement)


# --- verification -----------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckpointCheck:
    number: int | None  # None: a checkpoint noted outside the store
    event_position: int | None
    head_position: int
    head_link: str
    sealed_at: str | None
    sealed_by: str | None
    holds: bool
    problem: str | None = None


@dataclass(frozen=True)
class CheckpointsReport:
    chain: VerifyReport
    checked: int
    first_broken: CheckpointCheck | None
    latest: CheckpointCheck | None
    expected: CheckpointCheck | None
    truncated: str | None = None  # a witness outside the events table saw a longer log

    @property
    def ok(self) -> bool:
        return (self.chain.ok and self.first_broken is None and self.truncated is None
                and (self.expected is None or self.expected.holds))


#: What a read model saw of the log, read in the same snapshot: the highest position it indexed and the
#: positions of the checkpoint events it indexed. Not proof (whoever deletes the tail can delete these
#: rows too), but it catches a truncation done on the events table alone.
Witness = Callable[[Transaction], tuple[int, list[int]]]


def _reaches(chain: VerifyReport, position: int) -> bool:
    """Whether the chain re-derived without a break through ``position``."""
    if chain.ok:
        return chain.head_position is not None and position <= chain.head_position
    return chain.first_bad_position is not None and position < chain.first_bad_position


def check_checkpoint(tx: Transaction, chain: VerifyReport, head_position: int, head_link: str,
                     event_position: int | None) -> str | None:
    """Why a checkpoint no longer holds (None: it holds)."""
    if not _reaches(chain, head_position):
        if chain.ok:
            return (f"the log ends at position {chain.head_position}, before the sealed position {head_position}:"
                    " the tail was truncated")
        return (f"the chain breaks at position {chain.first_bad_position} ({chain.problem}), at or before the"
                f" sealed position {head_position}")
    row = tx.query_one(f"SELECT link FROM {CHAIN_TABLE} WHERE position = ?", (head_position,))
    if row is None:
        return f"no chain link at the sealed position {head_position}"
    if not hmac.compare_digest(bytes(row[0]).hex(), head_link.lower()):
        return f"the link at position {head_position} is not the one sealed"
    if event_position is not None and not _reaches(chain, event_position):
        return (f"the checkpoint's own event at position {event_position} is not intact (the chain breaks at"
                f" {chain.first_bad_position})")
    return None


def verify_with_checkpoints(db: Database, events_table: str, id_column: str, key: bytes,
                            expected: tuple[int, str] | None = None,
                            progress: Callable[[int], None] | None = None,
                            witness: Witness | None = None) -> CheckpointsReport:
    """The chain and every checkpoint (and one noted outside, if given), in one snapshot."""
    with db.transaction(write=False, snapshot=True) as tx:
        chain = verify(stored_rows(tx, events_table, id_column), stored_links(tx), key, progress)
        first_broken: CheckpointCheck | None = None
        latest: CheckpointCheck | None = None
        checkpoints = stored_checkpoints(tx, events_table, id_column)
        for found in checkpoints:
            if isinstance(found, int):
                check = CheckpointCheck(None, found, found, "", None, None, False,
                                        f"the checkpoint event at position {found} cannot be read")
            else:
                problem = check_checkpoint(tx, chain, found.head_position, found.head_link, found.event_position)
                check = CheckpointCheck(found.number, found.event_position, found.head_position, found.head_link,
                                        found.sealed_at, found.sealed_by, problem is None, problem)
            latest = check
            if first_broken is None and not check.holds:
                first_broken = check
        truncated = None
        if witness is not None:
            seen_head, seen_checkpoints = witness(tx)
            row = tx.query_one(f"SELECT MAX({id_column}) FROM {events_table}")
            log_head = int(row[0]) if row and row[0] is not None else 0
            if seen_head > log_head:
                truncated = (f"the read models followed the log to position {seen_head}, but it now ends at"
                             f" {log_head}: the tail was truncated")
            present = {c.event_position if isinstance(c, Checkpoint) else c for c in checkpoints}
            for position in sorted(set(seen_checkpoints) - present):
                missing = CheckpointCheck(None, position, position, "", None, None, False,
                                          f"the checkpoint event at position {position}, seen by the read models,"
                                          " is missing from the log")
                if first_broken is None or (first_broken.event_position or 0) > position:
                    first_broken = missing
                break
        noted = None
        if expected is not None:
            problem = check_checkpoint(tx, chain, expected[0], expected[1], None)
            noted = CheckpointCheck(None, None, expected[0], expected[1], None, None, problem is None, problem)
    return CheckpointsReport(chain, len(checkpoints), first_broken, latest, noted, truncated)
