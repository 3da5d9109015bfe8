"""Stored leasing history keeps loading and replaying, on SQLite and PostgreSQL (issue 7; DOMAIN.md §1).

Books are kept 30 years: an event stored under today's rules must still load when a rule is
tightened later, and events stored before the aggregates moved module (their topics named
``domain.leases.model``) must still load and replay.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from decimal import Decimal

import psycopg
import pytest

from api.runtime import Runtime, all_projections
from domain.leases import application as leasing
from domain.leases import terms as lease_terms
from domain.leases.errors import NegativeEscalation, TermTooLong
from domain.leases.lease import Lease, lease_id
from domain.leases.shop_front import ShopFront, shop_front_id
from domain.leases.tenant import Tenant, tenant_id
from ledger import bookkeeping
from ledger.audit import Audit
from projections.replay import replay

AUDIT = Audit("test", "accountant", "lease history")
TERMS = {"start_on": date(2024, 3, 15), "end_on": date(2027, 3, 14), "billing_frequency": "monthly",
         "monthly_rent": "3100.00", "escalation_percent": "5", "deposit": "6200.00", "contract_reference": "合同-L1"}


def _store_a_lease(runtime: Runtime) -> None:
    def command(uow):
        bookkeeping.open_book(uow, AUDIT, book_code="b1", name="b1", entity_kind="collective", community_id="c1",
                              township_id="t1", chart_name="collective_2023", starts_on=date(2024, 1, 1))
        leasing.register_shop_front(uow, AUDIT, "b1", unit_number="A-101", location="临街", floor_area_m2="50.00",
                                    owner="county-platform", operator="b1", manager="c1-property",
                                    rights_effective_on=date(2024, 1, 1))
        leasing.register_tenant(uow, AUDIT, "b1", tenant_code="T1", name="张三便利店", kind="business", contact="1")
        leasing.sign_lease(uow, AUDIT, "b1", lease_code="L1", tenant_code="T1", unit_numbers=["A-101"], **TERMS)
        leasing.receive_deposit(uow, AUDIT, "b1", "L1", received_on=date(2024, 3, 15), amount="6200.00")
        leasing.run_billing(uow, AUDIT, "b1", ["L1"], "2025-03")
        leasing.record_receipt(uow, AUDIT, "b1", "T1", received_on=date(2024, 7, 11), amount="5000.00")
        leasing.run_late_fees(uow, AUDIT, "b1", ["T1"], as_of=date(2024, 7, 31))

    runtime.execute(command)


def _stricter_escalation(escalation_percent: object) -> Decimal:
    percent = Decimal(str(escalation_percent))
    if not 0 <= percent <= 3:
        raise NegativeEscalation("tightened in this test: escalation from 0 to 3 %")
    return percent


def test_a_lease_stored_before_a_rule_is_tightened_still_loads_and_replays(runtime, monkeypatch):
    """Rules run when a command is accepted, never when history is decoded."""
    _store_a_lease(runtime)
    stored = runtime.app.repository.get(lease_id("b1", "L1"))
    # Tighten two rules the stored lease breaks: a 1-year term limit, escalation at most 3 %.
    monkeypatch.setattr(lease_terms, "TERM_LIMIT_MONTHS", 12)
    monkeypatch.setattr(lease_terms, "check_escalation_not_negative", _stricter_escalation)
    with pytest.raises(TermTooLong):
        runtime.execute(lambda uow: leasing.sign_lease(uow, AUDIT, "b1", lease_code="L2", tenant_code="T1",
                                                       unit_numbers=["A-101"], **{**TERMS, "start_on": date(2028, 1, 1),
                                                                                  "end_on": date(2030, 1, 1)}))
    fresh = runtime.app.repository.get(lease_id("b1", "L1"))  # decoded from the store again
    assert fresh.terms == stored.terms and fresh.terms.end_on == date(2027, 3, 14)
    assert sorted(fresh.billed) == sorted(stored.billed) and len(fresh.billed) == 13
    # The old lease goes on under the terms it was agreed on.
    billed = runtime.execute(lambda uow: leasing.bill_lease(uow, AUDIT, "b1", "L1", "2025-04")).result
    assert [b.invoice.amount for b in billed if b.invoice] == [Decimal("3255.00")]
    report = replay(runtime.app, runtime.config, runtime.runner, all_projections)
    assert report.matches, (report.live, report.replayed)
    assert report.events == runtime.app.recorder.max_notification_id()


def _rewrite_leasing_rows(runtime: Runtime, rewrite) -> int:
    """Rewrite the stored rows of leasing events (topic, state) as an older release stored them."""
    config = runtime.config
    if config.dialect == "sqlite":
        conn = sqlite3.connect(config.sqlite_path)
        table, key, mark = "stored_events", "rowid", "?"
    else:
        conn = psycopg.connect(config.pg_conninfo, autocommit=True, options=f"-c search_path={config.pg_schema}")
        table, key, mark = "anju_events", "notification_id", "%s"
    rows = conn.execute(f"SELECT {key}, topic, state FROM {table} WHERE topic LIKE 'domain.leases.%'").fetchall()
    for row_id, topic, state in rows:
        new_topic, new_state = rewrite(topic, bytes(state))
        conn.execute(f"UPDATE {table} SET topic = {mark}, state = {mark} WHERE {key} = {mark}",
                     (new_topic, new_state, row_id))
    conn.commit()
    conn.close()
    return len(rows)


def _as_before_the_move(topic: str, state: bytes) -> tuple[str, bytes]:
    """``domain.leases.lease:Lease.Signed`` → ``domain.leases.model:Lease.Signed``; no floor areas kept."""
    module, _, name = topic.partition(":")
    data = json.loads(state)
    if "originator_topic" in data:
        data["originator_topic"] = "domain.leases.model:" + data["originator_topic"].partition(":")[2]
    data.pop("floor_areas_m2", None)
    old_state = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return ("domain.leases.model:" + name if module.startswith("domain.leases.") else topic), old_state


def test_events_stored_under_the_old_module_topics_still_load_and_replay(runtime):
    """The aggregates moved out of ``domain/leases/model.py``; ``domain.leases.topics`` keeps the old topics."""
    _store_a_lease(runtime)
    before = {cls: runtime.app.repository.get(aggregate_id) for cls, aggregate_id in (
        (ShopFront, shop_front_id("b1", "A-101")), (Tenant, tenant_id("b1", "T1")), (Lease, lease_id("b1", "L1")))}
    runtime.runner.catch_up()
    assert _rewrite_leasing_rows(runtime, _as_before_the_move) > 20
    old_topics = runtime.app.recorder.select_events(lease_id("b1", "L1"))
    assert {event.topic.partition(":")[0] for event in old_topics} == {"domain.leases.model"}
    for cls, aggregate in before.items():
        loaded = runtime.app.repository.get(aggregate.id)
        assert type(loaded) is cls and loaded.version == aggregate.version
    lease = runtime.app.repository.get(lease_id("b1", "L1"))
    assert not lease.floor_areas_m2  # signed before the areas were kept: billing reads the shop-fronts'
    assert lease.billed == before[Lease].billed and lease.deposit_held == Decimal("6200.00")
    report = replay(runtime.app, runtime.config, runtime.runner, all_projections)
    assert report.live["leases"] == report.replayed["leases"]
    assert report.live["streams"] == report.replayed["streams"]
