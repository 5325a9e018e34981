"""Notifications: replies, mentions and membership decisions, listed, marked read and delivered live."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

import pytest
from gql import GraphQLRequest
from gql.transport.exceptions import TransportQueryError

from models.communities import Community, JoinPolicy, Visibility
from models.members import Member
from resolvers.pagination import encode_values
from tests.factories import Persona, gid, join, make_comment, make_community, make_member, make_post
from tests.fixtures.server import Server, execute
from tests.realtime.test_activity_subscription import subscribed

LIST = """
query Notifications($unreadOnly: Boolean, $first: Int) {
  notifications(unreadOnly: $unreadOnly, first: $first) {
    totalCount
    edges { node { id kind title excerpt read summary subjectId actor { username } community { slug } } }
  }
}
"""
MARK = "mutation Mark($ids: [ID!]) { markNotificationsRead(ids: $ids) }"
LIVE = """
subscription Live($after: String) {
  notifications(after: $after) { cursor kind summary excerpt actor { username } }
}
"""
ADD_COMMENT = """
mutation Comment($postId: ID!, $body: String!) { addComment(input: {postId: $postId, body: $body}) { id } }
"""
WAIT_SECONDS = 10


RECOGNITION = {"BADGE_AWARDED", "LEVEL_UP", "RANK_UP", "OVERTAKEN"}  # earned along the way, tested in tests/recognition


async def notifications_of(gql, persona: Persona, **variables: object) -> list[dict]:
    data = await gql.data(LIST, variables, token=persona.token)
    return [edge["node"] for edge in data["notifications"]["edges"] if edge["node"]["kind"] not in RECOGNITION]


async def from_now(persona: Persona) -> dict:
    """`after` for the persona's notifications: what comes next, not what they already have."""
    seq = await Member.filter(id=persona.member.id).values_list("notification_seq", flat=True)
    return {"after": encode_values([seq[0]])}


async def test_a_comment_notifies_the_posts_author_with_a_reply(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given
    post = await make_post(member_bob, public_community, "Pairing tips?")
    # when
    comment = await make_comment(owner_alice, post, "Try *ping-pong* pairing")
    # then
    [reply] = await notifications_of(gql, member_bob)
    assert reply["kind"] == "REPLY"
    assert reply["title"] == "Pairing tips?"
    assert reply["excerpt"] == "Try *ping-pong* pairing"
    assert reply["summary"] == "Alice replied “Pairing tips?”"
    assert reply["subjectId"] == gid(comment)
    assert (reply["actor"], reply["community"], reply["read"]) == (
        {"username": "alice"},
        {"slug": "python-paris"},
        False,
    )


async def test_commenting_on_your_own_post_notifies_nobody(gql, member_bob: Persona, public_community: Community):
    post = await make_post(member_bob, public_community, "Mine")
    await make_comment(member_bob, post, "A note to self")
    assert await notifications_of(gql, member_bob) == []


async def test_a_reply_to_a_comment_notifies_the_comments_and_the_posts_authors(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: bob's post, alice's comment on it
    carol = await make_member("carol", display_name="Carol")
    await join(carol, public_community)
    post = await make_post(member_bob, public_community, "Question")
    first = await make_comment(owner_alice, post, "An answer")
    # when: carol replies to alice's comment
    await make_comment(carol, post, "Agreed", parent=first)
    # then: alice is told of the reply; bob of both comments on his post
    assert [n["kind"] for n in await notifications_of(gql, owner_alice)] == ["REPLY"]
    assert [n["actor"]["username"] for n in await notifications_of(gql, member_bob)] == ["carol", "alice"]


async def test_members_named_in_a_post_are_notified_once_each_and_outsiders_never(
    gql, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona, public_community: Community
):
    # when: bob names alice twice (in any case), himself and mallory, who is not a member
    post = await make_post(member_bob, public_community, "Meetup", body="@Alice and @alice, @bob, @mallory: join us")
    # then
    [mention] = await notifications_of(gql, owner_alice)
    assert (mention["kind"], mention["subjectId"], mention["summary"]) == (
        "MENTION",
        gid(post),
        "Bob mentioned you “Meetup”",
    )
    assert await notifications_of(gql, member_bob) == []
    assert await notifications_of(gql, outsider_mallory) == []


async def test_an_email_address_is_not_a_mention(gql, owner_alice: Persona, member_bob: Persona, public_community):
    await make_post(member_bob, public_community, "Contact", body="write to team@alice.example")
    assert await notifications_of(gql, owner_alice) == []


async def test_a_member_named_in_a_reply_to_their_post_gets_the_reply_only(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    post = await make_post(member_bob, public_community, "Hi")
    await make_comment(owner_alice, post, "Welcome @bob!")
    assert [n["kind"] for n in await notifications_of(gql, member_bob)] == ["REPLY"]


async def test_membership_requests_and_decisions_are_notified(gql, owner_alice: Persona, outsider_mallory: Persona):
    # given: a private community joined by approval
    community = await make_community(
        owner_alice, "Inner Circle", visibility=Visibility.PRIVATE, join_policy=JoinPolicy.APPROVAL
    )
    # when: mallory asks, alice approves
    await join(outsider_mallory, community)
    [request] = await notifications_of(gql, owner_alice)
    decision = await gql.data(
        "mutation D($id: ID!) { decideMembership(membershipId: $id, approve: true) { status } }",
        {"id": request["subjectId"]},
        token=owner_alice.token,
    )
    # then
    assert (request["kind"], request["title"], request["actor"]) == (
        "MEMBERSHIP_REQUESTED",
        "Inner Circle",
        {"username": "mallory"},
    )
    assert decision["decideMembership"]["status"] == "ACTIVE"
    [approved] = await notifications_of(gql, outsider_mallory)
    assert (approved["kind"], approved["summary"]) == (
        "MEMBERSHIP_APPROVED",
        "Alice approved your request to join “Inner Circle”",
    )


async def test_a_rejection_is_notified_without_showing_the_private_community(
    gql, owner_alice: Persona, outsider_mallory: Persona
):
    community = await make_community(
        owner_alice, "Inner Circle", visibility=Visibility.PRIVATE, join_policy=JoinPolicy.APPROVAL
    )
    await join(outsider_mallory, community)
    [request] = await notifications_of(gql, owner_alice)
    await gql.data(
        "mutation D($id: ID!) { decideMembership(membershipId: $id, approve: false) { status } }",
        {"id": request["subjectId"]},
        token=owner_alice.token,
    )
    [rejected] = await notifications_of(gql, outsider_mallory)
    assert rejected["kind"] == "MEMBERSHIP_REJECTED"
    assert rejected["community"] is None  # private, and mallory is not a member


async def test_marking_read_changes_only_your_own_notifications(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: two notifications for bob, one for alice
    post = await make_post(member_bob, public_community, "Hi")
    await make_comment(owner_alice, post, "one")
    await make_comment(owner_alice, post, "two")
    await make_comment(member_bob, await make_post(owner_alice, public_community, "Yo"), "three")
    newest, oldest = await notifications_of(gql, member_bob)
    [alices] = await notifications_of(gql, owner_alice)
    # when: bob marks his newest and alice's (which is not his) read
    marked = await gql.data(MARK, {"ids": [newest["id"], alices["id"]]}, token=member_bob.token)
    # then
    assert marked == {"markNotificationsRead": 1}
    assert [n["id"] for n in await notifications_of(gql, member_bob, unreadOnly=True)] == [oldest["id"]]
    assert (await notifications_of(gql, owner_alice))[0]["read"] is False
    # and marking all leaves none unread
    unread = (await gql.data(LIST, {"unreadOnly": True}, token=member_bob.token))["notifications"]["totalCount"]
    assert await gql.data(MARK, {}, token=member_bob.token) == {"markNotificationsRead": unread}
    assert (await gql.data(LIST, {"unreadOnly": True}, token=member_bob.token))["notifications"]["totalCount"] == 0


async def test_notifications_need_a_token(gql):
    for query, variables in ((LIST, {}), (MARK, {})):
        error = await gql.error(query, variables)
        assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_marking_too_many_or_foreign_ids_is_bad_user_input(gql, member_bob: Persona, public_community):
    too_many = await gql.error(MARK, {"ids": [gid(public_community)] * 101}, token=member_bob.token)
    wrong_type = await gql.error(MARK, {"ids": [gid(public_community)]}, token=member_bob.token)
    assert too_many["extensions"]["code"] == wrong_type["extensions"]["code"] == "BAD_USER_INPUT"


async def next_notification(stream) -> dict:
    return (await asyncio.wait_for(anext(stream), WAIT_SECONDS))["notifications"]


async def comment(server: Server, persona: Persona, post_id: str, body: str) -> None:
    answer = await execute(server, ADD_COMMENT, {"postId": post_id, "body": body}, persona.token)
    assert "errors" not in answer, answer


async def test_notifications_arrive_live_and_resume_from_a_cursor(
    live_server: Server, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: bob was notified once before he listens
    post = gid(await make_post(member_bob, public_community, "Live"))
    start = await from_now(member_bob)
    await comment(live_server, owner_alice, post, "earlier")
    async with subscribed(live_server, member_bob) as session:
        request = GraphQLRequest(LIVE, variable_values=start)
        async with aclosing(session.subscribe(request)) as stream:
            earlier = await next_notification(stream)  # replayed: the subscription is live from here
            # when: alice comments while bob listens
            await comment(live_server, owner_alice, post, "live")
            live = await next_notification(stream)
    # and twice more while bob is away
    await comment(live_server, owner_alice, post, "missed 1")
    await comment(live_server, owner_alice, post, "missed 2")
    async with subscribed(live_server, member_bob) as session:
        request = GraphQLRequest(LIVE, variable_values={"after": live["cursor"]})
        async with aclosing(session.subscribe(request)) as stream:
            missed = [await next_notification(stream), await next_notification(stream)]
    # then
    assert earlier["excerpt"] == "earlier"
    assert (live["kind"], live["excerpt"], live["actor"]) == ("REPLY", "live", {"username": "alice"})
    assert [n["excerpt"] for n in missed] == ["missed 1", "missed 2"]


async def test_the_live_feed_is_the_viewers_own_and_needs_a_token(
    live_server: Server, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: alice listening to her notifications
    alices_post = gid(await make_post(owner_alice, public_community, "Alice's"))
    bobs_post = gid(await make_post(member_bob, public_community, "Bob's"))
    start = await from_now(owner_alice)
    await comment(live_server, member_bob, alices_post, "before")
    async with subscribed(live_server, owner_alice) as session:
        request = GraphQLRequest(LIVE, variable_values=start)
        async with aclosing(session.subscribe(request)) as stream:
            assert (await next_notification(stream))["excerpt"] == "before"
            # when: bob is notified, then alice
            await comment(live_server, owner_alice, bobs_post, "for bob")
            await comment(live_server, member_bob, alices_post, "for alice")
            # then: the next thing alice sees is hers
            assert (await next_notification(stream))["excerpt"] == "for alice"
    # and anonymous subscribers are refused
    async with subscribed(live_server) as session:
        with pytest.raises(TransportQueryError) as raised:
            async with aclosing(session.subscribe(GraphQLRequest(LIVE))) as stream:
                await next_notification(stream)
    assert raised.value.errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
