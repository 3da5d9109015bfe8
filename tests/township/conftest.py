"""The reduced demo — the three small communities (c002, c003 in 东风镇; c004 in 兴隆乡) loaded by
``api.demo.load_demo``, the code path of ``anju demo`` — once per store for this package's tests.

Both stores are loaded in one fixture so the determinism test can compare them; each HTTP test
runs on each store through ``demo``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.demo import community, load_demo
from api.runtime import Runtime
from tests.conftest import STORES, _store_url, issue_token

SMALL = tuple(community(c) for c in ("c002", "c003", "c004"))


@dataclass
class DemoStore:
    kind: str
    runtime: Runtime
    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)
    events: int = 0

    def get(self, path: str, who: str = "township", **params):
        token = self.tokens[who]
        return self.client.get(path, params=params, headers={"Authorization": f"Bearer {token}"})


@pytest.fixture(scope="package")
def demo_stores(tmp_path_factory) -> Iterator[dict[str, DemoStore]]:
    loaded, cleanups, clients = {}, [], []
    here = os.getcwd()
    try:
        for kind in STORES:
            folder = tmp_path_factory.mktemp(f"township-{kind}")
            url, cleanup = _store_url(kind, folder)
            cleanups.append(cleanup)
            runtime = Runtime.from_env(url)
            os.chdir(folder)  # on PostgreSQL the demo keeps its tokens file in the working directory
            report = load_demo(runtime, communities=SMALL)
            os.chdir(here)
            client = TestClient(create_app(runtime), raise_server_exceptions=False)
            client.__enter__()
            clients.append((client, runtime))
            store = DemoStore(kind, runtime, client, dict(report.tokens), report.events)
            store.tokens.update({
                "accountant_c003": issue_token(runtime, "accountant", "community:c003", "acc-c003"),
                "auditor_xinglong": issue_token(runtime, "auditor", "township:t-xinglong", "auditor-xl"),
                "auditor_c002": issue_token(runtime, "auditor", "community:c002", "auditor-c002"),
            })
            loaded[kind] = store
        yield loaded
    finally:
        os.chdir(here)
        for client, runtime in clients:
            client.__exit__(None, None, None)
            runtime.close()
        for cleanup in cleanups:
            cleanup()


@pytest.fixture(params=STORES)
def demo(request, demo_stores) -> DemoStore:
    return demo_stores[request.param]
