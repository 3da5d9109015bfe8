"""One import: a file read and checked row by row, then applied as one command (all rows or none).

* Every row is turned into the single-record endpoint's request and checked by its schema; the rows
  that pass are recorded one by one by the capability's use case, each inside a savepoint, so a row
  that breaks a rule is named with its rule and the next rows are still checked (against the state
  the earlier rows leave, so a duplicate inside the file is found too).
* Any error → the whole command raises ``ImportRejected`` with every error; the writer then rolls the
  command back: nothing is written.
* Idempotent: a file already applied to the book (same kind, same SHA-256) answers what it did and
  records nothing; a row whose natural key is recorded with the same content is skipped, with other
  content it is an error (``import-row-differs``). A file whose rows are all skipped records nothing.
* The applied file is recorded on the book (``Book.FileImported``: kind, digest, rows) with the
  audit stamp of the request (who, role, why, Idempotency-Key), as every row's events are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, ValidationError

from api.imports.files import Sheet, cell_is_storable, read_sheet
from api.imports.kinds import KINDS, OPENING_BALANCES, Context, Kind
from ledger import bookkeeping
from ledger.audit import Audit
from ledger.book import check_opening_balances_unlocked
from ledger.journal import JournalLine, check_line_has_one_positive_side
from ledger.money import ZERO, parse_amount
from ledger.writer import UnitOfWork

MAX_ERRORS_LISTED = 20_000
Progress = Callable[[int, int], None]


class UnknownImportKind(LookupError):
    type_slug = "unknown-import-kind"


def kind_named(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownImportKind(f"no import kind {name!r}; kinds: {', '.join(KINDS)}") from None


@dataclass(frozen=True)
class RowError:
    row: int | None  # the spreadsheet's row number (the header is row 1); None: the file as a whole
    column: str | None
    rule: str
    message: str

    def json(self) -> dict[str, Any]:
        where = ["file", str(self.row) if self.row is not None else "*", self.column or "*"]
        return {"row": self.row, "column": self.column, "rule": self.rule, "message": self.message,
                "loc": where, "msg": self.message, "type": self.rule}


class ImportRejected(ValueError):
    """The file has errors: every one is listed, nothing is written."""

    type_slug = "import-rows-invalid"

    def __init__(self, kind: str, errors: list[RowError]) -> None:
        self.kind = kind
        self.errors = errors
        rows = len({e.row for e in errors})
        super().__init__(f"the {kind} file was not imported: {len(errors)} error(s) in {rows} row(s); nothing was"
                         " recorded")


@dataclass
class Plan:
    kind: Kind
    file_name: str
    sha256: str
    rows: list[tuple[int, BaseModel]]
    errors: list[RowError] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.rows) + len({e.row for e in self.errors})


@dataclass(frozen=True)
class ImportOutcome:
    kind: str
    book_code: str
    file_name: str
    sha256: str
    rows: int
    applied: int
    skipped: int
    already_imported: bool


# --- reading and checking the rows ---------------------------------------------------------------
def prepare(kind: Kind, body: bytes, content_type: str | None, file_name: str,
            progress: Progress | None = None) -> Plan:
    """The file's rows checked by the kind's request schema (no state is read)."""
    sheet: Sheet = read_sheet(body, content_type, kind.columns)
    plan = Plan(kind, file_name, hashlib.sha256(body).hexdigest(), [])
    total = len(sheet.rows)
    for index, (number, cells) in enumerate(sheet.rows, start=1):
        bad_text = [key for key, text in cells.items() if not cell_is_storable(text)]
        if bad_text:
            plan.errors.extend(RowError(number, key, "invalid-text", "the cell holds a NUL character or an unpaired"
                                        " surrogate, which the store cannot keep") for key in bad_text)
        else:
            try:
                plan.rows.append((number, kind.schema.model_validate(kind.to_request(cells))))
            except ValidationError as error:
                plan.errors.extend(_schema_errors(kind, number, error))
        if progress is not None and (index % 200 == 0 or index == total):
            progress(index, total)
    return plan


def _schema_errors(kind: Kind, number: int, error: ValidationError) -> list[RowError]:
    found = []
    for item in error.errors():
        loc = tuple(str(part) for part in item.get("loc", ()))
        column = kind.loc_columns.get(loc[:2]) or (loc[0] if loc else None)
        found.append(RowError(number, column, str(item.get("type", "invalid-request")), str(item.get("msg", ""))))
    return found


def _row_error(kind: Kind, number: int | None, error: BaseException, default_column: str | None) -> RowError:
    """A rule broken by a row: its slug and message; the column the message names, else the row's key column."""
    message = str(error).strip("'\"")
    slug = getattr(error, "type_slug", "invalid-input")
    column = (kind.rule_columns.get(slug) or _column_named(kind, slug.replace("-", " "))
              or _column_named(kind, message.lower()) or default_column)
    return RowError(number, column, slug, message)


def _column_named(kind: Kind, text: str) -> str | None:
    """The column a rule's slug or message names: its key, or the key without its unit (floor_area_m2 → floor area)."""
    for column in kind.columns:
        stem = column.key
        for suffix in ("_m2", "_code", "_id", "_on", "_number", "_percent"):
            stem = stem.removesuffix(suffix)
        if column.key in text or column.key.replace("_", " ") in text or stem.replace("_", " ") in text:
            return column.key
    return None


# --- applying the rows (inside the writer: one command) ---------------------------------------------
def import_command(plan: Plan, ctx: Context, progress: Progress | None = None) -> Callable[[UnitOfWork, Audit], Any]:
    kind = plan.kind

    def command(uow: UnitOfWork, audit: Audit) -> ImportOutcome:
        kind.authorise(uow, ctx)  # the caller may write to this book: before anything else
        book = bookkeeping.get_book(uow, ctx.book_code)
        if book.has_imported(kind.name, plan.sha256):
            return _outcome(plan, ctx, book.imports[f"{kind.name}:{plan.sha256}"], 0, 0, already=True)
        if kind is OPENING_BALANCES:
            applied, skipped, errors = _apply_opening(uow, audit, plan, ctx)
        else:
            applied, skipped, errors = _apply_rows(uow, audit, plan, ctx, progress)
        if errors:
            raise ImportRejected(kind.name, errors[:MAX_ERRORS_LISTED])
        if applied:
            book = bookkeeping.get_book(uow, ctx.book_code)  # got again: a savepoint may have rebuilt it
            book.record_import(audit, kind.name, plan.sha256, plan.file_name, len(plan.rows), applied, skipped)
        return _outcome(plan, ctx, len(plan.rows), applied, skipped, already=False)

    return command


def _outcome(plan: Plan, ctx: Context, rows: int, applied: int, skipped: int, already: bool) -> ImportOutcome:
    return ImportOutcome(plan.kind.name, ctx.book_code, plan.file_name, plan.sha256, rows, applied, skipped, already)


#: Rows recorded under one savepoint. A savepoint costs in proportion to what the command has touched so far,
#: so one per row would make a large file quadratic (a 5,000-member roster took 17 s instead of 4).
ROWS_PER_SAVEPOINT = 200


class _RowFailed(Exception):
    def __init__(self, index: int, error: BaseException) -> None:
        self.index = index
        self.error = error


def _apply_rows(uow: UnitOfWork, audit: Audit, plan: Plan, ctx: Context,
                progress: Progress | None) -> tuple[int, int, list[RowError]]:
    """First every row's natural key against the file and the record, then the new rows through the use case.

    The new rows go in chunks, each under one savepoint. When a row breaks a rule, its chunk is undone, the
    rows before it are recorded again (they passed on that same state) and the checking goes on after it:
    every row is checked against the state the rows before it leave, exactly as one savepoint per row would.
    """
    kind = plan.kind
    errors = list(plan.errors)
    seen: dict[str, int] = {}
    skipped = 0
    new: list[tuple[int, BaseModel]] = []
    for number, row in plan.rows:
        key = kind.key_of(row)
        if key in seen:
            errors.append(RowError(number, kind.key_column, "import-duplicate-row",
                                   f"{kind.key_column} {key} is also in row {seen[key]}"))
            continue
        seen[key] = number
        try:
            compared = kind.compare(uow, ctx, row)
        except (ValueError, LookupError) as error:
            errors.append(_row_error(kind, number, error, kind.key_column))
            continue
        if compared is None:
            new.append((number, row))
        elif compared[0] == compared[1]:
            skipped += 1
        else:
            errors.append(RowError(number, kind.key_column, "import-row-differs",
                                   f"{kind.key_column} {key} is already recorded with other details (recorded"
                                   f" {_shown(compared[0])}, file {_shown(compared[1])}); correct it by its own"
                                   " endpoint, not by an import"))
    applied = 0
    start = 0
    while start < len(new):
        chunk = new[start:start + ROWS_PER_SAVEPOINT]
        try:
            _record(uow, audit, kind, ctx, chunk)
        except _RowFailed as failed:
            number = chunk[failed.index][0]
            errors.append(_row_error(kind, number, failed.error, kind.key_column))
            if failed.index:
                try:
                    _record(uow, audit, kind, ctx, chunk[:failed.index])  # passed before on this very state
                except _RowFailed as again:  # cannot happen with deterministic use cases; never a 500
                    errors.append(_row_error(kind, chunk[again.index][0], again.error, kind.key_column))
            applied += failed.index
            start += failed.index + 1
        else:
            applied += len(chunk)
            start += len(chunk)
        if progress is not None:
            progress(min(start, len(new)), len(new))
    return applied, skipped, sorted(errors, key=lambda e: (e.row or 0))


def _record(uow: UnitOfWork, audit: Audit, kind: Kind, ctx: Context, rows: list[tuple[int, BaseModel]]) -> None:
    with uow.savepoint():
        for index, (number, row) in enumerate(rows):
            stamp = replace(audit, reason=f"{audit.reason}（第{number}行）"[:200])
            try:
                kind.apply(uow, stamp, ctx, row)
            except (ValueError, LookupError) as error:
                raise _RowFailed(index, error) from error


def _shown(values: tuple) -> str:
    return " / ".join("" if v is None else str(v) for v in values)


def _apply_opening(uow: UnitOfWork, audit: Audit, plan: Plan, ctx: Context) -> tuple[int, int, list[RowError]]:
    """The whole file is the book's one opening entry: each line checked where it stands, then the entry."""
    book = bookkeeping.get_book(uow, ctx.book_code)
    check_opening_balances_unlocked(book, bookkeeping.first_month_closed_once(uow, book))  # 409 before the rows
    errors = list(plan.errors)
    chart = book.chart
    lines: list[JournalLine] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in plan.rows:
        try:
            line = JournalLine(row.account_code, parse_amount(row.debit) if row.debit is not None else ZERO,
                               parse_amount(row.credit) if row.credit is not None else ZERO, row.subledger, row.memo)
            check_line_has_one_positive_side(line)
            chart.check_postable(line.account_code)
        except (ValueError, LookupError) as error:
            column = "account_code" if "account" in getattr(error, "type_slug", "") else None
            errors.append(_row_error(plan.kind, number, error, column or "debit"))
            continue
        key = (line.account_code, line.subledger)
        if key in seen:
            errors.append(RowError(number, "account_code", "import-duplicate-row",
                                   f"account {key[0]} sub-ledger {key[1] or '-'} is also in row {seen[key]}"))
            continue
        seen[key] = number
        lines.append(line)
    if errors:
        return 0, 0, errors
    try:
        _, changed = bookkeeping.enter_opening_balances(uow, audit, ctx.book_code, tuple(lines))
    except (ValueError, LookupError) as error:
        return 0, 0, [_row_error(plan.kind, None, error, "debit")]
    return (len(lines), 0, []) if changed else (0, len(lines), [])
