"""Losing access ends a live feed even when the broker loses the message that says so.

Two server processes share a Redis of the test's own and the test database. The
Redis dies while a member is banned (or a manager demoted) through one process,
so the other never hears of it; it comes back, and the next event must end the
viewer's feeds with FORBIDDEN rather than deliver it. In this process, a broker
that loses messages on demand shows the same when the events after a ban are
read from the table to fill a gap.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, aclosing

import pytest
from gql import GraphQLRequest
from gql.transport.exceptions import TransportQueryError

from models.communities import Community
from models.posts import Post
from realtime import start_realtime
from realtime.broker import InProcessBroker
from realtime.messages import Message, encode_cursor
from resolvers.communities.invitations import do_create_invitation
from resolvers.communities.moderation import do_set_banned
from resolvers.communities.roles import do_set_role
from schema import schema
from tests.communities.helpers import SET_ROLE
from tests.engagement.test_engagement import PULSE
from tests.factories import Persona, gid, join, make_community, make_member, make_post
from tests.fixtures.private_redis import PrivateRedis
from tests.fixtures.server import Server, execute, start_server, stop_server
from tests.notifications.test_notifications import LIVE, from_now, next_notification
from tests.posts.test_live_feeds import COMMENT_ADDED, POST_ADDED, comment
from tests.realtime.test_activity_subscription import ACTIVITY, WAIT_SECONDS, post, subscribed
from tests.recognition.test_badge_awarded import AWARDS
from tests.recognition.test_live_standing import BOARD
from tests.welcome.test_welcome import WELCOMES

BAN = "mutation Ban($slug: String!, $who: String!) { banMember(communitySlug: $slug, username: $who) { status } }"
AFTER = "After the change"  # the title and body of everything written once access was taken away


@pytest.fixture(scope="module")
async def servers_on_private_redis(
    database: str, module_private_redis: PrivateRedis
) -> AsyncIterator[tuple[Server, Server]]:
    env = {
        "REDIS_URL": module_private_redis.url,
        "REDIS_PREFIX": f"cercle-test-{uuid.uuid4().hex[:8]}",
        "ENGAGEMENT_PULSE_SECONDS": "0.2",
    }
    left, right = await asyncio.gather(start_server(database, **env), start_server(database, **env))
    yield left, right
    stop_server(left)
    stop_server(right)


async def first_message(stream) -> dict:
    return await asyncio.wait_for(anext(stream), WAIT_SECONDS)


async def until_refused(stream) -> tuple[list[dict], str | None]:
    """Every message up to the error that ends the stream, and its code (None: no end within WAIT_SECONDS)."""
    seen = []
    try:
        while True:
            seen.append(await first_message(stream))
    except TransportQueryError as error:
        return seen, error.errors[0]["extensions"]["code"]
    except TimeoutError:
        return seen, None


async def change_access_while_redis_is_down(redis: PrivateRedis, server: Server, document: str, variables, token):
    """Kill Redis, change access through `server` (its announcement is lost), and bring Redis back."""
    redis.kill()
    try:
        answer = await execute(server, document, variables, token)
    finally:
        await redis.start()
    assert "errors" not in answer, answer


async def test_a_member_banned_while_redis_is_down_loses_every_feed_of_the_private_community(
    servers_on_private_redis,
    module_private_redis: PrivateRedis,
    owner_alice: Persona,
    member_bob: Persona,
    private_community: Community,
):
    # given: bob follows every live feed of the private community on the right process, and his notifications
    left, right = servers_on_private_redis
    slug = private_community.slug
    await post(left, owner_alice, slug, "Members only")
    watched = gid(await Post.get(title="Members only"))
    await comment(left, owner_alice, watched, "A first comment")
    since_start = {"slug": slug, "after": encode_cursor(private_community.id, 0)}
    feeds = {
        "activity": (ACTIVITY, since_start),
        "postAdded": (POST_ADDED, since_start),
        "commentAdded": (COMMENT_ADDED, {"postId": watched, "after": since_start["after"]}),
        "welcomes": (WELCOMES, since_start),
        "badgeAwarded": (AWARDS, since_start),
        "leaderboardChanged": (BOARD, {"slug": slug}),
    }
    public = await make_community(owner_alice, "Open Garden", slug="open-garden")
    await join(member_bob, public)
    await post(left, member_bob, slug, "Bob's private question")
    await post(left, member_bob, public.slug, "Bob's public question")
    bobs = {title: gid(await Post.get(title=title)) for title in ("Bob's private question", "Bob's public question")}
    async with subscribed(right, member_bob) as session, AsyncExitStack() as stack:
        streams = {
            name: await stack.enter_async_context(
                aclosing(session.subscribe(GraphQLRequest(document, variable_values=variables)))
            )
            for name, (document, variables) in feeds.items()
        }
        for stream in streams.values():
            await first_message(stream)  # replayed (or the board as it stands): each feed is live
        notes = await stack.enter_async_context(
            aclosing(session.subscribe(GraphQLRequest(LIVE, variable_values=await from_now(member_bob))))
        )
        # when: bob is banned while Redis is down; then alice posts, comments and replies to him
        ban = {"slug": slug, "who": "bob"}
        await change_access_while_redis_is_down(module_private_redis, left, BAN, ban, owner_alice.token)
        await post(left, owner_alice, slug, AFTER)
        await comment(left, owner_alice, watched, AFTER)
        await comment(left, owner_alice, bobs["Bob's private question"], AFTER)
        await comment(left, owner_alice, bobs["Bob's public question"], "Seen in public")
        # then: every feed of the private community ends with FORBIDDEN, having shown nothing written after the ban
        ends = {name: await until_refused(stream) for name, stream in streams.items()}
        assert {name: (code, AFTER in str(seen)) for name, (seen, code) in ends.items()} == dict.fromkeys(
            feeds, ("FORBIDDEN", False)
        ), ends
        # and his notifications skip the private reply: the public one is the next reply he gets
        while (note := await next_notification(notes))["kind"] != "REPLY":
            pass
        assert note["excerpt"] == "Seen in public"


async def test_a_manager_demoted_while_redis_is_down_loses_the_engagement_pulse(
    servers_on_private_redis, module_private_redis: PrivateRedis, owner_alice: Persona, private_community: Community
):
    # given: carol manages the private community and follows its pulse on the right process
    left, right = servers_on_private_redis
    carol = await make_member("carol")
    await invited(carol, private_community, owner_alice)
    await do_set_role(owner_alice.ctx, private_community.slug, "carol", "MANAGER")
    async with subscribed(right, carol) as session:
        request = GraphQLRequest(PULSE, variable_values={"slug": private_community.slug})
        async with aclosing(session.subscribe(request)) as pulse:
            await first_message(pulse)
            # when: alice makes her a plain member while Redis is down, then posts
            variables = {"slug": private_community.slug, "username": "carol", "role": "MEMBER"}
            await change_access_while_redis_is_down(module_private_redis, left, SET_ROLE, variables, owner_alice.token)
            await post(left, owner_alice, private_community.slug, AFTER)
            # then
            seen, code = await until_refused(pulse)
    assert code == "FORBIDDEN"
    assert all(report["engagementPulse"]["posts"] == 0 for report in seen)


class LossyBroker(InProcessBroker):
    """Loses every message while `losing`, as Redis does those published while a process is cut off."""

    losing = False

    async def publish(self, message: Message) -> None:
        if not self.losing:
            await super().publish(message)


@pytest.fixture
async def lossy_broker() -> AsyncIterator[LossyBroker]:
    broker = LossyBroker()
    await start_realtime(broker)
    yield broker
    await start_realtime(InProcessBroker())


async def follow_in_process(persona: Persona, community: Community):  # noqa: ANN201
    """`activity` for the persona, live (the community's last event replayed first), in this process."""
    await community.refresh_from_db(fields=["activity_seq"])
    variables = {"slug": community.slug, "after": encode_cursor(community.id, community.activity_seq - 1)}
    stream = await schema.subscribe(ACTIVITY, variable_values=variables, context_value=persona.ctx)
    await asyncio.wait_for(anext(stream), WAIT_SECONDS)
    return stream


async def invited(persona: Persona, community: Community, owner: Persona) -> None:
    invitation = await do_create_invitation(owner.ctx, community.slug, max_uses=None, expires_in_hours=None)
    await join(persona, community, invitation.code)


async def test_a_ban_whose_message_is_lost_ends_the_feed_when_the_gap_after_it_is_filled(
    lossy_broker: LossyBroker, owner_alice: Persona, member_bob: Persona, private_community: Community
):
    # given: bob follows the private community's activity
    await make_post(owner_alice, private_community, "Members only")
    async with aclosing(await follow_in_process(member_bob, private_community)) as stream:
        # when: the ban and the post after it are lost on their way; the next post arrives
        lossy_broker.losing = True
        await do_set_banned(owner_alice.ctx, private_community.slug, "bob", True)
        await make_post(owner_alice, private_community, "Lost on its way")
        lossy_broker.losing = False
        await make_post(owner_alice, private_community, "After the gap")
        # then: the missing post is read from the table, and the feed ends before showing anything
        ended = await asyncio.wait_for(anext(stream), WAIT_SECONDS)
    assert ended.errors, f"bob was shown {ended.data}"
    assert (ended.data, ended.errors[0].extensions["code"]) == (None, "FORBIDDEN")


async def test_a_lost_ban_of_someone_else_costs_a_check_not_the_feed(
    lossy_broker: LossyBroker, owner_alice: Persona, member_bob: Persona, private_community: Community
):
    # given: carol is a member too; bob follows the private community's activity
    carol = await make_member("carol")
    await invited(carol, private_community, owner_alice)
    async with aclosing(await follow_in_process(member_bob, private_community)) as stream:
        # when: carol is banned, and that message is lost; alice posts
        lossy_broker.losing = True
        await do_set_banned(owner_alice.ctx, private_community.slug, "carol", True)
        lossy_broker.losing = False
        await make_post(owner_alice, private_community, "Still for bob")
        # then: bob is checked again, and still sees it
        delivered = await asyncio.wait_for(anext(stream), WAIT_SECONDS)
    assert not delivered.errors and "Still for bob" in delivered.data["activity"]["summary"]
