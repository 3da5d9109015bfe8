"""Lookups shared by the use cases: the collective's book, the register, households, claims, settings."""

from __future__ import annotations

import re

from domain.subsidies.claim import SubsidyClaim, claim_id
from domain.subsidies.errors import ClaimNotFound, HouseholdNotFound, InvalidMonth, SubsidiesNeedCollectiveBook
from domain.subsidies.household import Household, household_stream_id
from domain.subsidies.policy import FeeStandard, FeeStandards, PolicyVersion, SubsidyPolicy, fee_standards_id, subsidy_policy_id
from domain.subsidies.register import HouseholdRegister, register_id
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.book import Book
from ledger.journal import VoucherDraft
from ledger.writer import UnitOfWork

MONTH_SHAPE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def get_collective_book(uow: UnitOfWork, book_code: str) -> Book:
    """The collective's book that bills the property fee (a book on the 2023 chart)."""
    book = bookkeeping.get_book(uow, book_code)
    if book.entity_kind != "collective":
        raise SubsidiesNeedCollectiveBook(f"book {book_code} is a {book.entity_kind} book; property fees are billed "
                                          "on a collective's book")
    return book


def get_register(uow: UnitOfWork, audit: Audit, book: Book) -> HouseholdRegister:
    """The community's register, started on first use."""
    return uow.get_or_add(HouseholdRegister, register_id(book.book_code),
                        lambda: HouseholdRegister(audit=audit, book_code=book.book_code, township_id=book.township_id))


def get_household(uow: UnitOfWork, book_code: str, household_id: str) -> Household:
    return uow.get(Household, household_stream_id(book_code, household_id),
                        HouseholdNotFound(f"no household {household_id!r} in book {book_code}"))


def get_claim(uow: UnitOfWork, book_code: str, claim_code: str) -> SubsidyClaim:
    return uow.get(SubsidyClaim, claim_id(book_code, claim_code),
                        ClaimNotFound(f"no subsidy claim {claim_code!r} in book {book_code}"))


def known_standards(uow: UnitOfWork, book_code: str) -> tuple[FeeStandard, ...]:
    found = uow.get_optional(FeeStandards, fee_standards_id(book_code))
    return found.standards if found is not None else ()


def known_policies(uow: UnitOfWork, book_code: str) -> tuple[PolicyVersion, ...]:
    found = uow.get_optional(SubsidyPolicy, subsidy_policy_id(book_code))
    return found.versions if found is not None else ()


def check_month(month: str) -> str:
    if not isinstance(month, str) or not MONTH_SHAPE.match(month):
        raise InvalidMonth(f"a month is written YYYY-MM, not {month!r}")
    return month


def post(uow: UnitOfWork, audit: Audit, book_code: str, draft: VoucherDraft | None) -> str:
    return bookkeeping.record_voucher(uow, audit, book_code, draft).number if draft is not None else ""
