"""Test set-up: a real database (SQLite or PostgreSQL), migrated with the project's migrations.

`CERCLE_TEST_DATABASE` chooses the backend (`sqlite`, the default, or
`postgres`); `make test` runs the suite once with each. The schema is built
once per run by applying the migrations, and every test starts from empty
tables.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from functools import cache
from graphlib import TopologicalSorter
from pathlib import Path

BACKEND = os.environ.get("CERCLE_TEST_DATABASE", "sqlite")
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
_tmp = Path(tempfile.mkdtemp(prefix="cercle-tests-"))
if BACKEND == "postgres":
    TEST_DATABASE_URL = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/cercle_test_{os.getpid()}"
elif BACKEND == "sqlite":
    TEST_DATABASE_URL = f"sqlite://{_tmp / 'cercle.db'}"
else:
    raise RuntimeError(f"CERCLE_TEST_DATABASE must be 'sqlite' or 'postgres', not {BACKEND!r}")

# Settings are read at import: set the environment first.
os.environ["DATABASE_URL"] = TEST_DATABASE_URL
os.environ.setdefault("SECRET_KEY", "test-secret-key-with-enough-length-for-hs256")
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("RATE_LIMIT_LOGIN", "1000/minute")
os.environ.setdefault("RATE_LIMIT_MUTATIONS", "100000/minute")
# Test members have no verified address; tests/sessions/test_community_creators.py tries the other policies.
os.environ.setdefault("COMMUNITY_CREATORS", "anyone")
# A process trusts its check of a session this long: an hour, so the query counts of the main pages count the
# page's statements, never a periodic re-check. Revocation reaches the process's cache at once anyway; the tests
# of re-checking across processes set their own.
os.environ.setdefault("SESSION_CHECK_SECONDS", "3600")
# Likewise the background write of last-seen times: a test slower than a minute would count it in its page.
os.environ.setdefault("LAST_SEEN_WRITE_SECONDS", "3600")
# Account emails (reset, verification): tests that check these limits set them; the shared server keeps its
# counters for the whole run.
os.environ.setdefault("RATE_LIMIT_ACCOUNT_EMAIL", "100000/hour")
os.environ.setdefault("RATE_LIMIT_PASSWORD_RESET_IP", "100000/hour")
# The run and the server processes it starts share one PostgreSQL (100 connections by default).
os.environ.setdefault("DB_POOL_MAX", "5")
# Servers the tests start write their development .eml files here, never into the checkout's data/mail/.
os.environ.setdefault("EMAIL_DIR", str(_tmp / "mail"))

import asyncpg  # noqa: E402
import httpx  # noqa: E402
import pytest  # noqa: E402
from tortoise import Tortoise, connections  # noqa: E402
from tortoise.backends.base.client import BaseDBAsyncClient  # noqa: E402

import settings  # noqa: E402
from manage import run_migrations  # noqa: E402
from resolvers.ratelimit import reset_limits  # noqa: E402

pytest_plugins = ["tests.factories", "tests.fixtures.server", "tests.fixtures.private_redis"]


@cache
def tables_to_clean() -> list[str]:
    """Every model's table, each before the tables it references, so the DELETEs pass SQLite's foreign keys.

    Derived from the registered models, so a new model's rows cannot leak from one test into the next.
    """
    references: dict[str, set[str]] = {}
    for models in Tortoise.apps.values():
        for model in models.values():
            meta = model._meta
            references[meta.db_table] = {
                meta.fields_map[name].related_model._meta.db_table for name in meta.fk_fields | meta.o2o_fields
            } - {meta.db_table}  # a self-reference (comment.parent) is cleared by the table's own DELETE
    return list(TopologicalSorter(references).static_order())[::-1]


async def _recreate_postgres_database() -> None:
    name = TEST_DATABASE_URL.rsplit("/", 1)[1]
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def _drop_postgres_database() -> None:
    name = TEST_DATABASE_URL.rsplit("/", 1)[1]
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session")
async def database() -> AsyncIterator[str]:
    """The migrated test database, with Tortoise initialised for the whole run."""
    if BACKEND == "postgres":
        await _recreate_postgres_database()
    await run_migrations(TEST_DATABASE_URL)
    await Tortoise.init(config=settings.tortoise_config(TEST_DATABASE_URL), _enable_global_fallback=True)
    yield TEST_DATABASE_URL
    await Tortoise.close_connections()
    if BACKEND == "postgres":
        await _drop_postgres_database()


async def truncate_all() -> None:
    conn = connections.get("default")
    tables = tables_to_clean()
    if BACKEND == "postgres":
        # DELETE, not TRUNCATE: a TRUNCATE makes and syncs new files for every table and index (about 100 ms for
        # 33 tables, each test), a DELETE of a test's few rows takes a fifth of that. Replica mode skips the
        # triggers (the engagement rollups' change log) and foreign-key checks while it runs.
        restarts = "".join(f'ALTER SEQUENCE "{name}" RESTART;' for name in await _sequences(conn))
        await conn.execute_script(
            "SET session_replication_role = replica;"
            + "".join(f'DELETE FROM "{table}";' for table in tables)
            + restarts
            + "SET session_replication_role = DEFAULT;"
        )
    else:
        await conn.execute_script("".join(f"DELETE FROM {t};" for t in tables) + "DELETE FROM sqlite_sequence;")


_sequence_names: list[str] = []


async def _sequences(conn: BaseDBAsyncClient) -> list[str]:
    """The id sequences of the tables (read once): each test's rows are numbered from 1 again."""
    if not _sequence_names:
        rows = await conn.execute_query_dict(
            "SELECT sequence_name AS name FROM information_schema.sequences WHERE sequence_schema = current_schema()"
        )
        _sequence_names.extend(row["name"] for row in rows)
    return _sequence_names


@pytest.fixture(autouse=True)
async def clean_database(database: str) -> AsyncIterator[None]:
    await truncate_all()
    reset_limits()
    yield


@pytest.fixture(scope="session")
def app(database: str):  # noqa: ANN201
    from app import create_app

    return create_app(run_background=False)


@pytest.fixture
async def http(app) -> AsyncIterator[httpx.AsyncClient]:  # noqa: ANN001
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://cercle.test") as client:
        yield client


class GraphQLClient:
    """Posts GraphQL documents through the whole ASGI stack, as a frontend would."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def execute(self, query: str, variables: dict | None = None, *, token: str | None = None) -> dict:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        return response.json()

    async def data(self, query: str, variables: dict | None = None, *, token: str | None = None) -> dict:
        """The `data` of a request that must succeed."""
        body = await self.execute(query, variables, token=token)
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def error(self, query: str, variables: dict | None = None, *, token: str | None = None) -> dict:
        """The single error of a request that must fail."""
        body = await self.execute(query, variables, token=token)
        assert body.get("errors"), f"expected an error, got {body}"
        return body["errors"][0]


@pytest.fixture
def gql(http: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(http)
