"""`leaderboardChanged`: a live board, pushed the moment points move it (resolvers/recognition/leaderboard.py)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from realtime.shared import Shared
from resolvers.recognition.leaderboard import Board, BoardChange, board_changes
from resolvers.recognition.standings import Period
from schema.base import CercleInfo
from schema.execution.sharing import tag
from schema.members import Member
from schema.recognition.points import LeaderboardEntry

FrozenBoard = tuple[tuple[int, tuple[int, int]], ...]  # a Board as a key: sorted (member_id, (rank, points))
# The stand-in event of each group of subscribers that saw the same board before, by (period, first, board).
MOVES: Shared[tuple[Period, int, FrozenBoard], dict[str, object]] = Shared("_moves")


@strawberry.type(description="One member's move on a live board.")
class RankChange:
    rank: int | None = strawberry.field(description="Their rank now; null when they left the board.")
    previous_rank: int | None = strawberry.field(description="Their rank before; null when they are new on it.")
    points: int = strawberry.field(description="Their points in the period now.")
    member_id: strawberry.Private[int]

    @strawberry.field(description="Who moved.")
    async def member(self, info: CercleInfo) -> Member:
        return Member.from_row(await info.context.loaders.member_by_id.load_existing(self.member_id))


@strawberry.type(description="A live board: the moves since the last message, and the board now.")
class LeaderboardChange:
    period: Period = strawberry.field(description="The board's period.")
    changes: list[RankChange] = strawberry.field(
        description="Entries whose rank or points changed, best rank first; empty in the first message."
    )
    entries: list[LeaderboardEntry] = strawberry.field(description="The board now, best first.")

    @classmethod
    def of(cls, period: Period, change: BoardChange) -> LeaderboardChange:
        return cls(
            period=period,
            changes=[RankChange(**move) for move in change.moves],
            entries=[LeaderboardEntry.of(entry, change.community_id) for entry in change.entries],
        )


@strawberry.type
class StandingsSubscription:
    @strawberry.subscription(
        description="A community's leaderboard, live: the board at once, then a message whenever points move it "
        "(and when a new period starts it afresh)."
    )
    async def leaderboard_changed(
        self, info: CercleInfo, community_slug: str, period: Period = Period.WEEK, first: int = 10
    ) -> AsyncGenerator[LeaderboardChange, None]:
        async for change in board_changes(info.context, community_slug, period, first):
            info.context.refresh_loaders()
            # Subscribers that saw the same board before get the same message: executed once for all.
            shared = MOVES.on(change.event).setdefault((period, first, _frozen(change.before)), {})
            yield tag(LeaderboardChange.of(period, change), shared)


def _frozen(board: Board) -> FrozenBoard:
    return tuple(sorted(board.items()))
