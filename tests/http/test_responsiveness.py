"""CPU-heavy requests (password hashing, markdown rendering) do not stall the event loop.

Each test times one heavy request alone on a real server, then runs many at once while
`/healthz` is probed at a steady pace. A probe that lands while the event loop does heavy work
waits for it to end: on a blocked loop most probes wait a good part of one heavy request, off
the loop they answer in milliseconds. The bound is a fraction of the measured cost, so a slow
machine moves both sides together.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from models.communities import Community
from tests.factories import Persona
from tests.fixtures.server import Server, start_server, stop_server

pytestmark = pytest.mark.e2e

LOGIN = "mutation Login($input: LoginInput!) { login(input: $input) { token } }"
CONCURRENT_LOGINS = 20
PROBE_INTERVAL_SECONDS = 0.05


@pytest.fixture
async def server(database: str) -> AsyncIterator[Server]:
    # Logins from one address, many names: neither the per-IP nor the per-name limit may interfere.
    server = await start_server(database, RATE_LIMIT_LOGIN="10000/minute")
    yield server
    stop_server(server)


async def timed(request: Awaitable[object]) -> float:
    started = time.perf_counter()
    await request
    return time.perf_counter() - started


async def healthz_latencies_during(server: Server, load: asyncio.Future) -> list[float]:
    """The latency of /healthz probes started at a steady pace until `load` is done.

    Probes start on schedule, not after the previous answer: each samples one instant, so the
    share of slow probes is the share of the time the server could not answer.
    """
    probes = []
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=None)) as client:
        while not load.done():
            probes.append(asyncio.ensure_future(timed(client.get(server.url + "/healthz"))))
            await asyncio.wait([load], timeout=PROBE_INTERVAL_SECONDS)
        return list(await asyncio.gather(*probes))


async def wrong_login(client: httpx.AsyncClient, server: Server, name: str) -> None:
    variables = {"input": {"login": name, "password": "not the password at all"}}
    answer = (await client.post(server.graphql_url, json={"query": LOGIN, "variables": variables})).json()
    assert answer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", answer


HeavyRequest = Callable[[httpx.AsyncClient, int], Awaitable[None]]


async def probe_under_load(server: Server, heavy_request: HeavyRequest, count: int) -> tuple[float, list[float]]:
    """(cost of one heavy request alone, /healthz latencies while `count` of them run at once)."""
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=count + 5)) as client:
        await heavy_request(client, 0)  # warm up: connections, caches, worker processes
        alone = await timed(heavy_request(client, 1))
        load = asyncio.ensure_future(asyncio.gather(*(heavy_request(client, i) for i in range(2, 2 + count))))
        latencies = await healthz_latencies_during(server, load)
        await load
    return alone, latencies


def assert_responsive(heavy_request_seconds: float, latencies: list[float]) -> None:
    assert len(latencies) >= 3, latencies  # the load lasted long enough to measure
    # The median: a busy machine (other tests, other processes) may delay a probe now and then.
    assert statistics.median(latencies) < heavy_request_seconds / 4, (heavy_request_seconds, sorted(latencies))


async def test_healthz_answers_while_many_wrong_logins_are_hashed(server: Server):
    # given / when: concurrent wrong logins, each a password verification
    async def heavy(client: httpx.AsyncClient, i: int) -> None:
        await wrong_login(client, server, f"nobody{i}")

    one_login, latencies = await probe_under_load(server, heavy, CONCURRENT_LOGINS)
    # then: most probes answered in a fraction of one verification, while the logins took 20 of them
    assert_responsive(one_login, latencies)


CREATE_POST = "mutation Create($input: CreatePostInput!) { createPost(input: $input) { id } }"
# The slowest kind of markdown we found for markdown-it-py: each "![" may open an image.
HOSTILE_BODY = "![" * 10_000
CONCURRENT_POSTS = 4


async def test_healthz_answers_while_long_posts_are_rendered(
    server: Server, member_bob: Persona, public_community: Community
):
    # given / when: long bodies that take a while to render, posted at once
    async def heavy(client: httpx.AsyncClient, i: int) -> None:
        variables = {"input": {"communitySlug": public_community.slug, "title": f"Post {i}", "body": HOSTILE_BODY}}
        headers = {"authorization": f"Bearer {member_bob.token}"}
        response = await client.post(
            server.graphql_url, json={"query": CREATE_POST, "variables": variables}, headers=headers
        )
        assert response.json()["data"]["createPost"]["id"], response.json()

    one_post, latencies = await probe_under_load(server, heavy, CONCURRENT_POSTS)
    # then: most probes answered in a fraction of one render, while the posts took 4 of them
    assert_responsive(one_post, latencies)
