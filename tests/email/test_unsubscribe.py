"""One-click unsubscribe (RFC 8058): the headers in the email, and the link POSTed to a real server."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from models.members import DigestFrequency, Member, NotificationEmailMode
from resolvers.email.outbox import queue_email
from resolvers.email.preferences import Preference
from resolvers.email.unsubscribe import unsubscribe_token
from resolvers.outbox import writing
from tests.email.conftest import SmtpServer, drop_queued_email
from tests.factories import Persona
from tests.fixtures.server import Server


async def post(server: Server, path_and_query: str) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(
            server.url + path_and_query,
            content="List-Unsubscribe=One-Click",  # what mail clients send (RFC 8058)
            headers={"content-type": "application/x-www-form-urlencoded"},
        )


async def test_the_link_in_a_digest_unsubscribes_without_logging_in(
    smtp: SmtpServer, member_bob: Persona, newsletter: str, live_server: Server
) -> None:
    await drop_queued_email()
    async with writing() as tx:
        await queue_email(
            tx,
            template=newsletter,
            to_address=member_bob.member.email,
            member_id=member_bob.member.id,
            params={"title": "Week 12", "post_id": 3, "community_name": "Gardeners"},
        )
    await smtp.sender().send_due()
    message = await smtp.next_message()

    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(message["List-Unsubscribe"]).strip().strip("<>")  # folded onto its own line: legal
    assert link.startswith("http://localhost:8000/unsubscribe?token=")
    assert link in message.get_body(("plain",)).get_content()
    assert f'href="{link}"' in message.get_body(("html",)).get_content()
    assert "http://localhost:8000/posts/3" in message.get_body(("plain",)).get_content()
    parts = urlsplit(link)

    async with httpx.AsyncClient() as client:  # a mail scanner fetching the link changes nothing
        page = await client.get(f"{live_server.url}{parts.path}?{parts.query}")
    assert page.status_code in (200, 503)  # the web app's page (503 when the app is not built)
    assert (await Member.get(id=member_bob.member.id)).digest_email == DigestFrequency.WEEKLY

    answer = await post(live_server, f"{parts.path}?{parts.query}")
    assert answer.status_code == 200
    assert answer.json() == {"unsubscribed": "digest"}
    member = await Member.get(id=member_bob.member.id)
    assert member.digest_email == DigestFrequency.NEVER
    assert member.notification_email == NotificationEmailMode.BUNDLED  # the other preference is untouched

    again = await post(live_server, f"{parts.path}?{parts.query}")  # a second click is no error
    assert again.json() == {"unsubscribed": "digest"}


async def test_notifications_link_turns_notifications_off(member_bob: Persona, live_server: Server) -> None:
    token = unsubscribe_token(member_bob.member.id, Preference.NOTIFICATIONS)
    answer = await post(live_server, f"/unsubscribe?token={token}")
    assert answer.json() == {"unsubscribed": "notifications"}
    assert (await Member.get(id=member_bob.member.id)).notification_email == NotificationEmailMode.NEVER


async def test_forged_malformed_and_huge_tokens_are_refused(
    member_bob: Persona, owner_alice: Persona, live_server: Server
) -> None:
    genuine = unsubscribe_token(member_bob.member.id, Preference.DIGEST)
    _, preference, signature = genuine.split(".")
    forged = [
        f"{owner_alice.member.id}.{preference}.{signature}",  # someone else's id under Bob's signature
        f"{member_bob.member.id}.notifications.{signature}",  # another preference
        genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"),
        "",
        "not-a-token",
        "1.digest",
        "x" * 60_000,  # under httpx's 65,536-character URL limit
        "1.dig\x00est.abc",
        "١.digest." + signature,  # a non-ASCII digit
    ]
    for token in forged:
        answer = await post(live_server, "/unsubscribe?" + str(httpx.QueryParams({"token": token})))
        assert answer.status_code in (400, 414, 431), (token[:40], answer.status_code)
        if answer.status_code == 400:
            assert answer.json()["error"]["code"] == "BAD_USER_INPUT"
            assert answer.json()["error"]["field"] == "token"
    assert (await Member.get(id=member_bob.member.id)).digest_email == DigestFrequency.WEEKLY
    assert (await Member.get(id=owner_alice.member.id)).digest_email == DigestFrequency.WEEKLY


async def test_no_token_at_all_is_bad_input(live_server: Server) -> None:
    answer = await post(live_server, "/unsubscribe")
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "BAD_USER_INPUT"
