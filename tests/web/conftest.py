"""Fixtures of the browser tests: one served app per store (SQLite, then PostgreSQL), one Chromium.

Like every test that touches storage, the page's tests run on both stores: the session-scoped
``served`` is parametrised, so the whole browser suite runs once against an app on a temporary
SQLite file and once against one on its own PostgreSQL schema. The app is served by uvicorn in a thread; Playwright
drives Debian's Chromium at /usr/bin/chromium (never a browser download). Every page runs
with the network closed to anything but the served app, and a test fails if the page asked
for an outside address or raised an uncaught script error.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlparse

import httpx
import pytest
import uvicorn
from playwright import sync_api as playwright_api

from api.app import create_app
from api.runtime import Runtime
from tests.collective.helpers import organisation_body
from tests.conftest import STORES, _store_url, issue_token, open_book_body, voucher_body

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@dataclass
class Served:
    """The served app, its tokens (by name) and an HTTP client for arranging and checking."""

    url: str
    runtime: Runtime
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, who: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {self.tokens[who]}"}, timeout=30)

    def get(self, who: str, path: str, **params) -> dict:
        with self.client(who) as client:
            response = client.get(path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def post(self, who: str, path: str, body: dict | None = None, status: int | None = None) -> dict:
        with self.client(who) as client:
            response = client.post(path, json=body)
        assert (response.status_code == status) if status else response.is_success, response.text
        return response.json()

    def log_head(self) -> int:
        return httpx.get(f"{self.url}/healthz", timeout=10).json()["log_head"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _scenario(served: Served) -> None:
    """Township t1 has communities c1 (book b1, a collective organisation with a leased shop-front), c2
    (book b2) and c4 (book b4); township t2 has c3 (book b3). One voucher each, so their figures differ."""
    rt = served.runtime
    for name, role, scope in (("acc-c1", "accountant", "community:c1"), ("acc-c2", "accountant", "community:c2"),
                              ("acc-c3", "accountant", "community:c3"), ("auditor", "auditor", "all"),
                              ("township-t1", "township", "township:t1")):
        served.tokens[name] = issue_token(rt, role, scope, name)
    served.post("acc-c1", "/collective/organisations", organisation_body("b1", "c1", "t1", registered_on="2025-01-01"))
    served.post("acc-c2", "/books", open_book_body("b2", "c2", "t1"))
    served.post("acc-c3", "/books", open_book_body("b3", "c3", "t2"))
    served.tokens["acc-c4"] = issue_token(rt, "accountant", "community:c4", "acc-c4")
    served.post("acc-c4", "/books", open_book_body("b4", "c4", "t1"))  # t1's third community
    served.post("acc-c4", "/books/b4/vouchers", voucher_body("2025-01-08", "1200.00", summary="四号社区收入"))
    served.post("acc-c1", "/books/b1/vouchers", voucher_body("2025-01-05", "5000.00", summary="一月门面租金"))
    served.post("acc-c2", "/books/b2/vouchers", voucher_body("2025-01-06", "8000.00", credit="503", summary="物业补贴"))
    served.post("acc-c3", "/books/b3/vouchers", voucher_body("2025-01-07", "3000.00", credit="504", summary="其他收入"))
    served.post("acc-c1", "/books/b1/shop-fronts", {
        "unit_number": "A-101", "location": "安置区1号楼临街", "floor_area_m2": "50.00", "owner": "county-platform",
        "operator": "b1", "manager": "c1-property", "rights_effective_on": "2024-01-01"})
    served.post("acc-c1", "/books/b1/tenants", {"tenant_code": "T1", "name": "张三便利店", "kind": "business",
                                                "contact": "13800000000"})
    served.post("acc-c1", "/books/b1/leases", {
        "lease_code": "L1", "tenant_code": "T1", "unit_numbers": ["A-101"], "start_on": "2025-01-01",
        "end_on": "2025-06-30", "billing_frequency": "monthly", "monthly_rent": "3100.00",
        "contract_reference": "合同-L1"})
    served.post("acc-c1", "/books/b1/billing-runs", {"month": "2025-03"})
    served.post("acc-c1", "/books/b1/tenants/T1/receipts", {"received_on": "2025-02-10", "amount": "3100.00"})
    # Property-fee subsidies of one household, billed for a quarter, claimed month by month.
    served.post("acc-c1", "/books/b1/buildings", {"building_code": "SB1", "name": "安置1号楼", "storeys": 7})
    served.post("acc-c1", "/books/b1/households", {
        "household_id": "SH1", "building_code": "SB1", "unit_number": "1-1-101", "floor_area_m2": "80.00",
        "moved_in_on": "2019-06-20", "persons": 4, "labourers": 2, "billing_from_month": "2025-01"})
    served.post("acc-c1", "/books/b1/fee-standards", {"building_type": "mid_rise", "effective_on": "2025-01-01",
                                                      "rate_per_m2_month": "0.90"})
    served.post("acc-c1", "/books/b1/subsidy-policies", {"effective_on": "2025-01-01", "extension_granted": True})
    served.post("acc-c1", "/books/b1/property-billing-runs", {"month": "2025-03"})
    for month in ("2025-01", "2025-02"):
        served.post("acc-c1", "/books/b1/subsidy-claims", {"claim_code": month, "submitted_on": "2025-04-01"})


@pytest.fixture(scope="session", params=STORES)
def served(request, tmp_path_factory) -> Iterator[Served]:
    store_url, drop_store = _store_url(request.param, tmp_path_factory.mktemp("web-store"))
    runtime = Runtime.from_env(store_url)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(runtime), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="web-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    served = Served(f"http://127.0.0.1:{port}", runtime)
    try:
        _scenario(served)
        yield served
    finally:
        server.should_exit = True
        thread.join(10)
        runtime.close()
        drop_store()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    assert os.path.exists(CHROMIUM), f"{CHROMIUM} is missing: `make test` installs Debian's chromium"
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class Guard:
    """Closes the network to anything but the served app, and remembers what was asked for."""

    def __init__(self) -> None:
        self.outside: list[str] = []
        self.requests: list = []

    def __call__(self, route) -> None:
        url = route.request.url
        if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).hostname not in LOCAL_HOSTS:
            self.outside.append(url)
            route.abort("internetdisconnected")
        else:
            self.requests.append(route.request)
            route.continue_()


def new_page(browser, served: Served, width: int = 1280, height: int = 800):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", base_url=served.url)
    context.set_default_timeout(10_000)
    guard = Guard()
    context.route("**/*", guard)
    page = context.new_page()
    page.guard = guard
    page.script_errors = []
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    return context, page


@pytest.fixture
def page(browser, served) -> Iterator:
    context, page = new_page(browser, served)
    yield page
    context.close()
    assert not page.guard.outside, f"the page asked for outside addresses: {page.guard.outside}"
    assert not page.script_errors, f"script errors: {page.script_errors}"


@pytest.fixture
def phone_page(browser, served) -> Iterator:
    context, page = new_page(browser, served, 390, 844)
    yield page
    context.close()
    assert not page.guard.outside and not page.script_errors


def sign_in(page, token: str) -> None:
    """Sign in on the sign-in form (signing out first if the tab holds a session)."""
    page.goto("/")
    if page.evaluate("sessionStorage.getItem('anju.token')"):
        playwright_api.expect(page).to_have_url(re.compile(r"#/[^?]+"))  # the restored session has settled
        page.evaluate("sessionStorage.removeItem('anju.token')")
        page.reload()
    page.get_by_label("访问令牌").fill(token)
    page.get_by_label("访问令牌").press("Enter")
    playwright_api.expect(page.locator("#session")).to_contain_text("·")
    # The start page replaces "#/" by the role's home once the books are read: wait for it, so that a
    # test's next navigation is never overtaken by that replace.
    playwright_api.expect(page).to_have_url(re.compile(r"#/[^?]+"))
