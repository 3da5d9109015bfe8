"""Balances as of a date from the month rows (``anju_balance_months``), on SQLite and PostgreSQL.

The month rows are written by the books read model as events are projected: a key has a row in
each month it moved in and in each anchor month (January, April, July, October) from its first
month through its book's latest. These tests post across months out of date
order (vouchers dated into earlier months after later ones, red vouchers, opening balances
entered and replaced after later postings) and check every as-of date against plain sums of the
postings.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from api.runtime import all_projections
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.journal import VoucherDraft, credit, debit
from projections.books import BooksProjection, balance_months_of, month_rows
from projections.ledger_reports import book_info, cumulative_as_of, trial_balance
from projections.replay import replay

AUDIT = Audit("tester", "accountant", "test")
FIRST_DAY, LAST_DAY = date(2024, 12, 1), date(2025, 8, 5)
POSTED_SUMS = (
    "SELECT account_code, subledger, SUM(debit_fen), SUM(credit_fen) FROM anju_postings WHERE book_code = ?"
    " AND voucher_date <= ? GROUP BY account_code, subledger"
)


def _open_book(runtime) -> None:
    runtime.execute(lambda uow: bookkeeping.open_book(
        uow, AUDIT, book_code="b1", name="b1", entity_kind="collective", community_id="c1", township_id="t1",
        chart_name="collective_2023", starts_on=date(2025, 1, 1)))


def _opening(amount: str, tenant: str):
    lines = (debit("102", Decimal(amount)), credit("501.01", Decimal(amount), tenant))
    return lambda uow: bookkeeping.enter_opening_balances(uow, AUDIT, "b1", lines)


def _voucher(day: date, amount: Decimal, tenant: str, summary: str):
    draft = VoucherDraft(day, summary, (debit("102", amount), credit("501.01", amount, tenant)))
    return lambda uow: bookkeeping.record_voucher(uow, AUDIT, "b1", draft)


def _messy_history(runtime) -> None:
    """Months posted out of order over several batches, red vouchers, opening balances replaced late."""
    rng = random.Random(13)
    _open_book(runtime)
    runtime.execute(_opening("500.00", "tenant:T0"))
    futures = []
    for i in range(90):
        # Mostly the latest months, often back-dated into earlier ones (after later months have postings).
        month = 6 if i < 10 else rng.choice((1, 2, 3, 3, 4, 5, 6, 7))
        day = date(2025, month, 1 + rng.randrange(28))
        tenant = f"tenant:T{rng.randrange(4)}"
        futures.append(runtime.writer.submit(_voucher(day, Decimal(rng.randrange(1, 10_000)) / 100, tenant, f"v{i}")))
        if i % 11 == 0:  # vary batch boundaries
            futures[-1].result(10)
    numbers = [f.result(10).result.number for f in futures]
    runtime.wait_for(max(f.result(10).position for f in futures))
    for number in numbers[3:9]:  # red vouchers of six June vouchers, dated into July (which has postings)
        runtime.execute(lambda uow, n=number: bookkeeping.reverse_voucher(uow, AUDIT, "b1", n, date(2025, 7, 3)))
    # A new key first posted in an early month after later months exist, and the opening replaced.
    runtime.execute(_voucher(date(2025, 1, 20), Decimal("7.00"), "tenant:T9", "late new key"))
    runtime.execute(_opening("650.00", "tenant:T1"))


def _as_dicts(rows) -> dict:
    return {(r[0], r[1]): (int(r[2]), int(r[3])) for r in rows}


def test_balances_as_of_every_date_equal_the_posted_sums(runtime):
    _messy_history(runtime)
    day = FIRST_DAY
    checked_nonempty = 0
    with runtime.db.transaction(write=False) as tx:
        while day <= LAST_DAY:
            balances = cumulative_as_of(tx, "b1", day)
            posted = _as_dicts(tx.query(POSTED_SUMS, ("b1", day.isoformat())))
            # Every key posted by then; a key whose opening balance was replaced away stays, at zero.
            assert {k: v for k, v in balances.items() if k not in posted} in ({}, {("501.01", "tenant:T0"): (0, 0)})
            assert {k: balances[k] for k in posted} == posted, day
            checked_nonempty += bool(balances)
            day += timedelta(days=1)
    assert checked_nonempty > 200  # the opening date (2024-12-31) on


def test_as_of_before_the_first_posting_and_before_a_keys_first_day(runtime):
    _open_book(runtime)
    runtime.execute(_voucher(date(2025, 3, 10), Decimal("10.00"), "tenant:T1", "first"))
    runtime.execute(_voucher(date(2025, 3, 20), Decimal("5.00"), "tenant:T2", "second"))
    with runtime.db.transaction(write=False) as tx:
        assert cumulative_as_of(tx, "b1", date(2025, 2, 28)) == {}
        assert cumulative_as_of(tx, "b1", date(2025, 3, 9)) == {}
        assert cumulative_as_of(tx, "b1", date(2025, 3, 15)) == {("102", ""): (1000, 0),
                                                                  ("501.01", "tenant:T1"): (0, 1000)}
        assert cumulative_as_of(tx, "b1", date(2026, 1, 1)) == {("102", ""): (1500, 0),
                                                                 ("501.01", "tenant:T1"): (0, 1000),
                                                                 ("501.01", "tenant:T2"): (0, 500)}
        info = book_info(tx, "b1")
        assert info is not None
        statement = trial_balance(tx, info, date(2025, 1, 1), date(2025, 2, 28))
        assert statement.rows == [] and statement.balanced


def test_a_back_dated_voucher_changes_the_later_months(runtime):
    _open_book(runtime)
    runtime.execute(_voucher(date(2025, 1, 10), Decimal("10.00"), "tenant:T1", "january"))
    runtime.execute(_voucher(date(2025, 1, 15), Decimal("5.00"), "tenant:T2", "january, a key that stops"))
    runtime.execute(_voucher(date(2025, 8, 10), Decimal("1.00"), "tenant:T1", "august"))
    runtime.execute(_voucher(date(2025, 2, 27), Decimal("100.00"), "tenant:T1", "february, back-dated"))
    select = ("SELECT month, debit_cum_open, debit_cum_close, credit_cum_close, days FROM anju_balance_months"
              " WHERE book_code = 'b1' AND account_code = ? AND subledger = ? ORDER BY month")
    with runtime.db.transaction(write=False) as tx:
        # Rows in the months the key moved in and in the anchor months (April, July) it did not move in.
        assert [tuple(r[:3]) + (r[4],) for r in tx.query(select, ("102", ""))] == [
            ("2025-01", None, 1500, "[[10,1000,0],[15,1500,0]]"),
            ("2025-02", 1500, 11500, "[[27,11500,0]]"),
            ("2025-04", 11500, 11500, "[]"),
            ("2025-07", 11500, 11500, "[]"),
            ("2025-08", 11500, 11600, "[[10,11600,0]]"),
        ]
        # A key that did not move after January is carried into the anchor months the book reached.
        assert [(r[0], r[3], r[4]) for r in tx.query(select, ("501.01", "tenant:T2"))] == [
            ("2025-01", 500, "[[15,0,500]]"), ("2025-04", 500, "[]"), ("2025-07", 500, "[]")]
        for day, expected in ((date(2025, 1, 12), 1000), (date(2025, 3, 31), 11500), (date(2025, 5, 15), 11500),
                              (date(2025, 8, 9), 11500), (date(2025, 8, 10), 11600), (date(2026, 2, 1), 11600)):
            balances = cumulative_as_of(tx, "b1", day)
            assert balances[("102", "")] == (expected, 0), day
            assert balances.get(("501.01", "tenant:T2")) == ((0, 500) if day >= date(2025, 1, 15) else None), day


def test_replay_rebuilds_the_month_rows_with_equal_digests(runtime):
    _messy_history(runtime)
    report = replay(runtime.app, runtime.config, runtime.runner, all_projections)
    assert report.matches, (report.live, report.replayed)


def test_a_store_written_before_the_month_rows_gets_them_from_its_running_balances(runtime):
    """Such a store kept one running-total row per key and date (anju_balances): derived from the postings here."""
    _open_book(runtime)
    for i, day in enumerate((date(2025, 1, 5), date(2025, 4, 2), date(2025, 2, 9), date(2025, 1, 5), date(2025, 6, 1))):
        runtime.execute(_voucher(day, Decimal(10 + i), f"tenant:T{i % 2}", f"v{i}"))
    select = "SELECT * FROM anju_balance_months ORDER BY book_code, account_code, subledger, month"
    with runtime.db.transaction() as tx:
        live = tx.query(select)
        totals: dict = {}
        old_rows = []
        for account, subledger, day, debit_fen, credit_fen in tx.query(
                "SELECT account_code, subledger, voucher_date, SUM(debit_fen), SUM(credit_fen) FROM anju_postings"
                " WHERE book_code = 'b1' GROUP BY account_code, subledger, voucher_date"
                " ORDER BY account_code, subledger, voucher_date"):
            debit_cum, credit_cum = totals.get((account, subledger), (0, 0))
            totals[(account, subledger)] = (debit_cum + int(debit_fen), credit_cum + int(credit_fen))
            old_rows.append(("b1", account, subledger, day, *totals[(account, subledger)]))
        tx.execute("DELETE FROM anju_balance_months")
        tx.execute("CREATE TABLE anju_balances (book_code TEXT NOT NULL, account_code TEXT NOT NULL, subledger TEXT"
                   " NOT NULL, on_date TEXT NOT NULL, debit_cum BIGINT NOT NULL, credit_cum BIGINT NOT NULL,"
                   " PRIMARY KEY (book_code, account_code, subledger, on_date))")
        tx.executemany("INSERT INTO anju_balances VALUES (?, ?, ?, ?, ?, ?)", old_rows)
        BooksProjection().create_tables(tx)
        # 102 and T0 moved in January, February, June and April (an anchor), T1 in January and April
        assert tx.query(select) == live and len(live) == 4 + 4 + 2
        BooksProjection().create_tables(tx)  # the old table is gone: nothing derived twice
        assert tx.query(select) == live


def test_a_store_written_with_a_row_for_every_month_keeps_only_moved_and_anchor_months(runtime):
    """12923a7 carried every key into every month through its book's latest: those rows without
    movement outside the anchor months go at the next start, and every balance reads the same."""
    _messy_history(runtime)
    select = "SELECT * FROM anju_balance_months ORDER BY book_code, account_code, subledger, month"
    with runtime.db.transaction() as tx:
        live = tx.query(select)
        latest = max(r[1] for r in live)
        dense = []
        for at, row in enumerate(live):  # every month after a row of the key, up to its next row or the latest
            following = live[at + 1] if at + 1 < len(live) and live[at + 1][:4:2] == row[:4:2] else None
            month = row[1]
            while True:
                month = f"{int(month[:4]) + int(month[5:]) // 12:04d}-{int(month[5:]) % 12 + 1:02d}"
                if month > latest or (following is not None and month >= following[1]):
                    break
                dense.append((row[0], month, row[2], row[3], row[6], row[7], row[6], row[7], "[]"))
        assert dense  # months without movement outside the anchor months
        tx.executemany("INSERT INTO anju_balance_months VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", dense)
        BooksProjection().create_tables(tx)
        assert tx.query(select) == live
    report = replay(runtime.app, runtime.config, runtime.runner, all_projections)
    assert report.matches, (report.live, report.replayed)


def test_month_rows_are_the_moved_months_and_the_anchor_months_through_the_latest():
    rows = month_rows(("b", "102", ""), "2025-01", (5, 0),
                      [("2025-01-03", 7, 0), ("2025-01-09", 7, 4), ("2025-03-01", 9, 4)], "2025-08")
    assert rows == [
        ("b", "2025-01", "102", "", 5, 0, 7, 4, "[[3,7,0],[9,7,4]]"),
        ("b", "2025-03", "102", "", 7, 4, 9, 4, "[[1,9,4]]"),
        ("b", "2025-04", "102", "", 9, 4, 9, 4, "[]"),
        ("b", "2025-07", "102", "", 9, 4, 9, 4, "[]"),
    ]
    # A key first posted in a month after an anchor starts at that month; ``since`` drops earlier rows.
    assert [r[1] for r in month_rows(("b", "1", ""), None, None, [("2025-02-02", 1, 0)], "2025-10")] == [
        "2025-02", "2025-04", "2025-07", "2025-10"]
    assert [r[1] for r in month_rows(("b", "1", ""), None, None, [("2025-02-02", 1, 0)], "2025-10",
                                     since="2025-05")] == ["2025-07", "2025-10"]
    # Each key runs through its book's latest month, whichever key moved last.
    assert [r[1] for r in balance_months_of([("b", "1", "", "2025-01-02", 1, 0), ("b", "2", "", "2025-04-02", 0, 1)])
            ] == ["2025-01", "2025-04", "2025-04"]
