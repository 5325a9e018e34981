"""`activity` over real WebSockets, with the Python `gql` client against a real server process."""

from __future__ import annotations

import asyncio
from contextlib import aclosing, asynccontextmanager

import orjson
import pytest
import websockets
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.websockets import WebsocketsTransport

from models.activity import Activity
from models.communities import Community
from realtime.messages import encode_cursor
from tests.factories import Persona, join, make_community, make_member
from tests.fixtures.server import Server, execute

ACTIVITY = """
    subscription Activity($slug: String!, $after: String) {
      activity(communitySlug: $slug, after: $after) { cursor verb summary actor { username } subjectId }
    }
    """
CREATE_POST = """
mutation Post($slug: String!, $title: String!) {
  createPost(input: {communitySlug: $slug, title: $title, body: "hello"}) { id }
}
"""
WAIT_SECONDS = 10


@asynccontextmanager
async def subscribed(server: Server, persona: Persona | None = None):
    params = {"authorization": f"Bearer {persona.token}"} if persona else {}
    transport = WebsocketsTransport(url=server.ws_url, init_payload=params)
    async with Client(transport=transport, fetch_schema_from_transport=False) as session:
        yield session


async def post(server: Server, persona: Persona, slug: str, title: str) -> None:
    answer = await execute(server, CREATE_POST, {"slug": slug, "title": title}, persona.token)
    assert "errors" not in answer, answer


# What the rules add after a contribution (a first post's badge, a level reached): these tests follow
# the events they write, and tests/recognition checks the recognition.
RECOGNITION_VERBS = {"BADGE_AWARDED", "LEVEL_UP"}


async def posted_cursors(community: Community) -> list[str]:
    """The cursors of the community's POSTED events, in the table's order."""
    seqs = await Activity.filter(community_id=community.id, verb="POSTED").order_by("seq").values_list("seq", flat=True)
    return [encode_cursor(community.id, seq) for seq in seqs]


async def next_event(stream) -> dict:
    """The next event that is not recognition, waiting at most WAIT_SECONDS for it."""
    async with asyncio.timeout(WAIT_SECONDS):
        while (event := (await anext(stream))["activity"])["verb"] in RECOGNITION_VERBS:
            pass
    return event


async def test_replay_from_a_cursor_then_live(live_server: Server, owner_alice: Persona):
    # given: a community whose first event (seq 1) is alice joining, and a post after it
    community = await make_community(owner_alice, "Live Room", slug="live-room")
    await post(live_server, owner_alice, community.slug, "Before")
    joined = encode_cursor(community.id, 1)
    async with subscribed(live_server, owner_alice) as session:
        request = GraphQLRequest(ACTIVITY, variable_values={"slug": community.slug, "after": joined})
        async with aclosing(session.subscribe(request)) as stream:
            # when: the missed post is replayed first (the subscription is live from then on)
            replayed = await next_event(stream)
            await post(live_server, owner_alice, community.slug, "After")
            live = await next_event(stream)
    # then
    assert (replayed["verb"], live["verb"]) == ("POSTED", "POSTED")
    assert "Before" in replayed["summary"] and "After" in live["summary"]
    assert replayed["actor"] == {"username": "alice"}
    assert live["cursor"] == (await posted_cursors(community))[-1]


async def subscribe_error(server: Server, persona: Persona | None, variables: dict) -> dict:
    async with subscribed(server, persona) as session:
        with pytest.raises(TransportQueryError) as raised:
            async with aclosing(session.subscribe(GraphQLRequest(ACTIVITY, variable_values=variables))) as stream:
                await next_event(stream)
    return raised.value.errors[0]


async def test_outsiders_and_anonymous_cannot_follow_a_private_community(
    live_server: Server, private_community, outsider_mallory: Persona
):
    for persona in (outsider_mallory, None):
        error = await subscribe_error(live_server, persona, {"slug": private_community.slug})
        assert error["extensions"]["code"] == "FORBIDDEN"


async def test_an_unreadable_cursor_is_bad_user_input(live_server: Server, owner_alice: Persona, public_community):
    error = await subscribe_error(live_server, owner_alice, {"slug": public_community.slug, "after": "not-a-cursor"})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


async def test_an_invalid_token_closes_the_connection_with_4403(live_server: Server):
    async with websockets.connect(live_server.ws_url, subprotocols=["graphql-transport-ws"]) as socket:
        await socket.send(orjson.dumps({"type": "connection_init", "payload": {"authToken": "forged"}}).decode())
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), WAIT_SECONDS)
    assert closed.value.rcvd.code == 4403


async def test_concurrent_writers_are_seen_by_live_and_resuming_subscribers_in_one_order(
    live_server: Server, owner_alice: Persona
):
    # given: 8 members, and a live subscriber from the start
    community = await make_community(owner_alice, "Busy Room", slug="busy-room")
    writers = [await make_member(f"writer{i}") for i in range(8)]
    for writer in writers:
        await join(writer, community)
    start = encode_cursor(community.id, 1 + 2 * len(writers))  # after every JOINED and WELCOMED event
    async with subscribed(live_server, owner_alice) as session:
        request = GraphQLRequest(ACTIVITY, variable_values={"slug": community.slug, "after": start})
        async with aclosing(session.subscribe(request)) as live:
            await post(live_server, owner_alice, community.slug, "Opening")
            assert (await next_event(live))["verb"] == "POSTED"  # live from here on
            # when: 80 posts at once
            await asyncio.gather(
                *(post(live_server, w, community.slug, f"{w.username} #{n}") for w in writers for n in range(10))
            )
            live_events = [await next_event(live) for _ in range(80)]
        # and a second subscriber resumes from the middle of the burst
        middle = live_events[39]["cursor"]
        request = GraphQLRequest(ACTIVITY, variable_values={"slug": community.slug, "after": middle})
        async with aclosing(session.subscribe(request)) as resumed:
            resumed_events = [await next_event(resumed) for _ in range(40)]
    # then: every post exactly once, in one order, the resumed one exactly the second half
    titles = [e["summary"] for e in live_events]
    assert len(set(titles)) == 80
    assert [e["cursor"] for e in live_events] == (await posted_cursors(community))[-80:]
    assert resumed_events == live_events[40:]
