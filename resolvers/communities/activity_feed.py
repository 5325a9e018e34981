"""The live feeds built on a community's activity: what came after a cursor, then live, in order.

`activity` follows all of it; `welcomes`, `postAdded`, `commentAdded` and `badgeAwarded` the events
of their verbs, with the row each is about. The stream has checked that the viewer may follow the
community. `activity_summary` says an event in words.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Collection
from contextlib import aclosing
from typing import Protocol, TypeVar

from tortoise.models import Model

from models.activity import Verb
from models.posts import Comment, Post, PostStatus
from realtime.messages import ActivityMessage, decode_cursor
from realtime.streams import activity_stream
from resolvers.access import may_follow, require_visible_post
from resolvers.context import Context
from resolvers.live_access import follow_community

M = TypeVar("M", bound=Model)

POST_VERBS = {Verb.POSTED, Verb.WELCOMED}  # a welcome publishes the introduction post
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


class ReadOnce(Protocol):
    """Reads the row an event is about once for every subscriber of the process, not once each
    (the schema passes its own: schema/execution/sharing.py `row_once`)."""

    async def __call__(self, event: ActivityMessage, model: type[M], pk: int) -> M | None: ...


async def community_activity(
    ctx: Context, slug: str, after: str | None, verbs: Collection[Verb] | None = None
) -> AsyncGenerator[ActivityMessage, None]:
    """A community's activity after the cursor (or from now on), for a viewer allowed to follow it;
    only the events of `verbs` when given."""
    community, access = await follow_community(ctx, slug)
    after_seq = decode_cursor(after, community.id) if after else None
    async with aclosing(activity_stream(community.id, after_seq, access.check)) as events:
        async for event in events:
            if verbs is None or event["verb"] in verbs:
                yield event


async def activity_subjects(
    ctx: Context, slug: str, after: str | None, verbs: Collection[Verb], model: type[M], read_once: ReadOnce
) -> AsyncGenerator[tuple[ActivityMessage, M], None]:
    """The events of `verbs` with the row each is about, leaving out those whose row is gone (or that name none)."""
    async with aclosing(community_activity(ctx, slug, after, verbs)) as events:
        async for event in events:
            if event["subject_id"] is None:
                continue
            row = await read_once(event, model, event["subject_id"])
            if row is not None:
                yield event, row


async def posts_added(
    ctx: Context, community_slug: str, after: str | None, read_once: ReadOnce
) -> AsyncGenerator[tuple[ActivityMessage, Post], None]:
    """Posts as they are published, while they are (not deleted since)."""
    async with aclosing(activity_subjects(ctx, community_slug, after, POST_VERBS, Post, read_once)) as posts:
        async for event, post in posts:
            if _published(post):
                yield event, post


async def comments_added(
    ctx: Context, post_id: str, after: str | None, read_once: ReadOnce
) -> AsyncGenerator[tuple[ActivityMessage, Comment], None]:
    """Comments on a visible post as they are written, while they and the post stand."""
    post = await require_visible_post(ctx, post_id)
    after_seq = decode_cursor(after, post.community_id) if after else None
    access = await may_follow(ctx, post.community_id)
    async for event in activity_stream(post.community_id, after_seq, access.check):
        if event["verb"] != Verb.COMMENTED or event["payload"].get("post_id") != post.id or event["subject_id"] is None:
            continue
        comment = await read_once(event, Comment, event["subject_id"])
        if comment and comment.deleted_at is None and _published(await read_once(event, Post, post.id)):
            yield event, comment


def activity_summary(event: ActivityMessage, actor_name: str | None) -> str:
    """One line for people, e.g. 'Ada posted “Hello”'; `actor_name` is None for Cercle itself."""
    verb = Verb(event["verb"])
    phrase = PHRASES.get(verb, verb.value.lower().replace("_", " "))
    title = event["payload"].get("title")
    return f"{actor_name if actor_name is not None else 'Cercle'} {phrase}" + (f" “{title}”" if title else "")


def _published(post: Post | None) -> bool:
    return post is not None and post.deleted_at is None and post.status == PostStatus.PUBLISHED
