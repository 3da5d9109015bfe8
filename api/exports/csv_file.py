"""CSV for machines: UTF-8 with a BOM (so Excel opens it as UTF-8), one header row, the rows.

Amounts are written as ``1234.50`` (two decimals, no grouping), dates as ISO dates. The
header block, totals and 大写 lines are left out: a machine would read them as data rows.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from api.exports.document import Sheet

MEDIA_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def render(sheet: Sheet) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.zh for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_text(v) for v in row])
    return buffer.getvalue().encode("utf-8")
