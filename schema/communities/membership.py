"""Memberships (a member's place in a community, with their standing there) and invitations."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import communities as models
from resolvers.access import can_view_invitation, can_view_membership, require_inside_view
from resolvers.ids import to_global_id
from resolvers.recognition import kudos as kudos_resolvers
from resolvers.recognition import levels as levels_resolvers
from resolvers.recognition import points as points_resolvers
from resolvers.welcome.own import own_welcome
from schema.base import CercleInfo, Connection, Node, to_connection
from schema.communities.community import Community
from schema.members import Member

if TYPE_CHECKING:
    from schema.recognition.badges import BadgeAward, BadgeProgress
    from schema.recognition.kudos import Kudos
    from schema.recognition.levels import LevelProgress
    from schema.welcome import Welcome


@strawberry.type(description="A member's place in a community.")
class Membership(Node):
    row: strawberry.Private[models.Membership]
    role: models.Role = strawberry.field(description="Responsibility in the community.")
    status: models.MembershipStatus = strawberry.field(description="PENDING until approved.")
    level: models.Level = strawberry.field(description="Earned by engagement.")
    joined_at: datetime = strawberry.field(description="When the membership started (or was requested).")

    @classmethod
    def from_row(cls, row: models.Membership) -> Membership:
        return cls(
            id=strawberry.ID(to_global_id("Membership", row.id)),
            row=row,
            role=row.role,
            status=row.status,
            level=row.level,
            joined_at=row.joined_at,
        )

    @classmethod
    async def resolve_node(cls, info: CercleInfo, pk: int) -> Membership | None:
        row = await info.context.loaders.membership_by_id.load(pk)
        return cls.from_row(row) if row and await can_view_membership(info.context, row) else None

    async def _require_inside_view(self, info: CercleInfo) -> None:
        """The standing of a member (points, badges, kudos) is inside the community: in a private one, for its
        active members (a banned member's own membership included)."""
        community = await info.context.loaders.community_by_id.load_existing(self.row.community_id)
        await require_inside_view(info.context, community)

    @strawberry.field(description="Badges held in this community, oldest first.")
    async def badges(
        self, info: CercleInfo
    ) -> list[Annotated[BadgeAward, strawberry.lazy("schema.recognition.badges")]]:
        from schema.recognition.badges import BadgeAward

        await self._require_inside_view(info)
        key = (self.row.member_id, self.row.community_id)
        return [BadgeAward.from_row(row) for row in await info.context.loaders.badges_by_membership.load(key)]

    @strawberry.field(description="Progress toward every automatic badge (counts for the member's own page).")
    async def badge_progress(
        self, info: CercleInfo
    ) -> list[Annotated[BadgeProgress, strawberry.lazy("schema.recognition.badges")]]:
        from schema.recognition.badges import badge_progress

        await self._require_inside_view(info)
        return await badge_progress(self.row.member_id, self.row.community_id)

    @strawberry.field(description="Public thanks the member received in this community, newest first.")
    async def kudos_received(
        self, info: CercleInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Kudos, strawberry.lazy("schema.recognition.kudos")]]:
        from schema.recognition.kudos import Kudos

        await self._require_inside_view(info)
        page = await kudos_resolvers.list_kudos(
            self.row.community_id, receiver_id=self.row.member_id, first=first, after=after
        )
        return to_connection(page, Kudos.from_row)

    @strawberry.field(description="Points earned in this community: the sum of the member's ledger.")
    async def points(self, info: CercleInfo) -> int:
        await self._require_inside_view(info)
        return await info.context.loaders.points_by_membership.load((self.row.member_id, self.row.community_id))

    @strawberry.field(description="Progress toward the next level; null at the top level.")
    async def level_progress(
        self, info: CercleInfo
    ) -> Annotated[LevelProgress, strawberry.lazy("schema.recognition.levels")] | None:
        from schema.recognition.levels import LevelProgress

        await self._require_inside_view(info)
        rules = await points_resolvers.rules_of(None, self.row.community_id)
        progress = await levels_resolvers.next_level_progress(rules, self.row)
        return LevelProgress(**vars(progress)) if progress else None

    @strawberry.field(
        description="The welcome Cercle gave on joining (introduction, suggested first actions): only for the "
        "member themselves; null for others, before it, or once the activity history has let it go."
    )
    async def welcome(self, info: CercleInfo) -> Annotated[Welcome, strawberry.lazy("schema.welcome")] | None:
        from schema.welcome import Welcome

        await self._require_inside_view(info)
        event = await own_welcome(info.context, self.row)
        return Welcome(event=event) if event else None

    @strawberry.field(description="The member.")
    async def member(self, info: CercleInfo) -> Member:
        return Member.from_row(await info.context.loaders.member_by_id.load_existing(self.row.member_id))

    @strawberry.field(description="The community.")
    async def community(self, info: CercleInfo) -> Community:
        return Community.from_row(await info.context.loaders.community_by_id.load_existing(self.row.community_id))


@strawberry.type(description="A code that lets people join, with optional use and time limits.")
class Invitation(Node):
    row: strawberry.Private[models.Invitation]
    code: str = strawberry.field(description="Pass to `joinCommunity(inviteCode:)`.")
    max_uses: int | None = strawberry.field(description="How many joins it allows; null: unlimited.")
    uses: int = strawberry.field(description="How many joins it has allowed so far.")
    expires_at: datetime | None = strawberry.field(description="When it stops working; null: never.")
    created_at: datetime = strawberry.field(description="When it was created.")
    email: str | None = strawberry.field(description="The address it was sent to (inviteByEmail); null otherwise.")

    @classmethod
    def from_row(cls, row: models.Invitation) -> Invitation:
        return cls(
            id=strawberry.ID(to_global_id("Invitation", row.id)),
            row=row,
            code=row.code,
            max_uses=row.max_uses,
            uses=row.uses,
            expires_at=row.expires_at,
            created_at=row.created_at,
            email=row.email,
        )

    @classmethod
    async def resolve_node(cls, info: CercleInfo, pk: int) -> Invitation | None:
        row = await info.context.loaders.invitation_by_id.load(pk)
        return cls.from_row(row) if row and await can_view_invitation(info.context, row) else None

    @strawberry.field(description="The community it opens.")
    async def community(self, info: CercleInfo) -> Community:
        return Community.from_row(await info.context.loaders.community_by_id.load_existing(self.row.community_id))
