"""Vouchers (记账凭证) and journal lines: the balancing and posting rules.

Source: DOMAIN.md §1 (Vouchers, Corrections); 会计基础工作规范 Arts. 51–52;
会计法 Arts. 14–15. Postings are plain immutable values; reports fold over them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import field
from datetime import date
from decimal import Decimal

from ledger.values import value_type
from ledger.money import AMOUNT_LIMIT, FIRST_YEAR, FEN, LAST_YEAR, ZERO, InvalidAmount, parse_amount, uppercase_amount

#: Bound on the lines of one voucher: a year-end distribution to every member of a
#: large organisation is one voucher; anything beyond this is a mistake.
MAX_LINES_PER_VOUCHER = 20_000
MAX_SUMMARY_CHARS = 200
#: The source of the year-end closing vouchers (年终结账): statements of flows leave them out,
#: as they only move the year's income from the 5xx accounts to 321 and 322.
YEAR_END_CLOSE_SOURCE = "collective:year-close"
SUBLEDGER_PATTERN = re.compile(r"^[a-z_]{2,20}:[A-Za-z0-9_.\-/]{1,64}$")


class JournalRuleBroken(ValueError):
    """Base of the broken voucher rules; ``type_slug`` names the rule on the wire."""

    type_slug = "journal-rule-broken"


class UnbalancedEntry(JournalRuleBroken):
    type_slug = "unbalanced-entry"


class TooFewLines(JournalRuleBroken):
    type_slug = "too-few-lines"


class TooManyLines(JournalRuleBroken):
    type_slug = "too-many-lines"


class InvalidLine(JournalRuleBroken):
    type_slug = "invalid-line"


class InvalidSummary(JournalRuleBroken):
    type_slug = "invalid-summary"


@value_type("anju.JournalLine", slots=True)
class JournalLine:
    """One line: an account (optionally a sub-ledger key) with a debit or a credit.

    Blue vouchers carry amounts > 0 on exactly one side; red (reversing) vouchers
    carry the same sides with negated amounts (红字冲销).
    """

    account_code: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    subledger: str = ""
    memo: str = ""

    @property
    def net_debit(self) -> Decimal:
        return self.debit - self.credit


def debit(account_code: str, amount: Decimal, subledger: str = "", memo: str = "") -> JournalLine:
    return JournalLine(account_code, amount.quantize(FEN), ZERO, subledger, memo)


def credit(account_code: str, amount: Decimal, subledger: str = "", memo: str = "") -> JournalLine:
    return JournalLine(account_code, ZERO, amount.quantize(FEN), subledger, memo)


def signed_line(account_code: str, net_debit: Decimal, subledger: str = "", memo: str = "") -> JournalLine | None:
    """The one way capabilities build lines from a signed amount: > 0 debits, < 0 credits, 0 → None.

    Year-end closing, billing and reversals all compute net movements; this keeps every
    line on one side with an amount > 0 (DOMAIN.md §1 Vouchers) and drops empty lines.
    """
    if net_debit > ZERO:
        return debit(account_code, net_debit, subledger, memo)
    if net_debit < ZERO:
        return credit(account_code, -net_debit, subledger, memo)
    return None


def signed_credit(account_code: str, net_credit: Decimal, subledger: str = "", memo: str = "") -> JournalLine | None:
    """``signed_line`` seen from the credit side: > 0 credits, < 0 debits, 0 → None."""
    return signed_line(account_code, -net_credit, subledger, memo)


def draft_of(voucher_date: date, summary: str, lines: Iterable[JournalLine | None], source: str,
             attachments: int = 0) -> VoucherDraft | None:
    """A voucher draft from lines built with ``signed_line`` (None lines dropped); None if none remain."""
    kept = tuple(line for line in lines if line is not None)
    if not kept:
        return None
    return VoucherDraft(voucher_date, summary[:MAX_SUMMARY_CHARS], kept, attachments, source)


@value_type("anju.VoucherDraft", slots=True)
class VoucherDraft:
    """What a user (or a domain use case) asks to post; the book assigns the number."""

    voucher_date: date
    summary: str
    lines: tuple[JournalLine, ...]
    attachments: int = 0
    source: str = ""


@value_type("anju.Voucher", slots=True)
class Voucher:
    """A posted voucher: numbered per book per month without gaps."""

    book_code: str
    number: str
    sequence: int
    voucher_date: date
    summary: str
    lines: tuple[JournalLine, ...]
    attachments: int = 0
    source: str = ""
    reverses: str | None = None
    lines_total: Decimal = field(default=ZERO)

    @property
    def is_red(self) -> bool:
        return self.reverses is not None

    @property
    def uppercase_total(self) -> str:
        return uppercase_amount(self.lines_total)


def voucher_number(voucher_date: date, sequence: int) -> str:
    """Voucher numbers per book per month without gaps: ``记-2025-03-0007`` (DOMAIN.md §1)."""
    return f"记-{voucher_date.year:04d}-{voucher_date.month:02d}-{sequence:04d}"


def check_voucher_is_balanced(lines: tuple[JournalLine, ...]) -> Decimal:
    """Σ debits = Σ credits (DOMAIN.md §1, Vouchers). Returns the debit total."""
    debit_total = sum((line.debit for line in lines), ZERO)
    credit_total = sum((line.credit for line in lines), ZERO)
    if debit_total != credit_total:
        raise UnbalancedEntry(f"debits {debit_total} ≠ credits {credit_total}")
    return debit_total


def check_voucher_total_within_limit(total: Decimal) -> Decimal:
    """A voucher's total (Σ debits) is itself an amount: at most ``AMOUNT_LIMIT``.

    Each line is bounded; so is what they add up to, so that every voucher that is
    accepted can be shown with its total and its uppercase total (DOMAIN.md §1).
    """
    if abs(total) > AMOUNT_LIMIT:
        raise InvalidAmount(f"the voucher total {total} exceeds the limit {AMOUNT_LIMIT}")
    return total


class VoucherDateOutOfRange(JournalRuleBroken):
    type_slug = "voucher-date-out-of-range"


def check_voucher_date_in_range(voucher_date: date) -> None:
    """Vouchers are dated in the years a ledger holds (``FIRST_YEAR``–``LAST_YEAR``, as reports' as_of).

    Bounding the months bounds every running balance (see ``ledger.money.MONTH_TURNOVER_LIMIT``).
    """
    if not FIRST_YEAR <= voucher_date.year <= LAST_YEAR:
        raise VoucherDateOutOfRange(f"voucher dates lie in {FIRST_YEAR}–{LAST_YEAR}, not {voucher_date}")


def check_voucher_has_two_to_max_lines(lines: tuple[JournalLine, ...]) -> None:
    """A voucher has ≥ 2 lines (DOMAIN.md §1) and at most ``MAX_LINES_PER_VOUCHER``."""
    if len(lines) < 2:
        raise TooFewLines(f"a voucher needs at least 2 lines, got {len(lines)}")
    if len(lines) > MAX_LINES_PER_VOUCHER:
        raise TooManyLines(f"a voucher takes at most {MAX_LINES_PER_VOUCHER} lines")


def check_line_has_one_positive_side(line: JournalLine) -> None:
    """Each line carries a debit or a credit amount > 0, never both (DOMAIN.md §1)."""
    for amount in (line.debit, line.credit):
        parse_amount(amount)  # two places, finite, within the limit, not negative
    if (line.debit > 0) == (line.credit > 0):
        raise InvalidLine(f"line on {line.account_code} must have a debit or a credit > 0, not both")
    if line.subledger and not SUBLEDGER_PATTERN.match(line.subledger):
        raise InvalidLine(f"sub-ledger key {line.subledger!r} must look like 'member:M0001'")


def check_summary(summary: str) -> None:
    """Every voucher has a summary (摘要) of bounded length."""
    if not summary.strip():
        raise InvalidSummary("a voucher needs a summary (摘要)")
    if len(summary) > MAX_SUMMARY_CHARS:
        raise InvalidSummary(f"the summary takes at most {MAX_SUMMARY_CHARS} characters")


def check_blue_voucher(draft: VoucherDraft) -> Decimal:
    """All rules a new (blue) voucher must meet by itself; returns its total."""
    check_summary(draft.summary)
    check_voucher_has_two_to_max_lines(draft.lines)
    for line in draft.lines:
        check_line_has_one_positive_side(line)
    if draft.attachments < 0:
        raise InvalidLine("attachments cannot be negative")
    check_voucher_date_in_range(draft.voucher_date)
    return check_voucher_total_within_limit(check_voucher_is_balanced(draft.lines))


def red_lines(lines: tuple[JournalLine, ...]) -> tuple[JournalLine, ...]:
    """The lines of a red (reversing) voucher: same accounts and sides, negated amounts.

    Source: 会计基础工作规范 Art. 51 (红字冲销), DOMAIN.md §1 Corrections.
    """
    return tuple(
        JournalLine(line.account_code, _negated(line.debit), _negated(line.credit), line.subledger, line.memo)
        for line in lines
    )


def _negated(amount: Decimal) -> Decimal:
    return -amount if amount else ZERO
