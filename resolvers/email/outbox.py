"""Queueing email: a row in the outbox, in the transaction of what caused it (resolvers/outbox.py's `writing()`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Literal

from tortoise.queryset import QuerySet, ValuesQuery

from models.email import OutgoingEmail
from models.members import Member
from resolvers.outbox import Transaction


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
    return await OutgoingEmail.create(
        using_db=tx,
        member_id=member_id,
        to_address=to_address,
        template=template,
        params=params or {},
        language=language,
        next_attempt_at=datetime.now(UTC),
    )


async def queue_bulk_email(tx: Transaction, *, template: str, params: dict[str, Any], members: QuerySet[Member]) -> int:
    """Send `template` with the same `params` to every member `members` selects, in ONE statement (INSERT …
    SELECT): a digest to 10,000 members costs one round trip, not 10,000. How many rows it queued."""
    selected, selected_args = _parameterized(members.using_db(tx).values("id"))
    postgres = tx.capabilities.dialect == "postgres"
    # Our own values go first in the text: positional '?' for SQLite, numbered after the subquery's for asyncpg
    # (whose SELECT-list parameters need their types spelled out: text is not jsonb).
    first = len(selected_args) + 1
    mine = (
        [f"${first}", f"CAST(${first + 1} AS JSONB)", f"CAST(${first + 2} AS TIMESTAMPTZ)"]
        if postgres
        else ["?", "?", "?"]
    )
    now = datetime.now(UTC)
    values = [template, json.dumps(params), now]
    sql = (
        "INSERT INTO outgoing_email (member_id, to_address, template, params, next_attempt_at, created_at) "
        f"SELECT m.id, m.email, {mine[0]}, {mine[1]}, {mine[2]}, {mine[2]} "
        f"FROM member m WHERE m.id IN ({selected})"
    )
    if postgres:
        # asyncpg reports "INSERT 0 <n>", which Tortoise reads as 0 rows: count them in the statement itself.
        counted = f"WITH queued AS ({sql} RETURNING 1) SELECT COUNT(*) AS n FROM queued"
        rows = await tx.execute_query_dict(counted, [*selected_args, *values])
        return int(rows[0]["n"])
    count, _ = await tx.execute_query(sql, [*values, now, *selected_args])
    return count


def _parameterized(query: QuerySet[Member] | ValuesQuery[Literal[False]]) -> tuple[str, list[Any]]:
    """The SQL and arguments Tortoise would send for `query` (its public `sql()` drops the arguments)."""
    query._choose_db_if_not_chosen()
    query._make_query()
    sql, args = query.query.get_parameterized_sql()
    return sql, list(args)
