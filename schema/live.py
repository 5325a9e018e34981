"""Live feeds built on a community's activity stream: new posts, new comments."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from models.activity import Verb
from realtime.events import decode_cursor
from realtime.streams import activity_stream
from resolvers.posts import require_visible_post
from resolvers.visibility import visible_comment, visible_post
from schema.activity import followable_community
from schema.base import CercleInfo
from schema.posts import Comment, Post

POST_VERBS = {Verb.POSTED, Verb.WELCOMED}  # a welcome publishes the introduction post


@strawberry.type
class LiveSubscription:
    @strawberry.subscription(
        description="Posts published in a community, as they are published; `after` (an activity cursor) replays first."
    )
    async def post_added(
        self, info: CercleInfo, community_slug: str, after: str | None = None
    ) -> AsyncGenerator[Post, None]:
        community = await followable_community(info.context, community_slug)
        after_seq = decode_cursor(after, community.id) if after else None
        async for event in activity_stream(info.context, community.id, after_seq):
            if event["verb"] in POST_VERBS:
                info.context.refresh_loaders()
                if post := await visible_post(info.context, event["subject_id"]):
                    yield Post.from_row(post)

    @strawberry.subscription(
        description="Comments on a post, as they are written; `after` (an activity cursor) replays first."
    )
    async def comment_added(
        self, info: CercleInfo, post_id: strawberry.ID, after: str | None = None
    ) -> AsyncGenerator[Comment, None]:
        post = await require_visible_post(info.context, post_id)
        after_seq = decode_cursor(after, post.community_id) if after else None
        async for event in activity_stream(info.context, post.community_id, after_seq):
            if event["verb"] == Verb.COMMENTED and event["payload"].get("post_id") == post.id:
                info.context.refresh_loaders()
                if comment := await visible_comment(info.context, event["subject_id"]):
                    yield Comment.from_row(comment)
