"""The HTTP baseline: the raw asyncpg + orjson feed behind a minimal Starlette endpoint.

Served by the same uvicorn as Cercle (`uvicorn bench.baseline_app:app --factory`), it takes the
same request body as the GraphQL endpoint, so Cercle's ratio against it isolates the cost of
GraphQL and the ORM from the cost of HTTP. DATABASE_URL names the database.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.rawfeed import feed_json


def app() -> Starlette:
    pool: asyncpg.Pool | None = None

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        nonlocal pool
        url = "postgresql://" + os.environ["DATABASE_URL"].split("://", 1)[1]
        pool = await asyncpg.create_pool(url, min_size=1, max_size=int(os.environ.get("DB_POOL_MAX", "20")))
        try:
            yield
        finally:
            await pool.close()

    async def feed(request: Request) -> Response:
        body = orjson.loads(await request.body())
        async with pool.acquire() as conn:  # type: ignore[union-attr]
            payload = await feed_json(conn, body["variables"]["slug"])
        return Response(payload, media_type="application/json")

    async def healthz(_: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    return Starlette(
        routes=[Route("/graphql", feed, methods=["POST"]), Route("/healthz", healthz)],
        lifespan=lifespan,
    )
