"""Wire types: amounts as strings (never JSON numbers), strict ISO dates, bounded lists."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, get_type_hints

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints, create_model

from ledger.money import format_amount
from projections.history import EventRow

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


class BookScopedOut(Out):
    """Base of an answer about the records of one book: it names the book first."""

    book_code: str


class ReportOut(Out):
    """Base of a report (a statement, register, schedule): it names itself in Chinese and English."""

    title_zh: str
    title_en: str


class BookReportOut(ReportOut):
    """Base of a report on one book."""

    book_code: str


#: A business date as an answer writes it.
Day = Annotated[str, Field(description="日期 ISO 8601 date")]


class StatementLine(Row):
    """A line of an account statement (a tenant's, a household's): what moved the balance, and the balance after.

    Each capability answers with a subclass of its own (its own component of the OpenAPI document)."""

    date: Day
    kind: str
    reference: str
    charge: Money
    credit: Money
    balance: Money
    voucher_number: str


def row_model(name: str, row: type, base: type[BaseModel], *, module: str, leave_out: Iterable[str] = (),
              wire: Mapping[str, Any] | None = None) -> type[BaseModel]:
    """A response model whose fields are a read-model row's (a dataclass a query function returns), in its order.

    An answer that shows the row the route read is declared once, in the row. ``wire`` gives a field the
    answer types otherwise, as ``(type, default or Field(...))`` (a date served as its ISO string, a nested
    row's own model, a description); ``leave_out`` drops the row's fields the answer does not show. Every
    other field is required, whatever its default in the row: every answer carries it.
    """
    hints, wire, dropped = get_type_hints(row), dict(wire or {}), set(leave_out)
    fields = {f.name: wire.pop(f.name, (hints[f.name], ...)) for f in dataclasses.fields(row) if f.name not in dropped}
    if wire:
        raise TypeError(f"{row.__name__} has no field {sorted(wire)}")
    return create_model(name, __base__=base, __module__=module, **fields)


# An event in the log with its audit stamp: a book's history; the auditor's log (LoggedEventOut) adds to it.
EventOut = row_model("EventOut", EventRow, Row, module=__name__, leave_out=("book_code", "chain_link"))
