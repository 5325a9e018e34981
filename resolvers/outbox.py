"""What a transaction has to announce, announced only once it has committed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models.activity import Activity
from models.notifications import Notification
from resolvers.activity import notify_activity
from resolvers.notifications import publish_notifications

_pending: ContextVar[list[Activity | Notification] | None] = ContextVar("cercle_outbox", default=None)


@asynccontextmanager
async def writing() -> AsyncIterator[BaseDBAsyncClient]:
    """A transaction whose queued activities and notifications are published after commit, never on rollback.

    Rules deep in a write (a level reached, a badge earned) queue what they append
    instead of handing it back through every caller.
    """
    pending: list[Activity | Notification] = []
    token = _pending.set(pending)
    try:
        async with in_transaction() as conn:
            yield conn
    finally:
        _pending.reset(token)
    await notify_activity([item for item in pending if isinstance(item, Activity)])
    await publish_notifications([item for item in pending if isinstance(item, Notification)])


def queue(*items: Activity | Notification) -> None:
    pending = _pending.get()
    if pending is None:
        raise RuntimeError("queue() outside writing(): nothing would publish these events")
    pending.extend(items)
