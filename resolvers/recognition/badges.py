"""Recording a badge award: the one call the engagement rules make; live delivery follows from it."""

from __future__ import annotations

from models.activity import Verb
from models.notifications import NotificationKind
from models.recognition import Badge, BadgeAward
from resolvers.outbox import Transaction
from resolvers.recognition.achievements import recognise


async def record_award(
    conn: Transaction,
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
    await recognise(
        conn,
        Verb.BADGE_AWARDED,
        NotificationKind.BADGE_AWARDED,
        member_id=member_id,
        community_id=community_id,
        subject=("badge_award", award.id),
        payload={"badge": badge.name, "tier": badge.tier.value, "title": badge.name},
        given_by_id=awarded_by_id,
    )
    return award
