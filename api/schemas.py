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
AmountIn = Annotated[str, Strict(), StringConstraints(pattern=r"^-?\d{1,12}(\.\d{1,2})?$")]
def _iso_date(value: object) -> date:
    """Business dates are ISO 8601 calendar-date strings (``2025-03-31``); nothing else."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("dates are ISO 8601 strings like 2025-03-31")
    return date.fromisoformat(value)


StrictDate = Annotated[date, BeforeValidator(_iso_date)]
Code = Annotated[str, Strict(), StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")]
Text = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=200)]

MAX_LINES_PER_REQUEST = 1_000
MAX_VOUCHERS_PER_BATCH = 1_000


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


def money(amount: Decimal) -> str:
    return format_amount(amount)


def position_envelope(body: dict[str, Any], position: int | None) -> dict[str, Any]:
    return {**body, "log_position": position}


class LineIn(Model):
    account_code: Annotated[str, Strict(), StringConstraints(pattern=r"^\d{3}(\.\d{2}){0,3}$")] = Field(
        description="科目编码 Account code, e.g. 501.01")
    debit: AmountIn | None = Field(None, description="借方金额 Debit amount in yuan, as a string")
    credit: AmountIn | None = Field(None, description="贷方金额 Credit amount in yuan, as a string")
    subledger: Annotated[str, Strict(), StringConstraints(max_length=90)] = Field(
        "", description="辅助核算 Sub-ledger key, e.g. member:M0001, tenant:T01, household:H1, unit:1-2-301")
    memo: Annotated[str, Strict(), StringConstraints(max_length=200)] = ""


class VoucherIn(Model):
    voucher_date: StrictDate = Field(description="凭证日期 Voucher date (China Standard Time), ISO 8601")
    summary: Text = Field(description="摘要 Summary")
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_LINES_PER_REQUEST, description="分录 Lines")
    attachments: Annotated[int, Strict(), Field(ge=0, le=999)] = Field(0, description="附件张数 Attachments")


class VoucherBatchIn(Model):
    vouchers: list[VoucherIn] = Field(min_length=1, max_length=MAX_VOUCHERS_PER_BATCH)


class BookIn(Model):
    book_code: Code = Field(description="账套编码 Book code (used in URLs)")
    name: Text = Field(description="账套名称 Book name")
    entity_kind: Annotated[str, Strict(), StringConstraints(pattern=r"^(collective|maintenance_fund)$")] = Field(
        "collective", description="核算主体 collective | maintenance_fund")
    community_id: Code = Field(description="社区 Community id")
    township_id: Code = Field(description="乡镇（街道） Township id")
    chart_name: Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")] | None = Field(
        None, description="科目表 Chart (default by entity kind)")
    starts_on: StrictDate = Field(description="启用日期 First day of the book")


class SubAccountIn(Model):
    code: Annotated[str, Strict(), StringConstraints(pattern=r"^\d{3}(\.\d{2}){1,3}$")]
    name_zh: Text
    name_en: Annotated[str, Strict(), StringConstraints(max_length=200)] = ""


class ReversalIn(Model):
    red_date: StrictDate = Field(description="红字凭证日期 Date of the red voucher (in an open period)")
    reason: Text = Field(description="冲销原因 Why the voucher is cancelled")
    correction: VoucherIn | None = Field(None, description="更正凭证 Optional correct (blue) voucher")


class PeriodActionIn(Model):
    reason: Text = Field("结账", description="原因 Reason")
