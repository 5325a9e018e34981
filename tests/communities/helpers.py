"""GraphQL documents and small helpers shared by the community tests."""

from __future__ import annotations

from models.communities import Community, JoinPolicy, Visibility
from tests.factories import Persona, make_community

CREATE_COMMUNITY = """
mutation Create($input: CreateCommunityInput!) {
  createCommunity(input: $input) {
    id slug name visibility joinPolicy memberCount
    viewerMembership { role status member { username } }
  }
}
"""
CREATE_INVITATION = """
mutation Invite($slug: String!, $maxUses: Int, $hours: Int) {
  createInvitation(communitySlug: $slug, maxUses: $maxUses, expiresInHours: $hours) { id code maxUses uses expiresAt }
}
"""
JOIN = """
mutation Join($slug: String!, $code: String) {
  joinCommunity(slug: $slug, inviteCode: $code) { id role status member { username } }
}
"""
DECIDE = """
mutation Decide($id: ID!, $approve: Boolean!) {
  decideMembership(membershipId: $id, approve: $approve) { id status role member { username } }
}
"""
SET_ROLE = """
mutation SetRole($slug: String!, $username: String!, $role: Role!) {
  setRole(communitySlug: $slug, username: $username, role: $role) { role status member { username } }
}
"""
COMMUNITY = """
query Community($slug: String!) {
  community(slug: $slug) { id slug name memberCount viewerMembership { role status } }
}
"""


async def invite_code(gql, owner: Persona, community: Community, **options: int) -> str:
    """A fresh invitation code, made through the API by `owner`."""
    variables = {"slug": community.slug, "maxUses": options.get("max_uses"), "hours": options.get("hours")}
    return (await gql.data(CREATE_INVITATION, variables, token=owner.token))["createInvitation"]["code"]


async def approval_community(owner: Persona, **options: Visibility) -> Community:
    return await make_community(owner, "Book Club", slug="book-club", join_policy=JoinPolicy.APPROVAL, **options)


async def invite_community(owner: Persona) -> Community:
    return await make_community(owner, "Invite Only", slug="invite-only", join_policy=JoinPolicy.INVITE)
