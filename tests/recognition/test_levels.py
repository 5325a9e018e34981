"""Earned levels: thresholds on points and active days, LEVEL_UP announced, privileges checked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.activity import Activity
from models.communities import Community, JoinPolicy, Membership
from resolvers.communities.membership import do_decide_membership
from resolvers.errors import Forbidden
from resolvers.ids import to_global_id
from resolvers.posts import posts
from resolvers.recognition.points import do_set_rule
from tests.factories import Persona, gid, join, make_community, make_member, make_post

LEVEL = "query L($slug: String!) { community(slug: $slug) { viewerMembership { level points } } }"
GIVE = """
mutation K($slug: String!) { giveKudos(input: {communitySlug: $slug, toUsername: "alice", message: "Thanks"}) { id } }
"""


async def level_of(gql, persona: Persona, community: Community) -> dict:
    return (await gql.data(LEVEL, {"slug": community.slug}, token=persona.token))["community"]["viewerMembership"]


async def test_ten_points_and_a_day_of_activity_make_a_member(gql, member_bob: Persona, public_community: Community):
    await make_post(member_bob, public_community, "one")
    assert await level_of(gql, member_bob, public_community) == {"level": "NEWCOMER", "points": 5}
    await make_post(member_bob, public_community, "two")
    assert await level_of(gql, member_bob, public_community) == {"level": "MEMBER", "points": 10}
    level_up = await Activity.filter(verb="LEVEL_UP", actor_id=member_bob.member.id).get()
    assert level_up.payload == {"level": "MEMBER", "title": "Member"}


async def test_active_days_are_needed_as_well_as_points(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: REGULAR at 10 points but 3 active days, for this community
    await do_set_rule(owner_alice.ctx, public_community.slug, "LEVEL_REGULAR_POINTS", 10)
    await do_set_rule(owner_alice.ctx, public_community.slug, "LEVEL_REGULAR_DAYS", 3)
    await make_post(member_bob, public_community, "one")
    await make_post(member_bob, public_community, "two")
    assert (await level_of(gql, member_bob, public_community))["level"] == "MEMBER"
    # when: his activity so far spread over two earlier days, then a third day's post
    rows = await Activity.filter(actor_id=member_bob.member.id).order_by("seq")
    for days_ago, row in zip((2, 1, 1, 1), rows, strict=False):
        await Activity.filter(id=row.id).update(created_at=datetime.now(UTC) - timedelta(days=days_ago))
    await make_post(member_bob, public_community, "three")
    # then
    assert (await level_of(gql, member_bob, public_community))["level"] == "REGULAR"


async def test_levels_are_kept_when_points_are_taken_back(gql, owner_alice, member_bob, public_community):
    first = await make_post(member_bob, public_community, "one")
    await make_post(member_bob, public_community, "two")
    await posts.do_delete(member_bob.ctx, gid(first), "Post")
    assert await level_of(gql, member_bob, public_community) == {"level": "MEMBER", "points": 5}


async def test_kudos_need_the_member_level(gql, owner_alice: Persona, member_bob: Persona, public_community):
    refused = await gql.error(GIVE, {"slug": public_community.slug}, token=member_bob.token)
    await make_post(member_bob, public_community, "one")
    await make_post(member_bob, public_community, "two")
    allowed = await gql.execute(GIVE, {"slug": public_community.slug}, token=member_bob.token)
    assert refused["extensions"]["code"] == "FORBIDDEN"
    assert "errors" not in allowed


async def test_regulars_may_approve_but_not_reject_requests(owner_alice: Persona, member_bob: Persona):
    community = await make_community(owner_alice, "Guild", join_policy=JoinPolicy.APPROVAL)
    await Membership.create(member_id=member_bob.member.id, community_id=community.id)
    requests = [await make_member(f"asker{i}") for i in range(2)]
    for asker in requests:
        await join(asker, community)
    pending = await Membership.filter(community_id=community.id, status="PENDING").order_by("id")
    ids = [to_global_id("Membership", m.id) for m in pending]
    with pytest.raises(Forbidden):  # a NEWCOMER
        await do_decide_membership(member_bob.ctx, ids[0], True)
    await Membership.filter(member_id=member_bob.member.id, community_id=community.id).update(level="REGULAR")
    approved = await do_decide_membership(member_bob.ctx, ids[0], True)
    with pytest.raises(Forbidden):
        await do_decide_membership(member_bob.ctx, ids[1], False)
    assert approved.status == "ACTIVE"


async def test_leaders_may_hide_others_posts(owner_alice: Persona, member_bob: Persona, public_community):
    alices = await make_post(owner_alice, public_community, "Off topic")
    with pytest.raises(Forbidden):
        await posts.do_delete(member_bob.ctx, gid(alices), "Post")
    await Membership.filter(member_id=member_bob.member.id, community_id=public_community.id).update(level="LEADER")
    await posts.do_delete(member_bob.ctx, gid(alices), "Post")
