"""Trending tags: how often each tag was used in the last day, week or month, against the span before.

Trends compare rolling spans (the last 7 days with the 7 before), not calendar
periods: a Monday morning would otherwise compare a few hours with a whole week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.functions import Count

from models.posts import PostKind, PostStatus, PostTag

SPANS = {"DAY": timedelta(days=1), "WEEK": timedelta(days=7), "MONTH": timedelta(days=30)}


@dataclass
class TagTrend:
    tag: str
    count: int
    previous_count: int

    @property
    def growth(self) -> float:
        """(count - previous) / previous; against nothing, the count itself (a new tag with 3 uses: 3.0)."""
        return (self.count - self.previous_count) / (self.previous_count or 1)


async def trending_tags(community_id: int, period: str, first: int, now: datetime | None = None) -> list[TagTrend]:
    """The most used tags of the span, with their use in the span before (ALL: ever, nothing before)."""
    now = now or datetime.now(UTC)
    span = SPANS.get(period)
    current = await _counts(community_id, now - span if span else None, now)
    previous = await _counts(community_id, now - 2 * span, now - span) if span else {}
    trends = [TagTrend(tag, count, previous.get(tag, 0)) for tag, count in current.items()]
    trends.sort(key=lambda t: (-t.count, -t.growth, t.tag))
    return trends[:first]


async def _counts(community_id: int, start: datetime | None, end: datetime) -> dict[str, int]:
    """Published, not deleted posts per tag, published in [start, end); introductions (tagged with the
    newcomer's skills) and digests are written by Cercle, not topics members chose."""
    query = PostTag.filter(
        post__community_id=community_id,
        post__status=PostStatus.PUBLISHED,
        post__deleted_at__isnull=True,
        post__published_at__lt=end,
    ).exclude(post__kind__in=[PostKind.INTRODUCTION, PostKind.DIGEST])
    if start is not None:
        query = query.filter(post__published_at__gte=start)
    return dict(await query.annotate(n=Count("id")).group_by("tag").values_list("tag", "n"))
