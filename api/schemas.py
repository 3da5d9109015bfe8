"""Wire types: amounts as strings (never JSON numbers), strict ISO dates, bounded lists."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints

from ledger.money import format_amount

#: An amount in yuan: a JSON string with at most two decimals. A JSON number is a 422,
#: because most clients send binary floats and large numbers lose the fen in parsing.
#: ASCII digits only (``[0-9]``, not ``\d``: the validator's ``\d`` also matches full-width ``１０.００``).
AmountIn = Annotated[str, Strict(), StringConstraints(pattern=r"^-?[0-9]{1,12}(\.[0-9]{1,2})?$")]
def _iso_date(value: object) -> date:
    """Business dates are ISO 8601 calendar-date strings (``2025-03-31``); nothing else."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("dates are ISO 8601 strings like 2025-03-31")
    return date.fromisoformat(value)


StrictDate = Annotated[date, BeforeValidator(_iso_date)]
Code = Annotated[str, Strict(), StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")]
Text = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=200)]



class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


def money(amount: Decimal) -> str:
    return format_amount(amount)


Money = Annotated[str, Field(pattern=r"^-?[0-9]+\.[0-9]{2}$", description="金额（元，两位小数）Amount in yuan, two decimals")]


class Out(BaseModel):
    """Base of response models: every read and write answer names the log position it reflects."""

    model_config = ConfigDict(extra="forbid")
    log_position: int | None = Field(None, description="日志位置 The log position this answer reflects")


class Row(BaseModel):
    """Base of a response's nested parts (a row of a list: no log position of its own)."""

    model_config = ConfigDict(extra="forbid")


# An event in the log with its audit stamp: a book's history; the auditor's log (LoggedEventOut) adds to it.
class EventOut(Row):
    position: int
    event_type: str
    actor: str | None
    role: str | None
    reason: str | None
    idempotency_key: str | None
    recorded_at: str
    stream_id: str
    stream_version: int
