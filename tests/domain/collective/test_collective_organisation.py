"""The organisation's registration rules and the year-end closing folds (pure)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.collective.charter import make_charter
from domain.collective.credit_code import (
    credit_code_check_character,
    validate_credit_code,
)
from domain.collective.errors import (
    InvalidCreditCode,
    InvalidReserveRate,
    InvalidYear,
    UnsupportedShareManagement,
)
from domain.collective.year_end import (
    check_year,
    current_year_income_transfer_lines,
    income_expense_closing_lines,
    net_debit_by_account,
    undistributed_balance,
    year_end_closing,
)
from ledger.chart import load_chart
from ledger.journal import Voucher, credit, debit

CHART = load_chart("collective_2023")
D = Decimal


def test_validate_credit_code_checks_the_gb_32100_check_character() -> None:
    assert validate_credit_code("91350100M000100Y43") == "91350100M000100Y43"
    assert credit_code_check_character("91110000600037341") == "L"
    for bad in ("91350100M000100Y44", "91350100M000100Y4", "9135010OM000100Y43", 91350100):
        with pytest.raises(InvalidCreditCode):
            validate_credit_code(bad)


def test_make_charter_requires_a_reserve_rate_and_static_management() -> None:
    assert make_charter(D("12.5"), True).reserve_rate_percent == D("12.5")
    with pytest.raises(InvalidReserveRate):
        make_charter(None, False)
    with pytest.raises(InvalidReserveRate):
        make_charter(10.0, False)
    with pytest.raises(UnsupportedShareManagement):
        make_charter(D(10), False, "dynamic")


def _voucher(*lines) -> Voucher:
    return Voucher("b", "v", 1, date(2024, 5, 1), "s", tuple(lines))


def test_income_expense_closing_lines_empty_every_5xx_account_into_321() -> None:
    vouchers = [_voucher(debit("102", D("12000.00")), credit("501.01", D("12000.00"))),
                _voucher(debit("513", D("2000.01")), credit("102", D("2000.01"))),
                _voucher(debit("151", D("50.00")), credit("102", D("50.00")))]
    lines, net = income_expense_closing_lines(CHART, net_debit_by_account(vouchers))
    assert net == D("9999.99")
    assert [(l.account_code, l.debit, l.credit) for l in lines] == [
        ("501.01", D("12000.00"), D("0.00")), ("513", D("0.00"), D("2000.01")), ("321", D("0.00"), D("9999.99"))]


def test_year_end_closing_posts_5xx_to_321_then_all_of_321_to_322_01() -> None:
    vouchers = [_voucher(debit("102", D("12000.00")), credit("501.01", D("12000.00"))),
                _voucher(debit("513", D("2000.01")), credit("102", D("2000.01"))),
                _voucher(debit("102", D("1.00")), credit("321", D("1.00")))]  # posted to 321 directly
    closing = year_end_closing(CHART, 2024, net_debit_by_account(vouchers))
    assert closing.net_income == D("9999.99")
    assert [(d.voucher_date, d.summary, d.source) for d in closing.drafts] == [
        (date(2024, 12, 31), "2024年度结转收入支出至本年收益", "collective:year-close:2024"),
        (date(2024, 12, 31), "2024年度本年收益转入未分配收益", "collective:year-close:2024")]
    assert [(l.account_code, l.debit, l.credit) for l in closing.drafts[1].lines] == [
        ("321", D("10000.99"), D("0.00")), ("322.01", D("0.00"), D("10000.99"))]
    assert year_end_closing(CHART, 2024, {}).drafts == ()


def test_current_year_income_transfer_moves_a_loss_the_other_way() -> None:
    assert [(l.account_code, l.debit) for l in current_year_income_transfer_lines(D("-5.00"))] == [
        ("322.01", D("5.00")), ("321", D("0.00"))]
    assert current_year_income_transfer_lines(D("0.00")) == ()


def test_undistributed_balance_counts_321_322_and_unclosed_income() -> None:
    net_debit = {"322.01": D("-100.00"), "322.03": D("30.00"), "501.01": D("-5.00"), "102": D("75.00")}
    assert undistributed_balance(CHART, net_debit) == D("75.00")


def test_check_year_is_a_whole_number_in_range() -> None:
    assert check_year(2024) == 2024
    for bad in (1999, 2101, "2024", True):
        with pytest.raises(InvalidYear):
            check_year(bad)
