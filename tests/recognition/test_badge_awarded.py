"""`badgeAwarded`: an award recorded by the engagement rules reaches subscribers and the member, live."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

from gql import GraphQLRequest

from models.communities import Community
from models.recognition import Badge, BadgeTier
from realtime.messages import encode_cursor
from resolvers.outbox import writing
from resolvers.pagination import encode_values
from resolvers.recognition.badges import record_award
from tests.factories import Persona
from tests.realtime.test_activity_subscription import WAIT_SECONDS, subscribed

AWARDS = """
subscription Awards($slug: String!, $after: String) {
  badgeAwarded(communitySlug: $slug, after: $after) {
    id reason badge { slug name tier automatic } member { username } awardedBy { username }
  }
}
"""
ACTIVITY = """
subscription A($slug: String!, $after: String) {
  activity(communitySlug: $slug, after: $after) { verb summary subjectId }
}
"""
NOTIFICATIONS = "subscription N($after: String) { notifications(after: $after) { kind summary subjectId } }"

NO_NOTIFICATION = {"after": encode_values([0])}


async def current_seq(community: Community) -> int:
    await community.refresh_from_db(fields=["activity_seq"])
    return community.activity_seq


async def award(badge: Badge, member: Persona, community: Community, by: Persona | None = None, reason=None):
    async with writing() as conn:
        return await record_award(
            conn,
            badge,
            member_id=member.member.id,
            community_id=community.id,
            reason=reason,
            awarded_by_id=by.member.id if by else None,
        )


async def next_of(stream, field: str) -> dict:
    return (await asyncio.wait_for(anext(stream), WAIT_SECONDS))[field]


async def test_an_award_reaches_badge_activity_and_notification_subscribers(
    server_sharing_redis, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: a custom badge; bob follows awards, activity and his notifications from now on
    badge = await Badge.create(
        community_id=public_community.id, slug="advocate", name="Advocate", description="Talks", tier=BadgeTier.GOLD
    )
    now = {
        "slug": public_community.slug,
        "after": encode_cursor(public_community.id, await current_seq(public_community)),
    }
    async with subscribed(server_sharing_redis, member_bob) as session:
        async with (
            aclosing(session.subscribe(GraphQLRequest(AWARDS, variable_values=now))) as awards,
            aclosing(session.subscribe(GraphQLRequest(ACTIVITY, variable_values=now))) as activity,
            aclosing(session.subscribe(GraphQLRequest(NOTIFICATIONS, variable_values=NO_NOTIFICATION))) as notes,
        ):
            # gql sends each subscription on its first read; `after` makes the award reach it
            # whether the subscription starts before the award or after it
            firsts = [
                asyncio.ensure_future(next_of(awards, "badgeAwarded")),
                asyncio.ensure_future(next_of(activity, "activity")),
                asyncio.ensure_future(next_of(notes, "notifications")),
            ]
            # when: alice thanks bob with the badge
            await award(badge, member_bob, public_community, by=owner_alice, reason="Gave a talk at PyCon")
            # then
            announced, logged, notified = await asyncio.gather(*firsts)
    assert announced["badge"] == {"slug": "advocate", "name": "Advocate", "tier": "GOLD", "automatic": False}
    assert (announced["member"], announced["awardedBy"]) == ({"username": "bob"}, {"username": "alice"})
    assert announced["reason"] == "Gave a talk at PyCon"
    assert (logged["verb"], logged["summary"], logged["subjectId"]) == (
        "BADGE_AWARDED",
        "Bob earned the badge “Advocate”",
        announced["id"],
    )
    assert notified == {
        "kind": "BADGE_AWARDED",
        "summary": "Alice awarded you a badge “Advocate”",
        "subjectId": announced["id"],
    }


async def test_a_badge_is_awarded_once_however_often_the_rules_try(
    server_sharing_redis, member_bob: Persona, public_community: Community
):
    badge = await Badge.create(slug="first-post", name="First post", description="Posted", tier=BadgeTier.BRONZE)
    first = await award(badge, member_bob, public_community)
    again = await award(badge, member_bob, public_community)
    assert first is not None and again is None
