"""Shared machinery of the benchmarks: a throwaway PostgreSQL database, server processes,
a closed-loop load generator, SQL statement counting and the result table.

Nothing here asserts timings: benchmarks print figures and ratios, they never fail on them. They do
fail (BenchmarkFailed) when the work itself went wrong.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

from tests.fixtures.server import free_port  # one port picker for tests and bench

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


class BenchmarkFailed(RuntimeError):
    """The benchmark could not do its work (failed requests, wrong answers, missed events): its figures
    mean nothing, and `python -m bench` exits non-zero, so a benchmark that breaks fails CI."""


@dataclass
class Options:
    """Knobs shared by every benchmark (command-line flags of `python -m bench`)."""

    requests: int = 200  # timed requests per round
    rounds: int = 3  # rounds per measurement; the median round is reported
    warmup: int = 40  # untimed requests before the first round
    concurrency: int = 4  # concurrent clients (each with its own keep-alive connection)
    quick: bool = False  # --quick: benchmarks with their own sizes pick their smallest
    json: Path | None = None  # --json FILE: where every recorded figure (bench/figures.py) is written


# --- PostgreSQL --------------------------------------------------------------------------------


def asyncpg_url(url: str) -> str:
    """asyncpg spells the scheme `postgresql://`; Tortoise spells it `postgres://`."""
    return "postgresql://" + url.split("://", 1)[1]


@contextlib.asynccontextmanager
async def temporary_database(name: str) -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database (dropped afterwards); yields its `postgres://` URL."""
    admin = await asyncpg.connect(asyncpg_url(POSTGRES_ADMIN_URL))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin = await asyncpg.connect(asyncpg_url(POSTGRES_ADMIN_URL))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


# --- server processes --------------------------------------------------------------------------


@dataclass
class ServerProcess:
    name: str
    url: str
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


async def start_uvicorn(name: str, target: str, env: dict[str, str], *, factory: bool = True) -> ServerProcess:
    """Start `uvicorn target` (one worker) on a free port and wait until GET /healthz answers 200."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix=f"bench-{name}-", suffix=".log", delete=False)  # noqa: SIM115
    command = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--factory"] if factory else []
    command += ["--log-level", "warning", "--no-access-log"]
    process = subprocess.Popen(  # noqa: ASYNC220 - returns at once; the server outlives this call
        command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    log.close()
    server = ServerProcess(name, f"http://127.0.0.1:{port}", process, Path(log.name))
    async with httpx.AsyncClient() as client:
        for _ in range(300):  # up to 30 s
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with code {process.returncode}:\n{server.log_tail()}")
            try:
                if (await client.get(server.url + "/healthz")).status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    stop_server(server)
    raise RuntimeError(f"{name} did not answer /healthz within 30 s:\n{server.log_tail()}")


def stop_server(server: ServerProcess) -> None:
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    server.log_path.unlink(missing_ok=True)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far (Linux /proc)."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_wait_seconds(pids: list[int]) -> float:
    """Seconds the processes' threads were ready to run but waited for a CPU (Linux schedstat): how much
    other processes on a shared machine held them back."""
    nanoseconds = 0
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(FileNotFoundError):  # a thread that ended meanwhile
                nanoseconds += int((task / "schedstat").read_text().split()[1])
    return nanoseconds / 1e9


@contextlib.asynccontextmanager
async def running_server(name: str, target: str, env: dict[str, str]) -> AsyncIterator[ServerProcess]:
    server = await start_uvicorn(name, target, env)
    try:
        yield server
    finally:
        stop_server(server)


# --- load generation ---------------------------------------------------------------------------


@dataclass
class Measurement:
    label: str
    rates: list[float] = field(default_factory=list)  # requests/s of each round
    latencies: list[float] = field(default_factory=list)  # seconds, every timed request
    errors: int = 0
    statements: int | None = None  # SQL statements per request, when known
    note: str = ""

    @property
    def rate(self) -> float:
        return statistics.median(self.rates)

    def latency_ms(self, quantile: float) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]


async def closed_loop(
    label: str,
    make_worker: Callable[[], contextlib.AbstractAsyncContextManager[Callable[[], Awaitable[bool]]]],
    options: Options,
) -> Measurement:
    """Run `options.concurrency` workers that each send requests back to back.

    `make_worker()` opens one client (connection) and yields a function that sends one request
    and returns whether it succeeded. After `options.warmup` untimed requests, each of
    `options.rounds` rounds times `options.requests` requests in all; requests/s per round.
    """
    result = Measurement(label)
    async with contextlib.AsyncExitStack() as stack:
        senders = [await stack.enter_async_context(make_worker()) for _ in range(options.concurrency)]

        async def run(total: int, timed: bool) -> None:
            remaining = total

            async def work(send: Callable[[], Awaitable[bool]]) -> None:
                nonlocal remaining
                while remaining > 0:
                    remaining -= 1
                    started = time.perf_counter()
                    ok = await send()
                    if timed:
                        result.latencies.append(time.perf_counter() - started)
                        result.errors += not ok

            await asyncio.gather(*(work(send) for send in senders))

        await run(options.warmup, timed=False)
        for _ in range(options.rounds):
            started = time.perf_counter()
            await run(options.requests, timed=True)
            result.rates.append(options.requests / (time.perf_counter() - started))
    return result


def http_worker(
    url: str, body: bytes | None = None
) -> Callable[[], contextlib.AbstractAsyncContextManager[Callable[[], Awaitable[bool]]]]:
    """Workers that POST `body` (JSON) to `url`, or GET it when `body` is None, over keep-alive."""

    @contextlib.asynccontextmanager
    async def worker() -> AsyncIterator[Callable[[], Awaitable[bool]]]:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(limits=limits, timeout=30) as client:
            headers = {"content-type": "application/json", "accept": "application/json"}

            async def send() -> bool:
                if body is None:
                    response = await client.get(url)
                else:
                    response = await client.post(url, content=body, headers=headers)
                return response.status_code == 200

            yield send

    return worker


# --- output ------------------------------------------------------------------------------------


def machine_text(*, before: bool) -> str:
    """CPUs and load: figures from a busy machine are noisy, and the reader should know."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    cpus = os.cpu_count() or 1
    text = f"{cpus} CPUs, 1-minute load average {load:.1f}"
    if before and load > cpus / 2:
        text += " [yellow](other processes compete for the CPUs: expect noisy figures)[/yellow]"
    return text


def rate_text(measurement: Measurement) -> str:
    spread = f" ({min(measurement.rates):,.0f}-{max(measurement.rates):,.0f})" if len(measurement.rates) > 1 else ""
    return f"{measurement.rate:,.0f}{spread}"


async def median_ms(call: Callable[[], Awaitable[object]], repeats: int) -> float:
    """The median time of `repeats` calls, in ms, after one untimed call (caches, prepared statements)."""
    await call()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        await call()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)
