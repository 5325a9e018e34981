"""Replay-then-live subscription streams."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import aclosing

from realtime import get_hub
from realtime.messages import (
    ActivityMessage,
    Message,
    NotificationMessage,
    SequencedMessage,
    community_feed,
    is_sequenced,
    member_feed,
)
from realtime.table import REPLAY_PAGE_SIZE, check_kept, fetch_range

# Given each message before it is shown, the control messages too; raises (FORBIDDEN) once the viewer
# may no longer follow the feed. Written by the layer above, which knows who the viewer is.
CheckAccess = Callable[[Message], Awaitable[None]]


async def feed_stream(
    feed: str, after_seq: int | None, check_access: CheckAccess | None = None
) -> AsyncGenerator[SequencedMessage, None]:
    """Every message of the feed after `after_seq` (or from now on), in order, with no gap and no duplicate.

    The listener joins the hub before the table is read, so a message committed
    during the replay is either in the replay or in the listener's queue (or
    both: the sequence number drops the second copy). `check_access` sees every
    message before it is shown, and the unsequenced control messages too.
    """
    async with get_hub().listen(feed) as listener:
        last = listener.start_seq if after_seq is None else after_seq
        while rows := await fetch_range(feed, last):
            for row in rows:
                if check_access is not None:
                    await check_access(row)
                yield row
                last = row["seq"]
            if len(rows) < REPLAY_PAGE_SIZE:
                break
        while True:
            message = await listener.next()
            if check_access is not None:
                await check_access(message)
            if is_sequenced(message) and message["seq"] > last:
                yield message
                last = message["seq"]


async def activity_stream(
    community_id: int, after_seq: int | None, check_access: CheckAccess
) -> AsyncGenerator[ActivityMessage, None]:
    """A community's activity, as long as `check_access` lets the viewer follow it."""
    if after_seq is not None:
        await check_kept(community_id, after_seq)
    async with aclosing(feed_stream(community_feed(community_id), after_seq, check_access)) as messages:
        async for message in messages:
            if message["type"] == "activity":  # the only numbered messages of a community's feed
                yield message


async def notification_stream(member_id: int, after_seq: int | None) -> AsyncGenerator[NotificationMessage, None]:
    async with aclosing(feed_stream(member_feed(member_id), after_seq)) as messages:
        async for message in messages:
            if message["type"] == "notification":  # the only messages of a member's feed
                yield message
