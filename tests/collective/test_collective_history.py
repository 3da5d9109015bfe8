"""Stored history keeps loading: topics of the old ``domain.collective.model``, and rules tightened later.

Books are kept 30 years (DOMAIN.md §1): events written before the capability
skeleton carry ``domain.collective.model:…`` topics, and the rules a value was
checked against when it was accepted may be tightened afterwards. Both must
still load into aggregates and replay into identical read models, on both stores.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from eventsourcing.utils import resolve_topic

from api.runtime import Runtime, all_projections
from domain.collective import application as app
from domain.collective import identity, membership, resolution
from domain.collective.charter import make_charter
from domain.collective.distribution import Distribution, distribution_id
from domain.collective.errors import InconsistentResolution
from domain.collective.membership import Membership, membership_id
from domain.collective.organisation import Organisation, organisation_id
from domain.collective.project import Project
from domain.collective.resolution import AssemblyResolution
from domain.collective.topics import OLD_MODULE, old_topics
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.journal import VoucherDraft, credit, debit
from projections.replay import replay
from tests.collective.helpers import CREDIT_CODE, identity_number

D = Decimal
AUDIT = Audit("acc", "accountant", "history test", "key-1")
AGGREGATES = (Organisation, Membership, Distribution, Project)
MOVED_TO = tuple(cls.__module__ for cls in AGGREGATES)


def _passing(day: date, reference: str = "成员大会决议") -> AssemblyResolution:
    return AssemblyResolution.recorded(resolved_on=day, reference=reference, members_total=3, present=3, in_favour=3)


def _a_year(rt: Runtime) -> None:
    """An organisation's first year: members, shares, income, close, distribution, a payment, a project cycle."""
    run = rt.execute
    run(lambda uow: app.register_organisation(
        uow, AUDIT, book_code="b1", name="合作社", community_id="c1", township_id="t1", credit_code=CREDIT_CODE,
        charter=make_charter(D(10), True), registered_on=date(2024, 1, 1)))
    run(lambda uow: app.confirm_members(uow, AUDIT, rt.identity_key, "b1", _passing(date(2024, 1, 5)), [
        app.MemberCandidate(f"m{i}", f"成员{i}", f"h{i}", identity_number(i)) for i in (1, 2, 3)]))
    run(lambda uow: app.quantify(uow, AUDIT, "b1", _passing(date(2024, 1, 10)), date(2024, 1, 10),
                                 {"m1": D(3), "m2": D(3), "m3": D(1)}, D(1)))
    run(lambda uow: app.end_membership(uow, AUDIT, "b1", "m2", date(2024, 5, 1),
                                       membership.MembershipEndReason.VOLUNTARY_EXIT))
    draft = VoucherDraft(date(2024, 6, 1), "租金", (debit("102", D("9999.99")), credit("501.01", D("9999.99"))))
    run(lambda uow: bookkeeping.record_voucher(uow, AUDIT, "b1", draft))
    run(lambda uow: app.register_project(uow, AUDIT, "b1", project_code="cattle", name="养牛", method="fixed-per-unit",
                                         amount_per_unit=D("2000.00"), units_by_household={"h1": 2},
                                         started_on=date(2024, 3, 1)))
    run(lambda uow: app.pay_project_cycle(uow, AUDIT, "b1", project_code="cattle", cycle=1,
                                          paid_on=date(2024, 11, 20)))
    run(lambda uow: app.close_year(uow, AUDIT, "b1", 2024))
    run(lambda uow: app.adopt_distribution(uow, AUDIT, "b1", year=2024, resolution=_passing(date(2024, 12, 28))))
    run(lambda uow: app.pay_dividends(uow, AUDIT, "b1", year=2024, paid_on=date(2025, 1, 5),
                                      payments=[app.DividendPayment("m1", D("100.00"))]))


def _move_topics_back(rt: Runtime) -> int:
    """Rewrite the stored topics as they were before the skeleton (``domain.collective.model:…``)."""
    table = rt.config.events_table
    events_db = getattr(rt, "events_db", rt.db)  # the events' own database (read models may live apart)
    with events_db.transaction() as tx:
        for module in MOVED_TO:
            tx.execute(f"UPDATE {table} SET topic = REPLACE(topic, ?, ?) WHERE topic LIKE ?",
                       (f"{module}:", f"{OLD_MODULE}:", f"{module}:%"))
        row = tx.query_one(f"SELECT COUNT(*) FROM {table} WHERE topic LIKE ?", (f"{OLD_MODULE}:%",))
    return int(row[0])


def _load(config) -> tuple[Organisation, Membership, Distribution]:
    fresh = Runtime(config, follow=False)
    try:
        return fresh.execute(lambda uow: (uow.get(Organisation, organisation_id("b1")),
                                          uow.get(Membership, membership_id("b1", "m2")),
                                          uow.get(Distribution, distribution_id("b1", 2024, 1))),
                             wait_for_read_models=False).result
    finally:
        fresh.close()


def _replay_matches_except_chain(rt: Runtime) -> None:
    """Every read model replays to the live digest (the chain hashes topics, so it is left out)."""
    report = replay(rt.app, rt.config, rt.runner, all_projections)
    live = {k: v for k, v in report.live.items() if k != "chain"}
    assert live == {k: v for k, v in report.replayed.items() if k != "chain"}
    assert "collective" in live


def test_every_old_topic_resolves_to_the_class_that_moved() -> None:
    for aggregate in AGGREGATES:
        topics = old_topics(aggregate)
        assert f"{OLD_MODULE}:{aggregate.__name__}" in topics
        for topic, cls in topics.items():
            assert resolve_topic(topic) is cls
    assert resolve_topic(f"{OLD_MODULE}:Organisation.Registered") is Organisation.Registered
    assert resolve_topic(f"{OLD_MODULE}:Membership.DividendPaid") is Membership.DividendPaid
    assert resolve_topic(f"{OLD_MODULE}:Distribution.Reversed") is Distribution.Reversed
    assert resolve_topic(f"{OLD_MODULE}:Project.CyclePaid") is Project.CyclePaid


def test_history_stored_under_the_old_module_still_loads_and_replays(runtime):
    _a_year(runtime)
    runtime.runner.catch_up()
    assert _move_topics_back(runtime) > 10
    organisation, ended, distribution = _load(runtime.config)
    assert organisation.closed_years[2024].net_income == D("5999.99")
    assert organisation.active_distributions[2024][0] == 1 and organisation.projects == {"cattle"}
    assert not ended.is_current and distribution.figures.reserve_withdrawal == D("600.00")
    _replay_matches_except_chain(runtime)


def test_values_accepted_under_a_rule_load_after_the_rule_is_tightened(runtime, monkeypatch):
    _a_year(runtime)
    runtime.runner.catch_up()
    # Tighten, in-test, rules every stored value was checked against when it was accepted.
    monkeypatch.setattr(resolution, "REFERENCE_LENGTH_LIMIT", 2)
    monkeypatch.setattr(identity, "_MASKED_SHAPE", identity.re.compile(r"never"))
    monkeypatch.setattr(membership, "MEMBER_ID_LENGTH_LIMIT", 1)
    organisation, ended, distribution = _load(runtime.config)
    assert distribution.resolution.reference == "成员大会决议"
    assert ended.line.identity.masked.endswith(identity_number(2)[-4:])
    assert organisation.members_confirmed == 3
    _replay_matches_except_chain(runtime)
    with pytest.raises(InconsistentResolution):  # the tightened rule runs when a command is accepted
        _passing(date(2025, 1, 5))
