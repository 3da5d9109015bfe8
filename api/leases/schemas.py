"""Wire types of shop-front leasing: requests and responses (amounts as strings, two decimals out)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, Strict, StringConstraints

from api.schemas import AmountIn, BookReportOut, Code, Day, Model, Money, Out, Row, StatementLine, StrictDate, Text
from domain.leases.collection import LATE_FEE_DAILY_RATE_DEFAULT
from domain.leases.lease import MAX_UNITS_PER_LEASE

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
Month = Annotated[str, Strict(), StringConstraints(pattern=MONTH_PATTERN)]
PercentIn = Annotated[str, Strict(), StringConstraints(pattern=r"^-?\d{1,3}(\.\d{1,4})?$")]
Frequency = Annotated[str, Strict(), StringConstraints(pattern=r"^(monthly|quarterly|yearly)$")]
Reference = Annotated[str, Strict(), StringConstraints(max_length=100)]
RentFreeMonths = Annotated[int, Strict(), Field(ge=0, le=240)]


# --- requests -------------------------------------------------------------------------
class ShopFrontIn(Model):
    unit_number: Code = Field(description="门面编号 Unit number")
    location: Text = Field(description="位置 Location")
    floor_area_m2: AmountIn = Field(description="面积（平方米）Floor area in m², two decimals at most")
    owner: Code = Field(description="所有权人 Owner (所有权), e.g. the county platform company")
    operator: Code = Field(description="经营权人 Operator (经营权); the collective is named by its book code")
    manager: Code = Field(description="管理权人 Manager (管理权), e.g. the community property company")
    collective_share_percent: PercentIn | None = Field(
        None, description="集体计提比例 Share of operating income credited to the collective, percent "
                          "(default 100 where the collective is the operator)")
    rights_effective_on: StrictDate = Field(description="权属生效日期 Date the rights holders hold from")


class RightsChangeIn(Model):
    effective_on: StrictDate = Field(description="变更生效日期 Effective date (after the latest change)")
    owner: Code
    operator: Code
    manager: Code
    collective_share_percent: PercentIn | None = None
    reason: Text = Field("三权变更", description="原因 Reason")


class TenantIn(Model):
    tenant_code: Code = Field(description="承租人编号 Tenant code")
    name: Text = Field(description="名称 Name of the person or business")
    kind: Annotated[str, Strict(), StringConstraints(pattern=r"^(person|business)$")] = Field(
        description="类型 person | business")
    contact: Text = Field(description="联系方式 Contact (phone or address)")


#: The fields of a request that are the lease's terms: the keyword arguments of
#: ``domain.leases.terms.LeaseTerms.agreed``, under the same names (one shape of rent throughout).
TERMS_FIELDS = frozenset({"start_on", "end_on", "billing_frequency", "monthly_rent", "rent_per_m2_month",
                          "rent_free_months", "escalation_percent", "deposit", "contract_reference"})


class AskedTerms(Model):
    """Terms as asked for; the use case checks them all (``LeaseTerms.agreed``)."""

    def terms(self) -> dict[str, Any]:
        """The asked terms as ``LeaseTerms.agreed`` takes them."""
        return self.model_dump(include=TERMS_FIELDS)


class TermsIn(AskedTerms):
    start_on: StrictDate = Field(description="起租日 First day of the term")
    end_on: StrictDate = Field(description="到期日 Last day of the term (≤ 20 years)")
    billing_frequency: Frequency = Field(description="收租周期 monthly | quarterly | yearly (in advance)")
    monthly_rent: AmountIn | None = Field(None, description="月租金 Rent per month (or give rent_per_m2_month)")
    rent_per_m2_month: AmountIn | None = Field(None, description="每平方米月租金 Rent per m² per month")
    rent_free_months: RentFreeMonths = Field(0, description="免租月数 Rent-free months")
    escalation_percent: PercentIn = Field("0", description="年递增率 Yearly escalation, percent")
    deposit: AmountIn = Field("0.00", description="押金 Deposit agreed")
    contract_reference: Reference | None = Field(
        None, description="书面合同编号 Written contract reference (required from 6 months)")


class LeaseIn(TermsIn):
    lease_code: Code = Field(description="合同编号 Lease code")
    tenant_code: Code = Field(description="承租人 Tenant code")
    unit_numbers: list[Code] = Field(min_length=1, max_length=MAX_UNITS_PER_LEASE,
                                     description="门面 Shop-fronts leased")
    billing_from: StrictDate | None = Field(
        None, description="开始计租日 First day billed here (default the start; later for leases taken over "
                          "from earlier records)")


class RenewalIn(AskedTerms):
    """A renewal starts the day after the old lease ends, so it names no start."""

    new_lease_code: Code = Field(description="续租合同编号 Code of the renewed lease")
    end_on: StrictDate
    billing_frequency: Frequency
    monthly_rent: AmountIn | None = None
    rent_per_m2_month: AmountIn | None = None
    rent_free_months: RentFreeMonths = 0
    escalation_percent: PercentIn = "0"
    deposit: AmountIn = "0.00"
    contract_reference: Reference | None = None


class TerminationIn(Model):
    terminated_on: StrictDate = Field(description="解约日 Last day of the lease (accrual stops after it)")
    grounds: Annotated[str, Strict(), StringConstraints(pattern=r"^(agreement|non_payment)$")] = Field(
        "agreement", description="解约原因 agreement | non_payment (needs a demand, 民法典 Art. 722)")
    demand_on: StrictDate | None = Field(None, description="催告日 Date of the demand for payment")
    reason: Text = Field("提前解约", description="摘要 Reason")


class BillingIn(Model):
    month: Month = Field(description="计租月份 Bill every month not yet billed through this month (YYYY-MM)")


class ReceiptIn(Model):
    received_on: StrictDate = Field(description="收款日 Date received")
    amount: AmountIn = Field(description="金额 Amount received")
    reference: Reference = Field("", description="凭据 Bank slip or receipt reference")


class DepositReceiptIn(Model):
    received_on: StrictDate
    amount: AmountIn


class DepositRefundIn(Model):
    refunded_on: StrictDate


class DepositApplicationIn(Model):
    applied_on: StrictDate
    amount: AmountIn | None = Field(None, description="金额 Amount applied (default: as much as arrears and the "
                                                      "deposit allow)")


class LateFeeRunIn(Model):
    as_of: StrictDate = Field(description="计算截至日 Charge late fees for the days through this date")
    daily_rate: Annotated[str, Strict(), StringConstraints(pattern=r"^0(\.\d{1,8})?$")] = Field(
        str(LATE_FEE_DAILY_RATE_DEFAULT), description="日费率 Daily rate (default 0.0005 = 0.05 % a day)")


# --- responses --------------------------------------------------------------------------
class RightsOut(Row):
    effective_on: Day
    owner: str
    operator: str
    manager: str
    collective_share_percent: str | None


class ShopFrontOut(Out):
    book_code: str
    unit_number: str
    location: str
    floor_area_m2: Money
    rights: list[RightsOut]


class RegisterItem(Row):
    unit_number: str
    location: str
    floor_area_m2: Money
    rights: RightsOut


class RegisterOut(Out):
    book_code: str
    as_of: Day
    shop_fronts: list[RegisterItem]
    next_cursor: str | None


class ShopFrontLeaseOut(Row):
    lease_code: str
    start_on: Day
    end_on: Day


class ShopFrontRecordOut(Out):
    book_code: str
    unit_number: str
    location: str
    floor_area_m2: Money
    as_of: Day
    rights: RightsOut
    rights_history: list[RightsOut]
    leases: list[ShopFrontLeaseOut]


class TenantOut(Out):
    book_code: str
    tenant_code: str
    name: str
    kind: str
    contact: str
    credit: Money


class TenantItem(Row):
    tenant_code: str
    name: str
    kind: str
    contact: str


class TenantsOut(Out):
    book_code: str
    tenants: list[TenantItem]
    next_cursor: str | None


class SettledOut(Row):
    invoice_number: str
    amount: Money


class ReceiptOut(Out):
    receipt_number: str
    tenant_code: str
    received_on: Day
    amount: Money
    amount_uppercase: str
    voucher_number: str
    settled: list[SettledOut]
    to_credit: Money
    tenant_credit: Money


class StatementLineOut(StatementLine):
    pass


class AgedInvoiceOut(Row):
    invoice_number: str
    due_on: Day
    amount_open: Money
    days_overdue: int
    bucket: str


class StatementOut(BookReportOut):
    tenant_code: str
    name: str
    kind: str
    contact: str
    as_of: Day
    lines: list[StatementLineOut]
    total_charges: Money
    total_credits: Money
    balance: Money
    balance_uppercase: str
    balance_kind: str = Field(description="owes | credit | settled")
    open_invoices: list[AgedInvoiceOut]


class LeaseHeadOut(Out):
    """What every answer about one lease starts with."""

    book_code: str
    lease_code: str
    tenant_code: str
    unit_numbers: list[str]
    start_on: Day
    end_on: Day
    billing_from: Day


class LeaseOut(LeaseHeadOut):
    billing_frequency: str
    monthly_rent: Money
    rent_per_m2_month: Money | None
    rent_free_months: int
    escalation_percent: str
    deposit: Money
    contract_reference: str | None
    terminated_on: Day | None
    renews: str | None
    renewed_by: str | None
    renewal_declined: bool
    deposit_received: Money
    deposit_refunded: Money
    deposit_applied: Money
    deposit_held: Money
    months_billed: list[str]


class DepositMovementOut(Row):
    date: Day
    kind: str
    amount: Money
    voucher_number: str


class LeaseMonthOut(Row):
    month: str
    invoiced: Money
    recognised: Money
    to_collective: Money


class LeaseRecordOut(LeaseHeadOut):
    terminated_on: Day | None
    termination_grounds: str | None
    status: str = Field(description="not_started | active | terminated | expired")
    as_of: Day
    billing_frequency: str
    monthly_rent_first_year: Money
    monthly_rent_in_force: Money
    rent_free_months: int
    escalation_percent: str
    deposit: Money
    contract_reference: str | None
    renews: str | None
    renewed_by: str | None
    renewal_declined: bool
    deposit_movements: list[DepositMovementOut]
    months: list[LeaseMonthOut]


class IncomeShareOut(Row):
    party: str = Field(description="权利人 'collective' or the party owed")
    amount: Money


class InvoiceOut(Row):
    invoice_number: str
    due_on: Day
    period_start: Day | None
    period_end: Day | None
    amount: Money


class MonthBillingOut(Row):
    month: str
    voucher_number: str | None
    recognised: Money
    income_shares: list[IncomeShareOut]
    invoice: InvoiceOut | None


class LeaseBillingOut(Out):
    lease_code: str
    month: str
    billed: list[MonthBillingOut]


class BillingRunOut(Out):
    month: str
    leases_billed: int
    months_billed: int
    invoiced: Money
    recognised: Money
    skipped: list[str]
    leases: dict[str, list[MonthBillingOut]]


class LateFeeChargedOut(Row):
    tenant_code: str
    invoice_number: str
    amount: Money
    voucher_number: str


class LateFeeRunOut(Out):
    as_of: Day
    daily_rate: str
    total: Money
    charged: list[LateFeeChargedOut]


class RentRollItem(Row):
    unit_number: str
    location: str
    floor_area_m2: Money
    operator: str
    vacant: bool
    lease_code: str | None
    tenant_code: str | None
    tenant_name: str | None
    start_on: Day | None
    end_on: Day | None
    billing_frequency: str | None
    monthly_rent: Money | None


class RentRollOut(BookReportOut):
    community_id: str
    as_of: Day
    shop_fronts: list[RentRollItem]
    leased: int
    vacant: int
    monthly_rent_total: Money
    monthly_rent_total_uppercase: str
    next_cursor: str | None


class TenantAgingOut(Row):
    tenant_code: str
    name: str
    buckets: dict[str, Money]
    total: Money


class ArrearsAgingOut(BookReportOut):
    community_id: str
    as_of: Day
    buckets: list[str]
    tenants: list[TenantAgingOut]
    totals: dict[str, Money]
    total: Money
    total_uppercase: str


class MonthFiguresOut(Row):
    month: str
    shop_fronts: int
    occupied: int
    vacant: int
    occupancy_percent: str
    floor_area_m2: Money
    occupied_area_m2: Money
    rent_invoiced: Money
    rent_recognised: Money
    rent_to_collective: Money


class OccupancyOut(BookReportOut):
    community_id: str
    as_of: Day
    months: list[MonthFiguresOut]
