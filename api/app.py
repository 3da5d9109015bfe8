"""The FastAPI app factory: store, writer and projection runner live for the app's lifespan."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from api import capabilities, errors, exports
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


class ReadModelHealthOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    position: int
    lag: int
    stuck: bool
    stuck_at: int | None
    stuck_event: str | None
    error: str | None


class HealthOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: str  # ok | stuck | failing
    store: str
    log_head: int
    log_position: int
    read_models: list[ReadModelHealthOut]
    runner_error: str | None


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
    errors.install_openapi(app)

    @app.get("/healthz", tags=["health 健康"], summary="健康检查 Health check", response_model=HealthOut,
             responses={503: {"model": HealthOut, "description": "a read model is stopped or the store fails"}})
    def healthz(request: Request) -> JSONResponse:
        """存储可用且读模型在跟进；读模型停止时返回 503。The store answers and every read model follows the log:
        each read model's position and lag behind the log head; 503 when one is stopped at an event it cannot
        apply (named with its position) or when the projection runner keeps failing."""
        rt: Runtime = request.app.state.runtime
        head = rt.app.recorder.max_notification_id() or 0
        models = rt.runner.health()
        stuck = [m for m in models if m.fault is not None]
        failing = rt.runner.last_failure if rt.following else None
        status = "stuck" if stuck else "failing" if failing else "ok"
        body = {
            "status": status, "store": rt.config.dialect, "log_head": head, "log_position": rt.runner.position,
            "read_models": [{"name": m.name, "position": m.position, "lag": m.lag, "stuck": m.fault is not None,
                             "stuck_at": m.fault.position if m.fault else None,
                             "stuck_event": m.fault.topic if m.fault else None,
                             "error": m.fault.error if m.fault else None} for m in models],
            "runner_error": failing,
        }
        return JSONResponse(body, status_code=200 if status == "ok" else 503)

    for router in capabilities.routers():
        app.include_router(router)
    exports.install(app)  # after every router: each declared GET also answers XLSX / PDF / CSV (issue 10)
    return app
