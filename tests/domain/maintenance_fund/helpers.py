"""An in-memory ledger for the fund's use cases: commands run all-or-nothing, as in the writer."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import domain.maintenance_fund.application  # noqa: F401 - value types registered before the app opens
import domain.leases.shop_front  # noqa: F401
from domain.maintenance_fund import application as mf
from domain.maintenance_fund.fund import Fund, fund_id
from domain.maintenance_fund.interest import InterestBasis
from domain.maintenance_fund.unit import Owner
from ledger.audit import Audit
from ledger.book import BookMonth, book_month_id
from ledger.calendar import month_of, next_month
from ledger.store import AnjuApplication
from ledger.writer import AggregateCache, UnitOfWork

D = Decimal
AUDIT = Audit("acc", "accountant", "test")


class Ledger:
    """Runs use cases against an in-memory store; a failing command saves nothing."""

    def __init__(self) -> None:
        import ledger.access  # noqa: F401
        import ledger.book  # noqa: F401

        self.app = AnjuApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})

    def run(self, command) -> Any:
        uow = UnitOfWork(self.app, AggregateCache())
        result = command(uow)
        dirty = uow.dirty()
        if dirty:
            self.app.save(*dirty)
        return result

    def fund(self, code: str = "f1") -> Fund:
        return self.app.repository.get(fund_id(code))

    def vouchers(self, book_code: str, first: str = "2016-01", last: str = "2030-12"):
        month = first
        while month <= last:
            try:
                period: BookMonth = self.app.repository.get(book_month_id(book_code, month))
            except Exception:
                period = None
            if period is not None:
                yield from period.vouchers.values()
            month = next_month(month)

    def balances(self, book_code: str, through: date | None = None) -> dict[tuple[str, str], Decimal]:
        """(account, sub-ledger) → net debit, from the book's own vouchers."""
        totals: dict[tuple[str, str], Decimal] = defaultdict(lambda: D("0.00"))
        for voucher in self.vouchers(book_code):
            if through is not None and voucher.voucher_date > through:
                continue
            for line in voucher.lines:
                totals[(line.account_code, line.subledger)] += line.debit - line.credit
        return dict(totals)

    def account(self, book_code: str, code: str, through: date | None = None) -> Decimal:
        return sum((v for (a, _), v in self.balances(book_code, through).items() if a == code), D("0.00"))


def person(owner_id: str, name: str = "") -> Owner:
    return Owner.named(owner_id, "owner", name or owner_id)


def unit(unit_id: str, area: str, owner: Owner, building: str = "B1", stairwell: str = "1", kind: str = "flat",
         **extra) -> mf.UnitInput:
    return mf.UnitInput(unit_id=unit_id, kind=kind, floor_area_m2=area, building=building, stairwell=stairwell,
                        owner=owner, **extra)


def open_fund(ledger: Ledger, code: str = "f1", opened_on: date = date(2016, 1, 1), standard: str = "50.00",
              basis: InterestBasis = InterestBasis.PERIOD_END, community: str = "c1") -> Fund:
    return ledger.run(lambda uow: mf.open_fund(
        uow, AUDIT, fund_code=code, name=f"{code} 维修资金", community_id=community, township_id="t1",
        area_kind="management_area", building="", opened_on=opened_on, deposit_standard=D(standard),
        interest_basis=basis))


__all__ = ["AUDIT", "D", "Ledger", "month_of", "open_fund", "person", "unit"]
