"""Rendering an outbox row into the message sent: Jinja2 templates in the recipient's language, text and HTML.

Templates live in templates/<language>/<template>.txt and .html, each extending base.txt or base.html of its
language. The subject is the .txt template's `{% block subject %}`. HTML is autoescaped; undefined names are
errors (StrictUndefined), so a template and the code that queues it cannot drift apart silently.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

import settings
from resolvers.email.preferences import LANGUAGES, UNSUBSCRIBABLE
from resolvers.email.unsubscribe import unsubscribe_token

TEMPLATES_DIR = Path(__file__).parent / "templates"
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Recipient:
    """The member an email is for, as read at send time (None for an address with no member: an invitation)."""

    id: int
    username: str
    display_name: str
    language: str


@dataclass(frozen=True)
class Outgoing:
    """What rendering needs of an outbox row."""

    id: int
    template: str
    to_address: str
    params: dict[str, Any]
    language: str | None = None
    member: Recipient | None = None


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def language_of(outgoing: Outgoing) -> str:
    """The member's chosen language, else the row's (an invitation's), else English."""
    for language in (outgoing.member.language if outgoing.member else None, outgoing.language):
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def absolute_url(path: str) -> str:
    """A link into the web app: `url('/posts/12')` -> https://cercle.example.org/posts/12."""
    return settings.public_url() + "/" + path.lstrip("/")


def unsubscribe_url(outgoing: Outgoing) -> str | None:
    preference = UNSUBSCRIBABLE.get(outgoing.template)
    if preference is None or outgoing.member is None:
        return None
    return absolute_url(f"/unsubscribe?token={unsubscribe_token(outgoing.member.id, preference)}")


def message_id(outgoing_id: int) -> str:
    """The same for every attempt at one row: mail clients merge the duplicate a crash may cause."""
    host = urlsplit(settings.public_url()).hostname or "localhost"
    return f"<email-{outgoing_id}@{host}>"


def render(outgoing: Outgoing, *, now: datetime | None = None) -> EmailMessage:
    language = language_of(outgoing)
    member = outgoing.member
    context: dict[str, Any] = {
        **outgoing.params,
        "member": {"display_name": member.display_name, "username": member.username} if member else None,
        "url": absolute_url,
        "unsubscribe_url": unsubscribe_url(outgoing),
        "language": language,
    }
    env = environment()
    text_template = env.get_template(f"{language}/{outgoing.template}.txt")
    subject_block = text_template.blocks["subject"](text_template.new_context(context))
    subject = re.sub(r"\s+", " ", "".join(subject_block)).strip()  # one line, whatever the template's layout
    text = text_template.render(context)
    html = env.get_template(f"{language}/{outgoing.template}.html").render({**context, "subject": subject})

    message = EmailMessage()
    message["From"] = settings.EMAIL_FROM
    message["To"] = Address(display_name=member.display_name if member else "", addr_spec=outgoing.to_address)
    message["Subject"] = subject
    message["Date"] = email.utils.format_datetime(now or datetime.now(UTC))
    message["Message-ID"] = message_id(outgoing.id)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to it
    if context["unsubscribe_url"]:
        message["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message
