"""The unified social credit code (统一社会信用代码) an organisation registers with.

Source: GB 32100-2015; 农村集体经济组织法 (2024) Art. 6 (the organisation
registers and receives the code).
"""

from __future__ import annotations

import re

from domain.collective.errors import InvalidCreditCode

# GB 32100-2015: 31 characters (no I, O, Z, S, V); weights 3^i mod 31.
_CREDIT_CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_CODE_SHAPE = re.compile(r"[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}", re.ASCII)


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
