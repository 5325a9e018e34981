"""The report's SQL, for SQLite and PostgreSQL: six statements whatever the community's size.

The days before `:unrolled_day` (from `:first_day`) are read from the rollups (models/engagement.py),
the others, from `:unrolled` to `:end`, from the raw tables: today, the days not rolled up yet and any
day changed since its rollup (see report.unrolled_from). Both halves count the same things.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

import settings
from models.activity import Verb
from models.posts import PostKind
from resolvers.named_params import bind_named

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

    def day_start(self, column: str) -> str:
        """A rolled-up day as the raw statements answer theirs (a UTC midnight on PostgreSQL, text on SQLite)."""
        return f"(CAST({column} AS timestamp) AT TIME ZONE 'UTC')" if self.postgres else column

    def typed(self, placeholder: str, sql_type: str) -> str:
        """A parameter in a SELECT list, typed for PostgreSQL (SQLite's CAST would turn a date to a number)."""
        return f"CAST({placeholder} AS {sql_type})" if self.postgres else placeholder

    @property
    def no_time(self) -> str:
        """A typed NULL time: the first branch of a UNION types its columns on PostgreSQL."""
        return "CAST(NULL AS timestamptz)" if self.postgres else "NULL"

    def minutes(self, start: str, end: str) -> str:
        if self.postgres:
            return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS double precision) / 60"
        return f"(julianday({end}) - julianday({start})) * 1440.0"

    def bind(self, sql: str, params: dict[str, Any]) -> tuple[str, list[Any]]:
        """`:name` placeholders bound (resolvers/named_params.py); on SQLite, dates as the text it stores them as
        (sqlite3's own date adapter is deprecated)."""
        text, values = bind_named(sql, params, postgres=self.postgres)
        return text, values if self.postgres else [_sqlite_value(value) for value in values]


def _sqlite_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) and not isinstance(value, datetime) else value


def listed(values: tuple[str, ...]) -> str:
    """Our own enum values as SQL literals (upper-case words, nothing from a client)."""
    assert all(re.fullmatch(r"[A-Z_]+", value) for value in values)
    return ", ".join(f"'{value}'" for value in values)


def _in_period(column: str, since: str = ":start") -> str:
    return f"{column} >= {since} AND {column} < :end"


def unrolled(column: str) -> str:
    """In the part of the period read raw."""
    return _in_period(column, ":unrolled")


LIVE_POST = "p.community_id = :community AND p.status = 'PUBLISHED' AND p.deleted_at IS NULL"
COUNTED_POST = f"{LIVE_POST} AND p.kind NOT IN ({listed(NOT_COUNTED_KINDS)})"
COUNTED_POSTS = f"{COUNTED_POST} AND {unrolled('p.published_at')}"
COUNTED_COMMENTS = f"{LIVE_POST} AND c.deleted_at IS NULL AND {unrolled('c.created_at')}"
ROLLED = "community_id = :community AND day >= :first_day AND day < :unrolled_day"


ROW_BY_ROW_DAYS = 2  # a raw part this short (today, and yesterday in its grace) looks its posts up row by row


def on_live_post(table: str, post_id: str, raw_days: int) -> tuple[str, str]:
    """(FROM, condition): the post of a comment or reaction is this community's and live.

    For a short raw part, looked up row by row (a subquery per row): joined with a day's comments or
    reactions, PostgreSQL hashes every post of the community instead (it prices the lookups as reads from
    disk). Over longer ones (days changed since their rollup, or none rolled up yet) the hash pays.
    """
    if raw_days > ROW_BY_ROW_DAYS:
        return f"{table} JOIN post p ON p.id = {post_id}", LIVE_POST
    live = (
        f"SELECT p.community_id FROM post p WHERE p.id = {post_id} AND p.status = 'PUBLISHED' AND p.deleted_at IS NULL"
    )
    return table, f"({live}) = :community"


def raw_days(params: dict[str, Any]) -> int:
    """The days of the raw part, today included."""
    end, unrolled_day = params["end"], params["unrolled_day"]
    return int((end.date() - unrolled_day).days) + 1


def people_sql(d: Dialect) -> str:
    """The raw part's active members per day and their ids, newcomers per day, and the newcomers activated.

    `actions` is the raw part's activity, plus the posts and comments older
    than the log's retention (they stand in for the activity pruned since; the
    guard skips them when the raw part is all inside the log). It is read
    three times, not materialised: per day, per member, for the newcomers.

    A member contributes only while ACTIVE, and `joined_at` is when they became
    ACTIVE, so a newcomer's first contribution of the period comes after it:
    activated when that first contribution is within 7 days. It is the earliest
    of their logged contributions, in the raw part and in their rolled-up
    member-days, and of their posts and comments before the log's horizon
    (`kept`), which stand in for the log. Their member-days are read newcomer
    by newcomer, up to the first contributing one (a subquery per newcomer, on
    the index by member of migration 0020): joined with the newcomers,
    PostgreSQL would hash every member-day of the period.

    On the rolled-up day the horizon falls in, the authors before it who are
    not in the log (`early_author`) count as active (see distinct.py).
    """
    return f"""
WITH actions AS {d.inlined} (
    SELECT a.actor_id AS member_id, a.created_at AS at,
           CASE WHEN a.verb NOT IN ({listed(NOT_CONTRIBUTIONS)}) THEN 1 ELSE 0 END AS contributes
    FROM activity a
    WHERE a.community_id = :community AND {unrolled("a.created_at")}
      AND a.actor_id IS NOT NULL AND a.verb NOT IN ({listed(ON_BEHALF_VERBS)})
    UNION ALL
    SELECT p.author_id, p.published_at, 1 FROM post p
    WHERE :unrolled < :kept AND {COUNTED_POSTS} AND p.published_at < :kept
    UNION ALL
    SELECT c.author_id, c.created_at, 1 FROM comment c JOIN post p ON p.id = c.post_id
    WHERE :unrolled < :kept AND {COUNTED_COMMENTS} AND c.created_at < :kept
),
newcomers AS (
    SELECT m.member_id, m.joined_at FROM membership m
    WHERE m.community_id = :community AND m.status = 'ACTIVE' AND {_in_period("m.joined_at")}
),
contributions AS (
    SELECT n.member_id, (
        SELECT CASE WHEN r.authored_at < :kept
                         AND (r.first_contribution_at IS NULL OR r.authored_at < r.first_contribution_at)
                    THEN r.authored_at ELSE r.first_contribution_at END
        FROM engagement_member_day r
        WHERE r.community_id = :community AND r.member_id = n.member_id
          AND r.day >= :first_day AND r.day < :unrolled_day
          AND (r.first_contribution_at IS NOT NULL OR r.authored_at < :kept)
        ORDER BY r.day LIMIT 1
    ) AS at FROM newcomers n
    UNION ALL
    SELECT x.member_id, x.at FROM actions x JOIN newcomers n ON n.member_id = x.member_id WHERE x.contributes = 1
),
firsts AS (SELECT member_id, MIN(at) AS at FROM contributions GROUP BY member_id)
SELECT 'active' AS figure, {d.day("x.at")} AS day, COUNT(DISTINCT x.member_id) AS n FROM actions x GROUP BY 2
UNION ALL SELECT 'member', NULL, m.member_id FROM (SELECT DISTINCT x.member_id FROM actions x) AS m
UNION ALL
SELECT 'early_author', NULL, member_id FROM engagement_member_day
WHERE {ROLLED} AND day = :kept_day AND acted = 0 AND authored_at < :kept
UNION ALL
SELECT 'activated', NULL, COUNT(*) FROM newcomers n JOIN firsts f ON f.member_id = n.member_id
WHERE f.at >= n.joined_at AND f.at < {d.plus_days("n.joined_at", ACTIVATION_DAYS)}
UNION ALL SELECT 'new_members', {d.day("n.joined_at")}, COUNT(*) FROM newcomers n GROUP BY 2
"""


def content_sql(d: Dialect, raw_days: int) -> str:
    """The raw part's posts, comments, reactions and kudos per day, and the ids of the posts' and comments' authors.

    Comments and reactions have no community: their post says it (and whether it is live). They are found
    by time first (indexed), so a day reads a day's rows whatever the size of the tables.
    """
    comments, live_comment = on_live_post("comment c", "c.post_id", raw_days)
    reactions, live_target = on_live_post("reaction r", "r.target_id", raw_days)
    return f"""
WITH posts AS (
    SELECT p.author_id, {d.day("p.published_at")} AS day FROM post p WHERE {COUNTED_POSTS}
),
comments AS (
    SELECT c.author_id, {d.day("c.created_at")} AS day FROM {comments}
    WHERE c.deleted_at IS NULL AND {unrolled("c.created_at")} AND {live_comment}
)
SELECT 'posts' AS figure, day, COUNT(*) AS n FROM posts GROUP BY day
UNION ALL SELECT 'comments', day, COUNT(*) FROM comments GROUP BY day
UNION ALL
SELECT 'author', NULL, t.author_id FROM (SELECT author_id FROM posts UNION SELECT author_id FROM comments) AS t
UNION ALL
SELECT 'reactions', {d.day("r.created_at")}, COUNT(*) FROM {reactions}
WHERE r.target_type = 'post' AND {unrolled("r.created_at")} AND {live_target} GROUP BY 2
UNION ALL
SELECT 'reactions', {d.day("r.created_at")}, COUNT(*) FROM reaction r
JOIN comment c ON c.id = r.target_id JOIN post p ON p.id = c.post_id
WHERE r.target_type = 'comment' AND c.deleted_at IS NULL AND {LIVE_POST} AND {unrolled("r.created_at")} GROUP BY 2
UNION ALL
SELECT 'kudos', {d.day("k.created_at")}, COUNT(*) FROM kudos k
WHERE k.community_id = :community AND {unrolled("k.created_at")} GROUP BY 2
"""


# The rolled-up days: their counts, and their members as bitmaps (distinct.py).
ROLLED_DAYS_SQL = f"""
SELECT day, posts, comments, reactions, kudos, active, active_logged, acted_members, authors
FROM engagement_day WHERE {ROLLED}
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
  AND {unrolled("q.published_at")}
GROUP BY q.id, q.published_at
UNION ALL SELECT post_id, minutes FROM engagement_question WHERE {ROLLED}
"""


EVENTS_SQL = f"""
SELECT COUNT(*) AS going, COUNT(r.checked_in_at) AS attended
FROM rsvp r JOIN event e ON e.id = r.event_id
WHERE e.community_id = :community AND {_in_period("e.starts_at")} AND r.status = 'GOING' AND r.waitlisted_at IS NULL
"""

# With how far the rollups reach: every day before `rolled_until`, but those changed since (from `first_change`,
# counted from :start, the earliest the period may begin) and those without bitmaps (`unmapped`: rolled up by a
# process from before migration 0020, during a rolling deployment; the next rollup makes them again).
COMMUNITY_SQL = """
SELECT c.created_at, c.daily_goal,
       (SELECT COUNT(*) FROM membership m
        WHERE m.community_id = c.id AND m.status = 'ACTIVE' AND m.joined_at < :end) AS members,
       (SELECT r.rolled_until FROM engagement_rollup r WHERE r.community_id = c.id) AS rolled_until,
       (SELECT MIN(ch.at) FROM engagement_change ch WHERE ch.community_id = c.id AND ch.at >= :start) AS first_change,
       (SELECT MIN(d.day) FROM engagement_day d WHERE d.community_id = c.id AND d.acted_members IS NULL) AS unmapped
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


def period_params(community_id: int, start: datetime, end: datetime, unrolled: datetime) -> dict[str, Any]:
    """The statements' parameters; `kept`: the log may be pruned before it (ACTIVITY_RETENTION_DAYS);
    `unrolled`: the start of the part read raw (a UTC midnight, from `start` to the end's day)."""
    kept = end - timedelta(days=settings.ACTIVITY_RETENTION_DAYS)
    return {
        "community": community_id,
        "start": start,
        "end": end,
        "kept": kept,
        "unrolled": unrolled,
        "first_day": start.date(),
        "unrolled_day": unrolled.date(),
        "kept_day": kept.date(),
    }
