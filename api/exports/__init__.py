"""Exports 导出 (issue 10): every declared read endpoint also answers XLSX, PDF and CSV.

``install(app)`` is called once by the app factory: it adds the ``Exports`` middleware
(``route.py``) and adds ``format`` and the file media types to the OpenAPI of the declared
operations. Declarations: ``api/exports/tables.py``.
"""

from __future__ import annotations

from fastapi import FastAPI

from api.exports.openapi import add_formats
from api.exports.route import Exports
from api.exports.tables import BY_PATH


def install(app: FastAPI) -> None:
    app.add_middleware(Exports)
    previous = app.openapi

    def openapi() -> dict:
        return add_formats(previous(), set(BY_PATH))  # idempotent, over the document the earlier steps made

    app.openapi = openapi  # type: ignore[method-assign]
