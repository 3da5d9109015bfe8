"""The history of one aggregate for auditors: every event with its audit fields, chain link and
the aggregate's state before and after it.

Streams are addressed as callers know them: by the book and the natural code the shared
stream index keeps (``anju_streams``: a lease code, a member id, a household id, a month …),
by a voucher number, or by the stream id the global event list shows. The audit fields,
positions and links come from the history read model (``anju_event_index``) and the chain
(``anju_chain``); the states come from folding the stream's own stored events up to the
page's last version, so what is shown is what the log says, not what a read model made of it.

States are rendered as JSON-safe values (Decimal as strings, dates as ISO, value types as
objects). Under an attribute that names a secret (``hash``, ``identity``, ``token``: identity-number
HMACs, the identity index, token hashes) every 64-hex-digit string is shown as ``<redacted>``.
A collection of more than ``COLLECTION_LIMIT`` entries (a month's vouchers,
a fund's units, an identity index) is shown by its size and the entries the event changed, and a
long list inside a value (a voucher of 3,000 dividend lines) by its first ``NESTED_LIMIT`` entries and
a count, so a page stays bounded however long the stream or the voucher is.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from ledger.sqldb import Transaction
from ledger.store import AnjuApplication
from projections.history import EVENT_COLUMNS, EventRow, event_row

COLLECTION_LIMIT = 10  # a larger top-level collection is shown by its size and the entries the event changed
NESTED_LIMIT = 20  # a longer list or mapping inside a value (a voucher's lines) shows its first entries
HISTORY_DEFAULT_LIMIT = 20
HISTORY_MAX_LIMIT = 100
REDACTED = "<redacted>"
_SECRET_SHAPE = re.compile(r"^[0-9a-f]{64}$")
_SECRET_NAME = re.compile(r"hash|identity|token", re.IGNORECASE)
_MAX_DEPTH = 8

#: What callers call an aggregate → the kind the stream index records (the aggregate's class).
KIND_ALIASES = {
    "book": "Book", "month": "BookMonth", "period": "BookMonth", "organisation": "Organisation",
    "member": "Membership", "distribution": "Distribution", "project": "Project", "lease": "Lease",
    "tenant": "Tenant", "shop-front": "ShopFront", "household": "Household",
    "household-register": "HouseholdRegister", "billing-run": "BillingRun", "subsidy-claim": "SubsidyClaim",
    "subsidy-policy": "SubsidyPolicy", "fee-standards": "FeeStandards", "fund": "Fund", "works": "Works",
    "unit-register": "UnitRegister",
}
VOUCHER_KIND = "voucher"


# --- finding a stream ---------------------------------------------------------------------
@dataclass(frozen=True)
class StreamRef:
    stream_id: str
    book_code: str | None
    kind: str
    code: str | None


def canonical_stream_id(text: str) -> str | None:
    """A stream id as the read models keep it (hyphenated UUID); None if it is not a UUID."""
    try:
        return str(UUID(text))
    except (ValueError, AttributeError, TypeError):
        return None


def stream_ref(tx: Transaction, stream_id: str) -> StreamRef | None:
    """The stream's book, kind and code (streams without a book: kind from their first event)."""
    row = tx.query_one("SELECT book_code, kind, code FROM anju_streams WHERE originator_id = ?", (stream_id,))
    if row is not None:
        return StreamRef(stream_id, row[0], row[1], row[2])
    first = tx.query_one("SELECT event_type FROM anju_event_index WHERE originator_id = ? ORDER BY"
                         " originator_version LIMIT 1", (stream_id,))
    if first is None:
        return None
    return StreamRef(stream_id, None, first[0].split(".", 1)[0], None)


def resolve_kind(kind: str) -> str:
    return KIND_ALIASES.get(kind, kind)


def streams_named(tx: Transaction, book_code: str, kind: str, code: str) -> list[str]:
    """The stream ids a (book, kind, natural code) names: usually one; several when the code is not unique."""
    rows = tx.query("SELECT originator_id FROM anju_streams WHERE book_code = ? AND kind = ? AND code = ?"
                    " ORDER BY position", (book_code, resolve_kind(kind), code))
    return [r[0] for r in rows]


# --- the events of a stream, with audit fields and links ----------------------------------
def stream_events(tx: Transaction, stream_id: str, after_version: int, limit: int) -> tuple[list[EventRow], int | None]:
    """A page of the stream's events in version order, and the cursor (a version) of the next page."""
    rows = tx.query(EVENT_COLUMNS + " WHERE e.originator_id = ? AND e.originator_version > ?"
                    " ORDER BY e.originator_version LIMIT ?", (stream_id, after_version, limit + 1))
    events = [event_row(r) for r in rows[:limit]]
    return events, events[-1].stream_version if len(rows) > limit else None


def events_at(tx: Transaction, positions: Iterable[int]) -> list[EventRow]:
    wanted = sorted(set(positions))
    if not wanted:
        return []
    marks = ", ".join("?" for _ in wanted)
    return [event_row(r) for r in tx.query(EVENT_COLUMNS + f" WHERE e.position IN ({marks}) ORDER BY e.position",
                                           wanted)]


# --- states before and after ---------------------------------------------------------------
@dataclass(frozen=True)
class StateChange:
    version: int
    event: dict[str, Any]  # the event's own fields (audit and bookkeeping fields left out)
    before: dict[str, Any] | None
    after: dict[str, Any] | None


_EVENT_META = {"originator_id", "originator_version", "timestamp", "audit"}


def fold_states(app: AnjuApplication, stream_id: str, versions: Iterable[int]) -> dict[int, StateChange]:
    """Fold the stream's stored events up to the last wanted version; the state around each wanted one."""
    wanted = set(versions)
    if not wanted:
        return {}
    changes: dict[int, StateChange] = {}
    aggregate: Any = None
    for stored in app.events.get(UUID(stream_id), lte=max(wanted)):
        version = stored.originator_version
        if version not in wanted:
            aggregate = stored.mutate(aggregate)
            continue
        before_view, big_before = _snapshot(aggregate)
        aggregate = stored.mutate(aggregate)
        after_view, big_after = _snapshot(aggregate)
        before, after = _bounded(before_view, big_before, after_view, big_after)
        event_fields = {k: render_named(k, v) for k, v in vars(stored).items() if k not in _EVENT_META}
        changes[version] = StateChange(version, event_fields, before, after)
    return changes


def _snapshot(aggregate: Any) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The aggregate's public state rendered now (the next event may change it in place), and shallow
    copies of its collections, to compare with the state after when one of them is large."""
    if aggregate is None:
        return None, {}
    small: dict[str, Any] = {"id": str(aggregate.id), "version": aggregate.version}
    collections: dict[str, Any] = {}
    for name, value in vars(aggregate).items():
        if name.startswith("_") or name == "pending_events":
            continue
        if isinstance(value, dict | list | tuple | set | frozenset):
            collections[name] = dict(value) if isinstance(value, dict) else list(value)
            if len(value) > COLLECTION_LIMIT:
                continue
        small[name] = render_named(name, value)
    return small, collections


def _bounded(before: dict | None, old: dict, after: dict | None, new: dict) -> tuple[dict | None, dict | None]:
    """A collection large on either side as its size and the entries that differ between the two states."""
    for name in old.keys() | new.keys():
        old_items, new_items = _items(old.get(name)), _items(new.get(name))
        if max(len(old_items), len(new_items)) <= COLLECTION_LIMIT:
            continue
        changed = [k for k in old_items.keys() | new_items.keys()
                   if old_items.get(k, _MISSING) != new_items.get(k, _MISSING)]
        changed.sort(key=str)
        for state, items in ((before, old_items), (after, new_items)):
            if state is not None:
                state[name] = {"entries_total": len(items),
                               "entries_changed": _entries(name, {k: items[k] for k in changed if k in items})}
    return before, after


_MISSING = object()


def _entries(name: str, items: dict) -> dict[str, Any]:
    rendered = render_named(name, items)
    return rendered if isinstance(rendered, dict) else {}


def _items(value: Any) -> dict:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    if isinstance(value, list | tuple):
        return dict(enumerate(value))
    return {}


def _key(key: Any, secret: bool = False) -> str:
    text = render(key, 0, secret)
    return text if isinstance(text, str) else str(text)


def render(value: Any, depth: int = 0, secret: bool = False) -> Any:
    """A JSON-safe form of a state value; under a name of a secret, 64-hex-digit strings redacted."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return REDACTED if secret and _SECRET_SHAPE.match(value) else value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Enum):
        return render(value.value, depth, secret)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return REDACTED
    if depth >= _MAX_DEPTH:
        return str(value)[:200]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: render(getattr(value, f.name), depth + 1, secret or _names_secret(f.name))
                for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        result: dict[str, Any] = {}
        for number, (key, item) in enumerate(value.items(), start=1):
            if depth > 0 and number > NESTED_LIMIT:
                result["…"] = f"{len(value) - NESTED_LIMIT} more entries (另有 {len(value) - NESTED_LIMIT} 项)"
                break
            name = _key(key, secret)
            result[f"{REDACTED}#{number}" if name == REDACTED else name] = render(
                item, depth + 1, secret or _names_secret(name))
        return result
    if isinstance(value, list | tuple):
        shown = [render(item, depth + 1, secret) for item in value[:NESTED_LIMIT]]
        if len(value) > NESTED_LIMIT:
            shown.append(f"… {len(value) - NESTED_LIMIT} more (另有 {len(value) - NESTED_LIMIT} 项)")
        return shown
    if isinstance(value, set | frozenset):
        return sorted((render(item, depth + 1, secret) for item in value), key=str)
    if hasattr(value, "__dict__"):
        return {k: render(v, depth + 1, secret or _names_secret(k)) for k, v in vars(value).items()
                if not k.startswith("_")}
    return str(value)


def render_named(name: str, value: Any) -> Any:
    """An attribute's value, redacted if the attribute names a secret."""
    return render(value, 0, _names_secret(name))


def _names_secret(name: str) -> bool:
    """Attributes that hold identity-number HMACs or token hashes (``keyed_hash_hex``, ``identity_index``,
    ``identity_hash``, ``token_sha256``): their 64-hex-digit strings are never shown."""
    return bool(_SECRET_NAME.search(name))


# --- a voucher's history (vouchers live inside their month's stream) -------------------------
@dataclass(frozen=True)
class VoucherTrail:
    number: str
    month_stream: str
    sequence: int
    recorded_position: int
    red_number: str | None
    red_position: int | None
    reverses: str | None


def voucher_trail(tx: Transaction, book_code: str, number: str) -> VoucherTrail | None:
    row = tx.query_one("SELECT month, sequence, position, reversed_by, reverses FROM anju_vouchers"
                       " WHERE book_code = ? AND number = ?", (book_code, number))
    if row is None:
        return None
    month_stream = tx.query_one("SELECT originator_id FROM anju_streams WHERE book_code = ? AND kind = 'BookMonth'"
                                " AND code = ?", (book_code, row[0]))
    if month_stream is None:
        return None
    red_position = None
    if row[3]:
        red = tx.query_one("SELECT position FROM anju_vouchers WHERE book_code = ? AND number = ?", (book_code, row[3]))
        red_position = int(red[0]) if red else None
    return VoucherTrail(number, str(month_stream[0]), int(row[1]), int(row[2]), row[3], red_position, row[4])


def reversal_marks(tx: Transaction, month_stream: str) -> list[EventRow]:
    """The month's VoucherReversed events (few: one per red voucher of a voucher of that month)."""
    rows = tx.query(EVENT_COLUMNS + " WHERE e.originator_id = ? AND e.event_type = 'BookMonth.VoucherReversed'"
                                     " ORDER BY e.originator_version", (month_stream,))
    return [event_row(r) for r in rows]


def voucher_view(month: Any, sequence: int) -> dict[str, Any] | None:
    """The voucher as its month holds it: the voucher and, once reversed, its red voucher's number."""
    if month is None or sequence not in getattr(month, "vouchers", {}):
        return None
    return {"voucher": render(month.vouchers[sequence]), "reversed_by": month.reversed_by.get(sequence),
            "period_closed": month.closed}


def voucher_states(app: AnjuApplication, trail: VoucherTrail, events: list[EventRow]) -> dict[int, StateChange]:
    """For each event of the trail (by position): the voucher's view before and after it.

    The events of the voucher's month are folded on that stream; the red voucher's own recording
    (in the red voucher's month) leaves the voucher's view as it was and shows the red voucher as the event.
    """
    by_position: dict[int, StateChange] = {}
    month_events = {e.stream_version: e for e in events if e.stream_id == trail.month_stream}
    if month_events:
        month: Any = None
        for stored in app.events.get(UUID(trail.month_stream), lte=max(month_events)):
            version = stored.originator_version
            before = voucher_view(month, trail.sequence) if version in month_events else None
            month = stored.mutate(month)
            if version in month_events:
                fields = {k: render_named(k, v) for k, v in vars(stored).items() if k not in _EVENT_META}
                by_position[month_events[version].position] = StateChange(
                    version, fields, before, voucher_view(month, trail.sequence))
        current = voucher_view(month, trail.sequence)
    else:
        current = None
    for other in events:
        if other.stream_id == trail.month_stream:
            continue
        stored = next(iter(app.events.get(UUID(other.stream_id), gt=other.stream_version - 1,
                                               lte=other.stream_version)), None)
        fields = {k: render_named(k, v) for k, v in vars(stored).items() if k not in _EVENT_META} if stored else {}
        by_position[other.position] = StateChange(other.stream_version, fields, current, current)
    return by_position


def is_mark_of(app: AnjuApplication, mark: EventRow, sequence: int) -> bool:
    """Whether a VoucherReversed event of the month marks the voucher with this sequence."""
    stored = next(iter(app.events.get(UUID(mark.stream_id), gt=mark.stream_version - 1,
                                           lte=mark.stream_version)), None)
    return stored is not None and getattr(stored, "sequence", None) == sequence
