"""The organisation itself: registration, its charter (章程) and its unified social credit code.

Source: 农村集体经济组织法 (2024) Arts. 6, 19–20 (registration, charter) and
DOMAIN.md §3: the charter fixes the 公积公益金 withdrawal rate (required, no
default), whether a collective share class (集体股) exists, and the share
management (static by default, 生不增、死不减). The unified social credit
code follows GB 32100-2015.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.collective.distribution import parse_reserve_rate_percent
from domain.collective.errors import CollectiveRuleBroken
from ledger.values import value_type

NAME_LENGTH_LIMIT = 100
SHARE_MANAGEMENT_STATIC = "static"
SHARE_MANAGEMENTS = (SHARE_MANAGEMENT_STATIC,)

# GB 32100-2015: 31 characters (no I, O, Z, S, V); weights 3^i mod 31.
_CREDIT_CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_CODE_SHAPE = re.compile(r"[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}", re.ASCII)


class InvalidOrganisation(CollectiveRuleBroken):
    """A registration with a missing or malformed name, charter or code."""

    type_slug = "invalid-organisation"


class InvalidCreditCode(CollectiveRuleBroken):
    """Not an 18-character unified social credit code with a valid check character."""

    type_slug = "invalid-credit-code"


class UnsupportedShareManagement(CollectiveRuleBroken):
    """Only static share management (生不增、死不减) is supported."""

    type_slug = "unsupported-share-management"


@value_type("anju.collective.Charter")
@dataclass(frozen=True)
class Charter:
    """What the ledger needs of the charter: reserve rate, 集体股 or not, share management."""

    reserve_rate_percent: Decimal
    collective_share_class: bool
    share_management: str = SHARE_MANAGEMENT_STATIC


def credit_code_check_character(first_seventeen: str) -> str:
    """The check character of a unified social credit code (GB 32100-2015, mod 31)."""
    total = sum(
        _CREDIT_CODE_CHARACTERS.index(char) * weight
        for char, weight in zip(first_seventeen, _CREDIT_CODE_WEIGHTS, strict=True)
    )
    return _CREDIT_CODE_CHARACTERS[(31 - total % 31) % 31]


def validate_credit_code(code: object) -> str:
    """An 18-character 统一社会信用代码 with a valid check character.

    Source: GB 32100-2015 (registration authority, type, 6-digit area code,
    9-character organisation code, check character); 农村集体经济组织法 Art. 6
    (the organisation registers and receives the code).
    """
    if not isinstance(code, str) or not _CREDIT_CODE_SHAPE.fullmatch(code):
        raise InvalidCreditCode("a unified social credit code is 18 characters (digits and capitals, no I O Z S V)")
    if credit_code_check_character(code[:17]) != code[17]:
        raise InvalidCreditCode(f"unified social credit code {code}: the check character does not match")
    return code


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


def check_organisation_name(name: object) -> str:
    """An organisation has a name (e.g. 某某社区股份经济合作社) of bounded length."""
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_LENGTH_LIMIT:
        raise InvalidOrganisation(f"an organisation needs a name of 1–{NAME_LENGTH_LIMIT} characters")
    return name


def check_registered_on(registered_on: object) -> date:
    if not isinstance(registered_on, date):
        raise InvalidOrganisation("registered_on must be a calendar date")
    return registered_on
