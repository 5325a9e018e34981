"""Where messages go: an SMTP server (EMAIL_URL, through aiosmtplib), or .eml files in development.

A transport hands out connections; a connection sends message after message, and says how a message failed:
`TemporaryFailure` (4xx replies, refused connections, timeouts: try again later) or `PermanentFailure` (5xx: the
address or the message is refused for good).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib

DEFAULT_PORTS = {"smtp": 25, "smtps": 465, "smtp+starttls": 587}
SMTP_TIMEOUT_SECONDS = 30.0


class SendFailure(Exception):
    """A message was not accepted; `str()` says why, for the outbox row's last_error."""


class TemporaryFailure(SendFailure):
    def __init__(self, text: str, *, server_trouble: bool = False) -> None:
        super().__init__(text)
        # The server is unreachable or closing (not a reply about this one message): the next would fail too.
        self.server_trouble = server_trouble


class PermanentFailure(SendFailure):
    pass


class Connection(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


class Transport(Protocol):
    def describe(self) -> str: ...

    def connect(self) -> AbstractAsyncContextManager[Connection]: ...


@dataclass(frozen=True)
class SmtpServer:
    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool  # smtps: TLS from the first byte
    start_tls: bool  # smtp+starttls: STARTTLS required


def parse_email_url(url: str) -> SmtpServer:
    """`smtp://`, `smtps://` or `smtp+starttls://` [user[:password]@]host[:port]; a clear error for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS:
        raise ValueError(f"EMAIL_URL must start with smtp://, smtps:// or smtp+starttls://, not {parts.scheme!r}.")
    if not parts.hostname:
        raise ValueError("EMAIL_URL names no host, e.g. smtp+starttls://user:password@mail.example.org:587.")
    return SmtpServer(
        hostname=parts.hostname,
        port=parts.port or DEFAULT_PORTS[parts.scheme],
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=parts.scheme == "smtps",
        start_tls=parts.scheme == "smtp+starttls",
    )


# Refusals that say nothing of the recipient: Cercle's own set-up (login, HELO, From, TLS) is wrong or the server
# is unwell. Whatever their code, the message is tried again later, and no address is marked bounced.
SERVER_SIDE_ERRORS = (
    aiosmtplib.SMTPAuthenticationError,
    aiosmtplib.SMTPHeloError,
    aiosmtplib.SMTPSenderRefused,
    aiosmtplib.SMTPNotSupported,
    aiosmtplib.SMTPConnectError,
    aiosmtplib.SMTPServerDisconnected,
)


def classify(error: Exception) -> SendFailure:
    """4xx and network trouble are temporary; 5xx replies about the recipient or the message are permanent."""
    if isinstance(error, SERVER_SIDE_ERRORS):
        return TemporaryFailure(f"{type(error).__name__}: {error}", server_trouble=True)
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        codes = [refusal.code for refusal in error.recipients]
        text = "; ".join(f"{refusal.code} {refusal.message}" for refusal in error.recipients)
        return PermanentFailure(text) if codes and min(codes) >= 500 else TemporaryFailure(text)
    if isinstance(error, aiosmtplib.SMTPResponseException):
        text = f"{error.code} {error.message}"
        if 500 <= error.code < 600:
            return PermanentFailure(text)
        return TemporaryFailure(text, server_trouble=error.code == 421)  # 421: the server is closing the session
    return TemporaryFailure(f"{type(error).__name__}: {error}", server_trouble=True)  # refused, reset, timed out


class SmtpConnection:
    """One SMTP session carrying message after message; opened on the first, and again after a failure closed it."""

    def __init__(self, client: aiosmtplib.SMTP) -> None:
        self.client = client

    async def send(self, message: EmailMessage) -> None:
        try:
            if not self.client.is_connected:
                await self.client.connect()
            await self.client.send_message(message)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            failure = classify(error)
            await self._recover(failure)
            raise failure from error

    async def _recover(self, failure: SendFailure) -> None:
        """After a refusal the session goes on (RSET); after trouble it is closed, to be opened again."""
        if isinstance(failure, PermanentFailure) and self.client.is_connected:
            try:
                await self.client.rset()
                return
            except (aiosmtplib.SMTPException, OSError, TimeoutError):
                pass
        self.client.close()


class SmtpTransport:
    def __init__(self, server: SmtpServer, tls_context: ssl.SSLContext | None = None) -> None:
        self.server = server
        self.tls_context = tls_context

    def describe(self) -> str:
        scheme = "smtps" if self.server.use_tls else "smtp+starttls" if self.server.start_tls else "smtp"
        return f"{scheme}://{self.server.hostname}:{self.server.port}"

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[Connection]:
        server = self.server
        client = aiosmtplib.SMTP(
            hostname=server.hostname,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.use_tls,
            start_tls=True if server.start_tls else False,  # plain smtp:// never upgrades behind the URL's back
            timeout=SMTP_TIMEOUT_SECONDS,
            tls_context=self.tls_context,
        )
        try:
            yield SmtpConnection(client)
        except BaseException:
            client.close()  # stopping or failing: no polite QUIT that could wait on a stuck server
            raise
        if client.is_connected:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError, TimeoutError):
                client.close()


class FileConnection:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def send(self, message: EmailMessage) -> None:
        """`<Message-ID>.eml`: a resend overwrites the same file, as a mail client merges the duplicate."""
        name = str(message["Message-ID"]).strip("<>").replace("/", "_") + ".eml"
        await asyncio.to_thread(self._write, self.directory / name, bytes(message))

    def _write(self, path: Path, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".eml.partial")
        partial.write_bytes(data)
        partial.replace(path)  # a reader never sees half a message


class FileTransport:
    """Development without EMAIL_URL: each message is an .eml file to open in any mail client."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def describe(self) -> str:
        return f"files under {self.directory}"

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[Connection]:
        yield FileConnection(self.directory)
