"""``anju demo``: resettlement communities' books, as in the seeds (CONTEXT.md).

Two townships: 东风镇 (``t-dongfeng``) with three communities of different sizes — the
large 阳光 (c001: ~3,000 members, 450 shop-fronts, 400 households; the subsidy
extension), the small 青山 (c002) and 河湾 (c003, whose collective runs at a loss from
2024) — and 兴隆乡 (``t-xinglong``) with one, 石桥 (c004). Each community is a
``DemoCommunity`` spec; each capability's ``load(runtime, progress, community)`` loads
into the community it is given.

Loads once: on a store that already holds the demo it changes nothing and says so.
Figures are deterministic (seeded generators, no clock: every date is fixed here), so
every load — on SQLite or PostgreSQL, on any day — gives the same books and events.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from api.runtime import Runtime
from ledger import bookkeeping
from ledger.access import AccessToken, Scope, new_token
from ledger.audit import Audit
from ledger.book import Book, book_id
from ledger.calendar import next_month
from ledger.journal import VoucherDraft, credit, debit

FIRST_DAY = date(2021, 1, 1)
LAST_MONTH = "2025-12"
CLOSED_THROUGH = "2025-10"


@dataclass(frozen=True)
class DemoCommunity:
    """One demo community: who it is, how big, and which of the showcases it carries."""

    community_id: str
    name: str  # 阳光安置社区
    short_name: str  # 阳光: in resolution and contract references
    township_id: str
    township_name: str
    seed: int = 0  # added to every capability's seed (0: the original c001 figures)
    scale_percent: int = 100  # the collective's monthly income and costs, in % of c001's
    loss_from_year: int | None = None  # from this year the management costs exceed the income (净收益 < 0)
    members: int = 3_000
    households: int = 1_000  # members' households
    cattle_households: int = 60  # households in the cattle-custody project (0: no project)
    market_units: int = 442
    street_units: int = 8
    subsidy_households: int = 400
    #: "extension": the partial ratio extended to 2026-06-30 (collection truly difficult);
    #: "late-transition": a newer site whose transition ends later (no extension); None: DOMAIN defaults.
    subsidy_policy: str | None = "extension"
    showcase: bool = True  # the one-off scenarios (red voucher, renewal, termination, votes, shop fund)

    @property
    def book_code(self) -> str:
        return f"{self.community_id}-collective"

    @property
    def accountant_actor(self) -> str:
        return "demo-accountant" if self.community_id == "c001" else f"demo-accountant-{self.community_id}"

    @property
    def township_actor(self) -> str:
        return "demo-township" if self.township_id == "t-dongfeng" else f"demo-township-{self.township_id}"

    def accountant(self, reason: str) -> Audit:
        return Audit(self.accountant_actor, "accountant", reason)

    def scaled(self, fen: int) -> int:
        return fen * self.scale_percent // 100


C001 = DemoCommunity("c001", "阳光安置社区", "阳光", "t-dongfeng", "东风镇")
SMALL = dict(showcase=False, cattle_households=0, street_units=2)
#: Every demo community, in load order. The first is the original demo community (tests name its figures).
COMMUNITIES: tuple[DemoCommunity, ...] = (
    C001,
    DemoCommunity("c002", "青山安置社区", "青山", "t-dongfeng", "东风镇", seed=2, scale_percent=12, members=60,
                  households=20, market_units=24, subsidy_households=30, subsidy_policy="late-transition", **SMALL),
    DemoCommunity("c003", "河湾安置社区", "河湾", "t-dongfeng", "东风镇", seed=3, scale_percent=6, loss_from_year=2024,
                  members=36, households=12, market_units=12, subsidy_households=20, subsidy_policy=None, **SMALL),
    DemoCommunity("c004", "石桥安置社区", "石桥", "t-xinglong", "兴隆乡", seed=4, scale_percent=9, members=45,
                  households=15, market_units=18, subsidy_households=24, subsidy_policy=None, **SMALL),
)
# The original single-community names, kept for the capability demos and tests that use them.
COMMUNITY_ID = C001.community_id
TOWNSHIP_ID = C001.township_id
COLLECTIVE_BOOK = C001.book_code
COMMUNITY_NAME = C001.name
SECOND_TOWNSHIP_ID = "t-xinglong"


def community(community_id: str) -> DemoCommunity:
    return next(c for c in COMMUNITIES if c.community_id == community_id)


@dataclass
class DemoReport:
    already_loaded: bool
    events: int = 0
    tokens: dict[str, str] = field(default_factory=dict)
    tokens_file: Path | None = None


def tokens_file(runtime: Runtime) -> Path:
    if runtime.config.dialect == "sqlite" and runtime.config.sqlite_path:
        return Path(os.path.dirname(os.path.abspath(runtime.config.sqlite_path))) / "anju-demo-tokens.json"
    return Path("anju-demo-tokens.json").absolute()


def load_demo(runtime: Runtime, progress: Callable[[str], None] = lambda _: None,
              communities: Sequence[DemoCommunity] = COMMUNITIES) -> DemoReport:
    """Load the demo communities (all by default; tests load a subset through the same path)."""
    file = tokens_file(runtime)
    first = communities[0].book_code
    exists = runtime.execute(lambda uow: uow.exists(Book, book_id(first)), wait_for_read_models=False)
    if exists.result:
        saved = json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
        return DemoReport(True, 0, saved, file if saved else None)
    head_before = runtime.app.recorder.max_notification_id() or 0
    tokens = _issue_tokens(runtime, communities)
    with runtime.bulk_load():  # the loaders read aggregates only: the read models catch up once, at the end
        for place in communities:
            load_community(runtime, place, progress)
        progress("anju demo: bringing the read models up to the log…")
    runtime.wait_for(runtime.app.recorder.max_notification_id())
    file.write_text(json.dumps(tokens, indent=2), encoding="utf-8")
    events = (runtime.app.recorder.max_notification_id() or 0) - head_before
    return DemoReport(False, events, tokens, file)


def load_community(runtime: Runtime, place: DemoCommunity, progress: Callable[[str], None]) -> None:
    """One community: its collective's book and five years of vouchers, every capability's part, month closes."""
    accountant = place.accountant("演示数据 demo data")
    say = progress if place is C001 else (lambda text: progress(text.replace("anju demo:", f"anju demo: {place.community_id}:", 1)))
    say("anju demo: opening the collective's book…")
    runtime.execute(lambda uow: bookkeeping.open_book(
        uow, accountant, book_code=place.book_code, name=f"{place.name}股份经济合作社",
        entity_kind="collective", community_id=place.community_id, township_id=place.township_id,
        chart_name="collective_2023", starts_on=FIRST_DAY))
    _monthly_vouchers(runtime, place, accountant, say)
    if place.showcase:
        _correction(runtime, place)
    from api import capabilities

    for load_part in capabilities.demo_parts():
        load_part(runtime, say, place)
    # Months close last, as an accountant would after each capability's postings.
    _close_months(runtime, place, accountant, say)


#: Token-file keys: one per role as before (accountant of c001, auditor of all, township of 东风镇), plus
#: the second township's office and a second community's accountant, so isolation can be tried.
TOKEN_KEYS = (
    ("accountant", "accountant", "community:c001", "demo-accountant"),
    ("auditor", "auditor", "all", "demo-auditor"),
    ("township", "township", "township:t-dongfeng", "demo-township"),
    ("township_t-xinglong", "township", "township:t-xinglong", "demo-township-t-xinglong"),
    ("accountant_c002", "accountant", "community:c002", "demo-accountant-c002"),
)


def _issue_tokens(runtime: Runtime, communities: Sequence[DemoCommunity]) -> dict[str, str]:
    audit = Audit("system", "system", "演示令牌 demo tokens")
    known = {c.community_id for c in communities} | {c.township_id for c in communities} | {"all"}
    tokens = {}
    for key, role, scope, subject in TOKEN_KEYS:
        if scope.partition(":")[2] not in known and scope not in known:
            continue
        token = new_token()
        runtime.execute(lambda uow, t=token, r=role, s=scope, n=subject: uow.add(
            AccessToken.issue(audit, t, n, r, Scope.parse(s))), wait_for_read_models=False)
        tokens[key] = token
    return tokens


def _month_day(month: str, day: int) -> date:
    return date(int(month[:4]), int(month[5:7]), day)


def _monthly_vouchers(runtime: Runtime, place: DemoCommunity, audit: Audit, progress: Callable[[str], None]) -> None:
    """Five years of a community collective's month: rent, property fees, subsidies, costs (scaled per community)."""
    rng = random.Random(20210101 + place.seed)
    fen = place.scaled
    month = "2021-01"
    futures = []
    while month <= LAST_MONTH:
        drafts = [
            VoucherDraft(_month_day(month, 5), f"{month} 门面租金收入", (
                debit("102", Decimal(rng.randint(fen(3_800_000), fen(4_600_000))) / 100),
            ), 3),
            VoucherDraft(_month_day(month, 10), f"{month} 物业服务费收入", (
                debit("102", Decimal(rng.randint(fen(1_200_000), fen(1_500_000))) / 100),
            ), 1),
            VoucherDraft(_month_day(month, 25), f"{month} 管理人员工资及办公费", (
                debit("513", Decimal(rng.randint(*_costs(place, month))) / 100),
            ), 2),
        ]
        drafts = [_balance(d) for d in drafts]
        if month.endswith(("-03", "-06", "-09", "-12")):
            amount = Decimal(rng.randint(fen(2_000_000), fen(3_000_000))) / 100
            drafts.append(VoucherDraft(_month_day(month, 20), f"{month} 收到物业服务费财政补贴", (
                debit("102", amount), credit("503", amount)), 1))
        if month.endswith("-09"):
            amount = Decimal(rng.randint(fen(300_000), fen(800_000))) / 100
            drafts.append(VoucherDraft(_month_day(month, 28), f"{month} 敬老助学公益支出", (
                debit("514", amount), credit("102", amount)), 2))
        for draft in drafts:
            futures.append(runtime.writer.submit(
                lambda uow, d=draft: bookkeeping.record_voucher(uow, audit, place.book_code, d)))
        if month.endswith("-12"):
            progress(f"anju demo: vouchers through {month}…")
        month = next_month(month)
    for future in futures:
        future.result(timeout=60)


def _costs(place: DemoCommunity, month: str) -> tuple[int, int]:
    """Monthly wages and office costs (fen); a community in losses pays three times its income's worth."""
    if place.loss_from_year is not None and int(month[:4]) >= place.loss_from_year:
        return place.scaled(11_500_000), place.scaled(12_500_000)
    return place.scaled(1_500_000), place.scaled(2_200_000)


def _balance(draft: VoucherDraft) -> VoucherDraft:
    """Complete a one-sided draft with its usual counter-entry."""
    line = draft.lines[0]
    counter = {"租金": ("501.01", "credit"), "物业服务费收入": ("501.02", "credit"), "工资": ("102", "credit")}
    for word, (account, side) in counter.items():
        if word in draft.summary:
            amount = line.debit
            other = credit(account, amount) if side == "credit" else debit(account, amount)
            return VoucherDraft(draft.voucher_date, draft.summary, (line, other), draft.attachments)
    raise AssertionError(f"no counter-entry for {draft.summary}")


def _correction(runtime: Runtime, place: DemoCommunity) -> None:
    """A wrong voucher (wrong account), cancelled by a red voucher and re-posted correctly."""
    audit = Audit("demo-accountant", "accountant", "误记入其他收入，应为补助收入")
    wrong = VoucherDraft(date(2025, 11, 12), "收到县乡村振兴局产业奖补资金", (
        debit("102", Decimal("50000.00")), credit("504", Decimal("50000.00"))), 1)
    posted = runtime.execute(lambda uow: bookkeeping.record_voucher(uow, audit, place.book_code, wrong)).result
    right = VoucherDraft(date(2025, 11, 20), "收到县乡村振兴局产业奖补资金（更正）", (
        debit("102", Decimal("50000.00")), credit("503", Decimal("50000.00"))), 1)
    runtime.execute(lambda uow: bookkeeping.reverse_voucher(uow, audit, place.book_code, posted.number,
                                                           date(2025, 11, 20), right))


def _close_months(runtime: Runtime, place: DemoCommunity, audit: Audit, progress: Callable[[str], None]) -> None:
    # Submitted together: the writer runs them in order (each sees the month before closed) and
    # commits them in a few transactions instead of one per month.
    futures, month = [], "2021-01"
    while month <= CLOSED_THROUGH:
        futures.append(runtime.writer.submit(
            lambda uow, m=month: bookkeeping.close_month(uow, audit, place.book_code, m)))
        month = next_month(month)
    for future in futures:
        future.result(timeout=120)
    progress(f"anju demo: months closed through {CLOSED_THROUGH}")
