"""Sessions across two server processes sharing PostgreSQL (or SQLite) and, when said, Redis.

A revocation on one process reaches the other at once through Redis, and within SESSION_CHECK_SECONDS without
it (each process re-reads a session it checked once that many seconds passed). Ended sessions close their
WebSockets with 4401 on every process.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import jwt
import orjson
import pytest
import websockets

from models.members import Member
from resolvers.members.sessions import session_global_id
from tests.factories import PASSWORD, Persona
from tests.fixtures.server import REDIS_URL, ROOT, Server, execute, start_server, stop_server

LOGIN = "mutation L($login: String!) { login(input: {login: $login, password: $password}) { token } }"
ME = "{ me { username } }"
REVOKE = "mutation Revoke($id: ID!) { revokeSession(id: $id) }"
SESSIONS = "{ me { sessions { id current } } }"
SUSPEND = "mutation S($u: String!) { suspendAccount(username: $u) { suspended } }"
NOTIFICATIONS = "subscription { notifications { kind } }"
WAIT_SECONDS = 10.0


async def two_servers(database: str, **env: str) -> tuple[Server, Server]:
    return await asyncio.gather(start_server(database, **env), start_server(database, **env))


@pytest.fixture
async def sharing_redis(database: str) -> AsyncIterator[tuple[Server, Server]]:
    """Two processes on one Redis; a long SESSION_CHECK_SECONDS, so only the broker can make revocation fast."""
    env = {"REDIS_URL": REDIS_URL, "REDIS_PREFIX": f"cercle-test-{uuid.uuid4().hex[:8]}", "SESSION_CHECK_SECONDS": "60"}
    servers = await two_servers(database, **env)
    yield servers
    for server in servers:
        stop_server(server)


@pytest.fixture
async def without_broker(database: str) -> AsyncIterator[tuple[Server, Server]]:
    """Two processes that share no broker: only the expiry of each one's checks makes a revocation known."""
    servers = await two_servers(database, SESSION_CHECK_SECONDS="1")
    yield servers
    for server in servers:
        stop_server(server)


async def log_in(server: Server, username: str) -> str:
    answer = await execute(server, LOGIN.replace("$password", json.dumps(PASSWORD)), {"login": username})
    return answer["data"]["login"]["token"]


def session_of(token: str) -> str:
    """The GraphQL id of the token's session."""
    return session_global_id(jwt.decode(token, options={"verify_signature": False})["sid"])


async def me(server: Server, token: str) -> dict | None:
    return (await execute(server, ME, {}, token))["data"]["me"]


async def eventually(condition: Callable[[], Awaitable[bool]], seconds: float) -> float:
    """Poll another process until `condition()` holds (it has no event to wait on); how long it took, at most
    `seconds` or the test fails."""
    started = time.monotonic()
    async with asyncio.timeout(seconds):
        for _ in itertools.count():
            if await condition():
                break
            await asyncio.sleep(0.05)
    return time.monotonic() - started


async def refused_within(server: Server, token: str, seconds: float) -> float:
    async def refused() -> bool:
        return await me(server, token) is None

    return await eventually(refused, seconds)


@asynccontextmanager
async def subscribed(
    server: Server, token: str, *, by_cookie: bool = False
) -> AsyncIterator[websockets.ClientConnection]:
    """A graphql-transport-ws socket authenticated by `token` (as a Bearer token, or as the web app's cookie on
    the handshake), following the member's notifications."""
    headers = {"origin": server.url, "cookie": f"cercle_session={token}"} if by_cookie else {}
    payload = {} if by_cookie else {"authToken": token}
    async with websockets.connect(
        server.ws_url, subprotocols=["graphql-transport-ws"], additional_headers=headers
    ) as socket:
        await socket.send(orjson.dumps({"type": "connection_init", "payload": payload}).decode())
        assert orjson.loads(await asyncio.wait_for(socket.recv(), WAIT_SECONDS))["type"] == "connection_ack"
        subscribe = {"id": "1", "type": "subscribe", "payload": {"query": NOTIFICATIONS}}
        await socket.send(orjson.dumps(subscribe).decode())
        yield socket


async def close_of(socket: websockets.ClientConnection) -> tuple[int, str]:
    """The code and reason the server closes the socket with (reading and dropping anything before)."""
    with pytest.raises(websockets.ConnectionClosed) as closed:
        async with asyncio.timeout(WAIT_SECONDS):
            while True:
                await socket.recv()
    assert closed.value.rcvd is not None, "dropped without a close frame"
    return closed.value.rcvd.code, closed.value.rcvd.reason


async def still_open(socket: websockets.ClientConnection) -> bool:
    pong = await socket.ping()
    await asyncio.wait_for(pong, WAIT_SECONDS)
    return True


async def test_a_session_revoked_on_one_process_is_refused_by_the_other_at_once(sharing_redis, owner_alice: Persona):
    # given: alice logged in twice; the right process has checked (and cached) both sessions
    left, right = sharing_redis
    laptop, phone = await log_in(left, "alice"), await log_in(left, "alice")
    assert await me(right, laptop) == await me(right, phone) == {"username": "alice"}
    listed = (await execute(left, SESSIONS, {}, phone))["data"]["me"]["sessions"]
    assert {session_of(laptop), session_of(phone)} <= {entry["id"] for entry in listed}
    # when: the phone ends the laptop's session through the left process
    assert (await execute(left, REVOKE, {"id": session_of(laptop)}, phone))["data"] == {"revokeSession": True}
    # then: the right process refuses it well before its own 60 s check would
    assert await refused_within(right, laptop, 5) < 5
    assert await me(right, phone) == {"username": "alice"}


async def test_without_a_broker_a_revoked_session_is_refused_within_the_check_interval(
    without_broker, owner_alice: Persona
):
    # given
    left, right = without_broker
    laptop, phone = await log_in(left, "alice"), await log_in(left, "alice")
    assert await me(right, laptop) == {"username": "alice"}  # checked, and cached for a second
    # when
    assert (await execute(left, REVOKE, {"id": session_of(laptop)}, phone))["data"] == {"revokeSession": True}
    # then: within SESSION_CHECK_SECONDS (1), and some slack for a busy machine
    await refused_within(right, laptop, 1 + 3)
    assert await me(right, phone) == {"username": "alice"}


async def test_logout_through_the_cookie_ends_the_session_on_the_other_process(sharing_redis, owner_alice: Persona):
    # given: the web app's cookie session, used from the left process's pages
    left, right = sharing_redis
    async with httpx.AsyncClient() as client:
        login = await client.post(
            left.graphql_url,
            json={"query": LOGIN.replace("$password", json.dumps(PASSWORD)), "variables": {"login": "alice"}},
            headers={"origin": left.url},
        )
        cookie = login.cookies["cercle_session"]
        client.cookies.clear()

        async def me_by_cookie(server: Server) -> dict | None:
            headers = {"origin": server.url, "cookie": f"cercle_session={cookie}"}
            return (await client.post(server.graphql_url, json={"query": ME}, headers=headers)).json()["data"]["me"]

        assert await me_by_cookie(right) == {"username": "alice"}
        async with subscribed(right, cookie, by_cookie=True) as socket:
            # when
            headers = {"origin": left.url, "cookie": f"cercle_session={cookie}"}
            await client.post(left.graphql_url, json={"query": "mutation { logout }"}, headers=headers)

            # then: refused over HTTP, and the socket it authenticated is closed
            async def refused() -> bool:
                return await me_by_cookie(right) is None

            await eventually(refused, 5)
            assert (await close_of(socket))[0] == 4401


async def test_without_a_broker_a_revoked_sessions_socket_closes_within_the_check_interval(
    without_broker, owner_alice: Persona
):
    # given: a live subscription of each of alice's two sessions, on the right process, which hears nothing of
    # what the left one does
    left, right = without_broker
    laptop, phone = await log_in(left, "alice"), await log_in(left, "alice")
    async with subscribed(right, laptop) as on_laptop, subscribed(right, phone) as on_phone:
        # when
        await execute(left, REVOKE, {"id": session_of(laptop)}, phone)
        # then: its own check of its sockets' sessions (every second here) finds it
        started = time.monotonic()
        assert (await close_of(on_laptop))[0] == 4401
        assert time.monotonic() - started < 1 + 3
        assert await still_open(on_phone)


async def test_revoking_a_session_closes_its_sockets_on_the_other_process_and_no_others(
    sharing_redis, owner_alice: Persona
):
    # given: a live subscription of each of alice's two sessions, on the right process
    left, right = sharing_redis
    laptop, phone = await log_in(left, "alice"), await log_in(left, "alice")
    async with subscribed(right, laptop) as on_laptop, subscribed(right, phone) as on_phone:
        # when
        await execute(left, REVOKE, {"id": session_of(laptop)}, phone)
        # then: graphql-transport-ws's Unauthorized, which graphql-ws clients do not retry
        code, reason = await close_of(on_laptop)
        assert code == 4401 and "log in again" in reason
        assert await still_open(on_phone)


async def test_suspension_ends_every_session_and_open_subscription_on_the_other_process(
    sharing_redis, owner_alice: Persona, member_bob: Persona
):
    # given: a site admin, and bob following his notifications on the right process from two sessions
    left, right = sharing_redis
    await Member.filter(id=owner_alice.member.id).update(is_admin=True)
    second = await log_in(right, "bob")
    async with subscribed(right, member_bob.token) as first_socket, subscribed(right, second) as second_socket:
        # when
        answer = await execute(left, SUSPEND, {"u": "bob"}, owner_alice.token)
        assert answer["data"] == {"suspendAccount": {"suspended": True}}, answer
        # then
        assert (await close_of(first_socket))[0] == 4401
        assert (await close_of(second_socket))[0] == 4401
    assert await me(right, second) is None
    refused = await execute(right, LOGIN.replace("$password", json.dumps(PASSWORD)), {"login": "bob"})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_graphql_ws_client_gets_4401_when_its_session_is_revoked(sharing_redis, owner_alice: Persona):
    # given: graphql-ws (the reference client, as the web app uses it) following alice's notifications
    left, right = sharing_redis
    laptop, phone = await log_in(left, "alice"), await log_in(left, "alice")
    process = await asyncio.create_subprocess_exec(
        "node",
        "-e",
        GRAPHQL_WS_CLIENT,
        json.dumps({"url": right.ws_url, "token": laptop, "query": NOTIFICATIONS}),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        async with asyncio.timeout(30):
            assert json.loads(await process.stdout.readline()) == {"connected": True}
            # when
            await execute(left, REVOKE, {"id": session_of(laptop)}, phone)
            # then: the subscription's error sink gets the close event, and the client does not reconnect
            report = json.loads(await process.stdout.readline())
            await process.wait()
    finally:
        if process.returncode is None:
            process.kill()
    assert report["error"]["code"] == 4401
    assert report["connections"] == 1


# graphql-ws with retries allowed (as the web app's client): a 4401 must still end it, after one connection.
GRAPHQL_WS_CLIENT = """
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');
const options = JSON.parse(process.argv[1]);
let connections = 0;
const client = createClient({
  url: options.url, webSocketImpl: WebSocket, connectionParams: { authToken: options.token },
  retryAttempts: 5, retryWait: () => new Promise((resolve) => setTimeout(resolve, 100)),
  on: {
    connected: () => { connections += 1; if (connections === 1) console.log(JSON.stringify({ connected: true })); },
  },
});
client.subscribe({ query: options.query }, {
  next: () => {},
  error: (error) => {
    console.log(JSON.stringify({ error: { code: error?.code, reason: error?.reason }, connections }));
    client.dispose(); process.exit(0);
  },
  complete: () => { console.log(JSON.stringify({ error: 'completed', connections })); process.exit(1); },
});
setTimeout(() => { console.log(JSON.stringify({ error: 'timeout', connections })); process.exit(2); }, 25000);
"""
