"""Earned levels: NEWCOMER, MEMBER, REGULAR, LEADER, from points and active days; they unlock privileges.

A level, once reached, is kept (points taken back later do not demote), like
Stack Exchange privileges earned: demotion is a moderator's decision (a ban).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from pypika_tortoise import functions
from strawberry.dataloader import DataLoader
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Function, Q
from tortoise.functions import Sum

from models.activity import Activity, Verb
from models.communities import Level, Membership
from models.notifications import NotificationKind
from models.points import PointsEntry
from resolvers.access import LEVEL_ORDER
from resolvers.context import Context
from resolvers.loaders.points import MembershipKey
from resolvers.outbox import Transaction
from resolvers.recognition.achievements import recognise
from resolvers.recognition.facts import Facts, active_days, read_facts


class Day(Function):
    database_func = functions.Date


class LevelByMembershipLoader(DataLoader[MembershipKey, Level]):
    """Each member's level in each community, for a whole board at once (NEWCOMER once they left)."""

    def __init__(self, viewer_id: int | None) -> None:  # a level is the same for every viewer
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[MembershipKey]) -> list[Level]:
        wanted = Q(*(Q(member_id=m, community_id=c) for m, c in set(keys)), join_type="OR")
        rows = await Membership.filter(wanted).values_list("member_id", "community_id", "level")
        levels = {(member_id, community_id): Level(level) for member_id, community_id, level in rows}
        return [levels.get(key, Level.NEWCOMER) for key in keys]


async def level_of(ctx: Context, member_id: int, community_id: int) -> Level:
    return await ctx.loaders.of(LevelByMembershipLoader).load((member_id, community_id))


async def _standing(conn: BaseDBAsyncClient | None, member_id: int, community_id: int) -> tuple[int, int]:
    """(points, active days) of a member in a community: what levels are earned by."""
    entries = PointsEntry.filter(member_id=member_id, community_id=community_id)
    activity = Activity.filter(actor_id=member_id, community_id=community_id)
    if conn:
        entries, activity = entries.using_db(conn), activity.using_db(conn)
    points = (
        cast(
            int | None,  # the sum of no rows is NULL
            await entries.annotate(total=Sum("amount")).first().values_list("total", flat=True),
        )
        or 0
    )
    days = len(await activity.annotate(day=Day("created_at")).distinct().values_list("day", flat=True))
    return points, days


@dataclass(frozen=True)
class LevelProgress:
    """Where a member stands against the next level's thresholds."""

    level: Level
    points: int
    points_needed: int
    active_days: int
    active_days_needed: int


async def next_level_progress(rules: dict[str, int], membership: Membership) -> LevelProgress | None:
    """Progress toward the level above the membership's; None at the top."""
    rank = LEVEL_ORDER.index(membership.level)
    if rank + 1 == len(LEVEL_ORDER):
        return None
    level = LEVEL_ORDER[rank + 1]
    points, days = await _standing(None, membership.member_id, membership.community_id)
    return LevelProgress(
        level=level,
        points=points,
        points_needed=rules[f"LEVEL_{level.value}_POINTS"],
        active_days=days,
        active_days_needed=rules[f"LEVEL_{level.value}_DAYS"],
    )


async def check_level(
    conn: Transaction, rules: dict[str, int], member_id: int, community_id: int, facts: Facts | None = None
) -> None:
    """Raise the member's level if they earned more: LEVEL_UP in the feed and a notification, after commit.

    `facts`: read already by the write (with its points counted), or read here.
    """
    facts = facts or await read_facts(conn, member_id, community_id)
    if facts.membership_id is None:
        return
    level = await _earned_above(conn, rules, facts, member_id, community_id)
    if level is None:
        return
    changed = Membership.filter(id=facts.membership_id, level=facts.level).using_db(conn)
    if not await changed.update(level=level):
        return  # raised by a concurrent write
    await recognise(
        conn,
        Verb.LEVEL_UP,
        NotificationKind.LEVEL_UP,
        member_id=member_id,
        community_id=community_id,
        subject=("membership", facts.membership_id),
        payload={"level": level.value, "title": level.value.title()},
    )


async def _earned_above(
    conn: BaseDBAsyncClient, rules: dict[str, int], facts: Facts, member_id: int, community_id: int
) -> Level | None:
    """The highest level above the member's that they earned. Their active days of all time are counted only
    when their points reach one (most writes leave a member short of the next level's points), and when their
    recent days alone do not already make the days needed."""
    above = LEVEL_ORDER[LEVEL_ORDER.index(facts.level) + 1 :]
    within_points = [level for level in above if facts.points >= rules[f"LEVEL_{level.value}_POINTS"]]
    if not within_points:
        return None
    days = len(facts.recent_days)
    if any(days < rules[f"LEVEL_{level.value}_DAYS"] for level in within_points):
        days = await active_days(conn, member_id, community_id)
    return next((level for level in reversed(within_points) if days >= rules[f"LEVEL_{level.value}_DAYS"]), None)
