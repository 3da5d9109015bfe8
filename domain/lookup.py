"""Getting an aggregate a use case needs by its stream id: one that must exist, or one started on first use.

``UnitOfWork.get`` raises the kernel's generic ``NotFound``; a use case names what is missing in
its own rule error instead (``HouseholdNotFound``, ``FundNotFound``: a stable problem ``type``).
A community's registers and settings (the household register, fee standards, the unit register)
are not opened by anyone: the first command that needs one starts it.
"""

from __future__ import annotations

from collections.abc import Callable
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


def get_or_start(uow: UnitOfWork, cls: type[A], aggregate_id: UUID, start: Callable[[], A]) -> A:
    """The aggregate of ``cls`` at ``aggregate_id``; where there is none yet, ``start()`` added to ``uow``."""
    found = uow.get_optional(cls, aggregate_id)
    return found if found is not None else uow.add(start())
