"""The charter (章程): what the ledger needs of it.

Source: 农村集体经济组织法 (2024) Arts. 19–20 and DOMAIN.md §3: the charter
fixes the 公积公益金 withdrawal rate (required, no default), whether a
collective share class (集体股) exists, and the share management (static by
default, 生不增、死不减).
"""

from __future__ import annotations

from decimal import Decimal

from domain.collective.distribution_figures import parse_reserve_rate_percent
from domain.collective.errors import InvalidOrganisation, UnsupportedShareManagement
from ledger.values import value_type

SHARE_MANAGEMENT_STATIC = "static"
SHARE_MANAGEMENTS = (SHARE_MANAGEMENT_STATIC,)


@value_type("anju.collective.Charter")
class Charter:
    """What the ledger needs of the charter: reserve rate, 集体股 or not, share management."""

    reserve_rate_percent: Decimal
    collective_share_class: bool
    share_management: str = SHARE_MANAGEMENT_STATIC


def make_charter(reserve_rate_percent: object, collective_share_class: bool,
                 share_management: str = SHARE_MANAGEMENT_STATIC) -> Charter:
    """The charter's figures: the reserve rate is required; shares are managed statically.

    Source: DOMAIN.md §3 (withdrawal rate configurable per organisation,
    required, no default; collective share class optional; static management
    by default). Dynamic management is not supported by this version.
    """
    rate = parse_reserve_rate_percent(reserve_rate_percent)
    if not isinstance(collective_share_class, bool):
        raise InvalidOrganisation("collective_share_class must be true or false")
    if share_management not in SHARE_MANAGEMENTS:
        raise UnsupportedShareManagement(f"share management must be one of {SHARE_MANAGEMENTS}")
    return Charter(rate, collective_share_class, share_management)
