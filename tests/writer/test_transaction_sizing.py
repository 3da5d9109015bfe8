"""The writer sizes transactions as commands run (issue 13), on SQLite and PostgreSQL.

Commands are never run twice when a batch outgrows one transaction, the aggregate cache
survives the split, a command marked with checkpoints is committed in several
transactions with each unit whole, and a write past its bound fails clearly while the
writer goes on.
"""

from __future__ import annotations

import threading

import pytest
from eventsourcing.domain import Aggregate, event

from ledger import writer as writer_module
from ledger.writer import WriteTimedOut


class Counter(Aggregate):
    """A stand-in aggregate: one event per increment."""

    @event("Created")
    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    @event("Incremented")
    def increment(self) -> None:
        self.count += 1


def _events_in_store(runtime) -> int:
    return len(runtime.app.recorder.select_notifications(start=1, limit=1_000_000))


def test_a_batch_larger_than_one_transaction_runs_each_command_once(runtime, monkeypatch):
    monkeypatch.setattr(writer_module, "MAX_EVENTS_PER_TRANSACTION", 50)
    runs: list[int] = []
    gate = threading.Event()
    blocker = runtime.writer.submit(lambda uow: gate.wait(10))

    def command(n: int):
        def run(uow):
            runs.append(n)
            counter = uow.add(Counter(f"c{n}"))
            for _ in range(19):
                counter.increment()
            return counter.id
        return run

    futures = [runtime.writer.submit(command(n)) for n in range(20)]  # 400 events, 60 a transaction: seven
    batches_before = runtime.writer.batches
    gate.set()
    blocker.result(10)
    outcomes = [f.result(30) for f in futures]
    assert sorted(runs) == list(range(20))  # each command ran exactly once
    assert runtime.writer.batches - batches_before == 7
    positions = [o.position for o in outcomes]
    assert positions == sorted(positions) and len(set(positions)) == 20
    assert _events_in_store(runtime) == 400
    for outcome in outcomes:
        assert runtime.app.repository.get(outcome.result).count == 19


def test_the_aggregate_cache_survives_a_split(runtime, monkeypatch):
    monkeypatch.setattr(writer_module, "MAX_EVENTS_PER_TRANSACTION", 10)
    counter_id = runtime.writer.execute(lambda uow: uow.add(Counter("shared")).id).result
    reads: list[object] = []
    real_get = runtime.app.repository.get
    monkeypatch.setattr(runtime.app.repository, "get", lambda *a, **k: reads.append(a) or real_get(*a, **k))
    gate = threading.Event()
    blocker = runtime.writer.submit(lambda uow: gate.wait(10))

    def bump(uow):
        counter = uow.get(Counter, counter_id)
        for _ in range(6):
            counter.increment()
        return counter.count

    futures = [runtime.writer.submit(bump) for _ in range(10)]  # 60 events: split every second command
    gate.set()
    blocker.result(10)
    assert [f.result(30).result for f in futures] == [6 * (n + 1) for n in range(10)]
    assert reads == []  # never rebuilt from the store
    assert real_get(counter_id).count == 60


def test_one_large_command_commits_unit_by_unit_and_resumes(runtime, monkeypatch):
    monkeypatch.setattr(writer_module, "MAX_EVENTS_PER_TRANSACTION", 30)
    ids = runtime.writer.execute(lambda uow: [uow.add(Counter(f"u{n}")).id for n in range(12)]).result
    batches_before = runtime.writer.batches

    def run(fail_at: int | None):
        def command(uow):
            done = 0
            for n, counter_id in enumerate(ids):
                counter = uow.get(Counter, counter_id)
                if counter.count:  # this unit was committed by an earlier attempt
                    continue
                if n == fail_at:
                    raise ValueError(f"unit {n} broke a rule")
                for _ in range(10):
                    counter.increment()
                done += 1
                uow.checkpoint()
            return done
        return command

    with pytest.raises(ValueError, match="unit 7"):
        runtime.writer.execute(run(fail_at=7))
    counts = [runtime.app.repository.get(i).count for i in ids]
    assert counts[:6] == [10] * 6  # committed at checkpoints, each unit whole
    assert set(counts[6:]) <= {0, 10} and counts[7:] == [0] * 5  # unit 7 and later: nothing
    assert runtime.writer.batches - batches_before >= 2
    committed = sum(1 for c in counts if c)
    outcome = runtime.writer.execute(run(fail_at=None))  # the retry does the units left
    assert outcome.result == 12 - committed
    assert [runtime.app.repository.get(i).count for i in ids] == [10] * 12
    assert outcome.position == runtime.app.recorder.max_notification_id()


def test_a_command_queued_past_its_deadline_fails_unrun_and_the_writer_goes_on(runtime):
    gate = threading.Event()
    blocker = runtime.writer.submit(lambda uow: gate.wait(1.0))  # holds the writer past the deadline
    ran: list[str] = []
    late = runtime.writer.submit(lambda uow: ran.append("late") or uow.add(Counter("late")), deadline=0.2)
    patient = runtime.writer.submit(lambda uow: ran.append("patient") or uow.add(Counter("patient")))
    blocker.result(10)
    with pytest.raises(WriteTimedOut):
        late.result(10)
    assert patient.result(10).position is not None  # no deadline: it waits as long as it takes
    assert ran == ["patient"]
    assert runtime.writer.execute(lambda uow: uow.add(Counter("after")).name).result == "after"
