"""The scheduler: jobs every process may run at once, each effect happening once.

Every tick each process runs every job. A job that acts on a slot (a stale
community today, a newcomer's post, a community's week) first claims the slot
in `job_run` inside the transaction that acts on it: the unique key lets one
claim through, and a failed transaction gives the slot back for the next tick.
Publishing scheduled posts needs no claim: its conditional UPDATE is the claim.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TypedDict, cast

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Subquery
from tortoise.functions import Min

import settings
from models.communities import Community, Membership, MembershipStatus, Role
from models.notifications import NotificationKind
from models.posts import Comment, Post, PostKind, PostStatus
from models.recognition import BadgeAward
from models.scheduling import JobRun
from realtime.table import prune_activity
from resolvers.access import MANAGING_ROLES, MODERATING_ROLES
from resolvers.claims import claim
from resolvers.digest.digest import draft_weekly_digests
from resolvers.email.notification_emails import send_notification_emails
from resolvers.email.summaries import send_summaries
from resolvers.engagement.rollups import roll_up_engagement
from resolvers.freshness.freshness import published_posts, start_of_day
from resolvers.idempotency import prune_idempotent_requests
from resolvers.notifications.notifications import excerpt, notify
from resolvers.outbox import queue, writing
from resolvers.posts.posts import publish_due_posts
from resolvers.recognition.totals import fold_ledgers
from resolvers.recognition.weekly_badges import award_weekly_top
from resolvers.scheduling.retention import prune_accounts, prune_job_runs, prune_sent_email

logger = logging.getLogger("cercle.scheduler")
CARE_WINDOW = timedelta(days=7)  # older unanswered first posts are past saving by a notification
WELCOMER_BADGES = ("welcomer", "welcome-committee")


_alerted_day = ""


async def send_stale_alerts(now: datetime | None = None) -> int:
    """Past STALE_ALERT_HOUR, tell the managers of each community with nothing published today; once a day."""
    now = now or datetime.now(UTC)
    if now.astimezone(UTC).hour < settings.STALE_ALERT_HOUR:
        return 0
    global _alerted_day
    today = start_of_day(now)
    day = today.date().isoformat()
    if day == _alerted_day:
        return 0
    published_today = Post.filter(
        status=PostStatus.PUBLISHED, deleted_at__isnull=True, published_at__gte=today
    ).exclude(kind=PostKind.INTRODUCTION)
    quiet = await (
        Community.filter(created_at__lt=today)
        .exclude(id__in=Subquery(published_today.values("community_id")))
        .values_list("id", "name", "daily_goal")
    )
    alerted_today = JobRun.filter(job="stale-alert", slot__startswith=f"{day}:")
    alerted = set(cast(list[str], await alerted_today.values_list("slot", flat=True)))
    sent = 0
    for community_id, name, goal in quiet:
        if f"{day}:{community_id}" in alerted:
            continue
        async with writing() as conn:
            if not await claim(conn, "stale-alert", f"{day}:{community_id}"):
                continue
            managers = await _members_with_roles(conn, community_id, MANAGING_ROLES)
            text = f"Nothing published today by {settings.STALE_ALERT_HOUR}:00 UTC; the goal is {goal} a day."
            payload = {"title": name, "excerpt": text}
            kinds = dict.fromkeys(managers, NotificationKind.COMMUNITY_STALE)
            queue(conn, *await notify(conn, kinds, actor_id=None, community_id=community_id, payload=payload))
            sent += 1
    _alerted_day = day  # every quiet community of the day is alerted: the next ticks have nothing to do
    return sent


class _Candidate(TypedDict):
    """A post that may be a newcomer's first, still unanswered: the columns care_for_newcomers reads."""

    id: int
    author_id: int
    community_id: int
    title: str
    body: str
    published_at: datetime


async def care_for_newcomers(now: datetime | None = None) -> int:
    """A newcomer's first post with no reply after NEWCOMER_CARE_HOURS: welcomers and moderators are told, once."""
    now = now or datetime.now(UTC)
    waited = now - timedelta(hours=settings.NEWCOMER_CARE_HOURS)
    recently_joined = waited - CARE_WINDOW - timedelta(days=settings.NEWCOMER_DAYS)
    candidates = cast(
        list[_Candidate],
        await Post.filter(
            status=PostStatus.PUBLISHED,
            deleted_at__isnull=True,
            kind__in=[PostKind.DISCUSSION, PostKind.QUESTION],
            published_at__lte=waited,
            published_at__gte=waited - CARE_WINDOW,
            # Narrows a busy week to authors who joined somewhere lately; the exact test is per post below.
            author__memberships__joined_at__gte=recently_joined,
        )
        .distinct()
        .values("id", "author_id", "community_id", "title", "body", "published_at"),
    )
    if not candidates:
        return 0
    cared = JobRun.filter(job="newcomer-care", claimed_at__gte=waited - CARE_WINDOW)
    done = set(cast(list[str], await cared.values_list("slot", flat=True)))
    author_of = {post["id"]: post["author_id"] for post in candidates if str(post["id"]) not in done}
    comments = Comment.filter(post_id__in=list(author_of), deleted_at__isnull=True).values_list("post_id", "author_id")
    replied = {post_id for post_id, author_id in await comments if author_id != author_of[post_id]}
    unanswered = [post for post in candidates if post["id"] in author_of.keys() - replied]
    told = 0
    for post in unanswered:
        async with writing() as conn:
            # Each unanswered post is looked at once, by one process: being a newcomer's first post never changes.
            if not await claim(conn, "newcomer-care", str(post["id"])):
                continue
            if not await _is_newcomers_first_post(conn, post):
                continue  # claimed all the same: nobody needs to look at it again
            carers = await _carers(conn, post["community_id"]) - {post["author_id"]}
            queue(
                conn,
                *await notify(
                    conn,
                    dict.fromkeys(carers, NotificationKind.NEWCOMER_UNANSWERED),
                    actor_id=post["author_id"],
                    community_id=post["community_id"],
                    subject_type="post",
                    subject_id=post["id"],
                    payload={"title": post["title"], "excerpt": excerpt(post["body"])},
                ),
            )
            told += 1
    return told


async def _is_newcomers_first_post(conn: BaseDBAsyncClient, post: _Candidate) -> bool:
    where = {"member_id": post["author_id"], "community_id": post["community_id"]}
    membership = Membership.filter(**where, status=MembershipStatus.ACTIVE).using_db(conn)
    joined = cast(list[datetime], await membership.values_list("joined_at", flat=True))
    if not joined or joined[0] < post["published_at"] - timedelta(days=settings.NEWCOMER_DAYS):
        return False
    first = cast(
        int | None,
        await published_posts(post["community_id"])
        .filter(author_id=post["author_id"])
        .using_db(conn)
        .annotate(first=Min("id"))
        .first()
        .values_list("first", flat=True),
    )
    return first == post["id"]


async def _members_with_roles(conn: BaseDBAsyncClient, community_id: int, roles: set[Role]) -> set[int]:
    active = Membership.filter(community_id=community_id, role__in=list(roles), status=MembershipStatus.ACTIVE)
    return set(cast(list[int], await active.using_db(conn).values_list("member_id", flat=True)))


async def _carers(conn: BaseDBAsyncClient, community_id: int) -> set[int]:
    """Moderators and holders of the welcomer badges, if still active members."""
    welcomers = BadgeAward.filter(community_id=community_id, badge__slug__in=WELCOMER_BADGES).using_db(conn)
    active = Membership.filter(community_id=community_id, status=MembershipStatus.ACTIVE).using_db(conn)
    badge_holders = set(
        cast(
            list[int],
            await active.filter(member_id__in=Subquery(welcomers.values("member_id"))).values_list(
                "member_id", flat=True
            ),
        )
    )
    return badge_holders | await _members_with_roles(conn, community_id, MODERATING_ROLES)


JOBS: list[Callable[[], Awaitable[int]]] = [
    publish_due_posts,
    send_stale_alerts,
    care_for_newcomers,
    draft_weekly_digests,
    award_weekly_top,
    fold_ledgers,
    prune_activity,
    prune_idempotent_requests,
    prune_accounts,
    prune_sent_email,
    prune_job_runs,
    send_notification_emails,
    send_summaries,
    roll_up_engagement,
]


async def run_scheduler(interval: float) -> None:
    """Every job, every `interval` seconds, until cancelled; a failing job is logged and retried next tick."""
    while True:
        for job in JOBS:
            try:
                await job()
            except Exception:  # noqa: BLE001 - keep trying; the next round catches up
                logger.exception("scheduled job %s failed", job.__name__)
        await asyncio.sleep(interval)
