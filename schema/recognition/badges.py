"""Badges and their awards, and `badgeAwarded(communitySlug)`: every award, live."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from models import recognition as models
from models.activity import Verb
from resolvers.access import can_view_badge, visible_community
from resolvers.communities.activity_feed import activity_subjects
from resolvers.ids import to_global_id
from resolvers.recognition import automatic_badges, custom_badges
from schema.base import CercleInfo, Node
from schema.communities.community import Community
from schema.execution.sharing import row_once, tag
from schema.members import Member


@strawberry.type(description="A badge: automatic (earned by a rule) or created by managers and given by hand.")
class Badge(Node):
    row: strawberry.Private[models.Badge]
    slug: str = strawberry.field(description="Stable name, e.g. `first-post`.")
    name: str = strawberry.field(description="The name shown to people.")
    description: str = strawberry.field(description="What earns it.")
    tier: models.BadgeTier = strawberry.field(description="BRONZE, SILVER or GOLD.")
    automatic: bool = strawberry.field(description="True when a rule awards it, false when people do.")

    @classmethod
    def from_row(cls, row: models.Badge) -> Badge:
        return cls(
            id=strawberry.ID(to_global_id("Badge", row.id)),
            row=row,
            slug=row.slug,
            name=row.name,
            description=row.description,
            tier=row.tier,
            automatic=row.automatic,
        )

    @classmethod
    async def resolve_node(cls, info: CercleInfo, pk: int) -> Badge | None:
        row = await info.context.loaders.badge_by_id.load(pk)
        return cls.from_row(row) if row and await can_view_badge(info.context, row) else None

    @strawberry.field(description="How many members of its community hold it.")
    async def holder_count(self, info: CercleInfo) -> int:
        return await info.context.loaders.holder_count_by_badge_id.load(self.row.id)


@strawberry.type(description="A badge given to a member in a community.")
class BadgeAward(Node):
    row: strawberry.Private[models.BadgeAward]
    reason: str | None = strawberry.field(description="Why, for badges given by hand.")
    awarded_at: datetime = strawberry.field(description="When.")

    @classmethod
    def from_row(cls, row: models.BadgeAward) -> BadgeAward:
        return cls(
            id=strawberry.ID(to_global_id("BadgeAward", row.id)),
            row=row,
            reason=row.reason,
            awarded_at=row.awarded_at,
        )

    @classmethod
    async def resolve_node(cls, info: CercleInfo, pk: int) -> BadgeAward | None:
        row = await info.context.loaders.badge_award_by_id.load(pk)  # seen with its community
        return cls.from_row(row) if row and await visible_community(info.context, row.community_id) else None

    @strawberry.field(description="The badge.")
    async def badge(self, info: CercleInfo) -> Badge:
        return Badge.from_row(await info.context.loaders.badge_by_id.load_existing(self.row.badge_id))

    @strawberry.field(description="Who earned it.")
    async def member(self, info: CercleInfo) -> Member:
        return Member.from_row(await info.context.loaders.member_by_id.load_existing(self.row.member_id))

    @strawberry.field(description="Where.")
    async def community(self, info: CercleInfo) -> Community:
        return Community.from_row(await info.context.loaders.community_by_id.load_existing(self.row.community_id))

    @strawberry.field(description="Who gave it; null when a rule awarded it.")
    async def awarded_by(self, info: CercleInfo) -> Member | None:
        if self.row.awarded_by_id is None:
            return None
        return Member.from_row(await info.context.loaders.member_by_id.load_existing(self.row.awarded_by_id))


@strawberry.type(description="How close a member is to an automatic badge, e.g. 7 of 10 accepted answers.")
class BadgeProgress:
    slug: str = strawberry.field(description="The badge's stable name.")
    name: str = strawberry.field(description="The badge's name.")
    tier: models.BadgeTier = strawberry.field(description="BRONZE, SILVER or GOLD.")
    description: str = strawberry.field(description="What earns it.")
    current: int = strawberry.field(description="Where the member stands (at most the target).")
    target: int = strawberry.field(description="What the badge needs.")
    earned: bool = strawberry.field(description="Whether the member holds it.")


async def badge_progress(member_id: int, community_id: int) -> list[BadgeProgress]:
    return [
        BadgeProgress(
            slug=spec.slug,
            name=spec.name,
            tier=spec.tier,
            description=spec.description,
            current=current,
            target=spec.target,
            earned=earned,
        )
        for spec, current, earned in await automatic_badges.progress(member_id, community_id)
    ]


@strawberry.type
class BadgeSubscription:
    @strawberry.subscription(
        description="Badges awarded in a community, as they are awarded; `after` (an activity cursor) replays first."
    )
    async def badge_awarded(
        self, info: CercleInfo, community_slug: str, after: str | None = None
    ) -> AsyncGenerator[BadgeAward, None]:
        awards = activity_subjects(
            info.context, community_slug, after, {Verb.BADGE_AWARDED}, models.BadgeAward, row_once
        )
        async for event, row in awards:
            info.context.refresh_loaders()
            yield tag(BadgeAward.from_row(row), event)


@strawberry.input(description="A custom badge for a community.")
class CreateBadgeInput:
    community_slug: str = strawberry.field(description="Where.")
    name: str = strawberry.field(description="Its name; its slug is derived from it.")
    description: str = strawberry.field(description="What it thanks people for.")
    tier: models.BadgeTier = strawberry.field(description="BRONZE, SILVER or GOLD.")


@strawberry.input(description="Give a custom badge to a member, with the reason shown to all.")
class AwardBadgeInput:
    badge_id: strawberry.ID = strawberry.field(description="A custom badge of the community.")
    username: str = strawberry.field(description="An active member.")
    reason: str = strawberry.field(description="Why, e.g. 'Talk at the March meetup' (200 characters).")


@strawberry.type
class BadgeMutation:
    @strawberry.mutation(description="Create a custom badge (owners and managers).")
    async def create_badge(self, info: CercleInfo, input: CreateBadgeInput) -> Badge:
        row = await custom_badges.do_create_badge(
            info.context, input.community_slug, input.name, input.description, input.tier
        )
        return Badge.from_row(row)

    @strawberry.mutation(description="Award a custom badge by hand, with a reason (owners and managers).")
    async def award_badge(self, info: CercleInfo, input: AwardBadgeInput) -> BadgeAward:
        return BadgeAward.from_row(
            await custom_badges.do_award_badge(info.context, input.badge_id, input.username, input.reason)
        )
