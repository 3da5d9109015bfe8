"""PDF (reportlab) an accountant prints and signs: statements as tables, vouchers as 记账凭证.

The CJK font is the system's WenQuanYi Zen Hei (Debian ``fonts-wqy-zenhei``, installed by
``make run`` / ``make test``), embedded (subset) in every file; ``ANJU_PDF_FONT`` names another
TrueType file. A missing font is a clear 503 problem, never a file with empty boxes.

* Statements: the title, the header block, the table with its header row repeated on every
  page, the totals row, single figures, the totals in 大写, and the signature line
  单位负责人 / 会计主管 / 制表; every page is numbered.
* Vouchers (记账凭证): one voucher per page (A5 landscape, the size of the printed form):
  date, number, attachments, lines (摘要, account code and name, sub-ledger, 借方/贷方),
  the total in figures and in 大写, and the signature line 会计主管 / 记账 / 审核 / 制单.
"""

from __future__ import annotations

import io
import os
from decimal import Decimal
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from api.errors import ApiProblem
from api.exports.document import Sheet, Slip, cell_text
from api.exports.tables import AMOUNT, NUMBER

MEDIA_TYPE = "application/pdf"
DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FONT = "AnjuCJK"
GRID = colors.HexColor("#555555")
SHADE = colors.HexColor("#E8E8E8")


def font_path() -> str:
    return os.environ.get("ANJU_PDF_FONT", DEFAULT_FONT)


@cache
def _register(path: str) -> str:
    pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=0))
    return FONT


def font() -> str:
    """The embedded CJK font's name, registered once; a missing file is a 503 naming it."""
    path = font_path()
    if not os.path.isfile(path):
        raise ApiProblem(503, "pdf-font-missing", "PDF font missing",
                         f"the CJK font {path} is not installed (Debian package fonts-wqy-zenhei; "
                         "or set ANJU_PDF_FONT to a TrueType file)")
    try:
        return _register(path)
    except Exception as error:  # a file reportlab cannot read as TrueType
        raise ApiProblem(503, "pdf-font-unreadable", "PDF font unreadable",
                         f"the font {path} cannot be embedded: {error}") from error


def _style(size: float, align: int | None = None, leading: float | None = None) -> ParagraphStyle:
    style = ParagraphStyle(f"anju-{size}-{align}", fontName=FONT, fontSize=size, leading=leading or size * 1.3,
                           wordWrap="CJK")
    if align is not None:
        style.alignment = align
    return style


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _text(value: object) -> str:
    return cell_text(value, _money)


def _header_table(header: list[tuple[str, str]], width: float, size: float = 7.5) -> Table:
    style = _style(size)
    rows = [[Paragraph(escape(label), style), Paragraph(escape(value), style)] for label, value in header]
    table = Table(rows, colWidths=[width * 0.3, width * 0.7])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                               ("TOPPADDING", (0, 0), (-1, -1), 1)]))
    return table


CELL_PADDING_PT = 7  # reportlab's default cell padding, both sides, plus a little air
MIN_COLUMN_PT = 26


def _natural_widths(sheet: Sheet, size: float) -> list[float]:
    """Each column's width for its widest cell on one line (amounts must never wrap);
    a header may wrap onto two lines, so it asks for half its length (at least its widest word)."""
    widths = []
    body = sheet.rows[:200] + ([sheet.totals] if sheet.totals is not None else [])
    for index, column in enumerate(sheet.columns):
        cells = max((pdfmetrics.stringWidth(_text(row[index]), FONT, size) for row in body), default=0.0)
        header = pdfmetrics.stringWidth(column.zh, FONT, size)
        words = max((pdfmetrics.stringWidth(w, FONT, size) for w in column.zh.split()), default=0.0)
        widths.append(max(cells, header / 2, min(words, header)) + CELL_PADDING_PT)
    return widths


def _column_widths(sheet: Sheet, width: float, size: float) -> list[float]:
    """Widths that keep figures on one line: spare room is shared by need; when the page is too
    narrow, text columns give way first (their cells wrap), then every column shrinks alike."""
    natural = [max(w, MIN_COLUMN_PT) for w in _natural_widths(sheet, size)]
    total = sum(natural)
    if total <= width:
        return [w * width / total for w in natural]
    numeric = [c.kind in (AMOUNT, NUMBER) for c in sheet.columns]
    fixed = sum(w for w, n in zip(natural, numeric) if n)
    flexible = total - fixed
    room = width - fixed
    if flexible > 0 and room >= MIN_COLUMN_PT * sum(not n for n in numeric):
        return [w if n else max(MIN_COLUMN_PT, w * room / flexible) for w, n in zip(natural, numeric)]
    return [w * width / total for w in natural]


def _table_font_size(sheet: Sheet) -> float:
    return 7 if len(sheet.columns) > 8 else 8


def render(sheet: Sheet) -> bytes:
    name = font()
    portrait_width = A4[0] - 24 * mm
    wide = len(sheet.columns) > 6 or sum(_natural_widths(sheet, _table_font_size(sheet))) > portrait_width
    pagesize = landscape(A4) if wide else A4
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=14 * mm, bottomMargin=14 * mm, title=f"{sheet.title_zh} {sheet.title_en}",
                            author="Anju 安居")
    width = doc.width
    story: list = [Paragraph(escape(sheet.title_zh), _style(16, TA_CENTER)),
                   Paragraph(escape(sheet.title_en), _style(9, TA_CENTER)), Spacer(1, 3 * mm),
                   _header_table(sheet.header, width), Spacer(1, 3 * mm)]
    story.append(_data_table(sheet, width))
    story.extend(_trailer(sheet, width))

    def page(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(name, 7)
        canvas.drawString(12 * mm, 7 * mm, f"{sheet.title_zh} {sheet.title_en}")
        canvas.drawRightString(pagesize[0] - 12 * mm, 7 * mm, f"第 {document.page} 页 page {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=page, onLaterPages=page)
    return buffer.getvalue()


def _data_table(sheet: Sheet, width: float) -> Table:
    size = _table_font_size(sheet)
    text, right, head = _style(size), _style(size, TA_RIGHT), _style(size, TA_CENTER)
    numeric = [c.kind in (AMOUNT, NUMBER) for c in sheet.columns]
    data = [[Paragraph(escape(c.zh), head) for c in sheet.columns]]
    body = sheet.rows + ([sheet.totals] if sheet.totals is not None else [])
    for row in body:
        data.append([Paragraph(escape(_text(v)), right if numeric[i] and not isinstance(v, str) else text)
                     for i, v in enumerate(row)])
    if len(data) == 1:
        data.append([Paragraph("（无记录 no rows）", text)] + [""] * (len(sheet.columns) - 1))
    table = Table(data, colWidths=_column_widths(sheet, width, size), repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.4, GRID), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    if sheet.totals is not None:
        style.append(("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), SHADE))
    table.setStyle(TableStyle(style))
    return table


def _trailer(sheet: Sheet, width: float) -> list:
    parts: list = [Spacer(1, 3 * mm)]
    style = _style(9)
    if sheet.next_cursor:
        parts.append(Paragraph(escape(f"续页 More rows: 本文件为一页，下一页 cursor={sheet.next_cursor}"), style))
    for label, value in sheet.figures:
        parts.append(Paragraph(escape(f"{label}：{value}"), style))
    for label, figure, words in sheet.uppercase:
        parts.append(Paragraph(escape(f"{label}：人民币（大写）{words}　（小写 ¥{_money(figure)}）"), _style(10)))
    parts.append(Spacer(1, 8 * mm))
    parts.append(KeepTogether([_signatures(("单位负责人", "会计主管", "制表"), width)]))
    return parts


def _signatures(roles: tuple[str, ...], width: float, filled: dict[str, str] | None = None) -> Table:
    filled = filled or {}
    style = _style(10)
    cells = [Paragraph(escape(f"{role}：{filled.get(role, '')}"), style) for role in roles]
    table = Table([cells], colWidths=[width / len(roles)] * len(roles))
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.white)]))
    return table


# --- 记账凭证 ----------------------------------------------------------------------------------
def render_slips(slips: list[Slip], header: list[tuple[str, str]], book_name: str) -> bytes:
    """One 记账凭证 per page."""
    font()
    pagesize = landscape(A5)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=10 * mm, rightMargin=10 * mm,
                            topMargin=8 * mm, bottomMargin=8 * mm, title="记账凭证 Vouchers", author="Anju 安居")
    story: list = []
    for index, voucher in enumerate(slips):
        if index:
            story.append(PageBreak())
        story.extend(_slip(voucher, header, book_name, doc.width))
    if not slips:
        story.append(Paragraph("（无凭证 no vouchers）", _style(10)))
        story.append(_header_table(header, doc.width, 6.5))
    doc.build(story)
    return buffer.getvalue()


def _slip(voucher: Slip, header: list[tuple[str, str]], book_name: str, width: float) -> list:
    red = voucher.total < 0 or bool(voucher.reverses)
    title = "记 账 凭 证" + ("（红字冲销）" if red else "")
    small, text, right = _style(8), _style(8.5), _style(8.5, TA_RIGHT)
    d = voucher.voucher_date
    meta = Table([[Paragraph(escape(f"核算单位：{book_name}"), small),
                   Paragraph(escape(f"{d.year} 年 {d.month:02d} 月 {d.day:02d} 日"), _style(9, TA_CENTER)),
                   Paragraph(escape(f"凭证号：{voucher.number}"), _style(8, TA_RIGHT))]],
                 colWidths=[width * 0.4, width * 0.25, width * 0.35])
    rows = [[Paragraph(h, _style(8.5, TA_CENTER)) for h in ("摘要", "科目编码", "会计科目", "明细科目", "借方金额", "贷方金额")]]
    for line in voucher.lines:
        rows.append([Paragraph(escape(line.summary), text), Paragraph(escape(line.account_code), text),
                     Paragraph(escape(line.account_name), text), Paragraph(escape(line.subledger), text),
                     Paragraph(_money(line.debit) if line.debit else "", right),
                     Paragraph(_money(line.credit) if line.credit else "", right)])
    debit_total = sum((line.debit for line in voucher.lines), Decimal("0.00"))
    credit_total = sum((line.credit for line in voucher.lines), Decimal("0.00"))
    rows.append([Paragraph(escape(f"合计：人民币（大写）{voucher.total_uppercase}"), text), "", "", "",
                 Paragraph(_money(debit_total), right), Paragraph(_money(credit_total), right)])
    last = len(rows) - 1
    table = Table(rows, colWidths=[width * f for f in (0.27, 0.1, 0.2, 0.13, 0.15, 0.15)], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                               ("SPAN", (0, last), (3, last)), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    notes = [f"附件 {voucher.attachments} 张"]
    if voucher.reverses:
        notes.append(f"冲销凭证 {voucher.reverses}")
    if voucher.reversed_by:
        notes.append(f"已被 {voucher.reversed_by} 冲销")
    return [Paragraph(title, _style(15, TA_CENTER)), Spacer(1, 2 * mm), meta, Spacer(1, 1.5 * mm), table,
            Paragraph(escape("　".join(notes)), _style(8.5, TA_RIGHT)), Spacer(1, 4 * mm),
            _signatures(("会计主管", "记账", "审核", "制单"), width, {"制单": voucher.recorded_by}),
            Spacer(1, 3 * mm), _header_table(header, width, 6.5)]
