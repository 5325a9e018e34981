"""Members who earned it curate the community: REGULARs edit tags, LEADERs pin posts, like moderators."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.queryset import QuerySet

from models.communities import Community, Level, Membership
from models.posts import Post, PostStatus, PostTag
from resolvers.access import at_least, is_active, may_moderate, require_visible_post, viewer_membership
from resolvers.context import Context
from resolvers.errors import Conflict, Forbidden
from resolvers.loaders import forget
from resolvers.outbox import writing
from resolvers.posts.posts import MAX_TAGS
from resolvers.ratelimit import check_rate
from resolvers.validation import normalise_labels

MAX_PINNED = 5  # a few announcements on top; more and nothing stands out


async def do_set_tags(ctx: Context, post_id: str, tags: list[str]) -> Post:
    """Replace a post's tags: its author, a REGULAR or above, or a moderator."""
    post = await require_visible_post(ctx, post_id)
    await ctx.require_viewer()
    membership = await viewer_membership(ctx, post.community_id)
    if post.author_id != ctx.viewer_id and not _is(membership, Level.REGULAR):
        raise Forbidden("Only the author, a REGULAR member or above, or a moderator can edit this post's tags.")
    await check_rate(ctx, "mutation")
    tags = normalise_labels(tags, "tags", max_count=MAX_TAGS)
    async with writing() as conn:
        await PostTag.filter(post_id=post.id).using_db(conn).delete()
        await PostTag.bulk_create(
            [PostTag(post_id=post.id, tag=tag, position=i) for i, tag in enumerate(tags)], using_db=conn
        )
    forget(ctx.loaders.tags_by_post_id, post.id)
    return post


async def do_pin(ctx: Context, post_id: str, pinned: bool) -> Post:
    """Pin a published post to the top of its community (or unpin it): a LEADER or a moderator."""
    post = await require_visible_post(ctx, post_id)
    await ctx.require_viewer()
    if not may_moderate(await viewer_membership(ctx, post.community_id)):
        raise Forbidden("Only a LEADER member or a moderator can pin posts.")
    await check_rate(ctx, "mutation")
    if pinned and post.status != PostStatus.PUBLISHED:
        raise Conflict("Only published posts can be pinned.", field="postId")
    async with writing() as conn:
        if pinned and post.pinned_at is None:
            # The community's row serialises pinning, so two pins at once cannot pass the limit together.
            await Community.filter(id=post.community_id).using_db(conn).select_for_update().values_list("id")
            if await pinned_posts(post.community_id).using_db(conn).count() >= MAX_PINNED:
                raise Conflict(f"A community pins at most {MAX_PINNED} posts: unpin one first.", field="postId")
        post.pinned_at = (post.pinned_at or datetime.now(UTC)) if pinned else None
        await Post.filter(id=post.id).using_db(conn).update(pinned_at=post.pinned_at)
    forget(ctx.loaders.post_by_id, post.id)
    return post


def pinned_posts(community_id: int) -> QuerySet[Post]:
    """Pinned, published and not deleted, the most recently pinned first."""
    return Post.filter(
        community_id=community_id, pinned_at__isnull=False, status=PostStatus.PUBLISHED, deleted_at__isnull=True
    ).order_by("-pinned_at", "-id")


def _is(membership: Membership | None, level: Level) -> bool:
    """An active member at that level or above, or a moderator."""
    return may_moderate(membership) or (is_active(membership) and at_least(membership, level))
