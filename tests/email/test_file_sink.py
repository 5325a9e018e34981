"""Development without EMAIL_URL: each message is an .eml file; production without it: email is off."""

from __future__ import annotations

import logging
from email import message_from_bytes, policy
from pathlib import Path

import pytest

import settings
from resolvers.email import sender as sender_module
from resolvers.email.outbox import queue_email
from resolvers.email.sender import Sender, transport_from_settings
from resolvers.email.transport import FileTransport, SmtpTransport
from resolvers.outbox import writing


async def test_messages_are_written_as_eml_files(tmp_path: Path) -> None:
    async with writing() as tx:
        row = await queue_email(
            tx, template="verify_email", to_address="dev@example.org", params={"token": "abc", "welcome": True}
        )

    await Sender(FileTransport(tmp_path / "mail"), rate=1000).send_due()
    await Sender(FileTransport(tmp_path / "mail"), rate=1000).send_due()  # nothing left: no second file

    files = list((tmp_path / "mail").iterdir())
    assert [f.name for f in files] == [f"email-{row.id}@localhost.eml"]
    message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["Subject"] == "Welcome to Cercle: confirm your email address"
    assert "http://localhost:8000/verify-email?token=abc" in message.get_body(("plain",)).get_content()


def test_the_transport_follows_the_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(settings, "EMAIL_URL", None)
    monkeypatch.setattr(settings, "EMAIL_DIR", tmp_path)
    monkeypatch.setattr(settings, "PRODUCTION", False)
    development = transport_from_settings()
    assert isinstance(development, FileTransport) and development.describe() == f"files under {tmp_path}"
    monkeypatch.setattr(settings, "PRODUCTION", True)
    assert transport_from_settings() is None
    monkeypatch.setattr(settings, "EMAIL_URL", "smtp+starttls://u%40x:p%3Aw@mail.example.org")
    smtp = transport_from_settings()
    assert isinstance(smtp, SmtpTransport)
    assert (smtp.server.username, smtp.server.password, smtp.server.port) == ("u@x", "p:w", 587)
    assert smtp.server.start_tls and not smtp.server.use_tls


async def test_production_without_email_url_says_email_is_off(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(settings, "EMAIL_URL", None)
    monkeypatch.setattr(settings, "PRODUCTION", True)
    with caplog.at_level(logging.WARNING, logger="cercle.email"):
        await sender_module.run_email_sender()  # returns at once: no sender
    assert "Email is off" in caplog.text and "EMAIL_URL" in caplog.text


def test_bad_email_urls_are_explained() -> None:
    from resolvers.email.transport import parse_email_url

    for url, words in (("http://x", "must start with smtp://"), ("smtp://", "names no host")):
        with pytest.raises(ValueError, match=words):
            parse_email_url(url)
    assert parse_email_url("smtps://mail.example.org").port == 465
    assert parse_email_url("smtp://127.0.0.1:2525").port == 2525
