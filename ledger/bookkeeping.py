"""Use cases of the Book: each gets aggregates from the unit of work and calls one command.

These run inside the group-commit writer (``ledger.writer``); everything they change
is saved in one transaction with the rest of the batch, or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ledger.audit import Audit
from ledger.book import (
    Book,
    BookMonth,
    BookRuleBroken,
    PeriodCloseOutOfOrder,
    book_id,
    book_month_id,
    check_correction_date,
    red_draft,
)
from ledger.calendar import month_of, next_month, previous_month
from ledger.journal import JournalLine, Voucher, VoucherDraft, check_blue_voucher
from ledger.writer import NotFound, UnitOfWork


class BookAlreadyExists(BookRuleBroken):
    type_slug = "book-already-exists"


class BookNotFound(NotFound, slug="book-not-found"):
    """No book with this code."""


def get_book(uow: UnitOfWork, book_code: str) -> Book:
    return uow.get(Book, book_id(book_code), BookNotFound(f"no book {book_code!r}"))


def get_month(uow: UnitOfWork, audit: Audit, book_code: str, month: str) -> BookMonth:
    """The month's stream, started on first use."""
    existing = uow.get_optional(BookMonth, book_month_id(book_code, month))
    if existing is not None:
        return existing
    return uow.add(BookMonth(audit=audit, book_code=book_code, month=month))


def month_is_closed(uow: UnitOfWork, book_code: str, month: str) -> bool:
    existing = uow.get_optional(BookMonth, book_month_id(book_code, month))
    return existing is not None and existing.closed


def open_book(uow: UnitOfWork, audit: Audit, *, book_code: str, name: str, entity_kind: str,
              community_id: str, township_id: str, chart_name: str, starts_on: date) -> Book:
    if uow.get_optional(Book, book_id(book_code)) is not None:
        raise BookAlreadyExists(f"book {book_code!r} already exists")
    book = Book.open(audit, book_code, name, entity_kind, community_id, township_id, chart_name, starts_on)
    return uow.add(book)


def add_sub_account(uow: UnitOfWork, audit: Audit, book_code: str, code: str, name_zh: str, name_en: str) -> Book:
    book = get_book(uow, book_code)
    book.add_sub_account(audit, code, name_zh, name_en)
    return book


def first_month_closed_once(uow: UnitOfWork, book: Book) -> bool:
    existing = uow.get_optional(BookMonth, book_month_id(book.book_code, book.first_month))
    return existing is not None and existing.closed_once


def enter_opening_balances(uow: UnitOfWork, audit: Audit, book_code: str,
                           lines: tuple[JournalLine, ...]) -> tuple[Book, bool]:
    """Enter or replace the book's opening balances (期初余额) until its first month is first closed.

    Returns the book and whether anything was recorded (the same balances again record nothing).
    """
    book = get_book(uow, book_code)
    changed = book.enter_opening_balances(audit, lines, first_month_closed_once(uow, book))
    return book, changed


def record_voucher(uow: UnitOfWork, audit: Audit, book_code: str, draft: VoucherDraft) -> Voucher:
    """Post a blue voucher: balanced, postable accounts, inside an open period."""
    check_blue_voucher(draft)
    book = get_book(uow, book_code)
    book.check_draft_postable(draft)
    return get_month(uow, audit, book_code, month_of(draft.voucher_date)).record(audit, draft)


def find_voucher(uow: UnitOfWork, book_code: str, number: str) -> tuple[BookMonth, Voucher]:
    month = _month_of_number(number)
    period = uow.get_optional(BookMonth, book_month_id(book_code, month)) if month else None
    if period is None:
        from ledger.book import VoucherNotFound

        raise VoucherNotFound(f"no voucher {number} in book {book_code}")
    return period, period.find(number)


@dataclass(frozen=True)
class Reversal:
    original: Voucher
    red: Voucher
    correction: Voucher | None


def reverse_voucher(uow: UnitOfWork, audit: Audit, book_code: str, number: str, red_date: date,
                    correction: VoucherDraft | None = None) -> Reversal:
    """Cancel a voucher by a red voucher naming it, optionally followed by a blue correction.

    Source: 会计法 Arts. 14–15; 会计基础工作规范 Art. 51; DOMAIN.md §1 Corrections —
    never edit or delete; the red voucher goes into an open period.
    """
    get_book(uow, book_code)
    original_period, original = find_voucher(uow, book_code, number)
    original_period.check_reversible(original)
    check_correction_date(original, red_date)
    red_period = get_month(uow, audit, book_code, month_of(red_date))
    red = red_period.record(audit, red_draft(original, red_date, audit.reason), reverses=original.number)
    original_period.mark_reversed(audit, original, red.number)
    blue = record_voucher(uow, audit, book_code, correction) if correction is not None else None
    return Reversal(original, red, blue)


def close_month(uow: UnitOfWork, audit: Audit, book_code: str, month: str) -> BookMonth:
    """Close a month (结账); months close in order, from the book's first month on."""
    book = get_book(uow, book_code)
    if month < book.first_month:
        raise PeriodCloseOutOfOrder(f"{month} is before the book starts ({book.first_month})")
    if month > book.first_month and not month_is_closed(uow, book_code, previous_month(month)):
        raise PeriodCloseOutOfOrder(f"close {previous_month(month)} before {month}")
    period = get_month(uow, audit, book_code, month)
    period.close(audit)
    return period


def reopen_month(uow: UnitOfWork, audit: Audit, book_code: str, month: str) -> BookMonth:
    """Re-open a closed month (反结账): auditor only, latest closed month first."""
    get_book(uow, book_code)
    if month_is_closed(uow, book_code, next_month(month)):
        raise PeriodCloseOutOfOrder(f"re-open {next_month(month)} before {month}")
    period = uow.get_optional(BookMonth, book_month_id(book_code, month))
    if period is None:
        from ledger.book import PeriodNotClosed

        raise PeriodNotClosed(f"period {month} of book {book_code} is not closed")
    period.reopen(audit)
    return period


def _month_of_number(number: str) -> str | None:
    parts = number.split("-")
    if len(parts) != 4 or parts[0] != "记" or not all(p.isdigit() for p in parts[1:]):
        return None
    return f"{parts[1]}-{parts[2]}"
