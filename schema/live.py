"""Live feeds built on a community's activity stream: new posts, new comments.

The stream has checked that the viewer may follow the community; rows are read
once per event for the whole process, never once per subscriber.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from models import posts as models
from models.activity import Verb
from realtime.messages import ActivityMessage, decode_cursor
from realtime.streams import activity_stream
from resolvers.access import may_follow, require_visible_post
from schema.activity import community_events
from schema.base import CercleInfo
from schema.execution.sharing import row_once, tag
from schema.posts import Comment, Post

POST_VERBS = {Verb.POSTED, Verb.WELCOMED}  # a welcome publishes the introduction post


async def published_post(event: ActivityMessage, post_id: int) -> models.Post | None:
    post = await row_once(event, models.Post, post_id)
    return post if post and post.deleted_at is None and post.status == models.PostStatus.PUBLISHED else None


@strawberry.type
class LiveSubscription:
    @strawberry.subscription(
        description="Posts published in a community, as they are published; `after` (an activity cursor) replays first."
    )
    async def post_added(
        self, info: CercleInfo, community_slug: str, after: str | None = None
    ) -> AsyncGenerator[Post, None]:
        async for event in community_events(info.context, community_slug, after):
            if event["verb"] in POST_VERBS and (post := await published_post(event, event["subject_id"])):
                info.context.refresh_loaders()
                yield tag(Post.from_row(post), event)

    @strawberry.subscription(
        description="Comments on a post, as they are written; `after` (an activity cursor) replays first."
    )
    async def comment_added(
        self, info: CercleInfo, post_id: strawberry.ID, after: str | None = None
    ) -> AsyncGenerator[Comment, None]:
        post = await require_visible_post(info.context, post_id)
        after_seq = decode_cursor(after, post.community_id) if after else None
        access = await may_follow(info.context, post.community_id)
        async for event in activity_stream(post.community_id, after_seq, access.check):
            if event["verb"] != Verb.COMMENTED or event["payload"].get("post_id") != post.id:
                continue
            comment = await row_once(event, models.Comment, event["subject_id"])
            if comment and comment.deleted_at is None and await published_post(event, post.id):
                info.context.refresh_loaders()
                yield tag(Comment.from_row(comment), event)
