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
    writers try at once: the loser's insert does nothing, its transaction goes on.
    Run it inside writing(): the activity and notification are published after commit.
    """
    key = {"badge_id": badge.id, "member_id": member_id, "community_id": community_id, "period": period}
    if await BadgeAward.filter(**key).using_db(conn).exists():
        return None
    award = BadgeAward(**key, reason=reason, awarded_by_id=awarded_by_id, awarded_at=datetime.now(UTC))
    columns = ("badge_id", "member_id", "community_id", "period", "reason", "awarded_by_id", "awarded_at")
    marks = ", ".join(f"${n}" for n in range(1, 8)) if conn.capabilities.dialect == "postgres" else ", ".join("?" * 7)
    names = ", ".join(f'"{column}"' for column in columns)
    inserted = await conn.execute_query_dict(
        f'INSERT INTO "badge_award" ({names}) VALUES ({marks}) ON CONFLICT DO NOTHING RETURNING "id"',
        [getattr(award, column) for column in columns],
    )
    if not inserted:
        return None  # a concurrent write awarded it first
    award.id, award._saved_in_db = inserted[0]["id"], True
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
