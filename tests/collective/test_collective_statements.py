"""Statements as pure functions: every balance sheet balances and the 收益及收益分配表 reconciles, on every date.

Histories are generated: random balanced vouchers on any postable account of
the 2023 chart over three years, each year closed (5xx → 321 → 322) and a
distribution posted by the domain's own rules (the very vouchers production posts).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.collective.distribution import distribution_vouchers
from domain.collective.distribution_figures import compute_year_end_distribution
from domain.collective.year_end import (
    net_debit_by_account,
    undistributed_balance,
    year_end_closing,
)
from ledger.chart import load_chart
from ledger.journal import JournalLine, Voucher
from ledger.money import to_fen
from projections.statements import (
    balance_sheet_from_balances,
    balance_sheet_totals,
    income_statement_from_flows,
)

CHART = load_chart("collective_2023")
POSTABLE = sorted(code for code in CHART.accounts if not CHART.children(code))
YEARS = (2021, 2022, 2023)


def _voucher(day: date, lines: tuple[JournalLine, ...], closing: bool = False) -> Voucher:
    total = sum((line.debit for line in lines), Decimal("0.00"))
    return Voucher("b", "close" if closing else "v", 1, day, "s", lines, source="close" if closing else "",
                   lines_total=total)


entries = st.lists(st.tuples(
    st.sampled_from(YEARS), st.integers(1, 364), st.sampled_from(POSTABLE), st.sampled_from(POSTABLE),
    st.integers(1, 5_000_000)), min_size=1, max_size=40)


def _history(raw, rate: int, units: dict[str, int]) -> list[Voucher]:
    vouchers: list[Voucher] = []
    for year in YEARS:
        for y, day, dr, cr, fen in raw:
            if y == year and dr != cr:
                amount = Decimal(fen) / 100
                vouchers.append(_voucher(date(year, 1, 1) + timedelta(days=day - 1),
                                         (JournalLine(dr, debit=amount), JournalLine(cr, credit=amount))))
        closing = year_end_closing(CHART, year, net_debit_by_account(v for v in vouchers if v.voucher_date.year == year))
        for draft in closing.drafts:  # the closing vouchers close_year posts
            vouchers.append(_voucher(draft.voucher_date, draft.lines, closing=True))
        net_income = closing.net_income
        undistributed = undistributed_balance(CHART, net_debit_by_account(vouchers))
        result = compute_year_end_distribution(net_income=net_income,
                                               opening_undistributed=undistributed - net_income,
                                               reserve_rate_percent=rate, units_by_member=units)
        for draft in distribution_vouchers(result, year):  # the vouchers adopt_distribution posts
            vouchers.append(_voucher(draft.voucher_date, draft.lines))
    return vouchers


def _balances(vouchers: list[Voucher], through: date) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for voucher in vouchers:
        if voucher.voucher_date <= through:
            for line in voucher.lines:
                totals[line.account_code] += to_fen(line.debit) - to_fen(line.credit)
    return totals


def _flows(vouchers: list[Voucher], start: date, end: date) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for voucher in vouchers:
        if start <= voucher.voucher_date <= end and voucher.source != "close":
            for line in voucher.lines:
                totals[line.account_code] += to_fen(line.debit) - to_fen(line.credit)
    return totals


@settings(max_examples=60, deadline=None)
@given(entries, st.integers(0, 100), st.dictionaries(st.sampled_from(["m1", "m2", "m3", "m4"]), st.integers(1, 9),
                                                      min_size=1))
def test_every_statement_balances_on_every_date(raw, rate, units) -> None:
    vouchers = _history(raw, rate, units)
    days = sorted({v.voucher_date for v in vouchers} | {date(2021, 1, 1), date(2023, 12, 31)})
    for day in days:
        lines = balance_sheet_from_balances(CHART, _balances(vouchers, day))
        totals = balance_sheet_totals(lines)
        assert totals["assets"] == totals["liabilities"] + totals["equity"] == totals["liabilities_and_equity"]
        year_start = date(day.year, 1, 1)
        opening = balance_sheet_from_balances(CHART, _balances(vouchers, year_start - timedelta(days=1)))
        statement = income_statement_from_flows(_flows(vouchers, year_start, day), opening["undistributed"])
        assert statement["closing_undistributed"] == lines["undistributed"]


def test_balance_sheet_puts_internal_accounts_by_the_sign_of_their_balance() -> None:
    debit_113 = balance_sheet_from_balances(CHART, {"113": 500, "102": -500})
    assert (debit_113["receivables"], debit_113["payables"], debit_113["cash"]) == (500, 0, -500)
    credit_113 = balance_sheet_from_balances(CHART, {"113": -500, "102": 500})
    assert (credit_113["receivables"], credit_113["payables"], credit_113["cash"]) == (0, 500, 500)


def test_balance_sheet_nets_contra_accounts_and_unclosed_income() -> None:
    lines = balance_sheet_from_balances(CHART, {"151": 10_000, "152": -3_000, "102": 1_000, "501.01": -8_000})
    assert (lines["fixed_assets"], lines["cash"], lines["undistributed"]) == (7_000, 1_000, 8_000)
    assert balance_sheet_totals(lines)["assets"] == balance_sheet_totals(lines)["liabilities_and_equity"] == 8_000


def test_income_statement_every_line_of_the_formulas() -> None:
    flows = {"501.01": -100_000, "501.02": -20_000, "502": -5_000, "511": 30_000, "512": 1_000, "513": 9_000,
             "503": -50_000, "504": -2_000, "514": 7_000, "515": 3_000, "521": 4_000, "322.01": -1_500,
             "322.02": 10_000, "322.03": 60_000, "322.04": 500}
    s = income_statement_from_flows(flows, opening_undistributed_fen=-20_000)
    assert s["operating_result"] == 120_000 - 30_000 - 1_000 - 9_000 + 5_000 == 85_000
    assert s["total_result"] == 85_000 + 50_000 + 2_000 - 7_000 - 3_000 == 127_000
    assert s["net_income"] == 123_000
    assert s["other_transfers_in"] == 1_500
    assert s["distributable_income"] == 123_000 - 20_000 + 1_500 == 104_500
    assert s["closing_undistributed"] == 104_500 - 10_000 - 60_000 - 500 == 34_000
