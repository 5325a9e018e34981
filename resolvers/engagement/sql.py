"""The report's SQL, for SQLite and PostgreSQL: five aggregate statements whatever the community's size."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

import settings
from models.activity import Verb
from models.posts import PostKind

ACTIVATION_DAYS = 7
ON_BEHALF_VERBS = (Verb.WELCOMED, Verb.BADGE_AWARDED, Verb.LEVEL_UP)  # Cercle writes them for a member
NOT_CONTRIBUTIONS = (Verb.JOINED, *ON_BEHALF_VERBS)  # for newcomer activation: anything else of their own
NOT_COUNTED_KINDS = (PostKind.INTRODUCTION,)  # written by Cercle when someone joins


class Dialect:
    """The few expressions that differ: a UTC day, a time plus days, minutes between two times."""

    def __init__(self, name: str) -> None:
        self.postgres = name == "postgres"

    def day(self, column: str) -> str:
        """The UTC day of a time: on PostgreSQL (14+) the start of its day, binned from the period's start,
        which is 00:00 UTC (cheaper than AT TIME ZONE); SQLite stores ISO text with its offset, and date()
        reads the offset and answers the UTC date."""
        return f"date_bin('1 day', {column}, :start)" if self.postgres else f"date({column})"

    @property
    def inlined(self) -> str:
        """A CTE read twice is still planned into each reader (PostgreSQL would materialise it otherwise)."""
        return "NOT MATERIALIZED" if self.postgres else ""

    def plus_days(self, column: str, days: int) -> str:
        if self.postgres:
            return f"({column} + interval '{int(days)} days')"
        return f"strftime('%Y-%m-%d %H:%M:%f+00:00', {column}, '+{int(days)} days')"  # comparable with stored text

    def minutes(self, start: str, end: str) -> str:
        if self.postgres:
            return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS double precision) / 60"
        return f"(julianday({end}) - julianday({start})) * 1440.0"

    def bind(self, sql: str, params: dict[str, Any]) -> tuple[str, list[Any]]:
        """`:name` placeholders to `$n` (PostgreSQL, each name once) or `?` (SQLite, in order)."""
        names: list[str] = []

        def placeholder(match: re.Match[str]) -> str:
            if self.postgres:
                if match[1] not in names:
                    names.append(match[1])
                return f"${names.index(match[1]) + 1}"
            names.append(match[1])
            return "?"

        text = re.sub(r":(community|start|end|kept)\b", placeholder, sql)
        return text, [params[name] for name in names]


def _listed(values: tuple[str, ...]) -> str:
    """Our own enum values as SQL literals (upper-case words, nothing from a client)."""
    assert all(re.fullmatch(r"[A-Z_]+", value) for value in values)
    return ", ".join(f"'{value}'" for value in values)


def _in_period(column: str) -> str:
    return f"{column} >= :start AND {column} < :end"


LIVE_POST = "p.community_id = :community AND p.status = 'PUBLISHED' AND p.deleted_at IS NULL"
COUNTED_POSTS = f"{LIVE_POST} AND p.kind NOT IN ({_listed(NOT_COUNTED_KINDS)}) AND {_in_period('p.published_at')}"
COUNTED_COMMENTS = f"{LIVE_POST} AND c.deleted_at IS NULL AND {_in_period('c.created_at')}"


def people_sql(d: Dialect) -> str:
    """Active members per day and in all, newcomers per day, and the newcomers activated.

    `actions` is the period's activity, plus the posts and comments older than
    the log's retention (they stand in for the activity pruned since; the
    guard skips them when the period is all inside the log). It is read twice,
    not materialised: once per day, once per member.

    A member contributes only while ACTIVE, and `joined_at` is when they became
    ACTIVE, so a newcomer's first contribution of the period comes after it:
    activated when that first contribution is within 7 days.
    """
    return f"""
WITH actions AS {d.inlined} (
    SELECT a.actor_id AS member_id, a.created_at AS at,
           CASE WHEN a.verb NOT IN ({_listed(NOT_CONTRIBUTIONS)}) THEN 1 ELSE 0 END AS contributes
    FROM activity a
    WHERE a.community_id = :community AND {_in_period("a.created_at")}
      AND a.actor_id IS NOT NULL AND a.verb NOT IN ({_listed(ON_BEHALF_VERBS)})
    UNION ALL
    SELECT p.author_id, p.published_at, 1 FROM post p
    WHERE :start < :kept AND {COUNTED_POSTS} AND p.published_at < :kept
    UNION ALL
    SELECT c.author_id, c.created_at, 1 FROM comment c JOIN post p ON p.id = c.post_id
    WHERE :start < :kept AND {COUNTED_COMMENTS} AND c.created_at < :kept
),
members AS (
    SELECT x.member_id, MIN(CASE WHEN x.contributes = 1 THEN x.at END) AS first_contribution
    FROM actions x GROUP BY x.member_id
),
newcomers AS (
    SELECT m.member_id, m.joined_at FROM membership m
    WHERE m.community_id = :community AND m.status = 'ACTIVE' AND {_in_period("m.joined_at")}
)
SELECT 'active' AS figure, {d.day("x.at")} AS day, COUNT(DISTINCT x.member_id) AS n FROM actions x GROUP BY 2
UNION ALL SELECT 'active', NULL, COUNT(*) FROM members
UNION ALL
SELECT 'activated', NULL, COUNT(*) FROM newcomers n JOIN members m ON m.member_id = n.member_id
WHERE m.first_contribution >= n.joined_at AND m.first_contribution < {d.plus_days("n.joined_at", ACTIVATION_DAYS)}
UNION ALL SELECT 'new_members', {d.day("n.joined_at")}, COUNT(*) FROM newcomers n GROUP BY 2
"""


def content_sql(d: Dialect) -> str:
    """Posts, comments, reactions and kudos per day; the authors of the posts and comments.

    Comments and reactions have no community: their post says it (and whether it is live). They are found
    by time first (indexed), so a day reads a day's rows whatever the size of the tables.
    """
    return f"""
WITH posts AS (
    SELECT p.author_id, {d.day("p.published_at")} AS day FROM post p WHERE {COUNTED_POSTS}
),
comments AS (
    SELECT c.author_id, {d.day("c.created_at")} AS day FROM comment c JOIN post p ON p.id = c.post_id
    WHERE {COUNTED_COMMENTS}
)
SELECT 'posts' AS figure, day, COUNT(*) AS n FROM posts GROUP BY day
UNION ALL SELECT 'comments', day, COUNT(*) FROM comments GROUP BY day
UNION ALL
SELECT 'contributors', NULL, COUNT(*) FROM (SELECT author_id FROM posts UNION SELECT author_id FROM comments) AS t
UNION ALL
SELECT 'reactions', {d.day("r.created_at")}, COUNT(*) FROM reaction r JOIN post p ON p.id = r.target_id
WHERE r.target_type = 'post' AND {LIVE_POST} AND {_in_period("r.created_at")} GROUP BY 2
UNION ALL
SELECT 'reactions', {d.day("r.created_at")}, COUNT(*) FROM reaction r
JOIN comment c ON c.id = r.target_id JOIN post p ON p.id = c.post_id
WHERE r.target_type = 'comment' AND c.deleted_at IS NULL AND {LIVE_POST} AND {_in_period("r.created_at")} GROUP BY 2
UNION ALL
SELECT 'kudos', {d.day("k.created_at")}, COUNT(*) FROM kudos k
WHERE k.community_id = :community AND {_in_period("k.created_at")} GROUP BY 2
"""


def questions_sql(d: Dialect) -> str:
    """Each question of the period with the minutes to its first answer by someone else (null: unanswered).

    Answers come after their question, so only the period's comments are read."""
    return f"""
SELECT q.id, {d.minutes("q.published_at", "MIN(c.created_at)")} AS minutes
FROM post q
LEFT JOIN comment c ON c.post_id = q.id AND c.author_id <> q.author_id AND c.deleted_at IS NULL
     AND {_in_period("c.created_at")}
WHERE q.community_id = :community AND q.kind = 'QUESTION' AND q.status = 'PUBLISHED' AND q.deleted_at IS NULL
  AND {_in_period("q.published_at")}
GROUP BY q.id, q.published_at
"""


EVENTS_SQL = f"""
SELECT COUNT(*) AS going, COUNT(r.checked_in_at) AS attended
FROM rsvp r JOIN event e ON e.id = r.event_id
WHERE e.community_id = :community AND {_in_period("e.starts_at")} AND r.status = 'GOING' AND r.waitlisted_at IS NULL
"""

COMMUNITY_SQL = """
SELECT c.created_at, c.daily_goal,
       (SELECT COUNT(*) FROM membership m
        WHERE m.community_id = c.id AND m.status = 'ACTIVE' AND m.joined_at < :end) AS members
FROM community c WHERE c.id = :community
"""


async def fetch(conn: BaseDBAsyncClient, dialect: Dialect, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of one statement.

    On PostgreSQL, through a statement prepared for this call alone: a cached
    statement (asyncpg caches them by text) switches to a generic plan after
    five runs, a plan made without knowing the period. Made for a day (nested
    loops over a few rows), it then serves a month (hundreds of thousands):
    the MONTH report took 30% longer in bench/engagement.py.
    """
    text, values = dialect.bind(sql, params)
    if not dialect.postgres:
        return await conn.execute_query_dict(text, values)
    conn.log.debug("%s: %s", text, values)  # as Tortoise logs its own
    async with conn.acquire_connection() as connection:
        statement = await connection.prepare(text)
        return [dict(row) for row in await statement.fetch(*values)]


def period_params(community_id: int, start: datetime, end: datetime) -> dict[str, Any]:
    """The statements' parameters; `kept`: the log may be pruned before it (ACTIVITY_RETENTION_DAYS)."""
    kept = end - timedelta(days=settings.ACTIVITY_RETENTION_DAYS)
    return {"community": community_id, "start": start, "end": end, "kept": kept}
