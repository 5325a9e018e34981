"""Welcoming a newcomer: an introduction post from their profile and first actions to suggest.

Runs inside the transaction that makes a membership ACTIVE, so a join and its
welcome commit together; `welcomed_at` makes it happen once per member and
community, however often they leave, are rejected or ask again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from models.activity import Activity, Verb
from models.communities import Community, Membership
from models.events import Event
from models.members import Member, MemberSkill
from models.posts import Comment, Post, PostKind, PostStatus, PostTag
from models.tasks import Task, TaskStatus
from resolvers.activity import append_activity
from resolvers.markdown import escape_markdown, render_markdown_off_loop
from resolvers.tasks.matching import skill_key

MAX_QUESTIONS = 3
MAX_INTRO_TAGS = 10  # a post's tag limit
LIVELY_WINDOW = timedelta(days=7)


async def welcome_newcomer(conn: BaseDBAsyncClient, membership: Membership) -> list[Activity]:
    """The WELCOMED activity of a newly ACTIVE membership, or nothing if it was welcomed before."""
    now = datetime.now(UTC)
    first_time = (
        await Membership.filter(id=membership.id, welcomed_at__isnull=True).using_db(conn).update(welcomed_at=now)
    )
    if not first_time:
        return []
    membership.welcomed_at = now
    member = await Member.get(id=membership.member_id, using_db=conn)
    community = await Community.get(id=membership.community_id, using_db=conn)
    skills = cast(
        list[str],
        await MemberSkill.filter(member_id=member.id)
        .using_db(conn)
        .order_by("position")
        .values_list("skill", flat=True),
    )
    introduction = await _introduction_post(conn, member, community, list(skills), now)
    suggestions = await suggested_actions(conn, community.id, list(skills), exclude_post_id=introduction.id)
    return [
        await append_activity(
            conn,
            community_id=community.id,
            actor_id=member.id,
            verb=Verb.WELCOMED,
            subject_type="post",
            subject_id=introduction.id,
            payload={"membership_id": membership.id, "suggestions": suggestions},
        )
    ]


async def _introduction_post(
    conn: BaseDBAsyncClient, member: Member, community: Community, skills: list[str], now: datetime
) -> Post:
    name = escape_markdown(member.display_name)
    lines = [f"**{name}** (@{escape_markdown(member.username)}) just joined {escape_markdown(community.name)}."]
    if member.bio:
        lines.append(member.bio)
    if skills:
        lines.append("**Skills:** " + ", ".join(escape_markdown(skill) for skill in skills))
    if member.experience:
        lines.append(f"**Experience:** {member.experience}")
    lines.append("Say hello and make them feel at home!")
    body = "\n\n".join(lines)
    post = await Post.create(
        using_db=conn,
        community_id=community.id,
        author_id=member.id,
        kind=PostKind.INTRODUCTION,
        status=PostStatus.PUBLISHED,
        title=f"Introducing {member.display_name}"[:200],
        body=body,
        body_html=await render_markdown_off_loop(body),
        published_at=now,
    )
    await PostTag.bulk_create(
        [PostTag(post_id=post.id, tag=tag, position=i) for i, tag in enumerate(skills[:MAX_INTRO_TAGS])],
        using_db=conn,
    )
    return post


async def suggested_actions(
    conn: BaseDBAsyncClient, community_id: int, skills: list[str], *, exclude_post_id: int
) -> list[dict[str, Any]]:
    """First steps for a newcomer, stored with the event so that delivering it reads nothing."""
    published = Post.filter(community_id=community_id, status=PostStatus.PUBLISHED, deleted_at__isnull=True).exclude(
        id=exclude_post_id
    )
    suggestions = []
    if skills:
        # Answered questions are left out by the query itself: however many of the newest are
        # answered, the newest open ones are found.
        answered = Comment.filter(post__community_id=community_id, accepted=True, deleted_at__isnull=True)
        questions = await (
            published.filter(kind=PostKind.QUESTION, tag_rows__tag__in=skills)
            .exclude(id__in=Subquery(answered.values("post_id")))
            .using_db(conn)
            .distinct()
            .order_by("-published_at", "-id")
            .limit(MAX_QUESTIONS)
            .values("id", "title", "published_at")  # PostgreSQL: DISTINCT needs the ORDER BY columns
        )
        for question in questions:
            suggestions.append(_suggestion("ANSWER_QUESTION", f"Answer: {question['title']}", question))
        task = await _open_task_for(conn, community_id, skills)
        if task:
            suggestions.append(_suggestion("VOLUNTEER_FOR_TASK", f"Lend a hand: {task['title']}", task, "Task"))
    else:
        suggestions.append(_suggestion("COMPLETE_PROFILE", "Add your skills so members can find you", None))
    suggested_ids = {s["target_id"] for s in suggestions}
    lively = await _liveliest_discussion(conn, published, exclude=suggested_ids)
    if lively:
        suggestions.append(_suggestion("JOIN_DISCUSSION", f"Join the conversation: {lively['title']}", lively))
    upcoming = Event.filter(community_id=community_id, starts_at__gt=datetime.now(UTC)).using_db(conn)
    event = await upcoming.order_by("starts_at", "id").first().values("id", "title")
    if event:
        suggestions.append(_suggestion("ATTEND_EVENT", f"Meet the community: {event['title']}", event, "Event"))
    return suggestions


async def _liveliest_discussion(
    conn: BaseDBAsyncClient, published: QuerySet[Post], exclude: set[int | None]
) -> dict[str, Any] | None:
    """The post with the most comments this week; else the newest discussion."""
    since = datetime.now(UTC) - LIVELY_WINDOW
    busiest = await (
        Comment.filter(created_at__gte=since, deleted_at__isnull=True, post_id__in=Subquery(published.values("id")))
        .exclude(post_id__in=[i for i in exclude if i is not None])
        .using_db(conn)
        .annotate(comments=Count("id"))
        .group_by("post_id")
        .order_by("-comments", "-post_id")
        .limit(1)
        .values("post_id", "comments")
    )
    if busiest:
        return await Post.filter(id=busiest[0]["post_id"]).using_db(conn).first().values("id", "title")
    return (
        await published.filter(kind=PostKind.DISCUSSION)
        .exclude(id__in=[i for i in exclude if i is not None])
        .using_db(conn)
        .order_by("-published_at", "-id")
        .first()
        .values("id", "title")
    )


def _suggestion(kind: str, title: str, target: dict[str, Any] | None, target_type: str = "Post") -> dict[str, Any]:
    return {
        "kind": kind,
        "title": title[:200],
        "target_type": target_type if target else None,
        "target_id": target["id"] if target else None,
    }


async def _open_task_for(conn: BaseDBAsyncClient, community_id: int, skills: list[str]) -> dict[str, Any] | None:
    """The newest open task needing one of the newcomer's skills (among the 50 newest open tasks)."""
    keys = {skill_key(skill) for skill in skills}
    tasks = Task.filter(community_id=community_id, status=TaskStatus.OPEN).using_db(conn)
    for task in await tasks.order_by("-created_at", "-id").limit(50).values("id", "title", "required_skills"):
        if keys & {skill_key(skill) for skill in task["required_skills"]}:
            return task
    return None
