"""Two processes running the email jobs at the same moment: what each queued."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import datetime

import settings

WAIT_SECONDS = 60


async def run_ticks_together(database: str, now: datetime, processes: int = 2) -> list[tuple[int, int]]:
    """(notification emails, summaries) each process queued, once all have run the jobs as of `now`."""
    ticks = []
    for _ in range(processes):
        tick = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.email_triggers.email_tick",
            database,
            now.isoformat(),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=settings.ROOT,
            env={**os.environ, "REDIS_URL": ""},
        )
        assert tick.stdout and tick.stdin
        ready = await asyncio.wait_for(tick.stdout.readline(), WAIT_SECONDS)
        assert ready == b"ready\n", ready
        ticks.append(tick)
    for tick in ticks:
        assert tick.stdin
        tick.stdin.write(b"go\n")
        await tick.stdin.drain()
    outputs = await asyncio.wait_for(asyncio.gather(*(tick.communicate() for tick in ticks)), WAIT_SECONDS)
    counts = []
    for tick, (out, err) in zip(ticks, outputs, strict=True):
        lines = out.decode().split("\n")
        assert tick.returncode == 0 and lines[-2] == "done", err.decode()[-2000:]
        notifications, summaries = lines[0].split()
        counts.append((int(notifications), int(summaries)))
    return counts
