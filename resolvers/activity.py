"""Appending to the activity log, and publishing it once the transaction has committed."""

from __future__ import annotations

import logging
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from models.activity import Activity, Verb
from models.communities import Community
from realtime import get_broker
from realtime.messages import Message, activity_message

logger = logging.getLogger("cercle.realtime")


async def next_number(conn: BaseDBAsyncClient, model: type[Model], pk: int, counter: str) -> int:
    """Increment a row's counter and read it back, for a dense sequence (activity, notifications).

    The UPDATE takes the row's lock until commit, so two writers get consecutive
    numbers and commit in number order: a cursor never skips an event that
    commits later.
    """
    return (await increment(conn, model, pk, counter))[counter]


async def increment(conn: BaseDBAsyncClient, model: type[Model], pk: int, counter: str, *also: str) -> dict[str, int]:
    """Increment a row's counter under its lock; the new value, and the columns `also` as they are under that lock."""
    table = model._meta.db_table
    returning = ", ".join(f'"{column}"' for column in (counter, *also))
    # One statement (SQLite and PostgreSQL both return the new value); the names are ours, pk an int.
    rows = await conn.execute_query_dict(
        f'UPDATE "{table}" SET "{counter}" = "{counter}" + 1 WHERE "id" = {int(pk)} RETURNING {returning}'
    )
    return rows[0]


async def append_activity(
    conn: BaseDBAsyncClient,
    *,
    community_id: int,
    actor_id: int | None,
    verb: Verb,
    subject_type: str | None = None,
    subject_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> Activity:
    """Append one event with the community's next sequence number, and its access version read under the
    same lock: an event committed after a ban carries the ban's version."""
    numbers = await increment(conn, Community, community_id, "activity_seq", "access_version")
    return await Activity.create(
        using_db=conn,
        community_id=community_id,
        seq=numbers["activity_seq"],
        access_version=numbers["access_version"],
        actor_id=actor_id,
        verb=verb,
        subject_type=subject_type,
        subject_id=subject_id,
        payload=payload or {},
    )


async def publish(messages: list[Message]) -> None:
    """Publish after commit; a broker failure never fails the committed mutation."""
    broker = get_broker()
    for message in messages:
        try:
            await broker.publish(message)
        except Exception:  # noqa: BLE001 - subscribers recover from the table
            logger.warning("publish failed; subscribers will read it from the table", exc_info=True)


async def notify_activity(activities: list[Activity]) -> None:
    await publish([activity_message(activity) for activity in activities])
