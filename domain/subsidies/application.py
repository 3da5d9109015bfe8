"""Use cases of property-fee subsidies: get the aggregates, run one command, post the voucher.

Each runs as one command of the group-commit writer: vouchers on the collective's book
and the capability's own events commit together or not at all. Money-moving use cases
post the voucher before recording their events, so a voucher that cannot be posted
(closed period, book not started) leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from domain.collective.identity import ProtectedIdentity, protect_identity_number
from domain.subsidies.billing import correction_adjustment, fiscal_key, household_key
from domain.subsidies.billing_run import get_run
from domain.subsidies.claim import SubsidyClaim, claim_id, claim_lines, claim_months
from domain.subsidies.errors import (
    BillingStartInvalid,
    ClaimAlreadyFiled,
    ClaimForUnbilledMonth,
    HouseholdAlreadyRegistered,
    InvalidHousehold,
    InvalidReceipt,
    ReceiptExceedsAmountOwed,
)
from domain.subsidies.household import (
    CountsFrom,
    Household,
    check_moved_in_before_moved_out,
    check_register_day,
    floor_area,
    household_stream_id,
)
from domain.subsidies.lookups import (  # noqa: F401 - re-exported
    check_month,
    get_claim,
    get_collective_book,
    get_household,
    get_register,
    known_policies,
    known_standards,
    post,
)
from domain.subsidies.policy import FeeStandard, FeeStandards, PolicyVersion, SubsidyPolicy, fee_standards_id, subsidy_policy_id
from domain.subsidies.receipt import HouseholdReceipt, settle_oldest_first
from domain.subsidies.register import Building, ClaimSettlement, HouseholdRegister, SubsidyReceipt
from domain.subsidies.reminder import check_reminder_not_in_future
from domain.subsidies.schedule import AreaFrom, HouseholdTerms, MoveInFrom
from ledger.audit import Audit
from ledger.book import Book, check_code
from ledger.calendar import month_of
from ledger.journal import VoucherDraft, credit, debit
from ledger.money import ZERO, parse_positive_amount
from ledger.writer import UnitOfWork

MAX_HOUSEHOLDS_PER_REGISTRATION = 5_000


# --- the register -----------------------------------------------------------------------------
def register_building(uow: UnitOfWork, audit: Audit, book_code: str, *, building_code: str, name: str, storeys: int,
                      has_lift: bool) -> Building:
    book = get_collective_book(uow, book_code)
    check_code(building_code, "building code")
    building = Building.registered(building_code, name, storeys, has_lift)
    get_register(uow, audit, book).register_building(audit, building)
    return building


@dataclass(frozen=True)
class HouseholdInput:
    """A household as the register receives it (parsed and checked by ``register_households``)."""

    household_id: str
    building_code: str
    unit_number: str
    floor_area_m2: object
    moved_in_on: date
    persons: int = 1
    labourers: int = 0
    head_identity_number: str | None = None
    billing_from_month: str | None = None


def register_households(uow: UnitOfWork, audit: Audit, identity_key: bytes, book_code: str,
                        households: Sequence[HouseholdInput]) -> list[Household]:
    """Enrol households in the register: one stream each, one roster entry for the batch."""
    book = get_collective_book(uow, book_code)
    if not households or len(households) > MAX_HOUSEHOLDS_PER_REGISTRATION:
        raise InvalidHousehold(f"register 1 to {MAX_HOUSEHOLDS_PER_REGISTRATION} households at a time")
    register = get_register(uow, audit, book)
    added, seen = [], set()
    for item in households:
        household = _new_household(uow, audit, identity_key, book, register, item)
        if item.household_id in seen:
            raise HouseholdAlreadyRegistered(f"household {item.household_id} is listed twice")
        seen.add(item.household_id)
        added.append(uow.add(household))
    register.enrol(audit, tuple(h.household_id for h in added), min(h.billing_from_month for h in added))
    return added


def register_household(uow: UnitOfWork, audit: Audit, identity_key: bytes, book_code: str,
                       item: HouseholdInput) -> Household:
    return register_households(uow, audit, identity_key, book_code, [item])[0]


def _new_household(uow: UnitOfWork, audit: Audit, identity_key: bytes, book: Book, register: HouseholdRegister,
                   item: HouseholdInput) -> Household:
    check_code(item.household_id, "household id")
    check_code(item.unit_number, "unit number")
    building = register.building(item.building_code)
    area = floor_area(item.floor_area_m2)
    moved_in_on = check_register_day(item.moved_in_on, "move-in date")
    counts = CountsFrom.counted(moved_in_on, item.persons, item.labourers)
    billing_from = item.billing_from_month or max(month_of(moved_in_on), book.first_month)
    check_month(billing_from)
    if billing_from < book.first_month:
        raise BillingStartInvalid(f"billing from {billing_from} is before the book starts ({book.first_month})")
    head: ProtectedIdentity | None = None
    if item.head_identity_number is not None:
        head = protect_identity_number(identity_key, item.head_identity_number)
    if uow.get_optional(Household, household_stream_id(book.book_code, item.household_id)) is not None:
        raise HouseholdAlreadyRegistered(f"household {item.household_id} is already registered in {book.book_code}")
    return Household(audit=audit, book_code=book.book_code, household_id=item.household_id,
                     building_code=building.building_code, building_type=building.building_type,
                     flat_number=item.unit_number, floor_area_m2=area, moved_in_on=moved_in_on, head=head,
                     counts=counts, billing_from_month=billing_from)


def correct_floor_area(uow: UnitOfWork, audit: Audit, book_code: str, household_id: str, *, effective_on: date,
                       floor_area_m2: object) -> Household:
    """A dated floor-area correction; billed months from its date get one adjustment line (§5 Exact readings)."""
    household = get_household(uow, book_code, household_id)
    fact = AreaFrom(check_register_day(effective_on, "correction date"), floor_area(floor_area_m2))
    household.check_correction_in_order(household.areas, fact.effective_on)
    corrected = _terms_with(household, areas=(*household.areas, fact))
    adjustment = correction_adjustment(household, corrected, fact.effective_on, "floor_area",
                                       known_standards(uow, book_code), known_policies(uow, book_code))
    household.correct_floor_area(audit, fact, adjustment)
    return household


def correct_move_in(uow: UnitOfWork, audit: Audit, book_code: str, household_id: str, *, moved_in_on: date,
                    effective_on: date | None = None) -> Household:
    """A corrected move-in date, by default effective from the earlier of the old and new dates."""
    household = get_household(uow, book_code, household_id)
    check_register_day(moved_in_on, "move-in date")
    fact = MoveInFrom(check_register_day(effective_on or min(moved_in_on, household.moved_in_on), "correction date"),
                      moved_in_on)
    household.check_correction_in_order(household.move_ins, fact.effective_on)
    check_moved_in_before_moved_out(moved_in_on, household.moved_out_on)
    corrected = _terms_with(household, move_ins=(*household.move_ins, fact))
    adjustment = correction_adjustment(household, corrected, fact.effective_on, "move_in",
                                       known_standards(uow, book_code), known_policies(uow, book_code))
    household.correct_move_in(audit, fact, adjustment)
    return household


def record_move_out(uow: UnitOfWork, audit: Audit, book_code: str, household_id: str, *,
                    moved_out_on: date) -> Household:
    """The move-out day is the last occupied day; months billed beyond it get one adjustment line."""
    household = get_household(uow, book_code, household_id)
    check_register_day(moved_out_on, "move-out date")
    household.check_not_moved_out()
    check_moved_in_before_moved_out(household.moved_in_on, moved_out_on)
    corrected = _terms_with(household, moved_out_on=moved_out_on)
    adjustment = correction_adjustment(household, corrected, moved_out_on, "move_out",
                                       known_standards(uow, book_code), known_policies(uow, book_code))
    household.move_out(audit, moved_out_on, adjustment)
    return household


def _terms_with(household: Household, **changes: object) -> HouseholdTerms:
    return replace(household.terms(), **changes)


def change_counts(uow: UnitOfWork, audit: Audit, book_code: str, household_id: str, *, effective_on: date,
                  persons: int, labourers: int) -> Household:
    household = get_household(uow, book_code, household_id)
    household.change_counts(audit, CountsFrom.counted(effective_on, persons, labourers))
    return household


# --- reminders of arrears ------------------------------------------------------------------------
def remind_household(uow: UnitOfWork, audit: Audit, book_code: str, household_id: str, *, reminded_on: date,
                     method: str, note: str, today: date) -> Household:
    """A reminder (催缴) given to a household in arrears: one event, no voucher (DOMAIN.md §5 Money).

    There is no use case that cuts off or restricts water, power, heat or gas, and none may be
    added: arrears may not be enforced that way (民法典 Art. 944); the system only records and reminds.
    """
    household = get_household(uow, book_code, household_id)
    household.remind(audit, check_reminder_not_in_future(reminded_on, today), method, note)
    return household


# --- standards and policy -----------------------------------------------------------------------
def set_fee_standard(uow: UnitOfWork, audit: Audit, book_code: str, *, building_type: str, effective_on: date,
                     rate_per_m2_month: object) -> FeeStandard:
    get_collective_book(uow, book_code)
    standard = FeeStandard.configured(building_type, effective_on, rate_per_m2_month)
    standards = uow.get_or_add(FeeStandards, fee_standards_id(book_code),
                             lambda: FeeStandards(audit=audit, book_code=book_code))
    standards.set_standard(audit, standard)
    return standard


def adopt_policy_version(uow: UnitOfWork, audit: Audit, book_code: str, *, effective_on: date,
                         **terms: object) -> PolicyVersion:
    """A new policy version; where its date falls in billed months it reaches only unbilled ones (§5)."""
    get_collective_book(uow, book_code)
    policy = uow.get_or_add(SubsidyPolicy, subsidy_policy_id(book_code),
                          lambda: SubsidyPolicy(audit=audit, book_code=book_code))
    version = PolicyVersion.adopted(policy.next_version, effective_on, **terms)  # type: ignore[arg-type]
    policy.adopt(audit, version)
    return version


# --- claims ------------------------------------------------------------------------------------------
def submit_claim(uow: UnitOfWork, audit: Audit, book_code: str, claim_code: str, *,
                 submitted_on: date) -> SubsidyClaim:
    """A claim for a month or quarter whose runs are finished: every household and its subsidy (§5)."""
    book = get_collective_book(uow, book_code)
    register = get_register(uow, audit, book)
    months = claim_months(claim_code)
    unbilled = [m for m in months if not register.run_finished(m)]
    if unbilled:
        raise ClaimForUnbilledMonth(f"{', '.join(unbilled)} not billed yet; run the billing first")
    if uow.get_optional(SubsidyClaim, claim_id(book_code, claim_code)) is not None:
        raise ClaimAlreadyFiled(f"claim {claim_code} is already filed (resubmit it if it was returned)")
    register.check_claim_does_not_overlap(claim_code, months)
    runs = [get_run(uow, book_code, m) for m in months]
    lines = claim_lines([{line.household_id: line.subsidy for line in run.lines.values()} for run in runs])
    amount = sum((line.amount for line in lines), ZERO)
    register.file_claim(audit, claim_code, months)
    return uow.add(SubsidyClaim(audit=audit, book_code=book_code, claim_code=claim_code,
                                township_id=book.township_id, months=months, lines=lines, amount=amount,
                                submitted_on=submitted_on))


def approve_claim(uow: UnitOfWork, audit: Audit, book_code: str, claim_code: str, *,
                  approved_on: date) -> SubsidyClaim:
    """The township approves: an event only; money moves when the township pays (DOMAIN.md §5, §7)."""
    claim = get_claim(uow, book_code, claim_code)
    claim.approve(audit, approved_on)
    return claim


def return_claim(uow: UnitOfWork, audit: Audit, book_code: str, claim_code: str, *, returned_on: date,
                 reason: str) -> SubsidyClaim:
    claim = get_claim(uow, book_code, claim_code)
    claim.return_claim(audit, returned_on, reason)
    return claim


def resubmit_claim(uow: UnitOfWork, audit: Audit, book_code: str, claim_code: str, *,
                   submitted_on: date) -> SubsidyClaim:
    get_collective_book(uow, book_code)
    claim = get_claim(uow, book_code, claim_code)
    claim.resubmit(audit, submitted_on)
    return claim


# --- receipts -------------------------------------------------------------------------------------------
def record_household_receipt(uow: UnitOfWork, audit: Audit, book_code: str, household_id: str, *,
                             received_on: date, amount: object, reference: str = "") -> HouseholdReceipt:
    """A household pays: Dr 102 / Cr 112 household:<id>, clearing its oldest bill first (§5 Money)."""
    book = get_collective_book(uow, book_code)
    household = get_household(uow, book_code, household_id)
    received = parse_positive_amount(amount, "receipt", InvalidReceipt)
    settled = settle_oldest_first(household.charges, household.paid, received)
    chart = book.chart
    draft = VoucherDraft(received_on, f"收物业服务费 {household_id}", (
        debit(chart.code_for("bank"), received),
        credit(chart.code_for("household_fee_receivable"), received, household_key(household_id))), 1,
        "subsidies:household-receipt")
    number = post(uow, audit, book_code, draft)
    receipt = HouseholdReceipt(f"R-{household_id}-{len(household.receipts) + 1:03d}", received_on, received,
                               reference, number, settled)
    household.record_receipt(audit, receipt)
    return receipt


def record_subsidy_receipt(uow: UnitOfWork, audit: Audit, book_code: str, *, received_on: date, amount: object,
                           reference: str = "", claim_code: str | None = None) -> SubsidyReceipt:
    """The township pays: Dr 102 / Cr 112 fiscal:<township>, against approved claims, oldest first."""
    book = get_collective_book(uow, book_code)
    register = get_register(uow, audit, book)
    received = parse_positive_amount(amount, "receipt", InvalidReceipt)
    codes = [claim_code] if claim_code is not None else sorted(register.claims, key=lambda c: register.claims[c])
    claims = [get_claim(uow, book_code, code) for code in codes]
    open_claims = [claim for claim in claims if claim.status == "approved" and claim.outstanding > ZERO]
    owed = sum((claim.outstanding for claim in open_claims), ZERO)
    if received > owed:
        raise ReceiptExceedsAmountOwed(f"approved claims outstanding total {owed}; a receipt of {received} "
                                       "would leave a credit, and there is no credit rule")
    chart = book.chart
    draft = VoucherDraft(received_on, "收到物业服务费财政补贴", (
        debit(chart.code_for("bank"), received),
        credit(chart.code_for("fiscal_subsidy_receivable"), received, fiscal_key(book.township_id))), 1,
        "subsidies:fiscal-receipt")
    number = post(uow, audit, book_code, draft)
    receipt_number, left, settled = register.next_receipt_number, received, []
    for claim in open_claims:
        if left <= ZERO:
            break
        applied = min(claim.outstanding, left)
        claim.apply_receipt(audit, receipt_number, received_on, applied)
        settled.append(ClaimSettlement(claim.claim_code, applied))
        left -= applied
    receipt = SubsidyReceipt(receipt_number, received_on, received, reference, number, tuple(settled))
    register.record_subsidy_receipt(audit, receipt)
    return receipt
