"""Use cases against aggregate state (SQLite store, no HTTP): year-end figures from the book's own months."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from api.runtime import Runtime
from domain.collective import application as app
from domain.collective.charter import make_charter
from domain.collective.distribution import Distribution, DividendLine, distribution_id
from domain.collective.errors import (
    DividendsAlreadyPaid,
    InvalidRecordDate,
    MemberAlreadyConfirmed,
    ShareChangeDateTooEarly,
)
from domain.collective.membership import Membership, MembershipEndReason, membership_id
from domain.collective.organisation import Organisation, organisation_id
from domain.collective.resolution import AssemblyResolution
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.journal import VoucherDraft, credit, debit
from tests.collective.helpers import CREDIT_CODE, identity_number

D = Decimal
AUDIT = Audit("acc", "accountant", "test")


@pytest.fixture
def rt(tmp_path) -> Iterator[Runtime]:
    runtime = Runtime.from_env(f"sqlite:///{tmp_path}/anju.db")
    yield runtime
    runtime.close()


def run(rt: Runtime, command):
    return rt.execute(command, wait_for_read_models=False).result


def passing(day: date, reference: str = "R", total: int = 3) -> AssemblyResolution:
    return AssemblyResolution(resolved_on=day, reference=reference, members_total=total, present=total,
                              in_favour=total)


def book_entry(rt: Runtime, day: date, amount: str, dr: str, cr: str) -> None:
    draft = VoucherDraft(day, "收支", (debit(dr, D(amount)), credit(cr, D(amount))))
    run(rt, lambda uow: bookkeeping.record_voucher(uow, AUDIT, "b1", draft))


def set_up(rt: Runtime, collective_units: int = 0) -> None:
    run(rt, lambda uow: app.register_organisation(
        uow, AUDIT, book_code="b1", name="合作社", community_id="c1", township_id="t1", credit_code=CREDIT_CODE,
        charter=make_charter(D(10), collective_units > 0), registered_on=date(2024, 1, 1)))
    run(rt, lambda uow: app.confirm_members(uow, AUDIT, rt.identity_key, "b1", passing(date(2024, 1, 5)), [
        app.MemberCandidate(f"m{i}", f"成员{i}", f"h{i}", identity_number(i)) for i in (1, 2, 3)]))
    run(rt, lambda uow: app.quantify(uow, AUDIT, "b1", passing(date(2024, 1, 10)), date(2024, 1, 10),
                                     {"m1": D(3), "m2": D(3), "m3": D(1)}, D(collective_units)))


def close_and_distribute(rt: Runtime, year: int, **options) -> Distribution:
    run(rt, lambda uow: app.close_year(uow, AUDIT, "b1", year))
    return run(rt, lambda uow: app.adopt_distribution(uow, AUDIT, "b1", year=year,
                                                      resolution=passing(date(year, 12, 28)), **options)).distribution


def test_loss_is_covered_before_the_reserve_is_withdrawn(rt):
    set_up(rt)
    book_entry(rt, date(2024, 6, 1), "2000.00", "513", "102")
    loss_year = close_and_distribute(rt, 2024)
    assert loss_year.figures.net_income == D("-2000.00") and loss_year.figures.declared == D("0.00")
    book_entry(rt, date(2025, 3, 1), "5000.00", "102", "501.01")
    cover = close_and_distribute(rt, 2025)
    figures = cover.figures
    assert (figures.opening_undistributed, figures.loss_covered, figures.withdrawal_base) == (
        D("-2000.00"), D("2000.00"), D("3000.00"))
    assert (figures.reserve_withdrawal, figures.distributable_to_members) == (D("300.00"), D("2700.00"))
    assert cover.lines == (DividendLine("m1", D(3), D("1157.14")), DividendLine("m2", D(3), D("1157.14")),
                           DividendLine("m3", D(1), D("385.72")))


def test_collective_share_class_dividend_stays_with_the_collective(rt):
    set_up(rt, collective_units=3)
    book_entry(rt, date(2024, 6, 1), "1000.00", "102", "501.01")
    distribution = close_and_distribute(rt, 2024)
    assert distribution.figures.collective_share_amount == D("270.00")
    assert sum(line.amount for line in distribution.lines) == D("630.00")
    december = rt.execute(lambda uow: bookkeeping.find_voucher(uow, "b1", distribution.voucher_numbers[-1])).result[1]
    assert [(l.account_code, l.credit) for l in december.lines if l.account_code == "311"] == [("311", D("270.00"))]


def test_dividends_follow_the_holdings_on_the_record_date(rt):
    set_up(rt)
    run(rt, lambda uow: app.transfer(uow, AUDIT, "b1", from_id="m1", to_id="m3", units=D(2),
                                     effective_on=date(2024, 7, 1), reference="转让"))
    book_entry(rt, date(2024, 6, 1), "700.00", "102", "501.01")
    run(rt, lambda uow: app.close_year(uow, AUDIT, "b1", 2024))
    for outside in (date(2025, 1, 1), date(2024, 1, 9)):
        with pytest.raises(InvalidRecordDate):
            run(rt, lambda uow, outside=outside: app.adopt_distribution(uow, AUDIT, "b1", year=2024, record_date=outside,
                                                       resolution=passing(date(2024, 12, 28))))
    distribution = run(rt, lambda uow: app.adopt_distribution(
        uow, AUDIT, "b1", year=2024, resolution=passing(date(2024, 12, 28)), record_date=date(2024, 6, 30),
        declared_amount=D("70.00"))).distribution
    assert [(l.member_id, l.units, l.amount) for l in distribution.lines] == [
        ("m1", D(3), D("30.00")), ("m2", D(3), D("30.00")), ("m3", D(1), D("10.00"))]


def test_share_changes_on_or_before_a_distribution_record_date_are_rejected(rt):
    set_up(rt)
    book_entry(rt, date(2024, 6, 1), "700.00", "102", "501.01")
    close_and_distribute(rt, 2024)
    with pytest.raises(ShareChangeDateTooEarly):
        run(rt, lambda uow: app.transfer(uow, AUDIT, "b1", from_id="m1", to_id="m3", units=D(1),
                                         effective_on=date(2024, 12, 31), reference="转让"))


def test_distribution_reversal_is_rejected_once_dividends_are_paid(rt):
    set_up(rt)
    book_entry(rt, date(2024, 6, 1), "700.00", "102", "501.01")
    close_and_distribute(rt, 2024)
    run(rt, lambda uow: app.pay_dividends(uow, AUDIT, "b1", year=2024, paid_on=date(2025, 1, 2),
                                          payments=[app.DividendPayment("m3", D("1.00"))]))
    with pytest.raises(DividendsAlreadyPaid):
        run(rt, lambda uow: app.reverse_distribution(uow, AUDIT, "b1", year=2024, red_date=date(2025, 1, 3)))


def test_static_management_births_and_deaths_do_not_change_holdings(rt):
    """生不增、死不减 (DOMAIN.md §3): a member confirmed later gets no units; a death leaves the units in place."""
    set_up(rt)
    run(rt, lambda uow: app.confirm_members(uow, AUDIT, rt.identity_key, "b1", passing(date(2024, 3, 1), total=4), [
        app.MemberCandidate("m4", "新生儿", "h1", identity_number(4, "20240201"))]))
    run(rt, lambda uow: app.end_membership(uow, AUDIT, "b1", "m1", date(2024, 4, 1), MembershipEndReason.DEATH))
    organisation = rt.execute(lambda uow: uow.get(Organisation, organisation_id("b1"))).result
    assert organisation.holdings == {"m1": D(3), "m2": D(3), "m3": D(1)}


def test_failed_command_records_nothing_on_any_aggregate(rt):
    set_up(rt)
    head = rt.app.recorder.max_notification_id()
    candidates = [app.MemberCandidate("m4", "甲", "h4", identity_number(4)),
                  app.MemberCandidate("m5", "乙", "h5", identity_number(1))]  # the second is m1 again
    with pytest.raises(MemberAlreadyConfirmed):
        run(rt, lambda uow: app.confirm_members(uow, AUDIT, rt.identity_key, "b1", passing(date(2024, 2, 1)),
                                                candidates))
    assert rt.app.recorder.max_notification_id() == head
    assert rt.execute(lambda uow: uow.get_optional(Membership, membership_id("b1", "m4"))).result is None


def test_streams_stay_short_however_many_members(rt):
    set_up(rt)
    candidates = [app.MemberCandidate(f"n{i:04d}", "成员", f"g{i // 3}", identity_number(100 + i, "19900101"))
                  for i in range(600)]
    run(rt, lambda uow: app.confirm_members(uow, AUDIT, rt.identity_key, "b1", passing(date(2024, 2, 1), total=603),
                                            candidates))
    organisation_events = rt.app.recorder.select_events(organisation_id("b1"))
    member_events = rt.app.recorder.select_events(membership_id("b1", "n0001"))
    assert len(organisation_events) == 4 and len(member_events) == 1


def test_distribution_figures_are_stored_with_the_plan(rt):
    set_up(rt)
    book_entry(rt, date(2024, 6, 1), "9999.99", "102", "501.01")
    close_and_distribute(rt, 2024)
    stored = Runtime.from_env(rt.config.url, follow=False)
    try:
        plan = stored.execute(lambda uow: uow.get(Distribution, distribution_id("b1", 2024, 1)),
                              wait_for_read_models=False).result
        organisation = stored.execute(lambda uow: uow.get(Organisation, organisation_id("b1")),
                                      wait_for_read_models=False).result
    finally:
        stored.close()
    assert [l.amount for l in plan.lines] == [D("3857.14"), D("3857.14"), D("1285.71")]
    assert organisation.active_distributions[2024] == (1, date(2024, 12, 31))
