"""The group-commit writer: queued commands, transactions sized as the commands run.

Why: on PostgreSQL every append is serialised on a table lock, so one save per command
tops out near 500/s on this machine, while a save of many aggregates costs about as much
as one (EVENTSOURCING-NOTES.md). One writer thread per store takes the commands that
arrived together and runs each against current state in memory; each keeps its own
all-or-nothing outcome (a failing command's changes are rolled back in memory), its own
error and its own result.

Transactions are sized as commands run: the writer counts the events each command adds
and hands the transaction to the committer as soon as it holds ``MAX_EVENTS_PER_TRANSACTION``
events (or the queue is empty), then goes on with the next commands **while that commit is
in flight** — on the aggregates it keeps in memory, so nothing is read back or run twice.
A command whose output is larger than one transaction (a billing run over thousands of
leases) marks its units of work with ``uow.checkpoint()``: at a checkpoint past the bound,
everything up to it is committed, and each unit is all-or-nothing (README, Write path).

Only a failed commit makes the writer run commands again: a conflict with another process
(each command of that transaction re-run alone on fresh state, a few times), and the
commands executed on top of a commit that then failed (they never committed). An HTTP write
still queued after ``QUEUE_DEADLINE_SECONDS`` is failed with ``WriteTimedOut`` without being
run, and the stores bound every commit (PostgreSQL ``statement_timeout``, SQLite's lock
timeout), so a write fails with a clear error rather than wait forever.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, OperationalError

from ledger.store import AnjuApplication

log = logging.getLogger("anju.writer")

A = TypeVar("A", bound=Aggregate)
Command = Callable[["UnitOfWork"], Any]

MAX_BATCH_COMMANDS = 256
AGGREGATE_CACHE_SIZE = 100_000  # ~1–2 KB each (130 MB resident with 30k leases, tenants, shop-fronts)
MAX_EVENTS_PER_TRANSACTION = 5_000  # a transaction is committed once it holds this many events
CONFLICT_ATTEMPTS = 3  # a command whose save conflicts with another process runs again on fresh state
QUEUE_DEADLINE_SECONDS = 25.0  # an HTTP write not started by then fails unrun (requests wait 30 s)


class NotFound(LookupError):
    """An aggregate the command needs does not exist (404); a subclass may name its slug in its header.

    ``class LeaseNotFound(NotFound, slug="lease-not-found")``, as rule errors do (``domain.rule_errors``).
    """

    type_slug = "not-found"

    def __init_subclass__(cls, slug: str | None = None, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if slug is not None:
            cls.type_slug = slug


class AlreadyExists(ValueError):
    type_slug = "already-exists"


class WrongAggregateType(LookupError):
    type_slug = "not-found"


class WriteTimedOut(TimeoutError):
    """The write did not finish within its bound; the writer goes on with other commands."""

    type_slug = "write-timeout"


class _Restart(Exception):  # noqa: N818 - internal signal, never seen by callers
    """The commit in flight failed under a running command: run the group again on fresh state."""


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

    def __init__(self, app: AnjuApplication, cache: AggregateCache,
                 flush: Callable[[UnitOfWork], None] | None = None,
                 pinned: dict[UUID, Aggregate] | None = None,
                 inflight_events: dict[UUID, list[Any]] | None = None) -> None:
        self.app = app
        self.cache = cache
        self.touched: dict[UUID, Aggregate] = {}
        self._command_marks: dict[UUID, int | None] = {}  # pending count at first touch; None = new
        # The pending-event lists of the aggregates in _command_marks, and the sum of their marks:
        # what a checkpoint counts (None: rebuilt from the marks at the next checkpoint).
        self._command_lists: list[list[Any]] | None = []
        self._command_marks_total = 0
        self._start_versions: dict[UUID, int] = {}  # the version each aggregate had when the command touched it
        self._flush = flush  # the writer's: commit everything pending now (a checkpoint past the bound)
        self._pinned = pinned if pinned is not None else {}  # aggregates of the commit in flight
        self._inflight_events = inflight_events or {}  # their events, which the store may not have yet
        self._in_savepoint = 0
        self.partial_position: int | None = None  # the current command's last position already committed
        self.pending_count = 0  # events pending in this unit of work (updated at each command's end)

    # --- used by commands ----------------------------------------------------
    def get(self, cls: type[A], aggregate_id: UUID, not_found: Exception | None = None) -> A:
        """The aggregate, or ``not_found`` raised (the capability's own 404, naming the natural key)."""
        aggregate = self.get_optional(cls, aggregate_id)
        if aggregate is None:
            raise not_found or NotFound(f"{cls.__name__} {aggregate_id} not found")
        return aggregate

    def get_optional(self, cls: type[A], aggregate_id: UUID) -> A | None:
        aggregate = self.touched.get(aggregate_id)
        if aggregate is None:
            aggregate = self._pinned.get(aggregate_id) or self.cache.get(aggregate_id)
            if aggregate is None:
                try:
                    aggregate = self.app.repository.get(aggregate_id)
                except AggregateNotFoundError:
                    return None
                self.cache.put(aggregate)
            self.touched[aggregate_id] = aggregate
        if aggregate_id not in self._command_marks:
            mark = len(aggregate.pending_events)
            self._command_marks[aggregate_id] = mark
            if self._command_lists is not None:
                self._command_lists.append(aggregate.pending_events)
                self._command_marks_total += mark
        self._start_versions.setdefault(aggregate_id, aggregate.version)
        if not isinstance(aggregate, cls):
            raise WrongAggregateType(f"{aggregate_id} is not a {cls.__name__}")
        return aggregate  # type: ignore[return-value]

    def get_or_add(self, cls: type[A], aggregate_id: UUID, start: Callable[[], A]) -> A:
        """The aggregate, or ``start()`` added where there is none yet.

        A community's registers and settings (the household register, fee standards, the unit
        register) are not opened by anyone: the first command that needs one starts it.
        """
        found = self.get_optional(cls, aggregate_id)
        return found if found is not None else self.add(start())

    def add(self, aggregate: A) -> A:
        """A new aggregate created by the command.

        Commands that derive ids from natural keys look them up first and raise their
        own "already exists" error; a clash missed here fails the save, never silently.
        """
        if (aggregate.id in self.touched or aggregate.id in self._pinned
                or self.cache.get(aggregate.id) is not None):
            raise AlreadyExists(f"{type(aggregate).__name__} {aggregate.id} already exists")
        self.touched[aggregate.id] = aggregate
        self._command_marks[aggregate.id] = None
        if self._command_lists is not None:
            self._command_lists.append(aggregate.pending_events)
        self._start_versions[aggregate.id] = 0
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
        self._set_marks({aid: len(a.pending_events) for aid, a in self.touched.items()})
        self._in_savepoint += 1
        try:
            yield
        except BaseException:
            inner = self._command_marks
            self.rollback_command()
            self._set_marks(_merged(outer, inner))
            raise
        else:
            self._set_marks(_merged(outer, self._command_marks))
        finally:
            self._in_savepoint -= 1

    def checkpoint(self) -> None:
        """A unit of work of the current command is complete: past the bound, commit what is pending now.

        For commands too large for one transaction (a billing run over thousands of leases):
        call it between units that are each whole on their own and idempotent when run
        again (a lease's months, a chunk of households), never inside a savepoint. What was
        committed at a checkpoint stays committed if the command fails later; the command's
        error is still returned, and running it again does the units that are left.
        """
        if self._in_savepoint:
            raise RuntimeError("uow.checkpoint() inside a savepoint")
        if self._flush is not None and self._pending_in_command() >= MAX_EVENTS_PER_TRANSACTION:
            self._flush(self)

    def _pending_now(self) -> int:
        return sum(len(a.pending_events) for a in self.touched.values())

    def _pending_in_command(self) -> int:
        """Events pending now: the earlier commands' total plus what this command added.

        A checkpoint runs once per unit of work (a lease, a chunk of households): summing over
        every aggregate the batch has touched made a billing run quadratic in its leases; this
        sums the lengths of the lists of the aggregates the command touched (in C).
        """
        if self._command_lists is None:
            lists, total = [], 0
            for aggregate_id, mark in self._command_marks.items():
                aggregate = self.touched.get(aggregate_id)
                if aggregate is not None:
                    lists.append(aggregate.pending_events)
                    total += mark or 0
            self._command_lists, self._command_marks_total = lists, total
        return self.pending_count + sum(map(len, self._command_lists)) - self._command_marks_total

    def _set_marks(self, marks: dict[UUID, int | None]) -> None:
        self._command_marks = marks
        self._command_lists = None

    def after_flush(self, positions: dict[tuple[UUID, int], int]) -> None:
        """The pending events were committed: the current command keeps only what follows (writer)."""
        for key in self.command_keys():
            position = positions.get(key)
            if position is not None:
                self.partial_position = max(self.partial_position or 0, position)
        # Only this command's aggregates: the others have nothing of this command to roll back
        # (keeping every aggregate of the batch here made each later checkpoint walk them all).
        mine = [aid for aid in self._command_marks if aid in self.touched]
        self._set_marks({aid: 0 for aid in mine})
        self._start_versions = {aid: self.touched[aid].version for aid in mine}
        self.pending_count = 0

    def command_keys(self) -> list[tuple[UUID, int]]:
        """(aggregate id, version) of every event the current command added and has pending."""
        keys = []
        for aggregate_id, start in self._start_versions.items():
            aggregate = self.touched.get(aggregate_id)
            if aggregate is not None:
                keys.extend((aggregate_id, v) for v in range(start + 1, aggregate.version + 1))
        return keys

    # --- used by the writer --------------------------------------------------
    def begin_command(self) -> None:
        self._set_marks({})
        self._start_versions = {}
        self.partial_position = None

    def end_command(self) -> list[tuple[UUID, int]]:
        """The command succeeded: the keys of the events it added (still pending)."""
        keys = self.command_keys()
        self._set_marks({})
        self._start_versions = {}
        self.pending_count = self._pending_now()
        return keys

    def rollback_command(self) -> None:
        """Undo the current command's changes, keeping earlier commands' pending events."""
        for aggregate_id, mark in self._command_marks.items():
            aggregate = self.touched.get(aggregate_id)
            if aggregate is None:
                continue
            if mark is None:  # created by this command (and not committed at a checkpoint)
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
        self._set_marks({})
        self._start_versions = {}

    def _rebuild(self, aggregate_id: UUID, earlier: list[Any]) -> Aggregate | None:
        try:
            aggregate: Aggregate | None = self.app.repository.get(aggregate_id)
        except AggregateNotFoundError:
            aggregate = None
        for committing in self._inflight_events.get(aggregate_id, ()):  # in flight: maybe not in the store yet
            if aggregate is None or committing.originator_version > aggregate.version:
                aggregate = committing.mutate(aggregate)
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
    deadline: float | None = None  # seconds after enqueued_at past which it fails unrun (None: no bound)


_WAKE = object()  # put on the queue by the committer after each commit: the executor hands off or recovers


@dataclass
class _Ran:
    """A command that ran: its result or error, the events it left pending, what it committed at checkpoints."""

    item: _Item
    result: Any
    error: BaseException | None
    keys: list[tuple[UUID, int]]
    partial_position: int | None = None


@dataclass
class _Txn:
    """One transaction handed to the committer: the collected events and the commands they answer."""

    events: list[Any]
    ran: list[_Ran]
    aggregates: dict[UUID, Aggregate]
    future: Future = field(default_factory=Future)
    by_aggregate: dict[UUID, list[Any]] = field(default_factory=dict)


class GroupCommitWriter:
    """One thread that runs queued commands; one committer thread that commits them in order."""

    def __init__(self, app: AnjuApplication, *, max_batch: int = MAX_BATCH_COMMANDS,
                 on_commit: Callable[[int], None] | None = None) -> None:
        self.app = app
        self.max_batch = max_batch
        self.on_commit = on_commit
        self.last_position = 0  # the highest log position this writer has committed
        self.cache = AggregateCache()
        self._queue: queue.Queue[Any] = queue.Queue()
        self._committer = ThreadPoolExecutor(1, thread_name_prefix="anju-commit")
        self._inflight: _Txn | None = None
        self._thread = threading.Thread(target=self._run, name="anju-writer", daemon=True)
        self._stopped = threading.Event()
        self.batches = 0  # transactions committed
        self.commands = 0  # commands answered by them
        self.reruns = 0  # commands run again after a failed commit (conflicts with another process)
        self._thread.start()

    def submit(self, command: Command, deadline: float | None = None) -> Future:
        """Queue a command; ``deadline``: fail it unrun (``WriteTimedOut``) if not started within that many seconds.

        A caller that stops waiting after N seconds (an HTTP request) passes a deadline below
        N, so a command is not run after its caller gave up; bulk submitters (demo, bench)
        that wait for all their commands pass none.
        """
        if self._stopped.is_set():
            raise RuntimeError("the writer is stopped")
        future: Future = Future()
        self._queue.put(_Item(command, future, time.monotonic(), deadline))
        return future

    def execute(self, command: Command, timeout: float | None = 60) -> CommandOutcome:
        """Run a command and wait for it; one not started within ``timeout`` fails unrun."""
        return self.submit(command, deadline=timeout).result(timeout=timeout)

    def stop(self) -> None:
        if not self._stopped.is_set():
            self._stopped.set()
            self._queue.put(None)
            self._thread.join(timeout=30)
            self._committer.shutdown(wait=True)

    # --- the executor loop ---------------------------------------------------------
    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            batch: list[_Item] = []
            if first is None:
                stopping = True
            elif first is not _WAKE:
                batch.append(first)
            while len(batch) < self.max_batch and not stopping:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stopping = True
                elif item is not _WAKE:
                    batch.append(item)
            try:
                if self._inflight is not None and self._inflight.future.done():
                    self._settle_inflight()
                if batch:
                    self._execute(batch)
            except Exception:  # pragma: no cover - last line of defence for the thread
                log.exception("writer batch failed")
                for item in batch:
                    if not item.future.done():
                        item.future.set_exception(RuntimeError("the writer failed"))
        try:
            self._settle_inflight()
        except Exception:  # pragma: no cover
            log.exception("writer stop")

    def _new_uow(self) -> UnitOfWork:
        inflight = self._inflight
        return UnitOfWork(self.app, self.cache, flush=self._checkpoint_flush,
                          pinned=inflight.aggregates if inflight else None,
                          inflight_events=inflight.by_aggregate if inflight else None)

    def _execute(self, batch: list[_Item]) -> None:
        """Run the commands in order; hand a transaction to the committer whenever it is full."""
        uow = self._new_uow()
        ran: list[_Ran] = []
        index = 0
        while True:
            if index == len(batch) and not self._take_more(batch, len(ran)):
                break
            item = batch[index]
            index += 1
            if item.deadline is not None and time.monotonic() - item.enqueued_at > item.deadline:
                item.future.set_exception(WriteTimedOut(
                    f"the write waited more than {item.deadline:.0f} s for the store; nothing was written"))
                continue
            uow.begin_command()
            self._current = (uow, ran)
            try:
                result = item.command(uow)
            except _Restart:  # the commit in flight failed: nothing of this group was committed
                self._execute([r.item for r in ran] + batch[index - 1:])
                return
            except Exception as error:  # the command's own failure: roll back its changes
                uow.rollback_command()
                ran.append(_Ran(item, None, error, [], uow.partial_position))
                continue
            ran.append(_Ran(item, result, None, uow.end_command(), uow.partial_position))
            if uow.pending_count >= MAX_EVENTS_PER_TRANSACTION:
                if not self._hand_off(uow, ran):
                    self._execute([r.item for r in ran] + batch[index:])
                    return
                uow, ran = self._new_uow(), []
        if ran and not self._hand_off(uow, ran):
            self._execute([r.item for r in ran])

    def _take_more(self, batch: list[_Item], ran: int) -> bool:
        """While the previous commit is in flight, keep taking commands into this transaction.

        This is what keeps batches full: the submitters answered by that commit send their
        next commands while it finishes, and they join this transaction instead of the next.
        """
        while self._inflight is not None and not self._inflight.future.done() and ran < self.max_batch:
            item = self._queue.get()  # the committer puts _WAKE when it is done
            if item is None:
                self._queue.put(None)  # stop after this transaction
                return False
            if item is not _WAKE:
                batch.append(item)
                return True
        return False

    def _hand_off(self, uow: UnitOfWork, ran: list[_Ran]) -> bool:
        """Collect the pending events and give them to the committer, after the commit in flight.

        False: the commit in flight failed, so these commands ran on state that was never
        committed; the caller runs them again (the cache was cleared).
        """
        txn = self._pending(uow, ran)
        if not self._settle_inflight():
            return False
        if not txn.events:
            self._answer(txn, {})
            return True
        self._inflight = txn
        self._committer.submit(self._commit, txn)
        return True

    def _pending(self, uow: UnitOfWork, ran: list[_Ran]) -> _Txn:
        """The unit of work's pending events as one transaction to commit; its aggregates stay cached."""
        events: list[Any] = []
        for aggregate in uow.dirty():  # what ProcessingEvent.collect_events does, without its Protocol checks
            events.extend(aggregate.collect_events())
        for aggregate in uow.touched.values():
            self.cache.put(aggregate)
        txn = _Txn(events, ran, dict(uow.touched))
        for domain_event in txn.events:
            txn.by_aggregate.setdefault(domain_event.originator_id, []).append(domain_event)
        return txn

    def _checkpoint_flush(self, uow: UnitOfWork) -> None:
        """``uow.checkpoint()`` past the bound: commit everything pending now and wait for it."""
        current_uow, ran = self._current
        assert current_uow is uow
        txn = self._pending(uow, list(ran))
        if not self._settle_inflight():
            raise _Restart
        keys = uow.command_keys()
        ran.clear()
        self._inflight = txn
        self._committer.submit(self._commit, txn)
        if not self._settle_inflight():
            uow.touched.clear()  # nothing left to roll back: the failed transaction's state is gone
            uow.begin_command()
            error = txn.future.exception()
            raise error if error is not None else RuntimeError("the checkpoint commit failed")
        positions = txn.future.result()
        uow.after_flush({k: positions[k] for k in keys if k in positions})

    # --- the committer ---------------------------------------------------------------
    def _commit(self, txn: _Txn) -> None:
        """On the committer thread: one append; answer the commands at once when it commits."""
        try:
            recordings = self.app.events.put(txn.events)
        except BaseException as error:
            txn.future.set_exception(error)
            self._queue.put(_WAKE)
            return
        positions = {(r.domain_event.originator_id, r.domain_event.originator_version): r.notification.id
                     for r in recordings}
        self.batches += 1
        self.commands += len(txn.ran)
        if recordings:
            # Record the commit before answering, so a read sent as soon as a write returns
            # waits for the read models to reach it.
            self._committed(max(positions.values()))
        self._answer(txn, positions)
        txn.future.set_result(positions)
        self._queue.put(_WAKE)  # an executor taking more commands while this was in flight hands them off now

    def _answer(self, txn: _Txn, positions: dict[tuple[UUID, int], int]) -> None:
        for done in txn.ran:
            position = done.partial_position
            for key in done.keys:
                at = positions.get(key)
                if at is not None:
                    position = max(position or 0, at)
            if not done.item.future.done():
                _settle(done.item, done.result, done.error, position)

    def _settle_inflight(self) -> bool:
        """Wait for the commit in flight; on failure recover its commands. False if it failed."""
        txn = self._inflight
        if txn is None:
            return True
        self._inflight = None
        error = txn.future.exception()  # waits; every commit is bounded by the store's timeouts
        if error is None:
            return True
        self.cache.clear()
        if isinstance(error, IntegrityError):
            log.info("a commit conflicted with another writer; re-running %d commands alone", len(txn.ran))
            for done in txn.ran:  # a command partly committed at checkpoints does the units left
                self.reruns += 1
                self._process_alone(done.item)
        else:
            failure = _timed_out(error)
            for done in txn.ran:
                _settle(done.item, None, done.error or failure, None)
        return False

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
                _settle(item, None, _timed_out(error), None)
                return
            break
        for aggregate in uow.touched.values():
            self.cache.put(aggregate)
        position = max((r.notification.id for r in recordings), default=None)
        if position is not None:
            self._committed(position)
        _settle(item, result, None, position)

    def _committed(self, position: int) -> None:
        self.last_position = max(self.last_position, position)
        if self.on_commit is not None:
            self.on_commit(position)


def _timed_out(error: BaseException) -> BaseException:
    """A store bound reached (PostgreSQL statement_timeout) is told as a timeout, not a store failure."""
    import psycopg

    if isinstance(error, OperationalError) and isinstance(error.__cause__, psycopg.errors.QueryCanceled):
        return WriteTimedOut("the store did not finish the write in time; nothing was written")
    return error


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
