"""The process's Redis connection pool (when REDIS_URL is set)."""

from __future__ import annotations

import asyncio
from functools import lru_cache

from redis.asyncio import Redis
from redis.exceptions import RedisError

import settings

PING_TIMEOUT_SECONDS = 2.0


@lru_cache(maxsize=1)
def redis_client() -> Redis:
    assert settings.REDIS_URL, "REDIS_URL is not set"
    return Redis.from_url(settings.REDIS_URL, socket_connect_timeout=PING_TIMEOUT_SECONDS, health_check_interval=30)


async def ping_redis() -> bool:
    try:
        return bool(await asyncio.wait_for(redis_client().ping(), PING_TIMEOUT_SECONDS))
    except (RedisError, OSError, TimeoutError):
        return False
