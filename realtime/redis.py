"""Redis for a deployment of several processes: the pub/sub broker, and a shared client.

One pub/sub connection per process, subscribed to the channels of the
feeds this process's subscriptions follow. When Redis goes away the
listener reconnects with backoff and the hub reads what it missed from the
Activity table, so a Redis outage delays messages but loses none.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from functools import lru_cache

import orjson
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

import settings
from realtime.broker import Receiver
from realtime.messages import BrokerMessage

logger = logging.getLogger("cercle.realtime")
PING_TIMEOUT_SECONDS = 2.0
BACKOFF_FIRST_SECONDS = 0.1
BACKOFF_MAX_SECONDS = 5.0
SUBSCRIBE_TIMEOUT_SECONDS = 5.0


@lru_cache(maxsize=1)
def redis_client() -> Redis:
    assert settings.REDIS_URL, "REDIS_URL is not set"
    return Redis.from_url(settings.REDIS_URL, socket_connect_timeout=PING_TIMEOUT_SECONDS, health_check_interval=30)


async def ping_redis() -> bool:
    try:
        return bool(await asyncio.wait_for(redis_client().ping(), PING_TIMEOUT_SECONDS))
    except (RedisError, OSError, TimeoutError):
        return False


class RedisBroker:
    def __init__(self, url: str, prefix: str) -> None:
        self._redis = Redis.from_url(url, socket_connect_timeout=PING_TIMEOUT_SECONDS)
        self._prefix = prefix
        self._receiver: Receiver | None = None
        self._pubsub: PubSub | None = None
        self._followed: set[str] = set()
        self._confirmed: dict[str, asyncio.Event] = {}
        self._task: asyncio.Task[None] | None = None

    def channel(self, feed: str) -> str:
        return f"{self._prefix}:{feed}"

    async def publish(self, message: BrokerMessage) -> None:
        await self._redis.publish(self.channel(message["feed"]), orjson.dumps(message))

    async def start(self, receiver: Receiver) -> None:
        self._receiver = receiver
        self._task = asyncio.create_task(self._listen_forever())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._redis.aclose()

    async def follow(self, feed: str) -> None:
        """Subscribe, and wait until Redis confirms, so nothing published from now on is missed."""
        self._followed.add(feed)
        channel = self.channel(feed)
        confirmed = self._confirmed.setdefault(channel, asyncio.Event())
        if self._pubsub is not None:
            with contextlib.suppress(RedisError, OSError):
                await self._pubsub.subscribe(channel)
                await asyncio.wait_for(confirmed.wait(), SUBSCRIBE_TIMEOUT_SECONDS)
        # Not confirmed (Redis down): the hub catches up from the table on reconnect.

    async def unfollow(self, feed: str) -> None:
        self._followed.discard(feed)
        channel = self.channel(feed)
        self._confirmed.pop(channel, None)
        if self._pubsub is not None:
            with contextlib.suppress(RedisError, OSError):
                await self._pubsub.unsubscribe(channel)

    async def _listen_forever(self) -> None:
        backoff, outage = BACKOFF_FIRST_SECONDS, False
        while True:
            try:
                await self._listen(catch_up=outage)
            except (RedisError, OSError) as error:
                logger.warning("Redis pub/sub lost (%s); reconnecting in %.1f s", error, backoff)
            self._pubsub, outage = None, True
            for confirmed in self._confirmed.values():
                confirmed.clear()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, BACKOFF_MAX_SECONDS)

    async def _listen(self, *, catch_up: bool) -> None:
        pubsub = self._redis.pubsub()
        try:
            # A channel of its own keeps the connection subscribed while no feed is followed.
            await pubsub.subscribe(f"{self._prefix}:process", *(self.channel(c) for c in self._followed))
            self._pubsub = pubsub
            async for received in pubsub.listen():
                kind, channel = received["type"], _text(received["channel"])
                if kind == "subscribe" and channel in self._confirmed:
                    self._confirmed[channel].set()
                    if catch_up and self._receiver is not None and self._all_confirmed():
                        catch_up = False
                        await self._receiver.catch_up()
                elif kind == "message" and self._receiver is not None:
                    self._receiver.receive(orjson.loads(received["data"]))
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py leaves PubSub.aclose unannotated

    def _all_confirmed(self) -> bool:
        return all(
            self._confirmed[self.channel(c)].is_set() for c in self._followed if self.channel(c) in self._confirmed
        )


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
