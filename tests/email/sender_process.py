"""A sender in a process of its own that stops dead between sending a message and recording it.

`python -m tests.email.sender_process DATABASE_URL SMTP_URL LEASE_SECONDS`: claims due rows, sends the first,
prints "sent <id>" once the SMTP server accepted it, and then hangs before recording SENT, until killed.
"""

from __future__ import annotations

import asyncio
import sys

from tortoise import Tortoise

import settings
from resolvers.email.sender import Sender
from resolvers.email.transport import SmtpTransport, parse_email_url


class SenderThatHangsBeforeRecording(Sender):
    async def record_sent(self, row_id: int) -> None:
        print(f"sent {row_id}", flush=True)
        await asyncio.Event().wait()  # the crash window: accepted by the server, not yet recorded


async def main(database_url: str, smtp_url: str, lease_seconds: float) -> None:
    await Tortoise.init(config=settings.tortoise_config(database_url))
    try:
        sender = SenderThatHangsBeforeRecording(
            SmtpTransport(parse_email_url(smtp_url)), rate=1000, lease_seconds=lease_seconds, claim_size=1
        )
        await sender.send_due()
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3])))
