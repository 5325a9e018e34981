"""Readiness follows the real dependencies of a real server process."""

import httpx

from tests.factories import PASSWORD
from tests.fixtures.server import free_port, start_server, stop_server

REGISTER = (
    f'mutation {{ register(input: {{username: "redisless", email: "r@example.org", password: "{PASSWORD}"}}) '
    "{ member { username } } }"
)


async def test_ready_when_database_and_redis_answer(database):
    server = await start_server(database, REDIS_URL="redis://127.0.0.1:6379/0")
    try:
        async with httpx.AsyncClient() as client:
            response = await client.get(server.url + "/readyz")
    finally:
        stop_server(server)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


async def test_not_ready_when_redis_is_unreachable_but_queries_still_work(database):
    # given: a Redis URL where nothing listens
    server = await start_server(database, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    try:
        async with httpx.AsyncClient() as client:
            ready = await client.get(server.url + "/readyz")
            query = await client.post(server.graphql_url, json={"query": "{ communities { totalCount } }"})
            mutation = await client.post(server.graphql_url, json={"query": REGISTER})
    finally:
        stop_server(server)
    # then: not ready, naming Redis; queries and mutations still work
    assert ready.status_code == 503
    assert ready.json()["checks"]["redis"].startswith("error")
    assert ready.json()["checks"]["database"] == "ok"
    assert query.json() == {"data": {"communities": {"totalCount": 0}}}
    assert mutation.json() == {"data": {"register": {"member": {"username": "redisless"}}}}
