"""Money in yuan with exactly two places (fen), allocation and uppercase amounts.

Source: DOMAIN.md §1 (amounts, rounding, allocation, uppercase amounts per
会计基础工作规范 Art. 52). Money is ``Decimal``; ``float`` is refused everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeVar

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
#: Largest absolute amount of one line and of one voucher's total (just under 1 万亿 yuan).
#: Bigger figures are a typing error in a community ledger.
AMOUNT_LIMIT = Decimal("999999999999.99")
#: Largest turnover (Σ |voucher totals|) of one book in one month (just under 10 万亿 yuan).
#: Vouchers are dated in ``FIRST_YEAR``–``LAST_YEAR`` (1,212 months), so every running
#: balance and every sum a report takes over one book stays below 1,212 × this bound
#: (≈ 1.2 × 10^18 fen), inside the 64-bit integers both stores keep fen in.
MONTH_TURNOVER_LIMIT = Decimal("9999999999999.99")
FIRST_YEAR, LAST_YEAR = 2000, 2100
#: Uppercase amounts (statement totals, township sums) are written up to 亿亿 (10^20 yuan).
UPPERCASE_LIMIT = Decimal("99999999999999999999.99")


PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?", re.ASCII)


class InvalidAmount(ValueError):
    """An amount that is not yuan with at most two decimals within the limit."""

    type_slug = "invalid-amount"


def parse_amount(value: object, *, allow_negative: bool = False) -> Decimal:
    """Parse an amount in yuan: a ``Decimal``, ``int`` or string with ≤ 2 decimals.

    DOMAIN.md §1: input with more than two decimals is rejected, not rounded.
    Floats, NaN, infinities and amounts beyond ``AMOUNT_LIMIT`` are rejected.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise InvalidAmount(f"amount must be a decimal string, not {type(value).__name__}")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        text = value.strip()
        if not text or text != value or not PLAIN_DECIMAL.fullmatch(text):
            # ASCII digits only: Decimal() would also read full-width (１０.００) and other
            # Unicode digits, exponents and underscores.
            raise InvalidAmount(f"amount {value!r} is not a plain decimal")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise InvalidAmount(f"amount {value!r} is not a decimal number") from None
    else:
        raise InvalidAmount(f"amount must be a decimal string, not {type(value).__name__}")
    if not amount.is_finite():
        raise InvalidAmount(f"amount {value!r} is not finite")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and amount != amount.quantize(FEN):
        raise InvalidAmount(f"amount {value!r} has more than two decimals (fen)")
    if abs(amount) > AMOUNT_LIMIT:
        raise InvalidAmount(f"amount {value!r} exceeds the limit {AMOUNT_LIMIT}")
    if amount < 0 and not allow_negative:
        raise InvalidAmount(f"amount {value!r} must not be negative")
    return amount.quantize(FEN)


def parse_positive_amount(value: object, what: str, broken: type[Exception],
                          malformed: type[Exception] | None = None) -> Decimal:
    """Parse ``value`` as :func:`parse_amount` does and require it to be > 0.

    ``broken`` is the capability's error naming the rule (``InvalidRent``, ``InvalidShopFront``), so a
    refusal reads "rent: amount '1.234' has more than two decimals (fen)" or "rent must be > 0, not 0.00";
    ``malformed``, where given, is raised instead for a value that is no amount at all (``InvalidAmount``).
    """
    try:
        amount = parse_amount(value)
    except InvalidAmount as error:
        raise (malformed or broken)(f"{what}: {error}") from None
    if amount <= 0:
        raise broken(f"{what} must be > 0, not {amount}")
    return amount


def round_half_up_to_fen(value: Decimal) -> Decimal:
    """Round a computed figure half-up to the fen.

    DOMAIN.md §1: "Computation rounds half-up to the fen only where a rule divides
    (rates, shares, areas)."
    """
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def to_fen(amount: Decimal) -> int:
    """Whole fen in an amount of yuan (exact; the amount must have ≤ 2 places)."""
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise InvalidAmount(f"amount {amount} is not a whole number of fen")
    return int(fen)


def from_fen(fen: int) -> Decimal:
    """Yuan with two places from whole fen."""
    return (Decimal(fen) / 100).quantize(FEN)


def format_amount(amount: Decimal) -> str:
    """The wire form of an amount: a string with exactly two decimals."""
    return str(amount.quantize(FEN))


K = TypeVar("K", bound=Hashable)


class InvalidAllocation(ValueError):
    """Weights that cannot carry an allocation (none, negative, all zero)."""

    type_slug = "invalid-allocation"


def _integral_weights(weights: Sequence[Decimal]) -> list[int]:
    """Scale decimal weights to integers with the same ratios (exact)."""
    places = 0
    for weight in weights:
        exponent = weight.as_tuple().exponent
        if isinstance(exponent, int):
            places = max(places, -exponent)
    scale = Decimal(10) ** places
    return [int(weight * scale) for weight in weights]


def allocate(total: Decimal, weights: Sequence[tuple[K, Decimal | int]]) -> list[tuple[K, Decimal]]:
    """Split ``total`` over parties in proportion to their weights, exact to the fen.

    DOMAIN.md §1 (Allocation): compute each party's exact share, round down to the
    fen, then hand the remaining fen one each to the parties with the largest
    remainders (ties: stable order by party id). The lines always sum to the total.
    A negative total is allocated as its magnitude and negated, so a reversal
    mirrors the original allocation line by line. Lines come back in input order.
    """
    if not weights:
        raise InvalidAllocation("allocation needs at least one party")
    keys = [key for key, _ in weights]
    if len(set(keys)) != len(keys):
        raise InvalidAllocation("allocation parties must be distinct")
    decimal_weights = []
    for _, weight in weights:
        if isinstance(weight, float) or isinstance(weight, bool):
            raise InvalidAllocation("weights must be Decimal or int, never float")
        weight = Decimal(weight)
        if not weight.is_finite() or weight < 0:
            raise InvalidAllocation(f"weight {weight} must be a finite number ≥ 0")
        decimal_weights.append(weight)
    integral = _integral_weights(decimal_weights)
    weight_total = sum(integral)
    if weight_total == 0:
        raise InvalidAllocation("weights sum to zero")
    total_fen = to_fen(total)
    sign = -1 if total_fen < 0 else 1
    magnitude = abs(total_fen)
    floors = []
    remainders = []
    for weight in integral:
        quotient, remainder = divmod(magnitude * weight, weight_total)
        floors.append(quotient)
        remainders.append(remainder)
    leftover = magnitude - sum(floors)
    order = sorted(range(len(keys)), key=lambda i: (-remainders[i], _tie_key(keys[i])))
    for i in order[:leftover]:
        floors[i] += 1
    lines = [(key, from_fen(sign * fen)) for key, fen in zip(keys, floors, strict=True)]
    assert sum((amount for _, amount in lines), ZERO) == total.quantize(FEN), "allocation must sum to total"
    return lines


def _tie_key(key: object) -> tuple[str, str]:
    """Stable ordering for party ids of any type (ties go to the smaller id)."""
    return (type(key).__name__, str(key))


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACE_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿")


def _uppercase_integer(yuan: int) -> str:
    """The 元 part in uppercase; groups of four digits under 万 and 亿.

    From 1 万亿 on, the part above 亿 is itself read as a number (壹万贰仟亿, 壹亿亿): the
    sums of statements may pass the bound of one voucher.
    """
    if yuan >= 10**12:
        high, low = divmod(yuan, 10**8)
        text = _uppercase_integer(high) + "亿"
        if low:
            text += ("零" if low < 10**7 else "") + _uppercase_integer(low)
        return text
    text = str(yuan)
    out: list[str] = []
    zero_pending = False
    group_has_digit = False
    for index, char in enumerate(text):
        place = len(text) - 1 - index
        digit = int(char)
        if place % 4 == 3 or index == 0:
            group_has_digit = False
        if digit == 0:
            zero_pending = True
        else:
            if zero_pending and out:
                out.append("零")
            zero_pending = False
            group_has_digit = True
            out.append(_DIGITS[digit] + _PLACE_UNITS[place % 4])
        if place % 4 == 0 and place > 0 and group_has_digit:
            out.append(_GROUP_UNITS[place // 4])
            # Zeros trailing a group are absorbed by the group unit (107000 → 壹拾万柒仟).
            zero_pending = False
    return "".join(out)


def uppercase_amount(amount: Decimal) -> str:
    """Chinese uppercase amount (大写金额) for vouchers and statement totals.

    Source: 会计基础工作规范 Art. 52, as stated in DOMAIN.md §1: digits
    零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, 元角分; ending at 元 or 角 → 整;
    a zero inside → 零, a run of zeros → one 零; 角 = 0 with 分 ≠ 0 → 零 after 元;
    ten is 壹拾. A negative amount (a red voucher) is prefixed 负.
    """
    fen_total = to_fen(amount)
    if abs(fen_total) > to_fen(UPPERCASE_LIMIT):
        raise InvalidAmount(f"amount {amount} exceeds the limit {UPPERCASE_LIMIT} of uppercase amounts")
    sign = "负" if fen_total < 0 else ""
    yuan, cents = divmod(abs(fen_total), 100)
    jiao, fen = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "零元整"
    parts: list[str] = []
    if yuan:
        parts.append(_uppercase_integer(yuan) + "元")
    if jiao:
        if yuan and yuan % 10 == 0:
            parts.append("零")
        parts.append(_DIGITS[jiao] + "角")
    elif fen and yuan:
        parts.append("零")
    if fen:
        parts.append(_DIGITS[fen] + "分")
    else:
        parts.append("整")
    return sign + "".join(parts)
