"""The read models in their own process: ``anju serve`` starts ``anju project``; one projector per store.

The production path, on both stores: a real ``anju serve`` whose read models are applied by its
child process. A client reads its own write at once (across the two processes); the projector
killed with SIGKILL is restarted, applies every event exactly once (the replay digests equal the
live ones) and the API keeps answering writes while it is down; a read model the projector stops
at a poison event is reported by the API process's ``/healthz`` (503), from the fault table.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx

from api.runtime import Runtime, all_projections
from ledger.store import StoreConfig
from projections.process import read_model_path
from projections.replay import replay
from tests.conftest import voucher_body
from tests.reliability.test_kill_under_load import _free_port, _prepare, _serve
from tests.reliability.test_poison import _forge_duplicate_voucher

ROOT = Path(__file__).resolve().parents[2]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _projector_of(server: subprocess.Popen, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = _children(server.pid)
        if children:
            return children[0]
        time.sleep(0.05)
    raise AssertionError("anju serve started no projection process")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat").read_text() if Path(f"/proc/{pid}/stat").exists() else ""
    return bool(stat) and stat.split(") ")[1][0] != "Z"  # a zombie has exited


def _wait_healthy(http: httpx.Client, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        answer = http.get("/healthz")
        if answer.status_code == 200 and all(m["lag"] == 0 for m in answer.json()["read_models"]):
            return answer.json()
        assert time.monotonic() < deadline, answer.json()
        time.sleep(0.1)


def test_serve_applies_read_models_in_its_own_projector_process(store_url):
    accountant, auditor = _prepare(store_url)
    port = _free_port()
    server = _serve(store_url, port)
    headers = {"Authorization": f"Bearer {accountant}"}
    try:
        projector = _projector_of(server)
        assert projector != server.pid
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30, headers=headers) as http:
            numbers = []
            for n in range(5):  # each read right after its write sees it: the API waits for the other process
                written = http.post("/books/b1/vouchers", json=voucher_body(f"2025-03-{n + 1:02d}"),
                                    headers={"Idempotency-Key": f"own-{n}"})
                assert written.status_code == 201, written.text
                numbers.append(written.json()["number"])
                listed = http.get("/books/b1/vouchers", params={"limit": 1000}).json()
                assert [v["number"] for v in listed["vouchers"]] == numbers
                assert listed["log_position"] >= written.json()["log_position"]

            os.kill(projector, signal.SIGKILL)  # the read models' process dies; the API goes on
            for n in range(5, 10):
                written = http.post("/books/b1/vouchers", json=voucher_body(f"2025-03-{n + 1:02d}"),
                                    headers={"Idempotency-Key": f"own-{n}"})
                assert written.status_code == 201, written.text
                numbers.append(written.json()["number"])
            listed = http.get("/books/b1/vouchers", params={"limit": 1000}).json()  # waits for the restart
            assert [v["number"] for v in listed["vouchers"]] == numbers
            restarted = _projector_of(server)
            assert restarted != projector and not _alive(projector)
            health = _wait_healthy(http)
            assert health["log_position"] == health["log_head"]
            balance = http.get("/books/b1/trial-balance", params={"as_of": "2025-03-31"})
            assert balance.status_code == 200, balance.text

            runtime = Runtime.from_env(store_url, follow=False)
            try:  # each event applied exactly once: a rebuild from the log gives the same rows
                report = replay(runtime.app, runtime.config, runtime.runner, all_projections)
                assert report.matches, (report.live, report.replayed, report.faults)
                poison = _forge_duplicate_voucher(runtime)
            finally:
                runtime.close()
            deadline = time.monotonic() + 30  # the projector records the fault; the API process reports it
            while (answer := http.get("/healthz")).status_code != 503:
                assert time.monotonic() < deadline, answer.json()
                time.sleep(0.1)
            stuck = {m["name"]: m for m in answer.json()["read_models"] if m["stuck"]}
            assert set(stuck) == {"books"} and stuck["books"]["stuck_at"] == poison
            assert http.get("/books/b1/vouchers").status_code == 200  # reads do not wait for a stopped model
    finally:
        server.terminate()
        server.wait(30)
    deadline = time.monotonic() + 15
    while _alive(restarted) and time.monotonic() < deadline:  # serve stops its projector with it
        time.sleep(0.1)
    assert not _alive(restarted)


def _project(store_url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "ANJU_DATABASE_URL": store_url, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", "from api.cli import main; main()", "project", *args],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_a_second_projector_of_the_same_store_exits_with_a_clear_message(store_url):
    _prepare(store_url)
    first = _project(store_url)
    try:
        assert first.stdout is not None
        line = first.stdout.readline()
        assert "following" in line, line
        second = _project(store_url)
        output, _ = second.communicate(timeout=60)
        assert second.returncode == 1
        assert "another projector already follows" in output and "one projector per store" in output
        waiting = _project(store_url, "--wait")  # a stand-by takes over when the first stops
        assert waiting.stdout is not None
        assert "waiting for it" in waiting.stdout.readline()
        first.send_signal(signal.SIGTERM)
        assert first.wait(30) == 0
        assert "following" in waiting.stdout.readline()
        waiting.send_signal(signal.SIGTERM)
        assert waiting.wait(30) == 0
    finally:
        for process in (first,):
            if process.poll() is None:
                process.kill()


def test_sqlite_read_models_live_in_their_own_file_beside_the_events(tmp_path):
    url = f"sqlite:///{tmp_path}/anju.db"
    _prepare(url)
    config = StoreConfig.from_url(url)
    assert read_model_path(config) == f"{tmp_path}/anju-read.db"

    def tables(path: str) -> set[str]:
        with sqlite3.connect(path) as conn:
            return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    events, reads = tables(config.sqlite_path), tables(read_model_path(config))
    assert {"stored_events", "anju_chain"} <= events and not any(t in events for t in ("anju_tracking", "anju_books"))
    assert {"anju_tracking", "anju_projection_faults", "anju_books", "anju_event_index"} <= reads
    assert "stored_events" not in reads
    with sqlite3.connect(read_model_path(config)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT COUNT(*) FROM anju_books").fetchone()[0] == 1
