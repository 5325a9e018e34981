"""Reads of the Activity table: the replay after a cursor, and gap fills for the hub."""

from __future__ import annotations

from models.activity import Activity
from models.communities import Community
from realtime.events import Event, activity_event

REPLAY_PAGE_SIZE = 500


async def current_seq(community_id: int) -> int:
    values = await Community.filter(id=community_id).values_list("activity_seq", flat=True)
    return values[0] if values else 0


async def fetch_range(community_id: int, after_seq: int, up_to_seq: int | None = None) -> list[Event]:
    """Committed events with after_seq < seq <= up_to_seq (at most one page), in order."""
    query = Activity.filter(community_id=community_id, seq__gt=after_seq)
    if up_to_seq is not None:
        query = query.filter(seq__lte=up_to_seq)
    return [activity_event(row) for row in await query.order_by("seq").limit(REPLAY_PAGE_SIZE)]


async def oldest_kept_seq(community_id: int) -> int | None:
    values = await Activity.filter(community_id=community_id).order_by("seq").limit(1).values_list("seq", flat=True)
    return values[0] if values else None
