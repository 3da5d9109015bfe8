"""The vouchers of shop-front leasing on the collective's book, as plain drafts.

Source: DOMAIN.md §4 (Accrual, Receipts, Late fee, Termination) and §2 (chart). Accounts
are named by their role in the 2023 chart (``ledger/charts/collective_2023.json``), never by
code. Sub-ledgers: ``tenant:<code>`` on the receivable (112) and on the payable (211, the
tenant's advance credit); ``deposit:<lease>`` and ``deferred:<lease>`` on 211;
``holder:<party>`` on 211 for income owed to another rights holder.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.leases.accrual import MonthBilling, MonthCredit
from domain.leases.rights import COLLECTIVE, IncomeShare
from ledger.chart import account_code
from ledger.journal import (
    JournalLine,
    VoucherDraft,
    draft_of,
    signed_credit,
    signed_line,
)
from ledger.money import ZERO

CHART = "collective_2023"
BANK = account_code(CHART, "bank")  # 银行存款
RECEIVABLE = account_code(CHART, "receivable")  # 应收款
PAYABLE = account_code(CHART, "payable")  # 应付款
RENT_INCOME = account_code(CHART, "rent_income")  # 经营收入—租赁收入
OTHER_INCOME = account_code(CHART, "other_income")  # 其他收入
SOURCE = "leases"


def tenant_key(tenant_code: str) -> str:
    return f"tenant:{tenant_code}"


def deposit_key(lease_code: str) -> str:
    return f"deposit:{lease_code}"


def deferred_key(lease_code: str) -> str:
    return f"deferred:{lease_code}"


def holder_key(party: str) -> str:
    return f"holder:{party}"


def _income_lines(shares: tuple[IncomeShare, ...], sign: int) -> list[JournalLine | None]:
    """Rent income: the collective's share to rent income (501.01), other holders' shares owed on 211."""
    lines = []
    for share in shares:
        if share.party == COLLECTIVE:
            lines.append(signed_credit(RENT_INCOME, sign * share.amount, memo="租赁收入 rent income"))
        else:
            lines.append(signed_credit(PAYABLE, sign * share.amount, holder_key(share.party),
                                       memo="应付权利人 owed to holder"))
    return lines


def _advance_applied(tenant: str, amount: Decimal) -> list[JournalLine | None]:
    """The tenant's advance credit used against a new invoice: Dr 211 tenant / Cr 112 tenant."""
    return [signed_line(PAYABLE, amount, tenant, "预收款冲抵 advance applied"),
            signed_credit(RECEIVABLE, amount, tenant, "预收款冲抵 advance applied")]


def billing_draft(lease_code: str, tenant_code: str, billing: MonthBilling, credit_applied: Decimal,
                  label: str) -> VoucherDraft | None:
    """Dr 112 tenant (invoice) / Cr 501.01 (earned) ± 211 deferred; advance credit Dr 211 / Cr 112.

    DOMAIN.md §4 Accrual: rent earned per period; rent billed in advance for later
    months is held on 211 ``deferred:<lease>`` and recognised month by month.
    """
    tenant = tenant_key(tenant_code)
    lines = [
        signed_line(RECEIVABLE, billing.invoiced, tenant, "租金 rent invoice"),
        *_income_lines(billing.income_shares, 1),
        signed_credit(PAYABLE, billing.invoiced - billing.recognised, deferred_key(lease_code),
                      "预收租金 rent billed in advance"),
        *_advance_applied(tenant, credit_applied),
    ]
    return draft_of(billing.voucher_date, f"{billing.month} 门面租金 {label}", lines, f"{SOURCE}:billing:{lease_code}")


def receipt_draft(tenant_code: str, received_on: date, applied: Decimal, unapplied: Decimal,
                  label: str) -> VoucherDraft | None:
    """Dr 102 / Cr 112 tenant (settled invoices), Cr 211 tenant (overpayment held as credit). DOMAIN.md §4 Receipts."""
    tenant = tenant_key(tenant_code)
    lines = [
        signed_line(BANK, applied + unapplied),
        signed_credit(RECEIVABLE, applied, tenant, "收租金 rent received"),
        signed_credit(PAYABLE, unapplied, tenant, "预收款 advance received"),
    ]
    return draft_of(received_on, f"收门面租金 {label}", lines, f"{SOURCE}:receipt:{tenant_code}")


def late_fee_draft(tenant_code: str, as_of: date, fee: Decimal, credit_applied: Decimal,
                   label: str) -> VoucherDraft | None:
    """Dr 112 tenant / Cr 504 其他收入 (late fee); advance credit Dr 211 / Cr 112. DOMAIN.md §4 Late fee."""
    tenant = tenant_key(tenant_code)
    lines = [
        signed_line(RECEIVABLE, fee, tenant, "滞纳金 late fee"),
        signed_credit(OTHER_INCOME, fee, memo="滞纳金 late fee"),
        *_advance_applied(tenant, credit_applied),
    ]
    return draft_of(as_of, f"租金滞纳金（截至{as_of.isoformat()}） {label}", lines,
                    f"{SOURCE}:late-fee:{tenant_code}")


def deposit_received_draft(lease_code: str, received_on: date, amount: Decimal) -> VoucherDraft | None:
    """Dr 102 / Cr 211 押金 deposit:<lease>. DOMAIN.md §4 Lease (deposit)."""
    lines = [signed_line(BANK, amount), signed_credit(PAYABLE, amount, deposit_key(lease_code), "押金 deposit")]
    return draft_of(received_on, f"收门面租赁押金 {lease_code}", lines, f"{SOURCE}:deposit:{lease_code}")


def deposit_refund_draft(lease_code: str, refunded_on: date, amount: Decimal) -> VoucherDraft | None:
    """Dr 211 押金 deposit:<lease> / Cr 102. DOMAIN.md §4 Termination."""
    lines = [signed_line(PAYABLE, amount, deposit_key(lease_code), "退押金 deposit refunded"),
             signed_credit(BANK, amount)]
    return draft_of(refunded_on, f"退还门面租赁押金 {lease_code}", lines, f"{SOURCE}:deposit:{lease_code}")


def deposit_applied_draft(lease_code: str, tenant_code: str, applied_on: date, amount: Decimal) -> VoucherDraft | None:
    """Dr 211 押金 / Cr 112 tenant: the deposit applied to arrears. DOMAIN.md §4 Termination."""
    lines = [
        signed_line(PAYABLE, amount, deposit_key(lease_code), "押金抵欠租 deposit applied"),
        signed_credit(RECEIVABLE, amount, tenant_key(tenant_code), "押金抵欠租 deposit applied"),
    ]
    return draft_of(applied_on, f"押金抵扣欠租 {lease_code}", lines, f"{SOURCE}:deposit:{lease_code}")


def termination_draft(lease_code: str, tenant_code: str, terminated_on: date, credits: tuple[MonthCredit, ...],
                      against_open: Decimal, to_credit: Decimal) -> VoucherDraft | None:
    """Take back rent billed or earned after an early termination. DOMAIN.md §4 Termination.

    Cr 112 tenant (open invoices reduced) and Cr 211 tenant (paid rent becomes credit);
    Dr 501.01 / 211 holder (income earned after the date reversed); Dr 211 deferred for
    the advance billing that will now never be earned.
    """
    invoice_reduction = sum((c.invoice_reduction for c in credits), ZERO)
    recognised_reduction = sum((c.recognised_reduction for c in credits), ZERO)
    assert against_open + to_credit == invoice_reduction, "the invoice reduction is credited in full"
    shares: list[IncomeShare] = [share for c in credits for share in c.income_shares]
    tenant = tenant_key(tenant_code)
    lines = [
        signed_credit(RECEIVABLE, against_open, tenant, "提前解约冲减租金 rent credited on termination"),
        signed_credit(PAYABLE, to_credit, tenant, "提前解约转预收 paid rent to credit"),
        *_income_lines(tuple(shares), -1),
        signed_line(PAYABLE, invoice_reduction - recognised_reduction, deferred_key(lease_code), "冲减预收租金"),
    ]
    return draft_of(terminated_on, f"门面租赁提前解约 {lease_code}", lines, f"{SOURCE}:termination:{lease_code}")
