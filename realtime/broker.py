"""The process's broker: says "there is something new" to the process's hub.

In-process by default (one process, tests); Redis pub/sub when REDIS_URL is
set, so every process sees every message. Either way the hub orders messages and
fills gaps from the tables, so the broker may lose or reorder them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from realtime.messages import Message

if TYPE_CHECKING:
    from realtime.hub import Hub


class Broker(Protocol):
    async def publish(self, message: Message) -> None: ...

    async def start(self, hub: Hub) -> None: ...

    async def stop(self) -> None: ...

    async def follow(self, feed: str) -> None: ...

    async def unfollow(self, feed: str) -> None: ...


class InProcessBroker:
    """Hands each published message straight to this process's hub."""

    def __init__(self) -> None:
        self._hub: Hub | None = None

    async def publish(self, message: Message) -> None:
        if self._hub is not None:
            self._hub.receive(message)

    async def start(self, hub: Hub) -> None:
        self._hub = hub

    async def stop(self) -> None:
        self._hub = None

    async def follow(self, feed: str) -> None:
        return None

    async def unfollow(self, feed: str) -> None:
        return None
