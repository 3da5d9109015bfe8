"""A year's distribution (年终收益分配): the adopted plan, its vouchers, its dividends and its reversal.

Source: 农村集体经济组织法 (2024) Art. 42 and DOMAIN.md §3 (Year-end
distribution; Entries). The figures themselves are the pure rules of
``distribution_figures.py``; this module turns them into the vouchers that are
posted and keeps the ``Distribution`` aggregate — one per organisation-year
and attempt: figures, every member's dividend line, the voucher numbers, and
the reversal that lets a second plan be adopted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.collective.distribution_figures import (
    YearEndDistribution,
    compute_year_end_distribution,
)
from domain.collective.errors import (
    DistributionAlreadyReversed,
    EmptyBatch,
    InvalidPaymentAccount,
    NoDividendDeclared,
    PaymentBeforeDistribution,
    PaymentNotPositive,
)
from domain.collective.resolution import AssemblyResolution
from domain.collective.topics import keep_old_topics
from domain.collective.year_end import COLLECTIVE_CHART, year_end_date
from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE
from ledger.chart import account_code
from ledger.journal import (
    VoucherDraft,
    credit,
    debit,
    draft_of,
    signed_credit,
    signed_line,
)
from ledger.money import ZERO, parse_amount
from ledger.values import value_type

RESERVE = account_code(COLLECTIVE_CHART, "reserve")  # 311 公积公益金
PAYABLE = account_code(COLLECTIVE_CHART, "payable")  # 211 应付款 (per member: dividends payable)
RESERVE_WITHDRAWN = account_code(COLLECTIVE_CHART, "reserve_withdrawn")  # 322.02 各项分配—提取公积公益金
DISTRIBUTED_TO_MEMBERS = account_code(COLLECTIVE_CHART, "distributed_to_members")  # 322.03 各项分配—向成员分配
DISTRIBUTION_SOURCE = "collective:distribution"
#: Member lines per distribution voucher: a voucher takes at most 20,000 lines.
MEMBER_LINES_PER_VOUCHER = 5_000
CASH = account_code(COLLECTIVE_CHART, "cash")  # 101 库存现金
BANK = account_code(COLLECTIVE_CHART, "bank")  # 102 银行存款
PAYMENT_ACCOUNTS = (CASH, BANK)
PAYMENTS_PER_BATCH_LIMIT = 5_000
DIVIDEND_PAYMENT_SOURCE = "collective:dividend-payment"


def distribution_vouchers(result: YearEndDistribution, year: int,
                          member_lines_per_voucher: int = MEMBER_LINES_PER_VOUCHER) -> tuple[VoucherDraft, ...]:
    """The year-end distribution entries, as the vouchers that are posted (dated 31 December).

    Source: DOMAIN.md §3 (Entries) with the 322 sub-accounts of §2. First the
    withdrawal: Dr 322.02 / Cr 311. Then the distribution: Dr 322.03, Cr 211
    per member (sub-ledger ``member:<id>``) and Cr 311 for the collective share
    class's part (it stays with the collective), split so that no voucher
    exceeds its line limit; each voucher balances on its own. Zero amounts are
    left out: a voucher line is > 0 (§1).

    No line covers prior losses: closing 321 本年收益 into 322.01 未分配收益
    already nets this year's income against the carried loss. (Covering a loss
    out of 公积公益金, Dr 311 / Cr 322, is a separate resolution.)
    """
    day, source = year_end_date(year), f"{DISTRIBUTION_SOURCE}:{year}"
    withdrawal = result.reserve_withdrawal
    drafts = [draft_of(day, f"{year}年度收益分配：提取公积公益金",
                       (signed_line(RESERVE_WITHDRAWN, withdrawal), signed_credit(RESERVE, withdrawal)), source)]
    credits = [credit(PAYABLE, line.amount_yuan, f"member:{line.member_id}")
               for line in result.member_lines if line.amount_yuan > 0]
    if result.collective_share_amount > 0:
        credits.append(credit(RESERVE, result.collective_share_amount, memo="集体股分红留归集体"))
    for start in range(0, len(credits), member_lines_per_voucher):
        chunk = credits[start:start + member_lines_per_voucher]
        total = sum((line.credit for line in chunk), ZERO)
        drafts.append(draft_of(day, f"{year}年度收益分配：向成员分配", (debit(DISTRIBUTED_TO_MEMBERS, total), *chunk),
                               source))
    vouchers = tuple(draft for draft in drafts if draft is not None)
    for voucher in vouchers:
        assert sum(l.debit for l in voucher.lines) == sum(l.credit for l in voucher.lines), "each voucher balances"
    debits = sum((line.debit for voucher in vouchers for line in voucher.lines), ZERO)
    assert debits == result.reserve_withdrawal + result.declared, "the vouchers carry every figure"
    return vouchers


@dataclass(frozen=True)
class DividendPayment:
    member_id: str
    amount: Decimal


def dividend_payment_voucher(year: int, paid_on: date, totals: Mapping[str, Decimal],
                             account_code: str) -> VoucherDraft:
    """One voucher per batch: Dr 211 member:<id> per member, Cr the cash or bank account (DOMAIN.md §3)."""
    lines = [debit(PAYABLE, amount, f"member:{member_id}") for member_id, amount in totals.items()]
    draft = draft_of(paid_on, f"支付{year}年度成员分红（{len(totals)}人）",
                     (*lines, credit(account_code, sum(totals.values(), ZERO))), f"{DIVIDEND_PAYMENT_SOURCE}:{year}")
    assert draft is not None
    return draft


# --- value types carried by events ---------------------------------------------------
@value_type("anju.collective.DividendLine")
class DividendLine:
    """One member's dividend in a distribution: units on the record date and the amount."""

    member_id: str
    units: Decimal
    amount: Decimal


@value_type("anju.collective.DistributionFigures")
class DistributionFigures:
    """The figures of a year-end distribution (DOMAIN.md §3), in yuan."""

    net_income: Decimal
    opening_undistributed: Decimal
    distributable_income: Decimal
    loss_covered: Decimal
    withdrawal_base: Decimal
    reserve_rate_percent: Decimal
    reserve_withdrawal: Decimal
    distributable_to_members: Decimal
    declared: Decimal
    collective_units: Decimal
    collective_share_amount: Decimal
    undistributed_after: Decimal
    allocation_method: str


@dataclass(frozen=True)
class DistributionPlan:
    """A plan ready to adopt: its record date, the figures' inputs and results, and its vouchers."""

    year: int
    record_date: date
    result: YearEndDistribution
    figures: DistributionFigures

    @property
    def lines(self) -> tuple[DividendLine, ...]:
        return tuple(DividendLine(line.member_id, line.units, line.amount_yuan) for line in self.result.member_lines)

    def vouchers(self) -> tuple[VoucherDraft, ...]:
        return distribution_vouchers(self.result, self.year)


def plan_distribution(*, year: int, record_date: date, net_income: Decimal, opening_undistributed: Decimal,
                      reserve_rate_percent: Decimal, units_by_member: Mapping[str, Decimal],
                      collective_units: Decimal, declared_amount: Decimal | None) -> DistributionPlan:
    """The year's distribution figures (``compute_year_end_distribution``) with the inputs they came from."""
    result = compute_year_end_distribution(
        net_income=net_income, opening_undistributed=opening_undistributed,
        reserve_rate_percent=reserve_rate_percent, units_by_member=units_by_member,
        collective_units=collective_units, declared_amount=declared_amount)
    figures = DistributionFigures(
        net_income=net_income, opening_undistributed=opening_undistributed,
        distributable_income=result.distributable_income, loss_covered=result.loss_covered,
        withdrawal_base=result.withdrawal_base, reserve_rate_percent=reserve_rate_percent,
        reserve_withdrawal=result.reserve_withdrawal, distributable_to_members=result.distributable_to_members,
        declared=result.declared, collective_units=collective_units,
        collective_share_amount=result.collective_share_amount, undistributed_after=result.undistributed_after,
        allocation_method=result.allocation_method)
    return DistributionPlan(year, record_date, result, figures)


# --- a year's distribution -----------------------------------------------------------
def distribution_id(book_code: str, year: int, attempt: int) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"collective/org/{book_code}/distribution/{year}/{attempt}")


class Distribution(Aggregate):
    """An adopted year-end distribution plan: figures, member lines, vouchers; reversed at most once."""

    create_id = staticmethod(distribution_id)

    @event("Adopted")
    def __init__(self, audit: Audit, book_code: str, year: int, attempt: int, resolution: AssemblyResolution,
                 record_date: date, voucher_date: date, figures: DistributionFigures,
                 lines: tuple[DividendLine, ...], voucher_numbers: tuple[str, ...]) -> None:
        self.book_code = book_code
        self.year = year
        self.attempt = attempt
        self.resolution = resolution
        self.record_date = record_date
        self.voucher_date = voucher_date
        self.figures = figures
        self.lines = tuple(lines)
        self.voucher_numbers = tuple(voucher_numbers)
        self.by_member = {line.member_id: line for line in self.lines}
        self.reversed_on: date | None = None
        self.red_numbers: tuple[str, ...] = ()

    @classmethod
    def adopt(cls, audit: Audit, *, book_code: str, attempt: int, resolution: AssemblyResolution,
              plan: DistributionPlan, voucher_numbers: Sequence[str]) -> Distribution:
        return cls(audit=audit, book_code=book_code, year=plan.year, attempt=attempt, resolution=resolution,
                   record_date=plan.record_date, voucher_date=year_end_date(plan.year), figures=plan.figures,
                   lines=plan.lines, voucher_numbers=tuple(voucher_numbers))

    def declared_for(self, member_id: str) -> Decimal:
        line = self.by_member.get(member_id)
        if line is None or line.amount <= 0:
            raise NoDividendDeclared(f"member {member_id} has no dividend in the {self.year} distribution")
        return line.amount

    def check_payments(self, paid_on: date, payments: Sequence[DividendPayment],
                       account_code: str) -> dict[str, Decimal]:
        """A batch of dividend payments: bounded, from cash or bank, not before the distribution, each > 0.

        Source: DOMAIN.md §3 (payment Dr 211 / Cr 102). Returns the total per
        member, by member id (a member may appear more than once in a batch).
        """
        if not 0 < len(payments) <= PAYMENTS_PER_BATCH_LIMIT:
            raise EmptyBatch(f"pay 1–{PAYMENTS_PER_BATCH_LIMIT} members at a time")
        if account_code not in PAYMENT_ACCOUNTS:
            raise InvalidPaymentAccount(f"dividends are paid from {CASH} 库存现金 or {BANK} 银行存款, not {account_code}")
        if paid_on < self.voucher_date:
            raise PaymentBeforeDistribution(f"the {self.year} dividends are payable from {self.voucher_date}")
        totals: dict[str, Decimal] = {}
        for payment in payments:
            amount = parse_amount(payment.amount)
            if amount <= 0:
                raise PaymentNotPositive("each payment is more than zero")
            totals[payment.member_id] = totals.get(payment.member_id, ZERO) + amount
        return dict(sorted(totals.items()))

    def reverse(self, audit: Audit, reversed_on: date, red_numbers: Sequence[str]) -> None:
        if self.reversed_on is not None:
            raise DistributionAlreadyReversed(f"the {self.year} distribution was reversed on {self.reversed_on}")
        self._reversed(audit=audit, book_code=self.book_code, year=self.year, attempt=self.attempt,
                       reversed_on=reversed_on, red_numbers=tuple(red_numbers))

    @event("Reversed")
    def _reversed(self, audit: Audit, book_code: str, year: int, attempt: int, reversed_on: date,
                  red_numbers: tuple[str, ...]) -> None:
        self.reversed_on = reversed_on
        self.red_numbers = tuple(red_numbers)


keep_old_topics(Distribution)
