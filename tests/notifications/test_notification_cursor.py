"""`Member.notificationCursor`: the app reads it first and follows `notifications` from it, missing nothing."""

from __future__ import annotations

from contextlib import aclosing

from gql import GraphQLRequest

from models.communities import Community
from resolvers.pagination import encode_values
from tests.factories import Persona, gid, join, make_member, make_post
from tests.fixtures.server import Server
from tests.notifications.test_notifications import LIVE, comment, next_notification
from tests.realtime.test_activity_subscription import subscribed

MINE = "query Mine { me { notificationCursor } }"
MEMBER = "query Member($username: String!) { member(username: $username) { username notificationCursor } }"
LATEST = "query Latest { notifications(first: 1) { edges { node { cursor } } } }"


async def cursor_of(gql, persona: Persona) -> str:
    return (await gql.data(MINE, token=persona.token))["me"]["notificationCursor"]


async def test_before_any_notification_the_cursor_replays_the_very_first(
    gql, live_server: Server, owner_alice: Persona, public_community: Community
):
    # given: carol, never notified, reads her cursor; then alice names her before she subscribes
    carol = await make_member("carol")
    start = await cursor_of(gql, carol)
    await join(carol, public_community)
    await make_post(owner_alice, public_community, "Welcome", "Glad you came, @carol")
    # when
    async with subscribed(live_server, carol) as session:
        request = GraphQLRequest(LIVE, variable_values={"after": start})
        async with aclosing(session.subscribe(request)) as stream:
            first = await next_notification(stream)
    # then
    assert start == encode_values([0])
    assert (first["kind"], first["actor"]) == ("MENTION", {"username": "alice"})


async def test_the_cursor_is_the_latest_notifications_and_reading_it_changes_nothing(
    gql, live_server: Server, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    post = gid(await make_post(member_bob, public_community, "Pairing tips?"))
    await comment(live_server, owner_alice, post, "one")
    await comment(live_server, owner_alice, post, "two")
    # when
    first, again = await cursor_of(gql, member_bob), await cursor_of(gql, member_bob)
    latest = (await gql.data(LATEST, token=member_bob.token))["notifications"]["edges"][0]["node"]["cursor"]
    # then
    assert first == again == latest


async def test_only_the_member_reads_their_own_cursor(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: bob has a notification
    await comment_directly(gql, owner_alice, member_bob, public_community)
    # when: alice, anonymous, and bob himself read bob
    seen = {
        reader: (await gql.data(MEMBER, {"username": "bob"}, token=token))["member"]["notificationCursor"]
        for reader, token in (("alice", owner_alice.token), ("anonymous", None), ("bob", member_bob.token))
    }
    # then
    assert seen["alice"] is None and seen["anonymous"] is None
    assert seen["bob"] == await cursor_of(gql, member_bob)
    assert (await gql.data(MINE))["me"] is None


async def comment_directly(gql, author: Persona, post_author: Persona, community: Community) -> None:
    post = gid(await make_post(post_author, community, "Hello"))
    add = 'mutation Add($postId: ID!) { addComment(input: {postId: $postId, body: "hi"}) { id } }'
    await gql.data(add, {"postId": post}, token=author.token)
