"""A member's achievement (a badge, a level): in the community's feed as theirs, and in their notifications."""

from __future__ import annotations

from models.activity import Verb
from models.notifications import NotificationKind
from resolvers.activity import append_activity
from resolvers.notifications.notifications import notify
from resolvers.outbox import Transaction, queue


async def recognise(
    tx: Transaction,
    verb: Verb,
    kind: NotificationKind,
    *,
    member_id: int,
    community_id: int,
    subject: tuple[str, int],
    payload: dict,
    given_by_id: int | None = None,
) -> None:
    where = {"community_id": community_id, "subject_type": subject[0], "subject_id": subject[1], "payload": payload}
    activity = await append_activity(tx, actor_id=member_id, verb=verb, **where)
    queue(tx, activity, *await notify(tx, {member_id: kind}, actor_id=given_by_id, **where))
