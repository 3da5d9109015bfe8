"""The OpenAPI document declares every operation's problem+json answers (issue 11, item 9)."""

from __future__ import annotations

from fastapi import APIRouter

from api.app import create_app

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _operations(schema: dict):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_error_answer_is_a_declared_problem_and_fastapis_validation_error_is_gone():
    schema = create_app().openapi()
    assert set(schema["components"]["schemas"]["Problem"]["properties"]) == {
        "type", "title", "status", "detail", "instance", "errors"}
    assert "HTTPValidationError" not in str(schema)
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        assert "422" in responses and "503" in responses, (method, path)
        errors = {code: r for code, r in responses.items() if code.startswith(("4", "5"))}
        if path != "/healthz":
            assert all(r["content"] == PROBLEM for r in errors.values()), (method, path)
            assert {"401", "403"} <= set(responses), (method, path)
        if method == "post":
            assert {"404", "409"} <= set(responses), (method, path)
        if "requestBody" in operation:
            assert {"400", "413"} <= set(responses), (method, path)
        if any(p["in"] == "path" for p in operation.get("parameters", ())):
            assert "404" in responses, (method, path)


def test_a_router_included_after_the_first_document_is_covered_too():
    app = create_app()
    app.openapi()
    late = APIRouter()
    late.add_api_route("/late/{thing_id}", lambda thing_id: {}, methods=["GET"])
    app.include_router(late)
    responses = app.openapi()["paths"]["/late/{thing_id}"]["get"]["responses"]
    assert {"404", "422", "503"} <= set(responses) and responses["404"]["content"] == PROBLEM
