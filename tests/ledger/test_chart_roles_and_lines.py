"""Account roles come from the chart's data; signed lines keep one side > 0; read-model tables derive DDL."""

from datetime import date
from decimal import Decimal

import pytest

from ledger.chart import UnknownAccountRole, account_code, load_chart
from ledger.journal import check_blue_voucher, draft_of, signed_credit, signed_line
from projections.base import Table


def test_every_chart_role_names_an_account_of_that_chart() -> None:
    for name in ("collective_2023", "maintenance_fund"):
        chart = load_chart(name)
        assert chart.roles, f"{name} names no roles"
        for role, code in chart.roles.items():
            assert chart.account(code).code == code, role


def test_account_code_by_role() -> None:
    assert account_code("collective_2023", "rent_income") == "501.01"
    assert account_code("collective_2023", "payable") == "211"
    assert account_code("maintenance_fund", "funds_held") == "201"
    with pytest.raises(UnknownAccountRole):
        account_code("maintenance_fund", "rent_income")


def test_signed_line_puts_the_amount_on_one_side() -> None:
    assert signed_line("102", Decimal("5.00")).debit == Decimal("5.00")
    assert signed_line("102", Decimal("-5.00")).credit == Decimal("5.00")
    assert signed_line("102", Decimal("0.00")) is None
    assert signed_credit("501.01", Decimal("5.00")).credit == Decimal("5.00")


def test_draft_of_drops_empty_lines_and_balances() -> None:
    amount = Decimal("12.34")
    draft = draft_of(date(2025, 3, 1), "租金", [signed_line("112", amount), signed_line("211", Decimal(0)),
                                                 signed_credit("501.01", amount)], "test")
    assert len(draft.lines) == 2
    assert check_blue_voucher(draft) == amount
    assert draft_of(date(2025, 3, 1), "空", [None, signed_line("102", Decimal(0))], "test") is None


def test_table_declaration_derives_ddl_and_digest() -> None:
    table = Table("t_x", ("a TEXT NOT NULL", "b BIGINT NOT NULL", "c TEXT"), ("a", "b"), indexes=(("c",),),
                  digest_columns=("a", "b"))
    assert table.ddl()[0] == ("CREATE TABLE IF NOT EXISTS t_x (a TEXT NOT NULL, b BIGINT NOT NULL, c TEXT,"
                              " PRIMARY KEY (a, b))")
    assert table.ddl()[1] == "CREATE INDEX IF NOT EXISTS t_x_ix1 ON t_x (c)"
    assert table.digest_query() == "SELECT a, b FROM t_x ORDER BY a, b"
    assert table.insert_sql() == "INSERT INTO t_x VALUES (?, ?, ?)"
