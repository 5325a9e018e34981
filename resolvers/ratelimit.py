"""Per-IP limits on logins and registrations, per-member limits on mutations.

Backed by Redis when REDIS_URL is set, so every process counts together.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from limits import parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from redis.exceptions import RedisError

import settings
from resolvers.context import Context
from resolvers.errors import RateLimited

logger = logging.getLogger("cercle.ratelimit")


@lru_cache(maxsize=1)
def _limiter() -> MovingWindowRateLimiter:
    if settings.REDIS_URL:
        uri = "async+" + settings.REDIS_URL
        storage = storage_from_string(uri, implementation="redispy", key_prefix=f"{settings.REDIS_PREFIX}:ratelimit")
    else:
        storage = storage_from_string("async+memory://")
    return MovingWindowRateLimiter(storage)


async def check_rate(ctx: Context, kind: str) -> None:
    """Raise RATE_LIMITED once `kind` ("login", "kudos" or "mutation") is over its limit for this caller."""
    if kind == "login":
        limit, who = settings.RATE_LIMIT_LOGIN, f"ip:{ctx.ip}"
    elif kind == "kudos":
        limit, who = settings.RATE_LIMIT_KUDOS, f"member:{ctx.viewer_id}"
    else:
        limit, who = settings.RATE_LIMIT_MUTATIONS, f"member:{ctx.viewer_id}" if ctx.viewer_id else f"ip:{ctx.ip}"
    try:
        allowed = await _limiter().hit(parse(limit), kind, who)
    except (RedisError, OSError) as error:
        # Redis down must not take mutations down with it: fail open, and say so.
        logger.warning("rate limiter unavailable, allowing the request: %s", error)
        return
    if not allowed:
        raise RateLimited(f"Too many requests: the limit is {limit}. Try again shortly.")


def reset_limits() -> None:
    """Forget every counter (tests)."""
    _limiter.cache_clear()
