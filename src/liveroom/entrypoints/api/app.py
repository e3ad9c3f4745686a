"""The HTTP application: routers, error mapping, OpenAPI at /api/v1/openapi.json."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from liveroom.bootstrap import Container
from liveroom.core.errors import DomainError
from liveroom.entrypoints.api import (
    routes_admin,
    routes_aftersales,
    routes_analytics,
    routes_apidocs,
    routes_campaigns,
    routes_catalog,
    routes_catalog_web,
    routes_comments,
    routes_comments_console,
    routes_console,
    routes_edit,
    routes_fulfilment,
    routes_fulfilment_web,
    routes_liveops,
    routes_members,
    routes_members_reach,
    routes_metrics,
    routes_orders,
    routes_orders_listing,
    routes_orders_web,
    routes_plan_web,
    routes_review,
    routes_service,
    routes_sessions,
    routes_shelf,
    routes_tracking,
    routes_users_web,
    routes_viewer_web,
    routes_warmup_web,
    routes_web,
    routes_web_live,
    routes_web_liveops,
)
from liveroom.entrypoints.api.guard import RequestGuard
from liveroom.entrypoints.api.live_fanout import LiveFanout
from liveroom.entrypoints.api.security_headers import SecurityHeaders

log = logging.getLogger(__name__)
SHUTDOWN_HOOK_SECONDS = 15.0
NOT_AN_OBJECT = {"model_attributes_type", "dict_type", "missing"}
# routes_orders first: the flash-sale purchase is the hot path and matching is in order
ROUTERS = [routes_orders.router,
           routes_catalog.router, routes_sessions.router, routes_console.router,
           routes_admin.router, routes_tracking.router, routes_campaigns.router,
           routes_metrics.router, routes_comments.router,
           routes_comments_console.router, routes_review.router,
           routes_shelf.router, routes_aftersales.router, routes_analytics.router,
           routes_members.router, routes_members_reach.router, routes_edit.router,
           routes_liveops.router, routes_fulfilment.router, routes_orders_listing.router]


def create_app(container: Container, extra_routers: list[Any] | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for hook in container.lifecycle.startup:
            await hook()
        yield
        for hook in [app.state.live_fanout.stop, *container.lifecycle.shutdown]:
            try:  # a stop that hangs must not keep the process from exiting
                async with asyncio.timeout(SHUTDOWN_HOOK_SECONDS):
                    await hook()
            except TimeoutError:
                log.error("shutdown hook %s did not finish in %.0f s", hook,
                          SHUTDOWN_HOOK_SECONDS)

    app = FastAPI(title="liveroom", version="0.1.0", openapi_url="/api/v1/openapi.json",
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.container = container
    # renders each change once per kind of open page (a per-process cache of bytes)
    app.state.live_fanout = LiveFanout(container, routes_web_live.render_update,
                                        routes_viewer_web.shelf_update)
    app.add_middleware(SecurityHeaders)  # inside the fast path: purchases skip it too
    routes_orders.install_fast_path(app)  # the flash-sale purchase skips routing
    app.add_middleware(RequestGuard)  # added last: outermost, before the fast path too

    @app.get("/api/v1/health", tags=["system"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    for router in [*ROUTERS, *(extra_routers or [])]:
        app.include_router(router, prefix="/api/v1")
    # before routes_web: the password sign-in replaces its token-only /login
    app.include_router(routes_apidocs.router)  # Swagger UI from /static, not a CDN
    app.include_router(routes_users_web.router)
    app.include_router(routes_catalog_web.router)
    app.include_router(routes_plan_web.router)
    app.include_router(routes_web.router)
    app.include_router(routes_web_liveops.router)
    app.include_router(routes_service.router)
    app.include_router(routes_members_reach.pages)  # /members/ugc before /members/{buyer}
    app.include_router(routes_fulfilment_web.router)
    app.include_router(routes_orders_web.router)
    app.include_router(routes_members.pages)
    app.include_router(routes_viewer_web.router)  # public: where tracked links land
    app.include_router(routes_warmup_web.router)
    app.include_router(routes_review.pages)
    app.mount("/static", StaticFiles(directory=routes_web.WEB / "static"), name="static")
    install_error_handlers(app)
    return app


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse(exc.to_dict(), status_code=exc.status, headers=exc.headers())

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" or (
                tuple(e.get("loc", ())) == ("body",) and e.get("type") in NOT_AN_OBJECT)
               for e in errors):
            return JSONResponse({"code": "malformed_json", "message": "request body must be a "
                                 "JSON object"}, status_code=400)
        first = errors[0] if errors else {}
        # a text no column may hold has its own code (core/text.py); others are generic
        code = "invalid_text" if first.get("type") == "invalid_text" else "validation_error"
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
        field = ".".join(loc)
        return JSONResponse({
            "code": code,
            "message": f"{field or 'request'}: {first.get('msg', 'invalid')}",
            "field": field,
            "details": [{"field": ".".join(str(p) for p in e.get("loc", ())[1:]),
                         "message": e.get("msg"), "type": e.get("type")} for e in errors],
        }, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse({"code": code, "message": str(exc.detail)},
                            status_code=exc.status_code)
