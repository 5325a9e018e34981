"""Operations commands: `python manage.py migrate`, `demo`, and `scheduler` (the `worker:` process)."""

from __future__ import annotations

import argparse
import asyncio

from rich.console import Console
from tortoise import Tortoise
from tortoise.migrations.api import migrate

import settings

console = Console()


async def run_migrations(database_url: str) -> None:
    try:
        await migrate(config=settings.tortoise_config(database_url))
    finally:
        await Tortoise.close_connections()


async def load_demo_if_empty(database_url: str) -> None:
    from bench.demo import load_demo  # the demo doubles as benchmark data

    await Tortoise.init(config=settings.tortoise_config(database_url))
    try:
        from models.members import Member

        if await Member.exists():
            console.print("[dim]Database has members: demo not loaded.[/dim]")
            return
        summary = await load_demo()
        console.print(f"[green]Demo community loaded:[/green] {summary}")
    finally:
        await Tortoise.close_connections()


async def run_worker(database_url: str) -> None:
    """The scheduler and the email sender, for a `worker:` process; its events reach the web processes through Redis."""
    from realtime import start_realtime, stop_realtime
    from resolvers.email.sender import run_email_sender
    from resolvers.scheduling.jobs import run_scheduler

    await Tortoise.init(config=settings.tortoise_config(database_url))
    await start_realtime()
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(run_scheduler(settings.SCHEDULER_INTERVAL_SECONDS))
            group.create_task(run_email_sender())
    finally:
        await stop_realtime()
        await Tortoise.close_connections()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["migrate", "demo", "scheduler"])
    parser.add_argument("--database-url", default=settings.DATABASE_URL)
    args = parser.parse_args()
    if args.command == "migrate":
        asyncio.run(run_migrations(args.database_url))
        console.print("[green]Migrations applied.[/green]")
    elif args.command == "scheduler":
        if not settings.REDIS_URL:
            raise SystemExit("A scheduler process needs REDIS_URL: without it, its events never reach web processes.")
        console.print("[green]Scheduler running[/green] (set SCHEDULER_IN_WEB=false on web processes).")
        asyncio.run(run_worker(args.database_url))
    else:
        asyncio.run(load_demo_if_empty(args.database_url))


if __name__ == "__main__":
    main()
