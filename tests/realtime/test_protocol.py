"""The WebSocket protocols as clients see them, against a real server process.

The npm reference client (graphql-ws), the legacy `graphql-ws` sub-protocol, the
graphql-transport-ws close codes for bad clients, the per-connection operation cap, error
codes over WebSocket and a subscriber too slow to keep up.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import orjson
import pytest
import websockets

from models.communities import Community, JoinPolicy, Visibility
from realtime.messages import encode_cursor
from resolvers.communities.creation import do_create_community
from tests.factories import Persona, make_community
from tests.fixtures.server import ROOT, Server, run_node, start_server, stop_server
from tests.graphql.documents import fragment_fan_out

WAIT_SECONDS = 10
ACTIVITY = """
subscription Activity($slug: String!, $after: String) {
  activity(communitySlug: $slug, after: $after) { cursor verb summary }
}
"""
CREATE_POST = """
mutation Post($slug: String!, $title: String!) {
  createPost(input: {communitySlug: $slug, title: $title, body: "hello"}) { id }
}
"""
TRANSPORT = "graphql-transport-ws"
LEGACY = "graphql-ws"
_ids = itertools.count(1)

Socket = websockets.ClientConnection


@asynccontextmanager
async def connected(server: Server, protocol: str = TRANSPORT, **options: object) -> AsyncIterator[Socket]:
    async with websockets.connect(server.ws_url, subprotocols=[protocol], **options) as socket:
        assert socket.subprotocol == protocol
        yield socket


async def send(socket: Socket, message: dict) -> None:
    await socket.send(orjson.dumps(message).decode())


async def receive(socket: Socket, seconds: float = WAIT_SECONDS) -> dict:
    """The next message that is not a keep-alive."""
    while True:
        message = orjson.loads(await asyncio.wait_for(socket.recv(), seconds))
        if message.get("type") not in ("ka", "ping", "pong"):
            return message


async def close_code(socket: Socket, seconds: float = WAIT_SECONDS) -> int:
    """The code the server closes the socket with (reading and dropping anything before)."""
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(socket.recv(), seconds)
    assert closed.value.rcvd is not None, "the connection dropped without a close frame"
    return closed.value.rcvd.code


async def initialise(socket: Socket, persona: Persona | None = None, *, legacy_key: bool = False) -> None:
    if persona is None:
        payload: dict = {}
    elif legacy_key:
        payload = {"authToken": persona.token}
    else:
        payload = {"authorization": f"Bearer {persona.token}"}
    await send(socket, {"type": "connection_init", "payload": payload})
    assert (await receive(socket))["type"] == "connection_ack"


async def subscribe(socket: Socket, variables: dict, *, query: str = ACTIVITY, protocol: str = TRANSPORT) -> str:
    operation_id = f"op{next(_ids)}"
    message_type = "subscribe" if protocol == TRANSPORT else "start"
    await send(socket, {"id": operation_id, "type": message_type, "payload": {"query": query, "variables": variables}})
    return operation_id


async def seasoned(server: Server, persona: Persona, slug: str) -> int:
    """Two posts, so that later posts add no recognition (first-post badge, MEMBER level); the last seq."""
    await post(server, persona, slug, "Warm-up one")
    await post(server, persona, slug, "Warm-up two")
    return (await Community.get(slug=slug)).activity_seq


async def post(server: Server, persona: Persona, slug: str, title: str) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            server.graphql_url,
            json={"query": CREATE_POST, "variables": {"slug": slug, "title": title}},
            headers={"authorization": f"Bearer {persona.token}"},
        )
    body = response.json()
    assert "errors" not in body, body


async def first_event(server: Server, persona: Persona, slug: str) -> dict:
    """A fresh subscription from the start of the feed gets the owner's JOINED event: the server serves."""
    async with connected(server) as socket:
        await initialise(socket, persona)
        operation_id = await subscribe(socket, {"slug": slug, "after": encode_cursor_for(slug)})
        message = await receive(socket)
    assert message["type"] == "next" and message["id"] == operation_id, message
    return message["payload"]["data"]["activity"]


_community_ids: dict[str, int] = {}


def encode_cursor_for(slug: str, seq: int = 0) -> str:
    return encode_cursor(_community_ids[slug], seq)


async def community_for(owner: Persona, name: str, slug: str, **options: object) -> str:
    community = await make_community(owner, name, slug=slug, **options)
    _community_ids[slug] = community.id
    return slug


# 1. The npm reference client


async def test_the_graphql_ws_reference_client_replays_from_a_cursor_then_follows_live(
    live_server: Server, owner_alice: Persona, node_modules
):
    # given: a community where alice is past her first-post badge and first level, and two posts
    slug = await community_for(owner_alice, "Reference Room", "reference-room")
    start = await seasoned(live_server, owner_alice, slug)
    await post(live_server, owner_alice, slug, "First")
    await post(live_server, owner_alice, slug, "Second")
    options = {
        "url": live_server.ws_url,
        "token": owner_alice.token,
        "slug": slug,
        "after": encode_cursor_for(slug, start),
        "count": 3,
    }
    # when: graphql-ws follows from after the JOINED event; once it has the two replayed, a live post
    node = await asyncio.create_subprocess_exec(
        "node",
        str(ROOT / "tests" / "js" / "subscribe.mjs"),
        orjson.dumps(options).decode(),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert node.stdout is not None
        lines = [orjson.loads(await asyncio.wait_for(node.stdout.readline(), 30)) for _ in range(2)]
        await post(live_server, owner_alice, slug, "Third")
        rest, stderr = await asyncio.wait_for(node.communicate(), 30)
    finally:
        if node.returncode is None:
            node.kill()
    lines += [orjson.loads(line) for line in rest.splitlines()]
    code = node.returncode
    # then: the three posts in order, and a clean completion
    assert code == 0, (lines, stderr.decode())
    assert lines[-1] == {"done": True}
    events = lines[:-1]
    assert [e["cursor"] for e in events] == [encode_cursor_for(slug, start + n) for n in (1, 2, 3)]
    assert [e["verb"] for e in events] == ["POSTED"] * 3
    assert "First" in events[0]["summary"] and "Second" in events[1]["summary"]
    assert "Third" in events[2]["summary"]


async def test_the_reference_client_is_told_why_it_was_refused(live_server: Server, node_modules):
    options = {"url": live_server.ws_url, "token": "forged", "slug": "anything", "count": 1}
    code, stdout, _ = await run_node("subscribe.mjs", orjson.dumps(options).decode(), timeout_seconds=30)
    assert code == 1
    assert orjson.loads(stdout.splitlines()[-1])["error"]["code"] == 4403


# 2. Legacy graphql-ws sub-protocol


@pytest.mark.parametrize("legacy_key", [False, True], ids=["authorization", "authToken"])
async def test_the_legacy_protocol_authenticates_and_delivers_events(
    live_server: Server, owner_alice: Persona, legacy_key: bool
):
    # given: a private community, so that only an authenticated alice may follow it
    slug = await community_for(
        owner_alice, "Legacy Room", "legacy-room", visibility=Visibility.PRIVATE, join_policy=JoinPolicy.INVITE
    )
    async with connected(live_server, LEGACY) as socket:
        await initialise(socket, owner_alice, legacy_key=legacy_key)
        # when: start (replaying alice's JOINED event), then a live post
        operation_id = await subscribe(socket, {"slug": slug, "after": encode_cursor_for(slug)}, protocol=LEGACY)
        replayed = await receive(socket)
        await post(live_server, owner_alice, slug, "Legacy news")
        live = await receive(socket)
        # and: stop ends the operation with `complete`
        await send(socket, {"id": operation_id, "type": "stop"})
        while (completed := await receive(socket))["type"] == "data":
            pass  # events already on their way (the post's badge) may come before `complete`
    # then
    assert (replayed["type"], replayed["id"]) == ("data", operation_id), replayed
    assert replayed["payload"]["data"]["activity"]["verb"] == "JOINED"
    assert live["type"] == "data"
    assert live["payload"]["data"]["activity"]["cursor"] == encode_cursor_for(slug, 2)
    assert "Legacy news" in live["payload"]["data"]["activity"]["summary"]
    assert completed == {"type": "complete", "id": operation_id}


async def test_the_legacy_protocol_refuses_a_start_before_connection_init(live_server: Server):
    async with connected(live_server, LEGACY) as socket:
        await subscribe(socket, {"slug": "anything"}, protocol=LEGACY)
        assert await close_code(socket) == 4401


async def test_the_legacy_protocol_refuses_a_forged_token(live_server: Server):
    async with connected(live_server, LEGACY) as socket:
        await send(socket, {"type": "connection_init", "payload": {"authToken": "forged"}})
        assert (await receive(socket))["type"] == "connection_error"
        await close_code(socket)


# 3. connection_init timeout


async def test_a_client_that_never_sends_connection_init_is_closed_with_4408(live_server: Server):
    async with connected(live_server) as socket:
        started = time.monotonic()
        code = await close_code(socket, seconds=3 + 5)
        elapsed = time.monotonic() - started
    assert code == 4408
    assert 2 <= elapsed < 6, elapsed


# 4. Malformed frames


async def _no_connection_init(socket: Socket) -> None:
    await subscribe(socket, {"slug": "python-paris"})


async def _duplicate_id(socket: Socket) -> None:
    await initialise(socket)
    message = {"id": "same", "type": "subscribe", "payload": {"query": ACTIVITY, "variables": {"slug": "python-paris"}}}
    await send(socket, message)
    await send(socket, message)


async def _two_inits(socket: Socket) -> None:
    await initialise(socket)
    await send(socket, {"type": "connection_init", "payload": {}})


MALFORMED = {
    "not json": (lambda socket: socket.send("{not json"), 4400),
    "no type": (lambda socket: send(socket, {"id": "1", "payload": {}}), 4400),
    "unknown type": (lambda socket: send(socket, {"type": "hello"}), 4400),
    "subscribe before connection_init": (_no_connection_init, 4401),
    "duplicate operation id": (_duplicate_id, 4409),
    "two connection_init": (_two_inits, 4429),
}


@pytest.mark.parametrize("case", list(MALFORMED))
async def test_a_malformed_frame_closes_that_socket_only_with_the_protocol_code(
    live_server: Server, owner_alice: Persona, public_community, case: str
):
    _community_ids[public_community.slug] = public_community.id
    behave, expected = MALFORMED[case]
    # given: a well-behaved subscriber on the same server
    async with connected(live_server) as bystander:
        await initialise(bystander, owner_alice)
        watching = await subscribe(bystander, {"slug": public_community.slug})
        # when: another client misbehaves
        async with connected(live_server) as socket:
            await behave(socket)
            code = await close_code(socket)
        # then: it is closed with the protocol's code...
        assert code == expected
        # ...and the server keeps serving: the bystander still gets live events, a new client subscribes
        await post(live_server, owner_alice, public_community.slug, f"After {case}")
        message = await receive(bystander)
        assert message["id"] == watching and "After" in message["payload"]["data"]["activity"]["summary"]
    async with httpx.AsyncClient() as http:
        health = await http.get(live_server.url + "/healthz")
    assert health.status_code == 200
    assert (await first_event(live_server, owner_alice, public_community.slug))["verb"] == "JOINED"


# Every JSON type but an object, where an object is expected
NOT_OBJECTS = {
    "array": [],
    "array of a message": [{"type": "connection_init"}],
    "string": "x",
    "number": 1,
    "true": True,
}
NOT_STRINGS = {"array": [], "object": {}, "number": 1, "true": True}
NOT_JSON_FRAMES = {
    "non-JSON text": "{not json",
    "binary": b"\x00{}",
    "JSON nested too deeply": "[" * 100_000 + "]" * 100_000,
}
Frame = str | bytes | dict | list | int | float | bool | None


def _operation_payload_cases() -> dict[str, dict]:
    """Operation payloads (subscribe, legacy start) with one member of the wrong type."""
    cases: dict[str, dict] = {f"payload {name}": value for name, value in {**NOT_OBJECTS, "null": None}.items()}
    good = {"query": ACTIVITY, "variables": {"slug": "python-paris"}}
    for member, wrong in [
        ("query", {**NOT_STRINGS, "null": None}),
        ("variables", {k: v for k, v in {**NOT_OBJECTS, **NOT_STRINGS}.items() if k != "object"}),
        ("operationName", NOT_STRINGS),
        ("extensions", {k: v for k, v in {**NOT_OBJECTS, **NOT_STRINGS}.items() if k != "object"}),
    ]:
        for name, value in wrong.items():
            cases[f"{member} {name}"] = {**good, member: value}
    return cases


def malformed_frames(protocol: str) -> dict[str, tuple[bool, Frame]]:
    """Case name -> (send connection_init first, the frame)."""
    start, stop = ("subscribe", "complete") if protocol == TRANSPORT else ("start", "stop")
    cases: dict[str, tuple[bool, Frame]] = {name: (False, frame) for name, frame in NOT_JSON_FRAMES.items()}
    cases |= {f"frame {name}": (False, frame) for name, frame in {**NOT_OBJECTS, "null": None}.items()}
    cases |= {f"type {name}": (False, {"type": value}) for name, value in {**NOT_STRINGS, "null": None}.items()}
    cases |= {"no type": (False, {"id": "1"}), "unknown type": (False, {"type": "hello"})}
    cases |= {
        f"connection_init payload {name}": (False, {"type": "connection_init", "payload": value})
        for name, value in NOT_OBJECTS.items()
    }
    cases |= {
        f"{start} {name}": (True, {"id": "1", "type": start, "payload": payload})
        for name, payload in _operation_payload_cases().items()
    }
    good_payload = {"query": ACTIVITY, "variables": {"slug": "python-paris"}}
    for message_type in (start, stop):
        cases[f"{message_type} without id"] = (True, {"type": message_type, "payload": good_payload})
        for name, value in {**NOT_STRINGS, "null": None}.items():
            cases[f"{message_type} id {name}"] = (True, {"id": value, "type": message_type, "payload": good_payload})
    if protocol == TRANSPORT:
        for message_type in ("ping", "pong"):
            cases |= {
                f"{message_type} payload {name}": (True, {"type": message_type, "payload": value})
                for name, value in NOT_OBJECTS.items()
            }
    return cases


async def _send_frame(socket: Socket, frame: Frame) -> None:
    await socket.send(frame if isinstance(frame, str | bytes) else orjson.dumps(frame).decode())


async def _code_after(server: Server, protocol: str, initialised: bool, frame: Frame) -> int | str:
    """The close code a frame gets, or what happened instead."""
    async with connected(server, protocol) as socket:
        if initialised:
            await initialise(socket)
        await _send_frame(socket, frame)
        try:
            while True:
                await asyncio.wait_for(socket.recv(), 5)
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else "dropped without a close frame"
        except TimeoutError:
            return "left open"


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_every_malformed_frame_closes_the_socket_with_4400(live_server: Server, protocol: str):
    # given: frames of every wrong shape, each on its own socket
    codes = {
        name: await _code_after(live_server, protocol, initialised, frame)
        for name, (initialised, frame) in malformed_frames(protocol).items()
    }
    # then: each is refused with the protocol's "bad message" code, none crashes the handler
    assert {name: code for name, code in codes.items() if code != 4400} == {}


async def test_a_duplicate_operation_id_too_long_to_quote_in_the_close_reason_still_gets_4409(live_server: Server):
    # given: an id whose quote would not fit the 123 bytes a close frame's reason may carry
    message = {"id": "é" * 100, "type": "subscribe", "payload": {"query": ACTIVITY, "variables": {"slug": "x"}}}
    async with connected(live_server) as socket:
        await initialise(socket)
        # when
        await send(socket, message)
        await send(socket, message)
        # then
        assert await close_code(socket) == 4409


async def test_connection_init_with_a_null_payload_is_acknowledged(live_server: Server):
    # graphql-transport-ws allows `payload: null` (graphql-ws sends it when connectionParams returns null)
    async with connected(live_server) as socket:
        await send(socket, {"type": "connection_init", "payload": None})
        assert (await receive(socket))["type"] == "connection_ack"


# 5. Per-connection subscription cap


async def test_the_21st_subscription_on_one_socket_gets_an_error_and_the_others_keep_working(
    live_server: Server, owner_alice: Persona, public_community
):
    slug = public_community.slug
    await seasoned(live_server, owner_alice, slug)
    async with connected(live_server) as socket:
        await initialise(socket, owner_alice)
        # given: 20 live subscriptions on one socket
        first_twenty = [await subscribe(socket, {"slug": slug}) for _ in range(20)]
        # when: a 21st
        extra = await subscribe(socket, {"slug": slug})
        refused = await receive(socket)
        # then: an error for that id only, with a code; the socket stays open
        assert refused["type"] == "error" and refused["id"] == extra, refused
        assert refused["payload"][0]["extensions"]["code"] == "RATE_LIMITED"
        # and: the 20 earlier ones all receive the next post
        await post(live_server, owner_alice, slug, "For the twenty")
        delivered = [await receive(socket) for _ in range(20)]
        assert sorted(m["id"] for m in delivered) == sorted(first_twenty)
        assert all("For the twenty" in m["payload"]["data"]["activity"]["summary"] for m in delivered)
        # and: completing one frees a slot
        await send(socket, {"id": first_twenty[0], "type": "complete"})
        again = await subscribe(socket, {"slug": slug, "after": encode_cursor(public_community.id, 0)})
        message = await receive(socket)
        assert message["id"] == again and message["type"] == "next", message


# 5b. Per-address socket cap
#
# A dedicated server allows two sockets per address. uvicorn trusts X-Forwarded-For from 127.0.0.1,
# as it would from a proxy named in --forwarded-allow-ips, so each test speaks from addresses of its own.

PER_ADDRESS = 2


@pytest.fixture(scope="module")
async def two_sockets_per_address_server(database: str) -> AsyncIterator[Server]:
    server = await start_server(database, MAX_WEBSOCKETS_PER_ADDRESS=str(PER_ADDRESS))
    yield server
    stop_server(server)


def from_address(address: str) -> dict:
    return {"additional_headers": {"x-forwarded-for": address}}


async def refusal(socket: Socket) -> tuple[int, str] | None:
    """None when connection_init is acknowledged; else the close code and reason."""
    try:
        await send(socket, {"type": "connection_init", "payload": {}})
        assert (await receive(socket))["type"] == "connection_ack"
        return None
    except websockets.ConnectionClosed as closed:
        assert closed.rcvd is not None, "the connection dropped without a close frame"
        return closed.rcvd.code, closed.rcvd.reason


async def test_sockets_past_the_cap_of_one_address_are_closed_with_1013(two_sockets_per_address_server: Server):
    server = two_sockets_per_address_server
    async with (
        connected(server, **from_address("203.0.113.1")) as first,
        connected(server, **from_address("203.0.113.1")) as second,
    ):
        assert await refusal(first) is None and await refusal(second) is None
        # when: a third socket from the same address
        async with connected(server, **from_address("203.0.113.1")) as third:
            refused = await refusal(third)
        # then: closed with "try again later" and a reason
        assert refused is not None and refused[0] == 1013, refused
        assert f"at most {PER_ADDRESS}" in refused[1]
        # and: other addresses are not affected, nor are the first two sockets
        async with connected(server, **from_address("203.0.113.2")) as elsewhere:
            assert await refusal(elsewhere) is None
        await send(first, {"type": "ping"})
        assert orjson.loads(await asyncio.wait_for(first.recv(), WAIT_SECONDS)) == {"type": "pong"}


async def test_a_closed_socket_frees_its_slot(two_sockets_per_address_server: Server):
    server = two_sockets_per_address_server
    # given: an address at its cap
    async with connected(server, **from_address("203.0.113.3")) as keeps:
        assert await refusal(keeps) is None
        async with connected(server, **from_address("203.0.113.3")) as leaves:
            assert await refusal(leaves) is None
            async with connected(server, **from_address("203.0.113.3")) as one_too_many:
                assert await refusal(one_too_many) is not None
        # when: one socket closes; the server frees its slot once the socket's handler has ended
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            async with connected(server, **from_address("203.0.113.3")) as again:
                refused = await refusal(again)
            if refused is None or time.monotonic() > deadline:
                break
        # then: a new socket from that address takes the freed slot
        assert refused is None, refused


# 6. Errors over WebSocket carry extensions.code


async def _subscription_error(server: Server, persona: Persona | None, variables: dict, query: str = ACTIVITY) -> dict:
    async with connected(server) as socket:
        await initialise(socket, persona)
        operation_id = await subscribe(socket, variables, query=query)
        message = await receive(socket)
        assert message["id"] == operation_id, message
        if message["type"] == "error":
            return message["payload"][0]
        assert message["type"] == "next" and message["payload"].get("errors"), message
        return message["payload"]["errors"][0]


async def test_errors_over_websocket_carry_a_code(
    live_server: Server, owner_alice: Persona, outsider_mallory: Persona, private_community, public_community
):
    cases = [
        (outsider_mallory, {"slug": "no-such-community"}, ACTIVITY, "NOT_FOUND"),
        (outsider_mallory, {"slug": private_community.slug}, ACTIVITY, "FORBIDDEN"),
        (None, {"slug": private_community.slug}, ACTIVITY, "FORBIDDEN"),
        (owner_alice, {"slug": public_community.slug, "after": "not-a-cursor"}, ACTIVITY, "BAD_USER_INPUT"),
        # validation errors: an unknown field, a missing variable
        (
            owner_alice,
            {"slug": public_community.slug},
            'subscription { activity(communitySlug: "x") { nope } }',
            "BAD_USER_INPUT",
        ),
        (owner_alice, {}, ACTIVITY, "BAD_USER_INPUT"),
        # too deep
        (
            owner_alice,
            {},
            'subscription { activity(communitySlug: "x") { community { '
            + "posts { edges { node { community { " * 3
            + "slug"
            + " } } } }" * 3
            + " } } }",
            "QUERY_TOO_COMPLEX",
        ),
    ]
    for persona, variables, query, code in cases:
        error = await _subscription_error(live_server, persona, variables, query)
        assert error.get("extensions", {}).get("code") == code, (variables, query, error)


async def test_legacy_protocol_errors_carry_a_code_too(live_server: Server):
    async with connected(live_server, LEGACY) as socket:
        await initialise(socket)
        for query, code in [
            ('subscription { activity(communitySlug: "x") { nope } }', "BAD_USER_INPUT"),
            (ACTIVITY, "NOT_FOUND"),
            ("query { me { username } }", "BAD_USER_INPUT"),  # legacy graphql-ws is for subscriptions
        ]:
            operation_id = await subscribe(socket, {"slug": "no-such-community"}, query=query, protocol=LEGACY)
            message = await receive(socket)
            while message["type"] == "complete":
                message = await receive(socket)
            assert message["id"] == operation_id, message
            error = message["payload"] if message["type"] == "error" else message["payload"]["errors"][0]
            assert error["extensions"]["code"] == code, (query, message)


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_a_fragment_fan_out_is_refused_promptly(live_server: Server, protocol: str):
    # given: a subscription under 2 KB that expands to 2**39 cursors
    root = 'subscription { activity(communitySlug: "python-paris") { ...F1 } }'
    document = fragment_fan_out(40, on="ActivityEvent", leaf="cursor", root=root)
    async with connected(live_server, protocol) as socket:
        await initialise(socket)
        # when
        operation_id = await subscribe(socket, {}, query=document, protocol=protocol)
        # then: an error for that operation, in far less than the years an expansion would take
        message = await receive(socket, seconds=20)
    assert (message["type"], message["id"]) == ("error", operation_id), message
    error = message["payload"][0] if protocol == TRANSPORT else message["payload"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_a_syntax_error_closes_a_graphql_transport_ws_socket_with_4400(live_server: Server):
    async with connected(live_server) as socket:
        await initialise(socket)
        await subscribe(socket, {}, query="subscription {")
        assert await close_code(socket) == 4400


# 7. A subscriber too slow to keep up
#
# With the default queue (1000 events per listener) and socket buffers that take a few hundred
# kilobytes, overflowing needs well over 1000 posts: about 30 s at the 40-60 posts/s a test
# server sustains. The test therefore runs a dedicated server with a small queue, which needs
# `settings.LISTENER_QUEUE_SIZE` (read by realtime/hub.py); it is skipped until then.

SMALL_QUEUE = 100
BURST = 220  # posts; a few dozen fill the slow reader's buffers, SMALL_QUEUE more overflow its queue
BATCH = 10  # posts per HTTP request (aliased mutations)
TITLE_PADDING = "x" * 20


# The reader that keeps up asks for nothing the server must load per event.
LIGHT = "subscription($slug: String!) { activity(communitySlug: $slug) { cursor } }"


@pytest.fixture
async def small_queue_server(database: str) -> AsyncIterator[Server]:
    import settings

    if not hasattr(settings, "LISTENER_QUEUE_SIZE"):
        pytest.skip("realtime/hub.py's LISTENER_QUEUE_SIZE is a constant: it should come from settings")
    server = await start_server(database, LISTENER_QUEUE_SIZE=str(SMALL_QUEUE))
    yield server
    stop_server(server)


async def post_burst(server: Server, persona: Persona, slug: str, count: int) -> None:
    """`count` posts, BATCH per request, a few requests at once."""
    fields = "\n".join(
        f'p{i}: createPost(input: {{communitySlug: $slug, title: $t{i}, body: "b"}}) {{ id }}' for i in range(BATCH)
    )
    variables = ", ".join(f"$t{i}: String!" for i in range(BATCH))
    mutation = f"mutation Burst($slug: String!, {variables}) {{ {fields} }}"
    limit = asyncio.Semaphore(4)
    async with httpx.AsyncClient(timeout=60) as http:

        async def batch(start: int) -> None:
            titles = {f"t{i}": f"{start + i} {TITLE_PADDING}" for i in range(BATCH)}
            async with limit:
                response = await http.post(
                    server.graphql_url,
                    json={"query": mutation, "variables": {"slug": slug, **titles}},
                    headers={"authorization": f"Bearer {persona.token}"},
                )
            assert "errors" not in response.json(), response.json()

        await asyncio.gather(*(batch(start) for start in range(0, count, BATCH)))


def small_receive_buffer_socket() -> socket.socket:
    """A client socket that advertises a small receive window, so that the server's writes block early."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    return sock


async def test_a_subscriber_that_falls_behind_is_told_to_resume_while_others_get_everything(
    small_queue_server: Server, owner_alice: Persona
):
    server = small_queue_server
    community = await do_create_community(
        owner_alice.ctx,
        name="Busy Feed",
        slug="busy-feed",
        description="d" * 5000,
        visibility=Visibility.PUBLIC,
        join_policy=JoinPolicy.OPEN,
    )
    slug = community.slug
    _community_ids[slug] = community.id
    # events of 70 kB each, so that socket buffers (a few MB) fill after a few dozen
    descriptions = " ".join(f"c{i}: community {{ description }}" for i in range(14))
    heavy = f"subscription($slug: String!) {{ activity(communitySlug: $slug) {{ cursor {descriptions} }} }}"
    host, port = server.url.removeprefix("http://").split(":")
    raw = small_receive_buffer_socket()
    raw.setblocking(False)
    await asyncio.get_running_loop().sock_connect(raw, (host, int(port)))
    received: list[str] = []

    async def follow_everything(socket: Socket) -> None:
        while len(received) < BURST:
            message = await receive(socket, 30)
            assert message["type"] == "next" and "errors" not in message["payload"], message
            received.append(message["payload"]["data"]["activity"]["cursor"])

    # given: a reader that keeps up, and one that reads nothing (and buffers little)
    async with connected(server) as good, connected(server, sock=raw, max_queue=1, compression=None) as slow:
        await initialise(good, owner_alice)
        await initialise(slow, owner_alice)
        await subscribe(good, {"slug": slug}, query=LIGHT)
        slow_id = await subscribe(slow, {"slug": slug}, query=heavy)
        reader = asyncio.create_task(follow_everything(good))
        # when: a burst of posts
        await post_burst(server, owner_alice, slug, BURST)
        await asyncio.wait_for(reader, 30)
        # then: the slow reader finds what fitted in the buffers, then an error for its subscription
        last = encode_cursor_for(slug, 1)
        while True:
            message = await receive(slow)
            if message["type"] != "next" or message["payload"].get("errors"):
                break
            last = message["payload"]["data"]["activity"]["cursor"]
    assert message["id"] == slow_id
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert "resume from your last cursor" in errors[0]["message"], message
    assert errors[0]["extensions"]["code"] == "RATE_LIMITED", message
    # and: the other reader got every event, in order
    assert received == [encode_cursor_for(slug, seq) for seq in range(2, BURST + 2)]
    # and: resuming from the last cursor it saw gives the slow reader the rest, in order
    missed = received[received.index(last) + 1 :] if last in received else received
    async with connected(server) as again:
        await initialise(again, owner_alice)
        await subscribe(again, {"slug": slug, "after": last})
        resumed = [(await receive(again))["payload"]["data"]["activity"]["cursor"] for _ in missed]
    assert resumed == missed
    assert len(missed) >= SMALL_QUEUE
