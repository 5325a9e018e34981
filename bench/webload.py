"""The web app's first load: the community page in headless Chromium against one GraphQL request.

Chromium loads `/c/<slug>` of a seeded community (the feed benchmark's) from a Cercle process on
loopback: the time to the first post shown and to the live connection ready, each measured from the
navigation's start, on a first visit (empty cache) and on a second one (cached assets). The floor
is the same feed fetched with the page's own request, sent alone. Also: the gzipped sizes of the
files the community page loads, and of those loaded later (the managers' dashboard).
"""

from __future__ import annotations

import asyncio
import gzip
import os
import re
import statistics

import orjson
from rich.console import Console
from rich.table import Table

from bench.feed import SLUG, seed
from bench.figures import record
from bench.harness import ROOT, BenchmarkFailed, Options, running_server, temporary_database

NAME = "webload"
DESCRIPTION = "the community page's first load in Chromium vs one GraphQL request of its feed; bundle sizes"

APP = ROOT / "static" / "app"
RUNS, QUICK_RUNS = 15, 2
POSTS, QUICK_POSTS = 200, 40


async def run(options: Options, console: Console) -> None:
    os.environ.setdefault("SECRET_KEY", "cercle-bench-secret-key-long-enough-for-hs256")
    from tortoise import Tortoise

    import settings
    from manage import run_migrations

    console.rule(f"[bold]webload[/bold]: {DESCRIPTION}")
    if not (APP / "index.html").exists():
        raise BenchmarkFailed("the web app is not built: run `make static/app/.installed`")
    report_sizes(console)
    runs = QUICK_RUNS if options.quick else RUNS
    async with temporary_database(f"cercle_bench_webload_{os.getpid()}") as url:
        await run_migrations(url)
        await Tortoise.init(config=settings.tortoise_config(url))
        try:
            await seed(url, QUICK_POSTS if options.quick else POSTS)
        finally:
            await Tortoise.close_connections()
        env = {"DATABASE_URL": url, "LOG_LEVEL": "WARNING", "REDIS_URL": "", "SCHEDULER_INTERVAL_SECONDS": "3600"}
        async with running_server("cercle", "app:app", env) as cercle:
            with console.status(f"Loading /c/{SLUG} in Chromium, {runs} times cold and warm..."):
                figures = await browse(f"{cercle.url}/c/{SLUG}", runs)
    report_load(figures, runs, console)


async def browse(url: str, runs: int) -> dict:
    options = {"executablePath": os.environ.get("CHROMIUM", "/usr/bin/chromium"), "url": url, "runs": runs}
    process = await asyncio.create_subprocess_exec(
        "node",
        str(ROOT / "bench" / "webload_client.mjs"),
        orjson.dumps(options).decode(),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=300)
    try:
        figures = orjson.loads(stdout)
    except orjson.JSONDecodeError:
        raise BenchmarkFailed(f"webload_client.mjs printed no report: {stderr.decode()[-2000:]}") from None
    if "error" in figures:
        raise BenchmarkFailed(figures["error"])
    return figures


def gzipped_kb(path: str) -> float:
    return len(gzip.compress((APP / path).read_bytes(), compresslevel=9)) / 1024


def report_sizes(console: Console) -> None:
    index = (APP / "index.html").read_text()
    first = re.findall(r'(?:src|href)="/(assets/[^"]+\.(?:js|css))"', index)
    later = sorted(f"assets/{path.name}" for path in (APP / "assets").glob("*") if path.suffix in {".js", ".css"})
    later = [path for path in later if path not in first]
    table = Table(title="Web app files, gzipped (level 9)", title_justify="left")
    table.add_column("file")
    table.add_column("KB", justify="right")
    table.add_column("loaded", justify="left")
    for path in first:
        table.add_row(path, f"{gzipped_kb(path):.1f}", "by every page")
    for path in later:
        table.add_row(path, f"{gzipped_kb(path):.1f}", "on demand")
    console.print(table)
    page_kb = sum(gzipped_kb(path) for path in first)
    record("webload.page_kb", page_kb, "KB", label="the community page's JS and CSS, gzipped", goal="<= 120 KB")
    console.print(
        f"The community page loads {sum(gzipped_kb(path) for path in first):.1f} KB of JS and CSS "
        f"(budget 120 KB); files loaded on demand: {sum(gzipped_kb(path) for path in later):.1f} KB."
    )


def report_load(figures: dict, runs: int, console: Console) -> None:
    def median(visits: list[dict], key: str) -> float:
        return statistics.median(visit[key] for visit in visits)

    request = statistics.median(figures["request"])
    table = Table(title=f"/c/{SLUG} in headless Chromium, median of {runs} loads (ms)", title_justify="left")
    table.add_column("visit")
    table.add_column("feed answered", justify="right")
    table.add_column("first post shown", justify="right")
    table.add_column("live ready", justify="right")
    table.add_column("first post ÷ one request", justify="right")
    for label, key in (("first (empty cache)", "cold"), ("again (cached files)", "warm")):
        visits = figures[key]
        first_post = median(visits, "firstPost")
        table.add_row(
            label,
            f"{median(visits, 'feed'):.0f}",
            f"{first_post:.0f}",
            f"{median(visits, 'live'):.0f}",
            f"{first_post / request:.1f}x",
        )
        record(f"webload.{key}.first_post_ms", first_post, "ms", label=f"first post shown, {label}", baseline=request)
        record(f"webload.{key}.live_ms", median(visits, "live"), "ms", label=f"live connection ready, {label}")
    console.print(table)
    console.print(
        f"One GraphQL request of the same feed, sent alone: {request:.1f} ms (median). Times count from the "
        "navigation's start; live ready is when graphql-ws has its acknowledgement and the page sends its "
        "subscription."
    )
