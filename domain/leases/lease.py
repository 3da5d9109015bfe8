"""A lease of shop-fronts to a tenant: its terms, the months billed, termination, renewal, deposit.

Source: DOMAIN.md §4 (Lease, Accrual, Terms, Termination); 民法典 Arts. 703–734. The lease
owns its billing: ``plan_month`` and ``termination_credits`` compute, from the lease's own
state (terms, first billed day, floor areas kept at signing, months billed), what a month
invoices and earns and what a termination takes back (``accrual``). The use case posts
the voucher, then the command records it with the voucher's number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.leases import accrual
from domain.leases.accrual import BilledDays, MonthBilling, MonthCredit
from domain.leases.errors import (
    BillingAfterTermination,
    BillingBeforeStart,
    DepositAlreadyRefunded,
    DepositExceedsAgreed,
    DepositExceedsArrears,
    DepositNotHeld,
    DepositSettlesAtTermination,
    InvalidBillingStart,
    LeaseAlreadyTerminated,
    RenewalNotAllowed,
    TerminationOutsideTerm,
    TooManyUnits,
)
from domain.leases.rights import UnitRights
from domain.leases.terms import LeaseTerms, monthly_rent_in_force
from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE
from ledger.calendar import (
    ONE_DAY,
    month_first_day,
    month_last_day,
    month_of,
    months_between,
)
from ledger.money import ZERO
from ledger.values import value_type

if TYPE_CHECKING:
    from domain.leases.shop_front import ShopFront

#: Bound on one lease (TIGER_STYLE: a limit on everything).
MAX_UNITS_PER_LEASE = 20


def lease_id(book_code: str, lease_code: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"leases/{book_code}/lease/{lease_code}")


@value_type("anju.leases.TerminationGrounds")
class TerminationGrounds(Enum):
    AGREEMENT = "agreement"  # 协商解除
    NON_PAYMENT = "non_payment"  # 承租人无正当理由未支付租金，经催告仍未支付 (Art. 722)


def distinct_units(unit_numbers: Sequence[str]) -> list[str]:
    """A lease covers from one to ``MAX_UNITS_PER_LEASE`` shop-fronts, each once (in the order given)."""
    units = list(dict.fromkeys(unit_numbers))
    if not units:
        raise TooManyUnits("a lease covers at least one shop-front")
    if len(units) > MAX_UNITS_PER_LEASE:
        raise TooManyUnits(f"a lease covers at most {MAX_UNITS_PER_LEASE} shop-fronts")
    return units


def check_billing_start(terms: LeaseTerms, billing_from: date) -> None:
    """Billing starts inside the term: at the start, or later for a lease taken over from paper records."""
    if not terms.start_on <= billing_from <= terms.end_on:
        raise InvalidBillingStart(f"billing must start within the term {terms.start_on} – {terms.end_on}, "
                                  f"not on {billing_from}")


def lease_status_on(terms: LeaseTerms, terminated_on: date | None, as_of: date) -> str:
    """A lease's status on a date: not_started, active, terminated or expired. DOMAIN.md §4 Termination.

    Before the first day it has not started; after an early termination date it is
    terminated; after the last day of the term it has expired (expiry follows from the
    end date, no event records it); otherwise it is active (the termination day included).
    """
    if as_of < terms.start_on:
        return "not_started"
    if terminated_on is not None and as_of > terminated_on:
        return "terminated"
    if as_of > terms.end_on:
        return "expired"
    return "active"


def rent_in_force_on(terms: LeaseTerms, as_of: date) -> Decimal:
    """The monthly rent on a date, the date held within the term (first-year rent before, last after)."""
    return monthly_rent_in_force(terms, min(max(as_of, terms.start_on), terms.end_on))


class Lease(Aggregate):
    """A lease of one or more shop-fronts to a tenant (DOMAIN.md §4 Lease; 民法典 Arts. 703–734)."""

    create_id = staticmethod(lease_id)

    @classmethod
    def sign(cls, audit: Audit, book_code: str, lease_code: str, tenant_code: str, unit_numbers: tuple[str, ...],
             floor_areas_m2: tuple[Decimal, ...], terms: LeaseTerms, billing_from: date | None,
             renews: str | None = None) -> Lease:
        first_billed_on = billing_from or terms.start_on
        check_billing_start(terms, first_billed_on)
        assert len(floor_areas_m2) == len(unit_numbers), "one floor area per shop-front"
        return cls(audit=audit, book_code=book_code, lease_code=lease_code, tenant_code=tenant_code,
                   unit_numbers=unit_numbers, terms=terms, billing_from=first_billed_on, renews=renews,
                   floor_areas_m2=floor_areas_m2)

    @event("Signed")
    def __init__(self, audit: Audit, book_code: str, lease_code: str, tenant_code: str,
                 unit_numbers: tuple[str, ...], terms: LeaseTerms, billing_from: date, renews: str | None,
                 floor_areas_m2: tuple[Decimal, ...] = ()) -> None:
        # ``floor_areas_m2`` (one per shop-front, taken at signing) is absent from leases signed
        # before it was recorded: their billing reads the areas from the shop-fronts instead.
        self.book_code = book_code
        self.lease_code = lease_code
        self.tenant_code = tenant_code
        self.unit_numbers = unit_numbers
        self.floor_areas_m2 = floor_areas_m2
        self.terms = terms
        self.billing_from = billing_from
        self.renews = renews
        self.renewed_by: str | None = None
        self.renewal_declined = False
        self.terminated_on: date | None = None
        self.billed: dict[str, MonthBilling] = {}
        self.deposit_received = ZERO
        self.deposit_refunded = ZERO
        self.deposit_applied = ZERO

    # --- queries --------------------------------------------------------------------
    @property
    def last_day(self) -> date:
        """The last day rent accrues: the termination date, else the end of the term."""
        return self.terminated_on or self.terms.end_on

    def in_force_on(self, day: date) -> bool:
        return self.terms.start_on <= day <= self.last_day

    @property
    def deposit_held(self) -> Decimal:
        return self.deposit_received - self.deposit_refunded - self.deposit_applied

    @property
    def deferred_balance(self) -> Decimal:
        """Invoiced but not yet earned (211 deferred): advance billing recognised over its months."""
        invoiced = sum((b.invoiced for b in self.billed.values()), ZERO)
        return invoiced - sum((b.recognised for b in self.billed.values()), ZERO)

    @property
    def billed_days(self) -> BilledDays:
        return BilledDays(self.lease_code, self.terms, self.billing_from, self.terminated_on)

    def unbilled_months_through(self, month: str) -> list[str]:
        """Months from the first billed day through ``month`` (clipped to the last day) not yet billed."""
        last = min(month, month_of(self.last_day))
        return [m for m in months_between(month_of(self.billing_from), last) if m not in self.billed]

    def units_on(self, day: date, shop_fronts: Mapping[str, ShopFront]) -> list[UnitRights]:
        """The lease's shop-fronts with the area kept at signing and the rights in force on ``day``."""
        areas = self.floor_areas_m2 or tuple(shop_fronts[unit].floor_area_m2 for unit in self.unit_numbers)
        return [UnitRights(unit, area, shop_fronts[unit].rights_on(day))
                for unit, area in zip(self.unit_numbers, areas, strict=True)]

    def plan_month(self, month: str, shop_fronts: Mapping[str, ShopFront]) -> MonthBilling:
        """What billing ``month`` invoices (in advance) and earns, split by area and rights. DOMAIN.md §4 Accrual.

        The rights are those in force on the month's first billed day; the collective is the
        lease's book. The voucher number is still empty.
        """
        units = self.units_on(max(self.billing_from, month_first_day(month)), shop_fronts)
        return accrual.plan_month(self.billed_days, month, units, self.book_code)

    def termination_credits(self, terminated_on: date) -> tuple[MonthCredit, ...]:
        """What terminating on ``terminated_on`` takes back from the months billed. DOMAIN.md §4 Termination."""
        return accrual.termination_credits(self.billed_days, self.billed, terminated_on)

    # --- rules ----------------------------------------------------------------------
    def check_month_billable(self, month: str) -> None:
        """Months after termination (or expiry) and before the first billed day are not billed."""
        if month_first_day(month) > self.last_day:
            if self.terminated_on is not None:
                raise BillingAfterTermination(
                    f"lease {self.lease_code} was terminated on {self.terminated_on}; {month} cannot be billed")
            raise BillingAfterTermination(f"lease {self.lease_code} expired on {self.terms.end_on}; "
                                          f"{month} cannot be billed")
        if month_last_day(month) < self.billing_from:
            raise BillingBeforeStart(f"lease {self.lease_code} is billed from {self.billing_from}, not in {month}")

    def check_not_terminated(self) -> None:
        if self.terminated_on is not None:
            raise LeaseAlreadyTerminated(f"lease {self.lease_code} was terminated on {self.terminated_on}")

    def check_termination_in_term(self, terminated_on: date) -> None:
        """Early termination falls inside the term and not before the first billed day."""
        if not max(self.terms.start_on, self.billing_from - ONE_DAY) <= terminated_on < self.terms.end_on:
            raise TerminationOutsideTerm(
                f"an early termination of {self.lease_code} falls from {self.billing_from - ONE_DAY} "
                f"to the day before its end {self.terms.end_on}, not on {terminated_on}")

    def check_deposit_receivable(self, amount: Decimal) -> None:
        if self.deposit_received + amount > self.terms.deposit:
            raise DepositExceedsAgreed(f"lease {self.lease_code} agreed a deposit of {self.terms.deposit}; "
                                       f"{self.deposit_received} was received already")

    def check_deposit_settles_at_termination(self, on: date) -> None:
        """The deposit is refunded or applied to arrears on termination or expiry. DOMAIN.md §4 Termination."""
        if on <= self.last_day and self.terminated_on is None:
            raise DepositSettlesAtTermination(
                f"lease {self.lease_code} runs to {self.last_day}; its deposit settles on termination or expiry")

    def check_deposit_held(self) -> None:
        if self.deposit_held > ZERO:
            return
        if self.deposit_refunded > ZERO:
            raise DepositAlreadyRefunded(f"the deposit of lease {self.lease_code} was already refunded")
        raise DepositNotHeld(f"no deposit of lease {self.lease_code} is held")

    def deposit_to_apply(self, arrears: Decimal, amount: Decimal | None) -> Decimal:
        """The deposit applied to arrears: as asked, or as much as both allow; never more than either.

        DOMAIN.md §4 Termination ("the deposit is refunded or applied to arrears").
        """
        applied = min(self.deposit_held, arrears) if amount is None else amount
        if applied > self.deposit_held:
            raise DepositExceedsAgreed(f"only {self.deposit_held} of the deposit is held")
        if applied <= ZERO or applied > arrears:
            raise DepositExceedsArrears(f"{self.tenant_code} owes {arrears}; cannot apply {applied}")
        return applied

    def check_renewable(self) -> None:
        if self.terminated_on is not None:
            raise RenewalNotAllowed(f"lease {self.lease_code} was terminated early; there is nothing to renew")
        if self.renewed_by is not None:
            raise RenewalNotAllowed(f"lease {self.lease_code} was already renewed by {self.renewed_by}")

    def check_renewal_starts_after_end(self, start_on: date) -> None:
        """A renewal starts the day after the old lease ends (民法典 Art. 734, on equal terms)."""
        if start_on != self.terms.end_on + ONE_DAY:
            raise RenewalNotAllowed(f"a renewal of {self.lease_code} starts on {self.terms.end_on + ONE_DAY}, "
                                    f"the day after it ends, not on {start_on}")

    # --- commands -------------------------------------------------------------------
    def bill_month(self, audit: Audit, billing: MonthBilling) -> None:
        self._month_billed(audit=audit, billing=billing)

    @event("MonthBilled")
    def _month_billed(self, audit: Audit, billing: MonthBilling) -> None:
        self.billed[billing.month] = billing

    def terminate(self, audit: Audit, terminated_on: date, grounds: TerminationGrounds, demand_on: date | None,
                  credits: tuple[MonthCredit, ...], voucher_number: str) -> None:
        self._terminated(audit=audit, terminated_on=terminated_on, grounds=grounds, demand_on=demand_on,
                         credits=credits, voucher_number=voucher_number)

    @event("Terminated")
    def _terminated(self, audit: Audit, terminated_on: date, grounds: TerminationGrounds, demand_on: date | None,
                    credits: tuple[MonthCredit, ...], voucher_number: str) -> None:
        self.terminated_on = terminated_on
        for credit in credits:
            self.billed[credit.month] = accrual.credited(self.billed[credit.month], credit)

    def record_renewal(self, audit: Audit, renewed_by: str) -> None:
        self.check_renewable()
        self._renewed(audit=audit, renewed_by=renewed_by)

    @event("Renewed")
    def _renewed(self, audit: Audit, renewed_by: str) -> None:
        self.renewed_by = renewed_by

    def decline_renewal(self, audit: Audit) -> None:
        self.check_renewable()
        self._renewal_declined(audit=audit)

    @event("RenewalDeclined")
    def _renewal_declined(self, audit: Audit) -> None:
        self.renewal_declined = True

    def receive_deposit(self, audit: Audit, received_on: date, amount: Decimal, voucher_number: str) -> None:
        self._deposit_received(audit=audit, received_on=received_on, amount=amount, voucher_number=voucher_number)

    @event("DepositReceived")
    def _deposit_received(self, audit: Audit, received_on: date, amount: Decimal, voucher_number: str) -> None:
        self.deposit_received += amount

    def refund_deposit(self, audit: Audit, refunded_on: date, amount: Decimal, voucher_number: str) -> None:
        self._deposit_refunded(audit=audit, refunded_on=refunded_on, amount=amount, voucher_number=voucher_number)

    @event("DepositRefunded")
    def _deposit_refunded(self, audit: Audit, refunded_on: date, amount: Decimal, voucher_number: str) -> None:
        self.deposit_refunded += amount

    def apply_deposit(self, audit: Audit, applied_on: date, amount: Decimal, voucher_number: str) -> None:
        self._deposit_applied(audit=audit, applied_on=applied_on, amount=amount, voucher_number=voucher_number)

    @event("DepositApplied")
    def _deposit_applied(self, audit: Audit, applied_on: date, amount: Decimal, voucher_number: str) -> None:
        self.deposit_applied += amount
