"""``anju demo``: the community's shop-fronts — 442 market units and 8 street shops — leased and billed.

Months through 2025-10 are closed before this runs, so leases signed earlier are taken
over from paper records with billing from 2025-11-01 (``billing_from``). Figures are
deterministic (a seeded generator). What it shows: mixed terms and frequencies,
rent-free months, escalations, per-m² rents, vacancies, tenants in arrears, a renewal,
late fees, and one early termination for non-payment with the deposit applied.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date, timedelta
from decimal import Decimal

from api.demo import C001, COLLECTIVE_BOOK, DemoCommunity
from api.runtime import Runtime
from domain.leases import application as leasing
from domain.leases.lease import TerminationGrounds
from ledger.audit import Audit

FIRST_OPEN_DAY = date(2025, 11, 1)
BILL_THROUGH = "2026-11"
MARKET_UNITS = 442
STREET_UNITS = 8
VACANT_EVERY = 9  # about one unit in nine stands empty
AUDIT_REASON = "演示数据 门面租赁 demo leases"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林"
TRADES = ("便利店", "粉面馆", "五金店", "服装店", "理发店", "药店", "水果店", "早餐店", "手机维修", "农资店", "小吃店", "文具店")


def load(runtime: Runtime, progress: Callable[[str], None], place: DemoCommunity = C001) -> None:
    rng = random.Random(20251101 + place.seed)
    book, AUDIT = place.book_code, place.accountant(AUDIT_REASON)
    units = _register(runtime, rng, place)
    progress(f"anju demo: {len(units)} shop-fronts registered")
    leases = _sign(runtime, rng, units, place)
    progress(f"anju demo: {len(leases)} leases signed")
    _deposits(runtime, leases, place)
    # One run per lease so the writer commits them in batches; expired leases bill through their end.
    _wait([runtime.writer.submit(lambda uow, c=code: leasing.run_billing(uow, AUDIT, book, [c],
                                                                          BILL_THROUGH)) for code in leases])
    progress(f"anju demo: rent billed through {BILL_THROUGH}")
    _receipts(runtime, rng, leases, place)
    if place.showcase:
        _renewal_and_termination(runtime, sorted(leases))
    runtime.execute(lambda uow: leasing.run_late_fees(uow, AUDIT, book, sorted({t for t, *_ in
                                                      leases.values()}), as_of=date(2026, 10, 31)),
                    wait_for_read_models=False)
    progress("anju demo: receipts, " + ("a renewal, an early termination and " if place.showcase else "")
             + "a late-fee run recorded")


def _wait(futures: list[Future]) -> list:
    return [future.result(timeout=120).result for future in futures]


def _register(runtime: Runtime, rng: random.Random, place: DemoCommunity) -> list[tuple[str, Decimal]]:
    book, AUDIT = place.book_code, place.accountant(AUDIT_REASON)
    units = [(f"M-{n:03d}", Decimal(rng.choice((12, 15, 18, 20, 24, 30, 36))) + Decimal(rng.randint(0, 99)) / 100)
             for n in range(1, place.market_units + 1)]
    units += [(f"S-{n:02d}", Decimal(rng.randint(45, 120))) for n in range(1, place.street_units + 1)]
    futures = []
    for index, (unit, area) in enumerate(units):
        market = unit.startswith("M-")
        # The market hall is county-owned and run by a market company for the first 40 stalls.
        operator = "market-co" if market and index < 40 and place.showcase else book
        owner = "county-platform" if market else book
        share = Decimal("70") if operator != book else None
        location = f"移民市场{index // 60 + 1}区" if market else "安置区临街门面"
        futures.append(runtime.writer.submit(
            lambda uow, u=unit, a=area, o=owner, op=operator, s=share, loc=location: leasing.register_shop_front(
                uow, AUDIT, book, unit_number=u, location=loc, floor_area_m2=a, owner=o, operator=op,
                manager=f"{place.community_id}-property", rights_effective_on=date(2021, 1, 1), collective_share_percent=s)))
    _wait(futures)
    return units


def _sign(runtime: Runtime, rng: random.Random, units: list[tuple[str, Decimal]],
          place: DemoCommunity) -> dict[str, tuple[str, str, date, date]]:
    """Lease code → (tenant, unit, start, end). Vacant units get none."""
    book, AUDIT = place.book_code, place.accountant(AUDIT_REASON)
    leases: dict[str, tuple[str, str, date, date]] = {}
    futures = []
    for index, (unit, area) in enumerate(units):
        if index % VACANT_EVERY == 4:
            continue
        tenant_code = f"T{index + 1:03d}"
        name = f"{rng.choice(SURNAMES)}记{rng.choice(TRADES)}"
        kind = "business" if rng.random() < 0.6 else "person"
        start_on = date(2022, 1, 1) + timedelta(days=rng.randint(0, 4 * 365 + 200))
        years = rng.choice((1, 2, 3, 3, 5, 5, 10))
        end_on = date(start_on.year + years, start_on.month, 1) + timedelta(days=start_on.day - 2)
        if end_on < FIRST_OPEN_DAY + timedelta(days=60):
            end_on = date(2027 + index % 3, start_on.month, 1) + timedelta(days=start_on.day - 2)
        street = unit.startswith("S-")
        rate = Decimal(rng.choice((30, 35, 40, 45, 55))) if not street else Decimal(rng.choice((60, 70, 80)))
        terms = {
            "start_on": start_on, "end_on": end_on,
            "billing_frequency": rng.choices(("monthly", "quarterly", "yearly"), (7, 2, 1))[0],
            "monthly_rent": None if street else str((rate * area).quantize(Decimal("1"))) + ".00",
            "rent_per_m2_month": str(rate) + ".00" if street else None,
            "rent_free_months": rng.choice((0, 0, 0, 1, 2, 3)) if start_on >= FIRST_OPEN_DAY else 0,
            "escalation_percent": rng.choice(("0", "0", "3", "5")),
            "deposit": str((rate * area * 2).quantize(Decimal("1"))) + ".00",
            "contract_reference": f"{place.short_name}市场租赁〔{start_on.year}〕{index + 1:03d}号",
        }
        lease_code = f"L{start_on.year}-{index + 1:03d}"
        leases[lease_code] = (tenant_code, unit, start_on, end_on)

        # Drawn here, not inside the command: the writer runs commands on its own thread, and a
        # draw there would interleave with this loop's (the demo would differ from run to run).
        contact = f"1{rng.randint(3000000000, 9999999999)}"

        def command(uow, t=tenant_code, n=name, k=kind, c=lease_code, u=unit, terms=terms, contact=contact):
            leasing.register_tenant(uow, AUDIT, book, tenant_code=t, name=n, kind=k, contact=contact)
            return leasing.sign_lease(uow, AUDIT, book, lease_code=c, tenant_code=t, unit_numbers=[u],
                                      billing_from=max(terms["start_on"], FIRST_OPEN_DAY), **terms)

        futures.append(runtime.writer.submit(command))
    _wait(futures)
    return leases


def _deposits(runtime: Runtime, leases: dict[str, tuple[str, str, date, date]], place: DemoCommunity) -> None:
    book, AUDIT = place.book_code, place.accountant(AUDIT_REASON)
    futures = []
    for code, (_, _, start_on, _) in leases.items():
        received_on = max(start_on, date(2025, 11, 3))

        def command(uow, c=code, on=received_on):
            lease = leasing.get_lease(uow, book, c)
            return leasing.receive_deposit(uow, AUDIT, book, c, received_on=on,
                                           amount=lease.terms.deposit)

        futures.append(runtime.writer.submit(command))
    _wait(futures)


def _receipts(runtime: Runtime, rng: random.Random, leases: dict[str, tuple[str, str, date, date]],
              place: DemoCommunity) -> None:
    """Most tenants pay on the due date, some within three weeks, some months late; one in twelve stops paying."""
    book, AUDIT = place.book_code, place.accountant(AUDIT_REASON)
    today = date(2026, 11, 20)
    plans = []
    for code, (tenant_code, *_) in leases.items():
        behaviour = rng.random()
        stops_on = date(2026, rng.randint(2, 10), 1) if behaviour < 0.08 else None
        delay_days = rng.randint(35, 100) if 0.08 <= behaviour < 0.15 else (rng.randint(1, 20) if behaviour < 0.3 else 0)
        plans.append((code, tenant_code, stops_on, delay_days))
    invoices = _invoices(runtime, book, [code for code, *_ in plans])
    futures = []
    for code, tenant_code, stops_on, delay_days in plans:
        for due_on, amount in invoices[code]:
            paid_on = due_on + timedelta(days=delay_days)
            if paid_on > today or (stops_on is not None and due_on >= stops_on):
                continue
            futures.append(runtime.writer.submit(
                lambda uow, t=tenant_code, on=paid_on, a=amount: leasing.record_receipt(
                    uow, AUDIT, book, t, received_on=on, amount=a, reference="银行转账")))
    _wait(futures)


def _invoices(runtime: Runtime, book: str, codes: list[str]) -> dict[str, list[tuple[date, Decimal]]]:
    def command(uow):
        result = {}
        for code in codes:
            lease = leasing.get_lease(uow, book, code)
            result[code] = sorted((b.invoice.due_on, b.invoice.amount) for b in lease.billed.values() if b.invoice)
        return result

    return runtime.execute(command, wait_for_read_models=False).result


def _renewal_and_termination(runtime: Runtime, codes: list[str]) -> None:
    """A street shop renews early at a higher rent; a market stall in arrears is terminated and its deposit applied.

    The showcase of the demo community c001 only (its book, its accountant)."""
    AUDIT = C001.accountant(AUDIT_REASON)
    def renew(uow):
        lease = leasing.get_lease(uow, COLLECTIVE_BOOK, _lease_of(uow, "S-01"))
        return leasing.renew_lease(uow, AUDIT, COLLECTIVE_BOOK, lease.lease_code, new_lease_code="R2026-S01",
                                   end_on=lease.terms.end_on + timedelta(days=3 * 365), billing_frequency="quarterly",
                                   rent_per_m2_month="85.00", escalation_percent="3",
                                   deposit=str(lease.terms.deposit), contract_reference="阳光市场续租〔2026〕001号")

    runtime.execute(renew, wait_for_read_models=False)

    def terminate(uow):
        for code in codes:
            lease = leasing.get_lease(uow, COLLECTIVE_BOOK, code)
            tenant = leasing.get_tenant(uow, COLLECTIVE_BOOK, lease.tenant_code)
            if (lease.terms.end_on > date(2026, 12, 31) and lease.deposit_held > 0
                    and tenant.overdue_on(date(2026, 6, 15)) > 0 and tenant.amount_open(date(2026, 6, 1)) > 0):
                audit = Audit("demo-accountant", "accountant", "拖欠租金经催告仍未支付，解除合同（民法典第722条）")
                leasing.terminate_lease(uow, audit, COLLECTIVE_BOOK, code, terminated_on=date(2026, 6, 30),
                                        grounds=TerminationGrounds.NON_PAYMENT, demand_on=date(2026, 6, 15))
                return code
        raise AssertionError("the demo has a tenant in arrears")

    code = runtime.execute(terminate, wait_for_read_models=False).result
    applied = Audit("demo-accountant", "accountant", "押金抵扣欠租")
    runtime.execute(lambda uow: leasing.apply_deposit(uow, applied, COLLECTIVE_BOOK, code,
                                                      applied_on=date(2026, 7, 3)), wait_for_read_models=False)

    def refund_rest(uow):
        lease = leasing.get_lease(uow, COLLECTIVE_BOOK, code)
        if lease.deposit_held > 0:
            leasing.refund_deposit(uow, Audit("demo-accountant", "accountant", "退还剩余押金"), COLLECTIVE_BOOK,
                                   code, refunded_on=date(2026, 7, 6))

    runtime.execute(refund_rest, wait_for_read_models=False)


def _lease_of(uow, unit: str) -> str:
    shop_front = leasing.get_shop_front(uow, COLLECTIVE_BOOK, unit)
    return shop_front.occupancies[-1].lease_code
