"""XLSX (openpyxl): the header block, Chinese column headers, numeric amounts, totals, 大写.

Amounts are numeric cells holding the exact two-decimal ``Decimal`` (openpyxl writes it
as the number it is, never through a float) with the number format ``#,##0.00``; dates are
date cells; the totals row is bold under a rule; 大写 totals and single figures follow.
"""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from api.exports.document import Sheet
from api.exports.tables import AMOUNT, DATE

AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
RULE = Border(top=Side(style="thin"), bottom=Side(style="thin"))


def _clean(values: list) -> list:
    """Text without the control characters XLSX cannot hold (a path may carry one; the JSON kept it)."""
    return [ILLEGAL_CHARACTERS_RE.sub("\ufffd", v) if isinstance(v, str) else v for v in values]


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "export"


def _width(value: object) -> int:
    text = f"{value:,.2f}" if isinstance(value, Decimal) else str(value or "")
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def render(sheet: Sheet) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(sheet.title_zh)
    wb.properties.title = f"{sheet.title_zh} {sheet.title_en}"
    width = max(len(sheet.columns), 2)
    append(ws, [f"{sheet.title_zh} {sheet.title_en}"])
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    for label, value in sheet.header:
        append(ws, [label, value])
        ws.cell(ws.max_row, 1).font = BOLD
    append(ws, [])
    header_row = ws.max_row + 1
    append(ws, [c.zh for c in sheet.columns])
    for index in range(1, len(sheet.columns) + 1):
        header = ws.cell(header_row, index)
        header.font, header.fill, header.border = BOLD, HEADER_FILL, RULE
        header.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in sheet.rows:
        append(ws, row)
        _format_row(ws, ws.max_row, sheet)
    if sheet.rows:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(sheet.columns))}{ws.max_row}"
    if sheet.totals is not None:
        append(ws, sheet.totals)
        _format_row(ws, ws.max_row, sheet)
        for index in range(1, len(sheet.columns) + 1):
            ws.cell(ws.max_row, index).font = BOLD
            ws.cell(ws.max_row, index).border = RULE
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    _trailer(ws, sheet)
    _widths(ws, sheet, header_row)
    return _bytes(wb)


def append(ws, values: list) -> None:
    ws.append(_clean(list(values)))


def _format_row(ws, row: int, sheet: Sheet) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        target = ws.cell(row, index)
        if column.kind == AMOUNT and isinstance(target.value, (Decimal, int)):
            target.number_format = AMOUNT_FORMAT
        elif column.kind == DATE and isinstance(target.value, date):
            target.number_format = DATE_FORMAT


def _trailer(ws, sheet: Sheet) -> None:
    if sheet.next_cursor:
        append(ws, [])
        append(ws, ["续页 More rows", f"本文件为一页；下一页 cursor={sheet.next_cursor} (one page; next cursor)"])
    if sheet.figures or sheet.uppercase:
        append(ws, [])
    for label, value in sheet.figures:
        append(ws, [label, value])
        ws.cell(ws.max_row, 1).font = BOLD
    for label, figure, words in sheet.uppercase:
        append(ws, [f"{label}（大写）", words, figure])
        ws.cell(ws.max_row, 1).font = BOLD
        ws.cell(ws.max_row, 3).number_format = AMOUNT_FORMAT


def _widths(ws, sheet: Sheet, header_row: int) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        values = [column.zh] + [r[index - 1] for r in sheet.rows[:200]]
        ws.column_dimensions[get_column_letter(index)].width = min(max(_width(v) for v in values) + 2, 48)
    first = ws.column_dimensions["A"]
    first.width = max(first.width or 0, min(max((_width(label) for label, _ in sheet.header), default=8) + 2, 36))


def _bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

