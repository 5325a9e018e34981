"""Appending to the activity log, and publishing it once the transaction has committed."""

from __future__ import annotations

import logging
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from models.activity import Activity, Verb
from models.communities import Community
from realtime import get_broker
from realtime.events import activity_event

logger = logging.getLogger("cercle.realtime")


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
    """Append one event with the community's next sequence number.

    The UPDATE takes the community row's lock until commit, so two writers in
    one community get consecutive numbers and commit in number order: a cursor
    never skips an event that commits later.
    """
    await Community.filter(id=community_id).using_db(conn).update(activity_seq=F("activity_seq") + 1)
    (seq,) = await Community.filter(id=community_id).using_db(conn).values_list("activity_seq", flat=True)
    return await Activity.create(
        using_db=conn,
        community_id=community_id,
        seq=seq,
        actor_id=actor_id,
        verb=verb,
        subject_type=subject_type,
        subject_id=subject_id,
        payload=payload or {},
    )


async def notify_activity(activities: list[Activity]) -> None:
    """Publish after commit; a broker failure never fails the committed mutation."""
    broker = get_broker()
    for activity in activities:
        try:
            await broker.publish(activity_event(activity))
        except Exception:  # noqa: BLE001 - subscribers recover from the table
            logger.warning("publish failed; subscribers will read it from the table", exc_info=True)
