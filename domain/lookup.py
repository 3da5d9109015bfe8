"""Getting an aggregate a use case needs by its stream id, or the capability's own "not found" error.

``UnitOfWork.get`` raises the kernel's generic ``NotFound``; a use case names what is missing in
its own rule error instead (``HouseholdNotFound``, ``FundNotFound``: a stable problem ``type``).
"""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.writer import UnitOfWork

A = TypeVar("A", bound=Aggregate)


def get_existing(uow: UnitOfWork, cls: type[A], aggregate_id: UUID, missing: Exception) -> A:
    """The aggregate of ``cls`` at ``aggregate_id``; ``missing`` is raised where there is none."""
    found = uow.get_optional(cls, aggregate_id)
    if found is None:
        raise missing
    return found
