"""`leaderboardChanged`: a live board, pushed the moment points move it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from datetime import UTC, datetime
from typing import Any

import strawberry

from realtime import get_hub
from realtime.hub import Listener
from realtime.messages import Message, community_feed
from resolvers.access import FeedAccess, may_follow, require_followable_community
from resolvers.context import Context
from resolvers.pagination import check_first
from resolvers.recognition import standings
from schema.base import CercleInfo
from schema.execution.sharing import tag
from schema.members import Member
from schema.recognition.points import LeaderboardEntry, Period

Board = dict[int, tuple[int, int]]  # {member_id: (rank, points)}
# What moved the board: a broker message, or a dict standing for the first board or a period's end (board reads
# are cached on it for every subscriber of the process).
Trigger = Message | dict[str, Any]


@strawberry.type(description="One member's move on a live board.")
class RankChange:
    rank: int | None = strawberry.field(description="Their rank now; null when they left the board.")
    previous_rank: int | None = strawberry.field(description="Their rank before; null when they are new on it.")
    points: int = strawberry.field(description="Their points in the period now.")
    member_id: strawberry.Private[int]

    @strawberry.field(description="Who moved.")
    async def member(self, info: CercleInfo) -> Member:
        return Member.from_row(await info.context.loaders.member_by_id.load(self.member_id))


@strawberry.type(description="A live board: the moves since the last message, and the board now.")
class LeaderboardChange:
    period: Period = strawberry.field(description="The board's period.")
    changes: list[RankChange] = strawberry.field(
        description="Entries whose rank or points changed, best rank first; empty in the first message."
    )
    entries: list[LeaderboardEntry] = strawberry.field(description="The board now, best first.")


@strawberry.type
class StandingsSubscription:
    @strawberry.subscription(
        description="A community's leaderboard, live: the board at once, then a message whenever points move it "
        "(and when a new period starts it afresh)."
    )
    async def leaderboard_changed(
        self, info: CercleInfo, community_slug: str, period: Period = Period.WEEK, first: int = 10
    ) -> AsyncGenerator[LeaderboardChange, None]:
        first = check_first(first)
        async for event, before, after in board_moves(info.context, community_slug, period, first):
            info.context.refresh_loaders()
            change = LeaderboardChange(
                period=period,
                changes=[RankChange(**move) for move in standings.moves(before, after)],
                entries=[
                    LeaderboardEntry(rank=rank, member_id=member, points=points)
                    for member, (rank, points) in sorted(after.items(), key=lambda item: item[1][0])
                ],
            )
            # Subscribers that saw the same board before get the same message: executed once for all.
            yield tag(change, event.setdefault("_moves", {}).setdefault((period, first, _frozen(before)), {}))


async def board_moves(
    ctx: Context, slug: str, period: standings.Period, first: int
) -> AsyncIterator[tuple[Trigger, Board, Board]]:
    """(trigger, board before, board after) now and on every change; one board read per event per process."""
    community = await require_followable_community(ctx, slug)
    access = await may_follow(ctx, community.id)
    async with get_hub().listen(community_feed(community.id)) as listener:
        event: Trigger = {}
        before = await _board_once(event, community.id, period, first)
        yield event, before, before
        while True:
            event = await _next_trigger(access, listener, period)
            after = await _board_once(event, community.id, period, first)
            if after != before:
                yield event, before, after
                before = after


async def _next_trigger(access: FeedAccess, listener: Listener, period: standings.Period) -> Trigger:
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


async def _board_once(event: Trigger, community_id: int, period: standings.Period, first: int) -> Board:
    """The board after this event, read once for every subscriber of the process."""
    reads = event.setdefault("_boards", {})
    key = (period, first)
    if key not in reads:
        reads[key] = asyncio.ensure_future(standings.top(community_id, period, first))
    return standings.ranked(await asyncio.shield(reads[key]), first)


def _frozen(board: Board) -> tuple:
    return tuple(sorted(board.items()))
