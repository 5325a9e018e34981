"""GRAPHIQL=false and INTROSPECTION=false, as a production deployment may set them (both on by default)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.fixtures.server import Server, execute, start_server, stop_server

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
INTROSPECTION_QUERIES = [
    "{ __schema { types { name } } }",
    '{ __type(name: "Member") { fields { name } } }',
    "query IntrospectionQuery { __schema { queryType { name } } }",
    "{ me { username } ...on Query { __schema { queryType { name } } } }",
]


@pytest.fixture(scope="module")
async def locked_down(database: str) -> AsyncIterator[Server]:
    server = await start_server(database, GRAPHIQL="false", INTROSPECTION="false")
    yield server
    stop_server(server)


async def test_without_graphiql_a_browser_gets_the_answer_of_a_get_without_a_query(locked_down: Server):
    # given / when
    async with httpx.AsyncClient() as client:
        response = await client.get(locked_down.graphql_url, headers={"accept": BROWSER_ACCEPT})
    # then
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert "graphiql" not in response.text.lower()
    assert "query" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("query", INTROSPECTION_QUERIES)
async def test_without_introspection_introspection_queries_are_refused_clearly(locked_down: Server, query: str):
    # given / when
    answer = await execute(locked_down, query, {})
    # then
    assert "data" not in answer
    assert "introspection has been disabled" in answer["errors"][0]["message"]
    assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_without_introspection_ordinary_queries_and_typename_still_work(locked_down: Server):
    # given / when
    answer = await execute(locked_down, "{ __typename me { username } }", {})
    # then
    assert answer == {"data": {"__typename": "Query", "me": None}}


async def test_by_default_both_are_on(live_server: Server):
    # given / when
    async with httpx.AsyncClient() as client:
        page = await client.get(live_server.graphql_url, headers={"accept": BROWSER_ACCEPT})
    introspected = await execute(live_server, "{ __schema { queryType { name } } }", {})
    # then
    assert page.headers["content-type"].startswith("text/html")
    assert introspected["data"]["__schema"]["queryType"]["name"] == "Query"
