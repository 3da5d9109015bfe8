"""CSV for machines: UTF-8 with a BOM (so Excel opens it as UTF-8), one header row, the rows.

Amounts are written as ``1234.50`` (two decimals, no grouping), dates as ISO dates. The
header block, totals and 大写 lines are left out: a machine would read them as data rows.
"""

from __future__ import annotations

import csv
import io

from api.exports.document import Sheet, cell_text

MEDIA_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"


def render(sheet: Sheet) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.zh for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([cell_text(v) for v in row])
    return buffer.getvalue().encode("utf-8")
