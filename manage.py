"""Operations commands: `python manage.py migrate`, `demo`, `scheduler` (the `worker:` process) and `createadmin`.

`createadmin` makes a site administrator: `--username` (or `--email`) of an existing member, or a new account when
none has it (then `--username`, `--email` and `--password` are all needed; what is missing is asked for).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

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


class AdminInput:
    """What createadmin was given, asking on the terminal for what is missing."""

    def __init__(self, username: str | None, email: str | None, password: str | None) -> None:
        self.username, self.email, self.password = username, email, password

    def ask(self, field: str) -> str:
        if getattr(self, field) is None:
            if not sys.stdin.isatty():
                raise SystemExit(f"createadmin: --{field} is needed (and no terminal to ask on).")
            answer = getpass.getpass("Password: ") if field == "password" else input(f"{field.capitalize()}: ")
            setattr(self, field, answer.strip() if field != "password" else answer)
        return str(getattr(self, field))


async def create_admin(database_url: str, given: AdminInput) -> str:
    """Make a member a site administrator (creating the account if needed); what was done, in a sentence."""
    from models.members import Member
    from resolvers.context import Context
    from resolvers.errors import AppError
    from resolvers.members import members
    from resolvers.members.sessions import end_sessions
    from resolvers.outbox import writing

    await Tortoise.init(config=settings.tortoise_config(database_url))
    try:
        login = (given.username or given.email or given.ask("username")).strip().lower()
        by = {"email": login} if "@" in login else {"username": login}
        member = await Member.filter(**by, deleted_at__isnull=True).first()
        if member is None:
            if "@" in login:
                given.email = login
            else:
                given.username = login
            registration = members.Registration(
                username=given.ask("username"), email=given.ask("email"), password=given.ask("password")
            )
            try:
                _, member = await members.do_register(Context(viewer_id=None, ip="manage.py"), registration)
            except AppError as error:
                raise SystemExit(f"createadmin: {error.message}") from None
            async with writing() as tx:  # registering logged in: no one holds that session's token
                await end_sessions(tx, member.id)
            created = f"Created {member.username} <{member.email}>, a site administrator."
        else:
            created = f"{member.username} <{member.email}> is now a site administrator."
        # An administrator's address counts as verified: it was given by whoever runs the site.
        await Member.filter(id=member.id).update(
            is_admin=True, email_verified_at=member.email_verified_at or member.joined_at
        )
        return created
    finally:
        await Tortoise.close_connections()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["migrate", "demo", "scheduler", "createadmin"])
    parser.add_argument("--database-url", default=settings.DATABASE_URL)
    parser.add_argument("--username", help="createadmin: the member's username (or a new account's)")
    parser.add_argument("--email", help="createadmin: the member's email (or a new account's)")
    parser.add_argument("--password", help="createadmin: a new account's password (asked for when missing)")
    args = parser.parse_args()
    if args.command == "createadmin":
        given = AdminInput(args.username, args.email, args.password)
        console.print(f"[green]{asyncio.run(create_admin(args.database_url, given))}[/green]")
    elif args.command == "migrate":
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
