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
from resolvers.access import visible_community
from resolvers.context import Context
from resolvers.errors import Forbidden

Require = Callable[[], Awaitable[None]]  # raises FORBIDDEN when the viewer may no longer follow the feed
CheckAccess = Callable[[Message], Awaitable[None]]


class FeedAccess:
    """The viewer's access to a community's feeds, checked again whenever it may have changed.

    A change that can take access away (a ban, a role change) bumps the community's
    access version, and every event committed after it carries the new version (see
    resolvers/membership_changes.py). So an event newer than the version the viewer was
    last checked at is shown only after checking again, whether or not the broker
    delivered the change's own message: Redis down, a reconnect or a gap filled from
    the table cannot let a banned member's feed run on. A membership message about
    someone else, next in version, needs no check (most bans concern one viewer).
    """

    def __init__(self, ctx: Context, community_id: int, require: Require) -> None:
        self.ctx = ctx
        self.community_id = community_id
        self.version = -1  # nothing checked yet
        self._require = require

    async def recheck(self) -> None:
        """Check now (fresh rows), remembering the version read before the membership it is checked against."""
        self.ctx.refresh_loaders()
        community = await self.ctx.loaders.community_by_id.load(self.community_id)
        version = community.access_version if community else self.version
        await self._require()
        self.version = max(self.version, version)

    async def check(self, message: Message) -> None:
        """Before a message is shown (or on a membership message): check again if access may have changed."""
        version = 0 if message["type"] == "notification" else message["access_version"]
        about_viewer = message["type"] == "membership" and message["member_id"] == self.ctx.viewer_id
        if version <= self.version and not about_viewer:
            return
        if version == self.version + 1 and message["type"] == "membership" and not about_viewer:
            self.version = version  # someone else's change, and none was missed before it
            return
        await self.recheck()


async def may_follow(ctx: Context, community_id: int) -> FeedAccess:
    """The access of a viewer who may see the community (FORBIDDEN once they may not: a private one's ban)."""

    async def require_visible() -> None:
        if await visible_community(ctx, community_id) is None:
            raise Forbidden("You are no longer a member of this private community.")

    access = FeedAccess(ctx, community_id, require_visible)
    await access.recheck()
    return access


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
    ctx: Context, community_id: int, after_seq: int | None
) -> AsyncGenerator[ActivityMessage, None]:
    """A community's activity, as long as the viewer may follow it."""
    if after_seq is not None:
        await check_kept(community_id, after_seq)
    access = await may_follow(ctx, community_id)
    async with aclosing(feed_stream(community_feed(community_id), after_seq, access.check)) as messages:
        async for message in messages:
            if message["type"] == "activity":  # the only numbered messages of a community's feed
                yield message


async def notification_stream(member_id: int, after_seq: int | None) -> AsyncGenerator[NotificationMessage, None]:
    async with aclosing(feed_stream(member_feed(member_id), after_seq)) as messages:
        async for message in messages:
            if message["type"] == "notification":  # the only messages of a member's feed
                yield message
