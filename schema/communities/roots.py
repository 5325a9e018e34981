"""The communities' parts of Query and Mutation: finding communities, creating them, joining and managing members."""

from __future__ import annotations

import strawberry

from models import communities as models
from resolvers.access import community_by_slug
from resolvers.communities import directory as resolvers
from resolvers.communities import moderation
from resolvers.communities.creation import do_create_community
from resolvers.communities.email_invitations import do_invite_by_email
from resolvers.communities.invitations import do_create_invitation, do_revoke_invitation
from resolvers.communities.membership import do_decide_membership, do_join_community
from resolvers.communities.roles import do_set_role
from schema.base import CercleInfo, Connection, to_connection
from schema.communities.community import Community
from schema.communities.membership import Invitation, Membership


@strawberry.input(description="A new community; you become its owner.")
class CreateCommunityInput:
    name: str = strawberry.field(description="3-100 characters.")
    slug: str | None = strawberry.field(default=None, description="a-z 0-9 -, 3-50; derived from the name when absent.")
    description: str | None = strawberry.field(default=None, description="At most 5000 characters.")
    # Nullable, as the contract has them: null asks for the default.
    visibility: models.Visibility | None = strawberry.field(
        default=models.Visibility.PUBLIC, description="Who sees content; null: PUBLIC."
    )
    join_policy: models.JoinPolicy | None = strawberry.field(
        default=models.JoinPolicy.OPEN, description="How members get in; null: OPEN."
    )


@strawberry.type
class CommunityQuery:
    @strawberry.field(description="A community by slug; null if absent or hidden from you.")
    async def community(self, info: CercleInfo, slug: str) -> Community | None:
        row = await community_by_slug(info.context, slug)
        return Community.from_row(row) if row else None

    @strawberry.field(description="Communities you can see, by name; `search` matches name, slug and description.")
    async def communities(
        self, info: CercleInfo, first: int | None = None, after: str | None = None, search: str | None = None
    ) -> Connection[Community]:
        page = await resolvers.list_communities(info.context, search=search, first=first, after=after)
        info.context.loaders.community_by_id.prime_rows(page.rows)
        return to_connection(page, Community.from_row)


@strawberry.type
class CommunityMutation:
    @strawberry.mutation(description="Create a community; you become its owner.")
    async def create_community(self, info: CercleInfo, input: CreateCommunityInput) -> Community:
        row = await do_create_community(
            info.context,
            name=input.name,
            slug=input.slug,
            description=input.description,
            visibility=input.visibility or models.Visibility.PUBLIC,
            join_policy=input.join_policy or models.JoinPolicy.OPEN,
        )
        return Community.from_row(row)

    @strawberry.mutation(description="An invitation code (owners and managers).")
    async def create_invitation(
        self, info: CercleInfo, community_slug: str, max_uses: int | None = None, expires_in_hours: int | None = None
    ) -> Invitation:
        row = await do_create_invitation(
            info.context, community_slug, max_uses=max_uses, expires_in_hours=expires_in_hours
        )
        return Invitation.from_row(row)

    @strawberry.mutation(
        description="Email a single-use invitation (valid 14 days) to each address, at most 50 (owners and "
        "managers). Addresses of members (or of members banned here) are skipped; the invitations made."
    )
    async def invite_by_email(self, info: CercleInfo, community_slug: str, emails: list[str]) -> list[Invitation]:
        return [Invitation.from_row(row) for row in await do_invite_by_email(info.context, community_slug, emails)]

    @strawberry.mutation(
        description="Revoke an invitation: its code lets nobody else in (owners and managers); its id."
    )
    async def revoke_invitation(self, info: CercleInfo, invitation_id: strawberry.ID) -> strawberry.ID:
        return strawberry.ID(await do_revoke_invitation(info.context, invitation_id))

    @strawberry.mutation(description="Join, or ask to join (APPROVAL); INVITE communities need `inviteCode`.")
    async def join_community(self, info: CercleInfo, slug: str, invite_code: str | None = None) -> Membership:
        return Membership.from_row(await do_join_community(info.context, slug, invite_code))

    @strawberry.mutation(description="Approve or reject a PENDING membership (owners and managers).")
    async def decide_membership(self, info: CercleInfo, membership_id: strawberry.ID, approve: bool) -> Membership:
        return Membership.from_row(await do_decide_membership(info.context, membership_id, approve))

    @strawberry.mutation(
        description="Ban a member (moderators and up); their access ends at once, live feeds included."
    )
    async def ban_member(self, info: CercleInfo, community_slug: str, username: str) -> Membership:
        return Membership.from_row(await moderation.do_set_banned(info.context, community_slug, username, True))

    @strawberry.mutation(description="Lift a ban (moderators and up); the member is active again.")
    async def unban_member(self, info: CercleInfo, community_slug: str, username: str) -> Membership:
        return Membership.from_row(await moderation.do_set_banned(info.context, community_slug, username, False))

    @strawberry.mutation(description="Change a member's role (owners and managers; a community keeps one owner).")
    async def set_role(self, info: CercleInfo, community_slug: str, username: str, role: models.Role) -> Membership:
        return Membership.from_row(await do_set_role(info.context, community_slug, username, role))
