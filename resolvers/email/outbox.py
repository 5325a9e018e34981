"""Queueing email: a row in the outbox, in the transaction of what caused it (resolvers/outbox.py's `writing()`).

Once that transaction commits, this process's sender is woken at once (`email_queued`); other processes'
senders find the rows when they next poll (EMAIL_POLL_SECONDS).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import orjson
from tortoise.queryset import ValuesListQuery

from models.email import EmailStatus, OutgoingEmail
from resolvers.outbox import Transaction, after_commit

email_queued = asyncio.Event()  # set after a commit that queued email; the sender clears it as it starts a pass


def _wake_sender() -> None:
    email_queued.set()


async def queue_email(
    tx: Transaction,
    *,
    template: str,
    to_address: str,
    member_id: int | None = None,
    params: dict[str, Any] | None = None,
    language: str | None = None,
) -> OutgoingEmail:
    """Send `template` (resolvers/email/templates/<lang>/<template>.txt and .html) once `tx` commits.

    `params` (JSON) are frozen now; the recipient's name, language and unsubscribe link are read at send time.
    `language` is for an address with no member (an invitation); a member's own language wins.
    """
    row = await OutgoingEmail.create(
        using_db=tx,
        member_id=member_id,
        to_address=to_address,
        template=template,
        params=params or {},
        language=language,
        next_attempt_at=datetime.now(UTC),
    )
    after_commit(tx, _wake_sender)
    return row


async def queue_bulk_email(
    tx: Transaction, *, template: str, params: dict[str, Any], member_ids: ValuesListQuery[Any]
) -> int:
    """The same email to many members in one INSERT … SELECT (a digest to 10,000 members); how many were queued.

    `member_ids` is a query of member ids, e.g. `Membership.filter(community_id=…, status=ACTIVE)
    .values_list("member_id", flat=True)`. Members deleted, suspended or whose address bounced are left out
    here already; preferences are checked again at send time, so this is no place to filter by them (it may,
    to queue fewer rows).
    """
    postgres = tx.capabilities.dialect == "postgres"
    marks = ("$1", "$2::jsonb", "$3", "$4") if postgres else ("?", "?", "?", "?")
    chosen = member_ids.sql(params_inline=True)  # pypika quotes the values it inlines
    sql = (
        "INSERT INTO outgoing_email (member_id, to_address, template, params, language, status, attempts, "
        "next_attempt_at, created_at) "
        f"SELECT m.id, m.email, {marks[0]}, {marks[1]}, NULL, '{EmailStatus.QUEUED.value}', 0, {marks[2]}, {marks[3]} "
        f"FROM member m WHERE m.id IN ({chosen}) "
        "AND m.deleted_at IS NULL AND m.suspended_at IS NULL AND m.email_bounced_at IS NULL"
    )
    now = datetime.now(UTC)
    values = [template, orjson.dumps(params).decode(), now, now]
    if postgres:  # asyncpg's status line "INSERT 0 n" is misread by Tortoise: count the rows in SQL
        rows = await tx.execute_query_dict(
            f"WITH queued AS ({sql} RETURNING 1) SELECT count(*) AS n FROM queued", values
        )
        count = int(rows[0]["n"])
    else:
        count, _ = await tx.execute_query(sql, values)
    if count:
        after_commit(tx, _wake_sender)
    return count
