"""The FastAPI app factory: store, writer and projection runner live for the app's lifespan."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api import capabilities, errors
from api.limits import BodySizeLimit
from api.runtime import Runtime
from api.web import docs as offline_docs

DESCRIPTION = """
安居 Anju — 易地扶贫搬迁安置社区集体经济与物业资金事件溯源账本。
An event-sourced ledger for the collective economy and property funds of resettlement communities.

* 金额一律为两位小数的字符串 Amounts are strings with two decimals (yuan); JSON numbers are rejected.
* 业务日期为中国标准时间的日历日 Business dates are calendar dates in China Standard Time (ISO 8601).
* 每个读取接口接受 ``as_of`` 并返回其反映的日志位置 Every read accepts ``as_of`` and returns ``log_position``.
* 每个写入接口接受 ``Idempotency-Key`` Every write accepts ``Idempotency-Key``.
* 错误为 RFC 9457 problem+json Errors are RFC 9457 problem+json with a stable ``type`` per broken rule.
"""


def create_app(runtime: Runtime | None = None, database_url: str | None = None) -> FastAPI:
    """Build the app; it owns (and closes) a runtime it creates, never one it is given."""
    owned = runtime is None

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if app.state.runtime is None:
            app.state.runtime = Runtime.from_env(database_url)
        yield
        if owned and app.state.runtime is not None:
            app.state.runtime.close()

    # The OpenAPI pages load their assets from the app, never from a CDN (issue 12).
    app = FastAPI(title="Anju 安居 ledger", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    offline_docs.install(app)
    app.state.runtime = runtime
    app.add_middleware(BodySizeLimit)
    errors.install(app)

    @app.get("/healthz", tags=["health 健康"], summary="健康检查 Health check")
    def healthz(request: Request) -> JSONResponse:
        """存储可用且读模型在跟进 The store answers and the read models follow the log."""
        rt: Runtime = request.app.state.runtime
        head = rt.app.recorder.max_notification_id() or 0
        return JSONResponse({"status": "ok", "store": rt.config.dialect, "log_head": head,
                             "log_position": rt.runner.position})

    for router in capabilities.routers():
        app.include_router(router)
    return app
