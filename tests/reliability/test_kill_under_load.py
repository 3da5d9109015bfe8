"""A server killed (SIGKILL) under load loses no acknowledged write; verify and replay hold after restart.

Issue 11, "Done when" — bounded: one real ``anju serve`` process per store, a few seconds of
writes from several clients, each under its own Idempotency-Key, then SIGKILL mid-load. After
a restart on the same store: every acknowledged voucher is there, a retry of each acknowledged
request answers the same voucher (nothing new written), the chain verifies and replay matches.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from api.runtime import Runtime, all_projections
from ledger import bookkeeping
from ledger.access import AccessToken, Scope, new_token
from ledger.audit import system_audit
from projections.replay import replay
from tests.conftest import voucher_body

ROOT = Path(__file__).resolve().parents[2]
LOAD_SECONDS = 2.0
CLIENTS = 6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(store_url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "ANJU_DATABASE_URL": store_url, "PYTHONPATH": str(ROOT)}
    code = "from api.cli import main; main()"
    process = subprocess.Popen([sys.executable, "-c", code, "serve", "--port", str(port), "--log-level", "warning"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise RuntimeError("the server exited at start")
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


def _prepare(store_url: str) -> tuple[str, str]:
    runtime = Runtime.from_env(store_url)
    try:
        tokens = {}
        for role, scope in (("accountant", "community:c1"), ("auditor", "all")):
            token = new_token()
            runtime.execute(lambda uow, t=token, r=role, s=scope: uow.add(AccessToken.issue(
                system_audit("test token"), t, f"{r}-kill", r, Scope.parse(s))))
            tokens[role] = token
        from datetime import date

        runtime.execute(lambda uow: bookkeeping.open_book(
            uow, system_audit("book"), book_code="b1", name="b1", entity_kind="collective", community_id="c1",
            township_id="t1", chart_name="collective_2023", starts_on=date(2025, 1, 1)))
    finally:
        runtime.close()
    return tokens["accountant"], tokens["auditor"]


def _body(client: int, n: int) -> dict:
    return voucher_body(f"2025-03-{1 + n % 28:02d}", f"{client + 1}.{n % 100:02d}")


def test_sigkill_under_load_loses_no_acknowledged_write(store_url):
    accountant, auditor = _prepare(store_url)
    port = _free_port()
    server = _serve(store_url, port)
    acknowledged: dict[str, tuple[dict, str]] = {}  # key → (body, voucher number)
    lock = threading.Lock()
    stop = threading.Event()

    def load(client: int) -> None:
        headers = {"Authorization": f"Bearer {accountant}"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            n = 0
            while not stop.is_set():
                key, body = f"kill-{client}-{n}", _body(client, n)
                try:
                    response = http.post("/books/b1/vouchers", json=body, headers={**headers, "Idempotency-Key": key})
                except httpx.HTTPError:
                    return  # the server is gone
                if response.status_code == 201:
                    with lock:
                        acknowledged[key] = (body, response.json()["number"])
                n += 1

    threads = [threading.Thread(target=load, args=(c,)) for c in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(LOAD_SECONDS)
    server.send_signal(signal.SIGKILL)  # mid-load: requests are in flight
    server.wait(10)
    stop.set()
    for thread in threads:
        thread.join(30)
    assert len(acknowledged) >= 10, "too little load reached the server before the kill"

    server = _serve(store_url, port)
    try:
        headers = {"Authorization": f"Bearer {accountant}"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            numbers = set()
            cursor = None
            while True:
                params = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
                page = http.get("/books/b1/vouchers", params=params, headers=headers).json()
                numbers |= {v["number"] for v in page["vouchers"]}
                cursor = page["next_cursor"]
                if cursor is None:
                    break
            lost = [number for _, number in acknowledged.values() if number not in numbers]
            assert not lost, f"acknowledged vouchers lost by the kill: {lost[:5]}"
            count = len(numbers)
            print(f"kill under load ({store_url.split(':')[0]}): {len(acknowledged)} acknowledged, {count} recorded")
            assert sorted(numbers) == [f"记-2025-03-{i:04d}" for i in range(1, count + 1)]  # gapless
            for key, (body, number) in list(acknowledged.items())[:50]:  # a retry replays, writes nothing new
                again = http.post("/books/b1/vouchers", json=body, headers={**headers, "Idempotency-Key": key})
                assert again.status_code == 201 and again.json()["number"] == number
            verified = http.get("/audit/verify", headers={"Authorization": f"Bearer {auditor}"}).json()
            assert verified["ok"], verified
            again = http.get("/books/b1/vouchers", params={"limit": 1000}, headers=headers).json()
            assert len(again["vouchers"]) == min(count, 1000)
    finally:
        server.terminate()
        server.wait(30)
    runtime = Runtime.from_env(store_url, follow=False)
    try:
        report = replay(runtime.app, runtime.config, runtime.runner, all_projections)
        assert report.matches, (report.live, report.replayed, report.faults)
        assert runtime.verify().ok
    finally:
        runtime.close()
