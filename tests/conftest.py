"""Fixtures: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``ANJU_TEST_POSTGRES_URL`` (default: the local server,
``postgresql://postgres@127.0.0.1:5432/test``); each test gets its own schema, dropped
afterwards. A PostgreSQL test that cannot connect fails; it is never skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.runtime import Runtime
from ledger.access import AccessToken, Scope, new_token
from ledger.audit import system_audit
from ledger.store import StoreConfig

os.environ.setdefault("ANJU_IDENTITY_KEY", "test-identity-key-0123456789abcdef0123456789")
os.environ.setdefault("ANJU_CHAIN_KEY", "test-chain-key-0123456789abcdef0123456789abcdef")
POSTGRES_URL = os.environ.get("ANJU_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
STORES = ("sqlite", "postgres")


def _store_url(kind: str, tmp_path) -> tuple[str, callable]:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path}/anju.db", lambda: None
    schema = f"t_{uuid.uuid4().hex[:16]}"
    config = StoreConfig.from_url(POSTGRES_URL)

    def drop() -> None:
        with psycopg.connect(config.pg_conninfo, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    return f"{POSTGRES_URL}?schema={schema}", drop


@pytest.fixture(params=STORES)
def store_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty store of each kind."""
    url, cleanup = _store_url(request.param, tmp_path)
    yield url
    cleanup()


@pytest.fixture
def runtime(store_url) -> Iterator[Runtime]:
    rt = Runtime.from_env(store_url)
    yield rt
    rt.close()


def issue_token(runtime: Runtime, role: str, scope: str, subject: str | None = None) -> str:
    token = new_token()
    name = subject or f"{role}-{uuid.uuid4().hex[:6]}"
    runtime.execute(lambda uow: uow.add(AccessToken.issue(system_audit("test token"), token, name, role,
                                                          Scope.parse(scope))))
    return token


class Api:
    """A test client with a token per role (community c1 in township t1; c2 in t2)."""

    def __init__(self, client: TestClient, runtime: Runtime) -> None:
        self.client = client
        self.runtime = runtime
        self.accountant = issue_token(runtime, "accountant", "community:c1", "acc-c1")
        self.other_accountant = issue_token(runtime, "accountant", "community:c2", "acc-c2")
        self.auditor = issue_token(runtime, "auditor", "all", "auditor")
        self.township = issue_token(runtime, "township", "township:t1", "township-t1")

    def _headers(self, token: str | None, extra: dict | None = None) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers.update(extra or {})
        return headers

    def get(self, path: str, token: str | None = "accountant", **params):
        return self.client.get(path, params=params, headers=self._headers(self._token(token)))

    def post(self, path: str, body=None, token: str | None = "accountant", headers: dict | None = None):
        return self.client.post(path, json=body, headers=self._headers(self._token(token), headers))

    def _token(self, token: str | None) -> str | None:
        if token is None:
            return None
        return getattr(self, token) if hasattr(self, token) else token


@pytest.fixture
def api(runtime) -> Iterator[Api]:
    app = create_app(runtime)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, runtime)


def open_book_body(book_code: str = "b1", community: str = "c1", township: str = "t1",
                   starts_on: str = "2025-01-01", kind: str = "collective") -> dict:
    return {"book_code": book_code, "name": f"{book_code} 账套", "entity_kind": kind, "community_id": community,
            "township_id": township, "starts_on": starts_on}


def voucher_body(day: str, amount: str = "100.00", debit: str = "102", credit: str = "501.01",
                 summary: str = "收门面租金", subledger: str = "") -> dict:
    return {"voucher_date": day, "summary": summary, "lines": [
        {"account_code": debit, "debit": amount},
        {"account_code": credit, "credit": amount, "subledger": subledger},
    ]}
