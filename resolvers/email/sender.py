"""The sender: claims due outbox rows, renders and sends them, and records what happened.

Claims are once across processes. On PostgreSQL, `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n)
RETURNING id` hands each due row to one sender; SQLite runs one writer at a time, so the same statement without
SKIP LOCKED does. A claim is a lease (`claimed_until`): the rows of a sender that died are claimed again once it
has passed.

Each claimed row is sent over at most EMAIL_CONNECTIONS SMTP connections, each carrying message after message,
at EMAIL_SEND_RATE messages a second in all, then recorded:
- accepted: SENT;
- a temporary failure (a 4xx reply, a refused or dropped connection, a timeout): tried again after the next
  delay of EMAIL_RETRY_SCHEDULE; FAILED once the schedule is spent;
- a permanent failure (a 5xx reply to the recipient or the message): FAILED, and the member's address is marked
  bounced (`Member.email_bounced_at`): mail to it is SKIPPED until it is verified again (a refused login, HELO or
  From is Cercle's own set-up: temporary, see transport.classify);
- nothing to send by now (the member was deleted or suspended, the address bounced, or the member turned that
  email off since it was queued): SKIPPED.

At most one duplicate: a sender that crashes after the SMTP server accepted a message but before recording SENT
leaves the row claimed; once the lease has passed another sender sends it again. The message keeps its
Message-ID (derived from the row's id), so mail clients show the two as one. Nothing committed is ever lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise import connections

import settings
from models.email import EmailStatus, OutgoingEmail
from models.members import Member
from resolvers.email.outbox import email_queued
from resolvers.email.preferences import UNSUBSCRIBABLE, preference_is_off
from resolvers.email.render import Outgoing, Recipient, render
from resolvers.email.transport import (
    Connection,
    FileTransport,
    PermanentFailure,
    SmtpTransport,
    TemporaryFailure,
    Transport,
    parse_email_url,
)

logger = logging.getLogger("cercle.email")
MAX_CLAIM = 100
# Sent to an address that bounced all the same: verifying the address again is how it stops being bounced.
SENT_DESPITE_BOUNCE = frozenset({"verify_email"})


def transport_from_settings() -> Transport | None:
    """SMTP when EMAIL_URL is set; .eml files in development without it; None (email off) in production."""
    if settings.EMAIL_URL:
        return SmtpTransport(parse_email_url(settings.EMAIL_URL))
    if settings.PRODUCTION:
        return None
    return FileTransport(settings.EMAIL_DIR)


class Pacer:
    """Spaces sends 1/rate seconds apart across every connection of a sender."""

    def __init__(self, rate: float) -> None:
        self.interval = 1 / rate if rate > 0 else 0.0
        self.next_at = 0.0

    async def wait_turn(self) -> None:
        now = asyncio.get_running_loop().time()
        turn = max(now, self.next_at)
        self.next_at = turn + self.interval
        if turn > now:
            await asyncio.sleep(turn - now)


@dataclass
class Claimed:
    row: OutgoingEmail
    member: Member | None
    lease_ends: float  # loop time: past it, another sender may have claimed the row, so this one leaves it


@dataclass
class Delivery:
    """One claim on its way: the rows left, and the trouble that stops the rest from being tried now."""

    pending: asyncio.Queue[Claimed]
    server_trouble: TemporaryFailure | None = None


class Sender:
    def __init__(
        self,
        transport: Transport,
        *,
        rate: float | None = None,
        connections: int | None = None,
        lease_seconds: float | None = None,
        retry_schedule: Sequence[float] | None = None,
        claim_size: int | None = None,
    ) -> None:
        self.transport = transport
        self.rate = settings.EMAIL_SEND_RATE if rate is None else rate
        self.connections = max(1, settings.EMAIL_CONNECTIONS if connections is None else connections)
        self.lease = timedelta(seconds=settings.EMAIL_LEASE_SECONDS if lease_seconds is None else lease_seconds)
        self.retry_schedule = list(settings.EMAIL_RETRY_SCHEDULE if retry_schedule is None else retry_schedule)
        # A claim is sent well within its lease at this rate (the second half is the margin).
        seconds = self.lease.total_seconds() / 2
        self.claim_size = claim_size or max(1, min(MAX_CLAIM, int(self.rate * seconds) if self.rate > 0 else MAX_CLAIM))
        self.pacer = Pacer(self.rate)

    async def run(self, poll_seconds: float | None = None) -> None:
        """Send what is due, then wait for a commit that queued email, the next retry, or the poll; forever."""
        poll = settings.EMAIL_POLL_SECONDS if poll_seconds is None else poll_seconds
        while True:
            email_queued.clear()
            try:
                await self.send_due()
                wait = min(poll, await self._seconds_to_next_due())
            except Exception:  # noqa: BLE001 - the database may be away for a while: keep trying
                logger.exception("email sender pass failed; trying again")
                wait = poll
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(email_queued.wait(), timeout=max(wait, 0.01))

    async def send_due(self) -> int:
        """Claim and send due rows until none is left; how many rows were handled."""
        handled = 0
        while claimed := await self.claim():
            await self.deliver(claimed)
            handled += len(claimed)
        return handled

    async def claim(self) -> list[Claimed]:
        now = datetime.now(UTC)
        conn = connections.get("default")
        queued = EmailStatus.QUEUED.value
        if conn.capabilities.dialect == "postgres":
            sql = (
                "UPDATE outgoing_email SET claimed_until = $1, attempts = attempts + 1 WHERE id IN ("
                f"SELECT id FROM outgoing_email WHERE status = '{queued}' AND next_attempt_at <= $2 "
                "AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY next_attempt_at, id LIMIT $3 "
                "FOR UPDATE SKIP LOCKED) RETURNING id"
            )
            values: list[object] = [now + self.lease, now, self.claim_size]
        else:  # one writer at a time: the statement is the claim
            sql = (
                "UPDATE outgoing_email SET claimed_until = ?, attempts = attempts + 1 WHERE id IN ("
                f"SELECT id FROM outgoing_email WHERE status = '{queued}' AND next_attempt_at <= ? "
                "AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY next_attempt_at, id LIMIT ?) RETURNING id"
            )
            values = [now + self.lease, now, now, self.claim_size]
        # The margin leaves a message started just before the end time to finish within the lease.
        lease_ends = asyncio.get_running_loop().time() + self.lease.total_seconds() * 0.9
        ids = [row["id"] for row in await conn.execute_query_dict(sql, values)]
        if not ids:
            return []
        rows = await OutgoingEmail.filter(id__in=ids).order_by("id")
        member_ids = {row.member_id for row in rows if row.member_id is not None}
        members = {member.id: member for member in await Member.filter(id__in=member_ids)}
        return [Claimed(row, members.get(row.member_id) if row.member_id else None, lease_ends) for row in rows]

    async def deliver(self, claimed: list[Claimed]) -> None:
        """Over at most `connections` connections, each taking the next message when done with one."""
        delivery = Delivery(asyncio.Queue())
        pending = delivery.pending
        for item in claimed:
            pending.put_nowait(item)
        workers = min(self.connections, len(claimed))
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(workers):
                    group.create_task(self._work(delivery))
        except asyncio.CancelledError:
            # Stopping (a deploy): rows not started go back at once rather than after the lease. A message being
            # sent stays claimed: it may have been accepted, and is sent again only after the lease.
            untouched = [pending.get_nowait().row.id for _ in range(pending.qsize())]
            await asyncio.shield(OutgoingEmail.filter(id__in=untouched).update(claimed_until=None))
            raise

    async def _work(self, delivery: Delivery) -> None:
        async with self.transport.connect() as connection:
            while not delivery.pending.empty():
                await self._send_one(connection, delivery.pending.get_nowait(), delivery)

    async def _send_one(self, connection: Connection, item: Claimed, delivery: Delivery) -> None:
        row = item.row
        if asyncio.get_running_loop().time() > item.lease_ends:
            return  # too slow: the row may be another sender's by now, and is due again once the lease ends
        if delivery.server_trouble is not None:  # unreachable or closing: not worth a try (nor a timeout) each
            await self._retry_later(row, str(delivery.server_trouble))
            return
        reason = skip_reason(item)
        if reason:
            await self._record(row.id, status=EmailStatus.SKIPPED, last_error=reason)
            return
        try:
            message = render(outgoing_of(item))
        except Exception as error:  # noqa: BLE001 - a template error fails this row, not the sender
            logger.exception("email %s (%s) could not be rendered", row.id, row.template)
            await self._record(row.id, status=EmailStatus.FAILED, last_error=f"rendering: {error}"[:500])
            return
        await self.pacer.wait_turn()
        try:
            await connection.send(message)
        except TemporaryFailure as failure:
            if failure.server_trouble:
                delivery.server_trouble = failure
            await self._retry_later(row, str(failure))
            return
        except PermanentFailure as failure:
            await self._bounced(item, str(failure))
            return
        await self.record_sent(row.id)

    async def record_sent(self, row_id: int) -> None:
        """The server accepted the message. A crash before this line sends it again after the lease."""
        await self._record(row_id, status=EmailStatus.SENT, sent_at=datetime.now(UTC), last_error=None)

    async def _retry_later(self, row: OutgoingEmail, error: str) -> None:
        if row.attempts > len(self.retry_schedule):
            logger.warning("email %s failed after %s attempts: %s", row.id, row.attempts, error)
            await self._record(row.id, status=EmailStatus.FAILED, last_error=error[:500])
            return
        delay = timedelta(seconds=self.retry_schedule[row.attempts - 1])
        await self._record(
            row.id, status=EmailStatus.QUEUED, next_attempt_at=datetime.now(UTC) + delay, last_error=error[:500]
        )

    async def _bounced(self, item: Claimed, error: str) -> None:
        row = item.row
        logger.warning("email %s to a member's address refused for good: %s", row.id, error)
        await self._record(row.id, status=EmailStatus.FAILED, last_error=error[:500])
        if item.member and item.member.email == row.to_address:
            await Member.filter(id=item.member.id, email=row.to_address).update(email_bounced_at=datetime.now(UTC))

    async def _record(self, row_id: int, **changes: object) -> None:
        await OutgoingEmail.filter(id=row_id).update(claimed_until=None, **changes)

    async def _seconds_to_next_due(self) -> float:
        row = (
            await OutgoingEmail.filter(status=EmailStatus.QUEUED)
            .order_by("next_attempt_at")
            .first()
            .values("next_attempt_at", "claimed_until")
        )
        if not row:
            return float("inf")
        due: datetime = row["next_attempt_at"]
        if row["claimed_until"] is not None:
            due = max(due, row["claimed_until"])
        return max(0.0, (due - datetime.now(UTC)).total_seconds())


def skip_reason(item: Claimed) -> str | None:
    """Why a row is no longer to be sent, or None."""
    member, row = item.member, item.row
    if member is None:
        return None  # an address with no member (an invitation)
    if member.deleted_at is not None:
        return "the member deleted their account"
    if member.suspended_at is not None:
        return "the member is suspended"
    if member.email_bounced_at is not None and row.to_address == member.email:
        if row.template not in SENT_DESPITE_BOUNCE:
            return "the address bounced; it gets mail again once verified"
    preference = UNSUBSCRIBABLE.get(row.template)
    if preference is not None and preference_is_off(member, preference):
        return f"the member turned {preference.value} emails off"
    return None


def outgoing_of(item: Claimed) -> Outgoing:
    row, member = item.row, item.member
    recipient = Recipient(member.id, member.username, member.display_name, member.language) if member else None
    return Outgoing(
        id=row.id,
        template=row.template,
        to_address=row.to_address,
        params=row.params,
        language=row.language,
        member=recipient,
    )


async def run_email_sender() -> None:
    """The sender of this process, if email is on (EMAIL_URL, or .eml files in development); says where mail goes."""
    transport = transport_from_settings()
    if transport is None:
        logger.warning(
            "Email is off: CERCLE_ENV=production and EMAIL_URL is not set. Emails stay queued in the outbox "
            "and are sent once EMAIL_URL is set."
        )
        return
    logger.info("Email: sending through %s", transport.describe())
    await Sender(transport).run()
