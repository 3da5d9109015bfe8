"""What every export file shows, built once from a declaration and the endpoint's JSON.

A ``Sheet`` is a titled table: the header block (community, book, period, ``as_of``, log
position, chain head), typed cells (``Decimal`` amounts, ``date`` dates, numbers, text),
a totals row, single figures and the statement totals in 大写. A ``Slip`` is one 记账凭证.
The three renderers (XLSX, PDF, CSV) only lay these out; none reads the JSON itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from api.exports.tables import AMOUNT, DATE, NUMBER, SUM, Column, Export, Payload, value_at
from ledger.calendar import today_cst
from ledger.money import FEN, uppercase_amount


@dataclass(frozen=True)
class Context:
    """What the export knows besides the JSON: the request and the book it reads."""

    path_params: dict[str, str]
    query: dict[str, str]
    community_id: str | None = None
    township_id: str | None = None
    book_code: str | None = None
    book_name: str | None = None
    chain_position: int | None = None
    chain_link: str | None = None
    exported_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


@dataclass
class Sheet:
    title_zh: str
    title_en: str
    header: list[tuple[str, str]]
    columns: tuple[Column, ...]
    rows: list[list[Any]]
    totals: list[Any] | None
    figures: list[tuple[str, str]]
    uppercase: list[tuple[str, Decimal, str]]  # label, amount, 大写
    next_cursor: str | None


@dataclass(frozen=True)
class SlipLine:
    summary: str
    account_code: str
    account_name: str
    subledger: str
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class Slip:
    """记账凭证: one voucher as printed and signed."""

    number: str
    voucher_date: date
    summary: str
    attachments: int
    reverses: str | None
    reversed_by: str | None
    lines: tuple[SlipLine, ...]
    total: Decimal
    total_uppercase: str
    recorded_by: str


def amount(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(FEN)
    except InvalidOperation:
        return None


def cell(value: Any, kind: str) -> Any:
    """A JSON value as the typed cell of its column's kind (None stays an empty cell)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if kind == AMOUNT:
        return amount(value)
    if kind == DATE and isinstance(value, str):
        try:
            return date.fromisoformat(value[:10]) if len(value) == 10 else value
        except ValueError:
            return value
    if kind == NUMBER:
        if isinstance(value, int):
            return value
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return str(value)
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value) if not isinstance(value, str) else value


def cell_text(value: object, amount_text: Callable[[Decimal], str] = str) -> str:
    """A typed cell as the text a text renderer writes (CSV, PDF): empty for no value, dates as ISO dates,
    amounts through ``amount_text`` (CSV writes ``1234.50``; PDF groups thousands, ``1,234.50``)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return amount_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _resolve(payload: Payload, where: Any) -> Any:
    return where(payload) if callable(where) else value_at(payload, where)


def figures_of(payload: Payload, figures: Any) -> list[tuple[str, Any]]:
    pairs = figures(payload) if callable(figures) else figures
    return [(label, _resolve(payload, where) if not callable(figures) else where) for label, where in pairs]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _month_bounds(month: str | None) -> tuple[str | None, str | None]:
    """``2025-03`` → (``2025-03-01``, ``2025-03-31``); anything else → (None, None)."""
    try:
        first = date.fromisoformat(f"{month}-01")
    except (TypeError, ValueError):
        return None, None
    return first.isoformat(), (date(first.year + first.month // 12, first.month % 12 + 1, 1)
                               - timedelta(days=1)).isoformat()


def header_block(export: Export, payload: Payload, ctx: Context) -> list[tuple[str, str]]:
    """社区、账套、期间、截至日期、日志位置、链头: printed above every table and voucher."""
    q, p = ctx.query, ctx.path_params
    community = ctx.community_id or payload.get("community_id")
    township = ctx.township_id or p.get("township_id") or payload.get("township_id")
    scope = " · ".join(part for part in (f"社区 {community}" if community else "",
                                         f"乡镇 {township}" if township else "") if part)
    book = ctx.book_code or payload.get("book_code") or payload.get("fund_code")
    month = _month_bounds(q.get("month"))
    start = (payload.get("period_start") or payload.get("from_month") or q.get("from") or month[0]
             or (f"{payload['year']}-01-01" if isinstance(payload.get("year"), int) else None))
    end = (payload.get("period_end") or payload.get("as_of") or q.get("as_of") or q.get("through") or q.get("to")
           or month[1])
    # A read without as_of reports as of today (China Standard Time): print the date it used.
    as_of = payload.get("as_of") or q.get("as_of") or f"{today_cst().isoformat()}（当日 today, CST）"
    chain = (f"{ctx.chain_position} · {ctx.chain_link}" if ctx.chain_position is not None
             else "无 none (empty log)")
    lines = [
        ("单位 Community / township", scope or (p.get("township_id") or "")),
        ("账套 Book", f"{book} {ctx.book_name or ''}".strip() if book else ""),
        ("期间 Period", f"{start or '—'} 至 {end or '—'}"),
        ("截至 As of", _text(as_of)),
        ("日志位置 Log position", _text(payload.get("log_position"))),
        ("链头 Chain head (position · link)", chain),
        ("导出时间 Exported at (UTC)", ctx.exported_at.strftime("%Y-%m-%d %H:%M:%S")),
    ]
    return [(label, value) for label, value in lines if value]


def sheet(export: Export, payload: Payload, ctx: Context) -> Sheet:
    columns = export.columns(payload) if callable(export.columns) else export.columns
    raw_rows = export.rows(payload) if callable(export.rows) else (value_at(payload, export.rows) or [])
    rows = [[cell(value_at(row, c.key), c.kind) for c in columns] for row in raw_rows if isinstance(row, dict)]
    totals = _totals(columns, rows, payload)
    uppercase = []
    for label, value in figures_of(payload, export.uppercase):
        figure = amount(value)
        if figure is not None:
            uppercase.append((label, figure, uppercase_amount(figure)))
    figures = [(label, _text(value)) for label, value in figures_of(payload, export.figures)]
    return Sheet(export.title_zh, export.title_en, header_block(export, payload, ctx), columns, rows, totals,
                 figures, uppercase, payload.get("next_cursor") if isinstance(payload.get("next_cursor"), str)
                 else (str(payload["next_cursor"]) if payload.get("next_cursor") is not None else None))


def _totals(columns: tuple[Column, ...], rows: list[list[Any]], payload: Payload) -> list[Any] | None:
    """The response's own total figure for each column that names one; the rows' sum for ``SUM``."""
    if not any(c.total for c in columns):
        return None
    result: list[Any] = []
    for index, column in enumerate(columns):
        if column.total == SUM:
            values = [r[index] for r in rows if isinstance(r[index], (int, Decimal))]
            result.append(sum(values, Decimal(0) if column.kind == AMOUNT else 0))
        elif column.total:
            result.append(cell(value_at(payload, column.total), column.kind))
        else:
            result.append(None)
    label_at = next((i for i, c in enumerate(columns) if not c.total), None)
    if label_at is not None:
        result[label_at] = "合计 Total"
    return result


def slip(voucher: Payload, account_name: Any) -> Slip:
    """One voucher's JSON (``GET /books/{book}/vouchers/{number}``) as a 记账凭证."""
    lines = []
    for index, line in enumerate(voucher.get("lines") or []):
        code = str(line.get("account_code", ""))
        memo = line.get("memo") or (voucher.get("summary", "") if index == 0 else "")
        lines.append(SlipLine(memo, code, account_name(code), str(line.get("subledger") or ""),
                              amount(line.get("debit")) or Decimal("0.00"),
                              amount(line.get("credit")) or Decimal("0.00")))
    total = amount(voucher.get("total")) or Decimal("0.00")
    return Slip(str(voucher.get("number")), date.fromisoformat(str(voucher.get("voucher_date"))[:10]),
                str(voucher.get("summary", "")), int(voucher.get("attachments") or 0), voucher.get("reverses"),
                voucher.get("reversed_by"), tuple(lines), total, uppercase_amount(total),
                str(voucher.get("recorded_by") or ""))
