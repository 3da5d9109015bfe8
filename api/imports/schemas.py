"""Wire types of imports: the kinds and their columns, and an import's outcome."""

from __future__ import annotations

from pydantic import Field

from api.schemas import Out, Row


class ColumnOut(Row):
    key: str = Field(description="列键 Column key (English)")
    label_zh: str = Field(description="列名 Chinese label")
    header: str = Field(description="模板表头 The template's header cell: label and key")
    required: bool
    example: str
    note: str


class KindOut(Row):
    kind: str
    title_zh: str
    title_en: str
    capability: str
    columns: list[ColumnOut]
    templates: list[str] = Field(description="模板下载 Template paths (XLSX, CSV)")


class KindListOut(Out):
    kinds: list[KindOut]
    max_rows: int = Field(description="每次导入最多行数 Most data rows an import takes")
    max_file_bytes: int = Field(description="文件大小上限 Largest file in bytes")


class ImportOut(Out):
    book_code: str
    kind: str
    file_name: str
    sha256: str = Field(description="文件摘要 SHA-256 of the file's bytes (the same file again records nothing)")
    rows: int = Field(description="数据行数 Data rows in the file")
    applied: int = Field(description="已导入 Rows recorded now")
    skipped: int = Field(description="已存在且相同 Rows already recorded with the same content")
    already_imported: bool = Field(description="该文件已导入过 The same file was applied before: nothing new")
