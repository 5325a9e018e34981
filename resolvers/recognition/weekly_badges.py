"""Top contributor of the week: crowned by the scheduler once a calendar week has ended."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

from tortoise.exceptions import IntegrityError

from models.points import PointsEntry
from models.recognition import BadgeAward, BadgeTier
from resolvers.outbox import writing
from resolvers.recognition.automatic_badges import AutomaticBadge, Counter, badge_row
from resolvers.recognition.badges import record_award
from resolvers.recognition.standings import Period, period_start, top, week_key

TOP_CONTRIBUTOR = AutomaticBadge(
    "top-contributor",
    "Top contributor of the week",
    BadgeTier.GOLD,
    1,
    Counter(
        "weeks_topped",
        "SELECT COUNT(*) FROM badge_award a JOIN badge b ON b.id = a.badge_id"
        " WHERE a.member_id = :member AND a.community_id = :community AND b.slug = 'top-contributor'",
    ),
    "Most points in a calendar week (Monday to Sunday, UTC); earned again each week topped",
)
_crowned_week: str | None = None  # the last week this process finished crowning: nothing to do until the next


async def award_weekly_top(now: datetime | None = None) -> int:
    """Award last week's leader of each community that had points then; how many were crowned.

    Every process may run it at once: the award's unique key (badge, member,
    week) lets one of them crown a leader, and the others' attempts roll back.
    """
    global _crowned_week
    last_week = period_start(Period.WEEK, now or datetime.now(UTC)) - timedelta(days=1)
    start = period_start(Period.WEEK, last_week)
    week = week_key(start)
    if week == _crowned_week:
        return 0
    scored = PointsEntry.filter(created_at__gte=start, created_at__lt=start + timedelta(days=7))
    crowned = BadgeAward.filter(period=week, badge__slug=TOP_CONTRIBUTOR.slug).values_list("community_id", flat=True)
    awarded = 0
    scored_in = cast(list[int], await scored.distinct().values_list("community_id", flat=True))
    for community_id in set(scored_in) - set(cast(list[int], await crowned)):
        best = await top(community_id, Period.WEEK, 1, now=last_week)
        if not best:
            continue
        [(member_id, points)] = best
        try:
            async with writing() as conn:
                badge = await badge_row(conn, community_id, TOP_CONTRIBUTOR)
                reason = f"{points} points in the week of {start.day} {start:%B %Y}"
                award = await record_award(
                    conn, badge, member_id=member_id, community_id=community_id, period=week, reason=reason
                )
                awarded += award is not None
        except IntegrityError:
            continue  # another process crowned them first
    _crowned_week = week
    return awarded
