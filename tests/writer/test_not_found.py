"""A missing aggregate's error names its problem ``type`` in its class header, like a rule error."""

from __future__ import annotations

from domain.collective.errors import OrganisationNotFound
from domain.leases.errors import LeaseNotFound, ShopFrontNotFound, TenantNotFound
from ledger.bookkeeping import BookNotFound
from ledger.writer import NotFound


def test_a_not_found_names_its_slug_in_its_header_and_keeps_the_base_slug_without_one():
    class Unnamed(NotFound):
        pass

    assert Unnamed.type_slug == NotFound.type_slug == "not-found"
    assert [error.type_slug for error in (OrganisationNotFound, ShopFrontNotFound, TenantNotFound, LeaseNotFound,
                                          BookNotFound)] == ["organisation-not-found", "shop-front-not-found",
                                                             "tenant-not-found", "lease-not-found", "book-not-found"]
