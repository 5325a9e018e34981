"""Live activity of a community: `activity(communitySlug, after)` replays, then continues live."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from models.activity import Verb
from realtime.messages import ActivityMessage, encode_cursor
from resolvers.communities.activity_feed import activity_summary, community_activity
from resolvers.ids import subject_global_id
from schema.base import CercleInfo
from schema.communities.community import Community
from schema.execution.sharing import tag
from schema.members import Member


@strawberry.type(description="Something that happened in a community; pass `cursor` as `after` to resume after it.")
class ActivityEvent:
    event: strawberry.Private[ActivityMessage]
    cursor: str = strawberry.field(description="Resume point: `activity(after: cursor)` continues after this event.")
    verb: Verb = strawberry.field(description="What happened.")
    subject_id: strawberry.ID | None = strawberry.field(description="The post, comment or membership concerned.")
    at: datetime = strawberry.field(description="When it happened.")

    @classmethod
    def from_event(cls, event: ActivityMessage) -> ActivityEvent:
        subject = subject_global_id(event["subject_type"], event["subject_id"])
        return cls(
            event=event,
            cursor=encode_cursor(event["community_id"], event["seq"]),
            verb=Verb(event["verb"]),
            subject_id=strawberry.ID(subject) if subject else None,
            at=datetime.fromisoformat(event["at"]),
        )

    @strawberry.field(description="Who did it; null for Cercle itself.")
    async def actor(self, info: CercleInfo) -> Member | None:
        if self.event["actor_id"] is None:
            return None
        row = await info.context.loaders.member_by_id.load(self.event["actor_id"])
        return Member.from_row(row) if row else None

    @strawberry.field(description="Where it happened.")
    async def community(self, info: CercleInfo) -> Community:
        return Community.from_row(await info.context.loaders.community_by_id.load_existing(self.event["community_id"]))

    @strawberry.field(description="One line for people, e.g. 'Ada posted “Hello”'.")
    async def summary(self, info: CercleInfo) -> str:
        actor = await self.actor(info)
        return activity_summary(self.event, actor.display_name if actor else None)


@strawberry.type
class ActivitySubscription:
    @strawberry.subscription(
        description="A community's activity: with `after`, first what came after that cursor, then live, in order."
    )
    async def activity(
        self, info: CercleInfo, community_slug: str, after: str | None = None
    ) -> AsyncGenerator[ActivityEvent, None]:
        async for event in community_activity(info.context, community_slug, after):
            info.context.refresh_loaders()
            yield tag(ActivityEvent.from_event(event), event)
