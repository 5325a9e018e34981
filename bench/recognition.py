"""Recognition: what the engagement rules add to a write, and leaderboards at scale.

One run on a fresh PostgreSQL database:

1. Writes. A community of `writers` members; the same writes (a post, an answer
   to a question, a reaction) through the resolvers, timed with every rule
   evaluated (ledger rows, caps, levels, badges, the weekly standing and its
   notifications) and with the rules switched off (the three reward calls
   replaced by no-ops, as if Cercle had no recognition). Every writer has
   posted twice before the rounds (a first post earns its badge, and ten points
   the first level, once in a member's life; the rounds time the writes members
   make every day). Rounds alternate on and off; medians per write, SQL
   statements per write, ratio on ÷ off.
2. Leaderboards. `board_members` active members and `ledger_rows` ledger rows
   spread over a year (a few members earn most, as in real communities), all
   in one community. Each query the API runs (the board per period, a
   member's rank, the weekly top every points-writing transaction reads),
   timed through the ORM against the same SQL sent by raw asyncpg (the
   baseline), with PostgreSQL's plan for the weekly and all-time boards.

Sizes: FULL, or QUICK with --quick (a smoke run: every path once, figures meaningless).
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg
from rich.console import Console
from rich.table import Table

from bench.figures import record
from bench.harness import BenchmarkFailed, Options, asyncpg_url, median_ms, temporary_database
from resolvers.communities.creation import do_create_community
from resolvers.communities.membership import do_join_community
from resolvers.posts.comments import do_add_comment
from resolvers.posts.reactions import do_react

NAME = "recognition"
DESCRIPTION = "a write with the engagement rules on vs off; leaderboards over 10,000 members and 1,000,000 rows"
SEED = 7
PASSWORD_HASH = "$argon2id$v=19$m=65536,t=3,p=4$bench$bench"  # never checked: nobody logs in


@dataclass(frozen=True)
class Scale:
    writers: int  # members of the community the writes are timed in
    board_members: int  # members of the leaderboard community
    ledger_rows: int  # its points ledger
    repeats: int  # timed calls per leaderboard query (median kept)


FULL = Scale(writers=200, board_members=10_000, ledger_rows=1_000_000, repeats=21)
QUICK = Scale(writers=20, board_members=1_000, ledger_rows=20_000, repeats=3)


async def run(options: Options, console: Console) -> None:
    os.environ.setdefault("SECRET_KEY", "cercle-bench-secret-key-long-enough-for-hs256")
    from tortoise import Tortoise

    import settings
    from manage import run_migrations

    settings.RATE_LIMIT_MUTATIONS = "1000000/minute"  # the writes measure the rules, not the limiter
    scale = QUICK if options.quick else FULL
    console.rule(f"[bold]recognition[/bold]: {DESCRIPTION}")
    async with temporary_database(f"cercle_bench_recognition_{os.getpid()}") as url:
        await run_migrations(url)
        await Tortoise.init(config=settings.tortoise_config(url))
        try:
            with console.status("Seeding the writers' community..."):
                writers = await seed_writers(scale.writers)
            writes = await measure_writes(writers, options, console)
            with console.status(f"Seeding {scale.board_members:,} members and {scale.ledger_rows:,} ledger rows..."):
                community_id, middle_member = await seed_board(url, scale)
            boards, folds, plans = await measure_boards(url, community_id, middle_member, scale)
        finally:
            await Tortoise.close_connections()
    report_writes(writes, console)
    report_boards(boards, folds, plans, scale, console)


# --- 1. writes ---------------------------------------------------------------------------------


async def seed_writers(count: int) -> dict:
    """`count` members in one community, and questions to answer."""
    from models.communities import JoinPolicy, Visibility
    from models.members import Member
    from models.posts import PostKind
    from resolvers.context import Context
    from resolvers.posts import posts

    await Member.bulk_create(
        [
            Member(
                username=f"writer{i:03d}",
                email=f"writer{i:03d}@bench.cercle.invalid",
                password_hash=PASSWORD_HASH,
                display_name=f"Writer {i}",
            )
            for i in range(count)
        ]
    )
    ids = await Member.filter(username__startswith="writer").order_by("id").values_list("id", flat=True)
    contexts = [Context(viewer_id=member_id, ip=f"bench-{member_id}") for member_id in ids]
    community = await do_create_community(
        contexts[0],
        name="Bench Recognition",
        slug="bench-recognition",
        description=None,
        visibility=Visibility.PUBLIC,
        join_policy=JoinPolicy.OPEN,
    )
    for ctx in contexts[1:]:
        await do_join_community(ctx, community.slug, None)
    question = posts.NewPost(community_slug=community.slug, title="A question", body="How?", kind=PostKind.QUESTION)
    questions = [await posts.do_create_post(contexts[0], question) for _ in range(5)]
    return {"slug": community.slug, "contexts": contexts, "questions": questions}


def write_kinds(writers: dict) -> dict[str, Callable[[int], Awaitable[object]]]:
    """Each write as a function of its number n: member n+1 of the community, never on their own content."""
    from models.posts import PostKind, ReactionKind
    from resolvers.posts import posts
    from tests.factories import gid

    contexts, questions, slug = writers["contexts"], writers["questions"], writers["slug"]
    writer = [contexts[1 + n % (len(contexts) - 1)] for n in range(len(contexts) - 1)]  # all but the asker
    targets: list = []  # (post, its author's index in `contexts`)

    async def post(n: int) -> None:
        ctx = contexts[n % len(contexts)]
        new = posts.NewPost(community_slug=slug, title=f"Post {n}", body="Some *text*", kind=PostKind.DISCUSSION)
        targets.append((await posts.do_create_post(ctx, new), n % len(contexts)))

    async def answer(n: int) -> None:
        await do_add_comment(writer[n % len(writer)], gid(questions[n % len(questions)]), f"Answer {n}", None)

    async def react(n: int) -> None:
        # a different reactor for each pass over the posts: every (reactor, post) pair is new
        target, author = targets[n % len(targets)]
        reactor = contexts[(author + 1 + n // len(targets)) % len(contexts)]
        await do_react(reactor, gid(target), ReactionKind.LIKE, True)

    return {"post": post, "answer": answer, "reaction": react}


def rules_switched(on: bool) -> None:
    """Off: the reward calls of every write become no-ops (nothing else changes)."""
    from resolvers.posts import comments, posts, reactions
    from resolvers.recognition import rewards

    async def nothing(*_: object, **__: object) -> None:
        return None

    for module, name in ((posts, "reward_post"), (comments, "reward_comment"), (reactions, "reward_reaction")):
        setattr(module, name, getattr(rewards, name) if on else nothing)


async def measure_writes(writers: dict, options: Options, console: Console) -> dict[str, dict[str, float]]:
    """{kind: {"on": median ms, "off": ..., "sql_on": statements, "sql_off": ...}}."""
    from tests.factories import count_queries

    kinds = write_kinds(writers)
    per_round = max(10, options.requests // 4)
    timings: dict[str, dict[bool, list[float]]] = {kind: {True: [], False: []} for kind in kinds}
    statements: dict[str, dict[bool, list[int]]] = {kind: {} for kind in kinds}  # one counted write per round
    n = 0
    with console.status("Writes with the rules on and off, alternating..."):
        for _ in range(2 * len(writers["contexts"])):  # every writer's first two posts (a badge, a level), untimed
            await kinds["post"](n)
            n += 1
        for _ in range(options.warmup // 10 + 1):  # warm-up: every path once, untimed
            for write in kinds.values():
                await write(n)
                n += 1
        for round_number in range(2 * options.rounds):
            on = round_number % 2 == 0
            rules_switched(on)
            for kind, write in kinds.items():
                with count_queries() as sql:
                    await write(n)
                n += 1
                statements[kind].setdefault(on, []).append(len(sql))
                for _ in range(per_round):
                    started = time.perf_counter()
                    await write(n)
                    timings[kind][on].append(time.perf_counter() - started)
                    n += 1
        rules_switched(True)
    return {
        kind: {
            "on": 1000 * statistics.median(timings[kind][True]),
            "off": 1000 * statistics.median(timings[kind][False]),
            "sql_on": max(statements[kind][True]),
            "sql_off": max(statements[kind][False]),
        }
        for kind in kinds
    }


# --- 2. leaderboards ---------------------------------------------------------------------------


async def seed_board(url: str, scale: Scale) -> tuple[int, int]:
    """The scale's members and ledger rows in one community, by COPY; (community, a mid-table member)."""
    board_members = scale.board_members
    rng = random.Random(SEED)
    now = datetime.now(UTC)
    connection = await asyncpg.connect(asyncpg_url(url))
    try:
        first_id = await connection.fetchval("SELECT coalesce(max(id), 0) + 1 FROM member")
        members = [
            (first_id + i, f"board{i:05d}", f"board{i:05d}@bench.cercle.invalid", PASSWORD_HASH, f"Board {i}", now)
            for i in range(board_members)
        ]
        await connection.copy_records_to_table(
            "member",
            records=members,
            columns=["id", "username", "email", "password_hash", "display_name", "joined_at"],
        )
        await connection.execute("SELECT setval(pg_get_serial_sequence('member', 'id'), $1)", first_id + board_members)
        community_id = await connection.fetchval(
            "INSERT INTO community (slug, name, created_by_id, created_at)"
            " VALUES ('bench-board', 'Bench Board', $1, $2) RETURNING id",
            first_id,
            now,
        )
        await connection.copy_records_to_table(
            "membership",
            records=[(first_id + i, community_id, now) for i in range(board_members)],
            columns=["member_id", "community_id", "joined_at"],
        )
        amounts = [1, 1, 1, 2, 2, 5, 5, 10, 15]
        year = timedelta(days=365).total_seconds()

        def rows():  # noqa: ANN202 - a generator of COPY records
            for _ in range(scale.ledger_rows):
                member = first_id + int(board_members * rng.random() ** 3)  # a few members earn most
                moment = now - timedelta(seconds=rng.random() * year)
                yield (member, community_id, rng.choice(amounts), "BENCH", moment)

        await connection.copy_records_to_table(
            "points_entry", records=rows(), columns=["member_id", "community_id", "amount", "reason", "created_at"]
        )
        await connection.execute("VACUUM ANALYZE points_entry")
        await connection.execute("ANALYZE membership")
    finally:
        await connection.close()
    return community_id, first_id + board_members // 2


TAIL_SHARE = 1000  # rows written after the snapshot: one per this many of the ledger (1,000 at full size)


async def seed_tail(url: str, community_id: int, rows: int) -> None:
    """Ledger rows after the snapshot, as the writes of the minutes since the last fold would leave them."""
    rng = random.Random(SEED + 1)
    now = datetime.now(UTC)
    connection = await asyncpg.connect(asyncpg_url(url))
    try:
        members = await connection.fetch("SELECT member_id FROM membership WHERE community_id = $1", community_id)
        ids = [row["member_id"] for row in members]
        records = [
            (ids[int(len(ids) * rng.random() ** 3)], community_id, rng.choice([1, 2, 5, -1]), "BENCH",
             now - timedelta(seconds=rng.random() * 900))
            for _ in range(rows)
        ]  # fmt: skip
        await connection.copy_records_to_table(
            "points_entry", records=records, columns=["member_id", "community_id", "amount", "reason", "created_at"]
        )
        await connection.execute("ANALYZE points_entry")
    finally:
        await connection.close()


@dataclass(frozen=True)
class BoardQuery:
    label: str
    figure: str  # its name in bench.figures
    snapshot: Callable[[], Awaitable[object]]  # what Cercle runs: the snapshot's totals plus the tail
    full_sum: Callable[[], Awaitable[object]]  # before: a SUM over the whole ledger (the baseline)


async def measure_boards(
    url: str, community_id: int, member_id: int, scale: Scale
) -> tuple[list[tuple[BoardQuery, float, float]], dict[str, float], dict[str, str]]:
    """[(query, snapshot median ms, full SUM median ms)], the folds' times, and PostgreSQL's plans."""
    from tortoise import connections

    from resolvers.recognition import standings, totals
    from resolvers.recognition.standings import Period

    started = time.perf_counter()
    await totals.fold_ledgers()  # the first fold sums the whole ledger
    folds = {"first": 1000 * (time.perf_counter() - started)}
    await connections.get("default").execute_script("VACUUM ANALYZE points_total")  # as autovacuum does after it
    await seed_tail(url, community_id, scale.ledger_rows // TAIL_SHARE)
    board_queries = [
        BoardQuery(
            f"leaderboard({period.value}, first: 10)",
            f"leaderboard.{period.value.lower()}_ms",
            lambda period=period: totals.top(community_id, period, 10),
            lambda period=period: standings.top(community_id, period, 10),
        )
        for period in (Period.ALL, Period.MONTH, Period.WEEK)
    ] + [
        BoardQuery(
            f"viewerRank({period.value}), a mid-table member",
            f"leaderboard.rank_{period.value.lower()}_ms",
            lambda period=period: totals.rank_of(community_id, period, member_id),
            lambda period=period: standings.rank_of(community_id, period, member_id),
        )
        for period in (Period.ALL, Period.MONTH)
    ]
    for query in board_queries:  # the same answers both ways, or the figures mean nothing
        if await query.snapshot() != await query.full_sum():
            raise BenchmarkFailed(f"{query.label}: the snapshot's answer is not the full sum's")
    results = [(q, await median_ms(q.snapshot, scale.repeats), await median_ms(q.full_sum, scale.repeats))
               for q in board_queries]  # fmt: skip
    conn = connections.get("default")
    plans = {}
    for label, sql, params in (
        (
            "leaderboard(ALL, first: 10)",
            totals.TOP_SQL,
            {"first": 10, **await totals.board_params(conn, community_id, Period.ALL, None)},
        ),
        (
            "viewerRank(ALL)",
            totals.RANK_SQL,
            {"member": member_id, **await totals.board_params(conn, community_id, Period.ALL, None)},
        ),
        (
            "leaderboard(MONTH, first: 10)",
            totals.TOP_SQL,
            {"first": 10, **await totals.board_params(conn, community_id, Period.MONTH, None)},
        ),
    ):
        text, values = totals.bind(conn, sql, params)
        rows = await conn.execute_query_dict("EXPLAIN (ANALYZE, COSTS OFF) " + text, values)
        plans[label] = "\n".join(row["QUERY PLAN"] for row in rows)
    started = time.perf_counter()
    await totals.fold_ledgers()
    folds["tail"] = 1000 * (time.perf_counter() - started)
    return results, folds, plans


# --- report ------------------------------------------------------------------------------------


def report_boards(boards: list, folds: dict[str, float], plans: dict[str, str], scale: Scale, console: Console) -> None:
    board = Table(
        title=f"Leaderboards: {scale.board_members:,} members, {scale.ledger_rows:,} ledger rows in one community,"
        f" {scale.ledger_rows // TAIL_SHARE:,} of them after the snapshot (median ms)",
        title_justify="left",
    )
    for column in ("query", "Cercle (snapshot + tail)", "before (a SUM over the ledger)", "ratio"):
        board.add_column(column, justify="left" if column == "query" else "right")
    for query, snapshot, full_sum in boards:
        board.add_row(query.label, f"{snapshot:.2f}", f"{full_sum:.1f}", f"{snapshot / full_sum:.3f}")
        record(query.figure, snapshot, "ms", label=query.label, baseline=full_sum, goal="< 10 ms")
    console.print(board)
    console.print(
        f"Folding into the snapshot: the whole ledger {folds['first']:.0f} ms (once),"
        f" then the {scale.ledger_rows // TAIL_SHARE:,} rows after it {folds['tail']:.1f} ms (every scheduler tick)"
    )
    record("leaderboard.fold_all_ms", folds["first"], "ms", label="first fold of the whole ledger")
    record("leaderboard.fold_tail_ms", folds["tail"], "ms", label="a fold of the rows after the snapshot")
    for label, plan in plans.items():
        console.print(f"[bold]Plan of {label}[/bold]\n[dim]{plan}[/dim]")


def report_writes(writes: dict, console: Console) -> None:
    table = Table(title="A write with the engagement rules on and off (median ms per write)", title_justify="left")
    for column in ("write", "rules on", "rules off", "on ÷ off", "most SQL on", "most SQL off"):
        table.add_column(column, justify="left" if column == "write" else "right")
    for kind, m in writes.items():
        ratio = m["on"] / m["off"]
        table.add_row(kind, f"{m['on']:.2f}", f"{m['off']:.2f}", f"{ratio:.2f}", str(m["sql_on"]), str(m["sql_off"]))
        what = f"{kind}: a write with every engagement rule"
        record(f"rules.{kind}.ratio", ratio, "x", label=f"{what}, ÷ rules off", goal="<= 2x")
        record(f"rules.{kind}.on_ms", m["on"], "ms", label=f"{what} (median)", baseline=m["off"], goal="<= 2x")
        record(f"rules.{kind}.off_ms", m["off"], "ms", label=f"{kind}: the write, rules off (median)")
        record(
            f"rules.{kind}.statements_on", m["sql_on"], "statements", label=f"{what}, most SQL", baseline=m["sql_off"]
        )
