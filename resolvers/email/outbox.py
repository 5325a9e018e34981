"""Queueing email: a row in the outbox, in the transaction of what caused it (resolvers/outbox.py's `writing()`).

Once that transaction commits, this process's sender is woken at once (`email_queued`); other processes'
senders find the rows when they next poll (EMAIL_POLL_SECONDS).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any, Literal

import orjson
from tortoise.queryset import QuerySet, ValuesQuery

from models.email import OutgoingEmail
from models.members import Member
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


async def queue_bulk_email(tx: Transaction, *, template: str, params: dict[str, Any], members: QuerySet[Member]) -> int:
    """The same email to every member `members` selects, in one INSERT … SELECT (a digest to 10,000 members is one
    round trip); how many rows it queued.

    Members deleted, suspended or whose address bounced are left out here already. Preferences are checked
    again at send time, so `members` may leave them to the sender (or filter on them, to queue fewer rows).
    """
    chosen = members.filter(deleted_at__isnull=True, suspended_at__isnull=True, email_bounced_at__isnull=True)
    selected, selected_args = _parameterized(chosen.using_db(tx).values("id"))
    postgres = tx.capabilities.dialect == "postgres"
    now = datetime.now(UTC)
    values: list[Any] = [template, orjson.dumps(params).decode(), now]
    # asyncpg numbers parameters, after the subquery's, and needs the types of those in the SELECT list spelled out.
    first = len(selected_args) + 1
    mine = (
        [f"${first}", f"CAST(${first + 1} AS JSONB)", f"CAST(${first + 2} AS TIMESTAMPTZ)", f"${first + 2}"]
        if postgres
        else ["?", "?", "?", "?"]
    )
    sql = (
        "INSERT INTO outgoing_email (member_id, to_address, template, params, next_attempt_at, created_at) "
        f"SELECT m.id, m.email, {mine[0]}, {mine[1]}, {mine[2]}, {mine[3]} FROM member m WHERE m.id IN ({selected})"
    )
    if postgres:  # asyncpg's status line "INSERT 0 n" is misread by Tortoise: count the rows in SQL
        rows = await tx.execute_query_dict(
            f"WITH queued AS ({sql} RETURNING 1) SELECT count(*) AS n FROM queued", [*selected_args, *values]
        )
        count = int(rows[0]["n"])
    else:  # SQLite's ? are positional: ours come first in the text
        count, _ = await tx.execute_query(sql, [*values, now, *selected_args])
    if count:
        after_commit(tx, _wake_sender)
    return count


def _parameterized(query: ValuesQuery[Literal[False]]) -> tuple[str, list[Any]]:
    """The SQL and arguments Tortoise would send for `query` (its public `sql()` gives no arguments)."""
    query._choose_db_if_not_chosen()
    query._make_query()
    sql, args = query.query.get_parameterized_sql()
    return sql, list(args)
