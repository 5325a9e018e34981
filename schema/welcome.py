"""`welcomes(communitySlug)`: newcomers, their introduction post and suggested first actions."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from models.activity import Verb
from realtime.messages import ActivityMessage, encode_cursor
from resolvers.access import visible_post
from resolvers.communities.activity_feed import community_activity
from resolvers.ids import to_global_id
from schema.base import CercleInfo
from schema.communities.community import Community
from schema.execution.sharing import tag
from schema.members import Member
from schema.posts import Post


@strawberry.type(description="A first step suggested to a newcomer.")
class SuggestedAction:
    kind: str = strawberry.field(
        description="ANSWER_QUESTION, VOLUNTEER_FOR_TASK, JOIN_DISCUSSION or COMPLETE_PROFILE."
    )
    title: str = strawberry.field(description="What to do, in words.")
    target_id: strawberry.ID | None = strawberry.field(description="The post (or other node) to act on.")


@strawberry.type(description="A newcomer joined: their introduction post and the first steps suggested to them.")
class Welcome:
    event: strawberry.Private[ActivityMessage]

    @strawberry.field(description="Resume point: `welcomes(after: cursor)` continues after this welcome.")
    def cursor(self) -> str:
        return encode_cursor(self.event["community_id"], self.event["seq"])

    @strawberry.field(description="The newcomer.")
    async def member(self, info: CercleInfo) -> Member:
        newcomer_id = self.event["actor_id"]
        assert newcomer_id is not None, "a welcome is written with the newcomer as its actor"
        return Member.from_row(await info.context.loaders.member_by_id.load_existing(newcomer_id))

    @strawberry.field(description="The community they joined.")
    async def community(self, info: CercleInfo) -> Community:
        return Community.from_row(await info.context.loaders.community_by_id.load_existing(self.event["community_id"]))

    @strawberry.field(description="The INTRODUCTION post made from their profile; null once it is deleted.")
    async def introduction(self, info: CercleInfo) -> Post | None:
        post_id = self.event["subject_id"]
        assert post_id is not None, "a welcome is written with the introduction post as its subject"
        post = await visible_post(info.context, post_id)
        return Post.from_row(post) if post else None

    @strawberry.field(description="First steps for the newcomer: questions matching their skills, a lively discussion.")
    def suggested_actions(self) -> list[SuggestedAction]:
        return [
            SuggestedAction(
                kind=s["kind"],
                title=s["title"],
                target_id=strawberry.ID(to_global_id(s["target_type"], s["target_id"])) if s["target_type"] else None,
            )
            for s in self.event["payload"].get("suggestions", [])
        ]


@strawberry.type
class WelcomeSubscription:
    @strawberry.subscription(
        description="Newcomers as they join (or are approved), once each; `after` (an activity cursor) replays first."
    )
    async def welcomes(
        self, info: CercleInfo, community_slug: str, after: str | None = None
    ) -> AsyncGenerator[Welcome, None]:
        async for event in community_activity(info.context, community_slug, after, {Verb.WELCOMED}):
            info.context.refresh_loaders()
            yield tag(Welcome(event=event), event)
