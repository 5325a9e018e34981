"""Mixed load on one community: members writing, subscribers following its activity live, and readers
of its feed, all at once against two server processes that share PostgreSQL and Redis.

On a fresh PostgreSQL database with one public community (its members registered and a few posts
written through the API), two uvicorn processes of the real app (a REDIS_PREFIX of their own) serve
200 clients for 60 s, in two client processes of their own (bench/load_client.py), each client on
its own connection, alternately to one server and the other:

- 50 members writing back to back, each in turn `createPost`, `addComment` (on a recent post) and
  `react` (to a recent post or comment);
- 50 subscribers to `activity(communitySlug:, after:)`, from the community's activity cursor read
  before the run (graphql-transport-ws over real WebSockets, permessage-deflate as browsers do);
- 100 members reading the feed query of bench/feed.py back to back.

First, one writer and one reader alone for a few seconds: their median round trips are the floor
each operation's p50 and p99 under load are compared with, measured on the machine as it is now.

Figures: p50, p99 and requests/s per operation, writes/s to the one community, the CPU of the two
server processes (user + system seconds from /proc over the run's wall time) and how long they
waited for a CPU (schedstat: what other processes on the machine cost them), and what the servers'
PostgreSQL backends were doing (sampled: running, waiting on a lock, idle in a transaction). The
run fails unless every acknowledged write is in the database afterwards and every subscriber saw
every event of the community from its cursor to the last one committed, each once, in sequence
order, with the table's verbs (bench/load_checks.py: a digest of (seq, verb)). `--quick`: a
few clients for a few seconds; BENCH_LOAD_SIZE=writers,subscribers,readers,seconds sizes a run by hand
(`50,0,0,30`: the writers alone, the write path's own ceiling on this machine).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from redis.asyncio import Redis
from rich.console import Console
from rich.table import Table

from bench.feed import FEED_QUERY
from bench.figures import record
from bench.harness import (
    ROOT,
    BenchmarkFailed,
    Options,
    ServerProcess,
    cpu_seconds,
    cpu_wait_seconds,
    start_uvicorn,
    stop_server,
    temporary_database,
)
from bench.load_checks import Backends, last_activity_seq, missing_writes, sampling_backends, subscribers_problems
from bench.load_client import WRITES, seq_of

NAME = "load"
DESCRIPTION = "mixed load on one community: writers, subscribers and feed readers on 2 processes + Redis"

SLUG = "bench-load"
CLIENT_PROCESSES = 2
SERVERS = 2
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SECRET_KEY = "cercle-bench-secret-key-long-enough-for-hs256"
OPS = (*WRITES, "feed")
WRITES_GOAL, P99_GOAL_MS = 200, 500


@dataclass(frozen=True)
class Size:
    writers: int
    subscribers: int
    readers: int
    seconds: float
    seed_posts: int  # written before the run, so the feed is full and comments have posts from the start
    alone_seconds: float  # one writer and one reader alone first: the latencies' floor on this machine now


FULL, QUICK = Size(50, 50, 100, 60, 20, 10), Size(3, 2, 3, 3, 4, 1)


@dataclass
class Seeded:
    members: list[tuple[str, str]]  # (username, token)
    posts: list[str]
    after: str  # the community's activity cursor before the run


def server_env(database_url: str, redis_prefix: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "REDIS_PREFIX": redis_prefix,
        "CERCLE_ENV": "development",
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": SECRET_KEY,
        "SCHEDULER_INTERVAL_SECONDS": "3600",
        # Every member writes back to back and every client comes from this machine's address.
        "RATE_LIMIT_MUTATIONS": "1000000/minute",
        "RATE_LIMIT_LOGIN": "1000000/minute",
        "MAX_WEBSOCKETS_PER_ADDRESS": "100000",
    }


async def graphql(http: httpx.AsyncClient, url: str, query: str, variables: dict, token: str | None = None) -> dict:
    headers = {"accept": "application/json"} | ({"authorization": f"Bearer {token}"} if token else {})
    response = await http.post(url + "/graphql", json={"query": query, "variables": variables}, headers=headers)
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise BenchmarkFailed(f"{query.split('(')[0]} answered {response.status_code}: {body}")
    return body["data"]


# --- seeding, through the API ------------------------------------------------------------------


async def seed(url: str, size: Size) -> Seeded:
    """The writers register, the first creates a public open community, the others join; a few posts."""
    async with httpx.AsyncClient(timeout=120) as http:
        gate = asyncio.Semaphore(4)  # registrations hash passwords: a few at a time keeps the server answering

        async def register(i: int) -> tuple[str, str]:
            username = f"load{i:03d}"
            account = {"username": username, "email": f"{username}@bench.cercle.invalid", "password": "load-password"}
            async with gate:
                data = await graphql(
                    http, url, "mutation R($i: RegisterInput!) { register(input: $i) { token } }", {"i": account}
                )
            return username, data["register"]["token"]

        members = list(await asyncio.gather(*(register(i) for i in range(size.writers))))
        community = {"name": "Bench Load", "slug": SLUG, "visibility": "PUBLIC", "joinPolicy": "OPEN"}
        create = "mutation C($i: CreateCommunityInput!) { createCommunity(input: $i) { slug } }"
        await graphql(http, url, create, {"i": community}, members[0][1])
        join = "mutation J($slug: String!) { joinCommunity(slug: $slug) { id } }"
        await asyncio.gather(*(graphql(http, url, join, {"slug": SLUG}, token) for _, token in members[1:]))
        create_post = "mutation P($i: CreatePostInput!) { createPost(input: $i) { id } }"

        async def write_post(k: int) -> str:
            post = {"communitySlug": SLUG, "title": f"Seed {k}", "body": "Written before the load."}
            data = await graphql(http, url, create_post, {"i": post}, members[k % len(members)][1])
            return data["createPost"]["id"]

        posts = list(await asyncio.gather(*(write_post(k) for k in range(size.seed_posts))))
        cursor = "query A($slug: String!) { community(slug: $slug) { activityCursor } }"
        after = (await graphql(http, url, cursor, {"slug": SLUG}))["community"]["activityCursor"]
    return Seeded(members, posts, after)


def plans(seeded: Seeded, urls: list[str], size: Size) -> list[dict[str, Any]]:
    """Each client process gets every other client of each kind, and the servers alternate both within a
    process and between consecutive clients: even two subscribers are one on each server, each
    following writes made on the other."""
    members = seeded.members
    out: list[dict[str, Any]] = [
        {"slug": SLUG, "after": seeded.after, "posts": seeded.posts, "feed_query": FEED_QUERY, "seed": p}
        | {"writers": [], "readers": [], "subscribers": []}
        for p in range(CLIENT_PROCESSES)
    ]
    for kind, count in (("writers", size.writers), ("subscribers", size.subscribers), ("readers", size.readers)):
        for i in range(count):
            username, token = members[i % len(members)]
            plan = out[i % CLIENT_PROCESSES]
            plan[kind].append(
                {"url": urls[(i + i // CLIENT_PROCESSES) % len(urls)], "token": token, "username": username}
            )
    return out


# --- client processes --------------------------------------------------------------------------


class Child:
    """A bench.load_client process, spoken to in JSON lines over its stdin and stdout."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(orjson.dumps(message) + b"\n")
        await self.process.stdin.drain()

    async def read(self, seconds: float) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), seconds)
        if not line:
            raise BenchmarkFailed(f"a client process exited with code {await self.process.wait()}")
        return orjson.loads(line)


@contextlib.asynccontextmanager
async def child(plan: dict[str, Any]) -> AsyncIterator[Child]:
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bench.load_client"),
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        limit=2**26,  # the answer to "go" holds every latency
        start_new_session=True,  # Ctrl-C reaches this process only; it stops its children
    )
    try:
        client = Child(process)
        await client.send(plan)
        yield client
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()


# --- the run -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    planned: float  # seconds the clients sent requests for
    seconds: float  # until the last answer
    ops: dict[str, list[float]]  # op -> latencies, ms
    in_time: dict[str, int]  # op -> successes answered within `planned`
    alone: dict[str, dict[str, Any]]  # op -> {"ms", "errors", "error"} of one writer and one reader alone first
    errors: dict[str, tuple[int, str | None]]  # op -> (count, the first)
    written: dict[str, list[Any]]
    subscribers: list[dict[str, Any]]
    server_cpu: float  # CPU seconds over the run, both servers
    server_cpu_wait: float  # seconds their threads were ready to run but waited for a CPU
    client_cpu: float
    backends: Backends
    start_seq: int  # the subscribers' cursor
    last_seq: int  # the last event committed by the end of the run


async def drive(plans_: list[dict[str, Any]], server_pids: list[int], size: Size, database_url: str) -> Outcome:
    async with contextlib.AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(child(plan)) for plan in plans_]
        ready = await asyncio.gather(*(c.read(120) for c in clients))
        if failed := sum(r["failed"] for r in ready):
            error = next(r["error"] for r in ready if r["error"])
            raise BenchmarkFailed(f"{failed} of {size.subscribers} subscribers could not subscribe, e.g. {error}")
        await clients[0].send({"cmd": "go", "seconds": size.alone_seconds, "writers": 1, "readers": 1})
        alone = (await clients[0].read(size.alone_seconds + 180))["ops"]
        client_pids = [c.process.pid for c in clients]
        server_before, client_before = cpu_seconds(server_pids), cpu_seconds(client_pids)
        waited_before = cpu_wait_seconds(server_pids)
        async with sampling_backends(database_url) as backends:
            await asyncio.gather(*(c.send({"cmd": "go", "seconds": size.seconds}) for c in clients))
            done = await asyncio.gather(*(c.read(size.seconds + 180) for c in clients))
        server_cpu = cpu_seconds(server_pids) - server_before
        server_cpu_wait = cpu_wait_seconds(server_pids) - waited_before
        client_cpu = cpu_seconds(client_pids) - client_before
        last_seq = await last_activity_seq(database_url, plans_[0]["after"])
        await asyncio.gather(*(c.send({"cmd": "drain", "last_seq": last_seq, "timeout": 120}) for c in clients))
        drained = await asyncio.gather(*(c.read(180) for c in clients))
    return Outcome(
        planned=size.seconds,
        seconds=max(d["seconds"] for d in done),
        ops={op: [ms for d in done for ms in d["ops"][op]["ms"]] for op in OPS},
        in_time={op: sum(d["ops"][op]["in_time"] for d in done) for op in OPS},
        alone={op: alone[op] for op in OPS},
        errors={
            op: (
                sum(d["ops"][op]["errors"] for d in done),
                next((d["ops"][op]["error"] for d in done if d["ops"][op]["error"]), None),
            )
            for op in OPS
        },
        written={kind: [w for d in done for w in d["written"][kind]] for kind in done[0]["written"]},
        subscribers=[s for d in drained for s in d["subscribers"]],
        server_cpu=server_cpu,
        server_cpu_wait=server_cpu_wait,
        client_cpu=client_cpu,
        backends=backends,
        start_seq=seq_of(plans_[0]["after"]),
        last_seq=last_seq,
    )


async def redis_answers() -> bool:
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        return bool(await asyncio.wait_for(client.ping(), 3))
    except Exception:  # noqa: BLE001 - any failure means no Redis
        return False
    finally:
        await client.aclose()


async def run(options: Options, console: Console) -> None:
    console.rule(f"[bold]load[/bold]: {DESCRIPTION}")
    if not await redis_answers():
        raise BenchmarkFailed(f"Redis does not answer at {REDIS_URL} (BENCH_REDIS_URL): the two processes need it")
    import settings
    from manage import run_migrations

    size = QUICK if options.quick else FULL
    if custom := os.environ.get("BENCH_LOAD_SIZE"):  # writers,subscribers,readers,seconds: to explore
        writers, subscribers, readers, seconds = (int(part) for part in custom.split(","))
        size = Size(writers, subscribers, readers, seconds, size.seed_posts, size.alone_seconds)
    prefix = f"bench-load-{os.getpid()}-{time.monotonic_ns()}"
    async with temporary_database(f"cercle_bench_load_{os.getpid()}") as url:
        await run_migrations(url)
        async with contextlib.AsyncExitStack() as stack:
            with console.status(f"Starting {SERVERS} server processes..."):
                env = server_env(url, prefix)
                started = await asyncio.gather(
                    *(start_uvicorn(f"cercle-{i}", "app:app", env) for i in range(SERVERS)), return_exceptions=True
                )
                servers = [server for server in started if isinstance(server, ServerProcess)]
                for server in servers:
                    stack.callback(stop_server, server)
                if failures := [error for error in started if isinstance(error, BaseException)]:
                    raise failures[0]
            with console.status(f"Seeding: {size.writers} members, one community, {size.seed_posts} posts..."):
                seeded = await seed(servers[0].url, size)
            clients = size.writers + size.subscribers + size.readers
            console.print(
                f"{clients} clients for {size.seconds:.0f} s: {size.writers} writing, {size.subscribers} subscribed, "
                f"{size.readers} reading the feed; {CLIENT_PROCESSES} client processes, {SERVERS} server processes "
                f"with Redis; database pool {settings.DB_POOL_MAX} connections per server process (DB_POOL_MAX); "
                f"1-minute load average {os.getloadavg()[0]:.1f} before."
            )
            with console.status(f"{clients} clients for {size.seconds:.0f} s..."):
                outcome = await drive(
                    plans(seeded, [s.url for s in servers], size), [s.process.pid for s in servers], size, url
                )
        with console.status("Checking the writes and the subscribers' events against the database..."):
            problems = [f"{op}: {n} failed, e.g. {error}" for op, (n, error) in outcome.errors.items() if n]
            problems += [
                f"{op} alone: {a['errors']} failed, e.g. {a['error']}" for op, a in outcome.alone.items() if a["errors"]
            ]
            problems += await missing_writes(url, outcome.written)
            problems += await subscribers_problems(url, seeded.after, outcome.last_seq, outcome.subscribers)
    report(outcome, settings.DB_POOL_MAX, console)
    if problems:
        raise BenchmarkFailed("; ".join(problems))
    console.print(
        f"[green]Checked: all {sum(map(len, outcome.written.values())):,} acknowledged writes are in the database, and "
        f"each of the {len(outcome.subscribers)} subscribers saw the {outcome.last_seq - seq_of(seeded.after):,} "
        "events of the run once each, in sequence order.[/green]"
    )


# --- output ------------------------------------------------------------------------------------


def quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def report(outcome: Outcome, pool: int, console: Console) -> None:
    seconds = outcome.seconds
    title = f"Mixed load on one community: {outcome.planned:.0f} s, last answer at {seconds:.0f} s"
    table = Table(title=title, title_justify="left")
    columns = (
        "operation",
        "requests",
        "req/s",
        "p50 ms",
        "p99 ms",
        "errors",
        "alone p50",
        "p50 ÷ alone",
        "p99 ÷ alone",
    )
    for column in columns:
        table.add_column(column, justify="left" if column == "operation" else "right")
    for op in OPS:
        ordered = sorted(outcome.ops[op])
        rate, p50, p99 = outcome.in_time[op] / outcome.planned, quantile(ordered, 0.5), quantile(ordered, 0.99)
        floor = statistics.median(outcome.alone[op]["ms"]) if outcome.alone[op]["ms"] else None
        table.add_row(
            op, f"{len(ordered):,}", f"{rate:,.1f}", f"{p50:,.1f}", f"{p99:,.1f}", str(outcome.errors[op][0]),
            "-" if floor is None else f"{floor:,.1f}",
            "-" if floor is None else f"{p50 / floor:,.1f}x",
            "-" if floor is None else f"{p99 / floor:,.1f}x",
        )  # fmt: skip
        record(f"load.{op}.rate", rate, "req/s", label=f"{op} requests/s under the mixed load")
        record(f"load.{op}.p50_ms", p50, "ms", label=f"{op} p50 under the mixed load", baseline=floor)
        record(
            f"load.{op}.p99_ms",
            p99,
            "ms",
            label=f"{op} p99 under the mixed load",
            baseline=floor,
            goal=f"< {P99_GOAL_MS} ms",
        )
    console.print(table)
    console.print(
        "[dim]req/s: successful answers within the run's planned length, over it; p50, p99: every request's round "
        "trip from its client, also those still in flight at the end. alone p50: the median round trip of one "
        "writer and one reader with nothing else running, just before the load (the floor of the ratios).[/dim]"
    )
    writes = sum(outcome.in_time[op] for op in WRITES) / outcome.planned
    delivered = sum(s["count"] for s in outcome.subscribers) / seconds
    events = (outcome.last_seq - outcome.start_seq) / seconds
    server_cpu, client_cpu = 100 * outcome.server_cpu / seconds, 100 * outcome.client_cpu / seconds
    server_wait = 100 * outcome.server_cpu_wait / seconds
    resumes = sum(s["resumes"] for s in outcome.subscribers)
    console.print(
        f"Writes to the one community: [bold]{writes:,.1f}/s[/bold] (goal at least {WRITES_GOAL}); activity events "
        f"{events:,.1f}/s, delivered {delivered:,.0f}/s to the subscribers ({resumes} resumed after a close). "
        f"CPU over the run: servers {server_cpu:.0f}% (and {server_wait:.0f}% ready but waiting for a CPU), "
        f"clients {client_cpu:.0f}% (100% = one core; "
        f"{os.cpu_count()} cores, 1-minute load average {os.getloadavg()[0]:.1f} after). "
        f"Database pool: {pool} connections per server process."
    )
    record(
        "load.writes_per_s",
        writes,
        "writes/s",
        label="acknowledged writes/s to one community",
        goal=f">= {WRITES_GOAL}",
    )
    record("load.events_per_s", events, "events/s", label="activity events committed/s in the run")
    record("load.subscriber_resumes", resumes, "resumes", label="subscriptions dropped (too far behind) and resumed")
    record("load.activity.rate", delivered, "events/s", label="activity events delivered/s, all subscribers")
    record("load.server_cpu_percent", server_cpu, "%", label="both servers' CPU over the run (100 = one core)")
    record(
        "load.server_cpu_wait_percent",
        server_wait,
        "%",
        label="the servers' time ready to run but waiting for a CPU, over the run (other load on the machine)",
    )
    record("load.client_cpu_percent", client_cpu, "%", label="the client processes' CPU over the run (100 = one core)")
    b = outcome.backends
    console.print(
        f"PostgreSQL backends of the servers, mean of {b.samples} samples: {b.mean(b.active):.1f} active, of which "
        f"{b.mean(b.lock):.1f} waiting on a lock; {b.mean(b.idle_in_transaction):.1f} idle in a transaction."
    )
    record("load.db.active_backends", b.mean(b.active), "backends", label="mean backends running a statement")
    record("load.db.lock_waits", b.mean(b.lock), "backends", label="mean backends waiting on a lock")
    record(
        "load.db.idle_in_transaction",
        b.mean(b.idle_in_transaction),
        "backends",
        label="mean backends idle in a transaction (the server computing inside it)",
    )
    record("load.db_pool_max", pool, "connections", label="database pool per server process (DB_POOL_MAX)")
