"""Freshness: is the community publishing enough, day after day?

Counted: published, not deleted posts of every kind but introductions (Cercle
writes those when someone joins). Days are UTC days. The streak counts the
days in a row that met the goal, up to today when today has met it already,
or up to yesterday while today is still in progress. Stale: nothing today past
the alert hour, or nothing at all in the last 24 hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import cast

from tortoise.functions import Count, Max
from tortoise.queryset import QuerySet

import settings
from models.communities import Community
from models.posts import Post, PostKind, PostStatus
from resolvers.access import MANAGING_ROLES, require_community, require_role
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.outbox import writing
from resolvers.ratelimit import check_rate
from resolvers.recognition.levels import Day

MAX_DAILY_GOAL = 100
STREAK_HORIZON = 366  # days looked back for a streak


@dataclass
class Freshness:
    posts_today: int
    daily_goal: int
    streak_days: int
    last_post_at: datetime | None
    stale: bool


def published_posts(community_id: int) -> QuerySet[Post]:
    """The posts freshness counts."""
    return Post.filter(community_id=community_id, status=PostStatus.PUBLISHED, deleted_at__isnull=True).exclude(
        kind=PostKind.INTRODUCTION
    )


def start_of_day(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def is_stale(posts_today: int, last_post_at: datetime | None, now: datetime) -> bool:
    past_alert_hour = now.astimezone(UTC).hour >= settings.STALE_ALERT_HOUR
    quiet_for_a_day = last_post_at is None or now - last_post_at >= timedelta(hours=24)
    return (posts_today == 0 and past_alert_hour) or quiet_for_a_day


async def freshness(community: Community, now: datetime | None = None) -> Freshness:
    """Two queries: posts per day over the streak horizon, and the latest post."""
    now = now or datetime.now(UTC)
    today = start_of_day(now)
    posts = published_posts(community.id)
    per_day = dict(
        await posts.filter(published_at__gte=today - timedelta(days=STREAK_HORIZON), published_at__lte=now)
        .annotate(day=Day("published_at"), n=Count("id"))
        .group_by("day")
        .values_list("day", "n")
    )
    counts = {_as_date(day): n for day, n in per_day.items()}
    last_post_at = cast(
        datetime | str | None,
        await posts.filter(published_at__lte=now)
        .annotate(last=Max("published_at"))
        .first()
        .values_list("last", flat=True),
    )
    goal = community.daily_goal
    posts_today = counts.get(today.date(), 0)
    day = today.date() if posts_today >= goal else today.date() - timedelta(days=1)
    streak = 0
    while counts.get(day, 0) >= goal:
        streak, day = streak + 1, day - timedelta(days=1)
    last = _as_datetime(last_post_at)
    return Freshness(posts_today, goal, streak, last, is_stale(posts_today, last, now))


def _as_date(day: date | str) -> date:
    return day if isinstance(day, date) else date.fromisoformat(str(day)[:10])


def _as_datetime(value: datetime | str | None) -> datetime | None:
    """SQLite hands MAX() back as text."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value).astimezone(UTC)


async def do_set_daily_goal(ctx: Context, slug: str, goal: int) -> Community:
    community = await require_community(ctx, slug)
    await require_role(ctx, community, MANAGING_ROLES, "set the daily goal")
    await check_rate(ctx, "mutation")
    if not 1 <= goal <= MAX_DAILY_GOAL:
        raise BadUserInput(f"'goal' must be between 1 and {MAX_DAILY_GOAL}.", field="goal")
    async with writing() as conn:
        await Community.filter(id=community.id).using_db(conn).update(daily_goal=goal)
    community.daily_goal = goal
    ctx.loaders.community_by_id.prime(community.id, community, force=True)
    return community
