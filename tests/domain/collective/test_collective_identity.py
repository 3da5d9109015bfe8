"""Resident identity numbers: GB 11643-1999; stored masked plus keyed hash (DOMAIN.md §3)."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.collective.identity import (
    IdentityKeyTooShort,
    InvalidIdentityNumber,
    ProtectedIdentity,
    identity_check_character,
    identity_hash,
    mask_identity_number,
    protect_identity_number,
    validate_identity_number,
)

KEY = bytes(range(32))
# The examples printed in GB 11643-1999.
STANDARD_EXAMPLES = ["11010519491231002X", "440524188001010014"]
# Weights of ISO 7064 MOD 11-2 as printed in the standard, written out independently of the code.
PRINTED_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
PRINTED_CHECK = {0: "1", 1: "0", 2: "X", 3: "9", 4: "8", 5: "7", 6: "6", 7: "5", 8: "4", 9: "3", 10: "2"}


@pytest.mark.parametrize("number", STANDARD_EXAMPLES)
def test_validate_identity_number_accepts_the_standard_examples(number: str) -> None:
    assert validate_identity_number(number) == number


def test_validate_identity_number_normalises_lowercase_x_and_spaces() -> None:
    assert validate_identity_number(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check character
        "440524188001010015",  # wrong check character
        "11010519491231002",  # 17 characters
        "11010519491231002XX",  # 19 characters
        "110105491231002",  # first-generation 15-digit number
        "1101051949123100X2",  # X not in last place
        "11010519491231002Y",
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits
        "110105 9491231002X",
        "110105194902310027",  # 31 February is no birth date; check character valid
        "",
    ],
)
def test_validate_identity_number_rejects(number: str) -> None:
    with pytest.raises(InvalidIdentityNumber):
        validate_identity_number(number)


def test_validate_identity_number_rejects_non_strings() -> None:
    with pytest.raises(InvalidIdentityNumber):
        validate_identity_number(110105194912310021)  # type: ignore[arg-type]


def test_validate_identity_number_checks_the_birth_date_independently_of_the_check_character() -> None:
    first_seventeen = "11010519490231002"
    with pytest.raises(InvalidIdentityNumber, match="birth date"):
        validate_identity_number(first_seventeen + identity_check_character(first_seventeen))


@settings(deadline=None)  # pure and fast; wall-clock deadlines flake on shared cores
@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_identity_check_character_is_iso_7064_mod_11_2(first_seventeen: str) -> None:
    weighted_sum = sum(int(digit) * weight for digit, weight in zip(first_seventeen, PRINTED_WEIGHTS, strict=True))
    assert identity_check_character(first_seventeen) == PRINTED_CHECK[weighted_sum % 11]


def test_identity_check_character_of_the_standard_examples() -> None:
    assert [identity_check_character(number[:17]) for number in STANDARD_EXAMPLES] == ["X", "4"]


def test_mask_identity_number_keeps_only_the_last_four() -> None:
    assert mask_identity_number("11010519491231002X") == "**************002X"
    assert mask_identity_number("440524188001010014") == "**************0014"
    assert mask_identity_number("11010519491231002x") == "**************002X"


def test_mask_identity_number_refuses_an_invalid_number() -> None:
    with pytest.raises(InvalidIdentityNumber):
        mask_identity_number("110105194912310021")


def test_identity_hash_is_hmac_sha256_of_the_normalised_number() -> None:
    expected = hmac.new(KEY, b"11010519491231002X", hashlib.sha256).hexdigest()
    assert identity_hash(KEY, "11010519491231002X") == expected
    assert identity_hash(KEY, " 11010519491231002x") == expected
    assert len(expected) == 64


def test_identity_hash_depends_on_the_key_and_the_number() -> None:
    other_key = bytes(range(1, 33))
    assert identity_hash(KEY, STANDARD_EXAMPLES[0]) != identity_hash(other_key, STANDARD_EXAMPLES[0])
    assert identity_hash(KEY, STANDARD_EXAMPLES[0]) != identity_hash(KEY, STANDARD_EXAMPLES[1])
    # Keyed: not the plain SHA-256 that anyone could compute over all identity numbers.
    assert identity_hash(KEY, STANDARD_EXAMPLES[0]) != hashlib.sha256(STANDARD_EXAMPLES[0].encode()).hexdigest()


@pytest.mark.parametrize("key", [b"", b"k" * 31, "k" * 32, None])
def test_identity_hash_needs_a_key_of_at_least_32_bytes(key: object) -> None:
    with pytest.raises(IdentityKeyTooShort):
        identity_hash(key, STANDARD_EXAMPLES[0])  # type: ignore[arg-type]


def test_identity_hash_refuses_an_invalid_number() -> None:
    with pytest.raises(InvalidIdentityNumber):
        identity_hash(KEY, "110105194912310021")


@pytest.mark.parametrize("number", ["110105194912310021", "11010519490231002X", "11010519491231002"])
def test_identity_errors_never_repeat_the_number(number: str) -> None:
    with pytest.raises(InvalidIdentityNumber) as raised:
        protect_identity_number(KEY, number)
    assert number not in str(raised.value)
    assert number[:14] not in str(raised.value)


def test_protect_identity_number_keeps_masked_and_keyed_hash_only() -> None:
    protected = protect_identity_number(KEY, "11010519491231002X")
    assert protected == ProtectedIdentity(
        masked="**************002X",
        keyed_hash_hex=hmac.new(KEY, b"11010519491231002X", hashlib.sha256).hexdigest(),
    )
    assert "11010519491231002X" not in repr(protected)
    assert "110105" not in repr(protected)


@pytest.mark.parametrize(
    "masked, keyed_hash_hex",
    [
        ("11010519491231002X", "0" * 64),  # the clear number where the masked form belongs
        ("*************1002X", "0" * 64),
        ("**************002X", "0" * 63),
        ("**************002X", "A" * 64),
    ],
)
def test_protected_identity_refuses_anything_but_masked_and_hash(masked: str, keyed_hash_hex: str) -> None:
    with pytest.raises(InvalidIdentityNumber):
        ProtectedIdentity.checked(masked, keyed_hash_hex)


def test_a_stored_protected_identity_is_decoded_without_today_s_checks() -> None:
    """The store decodes history with the plain constructor, so a tightened shape never breaks old events."""
    stored = ProtectedIdentity(masked="******002X", keyed_hash_hex="0" * 63)
    assert stored.masked == "******002X"
