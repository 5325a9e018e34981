"""`Community.activityCursor`: a page reads it with its content and follows `activity` from it, missing nothing."""

from __future__ import annotations

from contextlib import aclosing

from gql import GraphQLRequest

from models.communities import Community, JoinPolicy, Visibility
from realtime.messages import encode_cursor
from tests.factories import Persona, join, make_community
from tests.fixtures.server import Server
from tests.realtime.test_activity_subscription import ACTIVITY, next_event, post, subscribe_error, subscribed

FEED = """
query Feed($slug: String!) {
  community(slug: $slug) { activityCursor posts(first: 20) { edges { node { title } } } }
}
"""
JOIN_AND_READ = """
mutation Join($slug: String!) { joinCommunity(slug: $slug) { status community { name activityCursor } } }
"""


async def feed(gql, slug: str, persona: Persona | None = None) -> dict:
    return (await gql.data(FEED, {"slug": slug}, token=persona.token if persona else None))["community"]


def titles(community: dict) -> list[str]:
    return [edge["node"]["title"] for edge in community["posts"]["edges"]]


async def test_what_is_committed_after_the_read_is_replayed_and_nothing_before_it(
    gql, live_server: Server, owner_alice: Persona
):
    # given: a page read after one post, and a post committed before its subscription starts
    community = await make_community(owner_alice, "Live Room", slug="live-room")
    await post(live_server, owner_alice, community.slug, "Before")
    page = await feed(gql, community.slug, owner_alice)
    await post(live_server, owner_alice, community.slug, "Between")
    # when: it follows the activity from the cursor read with the page
    async with subscribed(live_server, owner_alice) as session:
        request = GraphQLRequest(ACTIVITY, variable_values={"slug": community.slug, "after": page["activityCursor"]})
        async with aclosing(session.subscribe(request)) as stream:
            replayed = await next_event(stream)
            await post(live_server, owner_alice, community.slug, "After")
            live = await next_event(stream)
    # then: the page has the first, the replay the second, then live
    assert titles(page) == ["Before"]
    assert "Between" in replayed["summary"] and "After" in live["summary"]


async def test_before_any_event_the_cursor_replays_the_very_first(gql, live_server: Server, owner_alice: Persona):
    # given: a community with no activity at all (not even its creator's joining)
    community = await Community.create(slug="quiet", name="Quiet", created_by_id=owner_alice.member.id)
    page = await feed(gql, community.slug)
    # when: someone joins, then the anonymous reader follows from its cursor
    await join(owner_alice, community)
    async with subscribed(live_server) as session:
        request = GraphQLRequest(ACTIVITY, variable_values={"slug": community.slug, "after": page["activityCursor"]})
        async with aclosing(session.subscribe(request)) as stream:
            first = await next_event(stream)
    # then
    assert page["activityCursor"] == encode_cursor(community.id, 0)
    assert (first["verb"], first["actor"]) == ("JOINED", {"username": "alice"})


async def test_the_cursor_is_the_last_events_and_reading_it_changes_nothing(
    gql, live_server: Server, owner_alice: Persona
):
    # given
    community = await make_community(owner_alice, "Live Room", slug="live-room")
    # when
    first, again = [(await feed(gql, community.slug, owner_alice))["activityCursor"] for _ in range(2)]
    await post(live_server, owner_alice, community.slug, "Hello")
    after_post = (await feed(gql, community.slug, owner_alice))["activityCursor"]
    # then: the owner's JOINED is event 1; the post and what it earned come after it
    assert first == again == encode_cursor(community.id, 1)
    seq = (await Community.get(id=community.id)).activity_seq
    assert after_post == encode_cursor(community.id, seq) and seq >= 2


async def test_a_private_communitys_cursor_is_for_its_active_members(
    gql, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona, private_community: Community
):
    # given: a private community that asks for approval, so that a request leaves a pending membership
    community = await make_community(
        owner_alice, "Book Club", slug="book-club", visibility=Visibility.PRIVATE, join_policy=JoinPolicy.APPROVAL
    )
    # when: outsiders and anonymous read it, and someone asking to join reads it through their request
    hidden = [
        (await gql.data(FEED, {"slug": community.slug}, token=p))["community"] for p in (None, outsider_mallory.token)
    ]
    refused = await gql.execute(JOIN_AND_READ, {"slug": community.slug}, token=outsider_mallory.token)
    # then: nothing for them; a member reads it
    assert hidden == [None, None]
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert refused["errors"][0]["path"][-1] == "activityCursor"
    assert "activityCursor" not in str(refused["data"])
    assert (await feed(gql, private_community.slug, member_bob))["activityCursor"] == encode_cursor(
        private_community.id, (await Community.get(id=private_community.id)).activity_seq
    )


async def test_a_cursor_follows_only_its_own_community(
    gql, live_server: Server, owner_alice: Persona, public_community: Community
):
    # given
    other = await make_community(owner_alice, "Other", slug="other")
    cursor = (await feed(gql, other.slug, owner_alice))["activityCursor"]
    # when
    error = await subscribe_error(live_server, owner_alice, {"slug": public_community.slug, "after": cursor})
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}
