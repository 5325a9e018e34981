"""Comments in threads, and accepting the answer to a question."""

from __future__ import annotations

from typing import cast

from tortoise.backends.base.client import BaseDBAsyncClient

from models.activity import Verb
from models.notifications import Notification, NotificationKind
from models.posts import Comment, Post, PostKind, PostStatus
from resolvers.access import require_active_member, require_visible_comment, require_visible_post
from resolvers.activity import append_activity
from resolvers.context import Context
from resolvers.errors import BadUserInput, Forbidden
from resolvers.loaders import forget
from resolvers.markdown import render_markdown_off_loop
from resolvers.notifications.notifications import excerpt, mentioned_members, notify
from resolvers.outbox import queue, writing
from resolvers.pagination import Page, paginate
from resolvers.ratelimit import check_rate
from resolvers.recognition.points import take_back
from resolvers.recognition.rewards import credit, reward_comment
from resolvers.validation import check_text

MAX_COMMENT_BODY = 20_000


async def list_comments(post: Post, *, first: int | None, after: str | None) -> Page[Comment]:
    query = Comment.filter(post_id=post.id, deleted_at__isnull=True)
    return await paginate(query, ("created_at", "id"), first=first, after=after)


async def do_add_comment(ctx: Context, post_id: str, body: str, parent_id: str | None) -> Comment:
    post = await require_visible_post(ctx, post_id)
    community = await ctx.loaders.community_by_id.load(post.community_id)
    assert community is not None, "loaded when the post was found visible"
    await require_active_member(ctx, community, "comment here")
    await check_rate(ctx, "mutation")
    if post.status != PostStatus.PUBLISHED:
        raise BadUserInput("This post is not published yet.", field="postId")
    body = check_text(body, "body", max_length=MAX_COMMENT_BODY)
    parent = None
    if parent_id is not None:
        parent = await require_visible_comment(ctx, parent_id, "parentId")
        if parent.post_id != post.id:
            raise BadUserInput("The parent comment belongs to another post.", field="parentId")
    body_html = await render_markdown_off_loop(body)  # before the transaction: it may take a while
    async with writing() as conn:
        comment = await Comment.create(
            using_db=conn,
            post_id=post.id,
            author_id=ctx.viewer_id,
            parent_id=parent.id if parent else None,
            body=body,
            body_html=body_html,
        )
        activity = await append_activity(
            conn,
            community_id=post.community_id,
            actor_id=ctx.viewer_id,
            verb=Verb.COMMENTED,
            subject_type="comment",
            subject_id=comment.id,
            payload={"post_id": post.id},
        )
        await reward_comment(conn, comment, post, activity)
        queue(conn, activity, *await _notify_comment(conn, comment, post, parent))
    forget(ctx.loaders.comment_count_by_post_id, post.id)
    return comment


async def _notify_comment(
    conn: BaseDBAsyncClient, comment: Comment, post: Post, parent: Comment | None
) -> list[Notification]:
    """REPLY to the post's author and the parent comment's author; MENTION to the others named."""
    recipients = dict.fromkeys(await mentioned_members(conn, comment.body, post.community_id), NotificationKind.MENTION)
    recipients[post.author_id] = NotificationKind.REPLY
    if parent:
        recipients[parent.author_id] = NotificationKind.REPLY
    return await notify(
        conn,
        recipients,
        actor_id=comment.author_id,
        community_id=post.community_id,
        subject_type="comment",
        subject_id=comment.id,
        payload={"post_id": post.id, "title": post.title, "excerpt": excerpt(comment.body)},
    )


async def do_accept_answer(ctx: Context, comment_id: str) -> Comment:
    comment = await require_visible_comment(ctx, comment_id)
    post = await ctx.loaders.post_by_id.load(comment.post_id)
    await ctx.require_viewer()
    if post is None or post.author_id != ctx.viewer_id:
        raise Forbidden("Only the author of the question can accept an answer.")
    community = await ctx.loaders.community_by_id.load(post.community_id)
    assert community is not None, "loaded when the post was found visible"
    await require_active_member(ctx, community, "accept answers")
    if post.kind != PostKind.QUESTION:
        raise BadUserInput("Only answers to questions can be accepted.", field="commentId")
    if comment.accepted:
        return comment
    await check_rate(ctx, "mutation")
    async with writing() as conn:
        # Lock the question: two accepts at once would each clear the other's
        # uncommitted answer and leave two accepted (PostgreSQL, read committed).
        # A whole-row query: Tortoise drops FOR UPDATE from values_list(). NO KEY:
        # comments may still be added to the question meanwhile.
        await Post.filter(id=post.id).using_db(conn).select_for_update(no_key=True).first()
        before = cast(
            list[int], await Comment.filter(post_id=post.id, accepted=True).using_db(conn).values_list("id", flat=True)
        )
        await take_back(conn, [("comment", pk) for pk in before], reason="ANSWER_ACCEPTED")
        await Comment.filter(post_id=post.id, accepted=True).using_db(conn).update(accepted=False)
        await Comment.filter(id=comment.id).using_db(conn).update(accepted=True)
        activity = await append_activity(
            conn,
            community_id=post.community_id,
            actor_id=ctx.viewer_id,
            verb=Verb.ANSWER_ACCEPTED,
            subject_type="comment",
            subject_id=comment.id,
            payload={"post_id": post.id, "answerer_id": comment.author_id},
        )
        await credit(
            conn,
            "ANSWER_ACCEPTED",
            member_id=comment.author_id,
            community_id=post.community_id,
            subject=("comment", comment.id),
            given_by_id=ctx.viewer_id,
            activity_id=activity.id,
        )
        queue(conn, activity)
    # The request's cached comments (this one, the one accepted before) and answer are stale.
    ctx.loaders.comment_by_id.clear_all()
    forget(ctx.loaders.accepted_answer_by_post_id, post.id)
    comment.accepted = True
    return comment
