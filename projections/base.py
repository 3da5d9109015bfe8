"""A read model declared once: its tables, its handlers by event class, its digests.

Every capability's read model is a ``ReadModel`` subclass:

* ``tables``: ``Table`` declarations. The DDL and the replay digest (rows in primary-key
  order) are derived from them, so a table cannot be created without being digested, and
  a digest cannot miss a column.
* ``topic_prefixes``: the module prefixes of the events it follows. Other events are
  skipped before they are decoded (decoding every voucher would bound replay speed).
* handlers: methods decorated ``@handles(SomeAggregate.SomeEvent, …)``; ``handle`` calls
  the one registered for each event's class. Dispatch is by topic string first: an event
  whose topic (resolved once per topic, old registered topics included) has no handler is
  ignored without being decoded; only an event a handler takes is decoded.
  ``@handles(…, raw=True)``: the method reads the stored JSON (``entry.data``) and the event
  is never decoded — for the bulk events (dividends paid, months billed, invoices, receipts,
  distribution and run lines), where decoding value types bounded replay.
* writes: the runner hands each read model a ``BatchingTransaction``: whole-row inserts of
  declared tables (``Table.insert_sql()``) are buffered and written once per table, before
  the next other statement and at the end of the batch.

The shared stream index (``StreamIndex``, table ``anju_streams``) maps every aggregate
stream to the book it belongs to and its natural code, from the stream's first event, so
no capability keeps its own stream-to-book table. The runner applies it first, in the
same transaction, so a handler can always look up the book of the stream it follows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from eventsourcing.utils import resolve_topic

from ledger.sqldb import Transaction
from projections.runner import BATCHED_INSERTS, BatchingTransaction, LogEntry  # noqa: F401 (re-exported)

Handler = Callable[[Any, Transaction, LogEntry, Any], None]


@dataclass(frozen=True)
class Table:
    """One read-model table: columns in order (``"name TYPE …"``), its key and indexes."""

    name: str
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]
    indexes: tuple[tuple[str, ...], ...] = ()
    digested: bool = True  # False only for lookup tables whose content the other tables imply
    digest_columns: tuple[str, ...] = ()  # default: every column

    def ddl(self) -> list[str]:
        body = ", ".join((*self.columns, f"PRIMARY KEY ({', '.join(self.primary_key)})"))
        statements = [f"CREATE TABLE IF NOT EXISTS {self.name} ({body})"]
        for number, columns in enumerate(self.indexes, start=1):
            statements.append(f"CREATE INDEX IF NOT EXISTS {self.name}_ix{number} ON {self.name} ({', '.join(columns)})")
        return statements

    def digest_query(self) -> str:
        columns = ", ".join(self.digest_columns) if self.digest_columns else "*"
        return f"SELECT {columns} FROM {self.name} ORDER BY {', '.join(self.primary_key)}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.split()[0] for column in self.columns)

    def insert_sql(self) -> str:
        """``INSERT`` of a whole row, in column order (written in batches, see ``BatchingTransaction``)."""
        return self._insert_sql

    @cached_property
    def _insert_sql(self) -> str:
        marks = ", ".join("?" for _ in self.columns)
        sql = f"INSERT INTO {self.name} VALUES ({marks})"
        BATCHED_INSERTS.add(sql)
        return sql

    def __post_init__(self) -> None:
        self.insert_sql()  # registered as batchable before any read model runs


def handles(*event_classes: type, raw: bool = False) -> Callable[[Handler], Handler]:
    """Mark a ``ReadModel`` method as the handler of the given event classes.

    ``raw=True``: the method takes the stored JSON (``entry.data``, values still wrapped as
    ``{"_type_", "_data_"}``) instead of the decoded event, so the event is never decoded (the
    bulk events: decoding them bounded replay). Only for classes without ``class_version``
    upcasts (checked when the read model is declared), since the JSON is read as stored.
    """

    def mark(method: Handler) -> Handler:
        method.__handles__ = event_classes  # type: ignore[attr-defined]
        method.__raw__ = raw  # type: ignore[attr-defined]
        return method

    return mark


class ReadModel:
    """Base of every read model that follows the log (see the module docstring)."""

    name: ClassVar[str]
    tables: ClassVar[tuple[Table, ...]] = ()
    topic_prefixes: ClassVar[tuple[str, ...]] = ()
    _handlers: ClassVar[dict[type, str]]
    _raw: ClassVar[frozenset[str]]
    _by_topic: ClassVar[dict[str, str | None]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[type, str] = {}
        raw: set[str] = set()
        for klass in reversed(cls.__mro__):
            for attribute, value in vars(klass).items():
                for event_class in getattr(value, "__handles__", ()):
                    handlers[event_class] = attribute
                if getattr(value, "__raw__", False):
                    raw.add(attribute)
                    for event_class in value.__handles__:
                        assert getattr(event_class, "class_version", 1) == 1, (
                            f"{event_class.__qualname__} is upcast: {cls.__name__}.{attribute} cannot read it raw")
        cls._handlers = handlers
        cls._raw = frozenset(raw)
        cls._by_topic = {}  # topic string → handler name (None: no handler), filled as topics are met

    # --- what the runner calls --------------------------------------------------------
    def create_tables(self, tx: Transaction) -> None:
        for table in self.tables:
            for statement in table.ddl():
                tx.execute(statement)

    def digest_queries(self) -> list[str]:
        return [table.digest_query() for table in self.tables if table.digested]

    def follows(self, topic: str) -> bool:
        return topic.startswith(self.topic_prefixes)

    def handle(self, tx: Transaction, entries: list[LogEntry]) -> None:
        by_topic = self._by_topic
        read_streams(tx, {entry.stream_id for entry in entries if self.follows(entry.topic)})
        for entry in entries:
            topic = entry.topic
            if topic in by_topic:
                name = by_topic[topic]
            elif not self.follows(topic):
                name = by_topic[topic] = None
            else:
                name = self._handler_of_topic(topic)
            if name is None:
                continue
            if name in self._raw:
                getattr(self, name)(tx, entry, entry.data)
                continue
            event = entry.event
            if type(event) in self._handlers:  # the class resolved from the topic (upcast or not)
                getattr(self, self._handlers[type(event)])(tx, entry, event)
        self.flush(tx)

    def _handler_of_topic(self, topic: str) -> str | None:
        """The handler of the class a topic names (registered old topics too), without decoding."""
        try:
            event_class = resolve_topic(topic)
        except Exception:  # an unknown topic: decode it, so a broken event stops this read model visibly
            return "?"
        name = self._by_topic[topic] = self._handlers.get(event_class)
        return name

    def flush(self, tx: Transaction) -> None:
        """Called after each batch: read models that buffer rows write them here."""


# --- the shared stream index --------------------------------------------------------------

STREAMS = Table(
    "anju_streams",
    ("originator_id TEXT NOT NULL", "book_code TEXT NOT NULL", "kind TEXT NOT NULL", "code TEXT NOT NULL",
     "position BIGINT NOT NULL"),
    ("originator_id",),
    indexes=(("book_code", "kind", "code"),),
)

#: The natural code of a stream, by the attribute its first event carries it in — the most specific
#: first, since a first event may also name its parents (a lease names its tenant, a member a household).
NATURAL_CODE_ATTRIBUTES = ("lease_code", "works_code", "claim_code", "member_id", "project_code", "unit_id",
                           "household_id", "unit_number", "tenant_code", "fund_code", "month")


class StreamIndex(ReadModel):
    """Every aggregate stream that belongs to a book: its book, kind (class) and natural code.

    Built from raw JSON (no decoding): a stream's first event names ``book_code`` (and, for
    most aggregates, a natural code such as ``lease_code``). Streams without a book (tokens,
    idempotency records, books themselves) are not indexed.
    """

    name = "streams"
    tables = (STREAMS,)

    def handle(self, tx: Transaction, entries: list[LogEntry]) -> None:
        rows = []
        for entry in entries:
            if entry.originator_version != 1:
                continue
            data = entry.data
            book_code = data.get("book_code")
            if not isinstance(book_code, str):
                continue
            code = next((data[a] for a in NATURAL_CODE_ATTRIBUTES if isinstance(data.get(a), str)), book_code)
            rows.append((entry.stream_id, book_code, aggregate_kind(entry.topic), code, entry.position))
        if rows:
            tx.executemany(STREAMS.insert_sql(), rows)


def aggregate_kind(topic: str) -> str:
    """``domain.leases.lease:Lease.Signed`` → ``Lease``."""
    return topic.split(":", 1)[-1].split(".", 1)[0]


@dataclass(frozen=True)
class Stream:
    book_code: str
    kind: str
    code: str


def stream_of(tx: Transaction, entry: LogEntry) -> Stream:
    """The book, kind and natural code of the stream an entry belongs to."""
    cache = getattr(tx, "streams", None)  # a read model's batch reads each stream's row once
    if cache is not None:
        found = cache.get(entry.stream_id)
        if found is not None:
            return Stream(*found)
    row = tx.query_one("SELECT book_code, kind, code FROM anju_streams WHERE originator_id = ?",
                       (entry.stream_id,))
    assert row is not None, f"stream {entry.stream_id} has no creation event with a book_code"
    if cache is not None:
        cache[entry.stream_id] = (row[0], row[1], row[2])
    return Stream(row[0], row[1], row[2])


def read_streams(tx: Transaction, stream_ids: set[str]) -> None:
    """Read the stream-index rows of many streams at once (500 per query) into the batch's cache."""
    cache = getattr(tx, "streams", None)
    if cache is None:
        return
    ids = sorted(i for i in stream_ids if i not in cache)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        for originator, book_code, kind, code in tx.query(
                f"SELECT originator_id, book_code, kind, code FROM anju_streams WHERE originator_id IN ({marks})",
                chunk):
            cache[originator] = (book_code, kind, code)


def book_of(tx: Transaction, entry: LogEntry) -> str:
    return stream_of(tx, entry).book_code


def insert_rows(tx: Transaction, table: Table, rows: Iterable[Sequence[Any]]) -> None:
    batch = list(rows)
    if batch:
        tx.executemany(table.insert_sql(), batch)
