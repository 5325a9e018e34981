"""Two server processes sharing Redis and the database behave as one server."""

from __future__ import annotations

import asyncio
import uuid
from contextlib import aclosing

import pytest
import redis.asyncio as aioredis
from gql import GraphQLRequest

from realtime.messages import encode_cursor
from tests.factories import Persona, gid, join, make_community, make_member, make_post
from tests.fixtures.server import REDIS_URL, start_server, stop_server
from tests.notifications.test_notifications import LIVE, comment, from_now, next_notification
from tests.realtime.test_activity_subscription import ACTIVITY, next_event, post, posted_cursors, subscribed


@pytest.fixture
async def two_servers(database):
    """Two processes on one Redis, with a channel prefix of their own so parallel runs do not mix."""
    env = {"REDIS_URL": REDIS_URL, "REDIS_PREFIX": f"cercle-test-{uuid.uuid4().hex[:8]}"}
    first, second = await asyncio.gather(start_server(database, **env), start_server(database, **env))
    yield first, second
    stop_server(first)
    stop_server(second)


async def test_an_event_written_on_one_process_reaches_a_subscriber_on_the_other(two_servers, owner_alice: Persona):
    # given
    left, right = two_servers
    community = await make_community(owner_alice, "Two Rooms", slug="two-rooms")
    await post(right, owner_alice, community.slug, "Warm-up")
    async with subscribed(left, owner_alice) as session:
        request = GraphQLRequest(
            ACTIVITY, variable_values={"slug": community.slug, "after": encode_cursor(community.id, 1)}
        )
        async with aclosing(session.subscribe(request)) as stream:
            assert "Warm-up" in (await next_event(stream))["summary"]  # replayed: live from here
            # when
            await post(right, owner_alice, community.slug, "Across processes")
            # then
            assert "Across processes" in (await next_event(stream))["summary"]


async def test_concurrent_writers_on_two_processes_are_seen_once_each_in_one_order(two_servers, owner_alice: Persona):
    # given: 8 writers, spread over both processes, and a live subscriber on each process
    left, right = two_servers
    community = await make_community(owner_alice, "Busy Rooms", slug="busy-rooms")
    writers = [await make_member(f"scribe{i}") for i in range(8)]
    for writer in writers:
        await join(writer, community)
    await community.refresh_from_db(fields=["activity_seq"])  # after the joins and welcomes
    joined = community.activity_seq
    variables = {"slug": community.slug, "after": encode_cursor(community.id, joined)}
    async with subscribed(left, owner_alice) as on_left, subscribed(right, owner_alice) as on_right:
        async with (
            aclosing(on_left.subscribe(GraphQLRequest(ACTIVITY, variable_values=variables))) as left_stream,
            aclosing(on_right.subscribe(GraphQLRequest(ACTIVITY, variable_values=variables))) as right_stream,
        ):
            await post(left, owner_alice, community.slug, "Opening")
            await next_event(left_stream)
            await next_event(right_stream)
            # when: 80 posts at the same moment, half through each process
            await asyncio.gather(
                *(
                    post((left, right)[n % 2], writer, community.slug, f"{writer.username} #{n}")
                    for writer in writers
                    for n in range(10)
                )
            )
            seen_left = [await next_event(left_stream) for _ in range(80)]
            seen_right = [await next_event(right_stream) for _ in range(80)]
        # and a latecomer resumes from the middle of the burst on the other process
        middle = {"slug": community.slug, "after": seen_left[39]["cursor"]}
        async with aclosing(on_right.subscribe(GraphQLRequest(ACTIVITY, variable_values=middle))) as resumed:
            seen_resumed = [await next_event(resumed) for _ in range(40)]
    # then
    assert [e["cursor"] for e in seen_left] == (await posted_cursors(community))[-80:]
    assert all(e["verb"] == "POSTED" for e in seen_left)
    assert seen_right == seen_left
    assert seen_resumed == seen_left[40:]
    assert len({e["summary"] for e in seen_left}) == 80


async def test_subscribers_receive_every_event_across_a_broken_redis_connection(two_servers, owner_alice: Persona):
    # given: a live subscriber on the left process
    left, right = two_servers
    community = await make_community(owner_alice, "Fragile Room", slug="fragile-room")
    await post(right, owner_alice, community.slug, "Before")
    async with subscribed(left, owner_alice) as session:
        request = GraphQLRequest(
            ACTIVITY, variable_values={"slug": community.slug, "after": encode_cursor(community.id, 1)}
        )
        async with aclosing(session.subscribe(request)) as stream:
            await next_event(stream)
            # when: Redis drops every pub/sub connection, and events are written meanwhile
            admin = aioredis.from_url(REDIS_URL)
            await admin.client_kill_filter(_type="pubsub")
            for n in range(5):
                await post(right, owner_alice, community.slug, f"During {n}")
            await admin.aclose()
            # then: all of them arrive, in order, once
            events = [await next_event(stream) for _ in range(5)]
    assert [e["summary"].split("“")[1].rstrip("”") for e in events] == [f"During {n}" for n in range(5)]


async def test_a_notification_written_on_one_process_reaches_the_member_on_the_other(
    two_servers, owner_alice: Persona, member_bob: Persona, public_community
):
    # given: bob follows his notifications on the left process, from a first one on
    left, right = two_servers
    post_id = gid(await make_post(member_bob, public_community, "Across"))
    start = await from_now(member_bob)
    await comment(right, owner_alice, post_id, "one")
    async with subscribed(left, member_bob) as session:
        request = GraphQLRequest(LIVE, variable_values=start)
        async with aclosing(session.subscribe(request)) as stream:
            assert (await next_notification(stream))["excerpt"] == "one"
            # when: alice comments again through the right process
            await comment(right, owner_alice, post_id, "two")
            # then
            assert (await next_notification(stream))["excerpt"] == "two"
