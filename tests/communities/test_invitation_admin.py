"""Community.invitations and revokeInvitation: what the managers' panel lists and withdraws."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.communities import Community, Invitation, Membership, Role
from resolvers.ids import to_global_id
from tests.communities.helpers import JOIN, invite_code, invite_community
from tests.factories import Persona, make_community, make_member

INVITATIONS = """
query Invitations($slug: String!) {
  community(slug: $slug) { invitations { id code maxUses uses expiresAt community { slug } } }
}
"""
REVOKE = "mutation Revoke($id: ID!) { revokeInvitation(invitationId: $id) }"


async def test_managers_see_the_invitations_still_in_use_newest_first(
    gql, owner_alice: Persona, member_bob: Persona, outsider_mallory: Persona
):
    # given an invitation used up, one expired, and two that still work
    community = await invite_community(owner_alice)
    used_up = await invite_code(gql, owner_alice, community, max_uses=1)
    await gql.data(JOIN, {"slug": community.slug, "code": used_up}, token=member_bob.token)
    expired = await invite_code(gql, owner_alice, community, hours=1)
    await Invitation.filter(code=expired).update(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    older = await invite_code(gql, owner_alice, community, max_uses=5)
    newer = await invite_code(gql, owner_alice, community, hours=24)
    await Membership.filter(community_id=community.id, member_id=member_bob.member.id).update(role=Role.MANAGER)
    # when a manager lists them
    data = await gql.data(INVITATIONS, {"slug": community.slug}, token=member_bob.token)
    # then only the two usable ones show, newest first, with their limits
    listed = data["community"]["invitations"]
    assert [invitation["code"] for invitation in listed] == [newer, older]
    assert listed[1]["maxUses"] == 5 and listed[1]["uses"] == 0 and listed[1]["expiresAt"] is None
    assert listed[0]["expiresAt"] is not None and listed[0]["community"] == {"slug": community.slug}


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
async def test_members_below_manager_cannot_list_invitations(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community, role: Role
):
    # given an invitation, and bob a member or moderator
    await invite_code(gql, owner_alice, public_community)
    await Membership.filter(community_id=public_community.id, member_id=member_bob.member.id).update(role=role)
    # when bob asks for the invitations, then he is refused and sees no code
    error = await gql.error(INVITATIONS, {"slug": public_community.slug}, token=member_bob.token)
    assert error["extensions"]["code"] == "FORBIDDEN"


async def test_anonymous_and_outsiders_cannot_list_invitations(
    gql, owner_alice: Persona, outsider_mallory: Persona, public_community: Community
):
    await invite_code(gql, owner_alice, public_community)
    anonymous = await gql.error(INVITATIONS, {"slug": public_community.slug})
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    outsider = await gql.error(INVITATIONS, {"slug": public_community.slug}, token=outsider_mallory.token)
    assert outsider["extensions"]["code"] == "FORBIDDEN"


async def test_a_manager_of_another_community_cannot_list_these_invitations(
    gql, owner_alice: Persona, public_community: Community
):
    # given carol, owner of her own community only
    carol = await make_member("carol")
    await make_community(carol, "Carol's Club")
    await invite_code(gql, owner_alice, public_community)
    error = await gql.error(INVITATIONS, {"slug": public_community.slug}, token=carol.token)
    assert error["extensions"]["code"] == "FORBIDDEN"


async def test_a_revoked_invitation_lets_nobody_in(gql, owner_alice: Persona, outsider_mallory: Persona):
    # given an invitation to an invite-only community
    community = await invite_community(owner_alice)
    code = await invite_code(gql, owner_alice, community)
    invitation = await Invitation.get(code=code)
    global_id = to_global_id("Invitation", invitation.id)
    # when the owner revokes it
    data = await gql.data(REVOKE, {"id": global_id}, token=owner_alice.token)
    # then it is gone from the list, and its code no longer joins
    assert data["revokeInvitation"] == global_id
    listed = await gql.data(INVITATIONS, {"slug": community.slug}, token=owner_alice.token)
    assert listed["community"]["invitations"] == []
    error = await gql.error(JOIN, {"slug": community.slug, "code": code}, token=outsider_mallory.token)
    assert error["extensions"]["field"] == "inviteCode"
    assert not await Membership.exists(community_id=community.id, member_id=outsider_mallory.member.id)
    # and revoking it again finds nothing
    again = await gql.error(REVOKE, {"id": global_id}, token=owner_alice.token)
    assert again["extensions"]["code"] == "NOT_FOUND" and again["extensions"]["field"] == "invitationId"


async def test_only_the_communitys_managers_revoke_its_invitations(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given alice's invitation, bob a plain member, carol the owner of another community
    code = await invite_code(gql, owner_alice, public_community)
    global_id = to_global_id("Invitation", (await Invitation.get(code=code)).id)
    carol = await make_member("carol")
    await make_community(carol, "Carol's Club")
    # when each of them tries to revoke it, then it is not found for them (its code is the managers' secret)
    for persona in (member_bob, carol):
        error = await gql.error(REVOKE, {"id": global_id}, token=persona.token)
        assert error["extensions"]["code"] == "NOT_FOUND", persona.member.username
    anonymous = await gql.error(REVOKE, {"id": global_id})
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    # and the invitation still works
    assert await Invitation.exists(code=code)


@pytest.mark.parametrize(
    ("bad_id", "code"),
    [
        ("nonsense", "BAD_USER_INPUT"),
        (to_global_id("Membership", 1), "BAD_USER_INPUT"),
        (to_global_id("Invitation", 999_999), "NOT_FOUND"),
    ],
)
async def test_revoking_a_malformed_or_unknown_id_is_refused(gql, owner_alice: Persona, bad_id: str, code: str):
    error = await gql.error(REVOKE, {"id": bad_id}, token=owner_alice.token)
    assert error["extensions"]["code"] == code
    assert error["extensions"]["field"] == "invitationId"
