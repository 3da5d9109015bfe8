"""Receipts, arrears aging and late fees (DOMAIN.md §4 Receipts, Arrears aging, Late fee)."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.leases.collection import (
    AGING_BUCKETS,
    OpenInvoice,
    SettlementLine,
    age_invoices,
    aging_bucket,
    aging_totals,
    late_fee,
    settle_oldest_first,
)
from domain.leases.errors import (
    DuplicateInvoiceNumber,
    InvalidCollectionAmount,
    InvalidDailyRate,
    PaymentsExceedAmountDue,
)

JULY = OpenInvoice("INV-2024-0007", date(2024, 7, 1), Decimal("3100.00"))
JUNE = OpenInvoice("INV-2024-0006", date(2024, 6, 1), Decimal("3100.00"))
AUGUST = OpenInvoice("INV-2024-0008", date(2024, 8, 1), Decimal("3100.00"))


# --- Receipts ---------------------------------------------------------------------


def test_settle_oldest_first_pays_the_earliest_due_invoice_first() -> None:
    settlement = settle_oldest_first([AUGUST, JULY, JUNE], Decimal("4000.00"))
    assert settlement.lines == (
        SettlementLine("INV-2024-0006", Decimal("3100.00")),
        SettlementLine("INV-2024-0007", Decimal("900.00")),
    )
    assert settlement.amount_unapplied == Decimal("0.00")
    assert settlement.amount_applied == Decimal("4000.00")


def test_settle_oldest_first_breaks_ties_by_invoice_number() -> None:
    second = OpenInvoice("INV-2024-0102", date(2024, 7, 1), Decimal("500.00"))
    first = OpenInvoice("INV-2024-0101", date(2024, 7, 1), Decimal("500.00"))
    settlement = settle_oldest_first([second, first], Decimal("600.00"))
    assert settlement.lines == (
        SettlementLine("INV-2024-0101", Decimal("500.00")),
        SettlementLine("INV-2024-0102", Decimal("100.00")),
    )


def test_settle_oldest_first_leaves_the_remainder_as_a_credit() -> None:
    settlement = settle_oldest_first([JULY, JUNE], "7000")
    assert [line.amount_applied for line in settlement.lines] == [Decimal("3100.00"), Decimal("3100.00")]
    assert settlement.amount_unapplied == Decimal("800.00")
    assert settle_oldest_first([], Decimal("50.00")).amount_unapplied == Decimal("50.00")


def test_settle_oldest_first_rejects_bad_receipts_and_duplicates() -> None:
    for bad in ("0", "-1.00", "1.005", 100.0):
        with pytest.raises(InvalidCollectionAmount):
            settle_oldest_first([JUNE], bad)
    with pytest.raises(DuplicateInvoiceNumber):
        settle_oldest_first([JUNE, JUNE], Decimal("1.00"))
    with pytest.raises(InvalidCollectionAmount):
        OpenInvoice("INV-2024-0009", date(2024, 9, 1), Decimal("0.00"))


open_invoice_lists = st.lists(
    st.builds(
        OpenInvoice,
        invoice_number=st.integers(min_value=1, max_value=9999).map(lambda n: f"INV-{n:04d}"),
        due_on=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
        amount_open=st.integers(min_value=1, max_value=1_000_000).map(lambda fen: Decimal(fen) / 100),
    ),
    max_size=12,
    unique_by=lambda invoice: invoice.invoice_number,
)
receipts = st.integers(min_value=1, max_value=5_000_000).map(lambda fen: Decimal(fen) / 100)


@given(open_invoices=open_invoice_lists, receipt=receipts)
def test_settle_oldest_first_applies_the_whole_receipt_oldest_first(
    open_invoices: list[OpenInvoice], receipt: Decimal
) -> None:
    settlement = settle_oldest_first(open_invoices, receipt)
    assert settlement.amount_applied + settlement.amount_unapplied == receipt
    assert settlement.amount_unapplied >= 0
    by_number = {invoice.invoice_number: invoice for invoice in open_invoices}
    oldest_first = sorted(open_invoices, key=lambda invoice: (invoice.due_on, invoice.invoice_number))
    assert [line.invoice_number for line in settlement.lines] == [i.invoice_number for i in oldest_first][
        : len(settlement.lines)
    ]
    for line in settlement.lines[:-1]:  # all but the last are paid in full
        assert line.amount_applied == by_number[line.invoice_number].amount_open
    for line in settlement.lines:
        assert 0 < line.amount_applied <= by_number[line.invoice_number].amount_open
    if settlement.amount_unapplied > 0:  # a credit is left only when every invoice is paid
        assert settlement.amount_applied == sum((i.amount_open for i in open_invoices), Decimal("0.00"))


# --- Arrears aging ----------------------------------------------------------------


def test_aging_bucket_edges() -> None:
    expected = {
        -10: "not_due",
        0: "not_due",
        1: "1-30",
        30: "1-30",
        31: "31-90",
        90: "31-90",
        91: "91-180",
        180: "91-180",
        181: "over_180",
        5000: "over_180",
    }
    assert {days: aging_bucket(days) for days in expected} == expected


@given(days=st.lists(st.integers(min_value=-1000, max_value=10_000), min_size=2, max_size=2))
def test_aging_bucket_never_gets_younger_as_days_grow(days: list[int]) -> None:
    fewer, more = sorted(days)
    assert AGING_BUCKETS.index(aging_bucket(fewer)) <= AGING_BUCKETS.index(aging_bucket(more))


def test_age_invoices_counts_days_overdue_from_the_due_date() -> None:
    aged = age_invoices([JUNE, JULY, AUGUST], as_of=date(2024, 8, 1))
    assert [(item.invoice_number, item.days_overdue, item.bucket) for item in aged] == [
        ("INV-2024-0006", 61, "31-90"),
        ("INV-2024-0007", 31, "31-90"),
        ("INV-2024-0008", 0, "not_due"),
    ]
    assert aging_totals(aged) == {
        "not_due": Decimal("3100.00"),
        "1-30": Decimal("0.00"),
        "31-90": Decimal("6200.00"),
        "91-180": Decimal("0.00"),
        "over_180": Decimal("0.00"),
    }
    assert list(aging_totals([])) == list(AGING_BUCKETS)


# --- Late fee ---------------------------------------------------------------------


def test_late_fee_simple_daily_on_the_unpaid_amount() -> None:
    # DOMAIN.md §4: 3,100.00 due 2024-07-01, unpaid, as of 2024-07-31 → 30 days → 46.50.
    fee = late_fee(Decimal("3100.00"), date(2024, 7, 1), [], date(2024, 7, 1), date(2024, 7, 31))
    assert fee == Decimal("46.50")
    # Simple, not compounding: 60 days is exactly twice 30 days.
    assert late_fee(Decimal("3100.00"), date(2024, 7, 1), [], date(2024, 7, 1), date(2024, 8, 30)) == Decimal("93.00")


def test_late_fee_is_nothing_on_or_before_the_due_date() -> None:
    assert late_fee(Decimal("3100.00"), date(2024, 7, 1), [], date(2024, 7, 1), date(2024, 6, 20)) == Decimal("0.00")
    assert late_fee(Decimal("3100.00"), date(2024, 7, 1), [], date(2024, 7, 1), date(2024, 7, 1)) == Decimal("0.00")
    assert late_fee(Decimal("3100.00"), date(2024, 7, 1), [], date(2024, 7, 1), date(2024, 7, 2)) == Decimal("1.55")


def test_late_fee_runs_through_the_payment_day_on_the_amount_unpaid_at_the_start_of_each_day() -> None:
    """DOMAIN.md §4 Late fee (至实际缴纳之日止, 税收征收管理法实施细则 Art. 75): each day after the due date
    up to and including the payment date, on the amount unpaid at the start of that day — a payment on
    day d still bears the fee for day d, and none from d + 1.

    3,100.00 due 2024-07-01, paid in full on 2024-07-11: days 07-02 … 07-11 = 10 days × 1.55 = 15.50.
    Unpaid through a run as of 2024-07-31: 30 days × 1.55 = 46.50.
    """
    due_on, as_of = date(2024, 7, 1), date(2024, 7, 31)
    paid_in_full = [(date(2024, 7, 11), Decimal("3100.00"))]
    assert late_fee(Decimal("3100.00"), due_on, paid_in_full, due_on, as_of) == Decimal("15.50")
    assert late_fee(Decimal("3100.00"), due_on, [], due_on, as_of) == Decimal("46.50")
    # Paid on the day after the due date: that one day bears the fee.
    next_day = [(date(2024, 7, 2), Decimal("3100.00"))]
    assert late_fee(Decimal("3100.00"), due_on, next_day, due_on, as_of) == Decimal("1.55")


def test_late_fee_after_a_partial_payment_is_on_the_rest_from_the_next_day() -> None:
    # 1,100.00 paid 2024-07-11: 10 days (07-02..07-11) on 3,100.00, 20 days (07-12..07-31) on 2,000.00.
    # (10 × 3,100 + 20 × 2,000) × 0.0005 = 71,000 × 0.0005 = 35.50
    payments = [(date(2024, 7, 11), Decimal("1100.00"))]
    fee = late_fee(Decimal("3100.00"), date(2024, 7, 1), payments, date(2024, 7, 1), date(2024, 7, 31))
    assert fee == Decimal("35.50")


def test_late_fee_ignores_payments_after_the_run_and_none_is_due_when_paid_in_time() -> None:
    paid_later = [(date(2024, 8, 5), Decimal("3100.00"))]
    assert late_fee(Decimal("3100.00"), date(2024, 7, 1), paid_later, date(2024, 7, 1), date(2024, 7, 31)) == Decimal(
        "46.50"
    )
    for paid_on in (date(2024, 6, 28), date(2024, 7, 1)):  # before or on the due date
        paid = [(paid_on, Decimal("3100.00"))]
        assert late_fee(Decimal("3100.00"), date(2024, 7, 1), paid, date(2024, 7, 1), date(2024, 7, 31)) == Decimal(
            "0.00"
        )


def test_late_fee_consecutive_runs_never_charge_a_day_twice() -> None:
    first = late_fee(Decimal("3100.00"), date(2024, 7, 1), [], date(2024, 7, 1), date(2024, 7, 15))
    second = late_fee(Decimal("3100.00"), date(2024, 7, 1), [], date(2024, 7, 15), date(2024, 7, 31))
    assert (first, second) == (Decimal("21.70"), Decimal("24.80"))
    assert first + second == Decimal("46.50")
    # A repeated run for the same as-of date charges nothing more.
    assert late_fee(Decimal("3100.00"), date(2024, 7, 1), [], date(2024, 7, 31), date(2024, 7, 31)) == Decimal("0.00")


def test_late_fee_rounds_half_up_per_run_and_takes_a_configured_rate() -> None:
    # 10.00 × 0.0005 × 1 day = 0.005 → 0.01 half-up.
    assert late_fee(Decimal("10.00"), date(2024, 7, 1), [], date(2024, 7, 1), date(2024, 7, 2)) == Decimal("0.01")
    fee = late_fee(Decimal("3100.00"), date(2024, 7, 1), [], date(2024, 7, 1), date(2024, 7, 31), Decimal("0.001"))
    assert fee == Decimal("93.00")


def test_late_fee_rejects_overpayment_and_float_rates() -> None:
    due_on, as_of = date(2024, 7, 1), date(2024, 7, 31)
    overpaid = [(date(2024, 7, 5), Decimal("100.01"))]
    with pytest.raises(PaymentsExceedAmountDue):
        late_fee(Decimal("100.00"), due_on, overpaid, due_on, as_of)
    with pytest.raises(InvalidDailyRate):
        late_fee(Decimal("100.00"), due_on, [], due_on, as_of, 0.0005)  # type: ignore[arg-type]
    with pytest.raises(InvalidDailyRate):
        late_fee(Decimal("100.00"), due_on, [], due_on, as_of, Decimal("-0.0005"))
    with pytest.raises(InvalidCollectionAmount):
        late_fee(Decimal("100.00"), due_on, [(date(2024, 7, 5), Decimal("0"))], due_on, as_of)


def _late_fee_day_by_day(
    amount_due: Decimal, due_on: date, payments: list[tuple[date, Decimal]], as_of: date
) -> Decimal:
    """The rule read literally: each day after the due date, the amount unpaid at its start."""
    total = Decimal("0")
    day = due_on + timedelta(days=1)
    while day <= as_of:
        unpaid = amount_due - sum((amount for paid_on, amount in payments if paid_on < day), Decimal("0"))
        total += unpaid * Decimal("0.0005")
        day += timedelta(days=1)
    return total


amounts_due = st.integers(min_value=1, max_value=10_000_000).map(lambda fen: Decimal(fen) / 100)


@given(
    amount_due=amounts_due,
    payment_offsets=st.lists(st.integers(min_value=-10, max_value=120), max_size=4),
    payment_shares=st.lists(st.integers(min_value=1, max_value=100), min_size=4, max_size=4),
    run_days=st.lists(st.integers(min_value=-5, max_value=150), min_size=2, max_size=2),
)
def test_late_fee_runs_add_up_to_the_day_by_day_fee(
    amount_due: Decimal, payment_offsets: list[int], payment_shares: list[int], run_days: list[int]
) -> None:
    due_on = date(2024, 7, 1)
    # Payments of at most a quarter of the amount each, so they never exceed it.
    payments = [
        (due_on + timedelta(days=offset), max(Decimal("0.01"), (amount_due * share / 400).quantize(Decimal("0.01"))))
        for offset, share in zip(payment_offsets, payment_shares)
    ]
    if sum((amount for _, amount in payments), Decimal("0")) > amount_due:
        payments = []
    middle, as_of = (due_on + timedelta(days=days) for days in sorted(run_days))
    one_run = late_fee(amount_due, due_on, payments, due_on, as_of)
    literal = _late_fee_day_by_day(amount_due, due_on, payments, as_of)
    assert one_run == literal.quantize(Decimal("0.01"), ROUND_HALF_UP)
    first_run = late_fee(amount_due, due_on, payments, due_on, middle)
    two_runs = first_run + late_fee(amount_due, due_on, payments, middle, as_of)
    assert abs(two_runs - one_run) <= Decimal("0.01")  # each run rounds once, by at most half a fen
    assert Decimal("0.00") <= one_run <= late_fee(amount_due, due_on, [], due_on, as_of)
