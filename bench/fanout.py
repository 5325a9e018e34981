"""Fan-out: one activity event delivered to N live subscriptions over real WebSockets, next to a
bare `websockets` server broadcasting the same bytes to the same N clients, in the same run.

For each N (1,000, 5,000 and 10,000; 100 with --quick), on a fresh PostgreSQL database with one member
and one public community:

- Cercle, 1 process: one uvicorn process (in-process broker); N graphql-transport-ws
  connections, one `activity(communitySlug:)` subscription each; events from `createPost`;
- bare websockets: a `websockets` server on uvloop (bench/fanout_client.py) that answers
  connection_init and subscribe, and on a trigger sends a `next` message captured from Cercle
  (same bytes) to every subscriber with one `websockets.broadcast` call;
- Cercle, 2 processes + Redis: two uvicorn processes sharing the database and Redis (a
  REDIS_PREFIX of their own), half the subscribers on each, the mutation sent to the first.

Every server runs fresh for its row. The subscribers live in two client processes of their own,
never in a server's, and offer permessage-deflate as browsers do. Cercle takes it only with
WEBSOCKET_COMPRESSION (off by default), and the bare server does as Cercle's default does, so both
send the same frames; at the smallest N one more Cercle row turns it on, for its memory. Each subscriber each records
time.monotonic() (CLOCK_MONOTONIC, system-wide on Linux, so comparable across processes) when
its event arrives. Latency counts from the mutation's HTTP response, that is from the commit
(bare server: from its answer to the trigger), so the first deliveries can even precede it.
Warm-up events first prove every subscription live (untimed), then TIMED_ROUNDS events, each
once the servers are idle (CPU time) and each waiting for all N deliveries: p50, p99 and last
delivery of each round, median round reported. Memory: the servers' RSS once one subscriber came
and went, and again with the N subscriptions idle after the warm-up, over N. Figures are
printed and recorded (bench.figures: `fanout.1p.5000.last_ms`...), never asserted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from redis.asyncio import Redis
from rich.console import Console
from rich.table import Table
from websockets.asyncio.client import connect

import settings
from bench.fanout_client import PROTOCOL, init_message, raise_open_files_limit, subscribe_message
from bench.figures import record
from bench.harness import (
    ROOT,
    BenchmarkFailed,
    Options,
    ServerProcess,
    free_port,
    running_server,
    temporary_database,
)

NAME = "fanout"
DESCRIPTION = "fan-out: one event to N WebSocket subscriptions vs a bare websockets broadcast"

SLUG = "bench-fanout"
SIZES, QUICK_SIZES = (1_000, 5_000, 10_000), (100,)  # quick: past the default per-address socket cap
TIMED_ROUNDS, QUICK_ROUNDS = 5, 1
CLIENT_PROCESSES = 2
HANDSHAKES_AT_ONCE = 100  # per client process
COMPRESSION = settings.WEBSOCKET_COMPRESSION  # Cercle's default, which the bare server matches
ONE, TWO, BARE, DEFLATE = "Cercle, 1 process", "Cercle, 2 + Redis", "bare websockets", "Cercle, 1 process, deflate"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SECRET_KEY = "cercle-bench-secret-key-long-enough-for-hs256"
QUERY = (
    f'subscription Fanout {{ activity(communitySlug: "{SLUG}") '
    "{ cursor verb summary at actor { username displayName } } }"
)
CREATE_POST = "mutation Post($input: CreatePostInput!) { createPost(input: $input) { id } }"
Trigger = Callable[[str], Awaitable[tuple[float, float]]]  # marker -> (monotonic sent, monotonic answered)


def marker(kind: str, k: int) -> str:
    """Post titles; one length for all, so every event has the same size."""
    return f"fanout {kind}{k:03d}"


@dataclass
class Target:
    label: str
    ws_urls: list[str]  # one per client process
    pids: list[int]  # the server processes, for RSS and CPU time
    trigger: Trigger
    servers: list[ServerProcess] = field(default_factory=list)  # Cercle's, for their logs


@dataclass
class Result:
    n: int
    label: str
    p50: float = float("nan")  # ms, median round
    p99: float = float("nan")
    last: float = float("nan")
    answer: float = float("nan")  # ms, the trigger's round trip
    kib_per_subscription: float = float("nan")
    ready_seconds: float = float("nan")
    missed: int = 0
    notes: list[str] = field(default_factory=list)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


async def settle(pids: list[int], seconds: float) -> bool:
    """Wait (at most `seconds`) until the servers use under 10% of a CPU over half a second."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        before = cpu_seconds(pids)
        await asyncio.sleep(0.5)
        if cpu_seconds(pids) - before < 0.05:
            return True
    return False


def quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- processes ---------------------------------------------------------------------------------


class Child:
    """A bench.fanout_client process, spoken to in JSON lines over its stdin and stdout."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def read(self, seconds: float) -> dict:
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), seconds)
        if not line:
            raise RuntimeError(f"a client process exited with code {await self.process.wait()}")
        return json.loads(line)

    async def call(self, command: dict, seconds: float = 30) -> dict:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command).encode() + b"\n")
        await self.process.stdin.drain()
        return await self.read(seconds)


@contextlib.asynccontextmanager
async def child(*args: str) -> AsyncIterator[Child]:
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bench.fanout_client", *args),
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        limit=2**24,  # a collect answer holds N times
        start_new_session=True,  # Ctrl-C reaches this process only; it stops its children
    )
    try:
        yield Child(process)
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()


def cercle_env(database_url: str, redis_prefix: str | None = None, *, compression: bool) -> dict[str, str]:
    return {
        "WEBSOCKET_COMPRESSION": str(compression).lower(),
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL if redis_prefix else "",
        "REDIS_PREFIX": redis_prefix or "cercle",
        "CERCLE_ENV": "development",
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": SECRET_KEY,
        "SCHEDULER_INTERVAL_SECONDS": "3600",
        "RATE_LIMIT_MUTATIONS": "100000/minute",  # the benchmark's events come from one member
        "MAX_WEBSOCKETS_PER_ADDRESS": "100000",  # every subscriber connects from this machine's address
    }


async def graphql(http: httpx.AsyncClient, url: str, query: str, variables: dict, token: str | None = None) -> dict:
    headers = {"accept": "application/json"} | ({"authorization": f"Bearer {token}"} if token else {})
    response = await http.post(url + "/graphql", json={"query": query, "variables": variables}, headers=headers)
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"{query.split('(')[0]} answered {response.status_code}: {body}")
    return body["data"]


async def seed(database_url: str) -> str:
    """One member and one PUBLIC OPEN community, through the API; returns the member's token."""
    env = cercle_env(database_url, compression=COMPRESSION)
    async with running_server("cercle-seed", "app:app", env) as server, httpx.AsyncClient() as http:
        registration = {"username": "fan", "email": "fan@bench.cercle.invalid", "password": "cercle-bench-password"}
        data = await graphql(
            http, server.url, "mutation R($i: RegisterInput!) { register(input: $i) { token } }", {"i": registration}
        )
        token = data["register"]["token"]
        community = {"name": "Bench Fanout", "slug": SLUG, "visibility": "PUBLIC", "joinPolicy": "OPEN"}
        await graphql(
            http,
            server.url,
            "mutation C($i: CreateCommunityInput!) { createCommunity(input: $i) { slug } }",
            {"i": community},
            token,
        )
        return token


@contextlib.asynccontextmanager
async def cercle(
    database_url: str, token: str, processes: int, *, compression: bool = COMPRESSION
) -> AsyncIterator[Target]:
    prefix = f"bench-fanout-{os.getpid()}-{time.monotonic_ns()}" if processes > 1 else None
    env = cercle_env(database_url, prefix, compression=compression)
    async with contextlib.AsyncExitStack() as stack:
        servers = [
            await stack.enter_async_context(running_server(f"cercle-{i}", "app:app", env)) for i in range(processes)
        ]
        http = await stack.enter_async_context(httpx.AsyncClient(timeout=60))

        async def trigger(title: str) -> tuple[float, float]:
            post = {"communitySlug": SLUG, "title": title, "body": "One event for every subscriber."}
            sent = time.monotonic()
            await graphql(http, servers[0].url, CREATE_POST, {"input": post}, token)
            return sent, time.monotonic()

        label = (ONE if processes == 1 else TWO) if compression == COMPRESSION else DEFLATE
        urls = [servers[i % processes].url.replace("http://", "ws://") + "/graphql" for i in range(CLIENT_PROCESSES)]
        yield Target(label, urls, [server.process.pid for server in servers], trigger, servers)


@contextlib.asynccontextmanager
async def bare(samples: list[tuple[str, str]]) -> AsyncIterator[Target]:
    if not samples:
        raise RuntimeError("no event captured from Cercle to replay")
    sample, sample_marker = samples[0]
    port = free_port()
    async with child("bare-server", str(port), *(["--compression"] if COMPRESSION else [])) as server:
        await server.read(30)
        url = f"ws://127.0.0.1:{port}/"
        async with connect(url, subprotocols=[PROTOCOL], ping_interval=None) as control:

            async def trigger(title: str) -> tuple[float, float]:
                request = json.dumps({"type": "fanout", "message": sample.replace(sample_marker, title)})
                sent = time.monotonic()
                await control.send(request)
                await asyncio.wait_for(control.recv(), 30)
                return sent, time.monotonic()

            yield Target(BARE, [url] * CLIENT_PROCESSES, [server.process.pid], trigger)


# --- one measurement ---------------------------------------------------------------------------


async def probe(url: str, token: str, trigger: Trigger) -> tuple[str, str]:
    """One subscriber comes and goes, warming the subscription path; returns its event and marker."""
    async with connect(url, subprotocols=[PROTOCOL], ping_interval=None) as ws:
        await ws.send(init_message(token))
        await asyncio.wait_for(ws.recv(), 30)
        await ws.send(subscribe_message(QUERY))
        for attempt in range(1, 31):  # until the subscription is registered
            await trigger(marker("p", attempt))
            with contextlib.suppress(TimeoutError):
                while True:
                    message = str(await asyncio.wait_for(ws.recv(), 1))
                    if '"next"' not in message:
                        raise RuntimeError(f"the probe subscription got {message[:300]}")
                    if marker("p", attempt) in message:
                        return message, marker("p", attempt)
    raise RuntimeError(f"the probe subscriber on {url} got no event in 30 s")


async def measure(target: Target, n: int, token: str, rounds: int) -> tuple[Result, tuple[str, str]]:
    result = Result(n, target.label)
    for url in dict.fromkeys(target.ws_urls):
        sample = await probe(url, token, target.trigger)
    await settle(target.pids, 30)
    before = sum(rss_kib(pid) for pid in target.pids)
    counts = [n // CLIENT_PROCESSES + (i < n % CLIENT_PROCESSES) for i in range(CLIENT_PROCESSES)]
    started = time.monotonic()
    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                child("subscribers", url, str(count), QUERY, "--token", token, "--concurrency", str(HANDSHAKES_AT_ONCE))
            )
            for url, count in zip(target.ws_urls, counts, strict=True)
        ]
        ready = await asyncio.gather(*(client.read(120 + n / 20) for client in clients))
        if failed := sum(r["failed"] for r in ready):
            error = next(r["error"] for r in ready if r["error"])
            raise RuntimeError(f"{failed} of {n} subscribers could not subscribe, e.g. {error}")
        result.notes.append(f"permessage-deflate {'negotiated' if ready[0]['extensions'] else 'off'}")
        attempts = await warm_up(clients, target, n)
        result.ready_seconds = time.monotonic() - started
        result.notes.append(f"{attempts} warm-up event(s) until all were live")
        await fan_once(clients, target, marker("w", 999), 30 + n / 100)  # every subscriber, untimed
        await settle(target.pids, 30)
        result.kib_per_subscription = (sum(rss_kib(pid) for pid in target.pids) - before) / n
        per_round, answers, lasts = [], [], []  # lasts: per client process, so per server when there are two
        for k in range(1, rounds + 1):
            await settle(target.pids, 30)
            parts, (sent, answered), unexpected = await fan_once(clients, target, marker("t", k), 30 + n / 100)
            latencies = sorted(1000 * (t - answered) for part in parts for t in part if t is not None)
            result.missed += n - len(latencies)
            result.notes += unexpected[:2]
            answers.append(1000 * (answered - sent))
            lasts.append([1000 * (max((t for t in part if t), default=answered) - answered) for part in parts])
            if latencies:
                per_round.append((quantile(latencies, 0.5), quantile(latencies, 0.99), latencies[-1]))
    if not per_round:
        raise RuntimeError(f"no timed event reached any of the {n} subscribers")
    result.p50, result.p99, result.last = (statistics.median(column) for column in zip(*per_round, strict=True))
    result.answer = statistics.median(answers)
    if len(set(target.ws_urls)) > 1:
        a, b = (statistics.median(column) for column in zip(*lasts, strict=True))
        result.notes.append(f"last delivery {a:.0f} ms on the process mutated, {b:.0f} ms on the other")
    for server in target.servers:
        if log := server.log_tail(1000).strip().splitlines():
            result.notes.append(f"{server.name} logged {len(log)} line(s), e.g. {log[0][:200]}")
    return result, sample


async def warm_up(clients: list[Child], target: Target, n: int) -> int:
    """Once the servers have processed every subscribe, events until every subscription has
    delivered one: a new event only when delivery stalls with the servers idle (the rest
    subscribed after the last commit), never while one is still being delivered."""
    await settle(target.pids, 120 + n / 20)
    deadline, attempt, live, last_live = time.monotonic() + 120 + n / 20, 0, 0, -1
    while live < n:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {live} of {n} subscriptions live after {attempt} events")
        if attempt == 0 or (live == last_live and await settle(target.pids, 1)):
            attempt += 1
            await target.trigger(marker("w", attempt))
        last_live = live
        replies = await asyncio.gather(*(c.call({"cmd": "live", "timeout": 1}) for c in clients))
        live = sum(r["live"] for r in replies)
    return attempt


async def fan_once(
    clients: list[Child], target: Target, title: str, seconds: float
) -> tuple[list[list[float | None]], tuple[float, float], list[str]]:
    """One event: per client process, each subscriber's arrival time (None if missed); when it was sent
    and answered; the first messages that were not events."""
    await asyncio.gather(*(client.call({"cmd": "expect", "marker": title}) for client in clients))
    sent_answered = await target.trigger(title)
    collect = {"cmd": "collect", "timeout": seconds}
    replies = await asyncio.gather(*(client.call(collect, seconds + 30) for client in clients))
    return (
        [reply["times"] for reply in replies],
        sent_answered,
        [message for reply in replies for message in reply["unexpected"]],
    )


# --- the benchmark -----------------------------------------------------------------------------


async def run(options: Options, console: Console) -> None:
    console.rule(f"[bold]fanout[/bold]: {DESCRIPTION}")
    open_files = raise_open_files_limit()
    rounds = QUICK_ROUNDS if options.quick else TIMED_ROUNDS
    sizes = list(QUICK_SIZES if options.quick else SIZES)
    redis = await redis_answers()
    results: list[Result] = []
    samples: list[tuple[str, str]] = []  # Cercle's event, for the bare server to send
    from manage import run_migrations

    async with temporary_database(f"cercle_bench_fanout_{os.getpid()}") as url:
        await run_migrations(url)
        token = await seed(url)
        console.print(
            f"One member, one public community; {rounds} timed event(s) per row after the warm-up; "
            f"subscribers in {CLIENT_PROCESSES} client processes; open files limit {open_files}."
            + ("" if redis else f" [yellow]Redis does not answer at {REDIS_URL}: no 2-process rows.[/yellow]")
        )
        for n in sizes:
            started = time.monotonic()
            setups = [
                (ONE, lambda: cercle(url, token, 1)),
                (BARE, lambda: bare(samples)),
                *([(TWO, lambda: cercle(url, token, 2))] if redis else []),
                *(
                    [(DEFLATE, lambda: cercle(url, token, 1, compression=not COMPRESSION))]
                    if n == sizes[0] and not options.quick
                    else []
                ),
            ]
            if n + 1000 > open_files:
                console.print(f"[yellow]N = {n:,} skipped: the open files limit is {open_files}.[/yellow]")
                continue
            for i, (label, setup) in enumerate(setups, start=1):
                with console.status(f"N = {n:,}: {label} ({i} of {len(setups)})..."):
                    try:
                        async with setup() as target:
                            result, probe_sample = await measure(target, n, token, rounds)
                            samples.append(probe_sample)
                    except Exception as error:  # noqa: BLE001 - one broken row does not hide the others
                        console.print(f"[bold red]N = {n:,}, {label}: {error}[/bold red]")
                        result = Result(n, f"{label}: failed", notes=[str(error)[:300]])
                results.append(result)
            console.print(f"[dim]N = {n:,} took {time.monotonic() - started:.0f} s[/dim]")
    report(results, console)
    record_figures(results)
    if failures := [f"N = {r.n:,}, {r.label}" for r in results if r.label.endswith("failed") or r.missed]:
        raise BenchmarkFailed("rows that failed or missed deliveries: " + "; ".join(failures))


async def redis_answers() -> bool:
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        return bool(await asyncio.wait_for(client.ping(), 3))
    except Exception:  # noqa: BLE001 - any failure means no Redis rows
        return False
    finally:
        await client.aclose()


def record_figures(results: list[Result]) -> None:
    """Every figure the table shows, by stable name; each against the bare server's at the same N."""
    rows = {(r.label, r.n): r for r in results if r.missed == 0 and r.p50 == r.p50}
    short = {ONE: "1p", TWO: "2p", BARE: "bare", DEFLATE: "1p_deflate"}
    for (label, n), r in rows.items():
        bare = rows.get((BARE, n)) if label != BARE else None
        name = f"fanout.{short[label]}.{n}"
        what = f"{label}, N = {n:,}"
        for metric, unit, goal in (("last", "ms", "<= 1.5x"), ("p50", "ms", ""), ("p99", "ms", "")):
            floor = getattr(bare, metric) if bare and getattr(bare, metric) > 0 else None  # p50 may precede it
            record(
                f"{name}.{metric}_ms",
                getattr(r, metric),
                unit,
                label=f"{what}: {metric} delivery",
                baseline=floor,
                goal=goal if label in (ONE, TWO) and n >= 5000 else "",
            )
        record(
            f"{name}.answer_ms",
            r.answer,
            "ms",
            label=f"{what}: the mutation's answer",
            baseline=bare.answer if bare else None,
            goal="< 50 ms" if label != BARE else "",
        )
        record(
            f"{name}.kib_per_subscription",
            r.kib_per_subscription,
            "KiB",
            label=f"{what}: memory per idle sub",
            baseline=bare.kib_per_subscription if bare else None,
        )
        record(
            f"{name}.connect_s",
            r.ready_seconds,
            "s",
            label=f"{what}: all subscriptions live",
            baseline=bare.ready_seconds if bare else None,
        )
    biggest = max((n for label, n in rows if label == ONE), default=None)
    if biggest is None:
        return
    one, bare = rows[(ONE, biggest)], rows.get((BARE, biggest))
    compression = "on" if COMPRESSION else "off"
    label = f"the mutation's answer while it fans out to {biggest:,}"
    record(
        "fanout.mutation_answer_ms",
        one.answer,
        "ms",
        label=label,
        baseline=bare.answer if bare else None,
        goal="< 50 ms",
    )
    record(
        "fanout.memory_per_subscription_kib",
        one.kib_per_subscription,
        "KiB",
        label=f"memory per idle subscription, N = {biggest:,}, permessage-deflate {compression} (the default)",
        baseline=bare.kib_per_subscription if bare else None,
        goal="<= 32 KiB",
    )
    record(
        f"fanout.connect_{biggest}_s",
        one.ready_seconds,
        "s",
        label=f"{biggest:,} subscriptions live",
        baseline=bare.ready_seconds if bare else None,
        goal="<= 1.5x",
    )

    def memory_of(label: str, n: int) -> float | None:
        return rows[(label, n)].kib_per_subscription if (label, n) in rows else None

    if deflated := next((r for (label, _), r in rows.items() if label == DEFLATE), None):
        record(
            "fanout.memory_per_subscription_kib.deflate_" + ("off" if COMPRESSION else "on"),
            deflated.kib_per_subscription,
            "KiB",
            label=f"memory per idle subscription, N = {deflated.n:,}, "
            f"permessage-deflate {'off' if COMPRESSION else 'on'}",
            baseline=memory_of(ONE, deflated.n),
        )


def report(results: list[Result], console: Console) -> None:
    table = Table(title="Fan-out of one event to N subscriptions (median round)", title_justify="left")
    table.add_column("N", justify="right")
    table.add_column("setup", no_wrap=True)
    for column in ("p50 ms", "p99 ms", "last ms", "last ÷ bare", "p50 ÷ bare", "KiB/sub", "missed"):
        table.add_column(column, justify="right")
    bares = {r.n: r for r in results if r.label.startswith("bare")}

    def ratio(r: Result, metric: str) -> str:
        base = bares.get(r.n)
        if base is None or base is r or not getattr(base, metric) > 0:
            return "-"
        return f"{getattr(r, metric) / getattr(base, metric):.1f}x"

    for r in results:
        table.add_row(
            f"{r.n:,}",
            r.label,
            f"{r.p50:.1f}",
            f"{r.p99:.1f}",
            f"{r.last:.1f}",
            ratio(r, "last"),
            ratio(r, "p50"),
            f"{r.kib_per_subscription:.1f}",
            str(r.missed),
        )
    console.print(table)
    console.print(
        "[dim]p50, p99, last: ms from the commit (the mutation's HTTP answer) to the subscribers' deliveries. "
        "÷ bare: over the bare websockets server's figure, same N, same clients, same bytes (one "
        "websockets.broadcast call). KiB/sub: server RSS growth from N idle subscriptions, over N (both processes "
        "for the 2-process rows). answer: the mutation's (or trigger's) round trip. ready: from starting the "
        "clients until every subscription had delivered an event.[/dim]"
    )
    memory = {r.label: r.kib_per_subscription for r in results if r.n == results[0].n}
    if DEFLATE in memory and ONE in memory:
        on, off = (memory[ONE], memory[DEFLATE]) if COMPRESSION else (memory[DEFLATE], memory[ONE])
        console.print(
            f"[dim]permessage-deflate is {'on' if COMPRESSION else 'off'} by default (WEBSOCKET_COMPRESSION): memory "
            f"per idle subscription at N = {results[0].n:,} is {on:.1f} KiB with it, {off:.1f} KiB without.[/dim]"
        )
    for r in results:
        timing = [f"answer {r.answer:.1f} ms", f"ready in {r.ready_seconds:.1f} s"] if r.answer == r.answer else []
        notes = [*timing, *dict.fromkeys(r.notes)]
        console.print(f"[dim]N = {r.n:,}, {r.label}: {'; '.join(notes)}[/dim]")
