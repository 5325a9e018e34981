"""Custom badges: managers create them and give them by hand with a reason, once per member."""

from __future__ import annotations

from models.activity import Activity
from models.communities import Community
from models.notifications import Notification
from tests.factories import Persona

CREATE = """
mutation C($slug: String!, $name: String!) {
  createBadge(input: {communitySlug: $slug, name: $name, description: "Spoke at a meetup", tier: GOLD}) {
    id slug name tier automatic
  }
}
"""
AWARD = """
mutation A($badge: ID!, $username: String!, $reason: String!) {
  awardBadge(input: {badgeId: $badge, username: $username, reason: $reason}) {
    reason badge { slug } member { username } awardedBy { username }
  }
}
"""


async def create(gql, persona: Persona, community: Community, name: str = "Community Speaker") -> dict:
    return await gql.execute(CREATE, {"slug": community.slug, "name": name}, token=persona.token)


async def test_managers_create_a_badge_and_award_it_with_a_reason(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    badge = (await create(gql, owner_alice, public_community))["data"]["createBadge"]
    variables = {"badge": badge["id"], "username": "bob", "reason": "Talk at the March meetup"}
    awarded = await gql.data(AWARD, variables, token=owner_alice.token)
    again = await gql.error(AWARD, variables, token=owner_alice.token)
    assert (badge["slug"], badge["tier"], badge["automatic"]) == ("community-speaker", "GOLD", False)
    assert awarded["awardBadge"] == {
        "reason": "Talk at the March meetup",
        "badge": {"slug": "community-speaker"},
        "member": {"username": "bob"},
        "awardedBy": {"username": "alice"},
    }
    assert again["extensions"] == {"code": "CONFLICT", "field": "username"}
    assert await Activity.filter(verb="BADGE_AWARDED").count() == 1
    assert await Notification.filter(member_id=member_bob.member.id, kind="BADGE_AWARDED").count() == 1


async def test_badges_are_for_managers_to_create_and_give(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    by_member = await create(gql, member_bob, public_community)
    badge = (await create(gql, owner_alice, public_community))["data"]["createBadge"]
    given_by_member = await gql.error(
        AWARD, {"badge": badge["id"], "username": "alice", "reason": "Me"}, token=member_bob.token
    )
    assert by_member["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert given_by_member["extensions"]["code"] == "FORBIDDEN"


async def test_automatic_slugs_are_reserved_and_names_are_unique(gql, owner_alice: Persona, public_community):
    await create(gql, owner_alice, public_community, "Speaker")
    for name in ("First Post", "speaker!"):
        error = (await create(gql, owner_alice, public_community, name))["errors"][0]
        assert error["extensions"] == {"code": "CONFLICT", "field": "name"}
