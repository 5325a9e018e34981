"""Engagement analytics: `community.engagement` over a large community, against baselines in the same run.

One run on a fresh PostgreSQL database: one community of `members` members and
`activities` activities spread over the last DAYS days (a few members do most),
with the posts (a quarter of them questions), comments, reactions, kudos,
joins and event RSVPs those activities stand for, written by COPY. Then, per
period (DAY, WEEK, MONTH, ALL), the median time of:

- `engagement_report` before the scheduler has rolled anything up: every day read from the raw
  tables, as the report was before the rollups (the baseline),
- the time the scheduler's job takes to roll up every closed day from scratch,
- `engagement_report` from the rollups (today read raw), as the API runs it (six statements),
- the same six statements sent with raw asyncpg, at once as the report sends them, then the same union of
  the rolled-up days' bitmaps in Python (the driver's floor for this work), and one after another,
- a bare `SELECT count(*)` of the period's activity (touching the rows at all),

with the ratios, each statement's own time for MONTH (and the bitmaps' union's), and PostgreSQL's plan
of the heaviest one. Figures are printed, never asserted. Sizes: FULL, or QUICK with
--quick (a smoke run: every path once, figures meaningless).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
from rich.console import Console
from rich.table import Table

from bench.figures import record
from bench.harness import Options, asyncpg_url, median_ms, temporary_database

NAME = "engagement"
DESCRIPTION = "community.engagement over 10,000 members and 500,000 activities vs the same SQL and a bare count"
DAYS = 60
SEED = 11
PASSWORD_HASH = "$argon2id$v=19$m=65536,t=3,p=4$bench$bench"  # never checked: nobody logs in
# What a community's log is made of, roughly: mostly reactions and comments, some posts.
VERB_SHARES = {
    "REACTED": 0.40,
    "COMMENTED": 0.22,
    "POSTED": 0.08,
    "KUDOS": 0.03,
    "RSVP": 0.04,
    "ANSWER_ACCEPTED": 0.02,
    "BADGE_AWARDED": 0.03,
    "LEVEL_UP": 0.01,
    "CHECKED_IN": 0.02,
    "TASK_ASSIGNED": 0.01,
    "WELCOMED": 0.01,
}  # plus a JOINED for each newcomer, when they joined
PERIODS = ("DAY", "WEEK", "MONTH", "ALL")


@dataclass(frozen=True)
class Scale:
    members: int
    newcomers: int  # of the members, joined during the DAYS days (the others before)
    activities: int
    rsvps_per_event: int
    repeats: int  # timed calls per figure (median kept)


FULL = Scale(members=10_000, newcomers=2_000, activities=500_000, rsvps_per_event=150, repeats=11)
QUICK = Scale(members=500, newcomers=100, activities=5_000, rsvps_per_event=20, repeats=3)
COUNT_SQL = "SELECT count(*) FROM activity WHERE community_id = $1 AND created_at >= $2 AND created_at < $3"


async def run(options: Options, console: Console) -> None:
    os.environ.setdefault("SECRET_KEY", "cercle-bench-secret-key-long-enough-for-hs256")
    from tortoise import Tortoise

    import settings
    from manage import run_migrations

    scale = QUICK if options.quick else FULL
    console.rule(f"[bold]engagement[/bold]: {DESCRIPTION}")
    async with temporary_database(f"cercle_bench_engagement_{os.getpid()}") as url:
        await run_migrations(url)
        await Tortoise.init(config=settings.tortoise_config(url))
        try:
            with console.status(
                f"Seeding {scale.members:,} members and {scale.activities:,} activities over {DAYS} days..."
            ):
                community_id, sizes = await seed(url, scale)
            with console.status("Timing the report from the raw tables (nothing rolled up yet)..."):
                raw = await raw_report_ms(community_id, scale.repeats)
            with console.status("Rolling up every closed day..."):
                rollup_s = await roll_up_everything()
                await vacuum_rollups(url)
            with console.status("Timing the report from the rollups per period..."):
                timings, statements, plan = await measure(url, community_id, scale.repeats)
        finally:
            await Tortoise.close_connections()
    for period, ms in raw.items():
        timings[period]["raw tables"] = ms
    report(timings, statements, plan, sizes, scale.repeats, console)
    console.print(
        f"Rolling up the {DAYS + 10} days from scratch took {rollup_s:.1f} s (the scheduler, in the background)."
    )
    record_figures(timings, rollup_s)


# --- seeding -------------------------------------------------------------------------------------


async def seed(url: str, scale: Scale) -> tuple[int, dict[str, int]]:
    """The community and its rows, by COPY; (community id, rows per table)."""
    rng = random.Random(SEED)
    now = datetime.now(UTC)
    began = now - timedelta(days=DAYS + 10)
    connection = await asyncpg.connect(asyncpg_url(url))
    try:
        members = list(range(1, scale.members + 1))
        await connection.copy_records_to_table(
            "member",
            records=[(m, f"eng{m:05d}", f"eng{m:05d}@bench.invalid", PASSWORD_HASH, f"M {m}", began) for m in members],
            columns=["id", "username", "email", "password_hash", "display_name", "joined_at"],
        )
        community_id = await connection.fetchval(
            "INSERT INTO community (slug, name, created_by_id, created_at)"
            " VALUES ('bench-engagement', 'Bench Engagement', 1, $1) RETURNING id",
            began,
        )
        old_hands = scale.members - scale.newcomers
        joined = {m: began + timedelta(minutes=m) for m in members[:old_hands]}
        joined |= {m: now - timedelta(seconds=rng.random() * DAYS * 86400) for m in members[old_hands:]}
        await connection.copy_records_to_table(
            "membership",
            records=[(m, community_id, "OWNER" if m == 1 else "MEMBER", at) for m, at in joined.items()],
            columns=["member_id", "community_id", "role", "joined_at"],
        )
        rows = _activity_rows(rng, now, scale, joined)
        sizes = await _copy_content(connection, community_id, rng, rows, scale)
        await connection.copy_records_to_table(
            "activity",
            records=[(community_id, seq, actor, verb, "{}", at) for seq, (at, actor, verb) in enumerate(rows, 1)],
            columns=["community_id", "seq", "actor_id", "verb", "payload", "created_at"],
        )
        await connection.execute("UPDATE community SET activity_seq = $1 WHERE id = $2", len(rows), community_id)
        sizes |= {"member": scale.members, "activity": len(rows)}
        for table in ("member", "membership", "post", "comment"):
            await connection.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")
        await connection.execute("VACUUM ANALYZE")
        await connection.execute("CHECKPOINT")  # the seed's writes reach the disk now, not during the timings
    finally:
        await connection.close()
    return community_id, sizes


def _activity_rows(rng: random.Random, now: datetime, scale: Scale, joined: dict[int, datetime]) -> list[tuple]:
    """(at, actor, verb) in time order; a few members do most, as in real communities, once they have joined."""
    verbs, weights = list(VERB_SHARES), list(VERB_SHARES.values())
    span = DAYS * 86400
    rows = []
    for verb in rng.choices(verbs, weights, k=scale.activities - scale.newcomers):
        at, actor = now - timedelta(seconds=rng.random() * span), 1 + int(scale.members * rng.random() ** 3)
        if joined[actor] > at:  # not a member yet: someone who was
            actor = 1 + int((scale.members - scale.newcomers) * rng.random() ** 3)
        rows.append((at, actor, verb))
    rows += [(at, member, "JOINED") for member, at in joined.items() if at > now - timedelta(days=DAYS)]
    return sorted(rows)


async def _copy_content(
    connection: asyncpg.Connection, community_id: int, rng: random.Random, rows: list, scale: Scale
) -> dict:
    """Posts, comments, reactions and kudos for the POSTED, COMMENTED, REACTED and KUDOS rows; events and RSVPs."""
    posts, comments, reactions, kudos, seen = [], [], [], [], set()

    def recent(items: list) -> int:  # the id of one of the last 300 posts or comments, the newest most often
        return len(items) - int(rng.random() ** 2 * min(len(items), 300))

    for at, actor, verb in rows:
        if verb == "POSTED" or not posts:
            kind = "QUESTION" if rng.random() < 0.25 else "DISCUSSION"
            posts.append((len(posts) + 1, community_id, actor, kind, "PUBLISHED", "A post", "text", "<p>.</p>", at, at))
        elif verb == "COMMENTED":
            comments.append((len(comments) + 1, recent(posts), actor, "a comment", "<p>a comment</p>", at))
        elif verb == "REACTED":
            on_comment = comments and rng.random() < 0.3
            key = (actor, "comment" if on_comment else "post", recent(comments if on_comment else posts))
            key += (rng.choice(["LIKE", "INSIGHTFUL", "THANKS", "CELEBRATE"]),)
            if key not in seen:  # one reaction of a kind per member and target
                seen.add(key)
                reactions.append((*key, at))
        elif verb == "KUDOS":
            kudos.append((community_id, actor, 1 + int(scale.members * rng.random()), "thanks", at))
    post_columns = ["id", "community_id", "author_id", "kind", "status", "title", "body", "body_html"]
    await connection.copy_records_to_table("post", records=posts, columns=[*post_columns, "created_at", "published_at"])
    await connection.copy_records_to_table(
        "comment", records=comments, columns=["id", "post_id", "author_id", "body", "body_html", "created_at"]
    )
    await connection.copy_records_to_table(
        "reaction", records=reactions, columns=["member_id", "target_type", "target_id", "kind", "created_at"]
    )
    await connection.copy_records_to_table(
        "kudos", records=kudos, columns=["community_id", "giver_id", "receiver_id", "message", "created_at"]
    )
    sizes = {"post": len(posts), "comment": len(comments), "reaction": len(reactions), "kudos": len(kudos)}
    sizes["rsvp"] = await _copy_events(connection, community_id, rng, rows[-1][0], scale)
    return sizes


async def _copy_events(
    connection: asyncpg.Connection, community_id: int, rng: random.Random, now: datetime, scale: Scale
) -> int:
    """An event every other day, the scale's RSVPs each: most GOING, some waitlisted, about 70% checked in."""
    records = []
    for n in range(DAYS // 2):
        starts = now - timedelta(days=2 * n + 1)
        event_id = await connection.fetchval(
            "INSERT INTO event (community_id, title, starts_at, ends_at, created_by_id, created_at)"
            " VALUES ($1, 'Meetup', $2, $3, 1, $4) RETURNING id",
            community_id,
            starts,
            starts + timedelta(hours=2),
            starts - timedelta(days=7),
        )
        for member in rng.sample(range(1, scale.members + 1), scale.rsvps_per_event):
            status = rng.choices(["GOING", "MAYBE", "DECLINED"], [0.7, 0.2, 0.1])[0]
            waitlisted = starts - timedelta(days=1) if status == "GOING" and rng.random() < 0.1 else None
            checked_in = starts if status == "GOING" and rng.random() < 0.7 else None
            records.append((event_id, member, status, waitlisted, checked_in, starts, starts))
    await connection.copy_records_to_table(
        "rsvp",
        records=records,
        columns=["event_id", "member_id", "status", "waitlisted_at", "checked_in_at", "created_at", "updated_at"],
    )
    return len(records)


# --- measuring ----------------------------------------------------------------------------------


async def raw_report_ms(community_id: int, repeats: int) -> dict[str, float]:
    """{period: median ms} of the report while nothing is rolled up: the report as it was before the rollups."""
    from resolvers.engagement.report import engagement_report

    return {
        period: await median_ms(lambda period=period: engagement_report(community_id, period), repeats)
        for period in PERIODS
    }


async def roll_up_everything() -> float:
    """Seconds the scheduler's job takes to roll up every closed day (a month per run)."""
    from resolvers.engagement.rollups import roll_up_engagement

    started = time.perf_counter()
    while await roll_up_engagement():
        pass
    return time.perf_counter() - started


async def vacuum_rollups(url: str) -> None:
    """As autovacuum does after inserts (PostgreSQL 13+): the report then reads member-days from the index alone."""
    connection = await asyncpg.connect(asyncpg_url(url))
    try:
        await connection.execute("VACUUM ANALYZE engagement_member_day, engagement_day, engagement_question")
    finally:
        await connection.close()


def raw_statements(
    community_id: int, start: datetime, end: datetime, unrolled: datetime
) -> dict[str, tuple[str, list[Any]]]:
    """The report's six statements as PostgreSQL receives them: {name: (sql, arguments)}."""
    from resolvers.engagement import report as engagement

    dialect = engagement.Dialect("postgres")
    params = engagement.period_params(community_id, start, end, unrolled)
    texts = {
        "community": engagement.COMMUNITY_SQL,
        "people": engagement.people_sql(dialect),
        "content": engagement.content_sql(dialect, engagement.raw_days(params)),
        "rolled days": engagement.ROLLED_DAYS_SQL,
        "questions": engagement.questions_sql(dialect),
        "events": engagement.EVENTS_SQL,
    }
    return {name: dialect.bind(sql, params) for name, sql in texts.items()}


async def measure(url: str, community_id: int, repeats: int) -> tuple[dict, dict[str, float], str]:
    """{period: {column: median ms}}, MONTH's ms per statement, and the plan of the heaviest one."""
    from resolvers.engagement import report as engagement
    from resolvers.engagement.report import engagement_report

    pool = await asyncpg.create_pool(asyncpg_url(url), min_size=4, max_size=4)
    timings, per_statement, plan = {}, {}, ""
    try:
        for period in PERIODS:
            report = await engagement_report(community_id, period)
            unrolled = await unrolled_from(pool, community_id, report.since, report.until)
            statements = list(raw_statements(community_id, report.since, report.until, unrolled).values())
            kept_day = engagement.period_params(community_id, report.since, report.until, unrolled)["kept_day"]

            async def one_after_another(statements: list = statements, kept_day: date = kept_day) -> None:
                answers = [await fetch_once(pool, sql, args) for sql, args in statements]
                engagement.counted(*answers[1:4], kept_day)

            async def at_once(statements: list = statements, kept_day: date = kept_day) -> None:  # as the report
                community_sql, community_args = statements[0]
                await fetch_once(pool, community_sql, community_args)
                answers = await asyncio.gather(*(fetch_once(pool, sql, args) for sql, args in statements[1:]))
                engagement.counted(*answers[:3], kept_day)  # people, content, rolled days: the bitmaps' union

            timings[period] = {
                "report": await median_ms(lambda period=period: engagement_report(community_id, period), repeats),
                "raw, at once": await median_ms(at_once, repeats),
                "raw, one after another": await median_ms(one_after_another, repeats),
                "count": await median_ms(
                    lambda r=report: pool.fetchval(COUNT_SQL, community_id, r.since, r.until), repeats
                ),
            }
            if period == "MONTH":
                named = raw_statements(community_id, report.since, report.until, unrolled)
                for name, (sql, args) in named.items():
                    per_statement[name] = await median_ms(lambda s=sql, a=args: fetch_once(pool, s, a), repeats)
                heaviest = max(per_statement, key=per_statement.__getitem__)
                answers = [await fetch_once(pool, sql, args) for sql, args in list(named.values())[1:4]]

                async def union(answers: list = answers, kept_day: date = kept_day) -> None:
                    engagement.counted(*answers, kept_day)

                per_statement["the bitmaps' union, in Python"] = await median_ms(union, repeats)
                sql, args = named[heaviest]
                rows = await pool.fetch("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, *args)
                plan = f"{heaviest}:\n" + "\n".join(row[0] for row in rows)
    finally:
        await pool.close()
    return timings, per_statement, plan


async def unrolled_from(pool: asyncpg.Pool, community_id: int, start: datetime, end: datetime) -> datetime:
    """Where the report's raw part begins, as the report finds it."""
    from resolvers.engagement import report as engagement

    sql, args = engagement.Dialect("postgres").bind(
        engagement.COMMUNITY_SQL, {"community": community_id, "end": end, "start": start}
    )
    return engagement.unrolled_from(start, end, dict(await pool.fetchrow(sql, *args)))


async def fetch_once(pool: asyncpg.Pool, sql: str, args: list) -> list[dict]:
    """As the report reads: a statement prepared for the call, so planned for its parameters (see sql.fetch)."""
    async with pool.acquire() as connection:
        return [dict(row) for row in await (await connection.prepare(sql)).fetch(*args)]


# --- report --------------------------------------------------------------------------------------


def report(timings: dict, statements: dict, plan: str, sizes: dict, repeats: int, console: Console) -> None:
    console.print("[dim]Rows: " + ", ".join(f"{table} {n:,}" for table, n in sizes.items()) + "[/dim]")
    table = Table(title=f"community.engagement, median of {repeats} (ms)", title_justify="left")
    columns = {
        "raw tables": "before: from the raw tables",
        "report": "engagement_report from rollups",
        "raw, at once": "same SQL, raw asyncpg, at once",
        "raw, one after another": "same SQL, one after another",
        "count": "count(*) of the period's activity",
    }
    ratio_columns = ("before ÷ rollups", "report ÷ same SQL at once", "report ÷ count")
    for column in ("period", *columns.values(), *ratio_columns):
        table.add_column(column, justify="left" if column == "period" else "right")
    for period, ms in timings.items():
        ratios = (ms["raw tables"] / ms["report"], ms["report"] / ms["raw, at once"], ms["report"] / ms["count"])
        table.add_row(period, *(f"{ms[key]:.1f}" for key in columns), *(f"{ratio:.2f}" for ratio in ratios))
    console.print(table, soft_wrap=True)
    each = Table(title="MONTH, statement by statement, raw asyncpg (median ms)", title_justify="left")
    each.add_column("statement")
    each.add_column("ms", justify="right")
    for name, ms in statements.items():
        each.add_row(name, f"{ms:.1f}")
    console.print(each)
    console.print(f"[bold]Plan of the heaviest MONTH statement, {plan.splitlines()[0]}[/bold]")
    console.print("[dim]" + "\n".join(plan.splitlines()[1:]) + "[/dim]", highlight=False, soft_wrap=True)


GOALS = {"MONTH": "< 40 ms", "ALL": "< 60 ms"}


def record_figures(timings: dict, rollup_s: float) -> None:
    for period, ms in timings.items():
        record(
            f"engagement.{period.lower()}_ms",
            ms["report"],
            "ms",
            label=f"engagement report {period} from rollups (baseline: from the raw tables)",
            baseline=ms["raw tables"],
            goal=GOALS.get(period, ""),
        )
    record("engagement.rollup_s", rollup_s, "s", label=f"rolling up {DAYS + 10} days from scratch (scheduler)")
