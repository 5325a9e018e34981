"""`Membership.levelProgress`: how far a member is from the next level, in points and active days."""

from __future__ import annotations

from models.communities import Community, Level, Membership
from resolvers.recognition.points import DEFAULT_RULES
from tests.factories import Persona, make_member, make_post

PROGRESS = """
query Progress($slug: String!) {
  community(slug: $slug) {
    viewerMembership { level levelProgress { level points pointsNeeded activeDays activeDaysNeeded } }
  }
}
"""
THEIR_PROGRESS = """
query TheirProgress($username: String!) {
  member(username: $username) { memberships { edges { node { levelProgress { level points } } } } }
}
"""


async def progress_of(gql, persona: Persona, community: Community) -> dict:
    return (await gql.data(PROGRESS, {"slug": community.slug}, token=persona.token))["community"]["viewerMembership"]


async def test_a_newcomer_sees_the_way_to_member(gql, member_bob: Persona, public_community: Community):
    await make_post(member_bob, public_community, "one")
    assert await progress_of(gql, member_bob, public_community) == {
        "level": "NEWCOMER",
        "levelProgress": {
            "level": "MEMBER",
            "points": 5,
            "pointsNeeded": DEFAULT_RULES["LEVEL_MEMBER_POINTS"],
            "activeDays": 1,
            "activeDaysNeeded": DEFAULT_RULES["LEVEL_MEMBER_DAYS"],
        },
    }


async def test_a_member_is_shown_the_way_to_regular(gql, member_bob: Persona, public_community: Community):
    await make_post(member_bob, public_community, "one")
    await make_post(member_bob, public_community, "two")
    progress = await progress_of(gql, member_bob, public_community)
    assert progress["level"] == "MEMBER"
    assert progress["levelProgress"]["level"] == "REGULAR"
    assert progress["levelProgress"]["points"] == 10
    assert progress["levelProgress"]["pointsNeeded"] == DEFAULT_RULES["LEVEL_REGULAR_POINTS"]


async def test_a_leader_has_nowhere_further(gql, member_bob: Persona, public_community: Community):
    await Membership.filter(member_id=member_bob.member.id, community_id=public_community.id).update(level=Level.LEADER)
    assert (await progress_of(gql, member_bob, public_community))["levelProgress"] is None


async def test_progress_in_a_private_community_is_for_its_members_only(
    gql, member_bob: Persona, private_community: Community
):
    mallory = await make_member("mallory")
    for token in (mallory.token, None):
        data = await gql.data(THEIR_PROGRESS, {"username": "bob"}, token=token)
        assert data["member"]["memberships"]["edges"] == []  # the private community is hidden from them
    mine = await gql.data(THEIR_PROGRESS, {"username": "bob"}, token=member_bob.token)
    assert [edge["node"]["levelProgress"]["level"] for edge in mine["member"]["memberships"]["edges"]] == ["MEMBER"]
