"""Leaderboards: sums over the ledger per calendar period, and how a board's moves are told apart.

Periods are calendar periods in UTC: today, this week (from Monday), this
month, all time. A calendar week has a winner ("top contributor of the week"),
and its top's moves are announced as they happen (weekly_top.py).
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

from models.communities import Membership, MembershipStatus
from models.points import PointsEntry

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
