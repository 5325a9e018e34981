"""Leaderboards as members read them: the top of a period, the viewer's own rank, and a board followed live.

The sums and ranks themselves are in totals.py (from the ledger's snapshot) and standings.py (the weekly
standing's moves); this module chooses what to read and when.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from realtime import get_hub
from realtime.hub import Listener
from realtime.messages import Message, community_feed
from realtime.shared import Shared
from resolvers.access import FeedAccess, may_follow, require_followable_community
from resolvers.context import Context
from resolvers.pagination import check_first
from resolvers.recognition import standings, totals
from resolvers.recognition.standings import Period

TOP_SIZE = 10  # leaderboards and trending tags: a top ten unless asked otherwise

Entry = tuple[int, int, int]  # (rank, member_id, points)
Board = dict[int, tuple[int, int]]  # {member_id: (rank, points)}
# What moved the board: a broker message, or a dict standing for the first board or a period's end (board reads
# are cached on it for every subscriber of the process).
Trigger = Message | dict[str, Any]
BOARDS: Shared[tuple[Period, int], asyncio.Future[list[standings.Standing]]] = Shared("_boards")  # by (period, first)


async def top(community_id: int, period: Period, first: int | None) -> list[Entry]:
    best = await totals.top(community_id, period, check_first(first, TOP_SIZE))
    return [(rank, member, points) for rank, (member, points) in enumerate(best, 1)]


async def viewer_rank(ctx: Context, community_id: int, period: Period) -> Entry | None:
    """The viewer's own entry, even outside the top; None when anonymous or without points."""
    if ctx.viewer_id is None:
        return None
    standing = await totals.rank_of(community_id, period, ctx.viewer_id)
    return (standing[0], ctx.viewer_id, standing[1]) if standing else None


@dataclass(frozen=True)
class BoardChange:
    """What moved a live board (points written, a member leaving, a new period; {} for the board at first),
    and the board before and after."""

    community_id: int
    event: Trigger
    before: Board
    after: Board

    @property
    def moves(self) -> list[standings.Move]:
        return standings.moves(self.before, self.after)

    @property
    def entries(self) -> list[Entry]:
        """The board now, best first."""
        return [(rank, member, points) for member, (rank, points) in sorted(self.after.items(), key=lambda e: e[1][0])]


async def board_changes(ctx: Context, slug: str, period: Period, first: int) -> AsyncGenerator[BoardChange, None]:
    """The board now, then on every change; one board read per event per process."""
    first = check_first(first)
    community = await require_followable_community(ctx, slug)
    access = await may_follow(ctx, community.id)
    async with get_hub().listen(community_feed(community.id)) as listener:
        event: Trigger = {}
        before = await _board_once(event, community.id, period, first)
        yield BoardChange(community.id, event, before, before)
        while True:
            event = await _next_trigger(access, listener, period)
            after = await _board_once(event, community.id, period, first)
            if after != before:
                yield BoardChange(community.id, event, before, after)
                before = after


async def _next_trigger(access: FeedAccess, listener: Listener, period: Period) -> Trigger:
    """The next event that may move the board: points written, a member leaving, or the period's end."""
    while True:
        ends = standings.next_period_start(period)
        timeout = (ends - datetime.now(UTC)).total_seconds() if ends else None
        try:
            events = [await asyncio.wait_for(listener.next(), timeout), *listener.drain()]
        except TimeoutError:
            await access.recheck()  # no event carries a version here
            return {"type": "period"}
        for event in events:
            await access.check(event)
        # A burst of writes is one read of the board, whose last event stands for them all.
        movers = [event for event in events if event.get("type") in ("points", "membership")]
        if movers:
            return movers[-1]


async def _board_once(event: Trigger, community_id: int, period: Period, first: int) -> Board:
    """The board after this event, read once for every subscriber of the process."""
    reads = BOARDS.on(event)
    key = (period, first)
    if key not in reads:
        reads[key] = asyncio.ensure_future(totals.top(community_id, period, first))
    return standings.ranked(await asyncio.shield(reads[key]), first)
