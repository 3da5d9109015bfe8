"""``anju bench``: our paths measured beside the stack's own floors, in one run, on one store.

Runs on a fresh temporary store of the configured kind (a temporary SQLite file, or a temporary
schema in the configured PostgreSQL database), so it never touches real data.

(a) raw eventsourcing saves of voucher-sized events, one per transaction and 100 per transaction;
(b) the voucher command path (in process) with 1 and 16 concurrent submitters;
(c) HTTP writes with 1 and 16 clients beside a no-op endpoint served the same way, and the
    batch endpoint; (d) replay rate; (e) trial-balance latency as history grows;
plus each capability's own rows (``api/bench_<capability>.py``).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from ledger.store import StoreConfig
from projections.books import seed_running_balances

Progress = Callable[[str], None]
VOUCHER_SIZED_PAYLOAD = "x" * 600  # a two-line voucher event's state is ~600–700 bytes


class BenchProbe(Aggregate):
    """A stand-in aggregate for the raw-library floor."""

    @event("Created")
    def __init__(self, payload: str) -> None:
        self.payload = payload


@contextlib.contextmanager
def fresh_store(config: StoreConfig) -> Iterator[str]:
    if config.dialect == "sqlite":
        folder = tempfile.mkdtemp(prefix="anju-bench-")
        yield f"sqlite:///{folder}/bench.db"
        for name in os.listdir(folder):
            os.remove(os.path.join(folder, name))
        os.rmdir(folder)
        return
    import psycopg

    schema = f"anju_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(config.pg_conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        base = config.url.split("?")[0]
        yield f"{base}?schema={schema}"
    finally:
        with psycopg.connect(config.pg_conninfo, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else 0.0


# --- (a) the library's own floor ----------------------------------------------------
def bench_raw_library(url: str, count: int) -> dict[str, float]:
    config = StoreConfig.from_url(url)
    env = dict(config.application_env())
    if config.dialect == "sqlite":
        env["SQLITE_DBNAME"] = env["SQLITE_DBNAME"].replace("bench.db", "raw.db")
    else:
        env["POSTGRES_SCHEMA"] = config.pg_schema

    class RawProbeApp(Application):
        name = "rawprobe"

    app = RawProbeApp(env=env)
    started = time.perf_counter()
    for _ in range(count):
        app.save(BenchProbe(VOUCHER_SIZED_PAYLOAD))
    single = _rate(count, time.perf_counter() - started)
    started = time.perf_counter()
    done = 0
    while done < count * 5:
        app.save(*[BenchProbe(VOUCHER_SIZED_PAYLOAD) for _ in range(100)])
        done += 100
    batched = _rate(done, time.perf_counter() - started)
    app.close()
    return {"single": single, "batched": batched}


# --- (b) our command path -------------------------------------------------------------
def _voucher_command(book_code: str, day: date, amount: Decimal):
    from ledger import bookkeeping
    from ledger.audit import Audit
    from ledger.journal import VoucherDraft, credit, debit

    audit = Audit("bench", "accountant", "bench voucher")
    draft = VoucherDraft(day, "bench rent", (debit("102", amount), credit("501.01", amount, "tenant:T1")))
    return lambda uow: bookkeeping.record_voucher(uow, audit, book_code, draft)


def _open_bench_book(runtime, book_code: str = "bench") -> None:
    from ledger import bookkeeping
    from ledger.audit import Audit

    audit = Audit("bench", "accountant", "bench book")
    runtime.execute(lambda uow: bookkeeping.open_book(
        uow, audit, book_code=book_code, name="bench", entity_kind="collective", community_id="bench",
        township_id="bench", chart_name="collective_2023", starts_on=date(2020, 1, 1)))


def _run_in_threads(work: Callable[[int], None], count: int) -> float:
    """Seconds for ``count`` threads, each running ``work(index)``, started together, to finish."""
    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def bench_command_path(runtime, submitters: int, count: int) -> float:
    per_thread = count // submitters
    errors: list[BaseException] = []

    def submitter(index: int) -> None:
        for i in range(per_thread):
            day = date(2024, 1, 1) + timedelta(days=(index * per_thread + i) % 365)
            try:
                runtime.writer.execute(_voucher_command("bench", day, Decimal("10.00")))
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

    seconds = _run_in_threads(submitter, submitters)
    if errors:
        raise RuntimeError(f"{len(errors)} bench commands failed: {errors[0]!r}")
    return _rate(per_thread * submitters, seconds)


def bench_command_path_projector_apart(config: StoreConfig, count: int) -> tuple[float, float, float]:
    """(b) as ``anju serve`` runs it: the read models in their own process (a fresh store of the same kind).

    Also the writer process's CPU seconds per voucher with 16 submitters (all its threads; the
    projector is another process): unlike a rate, it hardly moves with the machine's load, and
    beside the cores available it says how far a given rate could go.
    """
    from api.runtime import Runtime

    with fresh_store(config) as url:
        runtime = Runtime(StoreConfig.from_url(url), projector_process=True)
        try:
            _open_bench_book(runtime)
            single = bench_command_path(runtime, 1, count // 3)
            cpu_before = time.process_time()
            sixteen = bench_command_path(runtime, 16, count * 2)
            cpu_per_voucher = (time.process_time() - cpu_before) / (count * 2 // 16 * 16)
            return single, sixteen, cpu_per_voucher
        finally:
            runtime.close()


# --- (c) HTTP -----------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc; 0 where there is none)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def _server(args: list[str], env: dict[str, str], port: int) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("bench server did not start")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def _http_load(port: int, path: str, bodies: Callable[[int, int], bytes], headers: dict[str, str], clients: int,
               per_client: int) -> tuple[float, float, int]:
    """(requests/s, p50 ms, non-2xx count) for ``clients`` keep-alive connections."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        for i in range(per_client):
            body = bodies(index, i)
            started = time.perf_counter()
            conn.request("POST", path, body=body, headers={**headers, "Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status >= 300:
                with lock:
                    failures[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    seconds = _run_in_threads(client, clients)
    return _rate(len(latencies), seconds), statistics.median(latencies), failures[0]


def bench_http(url: str, token: str, quick: bool, progress: Progress) -> dict[str, float]:
    env = {**os.environ, "ANJU_DATABASE_URL": url}
    per_client = 50 if quick else 200
    results: dict[str, float] = {}
    noop_port = _free_port()
    with _server([sys.executable, "-m", "uvicorn", "api.bench_noop:app", "--port", str(noop_port),
                  "--log-level", "warning"], env, noop_port) as noop_server:
        rate, p50, _ = _http_load(noop_port, "/noop", lambda c, i: b"{}", {}, 1, per_client)
        results["noop_1"], results["noop_1_p50_ms"] = rate, p50
        cpu_before = _cpu_seconds(noop_server.pid)
        rate, _, _ = _http_load(noop_port, "/noop", lambda c, i: b"{}", {}, 16, per_client)
        results["noop_16"] = rate
        results["noop_16_cpu_us"] = (_cpu_seconds(noop_server.pid) - cpu_before) / (16 * per_client) * 1e6
    progress("  bench: no-op HTTP floor measured")
    port = _free_port()
    auth = {"Authorization": f"Bearer {token}"}

    def voucher(c: int, i: int) -> bytes:
        day = date(2025, 1, 1) + timedelta(days=(c * 1000 + i) % 365)
        return json.dumps({"voucher_date": day.isoformat(), "summary": "bench rent", "lines": [
            {"account_code": "102", "debit": "10.00"},
            {"account_code": "501.01", "credit": "10.00", "subledger": "tenant:T1"}]}).encode()

    def batch(c: int, i: int) -> bytes:
        day = date(2025, 1, 1) + timedelta(days=(c * 1000 + i) % 365)
        one = {"voucher_date": day.isoformat(), "summary": "bench rent", "lines": [
            {"account_code": "102", "debit": "10.00"}, {"account_code": "501.01", "credit": "10.00"}]}
        return json.dumps({"vouchers": [one] * 100}).encode()

    with _server([sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--log-level", "warning"],
                 env, port) as api_server:
        rate, p50, failed = _http_load(port, "/books/bench/vouchers", voucher, auth, 1, per_client)
        results["write_1"], results["write_1_p50_ms"], results["write_failures"] = rate, p50, failed
        cpu_before = _cpu_seconds(api_server.pid)  # the API process only: its projector is a child process
        rate, _, failed = _http_load(port, "/books/bench/vouchers", voucher, auth, 16, per_client)
        results["write_16"] = rate
        results["write_16_cpu_us"] = (_cpu_seconds(api_server.pid) - cpu_before) / (16 * per_client) * 1e6
        results["write_failures"] += failed
        rate, _, failed = _http_load(port, "/books/bench/voucher-batches", batch, auth, 4, 5 if quick else 20)
        results["batch_vouchers_per_s"] = rate * 100
        results["write_failures"] += failed
    progress("  bench: HTTP write path measured")
    return results


# --- (e) trial balance as history grows --------------------------------------------------
def seed_balance_history(runtime, book_code: str, postings: int, keys: int = 500) -> None:
    """Running balances equivalent to ``postings`` postings spread over ``keys`` account/sub-ledger keys.

    Written straight into the read model, as the month rows it would write for them (the command
    path is measured in (b)); each key moves on ``postings / keys`` distinct days, as ten years of
    daily activity would.
    """
    from ledger import bookkeeping
    from ledger.audit import Audit

    audit = Audit("bench", "accountant", "bench book")
    runtime.execute(lambda uow: bookkeeping.open_book(
        uow, audit, book_code=book_code, name=book_code, entity_kind="collective", community_id="bench",
        township_id="bench", chart_name="collective_2023", starts_on=date(2015, 1, 1)))
    accounts = ["102", "112", "211", "501.01", "501.02", "503", "513", "514"]
    per_key = max(1, postings // keys)
    start = date(2015, 1, 1)
    rows = []
    for k in range(keys):
        account = accounts[k % len(accounts)]
        subledger = f"member:M{k:05d}"
        cumulative = 0
        for d in range(per_key):
            cumulative += 1000
            day = (start + timedelta(days=d * 3650 // per_key)).isoformat()
            debit_cum = cumulative if account in ("102", "112", "513", "514") else 0
            rows.append((book_code, account, subledger, day, debit_cum, cumulative - debit_cum))
    seed_running_balances(runtime.db, rows, analyze=runtime.config.dialect == "postgres")


def trial_balance_latency(runtime, book_code: str, samples: int = 30) -> tuple[float, float]:
    from projections.ledger_reports import book_info, trial_balance

    timings = []
    for i in range(samples):
        as_of = date(2016, 1, 1) + timedelta(days=(i * 97) % 3000)
        started = time.perf_counter()
        with runtime.db.transaction(write=False) as tx:
            info = book_info(tx, book_code)
            trial_balance(tx, info, date(as_of.year, 1, 1), as_of)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


# --- the suite ---------------------------------------------------------------------
def run_bench(quick: bool = False, progress: Progress = print, core: bool = False) -> list[dict]:
    """Every row; ``core``: only the write path (raw floors, command path, pgledger peer, HTTP)."""
    from api import capabilities
    from api.runtime import Runtime, all_projections
    from ledger.access import AccessToken, Scope, new_token
    from ledger.audit import system_audit
    from projections.replay import replay

    config = StoreConfig.from_url()
    count = 500 if quick else 3000
    rows: list[dict] = []

    def row(name: str, ours: float, unit: str, baseline: float | None = None, baseline_name: str = "",
            note: str = "") -> None:
        ratio = f"{ours / baseline:.2f}×" if baseline else ""
        rows.append({"name": name, "value": round(ours, 2), "unit": unit, "baseline": baseline_name,
                     "baseline_value": round(baseline, 2) if baseline else None, "ratio": ratio,
                     "ratio_value": round(ours / baseline, 4) if baseline else None, "note": note})
        progress(f"  {name}: {ours:,.1f} {unit}" + (f" ({ratio} of {baseline_name})" if ratio else ""))

    progress(f"anju bench on {config.dialect} ({os.cpu_count()} cores), {'quick' if quick else 'full'} run")
    with fresh_store(config) as url:
        raw = bench_raw_library(url, count // 3)
        row("(a) raw library save, 1 event per transaction", raw["single"], "events/s")
        row("(a) raw library save, 100 aggregates per transaction", raw["batched"], "events/s")
        runtime = Runtime.from_env(url)
        try:
            _open_bench_book(runtime)
            single = bench_command_path(runtime, 1, count // 3)
            row("(b) voucher command path, 1 submitter", single, "vouchers/s", raw["single"],
                "raw 1-event saves")
            batches_before, commands_before = runtime.writer.batches, runtime.writer.commands
            sixteen = bench_command_path(runtime, 16, count * 2)
            batches = runtime.writer.batches - batches_before
            mean_batch = (runtime.writer.commands - commands_before) / batches if batches else 0.0
            row("(b) voucher command path, 16 submitters", sixteen, "vouchers/s", raw["single"],
                "raw 1-event saves")
            if config.dialect == "postgres":
                from ledger.pgledger_peer import bench_pgledger

                peer_seconds = 3 if quick else 8
                peer_1 = bench_pgledger(config.pg_conninfo, runtime.config.pg_schema, 1, peer_seconds)
                peer_16 = bench_pgledger(config.pg_conninfo, runtime.config.pg_schema, 16, peer_seconds)
                row("(b) pgledger-like SQL-function ledger, 1 client", peer_1, "transfers/s")
                row("(b) pgledger-like SQL-function ledger, 16 clients", peer_16, "transfers/s")
                row("(b) voucher command path, 1 submitter, vs pgledger", single, "vouchers/s", peer_1,
                    "pgledger-like, 1 client")
                row("(b) voucher command path, 16 submitters, vs pgledger", sixteen, "vouchers/s", peer_16,
                    "pgledger-like, 16 clients")
            row("(b) writer: mean commands per transaction, 16 submitters", mean_batch, "commands")
            apart_1, apart_16, cpu_per_voucher = bench_command_path_projector_apart(config, count)
            floor_1, floor_16 = (peer_1, peer_16) if config.dialect == "postgres" else (raw["single"], raw["single"])
            floor_name = "pgledger-like, {} client{}" if config.dialect == "postgres" else "raw 1-event saves"
            row("(b) voucher command path, 1 submitter, read models in their own process", apart_1, "vouchers/s",
                floor_1, floor_name.format(1, ""))
            row("(b) voucher command path, 16 submitters, read models in their own process", apart_16,
                "vouchers/s", floor_16, floor_name.format(16, "s"))
            row("(b) writer process CPU per voucher, 16 submitters, read models apart", cpu_per_voucher * 1e6, "µs",
                note=f"at this cost one core (the writer's Python runs on one at a time) does at most "
                     f"{1 / cpu_per_voucher:,.0f} vouchers/s" if cpu_per_voucher > 0 else "")
            token = new_token()
            runtime.execute(lambda uow: uow.add(AccessToken.issue(system_audit("bench"), token, "bench",
                                                                  "accountant", Scope.parse("community:bench"))))
            http = bench_http(url, token, quick, progress)
            row("(c) HTTP no-op endpoint, 1 client", http["noop_1"], "requests/s")
            row("(c) HTTP no-op endpoint, 16 clients", http["noop_16"], "requests/s")
            row("(c) HTTP voucher write, 1 client", http["write_1"], "vouchers/s", http["noop_1"], "no-op, 1 client")
            row("(c) HTTP voucher write, 1 client, p50", http["write_1_p50_ms"], "ms", http["noop_1_p50_ms"],
                "no-op p50")
            row("(c) HTTP voucher write, 16 clients", http["write_16"], "vouchers/s", http["noop_16"],
                "no-op, 16 clients")
            if http["noop_16_cpu_us"] > 0:
                row("(c) HTTP server CPU per request, 16 clients: voucher write vs no-op", http["write_16_cpu_us"],
                    "µs", http["noop_16_cpu_us"], "no-op µs per request")
            row("(c) HTTP batch endpoint (100 per request, 4 clients)", http["batch_vouchers_per_s"],
                "vouchers/s", sixteen, "(b) 16 submitters")
            if http["write_failures"]:
                row("(c) HTTP non-2xx answers", http["write_failures"], "requests")
            if core:
                return _finish(rows, config, progress)
            report = replay(runtime.app, runtime.config, runtime.runner, all_projections,
                            progress=lambda p: None)
            row("(d) replay into a fresh store", report.events_per_second, "events/s",
                note=f"{report.events} events; digests {'match' if report.matches else 'DIFFER'}")
            sizes = (10_000, 100_000) if quick else (10_000, 100_000, 1_000_000)
            for postings in sizes:
                code = f"tb{postings}"
                seed_balance_history(runtime, code, postings)
                p50, p95 = trial_balance_latency(runtime, code)
                row(f"(e) trial balance p95, {postings:,} postings (500 accounts×sub-ledgers)", p95, "ms",
                    note=f"p50 {p50:.1f} ms")
            for bench_part in capabilities.bench_parts():
                read_models_caught_up(runtime, progress)
                rows.extend(bench_part(runtime, quick, progress))
        finally:
            runtime.close()
    return _finish(rows, config, progress)


def read_models_caught_up(runtime, progress: Progress, limit_seconds: float = 900) -> None:
    """Before each capability's rows: the read models reach the log head (the rows before wrote
    hundreds of thousands of events faster than the in-process runner applies them, and a part's
    own reads wait only the usual 10 s)."""
    head = runtime.app.recorder.max_notification_id()
    deadline = time.monotonic() + limit_seconds
    while not runtime.runner.wait_for(head):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the read models did not reach position {head} in {limit_seconds:.0f} s")
        progress(f"  bench: read models at {runtime.runner.position:,} of {head:,}…")


def _finish(rows: list[dict], config: StoreConfig, progress: Progress) -> list[dict]:
    _print_table(rows, config, progress)
    return rows


def compare(rows: list[dict], old_rows: list[dict]) -> list[tuple[str, float, float, float]]:
    """Per row measured beside a same-run floor in both runs: (name, old ratio, new ratio, new / old).

    Absolute figures drift 2–3× between runs on a shared machine; a ratio to a floor of
    the same run holds, so two runs are compared by the ratio of their ratios.
    """
    old = {r["name"]: r for r in old_rows}
    compared = []
    for r in rows:
        before = old.get(r["name"])
        new_ratio, old_ratio = _ratio_of(r), _ratio_of(before) if before else None
        if new_ratio and old_ratio:
            compared.append((r["name"], old_ratio, new_ratio, new_ratio / old_ratio))
    return compared


def _ratio_of(r: dict) -> float | None:
    if r.get("ratio_value"):
        return float(r["ratio_value"])
    if r.get("baseline_value") and isinstance(r.get("value"), int | float):
        return float(r["value"]) / float(r["baseline_value"])
    return None


def print_comparison(compared: list[tuple[str, float, float, float]]) -> None:
    print(f"\n{'measure (ratio to its same-run floor)':<70} {'old':>8} {'new':>8} {'new/old':>8}")
    for name, old_ratio, new_ratio, change in compared:
        print(f"{name:<70} {old_ratio:>7.2f}× {new_ratio:>7.2f}× {change:>7.2f}×")


def _print_table(rows: list[dict], config: StoreConfig, progress: Progress) -> None:
    print(f"\nanju bench — store: {config.dialect}, cores: {os.cpu_count()}")
    print(f"{'measure':<70} {'value':>14}  {'unit':<11} {'vs baseline':>12}")
    for r in rows:
        value = r.get("value")
        shown = f"{value:,.2f}" if isinstance(value, int | float) else str(value)
        print(f"{r['name']:<70} {shown:>14}  {r.get('unit', ''):<11} {r.get('ratio', ''):>12}"
              + (f"  ({r['baseline']})" if r.get("baseline") else "") + (f"  {r['note']}" if r.get("note") else ""))
