"""The OpenAPI pages (``/docs``, ``/redoc``) with their assets served by the app, not a CDN.

FastAPI's default pages load Swagger UI and ReDoc from cdn.jsdelivr.net, so they render blank
on a closed township network. The files come from the ``fastapi-offline`` package (Swagger UI 5
and ReDoc 2 bundles, MIT), served under ``/docs-assets``; ReDoc is told not to load Google
Fonts, and Swagger UI's online validator badge is turned off.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).parent / "static"
ASSETS_URL = "/docs-assets"
#: The pages may load nothing from outside the app (ReDoc's sidebar logo points at a CDN: it stays blank).
POLICY = {"Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                                     "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
                                     "worker-src 'self' blob:; connect-src 'self'; object-src 'none'"}


def _confined(page: HTMLResponse) -> HTMLResponse:
    page.headers.update(POLICY)
    return page


def install(app: FastAPI, docs_url: str = "/docs", redoc_url: str = "/redoc") -> None:
    """Add the two pages to an app created with ``docs_url=None, redoc_url=None``."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"
    oauth2_redirect_url = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    @app.get(docs_url, include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return _confined(get_swagger_ui_html(
            openapi_url=openapi_url, title=f"{app.title} — OpenAPI",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js", swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png", oauth2_redirect_url=oauth2_redirect_url,
            swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": False}))

    @app.get(oauth2_redirect_url, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get(redoc_url, include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _confined(get_redoc_html(openapi_url=openapi_url, title=f"{app.title} — ReDoc",
                                        redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
                                        redoc_favicon_url=f"{ASSETS_URL}/favicon.png", with_google_fonts=False))
