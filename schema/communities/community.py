"""A community as members and visitors read it: who is in it, its posts, tasks, events and standings."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import communities as models
from models.posts import PostKind
from models.tasks import TaskStatus
from realtime.messages import encode_cursor
from resolvers.access import require_inside_view, visible_community
from resolvers.communities import directory as resolvers
from resolvers.communities.invitations import usable_invitations
from resolvers.events import events as event_resolvers
from resolvers.freshness.freshness import freshness as freshness_of
from resolvers.freshness.trends import trending_tags
from resolvers.ids import to_global_id
from resolvers.pagination import check_first
from resolvers.posts import curation
from resolvers.posts import posts as post_resolvers
from resolvers.recognition import badge_catalogue
from resolvers.recognition import kudos as kudos_resolvers
from resolvers.recognition import leaderboard as leaderboards
from resolvers.recognition import points as points_resolvers
from resolvers.recognition.leaderboard import TOP_SIZE
from resolvers.recognition.standings import Period
from resolvers.tasks import tasks as task_resolvers
from schema.base import CercleInfo, Connection, Node, to_connection
from schema.recognition.points import LeaderboardEntry, PointsRule

if TYPE_CHECKING:
    from schema.communities.membership import Invitation, Membership
    from schema.engagement import EngagementReport
    from schema.events import Event
    from schema.freshness import Freshness
    from schema.posts import Post
    from schema.recognition.badges import Badge
    from schema.recognition.kudos import Kudos
    from schema.tasks import Task


@strawberry.type(description="A tag's use in a span of time, against the span before.")
class TagTrend:
    tag: str = strawberry.field(description="The tag.")
    count: int = strawberry.field(description="Published posts with it in the span.")
    previous_count: int = strawberry.field(description="In the span before (0 for ALL).")
    growth: float = strawberry.field(description="(count - previousCount) / previousCount; the count when new.")


@strawberry.type(description="A community: its members, content and settings.")
class Community(Node):
    row: strawberry.Private[models.Community]
    slug: str = strawberry.field(description="Unique, URL-safe name.")
    name: str = strawberry.field(description="Display name.")
    description: str | None = strawberry.field(description="What the community is about.")
    visibility: models.Visibility = strawberry.field(description="PRIVATE: content for members only.")
    join_policy: models.JoinPolicy = strawberry.field(description="How members get in.")

    @classmethod
    def from_row(cls, row: models.Community) -> Community:
        return cls(
            id=strawberry.ID(to_global_id("Community", row.id)),
            row=row,
            slug=row.slug,
            name=row.name,
            description=row.description,
            visibility=row.visibility,
            join_policy=row.join_policy,
        )

    @classmethod
    async def resolve_node(cls, info: CercleInfo, pk: int) -> Community | None:
        row = await visible_community(info.context, pk)
        return cls.from_row(row) if row else None

    @strawberry.field(description="When it was created.")
    async def created_at(self, info: CercleInfo) -> datetime:
        await require_inside_view(info.context, self.row)
        return self.row.created_at

    @strawberry.field(description="Active members.")
    async def member_count(self, info: CercleInfo) -> int:
        await require_inside_view(info.context, self.row)
        return await info.context.loaders.member_count_by_community_id.load(self.row.id)

    @strawberry.field(
        description="Where its activity stood when this community was read: `activity(after: activityCursor)` "
        "replays every event since (all of them while there is none yet), then goes on live. Read it with the "
        "content a page shows, and follow from it: nothing committed in between is missed."
    )
    async def activity_cursor(self, info: CercleInfo) -> str:
        await require_inside_view(info.context, self.row)
        # The row as read with the community, before its fields (its posts) are: never later than the content.
        return encode_cursor(self.row.id, self.row.activity_seq)

    @strawberry.field(description="Your membership, if any (any status).")
    async def viewer_membership(
        self, info: CercleInfo
    ) -> Annotated[Membership, strawberry.lazy("schema.communities.membership")] | None:
        from schema.communities.membership import Membership

        row = await info.context.loaders.viewer_membership_by_community_id.load(self.row.id)
        return Membership.from_row(row) if row else None

    @strawberry.field(description="Members, oldest first; PENDING and BANNED lists are for managers.")
    async def members(
        self,
        info: CercleInfo,
        first: int | None = None,
        after: str | None = None,
        role: models.Role | None = None,
        skill: str | None = None,
        status: models.MembershipStatus = models.MembershipStatus.ACTIVE,
    ) -> Connection[Annotated[Membership, strawberry.lazy("schema.communities.membership")]]:
        from schema.communities.membership import Membership

        page = await resolvers.list_members(
            info.context, self.row, role=role, skill=skill, status=status, first=first, after=after
        )
        info.context.loaders.community_by_id.prime_rows([self.row])
        return to_connection(page, Membership.from_row)

    @strawberry.field(
        description="Invitations that still let people in (not expired, not used up), newest first, at most 50 "
        "(owners and managers)."
    )
    async def invitations(
        self, info: CercleInfo
    ) -> list[Annotated[Invitation, strawberry.lazy("schema.communities.membership")]]:
        from schema.communities.membership import Invitation

        info.context.loaders.community_by_id.prime_rows([self.row])
        return [Invitation.from_row(row) for row in await usable_invitations(info.context, self.row)]

    @strawberry.field(
        description="The most used tags of the last day, 7 or 30 days (or ever), with their use in the span before."
    )
    async def trending_tags(
        self, info: CercleInfo, period: Period = Period.WEEK, first: int | None = TOP_SIZE
    ) -> list[TagTrend]:
        await require_inside_view(info.context, self.row)
        trends = await trending_tags(self.row.id, period.value, check_first(first, TOP_SIZE))
        return [TagTrend(tag=t.tag, count=t.count, previous_count=t.previous_count, growth=t.growth) for t in trends]

    @strawberry.field(description="Publication against the daily goal: today, the streak, stale or not.")
    async def freshness(self, info: CercleInfo) -> Annotated[Freshness, strawberry.lazy("schema.freshness")]:
        from schema.freshness import Freshness

        await require_inside_view(info.context, self.row)
        return Freshness.of(await freshness_of(self.row))

    @strawberry.field(
        description="Engagement over a rolling period ending now, with a 0-100 health score and a daily series "
        "(owners and managers)."
    )
    async def engagement(
        self, info: CercleInfo, period: Period
    ) -> Annotated[EngagementReport, strawberry.lazy("schema.engagement")]:
        from schema.engagement import engagement_of

        return await engagement_of(info.context, self.row, period)

    @strawberry.field(description="Tasks that run the community, newest first; filter by status.")
    async def tasks(
        self,
        info: CercleInfo,
        status: TaskStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Annotated[Task, strawberry.lazy("schema.tasks")]]:
        from schema.tasks import Task

        await require_inside_view(info.context, self.row)
        page = await task_resolvers.list_tasks(self.row.id, status=status, first=first, after=after)
        return to_connection(page, Task.from_row)

    @strawberry.field(
        description="Events: upcoming (not over, soonest first), past (upcoming: false, latest first), or all."
    )
    async def events(
        self, info: CercleInfo, upcoming: bool | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Event, strawberry.lazy("schema.events")]]:
        from schema.events import Event

        await require_inside_view(info.context, self.row)
        page = await event_resolvers.list_events(self.row.id, upcoming=upcoming, first=first, after=after)
        info.context.loaders.event_by_id.prime_rows(page.rows)
        return to_connection(page, Event.from_row)

    @strawberry.field(description="Posts pinned to the top by LEADER members and moderators, latest pinned first.")
    async def pinned_posts(self, info: CercleInfo) -> list[Annotated[Post, strawberry.lazy("schema.posts")]]:
        from schema.posts import Post, load_ahead

        await require_inside_view(info.context, self.row)
        rows = await curation.pinned_posts(self.row.id)
        info.context.loaders.post_by_id.prime_rows(rows)
        await load_ahead(info, rows)
        return [Post.from_row(row) for row in rows]

    @strawberry.field(description="Published posts, newest first.")
    async def posts(
        self,
        info: CercleInfo,
        first: int | None = None,
        after: str | None = None,
        tag: str | None = None,
        kind: PostKind | None = None,
    ) -> Connection[Annotated[Post, strawberry.lazy("schema.posts")]]:
        from schema.posts import Post, load_ahead

        await require_inside_view(info.context, self.row)
        page = await post_resolvers.list_posts(self.row, tag=tag, kind=kind, first=first, after=after)
        info.context.loaders.post_by_id.prime_rows(page.rows)
        await load_ahead(info, page.rows, "edges", "node")
        return to_connection(page, Post.from_row)

    @strawberry.field(
        description="Members by points earned in the calendar period (UTC, weeks from Monday); active members only."
    )
    async def leaderboard(
        self, info: CercleInfo, period: Period = Period.WEEK, first: int | None = TOP_SIZE
    ) -> list[LeaderboardEntry]:
        await require_inside_view(info.context, self.row)
        return [LeaderboardEntry.of(entry, self.row.id) for entry in await leaderboards.top(self.row.id, period, first)]

    @strawberry.field(
        description="Your own standing in the period's leaderboard, even outside the top; null without points."
    )
    async def viewer_rank(self, info: CercleInfo, period: Period = Period.WEEK) -> LeaderboardEntry | None:
        await require_inside_view(info.context, self.row)
        entry = await leaderboards.viewer_rank(info.context, self.row.id, period)
        return LeaderboardEntry.of(entry, self.row.id) if entry else None

    @strawberry.field(description="Kudos given in this community, newest first.")
    async def kudos(
        self, info: CercleInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Kudos, strawberry.lazy("schema.recognition.kudos")]]:
        from schema.recognition.kudos import Kudos

        await require_inside_view(info.context, self.row)
        return to_connection(await kudos_resolvers.list_kudos(self.row.id, first=first, after=after), Kudos.from_row)

    @strawberry.field(
        description="The badge catalogue: every automatic badge and the custom ones, bronze to gold, then by name."
    )
    async def badges(self, info: CercleInfo) -> list[Annotated[Badge, strawberry.lazy("schema.recognition.badges")]]:
        from schema.recognition.badges import Badge

        await require_inside_view(info.context, self.row)
        return [Badge.from_row(row) for row in await badge_catalogue.catalogue(info.context, self.row.id)]

    @strawberry.field(
        description="The points rules this community plays by (defaults unless its managers changed them)."
    )
    async def points_rules(self, info: CercleInfo) -> list[PointsRule]:
        await require_inside_view(info.context, self.row)
        rules = await points_resolvers.rules_with_defaults(self.row.id)
        return [PointsRule(key=key, value=value, default_value=default) for key, value, default in rules]
