"""The one write path: a transaction whose outbox reaches the broker after commit, never on rollback.

Every mutation writes inside `writing()`. What the write has to announce
(activity, notifications, membership and points messages) is queued on its
`Transaction`, the only way anything reaches the broker. Functions that queue,
and the engagement rules that call them, take a `Transaction`, which only
`writing()` hands out: calling them outside a write is a type error (mypy),
not a surprise at run time.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, NewType, TypeVar, cast

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models.activity import Activity
from models.notifications import Notification
from realtime import get_broker
from realtime.messages import BrokerMessage, activity_message, notification_message
from resolvers.activity import close_numbering, number_pending, open_numbering
from resolvers.idempotency import mark_applied

logger = logging.getLogger("cercle.realtime")

Transaction = NewType("Transaction", BaseDBAsyncClient)
"""A connection inside `writing()`: its outbox is published after commit."""

State = TypeVar("State")
FollowUp = Callable[[Any], Awaitable[None]]


@dataclass
class Outbox:
    items: list[Activity | Notification | BrokerMessage] = field(default_factory=list)
    # Work a rule asks for once the transaction has committed (the weekly standing settles the points written),
    # with the state the rule gathered: it holds none of the write's locks.
    follow_ups: dict[FollowUp, Any] = field(default_factory=dict)
    # Plain callbacks once the transaction has committed: this process forgets what it cached of the rows written,
    # the email sender is woken for the rows queued.
    after_commit: list[Callable[[], None]] = field(default_factory=list)


_PUBLISH_ORDER: dict[type[object], int] = {Activity: 0, Notification: 1}
_inside: ContextVar[bool] = ContextVar("cercle_inside_writing", default=False)
_outboxes: dict[int, Outbox] = {}  # by id() of the transaction's connection, while it is open


@asynccontextmanager
async def writing() -> AsyncIterator[Transaction]:
    """One transaction; once it has committed, its follow-ups run, then what it queued is published."""
    outbox = Outbox()
    inside = _inside.set(True)
    outermost = inside.old_value is not True  # a nested one is a savepoint: it must not commit
    async with in_transaction() as conn:
        tx = Transaction(conn)
        _outboxes[id(tx)] = outbox
        open_numbering(tx)
        try:
            yield tx
            await mark_applied(tx)
            await number_pending(tx, then_commit=outermost)  # last: it holds its counter locks up to the commit
        finally:
            del _outboxes[id(tx)]
            close_numbering(tx)
            _inside.reset(inside)
    for callback in outbox.after_commit:
        callback()
    # Before publishing: once this process starts handing the events to thousands of live subscribers, a
    # follow-up's every round trip would wait behind them, and the write's answer with it.
    for step, state in outbox.follow_ups.items():
        try:
            await step(state)
        except Exception:  # noqa: BLE001 - the write has committed; the step catches up after the next one
            logger.warning("a follow-up of a committed write failed", exc_info=True)
    # Activity first, then notifications, then the other messages, as subscribers have always seen them.
    await _publish(sorted(outbox.items, key=lambda item: _PUBLISH_ORDER.get(type(item), 2)))


def queue(tx: Transaction, *items: Activity | Notification | BrokerMessage) -> None:
    """Announce these once the transaction commits."""
    _outboxes[id(tx)].items.extend(items)


def after_commit(tx: Transaction, callback: Callable[[], None]) -> None:
    """Call `callback` once the transaction has committed (never on rollback); once, however often it is asked."""
    callbacks = _outboxes[id(tx)].after_commit
    if callback not in callbacks:
        callbacks.append(callback)


def follow_up(tx: Transaction, step: Callable[[State], Awaitable[None]], state: Callable[[], State]) -> State:
    """Await `step` once the transaction has committed (before it publishes), once however often it is asked, with the
    state it gathers (made by `state()` on the first call, handed back on every call). A failing step is
    logged: the write it follows has committed."""
    steps = _outboxes[id(tx)].follow_ups
    if step not in steps:
        steps[step] = state()
    return cast(State, steps[step])  # made by this step's state(): the dict pairs each step with its own state


async def _publish(items: list[Activity | Notification | BrokerMessage]) -> None:
    """After commit; a broker failure never fails the committed mutation: subscribers recover from the tables."""
    broker = get_broker()
    for item in items:
        message: BrokerMessage
        if isinstance(item, Activity):
            message = activity_message(item)
        elif isinstance(item, Notification):
            message = notification_message(item)
        else:
            message = item
        try:
            await broker.publish(message)
        except Exception:  # noqa: BLE001 - the tables are the truth
            logger.warning("publish failed; subscribers will read it from the table", exc_info=True)
