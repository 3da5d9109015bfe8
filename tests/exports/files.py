"""Reading export files back: openpyxl for XLSX, poppler for PDF (text and a rendered page), csv."""

from __future__ import annotations

import csv
import io
import subprocess
import tempfile
from pathlib import Path

from openpyxl import load_workbook
from PIL import Image

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_rows(content: bytes) -> tuple[object, list[list]]:
    """The first sheet and its rows of cell objects (values and number formats)."""
    sheet = load_workbook(io.BytesIO(content)).active
    return sheet, [list(row) for row in sheet.iter_rows()]


def header_block(rows: list[list]) -> dict[str, object]:
    """Label → value of the two-cell lines above the table."""
    block = {}
    for row in rows[1:]:
        if row[0].value is None:
            break
        block[str(row[0].value)] = row[1].value
    return block


def table(rows: list[list], first_header: str) -> tuple[list[str], list[list]]:
    """The column headers (the row starting with ``first_header``) and the cells under them."""
    start = next(i for i, row in enumerate(rows) if row[0].value == first_header)
    headers = [c.value for c in rows[start] if c.value is not None]
    body = []
    for row in rows[start + 1:]:
        if all(c.value is None for c in row):
            break
        body.append(row[:len(headers)])
    return headers, body


def pdf_text(content: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.pdf"
        path.write_bytes(content)
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                              text=True).stdout


def pdf_pages(content: bytes) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.pdf"
        path.write_bytes(content)
        info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def first_page_png(content: bytes) -> Image.Image:
    """Page 1 rendered by pdftoppm (60 dpi), opened as an image."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.pdf"
        path.write_bytes(content)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path),
                        str(Path(folder) / "page")], check=True, capture_output=True)
        png = (Path(folder) / "page.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def ink_fraction(image: Image.Image) -> float:
    """The share of pixels that are not white: 0 is a blank page."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return 1 - sum(histogram[250:]) / (grey.width * grey.height)


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), content[:10]
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
