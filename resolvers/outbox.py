"""What a transaction has to announce, announced only once it has committed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models.activity import Activity, Verb
from models.notifications import Notification, NotificationKind
from realtime.messages import Message
from resolvers.activity import append_activity, notify_activity, publish
from resolvers.idempotency import mark_applied
from resolvers.notifications.notifications import notify, publish_notifications


@dataclass
class Outbox:
    items: list[Activity | Notification | Message] = field(default_factory=list)
    points: dict[int, dict[int, int]] = field(default_factory=dict)  # {community_id: {member_id: amount}}


_outbox: ContextVar[Outbox | None] = ContextVar("cercle_outbox", default=None)


@asynccontextmanager
async def writing() -> AsyncIterator[BaseDBAsyncClient]:
    """A transaction whose queued activities and notifications are published after commit, never on rollback.

    Rules deep in a write (a level reached, a badge earned) queue what they append
    instead of handing it back through every caller. Points written in the
    transaction settle the weekly standing just before commit.
    """
    outbox = Outbox()
    token = _outbox.set(outbox)
    try:
        async with in_transaction() as conn:
            yield conn
            if outbox.points:
                from resolvers.recognition.standings import settle

                outbox.items += await settle(conn, outbox.points)
            await mark_applied(conn)
    finally:
        _outbox.reset(token)
    await notify_activity([item for item in outbox.items if isinstance(item, Activity)])
    await publish_notifications([item for item in outbox.items if isinstance(item, Notification)])
    await publish([item for item in outbox.items if isinstance(item, dict)])


def _current() -> Outbox:
    outbox = _outbox.get()
    if outbox is None:
        raise RuntimeError("outside writing(): nothing would publish these events")
    return outbox


def queue(*items: Activity | Notification | Message) -> None:
    _current().items.extend(items)


async def recognise(
    conn: BaseDBAsyncClient,
    verb: Verb,
    kind: NotificationKind,
    *,
    member_id: int,
    community_id: int,
    subject: tuple[str, int],
    payload: dict,
    given_by_id: int | None = None,
) -> None:
    """A member's achievement (a badge, a level): in the community's feed as theirs, and in their notifications."""
    where = {"community_id": community_id, "subject_type": subject[0], "subject_id": subject[1], "payload": payload}
    activity = await append_activity(conn, actor_id=member_id, verb=verb, **where)
    queue(activity, *await notify(conn, {member_id: kind}, actor_id=given_by_id, **where))


def points_written(community_id: int, member_id: int, amount: int) -> None:
    """Called for every ledger row, so the standing moves it causes are announced."""
    members = _current().points.setdefault(community_id, {})
    members[member_id] = members.get(member_id, 0) + amount
