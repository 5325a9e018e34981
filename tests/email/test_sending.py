"""The sender against a real SMTP server: what arrives, retries on 4xx, bounces on 5xx, skips, and claims."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime
from typing import Any

from models.email import EmailStatus, OutgoingEmail
from models.members import DigestFrequency, Member
from resolvers.email.outbox import queue_bulk_email, queue_email
from resolvers.outbox import writing
from tests.email.conftest import SmtpServer, drop_queued_email
from tests.factories import Persona, make_member


async def queue(template: str, member: Member | None, to: str | None = None, **params: Any) -> OutgoingEmail:
    async with writing() as tx:
        return await queue_email(
            tx,
            template=template,
            to_address=to or (member.email if member else ""),
            params=params,
            member_id=member.id if member else None,
        )


async def status_of(row: OutgoingEmail) -> OutgoingEmail:
    return await OutgoingEmail.get(id=row.id)


async def test_a_reset_email_arrives_with_its_headers_parts_and_link(smtp: SmtpServer, member_bob: Persona) -> None:
    await drop_queued_email()
    row = await queue("reset_password", member_bob.member, token="tok-123")

    assert await smtp.sender().send_due() == 1

    message = await smtp.next_message()
    assert message["To"].addresses[0].addr_spec == member_bob.member.email
    assert message["Subject"] == "Reset your Cercle password"
    assert message["Message-ID"] == f"<email-{row.id}@localhost>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe"] is None  # asked for: nothing to unsubscribe from
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "http://localhost:8000/reset-password?token=tok-123" in text
    assert 'href="http://localhost:8000/reset-password?token=tok-123"' in html
    assert f"Hello {member_bob.member.display_name}," in text
    sent = await status_of(row)
    assert (sent.status, sent.attempts, sent.claimed_until) == (EmailStatus.SENT, 1, None)
    assert sent.sent_at is not None


async def test_a_member_who_chose_french_gets_french(smtp: SmtpServer, member_bob: Persona) -> None:
    await drop_queued_email()
    await Member.filter(id=member_bob.member.id).update(language="fr")
    await queue("verify_email", member_bob.member, token="t", welcome=True)
    await queue("verify_email", None, to="newcomer@example.org", token="t", welcome=False)

    await smtp.sender().send_due()

    by_address = {
        str(m["To"].addresses[0].addr_spec): m for m in [await smtp.next_message(), await smtp.next_message()]
    }
    french = by_address[member_bob.member.email]
    assert french["Subject"] == "Bienvenue sur Cercle : confirmez votre adresse e-mail"
    assert "Bonjour" in french.get_body(("plain",)).get_content()
    assert by_address["newcomer@example.org"]["Subject"] == "Confirm your email address on Cercle"


async def test_an_address_row_in_french_without_a_member(smtp: SmtpServer) -> None:
    async with writing() as tx:
        await queue_email(
            tx, template="reset_password", to_address="x@example.org", params={"token": "t"}, language="fr"
        )
    await smtp.sender().send_due()
    assert (await smtp.next_message())["Subject"] == "Réinitialisez votre mot de passe Cercle"


async def test_hostile_names_and_params_are_escaped_in_html(
    smtp: SmtpServer, member_bob: Persona, newsletter: str
) -> None:
    await drop_queued_email()
    hostile = '<img src=x onerror="alert(1)">'
    await Member.filter(id=member_bob.member.id).update(display_name=hostile)
    await queue(newsletter, member_bob.member, title="<script>alert(2)</script>", post_id=1, community_name="A&B")

    await smtp.sender().send_due()

    message = await smtp.next_message()
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    assert message["Subject"] == "A&B: <script>alert(2)</script>"  # a header is text, not HTML
    assert "<script>alert(2)</script>" in message.get_body(("plain",)).get_content()


async def test_the_sender_wakes_when_a_commit_queues_email(smtp: SmtpServer, member_bob: Persona) -> None:
    await drop_queued_email()
    sender = asyncio.create_task(smtp.sender().run(poll_seconds=3600))  # would never poll within the test
    try:
        row = await queue("reset_password", member_bob.member, token="t")
        message = await smtp.next_message()
        assert message["Message-ID"] == f"<email-{row.id}@localhost>"
    finally:
        sender.cancel()


async def test_a_421_is_retried_and_the_message_arrives_once(smtp: SmtpServer, member_bob: Persona) -> None:
    await drop_queued_email()
    smtp.collector.data_replies.append("421 4.3.2 Service not available, try again later")
    row = await queue("reset_password", member_bob.member, token="t")

    await smtp.sender(retry_schedule=[0]).send_due()  # 0 s: the retry is due in the same pass

    await smtp.next_message()
    assert len(smtp.collector.accepted) == 1
    sent = await status_of(row)
    assert (sent.status, sent.attempts, sent.last_error) == (EmailStatus.SENT, 2, None)


async def test_temporary_failures_wait_for_the_schedule_then_give_up(smtp: SmtpServer, member_bob: Persona) -> None:
    await drop_queued_email()
    smtp.collector.data_replies.extend(["451 4.3.0 Try later"] * 3)
    row = await queue("reset_password", member_bob.member, token="t")
    sender = smtp.sender(retry_schedule=[3600])

    await sender.send_due()
    waiting = await status_of(row)
    assert waiting.status == EmailStatus.QUEUED and waiting.last_error and waiting.last_error.startswith("451")
    assert waiting.next_attempt_at > datetime.now(UTC)
    assert await sender.send_due() == 0  # not due yet

    await OutgoingEmail.filter(id=row.id).update(next_attempt_at=datetime.now(UTC))  # an hour later
    await sender.send_due()
    assert (await status_of(row)).status == EmailStatus.FAILED  # the schedule is spent
    assert smtp.collector.accepted == []


async def test_a_refused_connection_is_temporary(member_bob: Persona) -> None:
    from resolvers.email.sender import Sender
    from resolvers.email.transport import SmtpTransport, parse_email_url
    from tests.fixtures.server import free_port

    await drop_queued_email()
    row = await queue("reset_password", member_bob.member, token="t")
    await Sender(SmtpTransport(parse_email_url(f"smtp://127.0.0.1:{free_port()}")), retry_schedule=[60]).send_due()
    waiting = await status_of(row)
    assert waiting.status == EmailStatus.QUEUED and waiting.attempts == 1 and waiting.last_error


async def test_a_550_fails_bounces_the_address_and_skips_the_next_mail(
    smtp: SmtpServer, member_bob: Persona, newsletter: str
) -> None:
    await drop_queued_email()
    smtp.collector.refused_recipients[member_bob.member.email] = "550 5.1.1 No such user"
    first = await queue("reset_password", member_bob.member, token="t")
    await smtp.sender().send_due()

    failed = await status_of(first)
    assert failed.status == EmailStatus.FAILED and failed.last_error and "550" in failed.last_error
    assert (await Member.get(id=member_bob.member.id)).email_bounced_at is not None

    smtp.collector.refused_recipients.clear()  # the address works again, but nobody verified it yet
    later = await queue(newsletter, member_bob.member, title="News", post_id=1, community_name="C")
    verification = await queue("verify_email", member_bob.member, token="t", welcome=False)
    await smtp.sender().send_due()

    assert (await status_of(later)).status == EmailStatus.SKIPPED
    assert (await status_of(verification)).status == EmailStatus.SENT  # how the address gets mail again
    assert [m["Message-ID"] for m in smtp.collector.accepted] == [f"<email-{verification.id}@localhost>"]


async def test_rows_of_deleted_suspended_or_unsubscribed_members_are_skipped(smtp: SmtpServer, newsletter: str) -> None:
    deleted, suspended, unsubscribed, reader = [(await make_member()).member for _ in range(4)]
    await drop_queued_email()
    rows = [
        await queue(newsletter, m, title="T", post_id=1, community_name="C")
        for m in (deleted, suspended, unsubscribed, reader)
    ]
    now = datetime.now(UTC)
    await Member.filter(id=deleted.id).update(deleted_at=now)
    await Member.filter(id=suspended.id).update(suspended_at=now)
    await Member.filter(id=unsubscribed.id).update(digest_email=DigestFrequency.NEVER)

    await smtp.sender().send_due()

    statuses = [(await status_of(row)).status for row in rows]
    assert statuses == [EmailStatus.SKIPPED] * 3 + [EmailStatus.SENT]
    assert [m["To"].addresses[0].addr_spec for m in smtp.collector.accepted] == [reader.email]


async def test_two_senders_at_once_never_send_a_row_twice(smtp: SmtpServer) -> None:
    async with writing() as tx:
        for n in range(60):
            await queue_email(tx, template="reset_password", to_address=f"r{n}@example.org", params={"token": "t"})
    first, second = smtp.sender(claim_size=5, connections=2), smtp.sender(claim_size=5, connections=2)

    handled = await asyncio.gather(first.send_due(), second.send_due())

    assert sum(handled) == 60
    ids = [m["Message-ID"] for m in [await smtp.next_message() for _ in range(60)]]
    assert len(set(ids)) == 60
    assert smtp.collector.received.empty()
    assert await OutgoingEmail.filter(status=EmailStatus.SENT, attempts=1).count() == 60


async def test_a_bulk_queue_reaches_each_member_once(smtp: SmtpServer, newsletter: str) -> None:
    members = [(await make_member()).member for _ in range(3)]
    await Member.filter(id=members[2].id).update(suspended_at=datetime.now(UTC))
    await drop_queued_email()
    async with writing() as tx:
        queued = await queue_bulk_email(
            tx,
            template=newsletter,
            params={"title": "Week 12", "post_id": 7, "community_name": "Gardeners"},
            members=Member.filter(id__in=[m.id for m in members]),
        )
    assert queued == 2  # the suspended member is left out at once

    await smtp.sender().send_due()

    received = {m["To"].addresses[0].addr_spec: m for m in [await smtp.next_message(), await smtp.next_message()]}
    assert set(received) == {members[0].email, members[1].email}
    assert received[members[0].email]["Subject"] == "Gardeners: Week 12"


async def test_a_stopped_sender_gives_back_the_rows_it_had_not_started(smtp: SmtpServer) -> None:
    smtp.collector.hold = asyncio.Event()  # the server keeps the first message waiting
    async with writing() as tx:
        rows = [
            await queue_email(tx, template="reset_password", to_address=f"s{n}@example.org", params={"token": "t"})
            for n in range(5)
        ]
    sending = asyncio.create_task(smtp.sender(connections=1).send_due())
    await asyncio.wait_for(smtp.collector.holding.wait(), 20)  # the first message is at the server

    sending.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sending
    smtp.collector.hold.set()

    claims = {row.id: (await status_of(row)).claimed_until for row in rows}
    assert claims[rows[0].id] is not None  # in flight: it may have been accepted, so it waits for its lease
    assert [claims[row.id] for row in rows[1:]] == [None] * 4  # the others are due again at once


async def test_an_unreachable_server_costs_one_try_per_claim_not_one_per_message() -> None:
    from resolvers.email.sender import Sender
    from resolvers.email.transport import SmtpTransport, parse_email_url
    from tests.fixtures.server import free_port

    async with writing() as tx:
        rows = [
            await queue_email(tx, template="reset_password", to_address=f"u{n}@example.org", params={"token": "t"})
            for n in range(5)
        ]
    url = f"smtp://127.0.0.1:{free_port()}"
    await Sender(SmtpTransport(parse_email_url(url)), connections=1, retry_schedule=[60]).send_due()
    waiting = [await status_of(row) for row in rows]
    assert {(row.status, row.attempts, row.claimed_until) for row in waiting} == {(EmailStatus.QUEUED, 1, None)}
    assert {row.last_error for row in waiting} == {waiting[0].last_error}  # the one refusal, told to each row
    assert "SMTPConnectError" in (waiting[0].last_error or "")


async def test_a_sender_past_its_lease_leaves_the_rows_to_the_next_claim(smtp: SmtpServer) -> None:
    async with writing() as tx:
        row = await queue_email(tx, template="reset_password", to_address="l@example.org", params={"token": "t"})
    sender = smtp.sender()
    claimed = await sender.claim()
    for item in claimed:
        item.lease_ends = 0.0  # as if the sender had been too slow to reach it within its lease

    await sender.deliver(claimed)

    assert smtp.collector.accepted == []
    untouched = await status_of(row)
    assert untouched.status == EmailStatus.QUEUED and untouched.claimed_until is not None
