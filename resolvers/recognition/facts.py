"""What the engagement rules need to know of a member, read in one statement per write.

A write that earns points asked one question per rule: the member's level, their
points, the badges they hold, their recent active days, today's reaction caps.
They are scalar subqueries of a single SELECT here, so the rules cost one round
trip where they cost six, and the statements that cannot change the outcome
(the all-time count of active days, while the points are short of the next
level anyway) are left to the few writes that need them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from models.communities import Level, MembershipStatus
from resolvers.named_params import bind_named

STREAK_WINDOW = 30  # days: enough to decide the longest streak badge


@dataclass(frozen=True)
class Facts:
    membership_id: int | None  # None: not an active member of the community
    level: Level
    points: int  # all time
    held: frozenset[str]  # slugs of the automatic badges held
    recent_days: frozenset[date]  # UTC days with activity of theirs, within the last STREAK_WINDOW days
    rule_overrides: dict[str, int]  # the community's own values of the engagement rules
    counts: dict[str, int]  # the counts asked for, by name
    reactions_today: int = 0  # REACTION_RECEIVED points today (read for reactions only)
    reactions_today_from_giver: int = 0  # ... of those, from the member reacting now

    def plus(self, points: int, *, counted: str | None = None) -> Facts:
        """The facts once the write's own ledger row is written, read before it: its points, and one more of
        the count `counted` (a count of such rows)."""
        counts = dict(self.counts)
        if counted in counts:
            counts[counted] += 1
        return replace(self, points=self.points + points, counts=counts)

    def streak(self) -> int:
        """Consecutive days with activity, ending today (at most STREAK_WINDOW)."""
        streak, day = 0, datetime.now(UTC).date()
        while day in self.recent_days:
            streak, day = streak + 1, day - timedelta(days=1)
        return streak


def _today() -> datetime:
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _facts_sql(postgres: bool, counting: dict[str, str], reactions: bool) -> str:
    listed = "string_agg({}, ',')" if postgres else "group_concat({}, ',')"
    day = "CAST(DATE(created_at) AS TEXT)" if postgres else "DATE(created_at)"
    rule = "key || '=' || CAST(value AS TEXT)"
    counts = "".join(f",\n  ({sql}) AS count_{name}" for name, sql in counting.items())
    caps = (
        """,
  (SELECT COALESCE(SUM(amount), 0) FROM points_entry WHERE member_id = :member AND community_id = :community
     AND reason = 'REACTION_RECEIVED' AND created_at >= :today) AS reactions_today,
  (SELECT COALESCE(SUM(amount), 0) FROM points_entry WHERE member_id = :member AND community_id = :community
     AND reason = 'REACTION_RECEIVED' AND created_at >= :today AND given_by_id = :giver) AS from_giver"""
        if reactions
        else ""
    )
    return f"""
SELECT m.id AS membership_id, m.level, m.status,
  (SELECT COALESCE(SUM(amount), 0) FROM points_entry WHERE member_id = :member AND community_id = :community)
    AS points,
  (SELECT {listed.format("b.slug")} FROM badge_award a JOIN badge b ON b.id = a.badge_id
     WHERE a.member_id = :member AND a.community_id = :community AND b.automatic) AS held,
  (SELECT {listed.format("d.day")} FROM (SELECT DISTINCT {day} AS day FROM activity
     WHERE actor_id = :member AND community_id = :community AND created_at >= :since) d) AS days,
  (SELECT {listed.format(rule)} FROM community_rule WHERE community_id = :community) AS rules{counts}{caps}
FROM (SELECT 1 AS one) one
LEFT JOIN membership m ON m.member_id = :member AND m.community_id = :community
"""


def bind(conn: BaseDBAsyncClient, sql: str, params: dict[str, Any]) -> tuple[str, list[Any]]:
    """`:name` placeholders bound for the connection's database (resolvers/named_params.py)."""
    return bind_named(sql, params, postgres=conn.capabilities.dialect == "postgres")


async def read_facts(
    conn: BaseDBAsyncClient,
    member_id: int,
    community_id: int,
    *,
    counting: dict[str, str] | None = None,
    reaction_from: int | None = None,
) -> Facts:
    """The member's facts in the community, with the counts of `counting` ({name: scalar subquery over :member
    and :community}); with `reaction_from`, today's reaction caps as well."""
    counting = counting or {}
    postgres = conn.capabilities.dialect == "postgres"
    today = _today()
    params = {
        "member": member_id,
        "community": community_id,
        "since": today - timedelta(days=STREAK_WINDOW - 1),
        "today": today,
        "giver": reaction_from,
    }
    sql, values = bind(conn, _facts_sql(postgres, counting, reaction_from is not None), params)
    [row] = await conn.execute_query_dict(sql, values)
    active = row["status"] == MembershipStatus.ACTIVE.value  # looked up by its unique key, whatever its status
    return Facts(
        membership_id=row["membership_id"] if active else None,
        level=Level(row["level"]) if active else Level.NEWCOMER,
        points=int(row["points"]),
        held=frozenset(_listed(row["held"])),
        recent_days=frozenset(date.fromisoformat(day) for day in _listed(row["days"])),
        rule_overrides={key: int(value) for key, value in (pair.split("=") for pair in _listed(row["rules"]))},
        counts={name: int(row[f"count_{name}"]) for name in counting},
        reactions_today=int(row.get("reactions_today") or 0),
        reactions_today_from_giver=int(row.get("from_giver") or 0),
    )


def _listed(text: str | None) -> list[str]:
    """The items of a comma-separated aggregate (NULL when there were none)."""
    return text.split(",") if text else []


async def active_days(conn: BaseDBAsyncClient, member_id: int, community_id: int) -> int:
    """Days with any activity of theirs in the community, all time: what levels ask besides points."""
    sql, values = bind(
        conn,
        "SELECT COUNT(DISTINCT DATE(created_at)) AS days FROM activity"
        " WHERE actor_id = :member AND community_id = :community",
        {"member": member_id, "community": community_id},
    )
    [row] = await conn.execute_query_dict(sql, values)
    return int(row["days"])
