"""The web app's session: an HttpOnly cookie set at login, accepted only from Cercle's own pages.

Browsers attach a cookie to requests from every site; the server must tell Cercle's pages from the others
by `Origin` (or `Sec-Fetch-Site`), over HTTP and on the WebSocket handshake.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import orjson
import pytest
import websockets

import settings
from tests.fixtures.server import Server, start_server, stop_server

OTHER_SITE = "https://elsewhere.example.net"  # allowed by CORS: its pages may call Cercle, never as a member
ME = "{ me { username } }"
LOGIN = "mutation($login: String!) { login(input: {login: $login, password: $password}) { token } }"
REGISTER = """mutation($username: String!) {
  register(input: {username: $username, email: $email, password: "correct horse battery"}) { token }
}"""


@pytest.fixture(scope="module")
async def server(database: str) -> AsyncIterator[Server]:
    server = await start_server(database, CORS_ORIGINS=OTHER_SITE, RATE_LIMIT_LOGIN="1000/minute")
    yield server
    stop_server(server)


async def post(server: Server, query: str, variables: dict | None = None, **headers: str) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(
            server.graphql_url, json={"query": query, "variables": variables or {}}, headers=headers
        )


async def register(server: Server, username: str) -> httpx.Response:
    query = REGISTER.replace("$email", f'"{username}@example.org"')
    response = await post(server, query, {"username": username}, origin=server.url)
    assert "errors" not in response.json(), response.text
    return response


def session_cookie(response: httpx.Response) -> dict[str, str]:
    """The attributes of the response's `cercle_session` cookie, lower-cased names; the value under 'value'."""
    (header,) = [h for h in response.headers.get_list("set-cookie") if h.startswith("cercle_session=")]
    first, *attributes = (part.strip() for part in header.split(";"))
    cookie = {"value": first.partition("=")[2]}
    cookie.update((name.lower(), value) for name, _, value in (a.partition("=") for a in attributes))
    return cookie


def with_cookie(token: str, **headers: str) -> dict[str, str]:
    return {"cookie": f"cercle_session={token}", **headers}


async def me(server: Server, **headers: str) -> dict | None:
    body = (await post(server, ME, **headers)).json()
    return body["data"]["me"]


async def test_login_sets_an_httponly_lax_cookie_for_the_tokens_lifetime(server: Server) -> None:
    await register(server, "ada")
    query = LOGIN.replace("$password", '"correct horse battery"')
    response = await post(server, query, {"login": "ada"}, origin=server.url)
    cookie = session_cookie(response)
    assert cookie["value"] == response.json()["data"]["login"]["token"]
    assert "httponly" in cookie
    assert cookie["samesite"].lower() == "lax"
    assert cookie["path"] == "/"
    assert cookie["max-age"] == str(settings.TOKEN_TTL_SECONDS)
    assert "secure" not in cookie  # plain http on loopback: a Secure cookie would never come back


async def test_the_cookie_is_secure_when_the_request_was_https(server: Server) -> None:
    # uvicorn believes X-Forwarded-Proto from 127.0.0.1, as from a reverse proxy that ends TLS
    response = await post(
        server,
        REGISTER.replace("$email", '"grace@example.org"'),
        {"username": "grace"},
        **{"x-forwarded-proto": "https"},
    )
    assert "secure" in session_cookie(response)


async def test_register_starts_the_session_too(server: Server) -> None:
    token = session_cookie(await register(server, "ada"))["value"]
    assert await me(server, **with_cookie(token, origin=server.url)) == {"username": "ada"}


async def test_the_cookie_counts_from_cercles_own_pages_only(server: Server) -> None:
    token = session_cookie(await register(server, "ada"))["value"]
    assert await me(server, **with_cookie(token, origin=OTHER_SITE)) is None
    assert await me(server, **with_cookie(token, origin="null")) is None  # sandboxed frames, file: pages
    assert await me(server, **with_cookie(token)) is None  # neither Origin nor Sec-Fetch-Site: not a page of ours


async def test_a_same_origin_get_without_origin_counts_by_sec_fetch_site(server: Server) -> None:
    token = session_cookie(await register(server, "ada"))["value"]
    async with httpx.AsyncClient() as client:
        ours = await client.get(
            server.graphql_url, params={"query": ME}, headers=with_cookie(token, **{"sec-fetch-site": "same-origin"})
        )
        theirs = await client.get(
            server.graphql_url, params={"query": ME}, headers=with_cookie(token, **{"sec-fetch-site": "cross-site"})
        )
    assert ours.json()["data"]["me"] == {"username": "ada"}
    assert theirs.json()["data"]["me"] is None


async def test_another_sites_mutation_with_the_cookie_is_unauthenticated(server: Server) -> None:
    token = session_cookie(await register(server, "ada"))["value"]
    mutation = 'mutation { updateProfile(input: {bio: "pwned"}) { bio } }'
    refused = (await post(server, mutation, **with_cookie(token, origin=OTHER_SITE))).json()
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    accepted = (await post(server, mutation, **with_cookie(token, origin=server.url))).json()
    assert accepted["data"]["updateProfile"] == {"bio": "pwned"}


async def test_a_bearer_token_wins_over_the_cookie(server: Server) -> None:
    ada = session_cookie(await register(server, "ada"))["value"]
    grace = session_cookie(await register(server, "grace"))["value"]
    headers = with_cookie(ada, origin=server.url, authorization=f"Bearer {grace}")
    assert await me(server, **headers) == {"username": "grace"}


async def test_logout_clears_the_cookie(server: Server) -> None:
    token = session_cookie(await register(server, "ada"))["value"]
    response = await post(server, "mutation { logout }", **with_cookie(token, origin=server.url))
    assert response.json() == {"data": {"logout": True}}
    cleared = session_cookie(response)
    assert cleared["value"] in ("", '""')
    assert cleared["max-age"] == "0"
    assert cleared["path"] == "/"


async def test_logout_is_true_for_bearer_clients_and_anonymous_ones(server: Server) -> None:
    token = session_cookie(await register(server, "ada"))["value"]
    assert (await post(server, "mutation { logout }", authorization=f"Bearer {token}")).json()["data"]["logout"]
    assert (await post(server, "mutation { logout }")).json()["data"]["logout"]


async def me_over_websocket(server: Server, token: str, origin: str) -> dict | None:
    async with websockets.connect(
        server.ws_url, subprotocols=["graphql-transport-ws"], origin=origin, additional_headers=with_cookie(token)
    ) as socket:
        await socket.send(orjson.dumps({"type": "connection_init", "payload": {}}).decode())
        assert orjson.loads(await socket.recv())["type"] == "connection_ack"
        await socket.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": ME}}).decode())
        message = orjson.loads(await socket.recv())
        assert message["type"] == "next", message
        return message["payload"]["data"]["me"]


async def test_a_websocket_from_cercles_pages_is_authenticated_by_the_cookie(server: Server) -> None:
    token = session_cookie(await register(server, "ada"))["value"]
    assert await me_over_websocket(server, token, origin=server.url) == {"username": "ada"}


async def test_a_websocket_from_another_site_is_not(server: Server) -> None:
    token = session_cookie(await register(server, "ada"))["value"]
    assert await me_over_websocket(server, token, origin=OTHER_SITE) is None
