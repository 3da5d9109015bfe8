"""Value types are decoded from history without re-running their rules (DOMAIN.md §1; issue 7).

The audit stamp refuses an empty actor or reason when an event is recorded; if that rule is
tightened later, events stamped under the old rule must still load and replay, on both stores.
"""

from __future__ import annotations

from datetime import date

import pytest

from api.runtime import all_projections
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.book import Book, book_id
from ledger.values import DataclassTranscoding
from projections.replay import replay


def _refuse_every_stamp(self: Audit) -> None:
    raise ValueError("tightened in this test: no audit stamp is acceptable any more")


def test_value_types_decode_without_rules(runtime, monkeypatch):
    audit = Audit("accountant-1", "accountant", "open the book")
    runtime.execute(lambda uow: bookkeeping.open_book(
        uow, audit, book_code="vt1", name="vt1", entity_kind="collective", community_id="c1", township_id="t1",
        chart_name="collective_2023", starts_on=date(2024, 1, 1)))
    monkeypatch.setattr(Audit, "__post_init__", _refuse_every_stamp)
    with pytest.raises(ValueError, match="tightened"):
        Audit("accountant-1", "accountant", "a new command meets the new rule")
    runtime.writer.cache.clear()
    book = runtime.app.repository.get(book_id("vt1"))  # decoded from the store again
    assert isinstance(book, Book) and book.book_code == "vt1"
    report = replay(runtime.app, runtime.config, runtime.runner, all_projections)
    assert report.matches, (report.live, report.replayed)


def test_decoding_takes_defaults_and_refuses_fields_the_class_lacks():
    transcoding = DataclassTranscoding(Audit, "anju.Audit")
    decoded = transcoding.decode({"actor": "a", "role": "accountant", "reason": "r"})
    assert decoded == Audit("a", "accountant", "r") and decoded.idempotency_key is None
    with pytest.raises(TypeError, match="lacks"):
        transcoding.decode({"actor": "a", "role": "accountant", "reason": "r", "colour": "red"})
    with pytest.raises(TypeError, match="no default"):
        transcoding.decode({"actor": "a", "role": "accountant"})
