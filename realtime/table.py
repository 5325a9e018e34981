"""Reads of the tables behind the feeds: the replay after a cursor, and gap fills for the hub.

A community's feed reads Activity (numbered by Community.activity_seq); a
member's feed reads Notification (numbered by Member.notification_seq).
"""

from __future__ import annotations

from models.activity import Activity
from models.communities import Community
from models.members import Member
from models.notifications import Notification
from realtime.events import Event, activity_event, notification_event

REPLAY_PAGE_SIZE = 500


def _parse(feed: str) -> tuple[str, int]:
    kind, _, key = feed.partition(":")
    return kind, int(key)


async def current_seq(feed: str) -> int:
    kind, key = _parse(feed)
    if kind == "community":
        values = await Community.filter(id=key).values_list("activity_seq", flat=True)
    else:
        values = await Member.filter(id=key).values_list("notification_seq", flat=True)
    return values[0] if values else 0


async def fetch_range(feed: str, after_seq: int, up_to_seq: int | None = None) -> list[Event]:
    """Committed events with after_seq < seq <= up_to_seq (at most one page), in order."""
    kind, key = _parse(feed)
    if kind == "community":
        query, to_event = Activity.filter(community_id=key), activity_event
    else:
        query, to_event = Notification.filter(member_id=key), notification_event
    query = query.filter(seq__gt=after_seq)
    if up_to_seq is not None:
        query = query.filter(seq__lte=up_to_seq)
    return [to_event(row) for row in await query.order_by("seq").limit(REPLAY_PAGE_SIZE)]


async def oldest_kept_seq(community_id: int) -> int | None:
    values = await Activity.filter(community_id=community_id).order_by("seq").limit(1).values_list("seq", flat=True)
    return values[0] if values else None
