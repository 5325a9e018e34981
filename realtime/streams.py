"""Replay-then-live subscription streams."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing

from realtime import get_hub
from realtime.events import Event, community_feed, member_feed
from realtime.table import REPLAY_PAGE_SIZE, check_kept, fetch_range
from resolvers.context import Context
from resolvers.errors import Forbidden
from resolvers.visibility import visible_community

OnControl = Callable[[Event], Awaitable[None]]


async def feed_stream(feed: str, after_seq: int | None, on_control: OnControl | None = None) -> AsyncIterator[Event]:
    """Every event of the feed after `after_seq` (or from now on), in order, with no gap and no duplicate.

    The listener joins the hub before the table is read, so an event committed
    during the replay is either in the replay or in the listener's queue (or
    both: the sequence number drops the second copy).
    """
    async with get_hub().listen(feed) as listener:
        last = listener.start_seq if after_seq is None else after_seq
        while rows := await fetch_range(feed, last):
            for row in rows:
                yield row
                last = row["seq"]
            if len(rows) < REPLAY_PAGE_SIZE:
                break
        while True:
            event = await listener.next()
            if "seq" not in event:
                if on_control is not None:
                    await on_control(event)
            elif event["seq"] > last:
                yield event
                last = event["seq"]


async def check_still_allowed(ctx: Context, community_id: int, event: Event) -> None:
    """On a membership change of the viewer: a viewer who loses access to a private community loses its feeds."""
    if event.get("type") != "membership" or event.get("member_id") != ctx.viewer_id:
        return
    ctx.refresh_loaders()
    if await visible_community(ctx, community_id) is None:
        raise Forbidden("You are no longer a member of this private community.")


async def activity_stream(ctx: Context, community_id: int, after_seq: int | None) -> AsyncIterator[Event]:
    """A community's activity, as long as the viewer may follow it."""

    async def on_control(event: Event) -> None:
        await check_still_allowed(ctx, community_id, event)

    if after_seq is not None:
        await check_kept(community_id, after_seq)
    async with aclosing(feed_stream(community_feed(community_id), after_seq, on_control)) as events:
        async for event in events:
            yield event


async def notification_stream(member_id: int, after_seq: int | None) -> AsyncIterator[Event]:
    async with aclosing(feed_stream(member_feed(member_id), after_seq)) as events:
        async for event in events:
            yield event
