"""One scheduler tick in a process of its own, started by the test on a line from stdin.

`python -m tests.scheduling.scheduler_tick DATABASE_URL NOW`: connects, prints "ready",
waits for "go", runs every job as of NOW, prints "done".
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from tortoise import Tortoise

import settings
from realtime import start_realtime, stop_realtime


async def main(database_url: str, now: datetime) -> None:
    from resolvers.posts.posts import publish_due_posts
    from resolvers.scheduling.jobs import care_for_newcomers, send_stale_alerts

    await Tortoise.init(config=settings.tortoise_config(database_url))
    await start_realtime()
    try:
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        for job in (publish_due_posts, send_stale_alerts, care_for_newcomers):
            await job(now)
        print("done", flush=True)
    finally:
        await stop_realtime()
        await Tortoise.close_connections()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], datetime.fromisoformat(sys.argv[2])))
