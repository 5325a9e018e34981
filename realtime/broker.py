"""The process's broker: says "there is something new" to the process's receiver (its hub).

In-process by default (one process, tests); Redis pub/sub when REDIS_URL is
set, so every process sees every message. Either way the hub orders messages
and fills gaps from the tables, so the broker may lose or reorder them.
"""

from __future__ import annotations

from typing import Protocol

from realtime.messages import BrokerMessage


class Receiver(Protocol):
    """What a broker hands messages to (the process's hub): the broker needs nothing more of it."""

    def receive(self, message: BrokerMessage) -> None: ...

    async def catch_up(self) -> None:
        """After an outage of the broker: read what was missed from the tables."""


class Broker(Protocol):
    async def publish(self, message: BrokerMessage) -> None: ...

    async def start(self, receiver: Receiver) -> None: ...

    async def stop(self) -> None: ...

    async def follow(self, feed: str) -> None: ...

    async def unfollow(self, feed: str) -> None: ...


class InProcessBroker:
    """Hands each published message straight to this process's receiver."""

    def __init__(self) -> None:
        self._receiver: Receiver | None = None

    async def publish(self, message: BrokerMessage) -> None:
        if self._receiver is not None:
            self._receiver.receive(message)

    async def start(self, receiver: Receiver) -> None:
        self._receiver = receiver

    async def stop(self) -> None:
        self._receiver = None

    async def follow(self, feed: str) -> None:
        return None

    async def unfollow(self, feed: str) -> None:
        return None
