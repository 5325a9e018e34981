"""Browser apps on other origins: CORS over HTTP, and the Origin check of WebSocket handshakes.

Both follow CORS_ORIGINS; CORS_ALLOW_HEADERS says which request headers those apps may send.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import orjson
import pytest
import websockets

import settings
from tests.fixtures.server import Server, start_server, stop_server

APP_ORIGIN = "https://app.example.org"
OTHER_ORIGIN = "https://elsewhere.example.net"
# What Apollo Client (with CSRF prevention and client awareness) and urql send cross-origin
APOLLO_AND_URQL_HEADERS = [
    "content-type",
    "authorization",
    "apollo-require-preflight",
    "x-apollo-operation-name",
    "apollographql-client-name",
    "apollographql-client-version",
]


@pytest.fixture(scope="module")
async def app_origin_server(database: str) -> AsyncIterator[Server]:
    server = await start_server(database, CORS_ORIGINS=APP_ORIGIN)
    yield server
    stop_server(server)


async def acknowledged(server: Server, **options: object) -> bool:
    """Whether a graphql-transport-ws client gets its connection_init acknowledged."""
    async with websockets.connect(server.ws_url, subprotocols=["graphql-transport-ws"], **options) as socket:
        await socket.send(orjson.dumps({"type": "connection_init", "payload": {}}).decode())
        return orjson.loads(await socket.recv())["type"] == "connection_ack"


def preflight(origin: str, headers: list[str]) -> dict[str, str]:
    return {
        "origin": origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": ", ".join(headers),
    }


# WebSockets


async def test_a_browser_app_on_an_allowed_origin_can_subscribe(app_origin_server: Server):
    assert await acknowledged(app_origin_server, origin=APP_ORIGIN)


async def test_a_page_on_another_origin_cannot_open_a_websocket(app_origin_server: Server):
    with pytest.raises(websockets.InvalidStatus) as refused:
        await acknowledged(app_origin_server, origin=OTHER_ORIGIN)
    assert refused.value.response.status_code == 403


async def test_same_origin_pages_and_clients_without_origin_can_subscribe(app_origin_server: Server):
    assert await acknowledged(app_origin_server, origin=app_origin_server.url)
    assert await acknowledged(app_origin_server)  # no Origin header: not a browser


# HTTP


async def test_apollo_and_urql_preflights_are_allowed(app_origin_server: Server):
    async with httpx.AsyncClient() as client:
        response = await client.options(
            app_origin_server.graphql_url, headers=preflight(APP_ORIGIN, APOLLO_AND_URQL_HEADERS)
        )
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == APP_ORIGIN
    allowed = {h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}
    assert set(APOLLO_AND_URQL_HEADERS) <= allowed


async def test_an_allowed_origin_reads_answers_and_another_does_not(app_origin_server: Server):
    async with httpx.AsyncClient() as client:
        allowed = await client.post(
            app_origin_server.graphql_url, json={"query": "{ __typename }"}, headers={"origin": APP_ORIGIN}
        )
        other = await client.options(app_origin_server.graphql_url, headers=preflight(OTHER_ORIGIN, ["content-type"]))
    assert allowed.headers["access-control-allow-origin"] == APP_ORIGIN
    assert "access-control-allow-origin" not in other.headers
    # and the app may read when to retry a refusal, and whether an answer is a replay (Idempotency-Key)
    exposed = {h.strip() for h in allowed.headers["access-control-expose-headers"].split(",")}
    assert {"retry-after", "idempotent-replayed"} <= exposed


async def test_allowed_request_headers_are_configurable(monkeypatch: pytest.MonkeyPatch):
    # given: an app that lets browser apps send one more header
    from app import create_app

    monkeypatch.setattr(settings, "CORS_ORIGINS", [APP_ORIGIN])
    monkeypatch.setattr(settings, "CORS_ALLOW_HEADERS", [*settings.CORS_ALLOW_HEADERS, "x-tenant"])
    transport = httpx.ASGITransport(app=create_app(run_background=False))
    # when: a preflight asks for it
    async with httpx.AsyncClient(transport=transport, base_url="http://cercle.test") as client:
        response = await client.options("/graphql", headers=preflight(APP_ORIGIN, ["content-type", "x-tenant"]))
    # then
    assert response.status_code == 200, response.text
    assert "x-tenant" in response.headers["access-control-allow-headers"].lower()
