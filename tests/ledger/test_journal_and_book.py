"""Voucher rules, the Book and its months, in memory (DOMAIN.md §1–§2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ledger.audit import Audit
from ledger.book import (
    Book,
    BookMonth,
    BookRuleBroken,
    InvalidCode,
    PeriodClosed,
    RedVoucherNotAllowed,
    ReopenNeedsAuditor,
    VoucherAlreadyReversed,
    check_correction_date,
    check_reopen_by_auditor,
    red_draft,
)
from ledger.chart import AccountNotPostable, InvalidSubAccount, UnknownAccount, UnknownChart, load_chart
from ledger.journal import (
    InvalidLine,
    InvalidSummary,
    JournalLine,
    TooFewLines,
    UnbalancedEntry,
    VoucherDraft,
    check_blue_voucher,
    check_line_has_one_positive_side,
    check_voucher_has_two_to_max_lines,
    check_voucher_is_balanced,
    credit,
    debit,
    red_lines,
    voucher_number,
)

D = Decimal
ACCOUNTANT = Audit("acc", "accountant", "test")
AUDITOR = Audit("aud", "auditor", "test")


def _draft(day: date = date(2025, 3, 5), amount: str = "10.00") -> VoucherDraft:
    return VoucherDraft(day, "收租", (debit("102", D(amount)), credit("501.01", D(amount))))


def test_chart_collective_2023_has_42_first_level_accounts():
    chart = load_chart("collective_2023")
    first_level = [a for a in chart.accounts.values() if a.level == 1]
    assert len(first_level) == 42
    assert chart.account("322.01").name_zh == "未分配收益"
    assert chart.account("152").normal_balance.value == "credit"
    assert chart.account("113").normal_balance.value == "either"


def test_chart_only_leaf_accounts_are_postable():
    chart = load_chart("collective_2023")
    with pytest.raises(AccountNotPostable):
        chart.check_postable("501")
    assert chart.check_postable("501.01").code == "501.01"
    with pytest.raises(UnknownAccount):
        chart.check_postable("999")


def test_chart_sub_accounts_are_added_never_renamed():
    chart = load_chart("collective_2023").with_sub_account("513.01", "办公费", "Office")
    assert chart.account("513.01").normal_balance.value == "debit"
    with pytest.raises(InvalidSubAccount):
        chart.with_sub_account("513.01", "改名", "Renamed")
    with pytest.raises(InvalidSubAccount):
        chart.with_sub_account("513", "x", "x")
    with pytest.raises(UnknownAccount):
        chart.with_sub_account("998.01", "x", "x")


def test_voucher_is_balanced():
    assert check_voucher_is_balanced(_draft().lines) == D("10.00")
    with pytest.raises(UnbalancedEntry):
        check_voucher_is_balanced((debit("102", D("10.00")), credit("501.01", D("9.99"))))


def test_voucher_has_at_least_two_lines():
    with pytest.raises(TooFewLines):
        check_voucher_has_two_to_max_lines((debit("102", D("1.00")),))


def test_line_has_one_positive_side():
    with pytest.raises(InvalidLine):
        check_line_has_one_positive_side(JournalLine("102", D("1.00"), D("1.00")))
    with pytest.raises(InvalidLine):
        check_line_has_one_positive_side(JournalLine("102", D("0.00"), D("0.00")))
    with pytest.raises(ValueError):
        check_line_has_one_positive_side(JournalLine("102", D("-1.00"), D("0.00")))
    with pytest.raises(InvalidLine):
        check_line_has_one_positive_side(JournalLine("102", D("1.00"), D("0.00"), "no spaces allowed"))


def test_voucher_needs_a_summary():
    with pytest.raises(InvalidSummary):
        check_blue_voucher(VoucherDraft(date(2025, 1, 1), " ", _draft().lines))


def test_voucher_number_format_per_book_per_month():
    assert voucher_number(date(2025, 3, 31), 7) == "记-2025-03-0007"


def test_red_lines_negate_amounts_on_the_same_sides():
    red = red_lines(_draft().lines)
    assert red[0].debit == D("-10.00") and red[0].credit == D("0.00")
    assert red[1].credit == D("-10.00") and str(red[1].debit) == "0.00"
    assert sum(l.debit for l in red) == sum(l.credit for l in red)


def test_book_month_numbers_vouchers_without_gaps_and_rejects_closed_period():
    month = BookMonth(audit=ACCOUNTANT, book_code="b", month="2025-03")
    numbers = [month.record(ACCOUNTANT, _draft()).number for _ in range(3)]
    assert numbers == ["记-2025-03-0001", "记-2025-03-0002", "记-2025-03-0003"]
    month.close(ACCOUNTANT)
    with pytest.raises(PeriodClosed):
        month.record(ACCOUNTANT, _draft())


def test_reopen_needs_auditor():
    with pytest.raises(ReopenNeedsAuditor):
        check_reopen_by_auditor(ACCOUNTANT)
    month = BookMonth(audit=ACCOUNTANT, book_code="b", month="2025-03")
    month.close(ACCOUNTANT)
    month.reopen(AUDITOR)
    assert not month.closed


def test_voucher_is_reversed_once_and_red_vouchers_are_not_reversed():
    month = BookMonth(audit=ACCOUNTANT, book_code="b", month="2025-03")
    original = month.record(ACCOUNTANT, _draft())
    red = month.record(ACCOUNTANT, red_draft(original, date(2025, 3, 6), "错"), reverses=original.number)
    month.mark_reversed(ACCOUNTANT, original, red.number)
    with pytest.raises(VoucherAlreadyReversed):
        month.mark_reversed(ACCOUNTANT, original, "x")
    with pytest.raises(RedVoucherNotAllowed):
        month.check_reversible(red)
    assert red.lines_total == D("-10.00")
    with pytest.raises(ValueError):
        check_correction_date(original, date(2025, 3, 4))


def test_book_rejects_vouchers_before_it_starts_and_unknown_accounts():
    book = Book.open(ACCOUNTANT, "b", "B", "collective", "c1", "t1", "collective_2023", date(2025, 1, 1))
    with pytest.raises(ValueError):
        book.check_draft_postable(_draft(day=date(2024, 12, 31)))
    with pytest.raises(UnknownAccount):
        book.check_draft_postable(VoucherDraft(date(2025, 1, 2), "x", (debit("999", D(1)), credit("102", D(1)))))
    book.add_sub_account(ACCOUNTANT, "513.01", "办公费", "Office")
    book.check_draft_postable(VoucherDraft(date(2025, 1, 2), "x", (debit("513.01", D(1)), credit("102", D(1)))))


def test_book_codes_are_url_safe():
    with pytest.raises(ValueError):
        Book.open(ACCOUNTANT, "../etc", "B", "collective", "c1", "t1", "collective_2023", date(2025, 1, 1))


def test_check_opening_refuses_bad_codes_kinds_names_and_charts():
    Book.check_opening("b", "B", "collective", "c1", "t1", "collective_2023")
    with pytest.raises(InvalidCode):
        Book.check_opening("b", "B", "collective", "c 1", "t1", "collective_2023")
    with pytest.raises(InvalidCode):
        Book.check_opening("b", "B", "collective", "c1", "", "collective_2023")
    with pytest.raises(BookRuleBroken):
        Book.check_opening("b", "B", "bank", "c1", "t1", "collective_2023")
    with pytest.raises(BookRuleBroken):
        Book.check_opening("b", " ", "collective", "c1", "t1", "collective_2023")
    with pytest.raises(BookRuleBroken):
        Book.check_opening("b", "B" * 101, "collective", "c1", "t1", "collective_2023")
    with pytest.raises(UnknownChart):
        Book.check_opening("b", "B", "collective", "c1", "t1", "no_such_chart")
