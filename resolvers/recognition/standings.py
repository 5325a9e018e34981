"""Leaderboards: sums over the ledger per calendar period, and the weekly standing kept live.

Periods are calendar periods in UTC: today, this week (from Monday), this
month, all time. A calendar week has a winner ("top contributor of the week")
and a board that only moves when points are written, so every move can be
announced the moment it happens: `settle` runs at the end of each transaction
that wrote points, compares the weekly top before and after, and notifies the
members who rose or were overtaken.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Literal, TypedDict, cast, overload

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Subquery
from tortoise.functions import Sum
from tortoise.queryset import QuerySet

import settings
from models.communities import Membership, MembershipStatus
from models.notifications import Notification, NotificationKind
from models.points import PointsEntry
from realtime.messages import points_message
from resolvers.notifications.notifications import notify
from resolvers.outbox import Transaction, queue
from resolvers.recognition.facts import bind

Standing = tuple[int, int]  # (member_id, points)


class Move(TypedDict):
    """A member's change on a board: rank None is off the board."""

    member_id: int
    rank: int | None
    previous_rank: int | None
    points: int


class Period(StrEnum):
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"
    ALL = "ALL"


@overload
def period_start(period: Literal[Period.DAY, Period.WEEK, Period.MONTH], now: datetime | None = None) -> datetime: ...
@overload
def period_start(period: str, now: datetime | None = None) -> datetime | None: ...
def period_start(period: str, now: datetime | None = None) -> datetime | None:
    """When the current calendar period began (UTC); None for all time."""
    now = now or datetime.now(UTC)
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if period == Period.DAY:
        return today
    if period == Period.WEEK:
        return today - timedelta(days=today.weekday())
    if period == Period.MONTH:
        return today.replace(day=1)
    return None


def next_period_start(period: str, now: datetime | None = None) -> datetime | None:
    """When the current period ends and its board starts again from nothing."""
    start = period_start(period, now)
    if start is None:
        return None
    if period == Period.MONTH:
        return (start + timedelta(days=32)).replace(day=1)
    return start + (timedelta(days=1) if period == Period.DAY else timedelta(days=7))


def week_key(moment: datetime) -> str:
    """The ISO week of a moment, e.g. "2026-W48": the period of weekly badges."""
    year, week, _ = moment.astimezone(UTC).isocalendar()
    return f"{year}-W{week:02d}"


def standings(
    community_id: int, period: str, conn: BaseDBAsyncClient | None = None, now: datetime | None = None
) -> QuerySet[PointsEntry]:
    """Points per active member in the period, best first; ties go to the earlier member (lower id)."""
    members = Membership.filter(community_id=community_id, status=MembershipStatus.ACTIVE).values("member_id")
    query = PointsEntry.filter(community_id=community_id, member_id__in=Subquery(members))
    start = period_start(period, now)
    if start is not None:
        query = query.filter(created_at__gte=start)
        end = next_period_start(period, now)
        if now is not None and end is not None:
            query = query.filter(created_at__lt=end)
    if conn is not None:
        query = query.using_db(conn)
    return query.annotate(points=Sum("amount")).group_by("member_id").order_by("-points", "member_id")


async def top(
    community_id: int, period: str, first: int, conn: BaseDBAsyncClient | None = None, now: datetime | None = None
) -> list[Standing]:
    """The best `first` (member_id, points), members with points only."""
    rows = standings(community_id, period, conn, now).filter(points__gt=0).limit(first)
    return [(row["member_id"], row["points"]) for row in await rows.values("member_id", "points")]


async def rank_of(community_id: int, period: str, member_id: int) -> tuple[int, int] | None:
    """(rank, points) of one member, wherever they stand; None without points in the period."""
    own = standings(community_id, period).filter(member_id=member_id)
    mine = cast(list[int], await own.values_list("points", flat=True))
    if not mine or mine[0] <= 0:
        return None
    # Only the members with at least as many points are read, not the whole board.
    level = await standings(community_id, period).filter(points__gte=mine[0]).values_list("member_id", "points")
    ahead = sum(1 for other, points in level if points > mine[0] or other < member_id)
    return ahead + 1, mine[0]


def ranked(board: Iterable[Standing], size: int) -> dict[int, tuple[int, int]]:
    """{member_id: (rank, points)} of the best `size` with points."""
    best = sorted((s for s in board if s[1] > 0), key=lambda s: (-s[1], s[0]))[:size]
    return {member: (rank, points) for rank, (member, points) in enumerate(best, 1)}


def moves(before: dict[int, tuple[int, int]], after: dict[int, tuple[int, int]]) -> list[Move]:
    """Entries whose rank or points changed, best new rank first: rank None means off the board."""
    changed: list[Move] = []
    for member in before.keys() | after.keys():
        old, new = before.get(member), after.get(member)
        if old != new:
            changed.append(
                {
                    "member_id": member,
                    "rank": new[0] if new else None,
                    "previous_rank": old[0] if old else None,
                    "points": new[1] if new else 0,
                }
            )
    return sorted(changed, key=lambda c: (c["rank"] is None, c["rank"] or 0, c["member_id"]))


async def settle(tx: Transaction, deltas: dict[int, dict[int, int]]) -> None:
    """At the end of a transaction that wrote points: announce the weekly top's moves.

    `deltas` is {community_id: {member_id: points written by this transaction}}.
    The board before is the board after minus those points, so one read of the
    top (widened by the members who moved) gives both, when nobody's points went
    down (the members who lost points are read as well otherwise). The community's row is
    locked first, so the boards of two concurrent writers cannot interleave.
    Queues the notifications, and the messages that tell live boards to refresh.
    """
    size = settings.LEADERBOARD_NOTIFY_TOP
    notifications, messages = [], []
    for community_id, changes in deltas.items():
        changes = {member: amount for member, amount in changes.items() if amount}
        if not changes:
            continue
        access_version = await _lock(tx, community_id)
        board = await _weekly_top(tx, community_id, size + len(changes))
        if any(amount < 0 for amount in changes.values()):
            # Only a member whose points went down can have left the top read above and still have been in
            # it before; a member who rose and is not in it was not in the top before either.
            movers = standings(community_id, Period.WEEK, tx).filter(member_id__in=list(changes))
            board.update(await movers.values_list("member_id", "points"))
        before = ranked(((m, p - changes.get(m, 0)) for m, p in board.items()), size)
        after = ranked(board.items(), size)
        passer = next(iter(changes)) if len(changes) == 1 else None
        news = [(move, kind) for move in moves(before, after) if (kind := _news(move, changes))]
        for move, kind in await _not_too_often(tx, community_id, news):
            notifications += await _notify_move(tx, community_id, move, kind, passer)
        messages.append(points_message(community_id, access_version))
    queue(tx, *notifications, *messages)


async def _lock(tx: Transaction, community_id: int) -> int:
    """Lock the community's row; its access version under the lock.

    NO KEY UPDATE, as the activity numbering's UPDATE takes: FOR UPDATE would wait for the KEY SHARE that
    inserting a post or a comment holds on its community until commit, and two writers would deadlock. The
    access version read under the lock goes with the message, so live boards check their viewers again after
    a ban, even if no message said so. (SQLite locks the whole database for a writer: no clause there.)
    """
    clause = " FOR NO KEY UPDATE" if tx.capabilities.dialect == "postgres" else ""
    rows = await tx.execute_query_dict(f"SELECT access_version FROM community WHERE id = {int(community_id)}{clause}")
    return int(rows[0]["access_version"])


# The weekly board of standings(), by hand: settle reads it on every write that earns points, and building the
# queryset cost as much as running it. Summed first, then each member's status looked up by the membership's
# unique key: a plan that stays cheap while the statistics still say the ledger is empty (a new community, a
# fresh database), where filtering the week's rows by membership was planned as a loop over every member for
# every row (190 ms for 1,100 rows).
_WEEKLY_TOP_SQL = """
SELECT t.member_id, t.points
FROM (SELECT member_id, SUM(amount) AS points FROM points_entry
      WHERE community_id = :community AND created_at >= :start
      GROUP BY member_id HAVING SUM(amount) > 0) t
WHERE (SELECT m.status FROM membership m WHERE m.member_id = t.member_id AND m.community_id = :community) = :active
ORDER BY t.points DESC, t.member_id LIMIT :first
"""


async def _weekly_top(tx: Transaction, community_id: int, first: int) -> dict[int, int]:
    """{member_id: points} of this week's best `first`, as top(community_id, Period.WEEK, first) reads them."""
    params = {
        "community": community_id,
        "start": period_start(Period.WEEK),
        "active": MembershipStatus.ACTIVE.value,
        "first": first,
    }
    sql, values = bind(tx, _WEEKLY_TOP_SQL, params)
    return {row["member_id"]: int(row["points"]) for row in await tx.execute_query_dict(sql, values)}


def _news(move: Move, movers: dict[int, int]) -> NotificationKind | None:
    """RANK_UP to whoever rose (into) the top; OVERTAKEN to whoever someone else's points pushed down."""
    rank, previous = move["rank"], move["previous_rank"]
    if rank is not None and (previous is None or rank < previous):
        return NotificationKind.RANK_UP
    if move["member_id"] not in movers and (rank is None or (previous is not None and rank > previous)):
        return NotificationKind.OVERTAKEN
    return None  # the member's own points went down (an undo), or only their points changed


async def _not_too_often(
    conn: BaseDBAsyncClient, community_id: int, news: list[tuple[Move, NotificationKind]]
) -> list[tuple[Move, NotificationKind]]:
    """At most one notification of each kind per member per cooldown; taking or losing first place always."""
    if not news:
        return news
    since = datetime.now(UTC) - timedelta(minutes=settings.RANK_NOTIFICATION_COOLDOWN_MINUTES)
    recent = set(
        await Notification.filter(
            member_id__in=[move["member_id"] for move, _ in news],
            community_id=community_id,
            kind__in=[NotificationKind.RANK_UP, NotificationKind.OVERTAKEN],
            created_at__gte=since,
        )
        .using_db(conn)
        .values_list("member_id", "kind")
    )
    return [
        (move, kind)
        for move, kind in news
        if 1 in (move["rank"], move["previous_rank"]) or (move["member_id"], kind) not in recent
    ]


async def _notify_move(
    conn: Transaction, community_id: int, move: Move, kind: NotificationKind, passer: int | None
) -> list[Notification]:
    rank, previous = move["rank"], move["previous_rank"]
    return await notify(
        conn,
        {move["member_id"]: kind},
        actor_id=passer if kind == NotificationKind.OVERTAKEN else None,
        community_id=community_id,
        subject_type="community",
        subject_id=community_id,
        payload={
            "period": Period.WEEK.value,
            "rank": rank,
            "previousRank": previous,
            "points": move["points"],
            "title": f"#{rank} in this week's leaderboard" if rank else "out of this week's top",
        },
    )
