"""``anju demo``: 400 resettlement households of the demo community, their property fees and subsidies.

The households moved in between 2016 and June 2019 (as the seeds report), into 5-storey
and 6–9-storey buildings. Most sites charged nothing at first, and the collective's
books close 2021–2025 with year-end distributions before this part runs, so billing
here starts in 2026-01 (``billing_from_month``): the schedules still run from each
move-in month, so every household sees what the scheme gave it month by month. The
township granted this community an extension of the partial ratio to 2026-06-30
(policy version 1: collection "truly difficult"), so the first half of 2026 is
subsidised at 50 % and then the subsidy ends. Billing runs through 2026-11; the
2026-Q1 claim is approved and paid, the 2026-Q2 claim returned with a reason; most
households pay their share, some are in arrears; one floor area is corrected after
billing (an adjustment line in the next run), one household moves out mid-month. In the
showcase community three households in arrears are reminded (催缴: recorded only, 民法典 Art. 944).
Deterministic (a seeded generator); committed in batches.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date, timedelta

from api.demo import C001, DemoCommunity
from api.runtime import Runtime
from domain.subsidies import application as subsidies
from domain.subsidies import billing_run
from ledger.audit import Audit
from ledger.calendar import months_between

BOOK = C001.book_code
HOUSEHOLDS = C001.subsidy_households
BATCH = 100  # households per registration command
FIRST_BILLED, BILL_THROUGH = "2026-01", "2026-11"
ACCOUNTANT_REASON = "演示数据 物业服务费补贴 demo property fees"
TOWNSHIP_REASON = "演示：乡镇财政所审核补贴申领"
#: A newer site (moved in 2023–2024) whose transition the township set to end later: no extension.
LATE_MOVE_IN_FROM, LATE_TRANSITION_END = date(2023, 3, 1), date(2027, 12, 31)
BUILDINGS = (("B01", "1号楼", 5, False), ("B02", "2号楼", 5, False), ("B03", "3号楼", 5, False),
             ("B04", "4号楼", 5, False), ("B05", "5号楼", 7, True), ("B06", "6号楼", 9, True),
             ("B07", "7号楼", 9, True), ("B08", "8号楼", 6, True))
AREAS = ("40.00", "60.00", "80.00", "100.00", "120.00", "75.5", "90.25")
#: Move-ins the boundaries are checked on: 29 February, and the 31st of a month.
SPECIAL_MOVE_INS = {1: date(2016, 2, 29), 2: date(2017, 1, 31), 3: date(2018, 5, 31), 4: date(2019, 3, 31)}


def load(runtime: Runtime, progress: Callable[[str], None], place: DemoCommunity = C001) -> None:
    rng = random.Random(20160229 + place.seed)
    book, accountant = place.book_code, place.accountant(ACCOUNTANT_REASON)
    _register(runtime, rng, place)
    progress(f"anju demo: subsidies: {place.subsidy_households} households registered in {len(BUILDINGS)} buildings")
    if place.subsidy_policy == "extension":
        _run(runtime, lambda uow: subsidies.adopt_policy_version(
            uow, accountant, book, effective_on=date(2026, 1, 1), extension_granted=True,
            extension_until=date(2026, 6, 30), transition_end=date(2026, 6, 30)))
    elif place.subsidy_policy == "late-transition":
        _run(runtime, lambda uow: subsidies.adopt_policy_version(
            uow, accountant, book, effective_on=date(2026, 1, 1), transition_end=LATE_TRANSITION_END))
    _bill(runtime, book, accountant, FIRST_BILLED, "2026-03")
    # A floor area found wrong after billing: corrected from January, adjusted in the April run.
    _run(runtime, lambda uow: subsidies.correct_floor_area(uow, accountant, book, "H0007",
                                                           effective_on=date(2026, 1, 1), floor_area_m2="82.40"))
    _run(runtime, lambda uow: subsidies.record_move_out(uow, accountant, book, "H0012",
                                                        moved_out_on=date(2026, 4, 15)))
    _bill(runtime, book, accountant, "2026-04", BILL_THROUGH)
    progress(f"anju demo: subsidies: billed {FIRST_BILLED}…{BILL_THROUGH}")
    if place.subsidy_policy is not None:  # under the defaults nothing is subsidised in 2026: nothing to claim
        _claims(runtime, place)
    _receipts(runtime, rng, place)
    if place.showcase:
        _reminders(runtime, place)
    progress("anju demo: subsidies: claims approved, returned and paid; household receipts, some in arrears")


def _run(runtime: Runtime, command: Callable) -> object:
    return runtime.execute(command, wait_for_read_models=False).result


def _wait(futures: list[Future]) -> None:
    for future in futures:
        future.result(timeout=300)


def _register(runtime: Runtime, rng: random.Random, place: DemoCommunity) -> None:
    book, accountant = place.book_code, place.accountant(ACCOUNTANT_REASON)
    for code, name, storeys, lift in BUILDINGS:
        _run(runtime, lambda uow, c=code, n=name, s=storeys, l=lift: subsidies.register_building(
            uow, accountant, book, building_code=c, name=n, storeys=s, has_lift=l))
    items = []
    late = place.subsidy_policy == "late-transition"
    for n in range(1, place.subsidy_households + 1):
        building = BUILDINGS[n % len(BUILDINGS)][0]
        if late:
            moved_in_on = LATE_MOVE_IN_FROM + timedelta(days=rng.randint(0, 600))
        else:
            moved_in_on = SPECIAL_MOVE_INS.get(n) or date(2016, 1, 1) + timedelta(days=rng.randint(0, 1276))
        persons = rng.randint(2, 7)
        items.append(subsidies.HouseholdInput(
            f"H{n:04d}", building, f"{building[1:]}-{(n % 30) // 2 + 1}-{n % 2 + 1:02d}{n % 6 + 1}",
            rng.choice(AREAS), moved_in_on, persons, rng.randint(0, min(persons, 3)), None, FIRST_BILLED))
    _wait([runtime.writer.submit(lambda uow, chunk=items[i:i + BATCH]: subsidies.register_households(
        uow, accountant, runtime.identity_key, book, chunk)) for i in range(0, len(items), BATCH)])


def _bill(runtime: Runtime, book: str, accountant: Audit, first: str, last: str) -> None:
    """One run per command, one after the other: a run touches every household, so two runs in one
    writer batch would exceed its bound on events per save and be re-run in halves."""
    today = date(2026, 12, 1)
    for month in months_between(first, last):
        _run(runtime, lambda uow, m=month: billing_run.run_billing(uow, accountant, book, m, today=today))


def _claims(runtime: Runtime, place: DemoCommunity) -> None:
    """2026-Q1 approved and paid; 2026-Q2 returned (c001) or approved and awaiting the money (the others)."""
    book, accountant = place.book_code, place.accountant(ACCOUNTANT_REASON)
    township = Audit(place.township_actor, "township", TOWNSHIP_REASON)
    _run(runtime, lambda uow: subsidies.submit_claim(uow, accountant, book, "2026-Q1", submitted_on=date(2026, 4, 8)))
    _run(runtime, lambda uow: subsidies.approve_claim(uow, township, book, "2026-Q1", approved_on=date(2026, 4, 20)))
    claim = _run(runtime, lambda uow: subsidies.get_claim(uow, book, "2026-Q1"))
    _run(runtime, lambda uow: subsidies.record_subsidy_receipt(
        uow, accountant, book, received_on=date(2026, 5, 12), amount=claim.amount, reference="乡财政拨款〔2026〕17号"))
    _run(runtime, lambda uow: subsidies.submit_claim(uow, accountant, book, "2026-Q2", submitted_on=date(2026, 7, 6)))
    if place.showcase:
        _run(runtime, lambda uow: subsidies.return_claim(uow, township, book, "2026-Q2", returned_on=date(2026, 7, 15),
                                                         reason="请补充迁出住户H0012的迁出证明"))
    else:
        _run(runtime, lambda uow: subsidies.approve_claim(uow, township, book, "2026-Q2",
                                                          approved_on=date(2026, 7, 20)))


def _receipts(runtime: Runtime, rng: random.Random, place: DemoCommunity) -> None:
    """Four households in five pay what they owed by mid-November; the others stay in arrears."""
    book, accountant = place.book_code, place.accountant(ACCOUNTANT_REASON)
    def pay(uow, household_id: str, day: date) -> None:  # noqa: ANN001
        owed = subsidies.get_household(uow, book, household_id).owed
        if owed > 0:
            subsidies.record_household_receipt(uow, accountant, book, household_id, received_on=day, amount=owed,
                                               reference="现金收款")

    _wait([runtime.writer.submit(lambda uow, h=f"H{n:04d}", d=date(2026, 11, rng.randint(1, 15)): pay(uow, h, d))
           for n in range(1, place.subsidy_households + 1) if n % 5])


#: Reminders given to households in arrears (one in five pays nothing): household, day, method, note.
REMINDERS = (("H0005", date(2026, 11, 20), "phone", "电话提醒缴纳2026年物业费"),
             ("H0010", date(2026, 11, 23), "visit", "上门提醒，住户表示月底前缴纳"),
             ("H0010", date(2026, 11, 30), "notice", "送达书面催缴通知"),
             ("H0015", date(2026, 11, 25), "message", "短信提醒"))


def _reminders(runtime: Runtime, place: DemoCommunity) -> None:
    book, accountant = place.book_code, place.accountant(ACCOUNTANT_REASON)
    for household_id, day, method, note in REMINDERS:
        _run(runtime, lambda uow, h=household_id, d=day, m=method, n=note: subsidies.remind_household(
            uow, accountant, book, h, reminded_on=d, method=m, note=n, today=date(2026, 12, 1)))
