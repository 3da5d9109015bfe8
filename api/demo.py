"""``anju demo``: a resettlement community's books, as in the seeds (CONTEXT.md).

Loads once: on a store that already holds the demo it changes nothing and says so.
Figures are deterministic (a seeded generator), so every load gives the same books.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
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

COMMUNITY_ID = "c001"
TOWNSHIP_ID = "t-dongfeng"
COLLECTIVE_BOOK = "c001-collective"
COMMUNITY_NAME = "阳光安置社区"
FIRST_DAY = date(2021, 1, 1)
LAST_MONTH = "2025-12"
CLOSED_THROUGH = "2025-10"


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


def load_demo(runtime: Runtime, progress: Callable[[str], None] = lambda _: None) -> DemoReport:
    file = tokens_file(runtime)
    exists = runtime.execute(lambda uow: uow.exists(Book, book_id(COLLECTIVE_BOOK)), wait_for_read_models=False)
    if exists.result:
        saved = json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
        return DemoReport(True, 0, saved, file if saved else None)
    head_before = runtime.app.recorder.max_notification_id() or 0
    accountant = Audit("demo-accountant", "accountant", "演示数据 demo data")
    tokens = _issue_tokens(runtime)
    progress("anju demo: opening the collective's book…")
    runtime.execute(lambda uow: bookkeeping.open_book(
        uow, accountant, book_code=COLLECTIVE_BOOK, name=f"{COMMUNITY_NAME}股份经济合作社",
        entity_kind="collective", community_id=COMMUNITY_ID, township_id=TOWNSHIP_ID,
        chart_name="collective_2023", starts_on=FIRST_DAY))
    _monthly_vouchers(runtime, accountant, progress)
    _correction(runtime)
    from api import capabilities

    for load_part in capabilities.demo_parts():
        load_part(runtime, progress)
    # Months close last, as an accountant would after each capability's postings.
    _close_months(runtime, accountant, progress)
    runtime.wait_for(runtime.app.recorder.max_notification_id())
    file.write_text(json.dumps(tokens, indent=2), encoding="utf-8")
    events = (runtime.app.recorder.max_notification_id() or 0) - head_before
    return DemoReport(False, events, tokens, file)


def _issue_tokens(runtime: Runtime) -> dict[str, str]:
    audit = Audit("system", "system", "演示令牌 demo tokens")
    tokens = {}
    for role, scope, subject in (
        ("accountant", f"community:{COMMUNITY_ID}", "demo-accountant"),
        ("auditor", "all", "demo-auditor"),
        ("township", f"township:{TOWNSHIP_ID}", "demo-township"),
    ):
        token = new_token()
        runtime.execute(lambda uow, t=token, r=role, s=scope, n=subject: uow.add(
            AccessToken.issue(audit, t, n, r, Scope.parse(s))), wait_for_read_models=False)
        tokens[role] = token
    return tokens


def _month_day(month: str, day: int) -> date:
    return date(int(month[:4]), int(month[5:7]), day)


def _monthly_vouchers(runtime: Runtime, audit: Audit, progress: Callable[[str], None]) -> None:
    """Five years of a community collective's month: rent, property fees, subsidies, costs."""
    rng = random.Random(20210101)
    month = "2021-01"
    futures = []
    while month <= LAST_MONTH:
        drafts = [
            VoucherDraft(_month_day(month, 5), f"{month} 门面租金收入", (
                debit("102", Decimal(rng.randint(3_800_000, 4_600_000)) / 100),
            ), 3),
            VoucherDraft(_month_day(month, 10), f"{month} 物业服务费收入", (
                debit("102", Decimal(rng.randint(1_200_000, 1_500_000)) / 100),
            ), 1),
            VoucherDraft(_month_day(month, 25), f"{month} 管理人员工资及办公费", (
                debit("513", Decimal(rng.randint(1_500_000, 2_200_000)) / 100),
            ), 2),
        ]
        drafts = [_balance(d) for d in drafts]
        if month.endswith(("-03", "-06", "-09", "-12")):
            amount = Decimal(rng.randint(2_000_000, 3_000_000)) / 100
            drafts.append(VoucherDraft(_month_day(month, 20), f"{month} 收到物业服务费财政补贴", (
                debit("102", amount), credit("503", amount)), 1))
        if month.endswith("-09"):
            amount = Decimal(rng.randint(300_000, 800_000)) / 100
            drafts.append(VoucherDraft(_month_day(month, 28), f"{month} 敬老助学公益支出", (
                debit("514", amount), credit("102", amount)), 2))
        for draft in drafts:
            futures.append(runtime.writer.submit(
                lambda uow, d=draft: bookkeeping.record_voucher(uow, audit, COLLECTIVE_BOOK, d)))
        if month.endswith("-12"):
            progress(f"anju demo: vouchers through {month}…")
        month = next_month(month)
    for future in futures:
        future.result(timeout=60)


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


def _correction(runtime: Runtime) -> None:
    """A wrong voucher (wrong account), cancelled by a red voucher and re-posted correctly."""
    audit = Audit("demo-accountant", "accountant", "误记入其他收入，应为补助收入")
    wrong = VoucherDraft(date(2025, 11, 12), "收到县乡村振兴局产业奖补资金", (
        debit("102", Decimal("50000.00")), credit("504", Decimal("50000.00"))), 1)
    posted = runtime.execute(lambda uow: bookkeeping.record_voucher(uow, audit, COLLECTIVE_BOOK, wrong)).result
    right = VoucherDraft(date(2025, 11, 20), "收到县乡村振兴局产业奖补资金（更正）", (
        debit("102", Decimal("50000.00")), credit("503", Decimal("50000.00"))), 1)
    runtime.execute(lambda uow: bookkeeping.reverse_voucher(uow, audit, COLLECTIVE_BOOK, posted.number,
                                                           date(2025, 11, 20), right))


def _close_months(runtime: Runtime, audit: Audit, progress: Callable[[str], None]) -> None:
    month = "2021-01"
    while month <= CLOSED_THROUGH:
        runtime.execute(lambda uow, m=month: bookkeeping.close_month(uow, audit, COLLECTIVE_BOOK, m),
                        wait_for_read_models=False)
        month = next_month(month)
    progress(f"anju demo: months closed through {CLOSED_THROUGH}")
