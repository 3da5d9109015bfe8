"""Bulk imports (批量导入) from XLSX or CSV, and their templates.

``POST /books/{book_code}/imports/{kind}`` takes the file as the raw request body
(``Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`` or
``text/csv``; UTF-8, a BOM accepted). One place for every kind: the book names the organisation
(members), the community's collective book (households, shop-fronts, tenants) or the fund
(fund units; a fund's code is its book's code).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from api.auth import ACCOUNTANT, Who, require_role, require_write, runtime_of
from api.errors import problem, register_conflict
from api.http import read, write
from api.imports import schemas as out
from api.imports.files import CSV_MEDIA_TYPE, MAX_FILE_BYTES, MAX_ROWS, XLSX_MEDIA_TYPE, template_csv, template_xlsx
from api.imports.kinds import KINDS, Context, Kind
from api.imports.service import ImportOutcome, ImportRejected, import_command, kind_named, prepare
from ledger.book import OpeningBalancesLocked
from projections.ledger_reports import book_info

router = APIRouter(tags=["imports 批量导入"])
KIND_PATTERN = r"^[a-z][a-z-]{1,30}$"
TEMPLATE_PATTERN = r"^[a-z][a-z-]{1,30}\.(xlsx|csv|json)$"
FileName = Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00-\x1f/\\]{1,200}$",
                                       description="文件名 The file's name, for the import record")]
Reason = Annotated[str | None, Query(min_length=1, max_length=200, description="原因 Why (default: 导入<kind> <file>)")]

register_conflict(OpeningBalancesLocked)
FILE_BODY = {"requestBody": {"required": True, "description": "导入文件 The file: XLSX, or CSV in UTF-8 (BOM accepted)",
                             "content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
                                         CSV_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}}}


def kind_json(kind: Kind) -> dict[str, Any]:
    return {"kind": kind.name, "title_zh": kind.title_zh, "title_en": kind.title_en, "capability": kind.capability,
            "columns": [{"key": c.key, "label_zh": c.label_zh, "header": c.header, "required": c.required,
                         "example": c.example, "note": c.note} for c in kind.columns],
            "templates": [f"/imports/templates/{kind.name}.xlsx", f"/imports/templates/{kind.name}.csv"]}


@router.get("/imports/kinds", summary="导入种类 Import kinds and their columns", response_model=out.KindListOut)
def list_kinds(request: Request, who: Who):
    """可导入的种类、各列（中文表头与英文键）及上限。The kinds of import, their columns and the bounds."""
    with read(request) as (_, position):
        pass
    return {"kinds": [kind_json(k) for k in KINDS.values()], "max_rows": MAX_ROWS, "max_file_bytes": MAX_FILE_BYTES,
            "log_position": position}


#: A file answer's schema in the OpenAPI: bytes (a generated client saves them).
BINARY_FILE = {"schema": {"type": "string", "format": "binary"}}


@router.get("/imports/templates/{template}", summary="下载导入模板 Download a template",
            response_class=Response,
            responses={200: {"description": "模板 The template: XLSX, CSV with BOM, or its columns as JSON (.json)",
                             "model": out.KindOut,
                             "content": {XLSX_MEDIA_TYPE: BINARY_FILE, CSV_MEDIA_TYPE: BINARY_FILE}}})
def get_template(template: Annotated[str, Path(pattern=TEMPLATE_PATTERN)], who: Who,
                 example: Annotated[bool, Query(description="含示例行 With one example row")] = True):
    """导入模板：第一行为表头（中文名与英文键），可含一行示例（导入前删除或改写）。
    A template: the header row (Chinese label and English key), optionally one example row (replace it)."""
    name, _, fmt = template.rpartition(".")
    kind = kind_named(name)
    if fmt == "json":  # the same template for a machine: its columns, as GET /imports/kinds lists them
        return JSONResponse(out.KindOut.model_validate(kind_json(kind)).model_dump(mode="json"))
    if fmt == "xlsx":
        content, media = template_xlsx(kind.title_zh, kind.columns, example), XLSX_MEDIA_TYPE
    else:
        content, media = template_csv(kind.columns, example), CSV_MEDIA_TYPE + "; charset=utf-8"
    return Response(content, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="anju-{kind.name}.{fmt}"'})


def outcome_json(outcome: ImportOutcome) -> dict[str, Any]:
    return {"book_code": outcome.book_code, "kind": outcome.kind, "file_name": outcome.file_name,
            "sha256": outcome.sha256, "rows": outcome.rows, "applied": outcome.applied, "skipped": outcome.skipped,
            "already_imported": outcome.already_imported}


@router.post("/books/{book_code}/imports/{kind}", status_code=201, summary="批量导入 Import a file",
             response_model=out.ImportOut, openapi_extra=FILE_BODY)
async def import_file(book_code: str, kind: Annotated[str, Path(pattern=KIND_PATTERN)], request: Request, who: Who,
                      file_name: FileName = None, reason: Reason = None):
    """导入成员、住户、门面、承租人、维修资金分户或期初余额：逐行按单条登记的同一规则校验；有错则整份拒绝并列出每个
    出错的行与列，不写入任何记录；无错则一次全部写入（原子）。同一文件再次导入不产生新记录。
    Import members, households, shop-fronts, tenants, fund units or opening balances. Every row is checked by
    the rules of the single-record endpoint; a file with errors is refused whole (422 ``import-rows-invalid``
    listing every row and column in ``errors``) and nothing is recorded; a good file is recorded at once, all
    rows or none. The same file again (same SHA-256), or rows already recorded with the same content, record
    nothing (200). At most 5,000 rows and 4 MiB."""
    require_role(who, ACCOUNTANT)
    with read(request) as (tx, _):  # a book outside the caller's scope: 403 before the file is read
        info = book_info(tx, book_code)
    if info is not None:
        require_write(who, info.community_id, info.township_id)
    import_kind = kind_named(kind)
    body = await request.body()
    name = file_name or f"{kind}.{'xlsx' if body.startswith(b'PK') else 'csv'}"
    plan = prepare(import_kind, body, request.headers.get("content-type"), name)
    ctx = Context(book_code, who, runtime_of(request).identity_key)
    why = reason or f"导入{import_kind.title_zh} {name}"
    try:
        return await write(request, who, why, import_command(plan, ctx),
                           lambda o: (201 if o.applied else 200, outcome_json(o)), out.ImportOut)
    except ImportRejected as rejected:
        return problem(422, rejected.type_slug, "Import rows invalid", str(rejected),
                       errors=[e.json() for e in rejected.errors])
