"""The process's fan-out hub: one broker subscription per feed, many local listeners.

A feed is a community's activity (`community:12`) or a member's notifications
(`member:7`); each has a dense sequence of its own.

Messages reach the hub in any order (two processes publish in the order their
commits finish). The hub's per-feed Sequencer delivers them in sequence;
a gap is filled once for the whole process by reading the table,
never once per listener. Listeners have bounded queues: one that cannot keep
up is dropped with a reason, and can resume from its cursor.

Delivery to the listeners runs in later turns of the event loop, DELIVERY_CHUNK listeners a
turn: the mutation that published a message answers without waiting for ten thousand
subscribers to wake, and each listener still gets every feed's messages in order.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import settings
from realtime.broker import Broker
from realtime.errors import ListenerOverflow
from realtime.messages import BrokerMessage, Message, SequencedMessage, is_sequenced
from realtime.sequencer import Sequencer
from realtime.sessions import sessions_ended

logger = logging.getLogger("cercle.realtime")

FetchRange = Callable[[str, int, int | None], Awaitable[list[SequencedMessage]]]  # (feed, after_seq, up_to_seq)
CurrentSeq = Callable[[str], Awaitable[int]]
OVERFLOW_MESSAGE = "You fell too far behind the live feed: resume from your last cursor."
DELIVERY_CHUNK = 200  # listeners handed a message per loop turn: what a writer may wait behind, per await


class Listener:
    """One subscription's place in a feed: a bounded queue with one waiting reader (few objects per subscriber)."""

    __slots__ = ("_messages", "_waiter", "feed", "overflowed", "start_seq")

    def __init__(self, feed: str) -> None:
        self.feed = feed
        self.start_seq = 0  # the feed's last delivered number when the listener joined
        self.overflowed = False
        self._messages: deque[Message] = deque()
        self._waiter: asyncio.Future[None] | None = None

    def push(self, message: Message) -> None:
        if self.overflowed:
            return
        if len(self._messages) >= settings.LISTENER_QUEUE_SIZE:
            self.overflowed = True
            self._messages.clear()  # the reader raises ListenerOverflow instead of showing them
        else:
            self._messages.append(message)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def next(self) -> Message:
        while not self._messages:
            if self.overflowed:
                raise ListenerOverflow(OVERFLOW_MESSAGE)
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._messages.popleft()

    def drain(self) -> list[Message]:
        """What is already queued, without waiting: for readers that act once on a burst of messages."""
        if self.overflowed:
            raise ListenerOverflow(OVERFLOW_MESSAGE)
        messages = list(self._messages)
        self._messages.clear()
        return messages


@dataclass(eq=False)  # compared by identity (access_epoch)
class Feed:
    # None until the feed's current sequence number is known; messages
    # arriving meanwhile wait in `early`.
    sequencer: Sequencer | None = None
    early: list[SequencedMessage] = field(default_factory=list)
    listeners: set[Listener] = field(default_factory=set)
    filling: asyncio.Task[None] | None = None
    # Moves on whenever access to the feed may have changed (a membership message, a newer access version):
    # checks remembered at one epoch hold only while it lasts and this Feed follows the broker.
    access_epoch: int = 0
    access_version: int = -1


class Hub:
    """The broker's receiver (see realtime.broker.Receiver)."""

    def __init__(self, broker: Broker, fetch_range: FetchRange, current_seq: CurrentSeq) -> None:
        self._broker = broker
        self._fetch_range = fetch_range
        self._current_seq = current_seq
        self._feeds: dict[str, Feed] = {}
        self._lock = asyncio.Lock()
        # Messages still being handed out: the listeners they go to (as they were when the message came), in order.
        self._deliveries: deque[tuple[Message, list[Listener]]] = deque()
        self._delivered = 0  # of the first delivery's listeners
        self._delivering = False

    @asynccontextmanager
    async def listen(self, feed_key: str) -> AsyncIterator[Listener]:
        """A listener that receives, in order, every message of the feed committed from now on."""
        listener = Listener(feed_key)
        async with self._lock:
            feed = self._feeds.get(feed_key)
            if feed is None:
                # Follow first, then read the current number: nothing committed in between is missed.
                feed = self._feeds[feed_key] = Feed()
                await self._broker.follow(feed_key)
                feed.sequencer = Sequencer(await self._current_seq(feed_key))
                for message in feed.early:
                    self._offer(feed_key, feed, message)
                feed.early.clear()
            assert feed.sequencer is not None
            listener.start_seq = feed.sequencer.last_seq
            feed.listeners.add(listener)
        try:
            yield listener
        finally:
            feed.listeners.discard(listener)
            if not feed.listeners and self._feeds.get(feed_key) is feed:
                del self._feeds[feed_key]
                if feed.filling:
                    feed.filling.cancel()
                await self._broker.unfollow(feed_key)

    @property
    def feeds(self) -> list[str]:
        return list(self._feeds)

    def access_epoch(self, feed_key: str) -> tuple[object, int] | None:
        """Where access to the feed stands, if this process follows it: equal answers mean no change in between."""
        feed = self._feeds.get(feed_key)
        return None if feed is None or feed.sequencer is None else (feed, feed.access_epoch)

    def receive(self, message: BrokerMessage) -> None:
        """A message from the broker, in whatever order it came."""
        if message["type"] == "sessions_ended":
            sessions_ended(message["session_ids"])
            return
        feed = self._feeds.get(message["feed"])
        if feed is None:
            return
        _note_access(feed, message)
        if not is_sequenced(message):  # control messages (membership changes) are not sequenced
            self._deliver(feed, [message])
            return
        if feed.sequencer is None:
            feed.early.append(message)
            return
        self._offer(message["feed"], feed, message)

    def _offer(self, feed_key: str, feed: Feed, message: SequencedMessage) -> None:
        assert feed.sequencer is not None
        self._deliver(feed, feed.sequencer.offer(message))
        if feed.sequencer.missing() and feed.filling is None:
            feed.filling = asyncio.create_task(self._fill(feed_key, feed))

    async def catch_up(self) -> None:
        """After a broker outage: read what every followed feed missed from the table."""
        for feed_key, feed in list(self._feeds.items()):
            if feed.sequencer is None:
                continue
            newest = await self._current_seq(feed_key)
            if newest > feed.sequencer.last_seq:
                await self._read_and_deliver(feed_key, feed, newest)

    def _deliver(self, feed: Feed, messages: Iterable[Message]) -> None:
        for message in messages:
            if feed.listeners:
                self._deliveries.append((message, list(feed.listeners)))
        if self._deliveries and not self._delivering:
            self._delivering = True
            asyncio.get_running_loop().call_soon(self._deliver_chunk)

    def _deliver_chunk(self) -> None:
        """Hands out up to DELIVERY_CHUNK messages, then lets the loop run what they woke before the rest."""
        budget = DELIVERY_CHUNK
        while self._deliveries and budget:
            message, listeners = self._deliveries[0]
            end = min(len(listeners), self._delivered + budget)
            for listener in listeners[self._delivered : end]:
                listener.push(message)
            budget -= end - self._delivered
            self._delivered = end
            if end == len(listeners):
                self._deliveries.popleft()
                self._delivered = 0
        if self._deliveries:
            asyncio.get_running_loop().call_soon(self._deliver_chunk)
        else:
            self._delivering = False

    async def _fill(self, feed_key: str, feed: Feed) -> None:
        assert feed.sequencer is not None
        try:
            while (missing := feed.sequencer.missing()) is not None:
                await self._read_and_deliver(feed_key, feed, missing.stop - 1)
        except Exception:  # noqa: BLE001 - the next message or reconnect retries the fill
            logger.exception("could not fill a gap in %s", feed_key)
        finally:
            feed.filling = None

    async def _read_and_deliver(self, feed_key: str, feed: Feed, up_to_seq: int) -> None:
        assert feed.sequencer is not None
        while feed.sequencer.last_seq < up_to_seq:
            rows = await self._fetch_range(feed_key, feed.sequencer.last_seq, up_to_seq)
            if not rows:
                return
            for row in rows:
                _note_access(feed, row)
                self._deliver(feed, feed.sequencer.offer(row))


def _note_access(feed: Feed, message: Message) -> None:
    version = message.get("access_version", -1)
    if message["type"] == "membership" or (isinstance(version, int) and version > feed.access_version):
        feed.access_epoch += 1
        feed.access_version = max(feed.access_version, version if isinstance(version, int) else -1)
