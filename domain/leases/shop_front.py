"""A shop-front (门面/商铺) of the register: its floor area, dated rights holders and occupancy.

Source: DOMAIN.md §4 (Shop-front register; Lease: one shop-front has at most one active
lease at a time); 民法典 Art. 734 (the sitting tenant's priority to renew on expiry).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.leases.errors import (
    InvalidShopFront,
    OverlappingLease,
    RightsChangeOutOfOrder,
    SittingTenantHasPriority,
)
from domain.leases.rights import RightsChange
from ledger.audit import Audit
from ledger.book import ANJU_NAMESPACE
from ledger.money import parse_positive_amount

#: Art. 734 gives the sitting tenant a priority right "on expiry"; DOMAIN.md is silent on
#: how long it lasts. Held open this long after expiry unless the tenant declines first.
RENEWAL_PRIORITY_DAYS = 180


def shop_front_id(book_code: str, unit_number: str) -> UUID:
    return uuid5(ANJU_NAMESPACE, f"leases/{book_code}/shop-front/{unit_number}")


def check_unit_number(unit_number: str) -> None:
    """A shop-front has a unit number. DOMAIN.md §4 Shop-front register."""
    if not unit_number.strip():
        raise InvalidShopFront("a shop-front needs a unit number")


def check_floor_area(floor_area_m2: object) -> Decimal:
    """The floor area is > 0 m² with at most two decimals. DOMAIN.md §4 Shop-front register."""
    return parse_positive_amount(floor_area_m2, "floor area (m²)", InvalidShopFront)


@dataclass
class Occupancy:
    """A lease on a shop-front: its tenant and days (state only, never stored)."""

    lease_code: str
    tenant_code: str
    start_on: date
    end_on: date
    ended_early: bool = False
    renewal_declined: bool = False


class ShopFront(Aggregate):
    """One shop-front of the register (DOMAIN.md §4 Shop-front register)."""

    create_id = staticmethod(shop_front_id)

    @classmethod
    def register(cls, audit: Audit, book_code: str, unit_number: str, location: str, floor_area_m2: object,
                 rights: RightsChange) -> ShopFront:
        check_unit_number(unit_number)
        area = check_floor_area(floor_area_m2)
        return cls(audit=audit, book_code=book_code, unit_number=unit_number, location=location, floor_area_m2=area,
                   rights=rights)

    @event("Registered")
    def __init__(self, audit: Audit, book_code: str, unit_number: str, location: str, floor_area_m2: Decimal,
                 rights: RightsChange) -> None:
        self.book_code = book_code
        self.unit_number = unit_number
        self.location = location
        self.floor_area_m2 = floor_area_m2
        self.rights: list[RightsChange] = [rights]
        self.occupancies: list[Occupancy] = []

    # --- rules ----------------------------------------------------------------------
    def rights_on(self, day: date) -> RightsChange:
        """The rights in force on ``day``; before the first dated change, the first one."""
        in_force = [change for change in self.rights if change.effective_on <= day]
        return in_force[-1] if in_force else self.rights[0]

    def check_rights_change_in_order(self, effective_on: date) -> None:
        """Rights changes are dated events appended in date order; history is never rewritten."""
        latest = self.rights[-1].effective_on
        if effective_on <= latest:
            raise RightsChangeOutOfOrder(f"{self.unit_number}: a change must be dated after {latest}")

    def check_no_overlapping_lease(self, start_on: date, end_on: date) -> None:
        """One shop-front has at most one active lease at a time. DOMAIN.md §4 Lease."""
        for other in self.occupancies:
            if start_on <= other.end_on and other.start_on <= end_on:
                raise OverlappingLease(
                    f"shop-front {self.unit_number} is leased under {other.lease_code} "
                    f"from {other.start_on} to {other.end_on}")

    def check_sitting_tenant_priority(self, tenant_code: str, start_on: date) -> None:
        """On expiry the sitting tenant may renew first, on equal terms. DOMAIN.md §4; 民法典 Art. 734.

        The latest lease before ``start_on`` that ran to its end (not terminated early)
        blocks another tenant's lease starting within ``RENEWAL_PRIORITY_DAYS`` of its
        expiry, unless the sitting tenant declined to renew.
        """
        earlier = [o for o in self.occupancies if o.end_on < start_on]
        if not earlier:
            return
        sitting = max(earlier, key=lambda o: o.end_on)
        if sitting.ended_early or sitting.renewal_declined or sitting.tenant_code == tenant_code:
            return
        if (start_on - sitting.end_on).days <= RENEWAL_PRIORITY_DAYS:
            raise SittingTenantHasPriority(
                f"{sitting.tenant_code}'s lease {sitting.lease_code} of {self.unit_number} expires on "
                f"{sitting.end_on}; the sitting tenant has priority to renew unless they decline")

    # --- commands -------------------------------------------------------------------
    def change_rights(self, audit: Audit, change: RightsChange) -> None:
        self.check_rights_change_in_order(change.effective_on)
        self._rights_changed(audit=audit, change=change)

    @event("RightsChanged")
    def _rights_changed(self, audit: Audit, change: RightsChange) -> None:
        self.rights.append(change)

    def attach_lease(self, audit: Audit, lease_code: str, tenant_code: str, start_on: date, end_on: date) -> None:
        self.check_no_overlapping_lease(start_on, end_on)
        self.check_sitting_tenant_priority(tenant_code, start_on)
        self._lease_attached(audit=audit, lease_code=lease_code, tenant_code=tenant_code, start_on=start_on,
                             end_on=end_on)

    @event("LeaseAttached")
    def _lease_attached(self, audit: Audit, lease_code: str, tenant_code: str, start_on: date, end_on: date) -> None:
        self.occupancies.append(Occupancy(lease_code, tenant_code, start_on, end_on))

    def end_lease_early(self, audit: Audit, lease_code: str, ended_on: date) -> None:
        self._lease_ended_early(audit=audit, lease_code=lease_code, ended_on=ended_on)

    @event("LeaseEndedEarly")
    def _lease_ended_early(self, audit: Audit, lease_code: str, ended_on: date) -> None:
        for occupancy in self.occupancies:
            if occupancy.lease_code == lease_code:
                occupancy.end_on = ended_on
                occupancy.ended_early = True

    def decline_renewal(self, audit: Audit, lease_code: str) -> None:
        self._renewal_declined(audit=audit, lease_code=lease_code)

    @event("RenewalDeclined")
    def _renewal_declined(self, audit: Audit, lease_code: str) -> None:
        for occupancy in self.occupancies:
            if occupancy.lease_code == lease_code:
                occupancy.renewal_declined = True
