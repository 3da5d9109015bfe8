"""Builders for the import tests: roster rows, CSV and XLSX files, and a raw-body upload."""

from __future__ import annotations

import csv
import io

from tests.collective.helpers import identity_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEMBER_HEADER = ["成员编号 member_id", "姓名 name", "户号 household_id", "公民身份号码 identity_number",
                 "确认决议文号 resolution_reference", "决议日期 resolved_on", "成员总数 members_total",
                 "出席人数 present", "赞成票 in_favour"]


def member_row(member_id: str, sequence: int, household: str = "H1", *, name: str | None = None,
               identity: str | None = None, present: str = "3", total: str = "3") -> list[str]:
    return [member_id, name if name is not None else f"成员{member_id}", household,
            identity if identity is not None else identity_number(sequence), "成员大会决议〔2024〕1号", "2024-01-05",
            total, present, present]


def csv_bytes(header: list[str], rows: list[list[str]], bom: bool = True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def xlsx_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(api, book: str, kind: str, content: bytes, content_type: str = "text/csv", token: str = "accountant",
           headers: dict | None = None, **params):
    auth = {"Authorization": f"Bearer {api._token(token)}", "Content-Type": content_type, **(headers or {})}
    return api.client.post(f"/books/{book}/imports/{kind}", content=content, headers=auth, params=params)
