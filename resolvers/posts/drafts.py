"""Editing a post before it is out: a draft digest, a scheduled post."""

from __future__ import annotations

from models.posts import Post, PostStatus
from resolvers.access import may_prepare, require_visible_post
from resolvers.context import Context
from resolvers.errors import Conflict, Forbidden
from resolvers.markdown import render_markdown_off_loop
from resolvers.outbox import writing
from resolvers.posts.posts import MAX_POST_BODY, MAX_TITLE
from resolvers.ratelimit import check_rate
from resolvers.validation import check_line, check_text


async def do_update_post(ctx: Context, post_id: str, title: str | None, body: str | None) -> Post:
    """New title and/or body for an unpublished post: its author, a moderator, or the member given it as a task."""
    post = await require_visible_post(ctx, post_id)
    await ctx.require_viewer()
    if not await may_prepare(ctx, post):
        raise Forbidden("Only the author, a moderator or the member given this post to edit can edit it.")
    await check_rate(ctx, "mutation")
    changes = {}
    if title is not None:
        changes["title"] = check_line(title, "title", max_length=MAX_TITLE)
    if body is not None:
        changes["body"] = check_text(body, "body", max_length=MAX_POST_BODY)
        changes["body_html"] = await render_markdown_off_loop(changes["body"])
    if changes:
        unpublished = [PostStatus.DRAFT, PostStatus.SCHEDULED]
        async with writing() as conn:
            if not await Post.filter(id=post.id, status__in=unpublished).using_db(conn).update(**changes):
                raise Conflict("Published posts are not edited here.", field="postId")
        post.update_from_dict(changes)
        ctx.loaders.post_by_id.prime(post.id, post, force=True)
    return post
