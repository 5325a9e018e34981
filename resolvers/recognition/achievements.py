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
    payload: dict[str, object],
    given_by_id: int | None = None,
) -> None:
    subject_type, subject_id = subject
    activity = await append_activity(
        tx,
        community_id=community_id,
        actor_id=member_id,
        verb=verb,
        subject_type=subject_type,
        subject_id=subject_id,
        payload=payload,
    )
    notifications = await notify(
        tx,
        {member_id: kind},
        actor_id=given_by_id,
        community_id=community_id,
        subject_type=subject_type,
        subject_id=subject_id,
        payload=payload,
    )
    queue(tx, activity, *notifications)
