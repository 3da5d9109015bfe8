"""Every export declaration fits its route: the operation exists, its OpenAPI names the formats,
and every row path and column key is a field of the response model (a typo would export blanks)."""

from __future__ import annotations

from functools import cache

from api.app import create_app
from api.exports.tables import BY_PATH, Column
from tests.exports.files import XLSX


@cache
def openapi() -> dict:
    return create_app().openapi()


def _resolve(schema: dict | bool) -> dict:
    components = openapi()["components"]["schemas"]
    while True:
        if schema is True:  # a free-form object (dict[str, Any]): any field
            return {"type": "object"}
        if "$ref" in schema:
            schema = components[schema["$ref"].split("/")[-1]]
        elif "anyOf" in schema:
            schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
        else:
            return schema


def _field(schema: dict, path: str) -> dict | None:
    for step in path.split("."):
        schema = _resolve(schema)
        properties = schema.get("properties")
        if properties is None:
            # A dict keyed by data (aging buckets): any key, values of its declared type.
            if schema.get("type") == "object":
                schema = schema.get("additionalProperties", True)
                continue
            return None
        if step not in properties:
            return None
        schema = properties[step]
    return _resolve(schema)


def test_every_declared_route_is_a_get_operation_whose_openapi_names_the_export_formats():
    paths = openapi()["paths"]
    for path in BY_PATH:
        operation = paths[path]["get"]
        names = [p["name"] for p in operation["parameters"]]
        assert "format" in names, path
        assert {"application/pdf", "text/csv", XLSX} <= set(operation["responses"]["200"]["content"]), path
    assert all(p["name"] != "format" for p in paths["/books/{book_code}/periods"]["get"].get("parameters", []))


def test_every_row_path_and_column_key_is_a_field_of_the_response_model():
    checked = 0
    for path, export in BY_PATH.items():
        response = openapi()["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        if isinstance(export.rows, str):
            rows = _field(response, export.rows)
            assert rows is not None and rows.get("type") == "array", (path, export.rows)
            item = rows["items"]
        else:
            item = None
        columns = export.columns if isinstance(export.columns, tuple) else ()
        for column in columns:
            assert isinstance(column, Column)
            if isinstance(column.total, str) and not column.total.startswith("="):
                assert _field(response, column.total) is not None, (path, column.total)
            if item is not None:
                assert _field(item, column.key) is not None, (path, column.key)
                checked += 1
    assert checked >= 150  # most declarations are checked field by field
