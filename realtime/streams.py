"""Replay-then-live subscription streams."""

from __future__ import annotations

from collections.abc import AsyncIterator

from realtime import get_hub
from realtime.events import Event
from realtime.table import REPLAY_PAGE_SIZE, fetch_range
from resolvers.context import Context
from resolvers.errors import Forbidden
from resolvers.visibility import visible_community


async def activity_stream(ctx: Context, community_id: int, after_seq: int | None) -> AsyncIterator[Event]:
    """Every event after `after_seq` (or from now on), in order, with no gap and no duplicate.

    The listener joins the hub before the table is read, so an event committed
    during the replay is either in the replay or in the listener's queue (or
    both: the sequence number drops the second copy).
    """
    async with get_hub().listen(community_id) as listener:
        last = listener.start_seq if after_seq is None else after_seq
        while rows := await fetch_range(community_id, last):
            for row in rows:
                yield row
                last = row["seq"]
            if len(rows) < REPLAY_PAGE_SIZE:
                break
        while True:
            event = await listener.next()
            if event.get("type") == "membership":
                await _check_still_allowed(ctx, community_id, event)
            elif event["seq"] > last:
                yield event
                last = event["seq"]


async def _check_still_allowed(ctx: Context, community_id: int, event: Event) -> None:
    """A membership changed: the viewer concerned loses a private community's feed at once."""
    if event.get("member_id") != ctx.viewer_id:
        return
    ctx.refresh_loaders()
    if await visible_community(ctx, community_id) is None:
        raise Forbidden("You are no longer a member of this private community.")
