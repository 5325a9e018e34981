"""Query overhead: a 20-post feed through the whole Cercle stack, against the same rows fetched
with the raw asyncpg driver and serialised with orjson, measured in the same run.

One run: a fresh PostgreSQL database, migrated and seeded with a community of ~200 posts
(authors, tags, reactions, comments); then requests/s of

- the baseline in a plain loop (asyncpg + orjson, in this process),
- Cercle's GraphQL executed in this process (schema + resolvers + ORM, no HTTP),
- the baseline behind a minimal Starlette endpoint in its own uvicorn process,
- Cercle over HTTP: the real app in its own uvicorn process,

each with the same number of concurrent clients, after a warm-up. Cercle over HTTP against the
baseline over HTTP isolates the GraphQL + ORM overhead; against the plain loop it is the cost of
the whole stack. Figures are printed, never asserted.
"""

from __future__ import annotations

import contextlib
import os
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import orjson
from rich.console import Console
from rich.table import Table

from bench.figures import record
from bench.harness import (
    BenchmarkFailed,
    Measurement,
    Options,
    asyncpg_url,
    closed_loop,
    http_worker,
    rate_text,
    running_server,
    temporary_database,
)
from bench.rawfeed import FEED_SIZE, STATEMENTS_PER_FEED, feed_json
from resolvers.communities.creation import do_create_community
from resolvers.communities.membership import do_join_community
from tests.factories import count_queries  # the same counter the query-count tests use

NAME = "feed"
DESCRIPTION = "query overhead: a 20-post feed through GraphQL + ORM vs raw asyncpg + orjson"

SLUG = "bench-feed"
POSTS, QUICK_POSTS = 200, 40  # a feed page is 20: --quick still fills two
MEMBERS = 16
SEED = 20_251_124
FEED_QUERY = (
    "query Feed($slug: String!) { community(slug: $slug) { posts(first: 20) { edges { node { "
    "id title bodyHtml tags createdAt author { username displayName } "
    "reactions { total counts { kind count } } commentCount } } } } }"
)
FEED_BODY = orjson.dumps({"query": FEED_QUERY, "variables": {"slug": SLUG}, "operationName": "Feed"})

TAGS = [
    "python",
    "design",
    "writing",
    "events",
    "moderation",
    "postgres",
    "asyncio",
    "typography",
    "devops",
    "sql",
    "accessibility",
    "meetup",
    "career",
    "open-source",
    "testing",
]
SKILLS = ["python", "design", "writing", "events", "moderation", "sql", "devops", "javascript"]
PARAGRAPHS = [
    "We tried **three approaches** this week and measured each one; the numbers surprised us.",
    "Here is the short version:\n\n- keep the loop small\n- measure before optimising\n- write it down",
    "```python\nasync def main():\n    async with pool.acquire() as conn:\n        await conn.fetch(query)\n```",
    "> Make it work, make it right, make it fast, in that order.",
    "Questions welcome in the comments: I will collect the answers in a follow-up *post*.",
    "| step | time |\n|---|---|\n| parse | 2 ms |\n| plan | 1 ms |\n| run | 5 ms |",
    "Thanks to everyone who came to the meetup, and see [the slides](https://example.org/slides).",
]
COMMENTS = [
    "Great write-up, thank you!",
    "Did you try it with *more* data?",
    "Same here: `EXPLAIN ANALYZE` showed the index was not used.",
    "I would add a test for the empty case.",
    "+1, bookmarked for the next meetup.",
]


# --- seeding -----------------------------------------------------------------------------------


async def seed(database_url: str, posts: int) -> dict[str, int]:
    """Members and the community through the resolvers; the bulk of the content in bulk inserts."""
    from models.communities import JoinPolicy, Visibility
    from models.posts import Comment, Post, PostKind, PostStatus, PostTag, Reaction, ReactionKind, TargetType
    from resolvers.context import Context
    from resolvers.markdown import render_markdown
    from resolvers.members import members

    rng = random.Random(SEED)
    member_ids = []
    for i in range(MEMBERS):
        username = f"bench{i:02d}"
        _, member = await members.do_register(
            Context(viewer_id=None, ip=f"bench-{i}"),  # one address each: the login limit stays untouched
            members.Registration(
                username=username,
                email=f"{username}@bench.cercle.invalid",
                password="cercle-bench-password",
                display_name=f"Bench Member {i}",
                bio="Seeded by the feed benchmark.",
                skills=rng.sample(SKILLS, 2),
            ),
        )
        member_ids.append(member.id)
    owner = Context(viewer_id=member_ids[0], ip="bench-0")
    community = await do_create_community(
        owner, name="Bench Feed", slug=SLUG, description=None, visibility=Visibility.PUBLIC, join_policy=JoinPolicy.OPEN
    )
    for i, member_id in enumerate(member_ids[1:], start=1):
        await do_join_community(Context(viewer_id=member_id, ip=f"bench-{i}"), SLUG, None)

    start = datetime.now(UTC) - timedelta(days=10)
    kinds = [PostKind.DISCUSSION, PostKind.DISCUSSION, PostKind.QUESTION, PostKind.ANNOUNCEMENT]
    rendered = []
    for n in range(posts):
        body = "\n\n".join(rng.sample(PARAGRAPHS, rng.randint(2, 4)))
        when = start + timedelta(minutes=67 * n)
        rendered.append(
            Post(
                community_id=community.id,
                author_id=rng.choice(member_ids),
                kind=kinds[n % len(kinds)],
                status=PostStatus.PUBLISHED,
                title=f"Post {n}: notes on {rng.choice(TAGS)}",
                body=body,
                body_html=render_markdown(body),
                created_at=when,
                published_at=when,
            )
        )
    # The members joined before they wrote: their welcome introductions predate the seeded posts.
    introductions = Post.filter(community_id=community.id, kind=PostKind.INTRODUCTION)
    await introductions.update(created_at=start - timedelta(days=1), published_at=start - timedelta(days=1))
    await Post.bulk_create(rendered)
    # Only the posts just inserted get tags, reactions and comments: the introductions have their own tags.
    seeded = Post.filter(community_id=community.id).exclude(kind=PostKind.INTRODUCTION)
    post_ids = await seeded.order_by("id").values_list("id", flat=True)

    tags, reactions, comments = [], [], []
    for post_id in post_ids:
        tags += [PostTag(post_id=post_id, tag=t, position=i) for i, t in enumerate(rng.sample(TAGS, rng.randint(1, 4)))]
        pairs = rng.sample([(m, k) for m in member_ids for k in ReactionKind], rng.randint(0, 12))
        reactions += [Reaction(member_id=m, target_type=TargetType.POST, target_id=post_id, kind=k) for m, k in pairs]
        for _ in range(rng.randint(0, 6)):
            text = rng.choice(COMMENTS)
            comments.append(
                Comment(post_id=post_id, author_id=rng.choice(member_ids), body=text, body_html=render_markdown(text))
            )
    await PostTag.bulk_create(tags)
    await Reaction.bulk_create(reactions)
    await Comment.bulk_create(comments)
    # Threaded replies to a third of the comments.
    parents = await Comment.filter(post__community_id=community.id).values_list("id", "post_id")
    replies = [
        Comment(
            post_id=post_id,
            parent_id=comment_id,
            author_id=rng.choice(member_ids),
            body="A reply.",
            body_html=render_markdown("A reply."),
        )
        for comment_id, post_id in parents
        if rng.random() < 0.33
    ]
    await Comment.bulk_create(replies)
    return {
        "members": len(member_ids),
        "posts": len(post_ids),
        "tags": len(tags),
        "reactions": len(reactions),
        "comments": len(comments) + len(replies),
    }


# --- workers -----------------------------------------------------------------------------------

Worker = Callable[[], contextlib.AbstractAsyncContextManager[Callable[[], Awaitable[bool]]]]


def raw_worker(pool: asyncpg.Pool) -> Worker:
    """The baseline in a plain loop: one pooled connection per client, fetch + orjson."""

    @contextlib.asynccontextmanager
    async def worker() -> AsyncIterator[Callable[[], Awaitable[bool]]]:
        async with pool.acquire() as conn:

            async def send() -> bool:
                return bool(await feed_json(conn, SLUG))

            yield send

    return worker


async def execute_in_process() -> dict[str, Any]:
    """The feed query through Cercle's schema, resolvers and ORM, without HTTP."""
    from resolvers.context import Context
    from schema import schema

    result = await schema.execute(
        FEED_QUERY, variable_values={"slug": SLUG}, context_value=Context(viewer_id=None, ip="bench")
    )
    response: dict[str, Any] = {"data": result.data}
    if result.errors:
        response["errors"] = [{"message": error.message} for error in result.errors]
    return response


def in_process_worker() -> Worker:
    @contextlib.asynccontextmanager
    async def worker() -> AsyncIterator[Callable[[], Awaitable[bool]]]:
        async def send() -> bool:
            response = await execute_in_process()
            orjson.dumps(response)
            return "errors" not in response

        yield send

    return worker


# --- the benchmark -----------------------------------------------------------------------------


def _feed_shape_ok(body: dict[str, Any]) -> bool:
    edges = ((body.get("data") or {}).get("community") or {}).get("posts", {}).get("edges", [])
    return "errors" not in body and len(edges) == FEED_SIZE


async def run(options: Options, console: Console) -> None:
    # The seeding registers members, which issues tokens: a bench key, not the development one.
    os.environ.setdefault("SECRET_KEY", "cercle-bench-secret-key-long-enough-for-hs256")
    from tortoise import Tortoise

    import settings
    from manage import run_migrations

    console.rule(f"[bold]feed[/bold]: {DESCRIPTION}")
    async with temporary_database(f"cercle_bench_{os.getpid()}") as url:
        await run_migrations(url)
        await Tortoise.init(config=settings.tortoise_config(url))
        try:
            with console.status("Seeding the benchmark community..."):
                counts = await seed(url, QUICK_POSTS if options.quick else POSTS)
            console.print(
                f"Seeded '{SLUG}' on PostgreSQL: "
                + ", ".join(f"{n} {what}" for what, n in counts.items())
                + f". {options.concurrency} concurrent clients, {options.warmup} warm-up requests, "
                f"{options.rounds} round(s) of {options.requests} requests each (median round reported)."
            )
            measurements, same_answers = await _measure(url, options, console)
        finally:
            await Tortoise.close_connections()
    _report(measurements, console)
    failures = [f"{m.label}: {m.errors} failed request(s)" for m in measurements.values() if m.errors]
    if failures or not same_answers:
        raise BenchmarkFailed("; ".join(failures + ([] if same_answers else ["answers differ from the baseline's"])))


async def _measure(url: str, options: Options, console: Console) -> tuple[dict[str, Measurement], bool]:
    """The measurements, and whether every path gave the baseline's answer."""
    out: dict[str, Measurement] = {}
    pool = await asyncpg.create_pool(asyncpg_url(url), min_size=options.concurrency, max_size=options.concurrency)
    try:
        async with pool.acquire() as conn:
            baseline_body = orjson.loads(await feed_json(conn, SLUG))
        with console.status("Baseline: asyncpg + orjson in a plain loop..."):
            out["raw_loop"] = await closed_loop("baseline loop: asyncpg + orjson", raw_worker(pool), options)
            out["raw_loop"].statements = STATEMENTS_PER_FEED
    finally:
        await pool.close()

    in_process_body = await execute_in_process()
    with count_queries() as statements:
        await execute_in_process()
    with console.status("Cercle: GraphQL executed in this process..."):
        out["cercle_local"] = await closed_loop("Cercle in process: GraphQL + ORM", in_process_worker(), options)
        out["cercle_local"].statements = len(statements)

    env = {
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "",
        "SECRET_KEY": "cercle-bench-secret-key-long-enough-for-hs256",
        "SCHEDULER_INTERVAL_SECONDS": "3600",
    }
    async with contextlib.AsyncExitStack() as stack:
        with console.status("Starting the uvicorn servers..."):
            baseline = await stack.enter_async_context(running_server("baseline", "bench.baseline_app:app", env))
            cercle = await stack.enter_async_context(running_server("cercle", "app:app", env))
            async with httpx.AsyncClient() as client:
                http_bodies = {
                    name: (await client.post(server.url + "/graphql", content=FEED_BODY, headers=_JSON)).json()
                    for name, server in (("over HTTP (baseline server)", baseline), ("over HTTP (Cercle)", cercle))
                }
        with console.status("HTTP floor: GET /healthz on the baseline server..."):
            out["floor"] = await closed_loop(
                "HTTP floor: GET /healthz", http_worker(baseline.url + "/healthz"), options
            )
        with console.status("Baseline over HTTP (Starlette + uvicorn)..."):
            out["raw_http"] = await closed_loop(
                "baseline HTTP: Starlette",
                http_worker(baseline.url + "/graphql", FEED_BODY),
                options,
            )
            out["raw_http"].statements = STATEMENTS_PER_FEED
        with console.status("Cercle over HTTP (the whole stack)..."):
            out["cercle_http"] = await closed_loop(
                "Cercle HTTP: whole stack", http_worker(cercle.url + "/graphql", FEED_BODY), options
            )
            out["cercle_http"].statements = len(statements)

    bodies = {"in process (Cercle)": in_process_body, **http_bodies}
    same = all(body == baseline_body for body in bodies.values())
    shapes = all(_feed_shape_ok(body) for body in (baseline_body, *bodies.values()))
    if same and shapes:
        console.print(f"[green]Same {FEED_SIZE}-post answer from the baseline and from Cercle (checked).[/green]")
    else:
        different = ", ".join(name for name, body in bodies.items() if body != baseline_body) or "none"
        console.print(f"[bold red]Answers differ from the baseline loop's ({different}): unequal work.[/]")
    return out, same and shapes


_JSON = {"content-type": "application/json", "accept": "application/json"}


# Each row's stable name (bench/figures.py), a short label, and the row its rate is compared with.
FIGURES = {
    "raw_loop": ("feed.raw_loop", "raw loop", None),
    "cercle_local": ("feed.inprocess", "feed in process", "raw_loop"),
    "floor": ("feed.http_floor", "GET /healthz", None),
    "raw_http": ("feed.raw_http", "raw over HTTP", None),
    "cercle_http": ("feed.http", "feed over HTTP", "raw_http"),
}
GOALS = {"feed.inprocess": "<= 5x", "feed.http": "<= 2.5x"}


def _record(m: dict[str, Measurement]) -> None:
    for key, (name, label, floor) in FIGURES.items():
        row = m[key]
        baseline = m[floor].rate if floor else None
        record(f"{name}.rate", row.rate, "req/s", label=label, baseline=baseline, goal=GOALS.get(name, ""))
        record(f"{name}.p50_ms", row.latency_ms(0.5), "ms", label=f"{label}: p50")
        record(f"{name}.p99_ms", row.latency_ms(0.99), "ms", label=f"{label}: p99")
        if row.statements is not None:
            record(f"{name}.statements", row.statements, "SQL", label=f"{label}: statements")
    record(
        "feed.whole_stack.rate", m["cercle_http"].rate, "req/s", label="HTTP vs raw loop", baseline=m["raw_loop"].rate
    )


def _report(m: dict[str, Measurement], console: Console) -> None:
    _record(m)
    table = Table(title=f"Feed of {FEED_SIZE} posts: requests/s (median round, range)", title_justify="left")
    table.add_column("path")
    table.add_column("req/s", justify="right")
    table.add_column("p50 ms", justify="right")
    table.add_column("p99 ms", justify="right")
    table.add_column("SQL/req", justify="right")
    table.add_column("errors", justify="right")
    for key in ("raw_loop", "cercle_local", "floor", "raw_http", "cercle_http"):
        row = m[key]
        table.add_row(
            row.label,
            rate_text(row),
            f"{row.latency_ms(0.5):.2f}",
            f"{row.latency_ms(0.99):.2f}",
            "-" if row.statements is None else str(row.statements),
            str(row.errors),
        )
    console.print(table)
    console.print(
        "[dim]baseline loop: the raw SQL + orjson in this process. baseline HTTP: the same behind a minimal "
        "Starlette endpoint in a uvicorn process like Cercle's. HTTP floor: what the clients and uvicorn reach "
        "doing no work, a ceiling for the HTTP rows. SQL/req: statements per feed (Cercle's counted in process).[/dim]"
    )

    ratios = Table(title="Ratios (Cercle req/s ÷ baseline req/s; 1.0 = no overhead)", title_justify="left")
    ratios.add_column("comparison")
    ratios.add_column("ratio", justify="right")
    ratios.add_column("Cercle is", justify="right")
    for label, cercle, baseline in (
        ("Cercle HTTP ÷ baseline HTTP: GraphQL + ORM", "cercle_http", "raw_http"),
        ("Cercle HTTP ÷ baseline loop: whole stack", "cercle_http", "raw_loop"),
        ("Cercle in process ÷ baseline loop: no HTTP", "cercle_local", "raw_loop"),
    ):
        ratio = m[cercle].rate / m[baseline].rate
        ratios.add_row(label, f"{ratio:.3f}", f"{1 / ratio:.1f}x slower" if ratio < 1 else f"{ratio:.1f}x faster")
    console.print(ratios)
    if m["raw_http"].rate > 0.8 * m["floor"].rate:
        console.print(
            "[yellow]Note: the HTTP baseline runs close to the HTTP floor, so the load generator (or uvicorn) "
            "may limit it; the HTTP ratio then understates the overhead.[/yellow]"
        )
