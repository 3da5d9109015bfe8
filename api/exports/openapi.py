"""The exports in the OpenAPI: every exportable operation gains ``format`` and the file media types.

The schema FastAPI derives is post-processed once (whatever ``app.openapi`` was before is
kept and extended), so a generated client knows which reads answer XLSX, PDF and CSV.
"""

from __future__ import annotations

from typing import Any

from api.exports.route import FORMATS

FORMAT_PARAMETER = {
    "name": "format", "in": "query", "required": False,
    "schema": {"type": "string", "enum": ["json", *FORMATS], "default": "json"},
    "description": "导出格式 Export format: json (default), xlsx (Excel, 中文表头、数值金额、合计、表头信息), "
                   "pdf (可打印签字；凭证为记账凭证), csv (UTF-8 BOM, for machines). "
                   "Also chosen by Accept: application/pdf, text/csv or the XLSX media type.",
}
FILE_SCHEMA = {"schema": {"type": "string", "format": "binary"}}


def add_formats(schema: dict[str, Any], paths: set[str]) -> dict[str, Any]:
    """In place and idempotent: ``format``, the file media types and the 406 on each exportable GET."""
    known = "Problem" in schema.get("components", {}).get("schemas", {})
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"} if known
                                            else {"type": "object"}}}
    for path in paths:
        operation = schema.get("paths", {}).get(path, {}).get("get")
        if operation is None:
            continue
        parameters = operation.setdefault("parameters", [])
        if not any(p.get("name") == "format" and p.get("in") == "query" for p in parameters):
            parameters.append(dict(FORMAT_PARAMETER))
        content = operation.setdefault("responses", {}).setdefault("200", {"description": "OK"}).setdefault(
            "content", {})
        for media in FORMATS.values():
            content.setdefault(media.split(";")[0], dict(FILE_SCHEMA))
        operation["responses"].setdefault("406", {"description": "不可导出 Not exportable", "content": problem})
        operation["responses"].setdefault("503", {"description": "PDF 字体缺失 PDF font missing / store unavailable",
                                                  "content": problem})
    return schema
