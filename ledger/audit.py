"""Who, why and under which idempotency key an event was recorded.

Source: DOMAIN.md §7 — "Every event records who, when (server time, UTC) and why
(summary), and the request's idempotency key where there was one." The *when* is the
event's own UTC timestamp, set by the event store's library when the event is created.
"""

from __future__ import annotations

from enum import Enum

from ledger.values import value_type


@value_type("anju.Role")
class Role(str, Enum):
    """The roles of DOMAIN.md §7."""

    ACCOUNTANT = "accountant"
    AUDITOR = "auditor"
    TOWNSHIP = "township"
    SYSTEM = "system"


@value_type("anju.Audit", slots=True)
class Audit:
    """Carried by every event: the actor (token subject), role, reason, idempotency key."""

    actor: str
    role: str
    reason: str
    idempotency_key: str | None = None

    def __post_init__(self) -> None:
        if not self.actor:
            raise ValueError("every event needs an actor")
        if not self.reason:
            raise ValueError("every event needs a reason (summary)")


def system_audit(reason: str) -> Audit:
    """The audit stamp of work the product does itself (demo loading, migrations)."""
    return Audit(actor="system", role=Role.SYSTEM.value, reason=reason)
