"""Realtime delivery: a broker says "there is something new"; the Activity table is the truth.

One broker and one hub per process (see `start_realtime`), fanning out to
every subscription of the process.
"""

from __future__ import annotations

import settings
from realtime.broker import Broker, InProcessBroker
from realtime.hub import Hub

_broker: Broker = InProcessBroker()
_hub: Hub | None = None


def get_broker() -> Broker:
    return _broker


def get_hub() -> Hub:
    global _hub
    if _hub is None:
        from realtime.table import current_seq, fetch_range

        _hub = Hub(_broker, fetch_range, current_seq)
    return _hub


async def start_realtime(broker: Broker | None = None) -> None:
    """Connect this process's hub to its broker (app start-up): Redis when REDIS_URL is set."""
    global _broker, _hub
    if broker is None and settings.REDIS_URL:
        from realtime.redis import RedisBroker

        broker = RedisBroker(settings.REDIS_URL, settings.REDIS_PREFIX)
    if broker is not None:
        _broker, _hub = broker, None
    await _broker.start(get_hub())


async def stop_realtime() -> None:
    await _broker.stop()
