"""ASGI app factory: routes, the GraphQL endpoint, and the lifespan (database, broker, scheduler)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from tortoise import Tortoise
from tortoise.contrib.starlette import RegisterTortoise

import settings
from realtime import start_realtime, stop_realtime
from resolvers.email.sender import run_email_sender, transport_from_settings
from resolvers.markdown import stop_render_processes
from resolvers.scheduling.jobs import run_scheduler
from schema import schema
from schema.transport.export import export_own_data
from schema.transport.http import CercleGraphQL
from schema.transport.live_frames import RawWebSocketSend
from schema.transport.unsubscribe import unsubscribe
from schema.transport.web_app import web_app_routes

logger = logging.getLogger("cercle")
access_logger = logging.getLogger("cercle.access")


class JsonLogFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"level": record.levelname, "logger": record.name, "message": record.getMessage()}
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line).decode()


def configure_logging() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLogFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.LOG_LEVEL)
    logging.getLogger("uvicorn.access").disabled = True  # replaced by cercle.access


class AccessLog:
    """One structured line per HTTP request: path, GraphQL operation, status, duration."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = {"code": 500}

        async def send_with_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            context = scope.get("state", {}).get("graphql_context")
            access_logger.info(
                "request",
                extra={
                    "fields": {
                        "method": scope["method"],
                        "path": scope["path"],
                        "operation": getattr(context, "operation_name", None),
                        "status": status["code"],
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    }
                },
            )


async def healthz(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(_: Request) -> JSONResponse:
    checks: dict[str, str] = {}
    try:
        await asyncio.wait_for(Tortoise.get_connection("default").execute_query("SELECT 1"), 5)
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        checks["database"] = f"error: {type(error).__name__}"
    if settings.REDIS_URL:
        from realtime.redis import ping_redis

        checks["redis"] = "ok" if await ping_redis() else "error: unreachable"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status_code=200 if ready else 503
    )


def tune_garbage_collector() -> None:
    """Python's collector for a process that holds thousands of live subscriptions. At its defaults it ran a young
    collection every 700 allocations, and fanning one event out to 5,000 subscribers allocates far more than that
    while their waits are still alive: they got promoted, and full collections, each over every subscription's
    objects, followed every few events. With GC_THRESHOLDS' defaults an event cost the server half the CPU (0.39 s
    against 0.74-1.02 s at 5,000 subscribers, the same as with no collector at all). What startup built (the schema,
    the modules) is frozen out of every collection."""
    gc.set_threshold(*settings.GC_THRESHOLDS)
    gc.collect()
    gc.freeze()


def create_app(*, database_url: str | None = None, run_background: bool = True) -> Starlette:
    settings.effective_secret_key()  # refuse to start production without a key
    transport_from_settings()  # refuse a malformed EMAIL_URL now, not in a background task
    graphql = CercleGraphQL(
        schema,
        connection_init_timeout_seconds=3,
        max_subscriptions=20,
        max_websockets_per_address=settings.MAX_WEBSOCKETS_PER_ADDRESS,
        allowed_origins=settings.CORS_ORIGINS,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        config = settings.tortoise_config(database_url or settings.DATABASE_URL)
        async with RegisterTortoise(app, config=config):
            await start_realtime()
            tune_garbage_collector()
            background = (
                [
                    asyncio.create_task(run_scheduler(settings.SCHEDULER_INTERVAL_SECONDS)),
                    asyncio.create_task(run_email_sender()),
                ]
                if run_background and settings.SCHEDULER_IN_WEB
                else []
            )
            try:
                yield
            finally:
                for task in background:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                await stop_realtime()
                stop_render_processes()

    routes = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/me/export", export_own_data),  # the member's own data (issue 14), GET only
        # Every method reaches the endpoint, which answers the spec's JSON 405 (Starlette's would be text).
        Route("/graphql", graphql),
        Route("/unsubscribe", unsubscribe, methods=["POST"]),  # GET is the web app's page
        WebSocketRoute("/graphql", graphql),
        # GraphiQL's vendor files only: the rest of static/ (the built app, graphiql.html) is served by its own
        # routes, under their own policies.
        Mount("/static/vendor", StaticFiles(directory=settings.ROOT / "static" / "vendor", check_dir=False)),
        *web_app_routes(settings.WEB_APP_DIR),
    ]
    middleware = [Middleware(RawWebSocketSend), Middleware(AccessLog)]  # first: the server's own send
    if settings.CORS_ORIGINS:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.CORS_ORIGINS,
                allow_methods=["GET", "POST"],
                allow_headers=settings.CORS_ALLOW_HEADERS,
                # Not safelisted for scripts of other origins: without this, apps could not read them.
                expose_headers=["retry-after", "idempotent-replayed"],
            )
        )
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def app() -> Starlette:
    """uvicorn's factory entry point: `uvicorn app:app --factory`."""
    configure_logging()
    return create_app()
