"""The daily rollups behind the engagement report (models/engagement.py), kept by the scheduler.

Each tick rolls up each community's closed days, DAYS_PER_RUN at most, and rebuilds the days changed
since their rollup. A day is closed ROLLUP_GRACE after its end, once every transaction that wrote rows
of that day has committed. Rolling a day up is idempotent: its rows are deleted and counted again from
the raw tables with the report's own conditions (resolvers/engagement/sql.py). Nothing is written on
the write path but the triggers' appends to `engagement_change` (migration 0017), and the report reads
a changed day raw until it is rebuilt, so every figure stays exact.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from resolvers.engagement.distinct import serialized
from resolvers.engagement.sql import (
    COUNTED_COMMENTS,
    COUNTED_POSTS,
    LIVE_POST,
    NOT_CONTRIBUTIONS,
    ON_BEHALF_VERBS,
    Dialect,
    fetch,
    listed,
    unrolled,
)

ROLLUP_GRACE = timedelta(minutes=10)
DAYS_PER_RUN = 31  # a long backlog (a new deployment) is rolled up over a few ticks

DUE_SQL = """
SELECT c.id, c.created_at FROM community c LEFT JOIN engagement_rollup r ON r.community_id = c.id
WHERE r.rolled_until IS NULL OR r.rolled_until < :day
   OR EXISTS (SELECT 1 FROM engagement_change ch WHERE ch.community_id = c.id)
   OR EXISTS (SELECT 1 FROM engagement_day d WHERE d.community_id = c.id AND d.acted_members IS NULL)
"""
START_SQL = """
INSERT INTO engagement_rollup (community_id, rolled_until) VALUES (:community, :day)
ON CONFLICT (community_id) DO NOTHING
"""
# A deleted community's log goes by cascade, which the triggers still note.
FORGET_DELETED_SQL = """
DELETE FROM engagement_change WHERE NOT EXISTS (SELECT 1 FROM community c WHERE c.id = engagement_change.community_id)
"""
ADVANCE_SQL = "UPDATE engagement_rollup SET rolled_until = :day WHERE community_id = :community"
# Taken before the rebuild, in its transaction: a change committed later stays for the next run.
TAKE_CHANGES_SQL = "DELETE FROM engagement_change WHERE community_id = :community RETURNING at"
CLEAR_DAY_SQL = tuple(
    f"DELETE FROM {table} WHERE community_id = :community AND day = :day"
    for table in ("engagement_member_day", "engagement_day", "engagement_question")
)


def member_days_sql(d: Dialect) -> str:
    """Each member who did something that day: in the log (their first contribution in it), or as the author
    of a counted post or comment (the first one), which stands in for the log once it is pruned."""
    return f"""
INSERT INTO engagement_member_day (community_id, day, member_id, acted, first_contribution_at, authored_at)
SELECT {d.typed(":community", "integer")}, {d.typed(":day", "date")}, x.member_id, MAX(x.acted),
       MIN(x.contributed_at), MIN(x.authored_at)
FROM (
    SELECT a.actor_id AS member_id, 1 AS acted,
           CASE WHEN a.verb NOT IN ({listed(NOT_CONTRIBUTIONS)}) THEN a.created_at END AS contributed_at,
           {d.no_time} AS authored_at
    FROM activity a
    WHERE a.community_id = :community AND {unrolled("a.created_at")}
      AND a.actor_id IS NOT NULL AND a.verb NOT IN ({listed(ON_BEHALF_VERBS)})
    UNION ALL SELECT p.author_id, 0, NULL, p.published_at FROM post p WHERE {COUNTED_POSTS}
    UNION ALL
    SELECT c.author_id, 0, NULL, c.created_at FROM comment c JOIN post p ON p.id = c.post_id WHERE {COUNTED_COMMENTS}
) AS x
GROUP BY x.member_id
"""


# Days rolled up without bitmaps (by a process from before migration 0020): made again.
UNMAPPED_DAYS_SQL = "SELECT day FROM engagement_day WHERE community_id = :community AND acted_members IS NULL"

# The day's member-days, for its bitmaps.
MEMBERS_OF_DAY_SQL = """
SELECT member_id, acted, authored_at FROM engagement_member_day WHERE community_id = :community AND day = :day
"""


def day_sql(d: Dialect) -> str:
    """The day's counts, as the report's content statement counts them; its active members from the rows above,
    and as bitmaps (`:acted_members`, `:authors`)."""
    members = "SELECT COUNT(*) FROM engagement_member_day WHERE community_id = :community AND day = :day"
    return f"""
INSERT INTO engagement_day
    (community_id, day, posts, comments, reactions, kudos, active, active_logged, acted_members, authors)
SELECT {d.typed(":community", "integer")}, {d.typed(":day", "date")},
    (SELECT COUNT(*) FROM post p WHERE {COUNTED_POSTS}),
    (SELECT COUNT(*) FROM comment c JOIN post p ON p.id = c.post_id WHERE {COUNTED_COMMENTS}),
    (SELECT COUNT(*) FROM reaction r JOIN post p ON p.id = r.target_id
     WHERE r.target_type = 'post' AND {LIVE_POST} AND {unrolled("r.created_at")})
    + (SELECT COUNT(*) FROM reaction r JOIN comment c ON c.id = r.target_id JOIN post p ON p.id = c.post_id
       WHERE r.target_type = 'comment' AND c.deleted_at IS NULL AND {LIVE_POST} AND {unrolled("r.created_at")}),
    (SELECT COUNT(*) FROM kudos k WHERE k.community_id = :community AND {unrolled("k.created_at")}),
    ({members}),
    ({members} AND acted = 1),
    {d.typed(":acted_members", "bytea")}, {d.typed(":authors", "bytea")}
"""


def questions_sql(d: Dialect) -> str:
    """The day's questions, each with the minutes to its first answer by someone else so far (a later answer
    marks the day changed). Answers come after their question: only comments from the day on are read."""
    return f"""
INSERT INTO engagement_question (community_id, day, post_id, minutes)
SELECT {d.typed(":community", "integer")}, {d.typed(":day", "date")}, q.id,
       {d.minutes("q.published_at", "MIN(c.created_at)")}
FROM post q
LEFT JOIN comment c ON c.post_id = q.id AND c.author_id <> q.author_id AND c.deleted_at IS NULL
     AND c.created_at >= :unrolled
WHERE q.community_id = :community AND q.kind = 'QUESTION' AND q.status = 'PUBLISHED' AND q.deleted_at IS NULL
  AND {unrolled("q.published_at")}
GROUP BY q.id, q.published_at
"""


async def roll_up_engagement(now: datetime | None = None) -> int:
    """Roll up the closed days not rolled up yet and rebuild the changed ones: how many days were."""
    closed_until = ((now or datetime.now(UTC)) - ROLLUP_GRACE).astimezone(UTC).date()  # the first open day
    conn = connections.get("default")
    dialect = Dialect(conn.capabilities.dialect)
    await fetch(conn, dialect, FORGET_DELETED_SQL, {})
    due = await fetch(conn, dialect, DUE_SQL, {"day": closed_until})
    rolled = 0
    for community in due:
        rolled += await _roll_up_community(community["id"], _utc_day(community["created_at"]), closed_until)
    return rolled


async def _roll_up_community(community_id: int, created: date, closed_until: date) -> int:
    async with in_transaction() as conn:
        dialect = Dialect(conn.capabilities.dialect)

        async def run(sql: str, **params: Any) -> list[dict[str, Any]]:
            return await fetch(conn, dialect, sql, {"community": community_id, **params})

        await run(START_SQL, day=created)
        lock = " FOR UPDATE SKIP LOCKED" if dialect.postgres else ""  # SQLite writes one transaction at a time
        held = await run(f"SELECT rolled_until FROM engagement_rollup WHERE community_id = :community{lock}")
        if not held:
            return 0  # another process is rolling this community up
        rolled_until = _utc_day(held[0]["rolled_until"])
        changed = {_utc_day(row["at"]) for row in await run(TAKE_CHANGES_SQL)}
        changed |= {_utc_day(row["day"]) for row in await run(UNMAPPED_DAYS_SQL)}
        new_days = [
            rolled_until + timedelta(days=n) for n in range(min(DAYS_PER_RUN, (closed_until - rolled_until).days))
        ]
        days = sorted(day for day in changed if day < rolled_until) + new_days
        for day in days:
            await _roll_up_day(conn, dialect, community_id, day)
        if new_days:
            await run(ADVANCE_SQL, day=new_days[-1] + timedelta(days=1))
    return len(days)


async def _roll_up_day(conn: BaseDBAsyncClient, dialect: Dialect, community_id: int, day: date) -> None:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    params = {"community": community_id, "day": day, "unrolled": start, "end": start + timedelta(days=1)}
    for sql in (*CLEAR_DAY_SQL, member_days_sql(dialect)):
        await fetch(conn, dialect, sql, params)
    members = await fetch(conn, dialect, MEMBERS_OF_DAY_SQL, params)
    params["acted_members"] = serialized(row["member_id"] for row in members if row["acted"] == 1)
    params["authors"] = serialized(row["member_id"] for row in members if row["authored_at"] is not None)
    for sql in (day_sql(dialect), questions_sql(dialect)):
        await fetch(conn, dialect, sql, params)


def _utc_day(value: datetime | date | str) -> date:
    """A time's UTC day, or a date as PostgreSQL (a date) or SQLite (ISO text) answers it."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).date()
    if isinstance(value, date):
        return value
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value).astimezone(UTC).date()
