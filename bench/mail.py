"""Email at scale: queueing a digest to a whole community, and sending it through a local SMTP sink.

One run on a fresh PostgreSQL database:

1. Queue. `members` active members of one community (seeded by COPY); `queue_bulk_email` queues the digest to
   all of them in one INSERT … SELECT inside a write transaction. Baseline: the same rows written by asyncpg's
   COPY from Python records (the fastest way PostgreSQL takes rows in). Median of a few rounds; ratio.
2. Send. An aiosmtpd sink in a process of its own (aiosmtpd.handlers.Sink: accepts and drops). Cercle's sender
   (claims, loads members, renders text and HTML in the member's language, sends, records each row) over
   EMAIL_CONNECTIONS connections with no rate cap, against a bare aiosmtplib loop sending one pre-rendered
   message over as many connections: the sink's own intake rate, the ceiling for any sender. Messages a second.

Sizes: FULL, or QUICK with --quick (a smoke run: every path once, figures meaningless).
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import aiosmtplib
import asyncpg
import orjson
from rich.console import Console
from rich.table import Table

from bench.figures import record
from bench.harness import ROOT, BenchmarkFailed, Options, asyncpg_url, free_port, temporary_database

NAME = "email"
DESCRIPTION = "queueing a digest to 10,000 members in one statement; the send rate against a local SMTP sink"
PASSWORD_HASH = "$argon2id$v=19$m=65536,t=3,p=4$bench$bench"  # never checked: nobody logs in
DIGEST = {
    "post_id": 1,
    "title": "This week in the Bench community",
    "excerpt": "Ten new members, three events, and the question everyone answered.",
    "community_name": "Bench",
    "community_slug": "bench",
    "highlights": [{"title": f"Highlight {n}", "path": f"/posts/UG9zdDo{n}"} for n in range(5)],
}


@dataclass(frozen=True)
class Scale:
    members: int  # the community a digest is queued to
    queue_rounds: int  # timed queueings (median kept)
    sent: int  # messages sent by each sender
    connections: int  # SMTP connections of each sender


FULL = Scale(members=10_000, queue_rounds=5, sent=5_000, connections=2)
QUICK = Scale(members=300, queue_rounds=1, sent=100, connections=2)


async def run(options: Options, console: Console) -> None:
    os.environ.setdefault("SECRET_KEY", "cercle-bench-secret-key-long-enough-for-hs256")
    from tortoise import Tortoise

    import settings
    from manage import run_migrations

    scale = QUICK if options.quick else FULL
    console.rule(f"[bold]email[/bold]: {DESCRIPTION}")
    async with temporary_database(f"cercle_bench_email_{os.getpid()}") as url:
        await run_migrations(url)
        await Tortoise.init(config=settings.tortoise_config(url))
        try:
            with console.status(f"Seeding {scale.members:,} members..."):
                community_id = await seed_members(url, scale.members)
            queued, copied = await measure_queue(url, community_id, scale)
            with console.status("Sending through the sink..."):
                cercle_rate, bare_rate = await measure_send(scale)
        finally:
            await Tortoise.close_connections()
    show(console, scale, queued, copied, cercle_rate, bare_rate)


async def seed_members(url: str, count: int) -> int:
    now = datetime.now(UTC)
    connection = await asyncpg.connect(asyncpg_url(url))
    try:
        members = [
            (i + 1, f"mail{i:05d}", f"mail{i:05d}@bench.cercle.invalid", PASSWORD_HASH, f"Reader {i}", now)
            for i in range(count)
        ]
        columns = ["id", "username", "email", "password_hash", "display_name", "joined_at"]
        await connection.copy_records_to_table("member", records=members, columns=columns)
        await connection.execute("SELECT setval(pg_get_serial_sequence('member', 'id'), $1)", count + 1)
        # Every other reader chose French: the sender renders both languages.
        await connection.execute("UPDATE member SET language = 'fr' WHERE id % 2 = 0")
        community_id: int = await connection.fetchval(
            "INSERT INTO community (slug, name, created_by_id, created_at) "
            "VALUES ('bench', 'Bench', 1, $1) RETURNING id",
            now,
        )
        await connection.copy_records_to_table(
            "membership",
            records=[(i + 1, community_id, now) for i in range(count)],
            columns=["member_id", "community_id", "joined_at"],
        )
    finally:
        await connection.close()
    return community_id


def digest_template() -> str:
    """Helper C's digest when it is there; else a template of the same weight to exercise the same path."""
    from resolvers.email.render import TEMPLATES_DIR

    return "digest" if (TEMPLATES_DIR / "en" / "digest.txt").exists() else "verify_email"


async def measure_queue(url: str, community_id: int, scale: Scale) -> tuple[float, float]:
    """(median seconds to queue through Cercle, median seconds for asyncpg's COPY of the same rows)."""
    from models.communities import MembershipStatus
    from models.email import OutgoingEmail
    from models.members import Member
    from resolvers.email.outbox import queue_bulk_email
    from resolvers.outbox import writing

    template = digest_template()
    params = {**DIGEST, "token": "bench", "welcome": False}
    cercle: list[float] = []
    for _ in range(scale.queue_rounds):
        await OutgoingEmail.all().delete()
        started = time.perf_counter()
        async with writing() as tx:
            readers = Member.filter(memberships__community_id=community_id, memberships__status=MembershipStatus.ACTIVE)
            count = await queue_bulk_email(tx, template=template, params=params, members=readers)
        cercle.append(time.perf_counter() - started)
        if count != scale.members:
            raise BenchmarkFailed(f"queued {count} emails for {scale.members} members")

    connection = await asyncpg.connect(asyncpg_url(url))
    copied: list[float] = []
    try:
        for _ in range(scale.queue_rounds):
            await connection.execute("DELETE FROM outgoing_email WHERE template = 'bench-copy'")
            started = time.perf_counter()
            rows = await connection.fetch("SELECT id, email FROM member")
            now = datetime.now(UTC)
            body = orjson.dumps(params).decode()
            records = [(r["id"], r["email"], "bench-copy", body, "QUEUED", 0, now, now) for r in rows]
            columns = ["member_id", "to_address", "template", "params", "status", "attempts", "next_attempt_at"]
            await connection.copy_records_to_table("outgoing_email", records=records, columns=[*columns, "created_at"])
            copied.append(time.perf_counter() - started)
        await connection.execute("DELETE FROM outgoing_email WHERE template = 'bench-copy'")
    finally:
        await connection.close()
    return statistics.median(cercle), statistics.median(copied)


def start_sink() -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):  # up to 30 s
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, port
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    raise BenchmarkFailed("the aiosmtpd sink did not start")


async def measure_send(scale: Scale) -> tuple[float, float]:
    """(Cercle's sender, messages/s; a bare aiosmtplib loop, messages/s), against one sink."""
    from models.email import EmailStatus, OutgoingEmail
    from resolvers.email.render import Outgoing, render
    from resolvers.email.sender import Sender
    from resolvers.email.transport import SmtpTransport, parse_email_url

    sink, port = start_sink()
    try:
        # Only `sent` rows are due; the rest of the digest waits (a later send would take it).
        due = await OutgoingEmail.all().order_by("id").limit(scale.sent).values_list("id", flat=True)
        await OutgoingEmail.exclude(id__in=due).update(next_attempt_at=datetime(2100, 1, 1, tzinfo=UTC))
        sender = Sender(
            SmtpTransport(parse_email_url(f"smtp://127.0.0.1:{port}")), rate=0, connections=scale.connections
        )
        started = time.perf_counter()
        handled = await sender.send_due()
        cercle_seconds = time.perf_counter() - started
        sent = await OutgoingEmail.filter(status=EmailStatus.SENT).count()
        if handled != scale.sent or sent != scale.sent:
            raise BenchmarkFailed(f"Cercle's sender sent {sent} of {scale.sent} messages")

        row = await OutgoingEmail.filter(status=EmailStatus.SENT).first()
        assert row is not None
        message = render(Outgoing(row.id, row.template, row.to_address, row.params))

        async def bare_connection(count: int) -> None:
            client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
            await client.connect()
            for _ in range(count):
                await client.send_message(message)
            await client.quit()

        share = scale.sent // scale.connections
        started = time.perf_counter()
        await asyncio.gather(*(bare_connection(share) for _ in range(scale.connections)))
        bare_seconds = time.perf_counter() - started
        return scale.sent / cercle_seconds, share * scale.connections / bare_seconds
    finally:
        sink.terminate()
        sink.wait(10)


def show(console: Console, scale: Scale, queued: float, copied: float, cercle_rate: float, bare_rate: float) -> None:
    queue_table = Table(title=f"Queueing a digest to {scale.members:,} members (median)", title_justify="left")
    for column in ("how", "ms", "rows/s", "÷ COPY"):
        queue_table.add_column(column, justify="left" if column == "how" else "right")
    queue_table.add_row(
        "Cercle: queue_bulk_email (INSERT … SELECT)",
        f"{queued * 1000:.0f}",
        f"{scale.members / queued:,.0f}",
        f"{queued / copied:.2f}",
    )
    queue_table.add_row(
        "asyncpg COPY of the same rows (baseline)", f"{copied * 1000:.0f}", f"{scale.members / copied:,.0f}", "1.00"
    )
    console.print(queue_table)
    send_table = Table(
        title=f"Sending {scale.sent:,} messages to a local aiosmtpd sink over {scale.connections} connections",
        title_justify="left",
    )
    for column in ("sender", "messages/s", "÷ sink"):
        send_table.add_column(column, justify="left" if column == "sender" else "right")
    send_table.add_row(
        "Cercle's sender (claim, render en/fr, send, record)", f"{cercle_rate:,.0f}", f"{cercle_rate / bare_rate:.2f}"
    )
    send_table.add_row(
        "bare aiosmtplib loop, one pre-rendered message (the sink's intake)", f"{bare_rate:,.0f}", "1.00"
    )
    console.print(send_table)
    record(
        "email.queue_digest_ms",
        queued * 1000,
        "ms",
        label=f"queue a digest to {scale.members:,} members",
        baseline=copied * 1000,
    )
    record("email.send_rate", cercle_rate, "msg/s", label="send through a local SMTP sink", baseline=bare_rate)
    console.print(
        "[dim]Cercle's sender ran with no rate cap (EMAIL_SEND_RATE paces it in production); every row was recorded "
        "SENT.[/dim]"
    )
