"""The ``anju`` command: serve, project, demo, verify, replay, token, bench."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

app = typer.Typer(help="Anju 安居: an event-sourced ledger for resettlement communities.", no_args_is_help=True,
                  add_completion=False)
token_app = typer.Typer(help="Access tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _runtime(follow: bool = False):
    from api.runtime import Runtime

    return Runtime.from_env(follow=follow)


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="Interface to bind."),
          port: int = typer.Option(8000, help="Port."),
          log_level: str = typer.Option("info", help="uvicorn log level.")) -> None:
    """Serve the HTTP API (store from ANJU_DATABASE_URL; SQLite ./anju.db by default)."""
    import uvicorn

    from api.app import create_app
    from ledger.store import StoreConfig

    from api.runtime import Runtime

    config = StoreConfig.from_url()
    _err(f"anju: serving {config.describe} on http://{host}:{port} (OpenAPI at /docs and /openapi.json)")
    # One worker: the group-commit writer lives in this process; the read models in `anju project`, its child.
    runtime = Runtime(config, projector_process=True)
    try:
        uvicorn.run(create_app(runtime), host=host, port=port, log_level=log_level, workers=1)
    finally:
        runtime.close()


@app.command()
def project(wait: bool = typer.Option(False, help="If another projector follows this store, wait to take over.")
            ) -> None:
    """Follow the log into the read models (one projector per store; `anju serve` starts one itself)."""
    from api.runtime import run_projector
    from ledger.store import StoreConfig

    raise typer.Exit(run_projector(StoreConfig.from_url(), wait=wait, say=_err))


@app.command()
def demo() -> None:
    """Load a realistic demo community into the configured store and print a token per role."""
    from api.demo import load_demo
    from api.runtime import Runtime
    from ledger.store import StoreConfig

    # The read models follow in their own process (as under `anju serve`), so on two cores the
    # projection runs beside the demo's writes instead of after them.
    runtime = Runtime(StoreConfig.from_url(), projector_process=True)
    try:
        report = load_demo(runtime, progress=_err)
    finally:
        runtime.close()
    if report.already_loaded:
        typer.echo("anju demo: the store already holds the demo; nothing was changed.")
    else:
        typer.echo(f"anju demo: loaded {report.events} events into {runtime.config.describe}.")
    if report.tokens:
        typer.echo("Tokens (shown once; also kept in " + str(report.tokens_file) + "):")
        for role, token in report.tokens.items():
            typer.echo(f"  {role:<11} {token}")


@app.command()
def verify(checkpoint: str = typer.Option(None, help="A checkpoint noted outside the store, POSITION:LINK "
                                                     "(as verify prints it): catches a truncated tail.")) -> None:
    """Re-derive the hash chain and check every sealed checkpoint; exit 1 at the first tampered position or broken
    checkpoint."""
    from api.audit.verification import InvalidNotedCheckpoint, parse_noted, report_lines, verify_all

    try:
        expected = parse_noted(checkpoint) if checkpoint else None
    except InvalidNotedCheckpoint as error:
        _err(f"anju verify: {error}")
        raise typer.Exit(2) from None
    runtime = _runtime()
    try:
        report = verify_all(runtime, expected, progress=lambda n: _err(f"  verified {n} events…"))
    finally:
        runtime.close()
    for line in report_lines(report):
        typer.echo(line)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def replay() -> None:
    """Rebuild every read model from the first event into a fresh store; compare digests with the live ones."""
    from api.runtime import all_projections
    from projections.replay import replay as run_replay

    runtime = _runtime()
    try:
        report = run_replay(runtime.app, runtime.config, runtime.runner, all_projections,
                            progress=lambda p: _err(f"  replayed through position {p}…"))
    finally:
        runtime.close()
    typer.echo(f"replayed {report.events} events through position {report.position} in {report.seconds:.2f} s "
               f"({report.events_per_second:,.0f} events/s)")
    for fault in report.faults:
        typer.echo(f"  read model {fault.name} is STOPPED at log position {fault.position} ({fault.topic}):"
                   f" {fault.error}")
    for name in report.live:
        same = "same" if report.live[name] == report.replayed.get(name) else "DIFFERENT"
        typer.echo(f"  {name:<12} live {report.live[name]}\n  {'':<12} replay {report.replayed.get(name)}  {same}")
    if report.faults:
        typer.echo("a read model cannot apply an event of the log (see above); run anju verify")
        raise typer.Exit(1)
    if not report.matches:
        typer.echo("replay digests differ from the live read models")
        raise typer.Exit(1)
    typer.echo("all read models match")


@app.command("import")
def import_file(kind: str = typer.Argument(..., help="members | households | shop-fronts | tenants | fund-units | "
                                                    "opening-balances"),
                file: Path = typer.Argument(..., help="An XLSX or CSV file (UTF-8) in the kind's template."),
                book: str = typer.Option(..., help="The book (organisation, collective book or fund code)."),
                token: str = typer.Option(None, help="Act as this token's holder (role and scope checked)."),
                operator: str = typer.Option(None, "--as", help="Local operator's name (default: login name)."),
                reason: str = typer.Option(None, help="Why (recorded with every event).")) -> None:
    """Import a file into a book, all rows or none, with a progress bar (the body lives in api/imports/cli.py)."""
    from api.imports.cli import run_import

    run_import(kind, file, book, token, operator, reason)


@token_app.command("create")
def token_create(role: str = typer.Option(..., help="accountant | auditor | township"),
                 scope: str = typer.Option(..., help="community:<id>[,<id>] | township:<id> | all"),
                 subject: str = typer.Option("", help="Who the token is for (default: role and scope).")) -> None:
    """Create a token; it is printed once and only its hash is stored."""
    from ledger.access import AccessToken, InvalidScope, Scope, new_token
    from ledger.audit import system_audit

    try:
        parsed = Scope.parse(scope)
    except InvalidScope as error:
        _err(f"anju token create: {error}")
        raise typer.Exit(2) from None
    name = subject or f"{role}-{str(parsed).replace(':', '-').replace(',', '-')}"[:64]
    token = new_token()
    runtime = _runtime()
    try:
        runtime.execute(lambda uow: uow.add(AccessToken.issue(system_audit(f"token for {name}"), token, name,
                                                              role, parsed)), wait_for_read_models=False)
    except InvalidScope as error:
        _err(f"anju token create: {error}")
        raise typer.Exit(2) from None
    finally:
        runtime.close()
    typer.echo(token)


@app.command()
def bench(quick: bool = typer.Option(False, help="Smaller sizes (a smoke run)."),
          output: Path = typer.Option(None, help="Also write the results as JSON here."),
          compare: Path = typer.Option(None, help="An earlier run's --output JSON: print the ratios of ratios."),
          core: bool = typer.Option(False, help="Only the write path: floors, command path, pgledger, HTTP.")) -> None:
    """Measure the write path, HTTP, replay and trial balance beside the stack's own floors."""
    from api.bench import compare as compare_runs, print_comparison, run_bench

    old = json.loads(compare.read_text(encoding="utf-8")) if compare else None  # read first: fail before a long run
    results = run_bench(quick=quick, progress=_err, core=core)
    if output:
        output.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    if old is not None:
        print_comparison(compare_runs(results, old))


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
