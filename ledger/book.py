"""The Book (账套) and its months: periods, gapless voucher numbering, close / re-open.

Aggregate boundaries: a ``Book`` holds what rarely changes (identity, chart, start
date). Each calendar month of a book is its own ``BookMonth`` stream holding that
month's vouchers, numbering and closed flag. A busy book therefore appends to short
per-month streams instead of one ever-growing stream, and writes to different months
or books never contend. Sources: DOMAIN.md §1 (Vouchers, Corrections, Periods).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from ledger.audit import Audit, Role
from ledger.calendar import month_of
from ledger.chart import Chart, chart_with_additions, load_chart
from ledger.money import MONTH_TURNOVER_LIMIT, ZERO, InvalidAmount
from ledger.journal import (
    MAX_LINES_PER_VOUCHER,
    JournalLine,
    JournalRuleBroken,
    Voucher,
    VoucherDraft,
    check_blue_voucher,
    check_line_has_one_positive_side,
    check_voucher_date_in_range,
    check_voucher_is_balanced,
    check_voucher_total_within_limit,
    red_lines,
    voucher_number,
)

ANJU_NAMESPACE = uuid5(NAMESPACE_URL, "https://anju.example/ids")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
ENTITY_KINDS = ("collective", "maintenance_fund")


class BookRuleBroken(ValueError):
    type_slug = "book-rule-broken"


class InvalidCode(BookRuleBroken):
    type_slug = "invalid-code"


class VoucherBeforeBookStart(BookRuleBroken):
    type_slug = "voucher-before-book-start"


class PeriodClosed(BookRuleBroken):
    type_slug = "period-closed"


class PeriodNotClosed(BookRuleBroken):
    type_slug = "period-not-closed"


class PeriodCloseOutOfOrder(BookRuleBroken):
    type_slug = "period-close-out-of-order"


class ReopenNeedsAuditor(BookRuleBroken):
    type_slug = "reopen-needs-auditor"


class VoucherNotFound(BookRuleBroken):
    type_slug = "voucher-not-found"


class VoucherAlreadyReversed(BookRuleBroken):
    type_slug = "voucher-already-reversed"


class RedVoucherNotAllowed(BookRuleBroken):
    type_slug = "red-voucher-cannot-be-reversed"


class CorrectionDateTooEarly(BookRuleBroken):
    type_slug = "correction-date-before-original"


class OpeningBalancesUnbalanced(BookRuleBroken):
    type_slug = "opening-balances-unbalanced"


class OpeningBalancesLocked(BookRuleBroken):
    type_slug = "opening-balances-locked"


class InvalidOpeningLine(BookRuleBroken):
    type_slug = "invalid-opening-line"


#: The posting number of a book's opening balances (期初余额) in the read models: not a voucher number,
#: so it never takes a place in the gapless 记-YYYY-MM-NNNN series.
OPENING_NUMBER = "期初余额"


def check_code(code: str, what: str) -> str:
    """Human codes (book codes, community ids) are short, URL-safe strings."""
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        raise InvalidCode(f"{what} {code!r} must be 1–64 letters, digits, '.', '_' or '-'")
    return code


@lru_cache(maxsize=65_536)
def book_id(book_code: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"book/{book_code}")


@lru_cache(maxsize=65_536)
def book_month_id(book_code: str, month: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"book/{book_code}/month/{month}")


class Book(Aggregate):
    """An accounting entity's book: a collective organisation or a maintenance fund."""

    create_id = staticmethod(book_id)

    @event("Opened")
    def __init__(
        self,
        audit: Audit,
        book_code: str,
        name: str,
        entity_kind: str,
        community_id: str,
        township_id: str,
        chart_name: str,
        starts_on: date,
    ) -> None:
        self.book_code = book_code
        self.name = name
        self.entity_kind = entity_kind
        self.community_id = community_id
        self.township_id = township_id
        self.chart_name = chart_name
        self.starts_on = starts_on
        self.sub_accounts: tuple[tuple[str, str, str], ...] = ()
        self._chart: Chart | None = None
        self.opening_lines: tuple[JournalLine, ...] = ()
        self.imports: dict[str, int] = {}  # "<kind>:<sha256>" of each applied import file → its rows

    @classmethod
    def open(cls, audit: Audit, book_code: str, name: str, entity_kind: str, community_id: str, township_id: str,
             chart_name: str, starts_on: date) -> Book:
        """Open a book once its opening is checked; the event's own constructor checks nothing (history loads)."""
        cls.check_opening(book_code, name, entity_kind, community_id, township_id, chart_name)
        return cls(audit, book_code, name, entity_kind, community_id, township_id, chart_name, starts_on)

    @staticmethod
    def check_opening(book_code: str, name: str, entity_kind: str, community_id: str, township_id: str,
                      chart_name: str) -> None:
        """URL-safe codes, a known entity kind, a name of at most 100 characters, a chart that exists."""
        check_code(book_code, "book code")
        check_code(community_id, "community id")
        check_code(township_id, "township id")
        if entity_kind not in ENTITY_KINDS:
            raise BookRuleBroken(f"entity kind must be one of {', '.join(ENTITY_KINDS)}")
        if not name.strip() or len(name) > 100:
            raise BookRuleBroken("a book needs a name of at most 100 characters")
        load_chart(chart_name)  # raises UnknownChart

    @property
    def chart(self) -> Chart:
        if self._chart is None:
            self._chart = chart_with_additions(self.chart_name, self.sub_accounts)
        return self._chart

    def add_sub_account(self, audit: Audit, code: str, name_zh: str, name_en: str) -> None:
        self.chart.with_sub_account(code, name_zh, name_en)  # raises if the rule is broken
        self._sub_account_added(audit=audit, code=code, name_zh=name_zh, name_en=name_en)

    @event("SubAccountAdded")
    def _sub_account_added(self, audit: Audit, code: str, name_zh: str, name_en: str) -> None:
        self.sub_accounts = (*self.sub_accounts, (code, name_zh, name_en))
        self._chart = None

    def check_draft_postable(self, draft: VoucherDraft) -> None:
        """Accounts exist in this book's chart and are leaves; the date is not before the book starts."""
        for line in draft.lines:
            self.chart.check_postable(line.account_code)
        if draft.voucher_date < self.starts_on:
            raise VoucherBeforeBookStart(
                f"voucher date {draft.voucher_date} is before the book starts on {self.starts_on}"
            )

    @property
    def first_month(self) -> str:
        return month_of(self.starts_on)

    # --- opening balances (期初余额) ------------------------------------------------
    @property
    def opening_date(self) -> date:
        """Opening balances are dated the day before the book's first day, before every voucher."""
        return self.starts_on - timedelta(days=1)

    def enter_opening_balances(self, audit: Audit, lines: Sequence[JournalLine], first_month_closed: bool) -> bool:
        """Enter (or replace, by a new event) the book's opening balances; False if they are already these."""
        check_opening_balances_unlocked(self, first_month_closed)
        entered = tuple(lines)
        total = check_opening_balances(self.chart, entered)
        if entered == self.opening_lines:
            return False
        self._opening_balances_entered(audit=audit, book_code=self.book_code, opening_date=self.opening_date,
                                       lines=entered, total=total, replaces=len(self.opening_lines))
        return True

    @event("OpeningBalancesEntered")
    def _opening_balances_entered(self, audit: Audit, book_code: str, opening_date: date,
                                  lines: tuple[JournalLine, ...], total: Decimal, replaces: int) -> None:
        self.opening_lines = lines

    # --- import files (导入记录) ------------------------------------------------------
    def has_imported(self, kind: str, sha256: str) -> bool:
        return f"{kind}:{sha256}" in self.imports

    def record_import(self, audit: Audit, kind: str, sha256: str, file_name: str, rows: int, applied: int,
                      skipped: int) -> None:
        """One applied import file: its kind, digest, rows; the same file again is recognised by its digest."""
        self._file_imported(audit=audit, kind=kind, sha256=sha256, file_name=file_name[:200], rows=rows,
                            applied=applied, skipped=skipped)

    @event("FileImported")
    def _file_imported(self, audit: Audit, kind: str, sha256: str, file_name: str, rows: int, applied: int,
                       skipped: int) -> None:
        self.imports = {**self.imports, f"{kind}:{sha256}": rows}


def check_opening_balances_unlocked(book: Book, first_month_closed: bool) -> None:
    """Opening balances are locked once the book's first month has been closed (结账后期初余额不得修改).

    Source: DOMAIN.md §1 Periods and Corrections — a closed period is not changed; after the first
    close, a wrong opening figure is corrected by a voucher in an open period (会计基础工作规范 Art. 51).
    """
    if first_month_closed:
        raise OpeningBalancesLocked(f"the opening balances of book {book.book_code} are locked: its first month"
                                    f" {book.first_month} has been closed; correct them by a voucher instead")


def check_opening_balances(chart: Chart, lines: tuple[JournalLine, ...]) -> Decimal:
    """Opening balances balance (Σ debit = Σ credit), on leaf accounts, one line per account and sub-ledger.

    Source: DOMAIN.md §1 (balanced entries; amounts > 0 on one side) and §2 (leaf accounts take
    postings); 试算平衡 of the opening balances before the first period (会计基础工作规范).
    Returns the debit total, itself bounded like a voucher's.
    """
    if not 2 <= len(lines) <= MAX_LINES_PER_VOUCHER:
        raise InvalidOpeningLine(f"opening balances take 2–{MAX_LINES_PER_VOUCHER} lines, got {len(lines)}")
    seen: set[tuple[str, str]] = set()
    for line in lines:
        check_line_has_one_positive_side(line)
        chart.check_postable(line.account_code)
        key = (line.account_code, line.subledger)
        if key in seen:
            raise InvalidOpeningLine(f"account {line.account_code} sub-ledger {line.subledger or '-'} appears twice")
        seen.add(key)
    debit_total = sum((line.debit for line in lines), ZERO)
    credit_total = sum((line.credit for line in lines), ZERO)
    if debit_total != credit_total:
        raise OpeningBalancesUnbalanced(f"opening debits {debit_total} ≠ opening credits {credit_total}")
    return check_voucher_total_within_limit(debit_total)


class BookMonth(Aggregate):
    """One calendar month of a book: its vouchers, gapless numbering and closed flag."""

    create_id = staticmethod(book_month_id)

    @event("Started")
    def __init__(self, audit: Audit, book_code: str, month: str) -> None:
        self.book_code = book_code
        self.month = month
        self.closed = False
        self.closed_once = False  # closed at least once (opening balances lock on the first month's first close)
        self.last_sequence = 0
        self.vouchers: dict[int, Voucher] = {}
        self.reversed_by: dict[int, str] = {}
        self.turnover = ZERO  # Σ |voucher totals| of the month

    # --- rules -------------------------------------------------------------
    def check_open(self) -> None:
        """A voucher in a closed period cannot be posted (DOMAIN.md §1, Periods)."""
        if self.closed:
            raise PeriodClosed(f"period {self.month} of book {self.book_code} is closed")

    def check_turnover_within_limit(self, total: Decimal) -> None:
        """A month's vouchers move at most ``MONTH_TURNOVER_LIMIT`` (Σ |totals|, red vouchers included).

        With vouchers dated in 2000–2100 this bounds every running balance and report sum
        of a book, so what is recorded can always be reported (``ledger.money``).
        """
        if self.turnover + abs(total) > MONTH_TURNOVER_LIMIT:
            raise InvalidAmount(f"vouchers of {self.month} in book {self.book_code} would move more than"
                                f" {MONTH_TURNOVER_LIMIT} in one month")

    def find(self, number: str) -> Voucher:
        for voucher in self.vouchers.values():
            if voucher.number == number:
                return voucher
        raise VoucherNotFound(f"no voucher {number} in book {self.book_code}")

    def check_reversible(self, voucher: Voucher) -> None:
        """A voucher is cancelled once, by one red voucher; a red voucher is not reversed again."""
        if voucher.is_red:
            raise RedVoucherNotAllowed(f"{voucher.number} is a red voucher; post a new blue voucher instead")
        if voucher.sequence in self.reversed_by:
            raise VoucherAlreadyReversed(
                f"{voucher.number} was already reversed by {self.reversed_by[voucher.sequence]}"
            )

    # --- commands ----------------------------------------------------------
    def record(self, audit: Audit, draft: VoucherDraft, reverses: str | None = None) -> Voucher:
        self.check_open()
        if month_of(draft.voucher_date) != self.month:
            raise JournalRuleBroken(f"voucher date {draft.voucher_date} is not in {self.month}")
        check_voucher_date_in_range(draft.voucher_date)
        total = check_voucher_total_within_limit(check_voucher_is_balanced(draft.lines))
        self.check_turnover_within_limit(total)
        sequence = self.last_sequence + 1
        voucher = Voucher(
            book_code=self.book_code,
            number=voucher_number(draft.voucher_date, sequence),
            sequence=sequence,
            voucher_date=draft.voucher_date,
            summary=draft.summary,
            lines=draft.lines,
            attachments=draft.attachments,
            source=draft.source,
            reverses=reverses,
            lines_total=total,
        )
        self._voucher_recorded(audit=audit, voucher=voucher)
        return voucher

    @event("VoucherRecorded")
    def _voucher_recorded(self, audit: Audit, voucher: Voucher) -> None:
        self.vouchers[voucher.sequence] = voucher
        self.last_sequence = voucher.sequence
        self.turnover = self.turnover + abs(voucher.lines_total)

    def mark_reversed(self, audit: Audit, voucher: Voucher, red_number: str) -> None:
        self.check_reversible(voucher)
        self._voucher_reversed(audit=audit, sequence=voucher.sequence, red_number=red_number)

    @event("VoucherReversed")
    def _voucher_reversed(self, audit: Audit, sequence: int, red_number: str) -> None:
        self.reversed_by[sequence] = red_number

    def close(self, audit: Audit) -> None:
        self.check_open()
        self._closed(audit=audit)

    @event("Closed")
    def _closed(self, audit: Audit) -> None:
        self.closed = True
        self.closed_once = True

    def reopen(self, audit: Audit) -> None:
        check_reopen_by_auditor(audit)
        if not self.closed:
            raise PeriodNotClosed(f"period {self.month} of book {self.book_code} is not closed")
        self._reopened(audit=audit)

    @event("Reopened")
    def _reopened(self, audit: Audit) -> None:
        self.closed = False


def check_reopen_by_auditor(audit: Audit) -> None:
    """Re-opening a closed month is an audited event that needs the auditor role (DOMAIN.md §1, §7)."""
    if audit.role != Role.AUDITOR.value:
        raise ReopenNeedsAuditor("only an auditor may re-open a closed period")


def check_correction_date(original: Voucher, red_date: date) -> None:
    """A red voucher is dated no earlier than the voucher it cancels (it goes into an open period)."""
    if red_date < original.voucher_date:
        raise CorrectionDateTooEarly(
            f"the red voucher ({red_date}) cannot be dated before {original.number} ({original.voucher_date})"
        )


def red_draft(original: Voucher, red_date: date, reason: str) -> VoucherDraft:
    """The red voucher that cancels ``original`` (会计基础工作规范 Art. 51)."""
    summary = f"冲销{original.number}：{reason}"[:200]
    return VoucherDraft(red_date, summary, red_lines(original.lines), 0, f"reversal:{original.number}")


__all__ = ["Book", "BookMonth", "check_blue_voucher"]
