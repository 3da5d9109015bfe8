"""Resident identity numbers (公民身份号码): validation, masking and keyed hashing.

Source: GB 11643-1999 (18 characters: 6-digit address code, 8-digit birth date
YYYYMMDD, 3-digit sequence, 1 check character by ISO 7064 MOD 11-2, where 10 is
written 'X'); DOMAIN.md §3: identity numbers are stored masked (last 4) plus a
keyed hash, never in clear.

Error messages never repeat the number: they end up in logs and API responses.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date

from domain.collective.errors import IdentityKeyTooShort, InvalidIdentityNumber
from ledger.values import value_type

#: RFC 2104: an HMAC key shorter than the hash output (32 bytes for SHA-256) is discouraged.
IDENTITY_KEY_MIN_BYTES = 32
IDENTITY_NUMBER_LENGTH = 18
VISIBLE_TAIL_LENGTH = 4
MASK_CHARACTER = "*"

# ISO 7064 MOD 11-2: weight of position i (0-based, left to right) is 2^(17-i) mod 11.
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
# Indexed by (weighted sum mod 11): the character that makes the total ≡ 1 (mod 11).
_CHECK_CHARACTERS = "10X98765432"
_SHAPE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
_MASKED_SHAPE = re.compile(r"\*{14}[0-9]{3}[0-9X]", re.ASCII)
_HASH_SHAPE = re.compile(r"[0-9a-f]{64}", re.ASCII)


def identity_check_character(first_seventeen_digits: str) -> str:
    """The check character of GB 11643-1999 (ISO 7064 MOD 11-2, 10 → 'X')."""
    total = sum(int(digit) * weight for digit, weight in zip(first_seventeen_digits, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11]


def _birth_date_is_real(identity_number: str) -> bool:
    try:
        date(int(identity_number[6:10]), int(identity_number[10:12]), int(identity_number[12:14]))
    except ValueError:
        return False
    return True


def validate_identity_number(identity_number: str) -> str:
    """Validate an 18-character identity number and return its normalised form.

    Source: GB 11643-1999. Normalised: surrounding whitespace removed, a final
    'x' upper-cased. Rejected: any other shape (including 15-digit numbers of
    the first generation), a birth date that is not a calendar date, a wrong
    check character.
    """
    if not isinstance(identity_number, str):
        raise InvalidIdentityNumber("identity number must be a string")
    normalised = identity_number.strip().upper()
    if not _SHAPE.fullmatch(normalised):
        raise InvalidIdentityNumber("identity number must be 17 digits and a check digit or X")
    if not _birth_date_is_real(normalised):
        raise InvalidIdentityNumber("identity number carries no valid birth date")
    if identity_check_character(normalised[:17]) != normalised[17]:
        raise InvalidIdentityNumber("identity number check character does not match")
    return normalised


def mask_identity_number(identity_number: str) -> str:
    """The stored, displayable form: every character but the last 4 replaced by '*'.

    Source: DOMAIN.md §3 (store identity numbers masked, last 4 digits).
    """
    normalised = validate_identity_number(identity_number)
    hidden_length = IDENTITY_NUMBER_LENGTH - VISIBLE_TAIL_LENGTH
    return MASK_CHARACTER * hidden_length + normalised[hidden_length:]


def identity_hash(secret_key: bytes, identity_number: str) -> str:
    """HMAC-SHA256 (hex) of the normalised number under the organisation's secret key.

    Source: DOMAIN.md §3 (a keyed hash, never in clear). Keyed so that the
    small space of identity numbers cannot be searched from the hashes alone;
    the same person always gives the same hash, so duplicates can be found.
    """
    if not isinstance(secret_key, bytes) or len(secret_key) < IDENTITY_KEY_MIN_BYTES:
        raise IdentityKeyTooShort(f"identity hash key must be at least {IDENTITY_KEY_MIN_BYTES} bytes")
    normalised = validate_identity_number(identity_number)
    return hmac.new(secret_key, normalised.encode("ascii"), hashlib.sha256).hexdigest()


@value_type("anju.collective.ProtectedIdentity")
class ProtectedIdentity:
    """What the ledger keeps of an identity number: the masked form and the keyed hash.

    The plain constructor does not check (the store decodes history with it);
    ``checked`` is how a new value is made.
    """

    masked: str
    keyed_hash_hex: str

    @classmethod
    def checked(cls, masked: str, keyed_hash_hex: str) -> ProtectedIdentity:
        """Refuses a clear number passed by mistake where the masked form belongs, or a malformed hash."""
        if not isinstance(masked, str) or not _MASKED_SHAPE.fullmatch(masked):
            raise InvalidIdentityNumber("masked identity must be 14 '*' and the last 4 characters")
        if not isinstance(keyed_hash_hex, str) or not _HASH_SHAPE.fullmatch(keyed_hash_hex):
            raise InvalidIdentityNumber("identity hash must be 64 lowercase hex characters")
        return cls(masked, keyed_hash_hex)


def protect_identity_number(secret_key: bytes, identity_number: str) -> ProtectedIdentity:
    """The only form in which an identity number is stored: masked plus keyed hash.

    Source: DOMAIN.md §3 (Members): "Store identity numbers masked (last 4
    digits) plus a keyed hash, never in clear."
    """
    return ProtectedIdentity.checked(mask_identity_number(identity_number), identity_hash(secret_key, identity_number))
