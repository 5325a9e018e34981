"""Rate limits: logins and registrations per IP, failed logins per login name, mutations per member.

Counted in Redis when REDIS_URL is set, so every process counts together. While Redis is
unreachable each process counts on its own, in memory: a limit that fails open is no limit
at all. After a Redis failure the limiter leaves Redis alone for a few seconds (a circuit
breaker), so an outage costs one short timeout, not one per request.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import math
import time
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import TypeVar

from limits import RateLimitItem, WindowStats, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

import settings
from resolvers.context import Context
from resolvers.errors import RateLimited

logger = logging.getLogger("cercle.ratelimit")
T = TypeVar("T")


class LocalStorage(MemoryStorage):
    """limits' memory storage, but for how it forgets expired entries. limits 5.8 runs its expiry after every hit,
    over every key of the process, each key's search handed to a thread: a request made as many thread hops as the
    process had members counted (14 per post in bench/recognition.py, thousands in a busy process). Here the
    expiry runs at most once every EXPIRY_SECONDS, in the event loop (a bisect per key). Only memory depends on it:
    a window counts its entries by their time."""

    EXPIRY_SECONDS = 1.0
    _expires_next = 0.0  # time.monotonic() from which the next hit expires entries

    async def _MemoryStorage__schedule_expiry(self) -> None:  # the hook limits calls on every hit
        now = time.monotonic()
        if now >= self._expires_next:
            self._expires_next = now + self.EXPIRY_SECONDS
            self.expire()

    def expire(self) -> None:
        """Forget the entries and counters past their expiry (no await: no hit runs in between)."""
        now = time.time()
        for key, entries in list(self.events.items()):  # newest first
            del entries[bisect.bisect_left(entries, -now, key=lambda entry: -entry.expiry) :]
            if not entries:
                del self.events[key]
                self.locks.pop(key, None)
        for key, expiry in list(self.expirations.items()):
            if expiry <= now:
                self.storage.pop(key, None)
                del self.expirations[key]
                self.locks.pop(key, None)


class FallbackLimiter:
    """Redis's counters when configured and reachable, this process's otherwise."""

    def __init__(self, shared: MovingWindowRateLimiter | None) -> None:
        self.shared = shared
        self.local = MovingWindowRateLimiter(LocalStorage())
        self.shared_down_until = 0.0  # time.monotonic() before which Redis is not tried again

    async def run(self, operation: Callable[[MovingWindowRateLimiter], Awaitable[T]]) -> T:
        if self.shared is not None and time.monotonic() >= self.shared_down_until:
            try:
                return await operation(self.shared)
            except (RedisError, OSError) as error:
                self.shared_down_until = time.monotonic() + settings.RATE_LIMIT_REDIS_RETRY_SECONDS
                logger.warning(
                    "Redis is unreachable: rate limits are counted in this process for %ss (%s)",
                    settings.RATE_LIMIT_REDIS_RETRY_SECONDS,
                    error,
                )
        return await operation(self.local)

    async def hit(self, item: RateLimitItem, *key: str) -> bool:
        return await self.run(lambda limiter: limiter.hit(item, *key))

    async def window_stats(self, item: RateLimitItem, *key: str) -> WindowStats:
        return await self.run(lambda limiter: limiter.get_window_stats(item, *key))

    async def clear(self, item: RateLimitItem, *key: str) -> None:
        await self.run(lambda limiter: limiter.clear(item, *key))


def _redis_limiter(url: str) -> MovingWindowRateLimiter:
    timeout = settings.RATE_LIMIT_REDIS_TIMEOUT_SECONDS
    storage = RedisStorage(
        "async+" + url,
        implementation="redispy",
        key_prefix=f"{settings.REDIS_PREFIX}:ratelimit",
        # redis-py waits 5 s and retries 10 times by default: a login must not wait that long for a limit.
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        # The circuit breaker decides when to try again.
        retry=Retry(NoBackoff(), 0),  # type: ignore[arg-type]  # limits types redis-py's options as scalars
    )
    return MovingWindowRateLimiter(storage)


@lru_cache(maxsize=1)
def _limiter() -> FallbackLimiter:
    return FallbackLimiter(_redis_limiter(settings.REDIS_URL) if settings.REDIS_URL else None)


async def _seconds_until_allowed(limit: str, *key: str) -> int | None:
    """Count one hit against every window of `limit`; when one is full, the seconds until it has room."""
    for item in parse_many(limit):
        if not await _limiter().hit(item, *key):
            return await _retry_after(item, *key)
    return None


async def _retry_after(item: RateLimitItem, *key: str) -> int:
    stats = await _limiter().window_stats(item, *key)
    return max(1, math.ceil(stats.reset_time - time.time()))


def _refuse(ctx: Context, message: str, retry_after_seconds: int) -> RateLimited:
    ctx.set_response_header("retry-after", str(retry_after_seconds))
    return RateLimited(f"{message} Try again in {retry_after_seconds} s.")


async def check_rate(ctx: Context, kind: str) -> None:
    """Raise RATE_LIMITED once `kind` ("login", "password-reset", "kudos", "preview" or "mutation") is over its
    limit for this caller."""
    if kind == "login":
        limit, who = settings.RATE_LIMIT_LOGIN, f"ip:{ctx.ip}"
    elif kind == "password-reset":
        limit, who = settings.RATE_LIMIT_PASSWORD_RESET_IP, f"ip:{ctx.ip}"
    elif kind == "kudos":
        limit, who = settings.RATE_LIMIT_KUDOS, f"member:{ctx.viewer_id}"
    else:  # "mutation" and "preview": the same limit, counted apart
        limit, who = settings.RATE_LIMIT_MUTATIONS, f"member:{ctx.viewer_id}" if ctx.viewer_id else f"ip:{ctx.ip}"
    retry_after = await _seconds_until_allowed(limit, kind, who)
    if retry_after is not None:
        raise _refuse(ctx, f"Too many requests: the limit is {limit}.", retry_after)


def _login_key(login: str) -> str:
    # Hashed: bounded in size whatever was typed, and no email address is stored in Redis.
    return hashlib.sha256(login.strip().lower().encode("utf-8", "surrogatepass")).hexdigest()


async def check_login_attempt(ctx: Context, login: str) -> None:
    """Count an attempt on a login name, existing or not; RATE_LIMITED once it failed too often.

    Counted before the password is checked, so concurrent guesses cannot all slip through;
    a successful login forgets them (`forget_login_failures`). The windows of
    RATE_LIMIT_LOGIN_NAME grow (a few per quarter hour, then per hour, per day): a typo
    costs a short wait, a guesser gets a few dozen tries a day from any number of addresses.
    """
    retry_after = await _seconds_until_allowed(settings.RATE_LIMIT_LOGIN_NAME, "login-name", _login_key(login))
    if retry_after is not None:
        raise _refuse(ctx, "Too many failed logins for this account.", retry_after)


async def forget_login_failures(login: str) -> None:
    key = _login_key(login)
    for item in parse_many(settings.RATE_LIMIT_LOGIN_NAME):
        await _limiter().clear(item, "login-name", key)


async def account_email_wait(recipient: str) -> int | None:
    """Count one account email (verification, reset) to `recipient`, an address or a member: None while
    RATE_LIMIT_ACCOUNT_EMAIL has room, else the seconds until it has."""
    return await _seconds_until_allowed(settings.RATE_LIMIT_ACCOUNT_EMAIL, "account-email", _login_key(recipient))


async def check_account_email_rate(ctx: Context, recipient: str) -> None:
    """RATE_LIMITED once `recipient` was sent too many account emails (see `account_email_wait`)."""
    retry_after = await account_email_wait(recipient)
    if retry_after is not None:
        raise _refuse(ctx, f"Too many emails asked for: the limit is {settings.RATE_LIMIT_ACCOUNT_EMAIL}.", retry_after)


def reset_limits() -> None:
    """Forget every counter of this process, and any Redis outage (tests)."""
    _limiter.cache_clear()
