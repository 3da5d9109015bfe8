"""Import files (导入文件): XLSX or CSV in, rows of text out; templates out.

A file is a header row then data rows. A header cell names a column by its English key
(``member_id``), its Chinese label (``成员编号``) or both, as the templates write them
(``成员编号 member_id``). Every cell arrives as text, as a form would send it: the rows are
then checked by the capability's own request schema (``api/<cap>/schemas.py``).

Bounds (TIGER_STYLE: a limit on everything): the body limit of the API (4 MiB) and
``MAX_ROWS`` data rows; columns beyond the template's are refused, not ignored.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from api.limits import MAX_BODY_BYTES, storable_text

MAX_FILE_BYTES = MAX_BODY_BYTES
#: The capabilities' own batch bound (5,000 members or households a request). One import is one command of
#: the writer and must finish within a write's 30 s: 5,000 members took 4.2 s on SQLite and 16.9 s on
#: PostgreSQL on the shared 2-core machine under load; 10,000 took 11.6 s and over 30 s.
MAX_ROWS = 5_000
MAX_CELL_CHARS = 1_000
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv"
XLSX_MAGIC = b"PK\x03\x04"


class ImportFileRefused(ValueError):
    """A file that is not an import of this kind: not XLSX/CSV, empty, too large, wrong header."""

    type_slug = "import-file-invalid"

    def __init__(self, slug: str, message: str) -> None:
        super().__init__(message)
        self.type_slug = slug


@dataclass(frozen=True)
class Column:
    key: str
    label_zh: str
    required: bool = True
    example: str = ""
    note: str = ""

    @property
    def header(self) -> str:
        return f"{self.label_zh} {self.key}"


@dataclass(frozen=True)
class Sheet:
    """The data rows of a file: (row number as a spreadsheet shows it, {column key: text})."""

    rows: list[tuple[int, dict[str, str]]]


def file_format(body: bytes, content_type: str | None) -> str:
    """``xlsx`` or ``csv``, from the bytes (a zip is XLSX) and the declared type."""
    if not body:
        raise ImportFileRefused("import-file-empty", "the file is empty")
    if len(body) > MAX_FILE_BYTES:
        raise ImportFileRefused("import-file-too-large", f"files take at most {MAX_FILE_BYTES} bytes")
    media = (content_type or "").split(";")[0].strip().lower()
    if body.startswith(XLSX_MAGIC):
        return "xlsx"
    if media == XLSX_MEDIA_TYPE:
        raise ImportFileRefused("import-file-not-xlsx", "the body is declared XLSX but is not an XLSX workbook")
    if media not in ("", CSV_MEDIA_TYPE, "text/plain", "application/csv", "application/octet-stream"):
        raise ImportFileRefused("import-file-unsupported-type",
                                f"send {XLSX_MEDIA_TYPE} or {CSV_MEDIA_TYPE}, not {media}")
    return "csv"


def read_sheet(body: bytes, content_type: str | None, columns: tuple[Column, ...]) -> Sheet:
    """The file's data rows, keyed by column; the header must name known columns, each once, all required ones."""
    kind = file_format(body, content_type)
    raw = _xlsx_rows(body) if kind == "xlsx" else _csv_rows(body)
    header_number, header = next(((n, cells) for n, cells in raw if any(c.strip() for c in cells)), (0, None))
    if header is None:
        raise ImportFileRefused("import-file-empty", "the file has no header row")
    keys = _header_keys(header, columns)
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in raw:
        if number <= header_number or not any(c.strip() for c in cells):
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileRefused("import-too-many-rows", f"an import takes at most {MAX_ROWS} rows")
        extra = [c for c in cells[len(keys):] if c.strip()]
        if extra:
            raise ImportFileRefused("import-wrong-template",
                                    f"row {number} has values beyond the template's {len(keys)} columns")
        rows.append((number, {key: cells[i].strip() if i < len(cells) else "" for i, key in enumerate(keys)
                              if key is not None}))
    if not rows:
        raise ImportFileRefused("import-file-empty", "the file has a header but no data rows")
    return Sheet(rows)


def _header_keys(header: list[str], columns: tuple[Column, ...]) -> list[str | None]:
    by_name: dict[str, str] = {}
    for column in columns:
        for name in (column.key, column.label_zh, column.header, f"{column.label_zh}（{column.key}）",
                     f"{column.label_zh}({column.key})"):
            by_name[name.lower()] = column.key
    keys: list[str | None] = []
    for index, cell in enumerate(header):
        name = " ".join(cell.split()).lower()
        if not name:
            keys.append(None)
            continue
        key = by_name.get(name)
        if key is None:
            raise ImportFileRefused("import-wrong-template", f"column {index + 1} header {cell!r} is not a column of"
                                    f" this template (expected: {', '.join(c.key for c in columns)})")
        if key in keys:
            raise ImportFileRefused("import-wrong-template", f"column {key} appears twice in the header")
        keys.append(key)
    missing = [c.key for c in columns if c.required and c.key not in keys]
    if missing:
        raise ImportFileRefused("import-wrong-template", f"the header lacks the required columns: {', '.join(missing)}")
    while keys and keys[-1] is None:
        keys.pop()
    return keys


def _csv_rows(body: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = body.decode("utf-8-sig")  # Excel writes a BOM; it is accepted and dropped
    except UnicodeDecodeError:
        raise ImportFileRefused("import-file-not-utf8", "CSV files are UTF-8 (with or without BOM)") from None
    try:
        return [(n, [_cell(c) for c in cells]) for n, cells in enumerate(csv.reader(io.StringIO(text)), start=1)]
    except csv.Error as error:
        raise ImportFileRefused("import-file-not-csv", f"the CSV cannot be read: {error}") from None


def _xlsx_rows(body: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise ImportFileRefused("import-file-not-xlsx", f"the workbook cannot be read: {type(error).__name__}") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileRefused("import-file-empty", "the workbook has no sheet")
        rows: list[tuple[int, list[str]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=64), start=1):
            cells = [_cell(v) for v in values]
            if any(cells):
                if len(rows) > MAX_ROWS + 1:
                    raise ImportFileRefused("import-too-many-rows", f"an import takes at most {MAX_ROWS} rows")
                rows.append((number, cells))
        return rows
    finally:
        workbook.close()


def _cell(value: object) -> str:
    """A cell as the text a person typed: numbers without float noise, dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel keeps 15 significant digits; repr gives the shortest text that reads back the same.
        text = format(Decimal(repr(value)), "f")
        return text[:-2] if text.endswith(".0") else text
    text = str(value)
    if len(text) > MAX_CELL_CHARS:
        return text[:MAX_CELL_CHARS + 1]  # kept over the limit, so the schema names the cell
    return text


def cell_is_storable(text: str) -> bool:
    return storable_text(text)


# --- templates --------------------------------------------------------------------------
def template_csv(columns: tuple[Column, ...], example: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    if example:
        writer.writerow([c.example for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(title: str, columns: tuple[Column, ...], example: bool) -> bytes:
    """A workbook whose cells are text (so identity numbers and codes keep every digit)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    if example:
        sheet.append([c.example for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(12, len(column.header) + 4)
        for row in range(2, 1002):
            sheet.cell(row=row, column=index).number_format = "@"
    notes = workbook.create_sheet("说明 notes")
    notes.append(["列 column", "必填 required", "说明 note"])
    for column in columns:
        notes.append([column.header, "是 yes" if column.required else "否 no", column.note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
