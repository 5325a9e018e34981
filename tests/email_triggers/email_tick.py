"""The email jobs once, in a process of its own, started by a test on a line from stdin.

`python -m tests.email_triggers.email_tick DATABASE_URL NOW`: connects, prints "ready", waits for "go",
runs the notification and summary email jobs as of NOW, prints how many each queued, then "done".
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from tortoise import Tortoise

import settings
from realtime import start_realtime, stop_realtime


async def main(database_url: str, now: datetime) -> None:
    from resolvers.email.notification_emails import send_notification_emails
    from resolvers.email.summaries import send_summaries

    await Tortoise.init(config=settings.tortoise_config(database_url))
    await start_realtime()
    try:
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        print(await send_notification_emails(now), await send_summaries(now), flush=True)
        print("done", flush=True)
    finally:
        await stop_realtime()
        await Tortoise.close_connections()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], datetime.fromisoformat(sys.argv[2])))
