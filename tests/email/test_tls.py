"""EMAIL_URL's secure schemes against real TLS servers: STARTTLS with a login, and TLS from the first byte."""

from __future__ import annotations

import asyncio
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from resolvers.email.outbox import queue_email
from resolvers.email.sender import Sender
from resolvers.email.transport import SmtpTransport, parse_email_url
from resolvers.outbox import writing
from tests.email.conftest import Collector
from tests.fixtures.server import free_port


@pytest.fixture
def certificate(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A self-signed certificate for 127.0.0.1, made by openssl."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    yield cert, key


def contexts(certificate: tuple[Path, Path]) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    cert, key = certificate
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=str(cert))
    return server, client


class OneAccount:
    def __init__(self, login: bytes, password: bytes) -> None:
        self.login, self.password = login, password

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (self.login, self.password)
        return AuthResult(success=ok, handled=False)


async def send_one(url: str, client_context: ssl.SSLContext) -> None:
    async with writing() as tx:
        await queue_email(tx, template="reset_password", to_address="t@example.org", params={"token": "t"})
    await Sender(SmtpTransport(parse_email_url(url), tls_context=client_context), rate=1000).send_due()


async def test_starttls_with_a_login(certificate: tuple[Path, Path]) -> None:
    server_context, client_context = contexts(certificate)
    collector = Collector(asyncio.get_running_loop())
    port = free_port()
    controller = Controller(
        collector, hostname="127.0.0.1", port=port, tls_context=server_context, require_starttls=True,
        authenticator=OneAccount(b"mailer@example.org", b"p:ss w@rd"), auth_required=True,
    )  # fmt: skip
    controller.start()
    try:
        await send_one(f"smtp+starttls://mailer%40example.org:p%3Ass%20w%40rd@127.0.0.1:{port}", client_context)
        message = await collector.next_message()
        assert message["Subject"] == "Reset your Cercle password"
    finally:
        controller.stop()


async def test_smtps_is_tls_from_the_first_byte(certificate: tuple[Path, Path]) -> None:
    server_context, client_context = contexts(certificate)
    collector = Collector(asyncio.get_running_loop())
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port, ssl_context=server_context)
    controller.start()
    try:
        await send_one(f"smtps://127.0.0.1:{port}", client_context)
        assert (await collector.next_message())["Subject"] == "Reset your Cercle password"
    finally:
        controller.stop()


async def test_a_wrong_login_is_retried_later_and_bounces_nobody(certificate: tuple[Path, Path]) -> None:
    from models.email import EmailStatus, OutgoingEmail
    from models.members import Member
    from tests.factories import make_member

    server_context, client_context = contexts(certificate)
    collector = Collector(asyncio.get_running_loop())
    port = free_port()
    controller = Controller(
        collector, hostname="127.0.0.1", port=port, tls_context=server_context, require_starttls=True,
        authenticator=OneAccount(b"mailer", b"right"), auth_required=True,
    )  # fmt: skip
    controller.start()
    try:
        member = (await make_member()).member
        await OutgoingEmail.all().delete()
        async with writing() as tx:
            row = await queue_email(
                tx, template="reset_password", to_address=member.email, member_id=member.id, params={"token": "t"}
            )
        url = f"smtp+starttls://mailer:wrong@127.0.0.1:{port}"
        await Sender(SmtpTransport(parse_email_url(url), tls_context=client_context), retry_schedule=[60]).send_due()
    finally:
        controller.stop()
    waiting = await OutgoingEmail.get(id=row.id)
    assert waiting.status == EmailStatus.QUEUED and "Authentication" in (waiting.last_error or "")
    assert (await Member.get(id=member.id)).email_bounced_at is None
