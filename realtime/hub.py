"""The process's fan-out hub: one broker subscription per feed, many local listeners.

A feed is a community's activity (`community:12`) or a member's notifications
(`member:7`); each has a dense sequence of its own.

Messages reach the hub in any order (two processes publish in the order their
commits finish). The hub's per-feed Sequencer delivers them in sequence;
a gap is filled once for the whole process by reading the table,
never once per listener. Listeners have bounded queues: one that cannot keep
up is dropped with a reason, and can resume from its cursor.
"""

from __future__ import annotations

import asyncio
import logging
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


@dataclass(eq=False)
class Listener:
    feed: str
    start_seq: int = 0  # the feed's last delivered number when the listener joined
    queue: asyncio.Queue[Message | None] = field(default_factory=lambda: asyncio.Queue(settings.LISTENER_QUEUE_SIZE))
    overflowed: bool = False

    def push(self, message: Message) -> None:
        if self.overflowed:
            return
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed = True
            self.queue = asyncio.Queue(1)
            self.queue.put_nowait(None)  # wakes the reader, which raises ListenerOverflow

    async def next(self) -> Message:
        message = await self.queue.get()
        if message is None:
            raise ListenerOverflow(OVERFLOW_MESSAGE)
        return message

    def drain(self) -> list[Message]:
        """What is already queued, without waiting: for readers that act once on a burst of messages."""
        messages = []
        while not self.queue.empty():
            message = self.queue.get_nowait()
            if message is None:
                raise ListenerOverflow(OVERFLOW_MESSAGE)
            messages.append(message)
        return messages


@dataclass
class Feed:
    # None until the feed's current sequence number is known; messages
    # arriving meanwhile wait in `early`.
    sequencer: Sequencer | None = None
    early: list[SequencedMessage] = field(default_factory=list)
    listeners: set[Listener] = field(default_factory=set)
    filling: asyncio.Task[None] | None = None


class Hub:
    """The broker's receiver (see realtime.broker.Receiver)."""

    def __init__(self, broker: Broker, fetch_range: FetchRange, current_seq: CurrentSeq) -> None:
        self._broker = broker
        self._fetch_range = fetch_range
        self._current_seq = current_seq
        self._feeds: dict[str, Feed] = {}
        self._lock = asyncio.Lock()

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

    def receive(self, message: BrokerMessage) -> None:
        """A message from the broker, in whatever order it came."""
        if message["type"] == "sessions_ended":
            sessions_ended(message["session_ids"])
            return
        feed = self._feeds.get(message["feed"])
        if feed is None:
            return
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
            for listener in list(feed.listeners):
                listener.push(message)

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
                self._deliver(feed, feed.sequencer.offer(row))
