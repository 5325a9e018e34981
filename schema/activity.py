"""Live activity of a community: `activity(communitySlug, after)` replays, then continues live."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from datetime import datetime

import strawberry

from models.activity import Verb
from models.communities import Community as CommunityRow
from realtime.messages import ActivityMessage, decode_cursor, encode_cursor
from realtime.streams import activity_stream
from resolvers.access import community_by_slug, may_follow
from resolvers.context import Context
from resolvers.errors import Forbidden, NotFound
from resolvers.ids import subject_global_id
from schema.base import ActivityVerb, CercleInfo
from schema.communities import Community
from schema.execution.sharing import tag
from schema.members import Member

PHRASES = {
    Verb.JOINED: "joined the community",
    Verb.WELCOMED: "is new here: say hello",
    Verb.POSTED: "posted",
    Verb.COMMENTED: "commented",
    Verb.ANSWER_ACCEPTED: "accepted an answer",
    Verb.REACTED: "reacted",
    Verb.BADGE_AWARDED: "earned the badge",
    Verb.KUDOS: "thanked",
}


@strawberry.type(description="Something that happened in a community; pass `cursor` as `after` to resume after it.")
class ActivityEvent:
    event: strawberry.Private[ActivityMessage]
    cursor: str = strawberry.field(description="Resume point: `activity(after: cursor)` continues after this event.")
    verb: ActivityVerb = strawberry.field(description="What happened.")
    subject_id: strawberry.ID | None = strawberry.field(description="The post, comment or membership concerned.")
    at: datetime = strawberry.field(description="When it happened.")

    @classmethod
    def from_event(cls, event: ActivityMessage) -> ActivityEvent:
        return cls(
            event=event,
            cursor=encode_cursor(event["community_id"], event["seq"]),
            verb=Verb(event["verb"]),
            subject_id=subject_global_id(event["subject_type"], event["subject_id"]),
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
        return Community.from_row(await info.context.loaders.community_by_id.load(self.event["community_id"]))

    @strawberry.field(description="One line for people, e.g. 'Ada posted “Hello”'.")
    async def summary(self, info: CercleInfo) -> str:
        actor = await self.actor(info)
        verb = Verb(self.event["verb"])
        phrase = PHRASES.get(verb, verb.value.lower().replace("_", " "))
        title = self.event["payload"].get("title")
        return f"{actor.display_name if actor else 'Cercle'} {phrase}" + (f" “{title}”" if title else "")


@strawberry.type
class ActivitySubscription:
    @strawberry.subscription(
        description="A community's activity: with `after`, first what came after that cursor, then live, in order."
    )
    async def activity(
        self, info: CercleInfo, community_slug: str, after: str | None = None
    ) -> AsyncGenerator[ActivityEvent, None]:
        async for event in community_events(info.context, community_slug, after):
            info.context.refresh_loaders()
            yield tag(ActivityEvent.from_event(event), event)


async def community_events(ctx: Context, slug: str, after: str | None) -> AsyncIterator[ActivityMessage]:
    """A community's activity after the cursor (or from now on), for a viewer allowed to follow it."""
    community = await followable_community(ctx, slug)
    after_seq = decode_cursor(after, community.id) if after else None
    access = await may_follow(ctx, community.id)
    async with aclosing(activity_stream(community.id, after_seq, access.check)) as events:
        async for event in events:
            yield event


async def followable_community(ctx: Context, slug: str) -> CommunityRow:
    """The community a subscription follows: NOT_FOUND if absent, FORBIDDEN if private to the viewer."""
    community = await community_by_slug(ctx, slug)
    if community is None:
        if await CommunityRow.filter(slug=slug.strip().lower()[:50]).exists():
            raise Forbidden("This community's live feeds are for its members only.", field="communitySlug")
        raise NotFound(f"No community '{slug[:50]}'.", field="communitySlug")
    return community
