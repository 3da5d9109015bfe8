"""Schema fuzzing of every operation in the OpenAPI document (schemathesis), in process over ASGI.

For each operation, a fixed number of generated requests — valid and invalid (schemathesis's positive
and negative modes), with the generated path parameters or with ones naming real things of
``tests.fuzz.data`` — is sent with the token of each role (accountant, auditor, township). Every
answer must be no 5xx, have a status code and content type the operation declares, and a body valid
against the declared schema. Hypothesis runs derandomised, so each run sends the same requests.

Bounded: SQLite gets ``EXAMPLES`` requests per operation and role; PostgreSQL a smoke run of
``PG_EXAMPLES`` (the handlers are the same code; what differs per store is below the API).
"""

from __future__ import annotations

import uuid

import hypothesis
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.checks import not_a_server_error

from api.app import create_app
from api.runtime import Runtime
from tests.conftest import Api, _store_url
from tests.fuzz import data

EXAMPLES = 6
PG_EXAMPLES = 1
ROLES = ("accountant", "auditor", "township")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

SCHEMA = schemathesis.openapi.from_dict(create_app().openapi())
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def fuzzed(request, tmp_path_factory):
    """An app on a fresh store of each kind with the fuzz data loaded, and its role tokens."""
    url, cleanup = _store_url(request.param, tmp_path_factory.mktemp(f"fuzz-{uuid.uuid4().hex[:6]}"))
    runtime = Runtime.from_env(url)
    app = create_app(runtime)
    with TestClient(app, raise_server_exceptions=False) as client:
        api = Api(client, runtime)
        data.load(api)
        yield request.param, app, {role: getattr(api, role) for role in ROLES}
    runtime.close()
    cleanup()


def _real_ids(operation) -> dict:
    names = [p.name for p in operation.path_parameters]
    return {name: data.REAL_IDS[name] for name in names if name in data.REAL_IDS}


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_every_answer_is_declared_and_never_a_server_error(fuzzed, label):
    store, app, tokens = fuzzed
    operation = OPERATIONS[label]
    operation.schema.app = app
    real = _real_ids(operation)
    strategies = [operation.as_strategy(mode, path_parameters=ids or None)
                  for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) for ids in ({}, real)]

    @hypothesis.settings(max_examples=EXAMPLES if store == "sqlite" else PG_EXAMPLES, derandomize=True,
                         database=None, deadline=None, suppress_health_check=list(HealthCheck),
                         phases=[hypothesis.Phase.generate])
    @hypothesis.given(case=st.one_of(strategies))
    def fuzz(case):
        for role in ROLES:
            case.call_and_validate(headers={"Authorization": f"Bearer {tokens[role]}"}, checks=CHECKS, app=app)

    fuzz()
