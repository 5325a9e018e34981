"""Posts: the feed, writing, publishing (now or when scheduled) and deleting posts and comments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.queryset import QuerySet

from models.activity import Verb
from models.communities import Community, Membership, MembershipStatus
from models.notifications import NotificationKind
from models.posts import Comment, Post, PostKind, PostStatus, PostTag, Reaction, TargetType
from resolvers.access import (
    MODERATING_ROLES,
    has_role,
    may_moderate,
    may_prepare,
    require_active_member,
    require_community,
    require_visible_comment,
    require_visible_post,
    viewer_membership,
)
from resolvers.activity import append_activity
from resolvers.context import Context
from resolvers.email.digests import queue_digest_emails
from resolvers.errors import BadUserInput, Conflict, Forbidden
from resolvers.loaders import forget
from resolvers.markdown import render_markdown_off_loop
from resolvers.notifications.notifications import excerpt, mentioned_members, notify, notify_community
from resolvers.outbox import Transaction, queue, writing
from resolvers.pagination import Page, paginate
from resolvers.ratelimit import check_rate
from resolvers.recognition.automatic_badges import check_badges
from resolvers.recognition.points import take_back
from resolvers.recognition.rewards import reward_post
from resolvers.validation import check_line, check_text, normalise_labels

MAX_TITLE = 200
MAX_POST_BODY = 50_000
MAX_TAGS = 10
# Kinds the server writes itself (welcomes, digests); members cannot post them directly.
SYSTEM_KINDS = {PostKind.INTRODUCTION, PostKind.DIGEST}


@dataclass
class NewPost:
    community_slug: str
    title: str
    body: str
    kind: PostKind = PostKind.DISCUSSION
    tags: list[str] | None = None
    publish_at: datetime | None = None


def feed_query(community_id: int, *, tag: str | None, kind: PostKind | None) -> QuerySet[Post]:
    query = Post.filter(community_id=community_id, status=PostStatus.PUBLISHED, deleted_at__isnull=True)
    if tag:
        query = query.filter(tag_rows__tag=normalise_labels([tag], "tag", max_count=1)[0])
    if kind is not None:
        query = query.filter(kind=kind)
    return query


async def list_posts(
    community: Community, *, tag: str | None, kind: PostKind | None, first: int | None, after: str | None
) -> Page[Post]:
    return await paginate(
        feed_query(community.id, tag=tag, kind=kind), ("-published_at", "-id"), first=first, after=after
    )


def check_new_post(data: NewPost) -> NewPost:
    if data.kind in SYSTEM_KINDS:
        raise BadUserInput(f"Posts of kind {data.kind.value} are written by Cercle itself.", field="kind")
    return NewPost(
        community_slug=data.community_slug,
        title=check_line(data.title, "title", max_length=MAX_TITLE),
        body=check_text(data.body, "body", max_length=MAX_POST_BODY),
        kind=data.kind,
        tags=normalise_labels(data.tags or [], "tags", max_count=MAX_TAGS),
        publish_at=data.publish_at,
    )


async def do_create_post(ctx: Context, data: NewPost) -> Post:
    community = await require_community(ctx, data.community_slug)
    membership = await require_active_member(ctx, community, "post here")
    await check_rate(ctx, "mutation")
    data = check_new_post(data)
    if data.kind == PostKind.ANNOUNCEMENT and not has_role(membership, MODERATING_ROLES):
        raise Forbidden("Only moderators, managers and owners can post announcements.")
    body_html = await render_markdown_off_loop(data.body)  # before the transaction: it may take a while
    now = datetime.now(UTC)
    scheduled = data.publish_at is not None and data.publish_at > now
    async with writing() as conn:
        post = await Post.create(
            using_db=conn,
            community_id=community.id,
            author_id=membership.member_id,
            kind=data.kind,
            status=PostStatus.SCHEDULED if scheduled else PostStatus.PUBLISHED,
            title=data.title,
            body=data.body,
            body_html=body_html,
            publish_at=data.publish_at if scheduled else None,
            published_at=None if scheduled else now,
        )
        await PostTag.bulk_create(
            [PostTag(post_id=post.id, tag=tag, position=i) for i, tag in enumerate(data.tags or [])], using_db=conn
        )
        if not scheduled:
            await _published(conn, post)
    return post


async def do_preview_markdown(ctx: Context, body: str) -> str:
    """The HTML `body` would be published as: createPost's checks and rendering, writing nothing.

    Logged-in callers only, counted in their own bucket: a long hostile body costs seconds of
    CPU to render, so anonymous previews would be a free way to load the server.
    """
    await ctx.require_viewer()
    await check_rate(ctx, "preview")
    return await render_markdown_off_loop(check_text(body, "body", max_length=MAX_POST_BODY))


async def _published(conn: Transaction, post: Post, by_id: int | None = None) -> None:
    """A post goes public: POSTED (DIGEST_PUBLISHED for a digest, told to every member), and a notification
    to each member it mentions (inside writing())."""
    digest = post.kind == PostKind.DIGEST
    activity = await append_activity(
        conn,
        community_id=post.community_id,
        actor_id=by_id or post.author_id,
        verb=Verb.DIGEST_PUBLISHED if digest else Verb.POSTED,
        subject_type="post",
        subject_id=post.id,
        payload={"kind": str(post.kind.value), "title": post.title},
    )
    await reward_post(conn, post, activity)
    mentioned = await notify(
        conn,
        dict.fromkeys(await mentioned_members(conn, post.body, post.community_id), NotificationKind.MENTION),
        actor_id=post.author_id,
        community_id=post.community_id,
        subject_type="post",
        subject_id=post.id,
        payload={"title": post.title, "excerpt": excerpt(post.body)},
    )
    if digest:  # the mentioned have their MENTION already
        told = {by_id or post.author_id, *(row.member_id for row in mentioned)}
        mentioned += await notify_community(
            conn,
            NotificationKind.DIGEST_PUBLISHED,
            community_id=post.community_id,
            skip=told,
            subject_type="post",
            subject_id=post.id,
            actor_id=by_id or post.author_id,
            payload={"title": post.title},
        )
        await check_badges(conn, by_id or post.author_id, post.community_id, "DIGEST_PUBLISHED")
        await queue_digest_emails(conn, post, by_id or post.author_id)
    queue(conn, activity, *mentioned)


async def publish_post(post_id: int, by_id: int | None = None) -> Post | None:
    """Publish a draft or scheduled post now (by its author unless `by_id`); None if another process did first."""
    async with writing() as conn:
        changed = (
            await Post.filter(id=post_id, status__in=[PostStatus.DRAFT, PostStatus.SCHEDULED], deleted_at__isnull=True)
            .using_db(conn)
            .update(status=PostStatus.PUBLISHED, published_at=datetime.now(UTC))
        )
        if not changed:
            return None
        post = await Post.get(id=post_id, using_db=conn)
        await _published(conn, post, by_id)
    return post


async def do_publish_post(ctx: Context, post_id: str) -> Post:
    post = await require_visible_post(ctx, post_id)
    await ctx.require_viewer()
    if not await may_prepare(ctx, post):
        raise Forbidden("Only the author, a moderator or the member given this post to edit can publish it.")
    if post.status == PostStatus.PUBLISHED:
        raise Conflict("This post is already published.", field="postId")
    published = await publish_post(post.id, by_id=ctx.viewer_id)
    if published is None:
        raise Conflict("This post was published just now.", field="postId")
    ctx.loaders.post_by_id.prime(post.id, published, force=True)
    return published


async def publish_due_posts(now: datetime | None = None) -> int:
    """Publish every scheduled post whose time has come; safe to run on every process at once.

    Posts of authors who are no longer active members (banned, left) stay unpublished.
    """
    due = await Post.filter(
        status=PostStatus.SCHEDULED, publish_at__lte=now or datetime.now(UTC), deleted_at__isnull=True
    ).values_list("id", "author_id", "community_id")
    if not due:  # the usual case on every tick: one query
        return 0
    # Matched here, not joined in SQL: Tortoise cannot join on two columns (author and community).
    active = set(
        await Membership.filter(
            member_id__in={author for _, author, _ in due},
            community_id__in={community for _, _, community in due},
            status=MembershipStatus.ACTIVE,
        ).values_list("member_id", "community_id")
    )
    published = [
        post_id
        for post_id, author, community in due
        if (author, community) in active and await publish_post(post_id) is not None
    ]
    return len(published)


async def do_delete(ctx: Context, target_id: str, expected: str) -> str:
    """Soft-delete a post or comment: its author, or a moderator of its community."""
    target: Post | Comment
    if expected == "Post":
        target = await require_visible_post(ctx, target_id)
        community_id = target.community_id
    else:
        target = await require_visible_comment(ctx, target_id)
        post = await ctx.loaders.post_by_id.load(target.post_id)
        assert post is not None, "loaded when the comment was found visible"
        community_id = post.community_id
    await ctx.require_viewer()
    if target.author_id != ctx.viewer_id and not may_moderate(await viewer_membership(ctx, community_id)):
        raise Forbidden(f"Only the author, a moderator or a LEADER can delete this {expected.lower()}.")
    await check_rate(ctx, "mutation")
    async with writing() as conn:
        deleted = (
            await type(target)
            .filter(id=target.id, deleted_at__isnull=True)
            .using_db(conn)
            .update(deleted_at=datetime.now(UTC))
        )
        if deleted:  # deleted content takes back the points it earned, reactions to it included
            target_type = TargetType.POST if isinstance(target, Post) else TargetType.COMMENT
            reactions = await Reaction.filter(target_type=target_type, target_id=target.id).using_db(conn)
            subjects = [(target_type.value, target.id), *(("reaction", r.id) for r in reactions)]
            await take_back(conn, subjects)
    # Later mutations of this request must not find it, count it or show it as the answer.
    if isinstance(target, Post):
        forget(ctx.loaders.post_by_id, target.id)
    else:
        forget(ctx.loaders.comment_by_id, target.id)
        forget(ctx.loaders.comment_count_by_post_id, target.post_id)
        forget(ctx.loaders.accepted_answer_by_post_id, target.post_id)
    return target_id
