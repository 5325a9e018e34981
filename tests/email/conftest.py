"""A real SMTP server (aiosmtpd) in the test process, and an unsubscribable template of the tests' own.

The server runs in aiosmtpd's thread; each message it accepts is handed to the test's event loop, where tests
wait for it with a timeout (`await smtp.next_message()`), never by sleeping.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from jinja2 import ChoiceLoader, FileSystemLoader

from models.email import OutgoingEmail
from resolvers.email import render
from resolvers.email.preferences import UNSUBSCRIBABLE, Preference
from resolvers.email.sender import Sender
from resolvers.email.transport import SmtpTransport, parse_email_url
from tests.fixtures.server import free_port

WAIT_SECONDS = 20.0


class Collector:
    """aiosmtpd handler: accepts mail (or answers as told), and hands each accepted message to the test's loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.received: asyncio.Queue[EmailMessage] = asyncio.Queue()
        self.accepted: list[EmailMessage] = []
        self.data_replies: list[str] = []  # answers to DATA before accepting, in order ("421 …")
        self.refused_recipients: dict[str, str] = {}  # address -> reply to RCPT TO ("550 …")
        self.hold: asyncio.Event | None = None  # when set by a test, DATA waits for it (a slow server)
        self.holding = asyncio.Event()  # set once a message is being held

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refused_recipients:
            return self.refused_recipients[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.data_replies:
            return self.data_replies.pop(0)
        if self.hold is not None:
            self.loop.call_soon_threadsafe(self.holding.set)
            hold = self.hold
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(hold.wait(), self.loop))
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        message: Any = message_from_bytes(content, policy=policy.default)
        self.loop.call_soon_threadsafe(self._accepted, message)
        return "250 Message accepted for delivery"

    def _accepted(self, message: EmailMessage) -> None:
        self.accepted.append(message)
        self.received.put_nowait(message)

    async def next_message(self, wait_seconds: float = WAIT_SECONDS) -> EmailMessage:
        return await asyncio.wait_for(self.received.get(), wait_seconds)


class SmtpServer:
    def __init__(self, collector: Collector, port: int) -> None:
        self.collector = collector
        self.port = port
        self.url = f"smtp://127.0.0.1:{port}"

    def sender(self, **options: Any) -> Sender:
        options.setdefault("rate", 1000)
        options.setdefault("retry_schedule", [0, 0, 0])
        return Sender(SmtpTransport(parse_email_url(self.url)), **options)

    async def next_message(self, wait_seconds: float = WAIT_SECONDS) -> EmailMessage:
        return await self.collector.next_message(wait_seconds)


@pytest.fixture
async def smtp() -> AsyncIterator[SmtpServer]:
    collector = Collector(asyncio.get_running_loop())
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    try:
        yield SmtpServer(collector, port)
    finally:
        controller.stop()


@pytest.fixture
def newsletter(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An unsubscribable template of the tests' own, on the real base templates (digests come with helper C)."""
    loader = ChoiceLoader(
        [FileSystemLoader(Path(__file__).parent / "templates"), FileSystemLoader(render.TEMPLATES_DIR)]
    )
    render.environment.cache_clear()
    monkeypatch.setattr(render.environment(), "loader", loader)
    monkeypatch.setitem(UNSUBSCRIBABLE, "newsletter", Preference.DIGEST)
    yield "newsletter"
    render.environment.cache_clear()


async def drop_queued_email() -> None:
    """Tests count their own messages: what registering members queued (welcome emails) is dropped first."""
    await OutgoingEmail.all().delete()
