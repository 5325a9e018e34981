"""Live feeds built on a community's activity stream: new posts, new comments.

Which events show a post or comment is decided in resolvers/communities/activity_feed.py; rows
are read once per event for the whole process, never once per subscriber.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from resolvers.communities.activity_feed import comments_added, posts_added
from schema.base import CercleInfo
from schema.execution.sharing import row_once, tag
from schema.posts import Comment, Post


@strawberry.type
class LiveSubscription:
    @strawberry.subscription(
        description="Posts published in a community, as they are published; `after` (an activity cursor) replays first."
    )
    async def post_added(
        self, info: CercleInfo, community_slug: str, after: str | None = None
    ) -> AsyncGenerator[Post, None]:
        async for event, post in posts_added(info.context, community_slug, after, row_once):
            info.context.refresh_loaders()
            yield tag(Post.from_row(post), event)

    @strawberry.subscription(
        description="Comments on a post, as they are written; `after` (an activity cursor) replays first."
    )
    async def comment_added(
        self, info: CercleInfo, post_id: strawberry.ID, after: str | None = None
    ) -> AsyncGenerator[Comment, None]:
        async for event, comment in comments_added(info.context, post_id, after, row_once):
            info.context.refresh_loaders()
            yield tag(Comment.from_row(comment), event)
