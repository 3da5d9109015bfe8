"""The group-commit writer: queued commands, one transaction per batch.

Why: on PostgreSQL the library serialises every save on a table lock, so one save per
command tops out near 500/s on this machine, while a save of many aggregates costs
about as much as one (EVENTSOURCING-NOTES.md). One writer thread per store takes the
commands that arrived together, runs each against current state in memory, and saves
all their events in one transaction. Each command keeps its own all-or-nothing outcome
(a failing command's changes are rolled back in memory before the batch is saved),
its own error and its own result. If the batch save itself conflicts (another process
wrote to the same aggregates), every command of the batch is re-run alone on fresh state.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from ledger.store import AnjuApplication

log = logging.getLogger("anju.writer")

A = TypeVar("A", bound=Aggregate)
Command = Callable[["UnitOfWork"], Any]

MAX_BATCH_COMMANDS = 256
AGGREGATE_CACHE_SIZE = 5_000
MAX_EVENTS_PER_SAVE = 500
CONFLICT_ATTEMPTS = 3  # a command whose save conflicts with another process runs again on fresh state


class NotFound(LookupError):
    """An aggregate the command needs does not exist."""

    type_slug = "not-found"


class AlreadyExists(ValueError):
    type_slug = "already-exists"


class WrongAggregateType(LookupError):
    type_slug = "not-found"


@dataclass
class CommandOutcome:
    result: Any
    position: int | None  # the log position of the command's last event (None: no event)


class AggregateCache:
    """Committed aggregates by id, least recently used evicted first."""

    def __init__(self, capacity: int = AGGREGATE_CACHE_SIZE) -> None:
        self.capacity = capacity
        self._items: OrderedDict[UUID, Aggregate] = OrderedDict()

    def get(self, aggregate_id: UUID) -> Aggregate | None:
        item = self._items.get(aggregate_id)
        if item is not None:
            self._items.move_to_end(aggregate_id)
        return item

    def put(self, aggregate: Aggregate) -> None:
        self._items[aggregate.id] = aggregate
        self._items.move_to_end(aggregate.id)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def evict(self, aggregate_id: UUID) -> None:
        self._items.pop(aggregate_id, None)

    def clear(self) -> None:
        self._items.clear()


class UnitOfWork:
    """The aggregates a batch of commands reads and changes, with per-command rollback."""

    def __init__(self, app: AnjuApplication, cache: AggregateCache) -> None:
        self.app = app
        self.cache = cache
        self.touched: dict[UUID, Aggregate] = {}
        self._command_marks: dict[UUID, int | None] = {}  # pending count at first touch; None = new

    # --- used by commands ----------------------------------------------------
    def get(self, cls: type[A], aggregate_id: UUID) -> A:
        aggregate = self.get_optional(cls, aggregate_id)
        if aggregate is None:
            raise NotFound(f"{cls.__name__} {aggregate_id} not found")
        return aggregate

    def get_optional(self, cls: type[A], aggregate_id: UUID) -> A | None:
        aggregate = self.touched.get(aggregate_id)
        if aggregate is None:
            aggregate = self.cache.get(aggregate_id)
            if aggregate is None:
                try:
                    aggregate = self.app.repository.get(aggregate_id)
                except AggregateNotFoundError:
                    return None
                self.cache.put(aggregate)
            self.touched[aggregate_id] = aggregate
        if aggregate_id not in self._command_marks:
            self._command_marks[aggregate_id] = len(aggregate.pending_events)
        if not isinstance(aggregate, cls):
            raise WrongAggregateType(f"{aggregate_id} is not a {cls.__name__}")
        return aggregate  # type: ignore[return-value]

    def add(self, aggregate: A) -> A:
        """A new aggregate created by the command.

        Commands that derive ids from natural keys look them up first and raise their
        own "already exists" error; a clash missed here fails the save, never silently.
        """
        if aggregate.id in self.touched or self.cache.get(aggregate.id) is not None:
            raise AlreadyExists(f"{type(aggregate).__name__} {aggregate.id} already exists")
        self.touched[aggregate.id] = aggregate
        self._command_marks[aggregate.id] = None
        return aggregate

    def exists(self, cls: type[A], aggregate_id: UUID) -> bool:
        return self.get_optional(cls, aggregate_id) is not None

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Inside one command: if the block raises, undo only the block's changes, then re-raise.

        For commands made of independent items (a batch of vouchers under one
        idempotency key): each item succeeds or fails alone, and all of them are saved in
        the command's one transaction. Aggregates got from the unit of work before the
        block must be got again after a failed block (they may have been rebuilt).
        """
        outer = self._command_marks
        self._command_marks = {aid: len(a.pending_events) for aid, a in self.touched.items()}
        try:
            yield
        except BaseException:
            inner = self._command_marks
            self.rollback_command()
            self._command_marks = _merged(outer, inner)
            raise
        else:
            self._command_marks = _merged(outer, self._command_marks)

    # --- used by the writer --------------------------------------------------
    def begin_command(self) -> None:
        self._command_marks = {}

    def end_command(self) -> None:
        self._command_marks = {}

    def rollback_command(self) -> None:
        """Undo the current command's changes, keeping earlier commands' pending events."""
        for aggregate_id, mark in self._command_marks.items():
            aggregate = self.touched.get(aggregate_id)
            if aggregate is None:
                continue
            if mark is None:  # created by this command
                del self.touched[aggregate_id]
                self.cache.evict(aggregate_id)
                continue
            if len(aggregate.pending_events) == mark:
                continue  # commands check rules before triggering events: unchanged
            earlier = list(aggregate.pending_events[:mark])
            rebuilt = self._rebuild(aggregate_id, earlier)
            if rebuilt is None:
                del self.touched[aggregate_id]
                self.cache.evict(aggregate_id)
            else:
                self.touched[aggregate_id] = rebuilt
                self.cache.put(rebuilt)
        self._command_marks = {}

    def _rebuild(self, aggregate_id: UUID, earlier: list[Any]) -> Aggregate | None:
        try:
            aggregate: Aggregate | None = self.app.repository.get(aggregate_id)
        except AggregateNotFoundError:
            aggregate = None
        for pending in earlier:
            aggregate = pending.mutate(aggregate)
        if aggregate is not None:
            aggregate._pending_events = list(earlier)  # noqa: SLF001 - restoring the batch's pending events
        return aggregate

    def dirty(self) -> list[Aggregate]:
        return [a for a in self.touched.values() if a.pending_events]


@dataclass
class _Item:
    command: Command
    future: Future
    enqueued_at: float


class GroupCommitWriter:
    """One thread that runs queued commands and commits them together."""

    def __init__(self, app: AnjuApplication, *, max_batch: int = MAX_BATCH_COMMANDS,
                 on_commit: Callable[[int], None] | None = None) -> None:
        self.app = app
        self.max_batch = max_batch
        self.on_commit = on_commit
        self.last_position = 0  # the highest log position this writer has committed
        self.cache = AggregateCache()
        self._queue: queue.Queue[_Item | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="anju-writer", daemon=True)
        self._stopped = threading.Event()
        self.batches = 0
        self.commands = 0
        self._thread.start()

    def submit(self, command: Command) -> Future:
        if self._stopped.is_set():
            raise RuntimeError("the writer is stopped")
        future: Future = Future()
        self._queue.put(_Item(command, future, time.perf_counter()))
        return future

    def execute(self, command: Command, timeout: float | None = 60) -> CommandOutcome:
        return self.submit(command).result(timeout=timeout)

    def stop(self) -> None:
        if not self._stopped.is_set():
            self._stopped.set()
            self._queue.put(None)
            self._thread.join(timeout=30)

    # --- the loop ----------------------------------------------------------------
    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._process(batch)
                    return
                batch.append(item)
            self._process(batch)

    def _process(self, batch: list[_Item]) -> None:
        try:
            self._process_together(batch)
        except Exception:  # pragma: no cover - last line of defence for the thread
            log.exception("writer batch failed")
            for item in batch:
                if not item.future.done():
                    item.future.set_exception(RuntimeError("the writer failed"))

    def _process_together(self, batch: list[_Item]) -> None:
        uow = UnitOfWork(self.app, self.cache)
        # Per command: its result or error, and the slice of each aggregate's pending
        # events it added (pending lists only grow within a batch; a failed command's
        # additions are rolled back), so each command learns its own log position.
        outcomes: list[tuple[_Item, Any, BaseException | None, dict[UUID, tuple[int, int]]]] = []
        for item in batch:
            before = {aid: len(a.pending_events) for aid, a in uow.touched.items()}
            uow.begin_command()
            try:
                result = item.command(uow)
            except Exception as error:  # the command's own failure: roll back its changes
                uow.rollback_command()
                outcomes.append((item, None, error, {}))
                continue
            uow.end_command()
            added = {
                aid: (before.get(aid, 0), len(a.pending_events))
                for aid, a in uow.touched.items()
                if len(a.pending_events) > before.get(aid, 0)
            }
            outcomes.append((item, result, None, added))
        dirty = uow.dirty()
        if not dirty:
            for item, result, error, _ in outcomes:
                _settle(item, result, error, None)
            return
        pending = {a.id: list(a.pending_events) for a in dirty}
        if len(batch) > 1 and sum(len(events) for events in pending.values()) > MAX_EVENTS_PER_SAVE:
            # Bound each transaction: very large inserts stalled psycopg's pipeline on
            # PostgreSQL. Nothing is saved yet, so re-run the two halves on fresh state.
            for aggregate in uow.touched.values():
                self.cache.evict(aggregate.id)
            middle = len(batch) // 2
            self._process_together(batch[:middle])
            self._process_together(batch[middle:])
            return
        try:
            recordings = self.app.save(*dirty)
        except IntegrityError:
            log.info("batch conflicted with another writer; re-running %d commands alone", len(batch))
            for aggregate in uow.touched.values():
                self.cache.evict(aggregate.id)
            for item in batch:
                self._process_alone(item)
            return
        except Exception as error:
            for aggregate in uow.touched.values():
                self.cache.evict(aggregate.id)
            for item, _, own_error, _ in outcomes:
                _settle(item, None, own_error or error, None)
            return
        position_of = {
            (r.domain_event.originator_id, r.domain_event.originator_version): r.notification.id
            for r in recordings
        }
        self.batches += 1
        self.commands += len(batch)
        # Record the commit before answering, so a read sent as soon as a write returns
        # waits for the read models to reach it.
        if recordings:
            self._committed(max(r.notification.id for r in recordings))
        for item, result, error, added in outcomes:
            position = None
            for aid, (start, stop) in added.items():
                for pending_event in pending[aid][start:stop]:
                    key = (pending_event.originator_id, pending_event.originator_version)
                    position = max(position or 0, position_of[key])
            _settle(item, result, error, position)

    def _process_alone(self, item: _Item) -> None:
        """One command on fresh state, in its own transaction.

        A save that conflicts with another process wrote nothing, so the command runs again
        on the state that process committed (a few times): a retry racing its first attempt
        on another server then finds the first one's idempotency record and replays it.
        """
        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            uow = UnitOfWork(self.app, self.cache)
            uow.begin_command()
            try:
                result = item.command(uow)
                dirty = uow.dirty()
                recordings = self.app.save(*dirty) if dirty else []
            except Exception as error:
                for aggregate in uow.touched.values():
                    self.cache.evict(aggregate.id)
                if isinstance(error, IntegrityError) and attempt < CONFLICT_ATTEMPTS:
                    continue
                _settle(item, None, error, None)
                return
            break
        position = max((r.notification.id for r in recordings), default=None)
        if position is not None:
            self._committed(position)
        _settle(item, result, None, position)

    def _committed(self, position: int) -> None:
        self.last_position = max(self.last_position, position)
        if self.on_commit is not None:
            self.on_commit(position)


def _merged(outer: dict[UUID, int | None], inner: dict[UUID, int | None]) -> dict[UUID, int | None]:
    """The command's rollback marks after a savepoint: what the block touched first counts too."""
    for aggregate_id, mark in inner.items():
        outer.setdefault(aggregate_id, mark)
    return outer


def _settle(item: _Item, result: Any, error: BaseException | None, position: int | None) -> None:
    if error is not None:
        item.future.set_exception(error)
    else:
        item.future.set_result(CommandOutcome(result, position))
