"""The fund's vouchers (and the collective's side of source (5)), built from its movements.

Accounts are named by role in the charts' data (``ledger/charts/maintenance_fund.json``):
bank 102, receivable 112, funds held 201 (sub-ledger ``unit:<id>`` per unit, 165号令 Art. 10),
payable 211 (``contractor:<code>``). A movement over many units is posted as several
balanced vouchers of at most ``LINES_PER_VOUCHER`` unit lines each (a voucher's line limit
is the journal's; this keeps each voucher readable and each event bounded).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal

from domain.maintenance_fund.contribution import Line
from domain.maintenance_fund.works import ChargeLine
from ledger.chart import account_code
from ledger.journal import JournalLine, VoucherDraft, credit, debit, draft_of
from ledger.money import ZERO

CHART = "maintenance_fund"
COLLECTIVE_CHART = "collective_2023"
BANK = account_code(CHART, "bank")
RECEIVABLE = account_code(CHART, "receivable")
FUNDS_HELD = account_code(CHART, "funds_held")
PAYABLE = account_code(CHART, "payable")
LINES_PER_VOUCHER = 5_000
#: Where community public income leaves the collective's book (source 5): an appropriation to a
#: public purpose (514 公益支出) by default, or a payable the collective accrued to the fund (211).
COLLECTIVE_DEBIT_ROLES = ("public_welfare_expense", "payable")


def unit_key(unit_id: str) -> str:
    return f"unit:{unit_id}"


def contractor_key(contractor: str) -> str:
    return f"contractor:{contractor}"


def _chunks(items: Sequence, size: int = LINES_PER_VOUCHER) -> Iterator[tuple[int, int, Sequence]]:
    count = max(1, -(-len(items) // size))
    for index in range(count):
        yield index + 1, count, items[index * size:(index + 1) * size]


def _summary(summary: str, part: int, parts: int) -> str:
    return summary if parts == 1 else f"{summary}（{part}/{parts}）"


def deposit_drafts(day: date, summary: str, lines: Sequence[Line], source: str) -> list[VoucherDraft]:
    """Money into sub-ledgers: Dr 102 bank / Cr 201 ``unit:<id>`` per unit."""
    drafts = []
    for part, parts, chunk in _chunks(lines):
        total = sum((line.amount for line in chunk), ZERO)
        journal: list[JournalLine | None] = [debit(BANK, total)]
        journal.extend(credit(FUNDS_HELD, line.amount, unit_key(line.unit_id)) for line in chunk if line.amount)
        draft = draft_of(day, _summary(summary, part, parts), journal, source)
        if draft is not None and total > 0:
            drafts.append(draft)
    return drafts


def charge_drafts(day: date, summary: str, lines: Sequence[ChargeLine], contractor: str,
                  source: str) -> list[VoucherDraft]:
    """A use: Dr 201 ``unit:<id>`` (from the balance), Dr 112 ``unit:<id>`` (a shortfall) / Cr 211 contractor."""
    drafts = []
    for part, parts, chunk in _chunks(lines):
        journal: list[JournalLine | None] = []
        for line in chunk:
            if line.from_balance:
                journal.append(debit(FUNDS_HELD, line.from_balance, unit_key(line.unit_id)))
            if line.receivable:
                journal.append(debit(RECEIVABLE, line.receivable, unit_key(line.unit_id)))
        total = sum((line.share for line in chunk), ZERO)
        journal.append(credit(PAYABLE, total, contractor_key(contractor)))
        draft = draft_of(day, _summary(summary, part, parts), journal, source)
        if draft is not None and total > 0:
            drafts.append(draft)
    return drafts


def contractor_payment_draft(day: date, summary: str, contractor: str, amount: Decimal, source: str) -> VoucherDraft:
    """An instalment to the contractor: Dr 211 contractor / Cr 102 bank."""
    return VoucherDraft(day, summary[:200], (debit(PAYABLE, amount, contractor_key(contractor)),
                                             credit(BANK, amount)), 0, source)


def receivable_payment_draft(day: date, summary: str, unit_id: str, amount: Decimal, source: str) -> VoucherDraft:
    """An owner pays a shortfall: Dr 102 bank / Cr 112 ``unit:<id>``."""
    return VoucherDraft(day, summary[:200], (debit(BANK, amount), credit(RECEIVABLE, amount, unit_key(unit_id))),
                        0, source)


def refund_draft(day: date, summary: str, unit_id: str, amount: Decimal, source: str) -> VoucherDraft:
    """Demolition: the balance back to the owner, Dr 201 ``unit:<id>`` / Cr 102 bank (165号令 Art. 29)."""
    return VoucherDraft(day, summary[:200], (debit(FUNDS_HELD, amount, unit_key(unit_id)), credit(BANK, amount)),
                        0, source)


def collective_transfer_draft(day: date, summary: str, amount: Decimal, debit_role: str, fund_code: str,
                              source: str) -> VoucherDraft:
    """Source (5), the collective's side: Dr 514 公益支出 (or 211 ``fund:<code>``) / Cr 102 bank."""
    debit_account = account_code(COLLECTIVE_CHART, debit_role)
    subledger = f"fund:{fund_code}" if debit_role == "payable" else ""
    return VoucherDraft(day, summary[:200], (debit(debit_account, amount, subledger),
                                             credit(account_code(COLLECTIVE_CHART, "bank"), amount)), 0, source)
