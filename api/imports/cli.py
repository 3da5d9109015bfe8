"""``anju import KIND FILE --book B``: the same import as the HTTP endpoint, run on the server, with a progress bar.

Who the import is recorded as: the command runs where the store is (whoever can run it can already reach
the store), so, like ``anju demo``, it acts as a named local operator: ``cli:<name>`` (``--as``, default the
login name) in the accountant role, and that name stands in every event's audit stamp. With ``--token`` it
acts as that token's holder instead, with the token's role and scope checked exactly as over HTTP.
"""

from __future__ import annotations

import getpass
import re
from pathlib import Path

import typer

OPERATOR_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]{1,40}$")
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def run_import(kind: str, file: Path, book: str, token: str | None, operator: str | None, reason: str | None) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from api.errors import ApiProblem
    from api.imports.files import MAX_FILE_BYTES
    from api.imports.kinds import Context
    from api.imports.service import ImportRejected, import_command, kind_named, prepare
    from api.runtime import Principal, Runtime
    from ledger.access import Scope

    console = Console(stderr=True)
    try:
        import_kind = kind_named(kind)
    except LookupError as error:
        console.print(f"anju import: {error}")
        raise typer.Exit(2) from None
    if not file.is_file():
        console.print(f"anju import: no file {file}")
        raise typer.Exit(2)
    if file.stat().st_size > MAX_FILE_BYTES:
        console.print(f"anju import: {file} is over {MAX_FILE_BYTES} bytes (import-file-too-large)")
        raise typer.Exit(1)
    body = file.read_bytes()
    runtime = Runtime.from_env()
    try:
        if token:
            who = runtime.principal_for(token)
            if who is None:
                console.print("anju import: unknown or revoked token")
                raise typer.Exit(2)
        else:
            name = operator or getpass.getuser()
            if not OPERATOR_PATTERN.match(name):
                console.print(f"anju import: operator name {name!r} must be 1–40 letters, digits, '.', '_' or '-'")
                raise typer.Exit(2)
            who = Principal(f"cli:{name}", "accountant", Scope.parse("all"))
        content_type = XLSX_MEDIA_TYPE if file.suffix.lower() == ".xlsx" else "text/csv"
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console) as progress:
            checking = progress.add_task(f"检查 checking {file.name}", total=None)
            plan = prepare(import_kind, body, content_type, file.name,
                           lambda done, total: progress.update(checking, completed=done, total=total))
            recording = progress.add_task("记录 recording", total=len(plan.rows))
            ctx = Context(book, who, runtime.identity_key)
            command = import_command(plan, ctx, lambda done, total: progress.update(recording, completed=done))
            audit = who.audit(reason or f"导入{import_kind.title_zh} {file.name}")
            outcome = runtime.execute(lambda uow: command(uow, audit)).result
            progress.update(recording, completed=len(plan.rows))
    except ImportRejected as rejected:
        console.print(f"anju import: {rejected}")
        for error in rejected.errors:
            typer.echo(f"  row {error.row if error.row is not None else '*'}  column {error.column or '*'}  "
                       f"{error.rule}: {error.message}")
        raise typer.Exit(1) from None
    except (ValueError, LookupError, ApiProblem) as error:
        console.print(f"anju import: {getattr(error, 'type_slug', 'invalid-input')}: {error}")
        raise typer.Exit(1) from None
    finally:
        runtime.close()
    if outcome.already_imported:
        typer.echo(f"anju import: {file.name} was already imported into {book}; nothing was recorded.")
    else:
        typer.echo(f"anju import: {outcome.applied} of {outcome.rows} rows recorded into {book} as {who.subject}"
                   f" ({outcome.skipped} already recorded); sha256 {outcome.sha256}")
