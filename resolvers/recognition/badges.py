"""Recording a badge award: the one call the engagement rules make; live delivery follows from it."""

from __future__ import annotations

from datetime import UTC, datetime

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
    writers try at once: the insert of a second one waits for the first to
    commit, then does nothing, and nothing is announced twice.
    Run it inside writing(): the activity and notification are published after commit.
    """
    award = BadgeAward(
        badge_id=badge.id,
        member_id=member_id,
        community_id=community_id,
        period=period,
        reason=reason,
        awarded_by_id=awarded_by_id,
        awarded_at=datetime.now(UTC),
    )
    columns = ("badge_id", "member_id", "community_id", "period", "reason", "awarded_by_id", "awarded_at")
    marks = [f"${n}" for n in range(1, 8)] if conn.capabilities.dialect == "postgres" else ["?"] * 7
    inserted = await conn.execute_query_dict(
        f"INSERT INTO badge_award ({', '.join(columns)}) VALUES ({', '.join(marks)})"
        " ON CONFLICT (badge_id, member_id, community_id, period) DO NOTHING RETURNING id",
        [getattr(award, column) for column in columns],
    )
    if not inserted:
        return None
    award.id = inserted[0]["id"]
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
