"""Boards from a snapshot: each community's ledger summed up to a ledger id, plus the rows after it.

PointsTotal holds every member's points per period (ALL, and the current and previous day, week and month) over
the ledger rows up to PointsSnapshot.through_id; a board adds the rows after that id (the tail), in the same
statement, so it is always a sum over the ledger, never a counter. Amounts never change once written (a changed
rule applies to new rows, an undo is a new negative row), so folding the tail into the totals keeps them exact.

Folding moves `through_id` in the transaction that adds the tail, under the snapshot row's lock: a row is folded
once, and folding again does nothing. On PostgreSQL an id can commit after a higher one, so rows are folded only
up to an id below which no transaction is still open (`settled_id`): a row committed late is in the tail.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from resolvers.outbox import writing
from resolvers.recognition.facts import bind
from resolvers.recognition.standings import Period, next_period_start, period_start

Standing = tuple[int, int]  # (member_id, points)
BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)  # when ALL starts
EPOCH = BEGINNING.date()  # the `since` of ALL
NEVER = datetime(9999, 1, 1, tzinfo=UTC)  # when ALL ends
SETTLE_TIMEOUT_SECONDS = 5.0  # how long a fold waits for transactions open before it; it tries again next tick
SETTLE_POLL_SECONDS = 0.02

# The first day of a row's period (UTC), as each database computes it.
_SINCE_SQL = {
    "postgres": {
        Period.ALL: "DATE '1970-01-01'",
        Period.DAY: "(e.created_at AT TIME ZONE 'UTC')::date",
        Period.WEEK: "date_trunc('week', e.created_at AT TIME ZONE 'UTC')::date",  # ISO weeks start on Monday
        Period.MONTH: "date_trunc('month', e.created_at AT TIME ZONE 'UTC')::date",
    },
    "sqlite": {  # stored as ISO text with its offset: date() answers the UTC day
        Period.ALL: "'1970-01-01'",
        Period.DAY: "date(e.created_at)",
        Period.WEEK: "date(e.created_at, 'weekday 0', '-6 days')",  # the Sunday ending the week, less six days
        Period.MONTH: "date(e.created_at, 'start of month')",
    },
}
_FOLD_SQL = """
INSERT INTO points_total (community_id, period, since, member_id, points)
SELECT e.community_id, :period, {since}, e.member_id, SUM(e.amount) FROM points_entry e
WHERE e.community_id = :community AND e.id > :after AND e.id <= :through AND e.created_at >= :kept
GROUP BY e.community_id, {since}, e.member_id
ON CONFLICT (community_id, period, since, member_id) DO UPDATE SET points = points_total.points + excluded.points
"""
_PRUNE_SQL = "DELETE FROM points_total WHERE community_id = :community AND period = :period AND since < :kept"
# The rows after the snapshot, read in the same statement as the totals, so a fold cannot come in between.
# `:folded` is the snapshot's id read just before: it only tells the planner how few rows to expect (a fold
# since has only moved the snapshot's id further).
_TAIL_SQL = """
tail AS (
  SELECT e.member_id, SUM(e.amount) AS points FROM points_entry e
  WHERE e.community_id = :community AND e.id > :folded AND e.created_at >= :start AND e.created_at < :end
    AND e.id > COALESCE((SELECT through_id FROM points_snapshot WHERE community_id = :community), 0)
  GROUP BY e.member_id
)"""
_TOTALS = "points_total t WHERE t.community_id = :community AND t.period = :period AND t.since = :since"


# The totals a tail member needs to reach {floor} or more with their tail, and the negative ones. A tail member
# missing here has no total (0), or one below the floor that no tail lifts past what it is compared with.
_NEAR = f"""
near AS MATERIALIZED (
  SELECT t.member_id, t.points FROM {_TOTALS} AND t.points >= {{floor}}
  UNION ALL
  SELECT t.member_id, t.points FROM {_TOTALS} AND t.points < 0 AND t.points < {{floor}}
),
gained AS (
  SELECT x.member_id, x.points + COALESCE(n.points, 0) AS points
  FROM tail x LEFT JOIN near n ON n.member_id = x.member_id
)"""


def _active(member: str) -> str:
    """Whether a member is active, checked row by row (a scalar subquery is never made a join): for the few
    candidates of a board, PostgreSQL would otherwise hash every membership of the community."""
    return (
        f"(SELECT m.status FROM membership m WHERE m.member_id = {member} AND m.community_id = :community) = 'ACTIVE'"
    )


def _all_active(member: str) -> str:
    """Whether a member is active, as a semi-join: for the many members ahead of a rank."""
    return (
        f"EXISTS (SELECT 1 FROM membership m WHERE m.member_id = {member} AND m.community_id = :community"
        " AND m.status = 'ACTIVE')"
    )


# The top is among the best `first` members without a tail (their points are their totals, read in the order of
# the totals' index), and the tail's members whose total plus tail reaches the last of those (`bar`; no bar while
# there are fewer): their total is at least the bar less the most any member gained in the tail.
TOP_SQL = f"""
WITH {_TAIL_SQL},
best AS (
  SELECT t.member_id, t.points FROM {_TOTALS} AND t.member_id NOT IN (SELECT member_id FROM tail)
    AND {_active("t.member_id")}
  ORDER BY t.points DESC, t.member_id LIMIT :first
),
bar AS (SELECT CASE WHEN COUNT(*) = :first THEN MIN(points) END AS points FROM best),
{_NEAR.format(floor="COALESCE((SELECT points FROM bar) - (SELECT MAX(points) FROM tail), -2147483648)")}
SELECT member_id, points FROM (
  SELECT member_id, points FROM best
  UNION ALL
  SELECT member_id, points FROM gained WHERE points >= COALESCE((SELECT points FROM bar), -2147483648)
) c
WHERE c.points > 0 AND {_active("c.member_id")}
ORDER BY points DESC, member_id LIMIT :first
"""
# Ahead of a member: members without a tail, counted in the totals' index from the top down to the member's
# points, and the tail's members whose total plus tail is more (or as much, for an earlier member).
RANK_SQL = f"""
WITH {_TAIL_SQL},
mine AS (
  SELECT COALESCE((SELECT t.points FROM {_TOTALS} AND t.member_id = :member), 0)
       + COALESCE((SELECT points FROM tail WHERE member_id = :member), 0) AS points
),
{_NEAR.format(floor="(SELECT points FROM mine) - (SELECT MAX(points) FROM tail)")}
SELECT mine.points,
  (SELECT COUNT(*) FROM {_TOTALS} AND t.points >= mine.points
     AND (t.points > mine.points OR t.member_id < :member)
     AND t.member_id NOT IN (SELECT member_id FROM tail) AND {_all_active("t.member_id")})
  + (SELECT COUNT(*) FROM gained x
     WHERE (x.points > mine.points OR (x.points = mine.points AND x.member_id < :member))
       AND {_active("x.member_id")}) AS ahead
FROM mine WHERE mine.points > 0 AND {_active(":member")}
"""


# For a transaction that runs the board's statements: each is planned for its values even when cached.
CUSTOM_PLANS_SQL = "SET LOCAL plan_cache_mode = force_custom_plan"


async def _rows(
    conn: BaseDBAsyncClient, sql: str, params: dict[str, Any], *, custom_plans: bool = False
) -> list[dict[str, Any]]:
    """The rows of one statement: on PostgreSQL, prepared for this call alone, so it is planned for these values.
    A cached statement switches to a generic plan after five runs, made without knowing the snapshot's id: it read
    a community's whole ledger for the tail (80 ms instead of 1 in bench/recognition.py). `custom_plans`: the
    transaction ran CUSTOM_PLANS_SQL, so the cached statement is planned for these values too, a round trip less."""
    text, values = bind(conn, sql, params)
    if conn.capabilities.dialect != "postgres" or custom_plans:
        return await conn.execute_query_dict(text, values)
    conn.log.debug("%s: %s", text, values)  # as Tortoise logs its own
    async with conn.acquire_connection() as connection:
        statement = await connection.prepare(text)
        return [dict(row) for row in await statement.fetch(*values)]


SNAPSHOT_SQL = "SELECT through_id FROM points_snapshot WHERE community_id = :community"


async def board_params(
    conn: BaseDBAsyncClient, community_id: int, period: Period, now: datetime | None, folded: int | None = None
) -> dict[str, Any]:
    """The period's key in the totals, the time range of its tail, and how far the snapshot was folded (read here
    unless the caller read it in its transaction)."""
    start = period_start(period, now) or BEGINNING
    end = next_period_start(period, start) or NEVER
    if folded is None:
        snapshot = await conn.execute_query_dict(*bind(conn, SNAPSHOT_SQL, {"community": community_id}))
        folded = snapshot[0]["through_id"] if snapshot else 0
    return {
        "community": community_id,
        "period": period.value,
        "since": start.date(),
        "start": start,
        "end": end,
        "folded": folded,
    }


async def top(
    community_id: int,
    period: Period,
    first: int,
    now: datetime | None = None,
    conn: BaseDBAsyncClient | None = None,
    *,
    folded: int | None = None,
    custom_plans: bool = False,
) -> list[Standing]:
    """The best `first` active members with points, best first; ties go to the earlier member (lower id)."""
    conn = conn or connections.get("default")
    params = {**await board_params(conn, community_id, period, now, folded), "first": first}
    rows = await _rows(conn, TOP_SQL, params, custom_plans=custom_plans)
    return [(row["member_id"], row["points"]) for row in rows]


async def rank_of(
    community_id: int, period: Period, member_id: int, now: datetime | None = None
) -> tuple[int, int] | None:
    """(rank, points) of one member, wherever they stand; None unless active with points in the period."""
    conn = connections.get("default")
    params = {**await board_params(conn, community_id, period, now), "member": member_id}
    rows = await _rows(conn, RANK_SQL, params)
    return (rows[0]["ahead"] + 1, rows[0]["points"]) if rows else None  # no row: inactive, or no points


# Some members' points (active members only), each their total plus their tail.
POINTS_OF_SQL = f"""
WITH {_TAIL_SQL}
SELECT m.member_id,
  COALESCE((SELECT t.points FROM {_TOTALS} AND t.member_id = m.member_id), 0)
  + COALESCE((SELECT x.points FROM tail x WHERE x.member_id = m.member_id), 0) AS points
FROM membership m WHERE m.community_id = :community AND m.member_id IN ({{members}}) AND m.status = 'ACTIVE'
"""


async def points_of(
    conn: BaseDBAsyncClient,
    community_id: int,
    period: Period,
    members: list[int],
    now: datetime | None = None,
    *,
    folded: int | None = None,
    custom_plans: bool = False,
) -> dict[int, int]:
    """{member_id: points in the period} of these members, those active in the community."""
    params = await board_params(conn, community_id, period, now, folded)
    listed = ",".join(str(int(member)) for member in members)
    rows = await _rows(conn, POINTS_OF_SQL.format(members=listed), params, custom_plans=custom_plans)
    return {row["member_id"]: int(row["points"]) for row in rows}


# --- folding -------------------------------------------------------------------------------------


async def settled_id(conn: BaseDBAsyncClient) -> int | None:
    """The highest ledger id up to which every row is committed (or rolled back) for good; None when a
    transaction older than that id is still open after SETTLE_TIMEOUT_SECONDS."""
    rows = await conn.execute_query_dict("SELECT COALESCE(MAX(id), 0) AS id FROM points_entry")
    highest = cast(int, rows[0]["id"])
    if conn.capabilities.dialect != "postgres":
        return highest  # SQLite: one connection, which a transaction holds until it ends
    # Any row up to `highest` was written by a transaction begun before now: wait until none of those is open.
    now = (await conn.execute_query_dict("SELECT clock_timestamp() AS now"))[0]["now"]
    # Clients only: autovacuum writes no ledger rows, and may run for minutes. The app's connections share one
    # role, so their transactions are visible here.
    open_before = (
        "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()"
        " AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND xact_start < $1) AS open"
    )
    deadline = asyncio.get_running_loop().time() + SETTLE_TIMEOUT_SECONDS
    while (await conn.execute_query_dict(open_before, [now]))[0]["open"]:
        if asyncio.get_running_loop().time() > deadline:
            return None
        await asyncio.sleep(SETTLE_POLL_SECONDS)
    return highest


def _kept(period: Period, now: datetime) -> datetime:
    """The start of the previous period: totals of older periods are no board's any more (kept one period
    longer than needed, for a reader whose clock is behind the folder's)."""
    start = period_start(period, now)
    return (start and period_start(period, start - timedelta(microseconds=1))) or BEGINNING


async def fold(community_id: int, through: int, now: datetime | None = None) -> bool:
    """Add the community's ledger rows after its snapshot, up to `through` (settled), to its totals; False when
    there was nothing to add."""
    now = now or datetime.now(UTC)
    async with writing() as tx:
        postgres = tx.capabilities.dialect == "postgres"
        claim = (
            "INSERT INTO points_snapshot (community_id, through_id, folded_at) VALUES (:community, 0, :now)"
            " ON CONFLICT (community_id) DO NOTHING"
        )
        await tx.execute_query(*bind(tx, claim, {"community": community_id, "now": now}))
        lock = " FOR UPDATE" if postgres else ""  # SQLite: the transaction holds the only connection
        snapshot = "SELECT through_id FROM points_snapshot WHERE community_id = :community" + lock
        after = (await _rows(tx, snapshot, {"community": community_id}))[0]["through_id"]
        if after >= through:
            return False
        for period, since in _SINCE_SQL["postgres" if postgres else "sqlite"].items():
            kept = _kept(period, now)
            added = {"community": community_id, "after": after, "through": through, "period": period, "kept": kept}
            await _rows(tx, _FOLD_SQL.format(since=since), added)  # planned for its ids, as a board
            pruned = {"community": community_id, "period": period, "kept": kept.date()}
            await tx.execute_query(*bind(tx, _PRUNE_SQL, pruned))
        moved = "UPDATE points_snapshot SET through_id = :through, folded_at = :now WHERE community_id = :community"
        await tx.execute_query(*bind(tx, moved, {"community": community_id, "through": through, "now": now}))
    return True


async def fold_ledgers(now: datetime | None = None) -> int:
    """The scheduler's job: every community with ledger rows after its snapshot folds them; how many folded."""
    conn = connections.get("default")
    through = await settled_id(conn)
    if not through:
        return 0
    behind = """
SELECT c.id FROM community c LEFT JOIN points_snapshot s ON s.community_id = c.id
WHERE EXISTS (SELECT 1 FROM points_entry e WHERE e.community_id = c.id AND e.id > COALESCE(s.through_id, 0)
              AND e.id <= :through)
"""
    folded = 0
    for row in await _rows(conn, behind, {"through": through}):
        folded += await fold(row["id"], through, now)
    return folded
