"""Recording a badge award: the one call the engagement rules make; live delivery follows from it."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from models.activity import Verb
from models.notifications import NotificationKind
from models.recognition import Badge, BadgeAward
from resolvers.activity import append_activity
from resolvers.notifications import notify
from resolvers.outbox import queue


async def record_award(
    conn: BaseDBAsyncClient,
    badge: Badge,
    *,
    member_id: int,
    community_id: int,
    period: str = "",
    reason: str | None = None,
    awarded_by_id: int | None = None,
) -> BadgeAward | None:
    """Award the badge, append BADGE_AWARDED and notify the member; None if it was already awarded.

    The unique key refuses a second award (for the same period), however many
    writers try at once: the loser's transaction fails rather than award twice.
    Run it inside writing(): the activity and notification are published after commit.
    """
    key = {"badge_id": badge.id, "member_id": member_id, "community_id": community_id, "period": period}
    if await BadgeAward.filter(**key).using_db(conn).exists():
        return None
    award = await BadgeAward.create(using_db=conn, **key, reason=reason, awarded_by_id=awarded_by_id)
    payload = {"badge": badge.name, "tier": badge.tier.value, "title": badge.name}
    activity = await append_activity(
        conn,
        community_id=community_id,
        actor_id=member_id,
        verb=Verb.BADGE_AWARDED,
        subject_type="badge_award",
        subject_id=award.id,
        payload=payload,
    )
    notifications = await notify(
        conn,
        {member_id: NotificationKind.BADGE_AWARDED},
        actor_id=awarded_by_id,
        community_id=community_id,
        subject_type="badge_award",
        subject_id=award.id,
        payload=payload,
    )
    queue(activity, *notifications)
    return award
