"""The digest: a DIGEST draft summarising the last day, 7 or 30 days, for a member to edit and publish.

Sections: the period's posts, most engaging (comments and reactions) first, then the
rest; questions still waiting for an answer; newcomers; badges and kudos given; events
held in the period and coming up. Every section lists what the period holds, up to a
limit, and says how many more there are: nothing is left out silently.
Posts and events are linked by their global id (`/posts/<id>`, `/events/<id>`);
members are @mentioned, so publishing tells them they are in it.
The scheduler drafts one each Monday for the week before, for every community
with activity in it, authored by an owner, and tells the managers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from models.activity import Activity
from models.communities import Community, Membership, MembershipStatus, Role
from models.events import Event, Rsvp
from models.notifications import NotificationKind
from models.points import Kudos
from models.posts import Comment, Post, PostKind, PostStatus, Reaction, TargetType
from models.recognition import BadgeAward
from resolvers.access import MANAGING_ROLES, require_community, require_role
from resolvers.claims import claim
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.ids import to_global_id
from resolvers.markdown import escape_markdown as md
from resolvers.markdown import render_markdown_off_loop
from resolvers.notifications.notifications import notify
from resolvers.outbox import queue, writing
from resolvers.ratelimit import check_rate
from resolvers.recognition.standings import week_key

SPANS = {"DAY": timedelta(days=1), "WEEK": timedelta(days=7), "MONTH": timedelta(days=30)}
TOP_POSTS = 5
UNANSWERED = 5
NEWCOMERS = 10
RECOGNITIONS = 10
EVENTS = 5
EVENTS_AHEAD = timedelta(days=14)


async def digest_markdown(community: Community, start: datetime, end: datetime) -> tuple[str, str]:
    """(title, body) of the digest of [start, end)."""
    published = Post.filter(
        community_id=community.id, status=PostStatus.PUBLISHED, deleted_at__isnull=True, published_at__gte=start
    ).filter(published_at__lt=end)
    sections = [
        ("Top posts", await _top_posts(published)),
        ("Waiting for an answer", await _unanswered(published)),
        ("Welcome to our newcomers", await _newcomers(community.id, start, end)),
        ("Thanks and badges", await _recognition(community.id, start, end)),
        ("Events", await _held_events(community.id, start, end)),
        ("Coming up", await _upcoming_events(community.id, end)),
    ]
    days = (end - start).days
    last_day = end - timedelta(seconds=1)
    span = f"{start:%-d %B %Y}" if days <= 1 else f"{start:%-d %B} to {last_day:%-d %B %Y}"
    title = f"{community.name} digest: {span}"
    lines = [f"What happened in {md(community.name)} over the last {days} day{'s' if days > 1 else ''}."]
    for heading, items in sections:
        lines += ["", f"## {heading}", ""]
        lines += items or ["Nothing this time."]
    return title[:200], "\n".join(lines)


def _post_link(post_id: int, title: str) -> str:
    return f"[{md(title)}](/posts/{to_global_id('Post', post_id)})"


async def _top_posts(published: QuerySet[Post]) -> list[str]:
    """The period's posts by comments plus reactions, most first (newest first on a tie), then those
    nobody engaged with yet, newest first: a new post is news before anyone reacts to it."""
    candidates = published.exclude(kind__in=[PostKind.INTRODUCTION, PostKind.DIGEST])
    comments = dict(
        await Comment.filter(post_id__in=Subquery(candidates.values("id")), deleted_at__isnull=True)
        .annotate(n=Count("id"))
        .group_by("post_id")
        .values_list("post_id", "n")
    )
    reactions = dict(
        await Reaction.filter(target_type=TargetType.POST, target_id__in=Subquery(candidates.values("id")))
        .annotate(n=Count("id"))
        .group_by("target_id")
        .values_list("target_id", "n")
    )
    score = {pid: comments.get(pid, 0) + reactions.get(pid, 0) for pid in comments.keys() | reactions.keys()}
    chosen = sorted(score, key=lambda pid: (-score[pid], -pid))[:TOP_POSTS]
    if len(chosen) < TOP_POSTS:
        quiet = candidates.exclude(id__in=chosen).order_by("-published_at", "-id").limit(TOP_POSTS - len(chosen))
        chosen += await quiet.values_list("id", flat=True)
    titles = dict(await Post.filter(id__in=chosen).values_list("id", "title"))
    lines = [
        f"- {_post_link(pid, titles[pid])}: {_count(comments.get(pid, 0), 'comment')}, "
        f"{_count(reactions.get(pid, 0), 'reaction')}"
        for pid in chosen
    ]
    return lines + _more(await candidates.count() - len(lines), "post")


def _more(hidden: int, noun: str) -> list[str]:
    """The line that says a section was cut at its limit, so nothing is left out silently."""
    return [f"- and {_count(hidden, f'more {noun}')}"] if hidden > 0 else []


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


async def _unanswered(published: QuerySet[Post]) -> list[str]:
    """The period's questions nobody but their author commented on, longest waiting first."""
    questions = (
        await published.filter(kind=PostKind.QUESTION).order_by("published_at").values("id", "title", "author_id")
    )
    asker = {q["id"]: q["author_id"] for q in questions}
    commenters = Comment.filter(post_id__in=list(asker), deleted_at__isnull=True).values_list("post_id", "author_id")
    answered = {post_id for post_id, author_id in await commenters if author_id != asker[post_id]}
    waiting = [f"- {_post_link(q['id'], q['title'])}" for q in questions if q["id"] not in answered]
    return waiting[:UNANSWERED] + _more(len(waiting) - UNANSWERED, "question")


async def _newcomers(community_id: int, start: datetime, end: datetime) -> list[str]:
    joined = Membership.filter(
        community_id=community_id, status=MembershipStatus.ACTIVE, joined_at__gte=start, joined_at__lt=end
    )
    names = await joined.order_by("joined_at").values_list("member__username", flat=True)
    if not names:
        return []
    listed = ", ".join(f"@{name}" for name in names[:NEWCOMERS])
    more = f" and {len(names) - NEWCOMERS} more" if len(names) > NEWCOMERS else ""
    return [f"{listed}{more}: say hello!"]


async def _recognition(community_id: int, start: datetime, end: datetime) -> list[str]:
    awards = BadgeAward.filter(community_id=community_id, awarded_at__gte=start, awarded_at__lt=end)
    earned = await awards.order_by("awarded_at").limit(RECOGNITIONS).values_list("member__username", "badge__name")
    kudos = Kudos.filter(community_id=community_id, created_at__gte=start, created_at__lt=end)
    given = await kudos.count()
    thanked = (
        await kudos.order_by("created_at").limit(RECOGNITIONS).values_list("giver__username", "receiver__username")
    )
    lines = [f"- @{member} earned the **{md(badge)}** badge" for member, badge in earned]
    lines += _more(await awards.count() - len(earned), "badge")
    if given:
        pairs = ", ".join(f"@{giver} thanked @{receiver}" for giver, receiver in thanked)
        more = f" and {given - len(thanked)} more" if given > len(thanked) else ""
        lines.append(f"- {given} kudos given: {pairs}{more}")
    return lines


def _event_line(event: dict[str, Any], after: str = "") -> str:
    link = f"[{md(event['title'])}](/events/{to_global_id('Event', event['id'])})"
    return f"- {link}, {event['starts_at']:%A %-d %B, %H:%M} UTC{after}"


async def _held_events(community_id: int, start: datetime, end: datetime) -> list[str]:
    """The period's events, with how many came: what happened belongs in the digest as much as what comes."""
    held = Event.filter(community_id=community_id, starts_at__gte=start, starts_at__lt=end)
    events = await held.order_by("starts_at").limit(EVENTS).values("id", "title", "starts_at")
    attended = dict(
        await Rsvp.filter(event_id__in=[e["id"] for e in events], checked_in_at__isnull=False)
        .annotate(n=Count("id"))
        .group_by("event_id")
        .values_list("event_id", "n")
    )
    lines = [_event_line(e, f": {attended.get(e['id'], 0)} checked in") for e in events]
    return lines + _more(await held.count() - len(events), "event")


async def _upcoming_events(community_id: int, now: datetime) -> list[str]:
    coming = Event.filter(community_id=community_id, starts_at__gte=now, starts_at__lt=now + EVENTS_AHEAD)
    events = await coming.order_by("starts_at").limit(EVENTS).values("id", "title", "starts_at")
    return [_event_line(e) for e in events] + _more(await coming.count() - len(events), "event")


async def draft_digest(
    conn: BaseDBAsyncClient, community: Community, author_id: int, start: datetime, end: datetime
) -> Post:
    title, body = await digest_markdown(community, start, end)
    return await Post.create(
        using_db=conn,
        community_id=community.id,
        author_id=author_id,
        kind=PostKind.DIGEST,
        status=PostStatus.DRAFT,
        title=title,
        body=body,
        body_html=await render_markdown_off_loop(body),
    )


async def do_generate_digest(ctx: Context, slug: str, period: str) -> Post:
    """A DIGEST draft of the last day, 7 or 30 days (managers); edit it, or hand it to a member as a task."""
    community = await require_community(ctx, slug)
    manager = await require_role(ctx, community, MANAGING_ROLES, "generate a digest")
    await check_rate(ctx, "mutation")
    span = SPANS.get(period)
    if span is None:
        raise BadUserInput("A digest covers DAY, WEEK or MONTH.", field="period")
    end = datetime.now(UTC)
    async with writing() as conn:
        return await draft_digest(conn, community, manager.member_id, end - span, end)


_drafted_week = ""  # the week this process has drafted (or seen drafted) every digest of


async def draft_weekly_digests(now: datetime | None = None) -> int:
    """On Mondays, a draft of the week before for each community with activity in it; once per week."""
    global _drafted_week
    now = now or datetime.now(UTC)
    end = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start, week = end - timedelta(days=7), week_key(end - timedelta(days=7))
    if now.weekday() != 0 or week == _drafted_week:
        return 0
    active = (
        Activity.filter(created_at__gte=start, created_at__lt=end).distinct().values_list("community_id", flat=True)
    )
    drafted = 0
    for community in await Community.filter(id__in=list(await active)):
        async with writing() as conn:
            if not await claim(conn, "weekly-digest", f"{week}:{community.id}"):
                continue
            owners = Membership.filter(community_id=community.id, role__in=[Role.OWNER, Role.MANAGER])
            managers = (
                await owners.filter(status=MembershipStatus.ACTIVE).order_by("id").values_list("member_id", "role")
            )
            if not managers:
                continue
            author = next((m for m, role in managers if role == Role.OWNER), managers[0][0])
            post = await draft_digest(conn, community, author, start, end)
            kinds = dict.fromkeys((m for m, _ in managers), NotificationKind.DIGEST_DRAFTED)
            drafted_for = await notify(
                conn,
                kinds,
                actor_id=None,
                community_id=community.id,
                subject_type="post",
                subject_id=post.id,
                payload={"title": post.title},
            )
            queue(conn, *drafted_for)
            drafted += 1
    _drafted_week = week
    return drafted
