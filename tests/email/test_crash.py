"""A sender process killed between sending and recording: the message arrives at most twice, as one Message-ID."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from typing import Any

from models.email import EmailStatus, OutgoingEmail
from resolvers.email.outbox import queue_email
from resolvers.email.sender import Sender
from resolvers.email.transport import SmtpTransport, parse_email_url
from resolvers.outbox import writing
from tests.email.conftest import WAIT_SECONDS, SmtpServer
from tests.fixtures.server import ROOT

LEASE_SECONDS = 3.0


class WatchedSender(Sender):
    """Says when it has recorded a row as SENT."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recorded: asyncio.Queue[int] = asyncio.Queue()

    async def record_sent(self, row_id: int) -> None:
        await super().record_sent(row_id)
        self.recorded.put_nowait(row_id)


async def test_a_row_whose_sender_died_is_sent_again_after_the_lease(database: str, smtp: SmtpServer) -> None:
    async with writing() as tx:
        row = await queue_email(tx, template="reset_password", to_address="carol@example.org", params={"token": "t"})
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.email.sender_process",
        database,
        smtp.url,
        str(LEASE_SECONDS),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout
        line = await asyncio.wait_for(process.stdout.readline(), WAIT_SECONDS)
        assert line.decode().strip() == f"sent {row.id}"
        first = await smtp.next_message()
    finally:
        process.kill()  # SIGKILL: no clean-up runs
        await process.wait()

    claimed = await OutgoingEmail.get(id=row.id)
    assert claimed.status == EmailStatus.QUEUED and claimed.claimed_until is not None  # never recorded
    assert claimed.claimed_until > datetime.now(UTC)

    sender = WatchedSender(SmtpTransport(parse_email_url(smtp.url)), rate=1000)
    assert await sender.send_due() == 0  # the dead sender's lease still holds the row
    running = asyncio.create_task(sender.run(poll_seconds=60))  # wakes when the lease ends, not at the poll
    try:
        second = await smtp.next_message(wait_seconds=LEASE_SECONDS + WAIT_SECONDS)
        assert await asyncio.wait_for(sender.recorded.get(), WAIT_SECONDS) == row.id
    finally:
        running.cancel()

    assert first["Message-ID"] == second["Message-ID"] == f"<email-{row.id}@localhost>"
    assert len(smtp.collector.accepted) == 2  # at most one duplicate, which mail clients merge
    done = await OutgoingEmail.get(id=row.id)
    assert (done.status, done.attempts, done.claimed_until) == (EmailStatus.SENT, 2, None)
