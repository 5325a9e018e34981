"""Reads of the tables behind the feeds: the replay after a cursor, and gap fills for the hub.

A community's feed reads Activity (numbered by Community.activity_seq); a
member's feed reads Notification (numbered by Member.notification_seq).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

import settings
from models.activity import Activity
from models.communities import Community
from models.members import Member
from models.notifications import Notification
from realtime.errors import CursorExpired
from realtime.messages import SequencedMessage, activity_message, community_feed, notification_message

REPLAY_PAGE_SIZE = 500
PRUNE_BATCH = 5000


def _parse(feed: str) -> tuple[str, int]:
    kind, _, key = feed.partition(":")
    return kind, int(key)


async def current_seq(feed: str) -> int:
    kind, key = _parse(feed)
    if kind == "community":
        values = await Community.filter(id=key).values_list("activity_seq", flat=True)
    else:
        values = await Member.filter(id=key).values_list("notification_seq", flat=True)
    return cast(int, values[0]) if values else 0


async def fetch_range(feed: str, after_seq: int, up_to_seq: int | None = None) -> list[SequencedMessage]:
    """Committed messages with after_seq < seq <= up_to_seq (at most one page), in order."""
    kind, key = _parse(feed)
    up_to = {} if up_to_seq is None else {"seq__lte": up_to_seq}
    if kind == "community":
        activities = Activity.filter(community_id=key, seq__gt=after_seq, **up_to).order_by("seq")
        return [activity_message(row) for row in await activities.limit(REPLAY_PAGE_SIZE)]
    notifications = Notification.filter(member_id=key, seq__gt=after_seq, **up_to).order_by("seq")
    return [notification_message(row) for row in await notifications.limit(REPLAY_PAGE_SIZE)]


async def check_kept(community_id: int, after_seq: int) -> None:
    """CURSOR_EXPIRED when messages after the cursor were deleted by the retention (the client refetches)."""
    values = await Activity.filter(community_id=community_id).order_by("seq").limit(1).values_list("seq", flat=True)
    oldest_kept = cast(int, values[0]) if values else await current_seq(community_feed(community_id)) + 1
    if after_seq < oldest_kept - 1:
        raise CursorExpired(
            f"This cursor is older than the {settings.ACTIVITY_RETENTION_DAYS} days of activity kept: "
            "load the current state and follow from now on.",
            field="after",
        )


async def prune_activity(now: datetime | None = None) -> int:
    """Delete activity older than the retention period, a batch at a time (short locks)."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=settings.ACTIVITY_RETENTION_DAYS)
    deleted = 0
    while ids := await Activity.filter(created_at__lt=cutoff).limit(PRUNE_BATCH).values_list("id", flat=True):
        await Activity.filter(id__in=ids).delete()
        deleted += len(ids)  # not delete()'s count: SQLite adds the rows its foreign keys set to null
    return deleted
