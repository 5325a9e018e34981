"""Rate limits counted in this process (no Redis): cheap however many members are counted, and forgotten once over."""

from __future__ import annotations

import asyncio
import time

import pytest
from limits import parse
from limits.aio.strategies import MovingWindowRateLimiter

from resolvers.ratelimit import LocalStorage


async def test_a_hit_hands_no_work_to_threads_however_many_members_are_counted(monkeypatch: pytest.MonkeyPatch):
    # given: a process that has counted the requests of 500 members
    storage = LocalStorage()
    limiter, per_minute = MovingWindowRateLimiter(storage), parse("30/minute")
    handed_to_threads = []
    real_to_thread = asyncio.to_thread

    async def counted(*args: object, **kwargs: object) -> object:
        handed_to_threads.append(args)
        return await real_to_thread(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(asyncio, "to_thread", counted)
    # when: each of them makes a request, and whatever expiry it started has run
    for member in range(500):
        assert await limiter.hit(per_minute, "mutation", f"member:{member}")
    if storage.timer is not None:
        await storage.timer
    # then: no request made a thread hop (limits' own memory storage makes one per member counted)
    assert handed_to_threads == []
    # and the limit still holds
    for _ in range(29):
        assert await limiter.hit(per_minute, "mutation", "member:0")
    assert not await limiter.hit(per_minute, "mutation", "member:0")


async def test_counts_whose_window_has_passed_are_forgotten(monkeypatch: pytest.MonkeyPatch):
    # given: 100 members counted under a one-second window
    storage = LocalStorage()
    limiter, per_second = MovingWindowRateLimiter(storage), parse("1/second")
    for member in range(100):
        assert await limiter.hit(per_second, "mutation", f"member:{member}")
    assert len(storage.events) == 100
    # when: two seconds later, one more member makes a request
    later_wall, later_clock = time.time() + 2, time.monotonic() + 2
    monkeypatch.setattr(time, "time", lambda: later_wall)
    monkeypatch.setattr(time, "monotonic", lambda: later_clock)
    assert await limiter.hit(per_second, "mutation", "member:new")
    # then: the process keeps only that member's count, and the others may make a request again
    assert list(storage.events) == ["LIMITER/mutation/member:new/1/1/second"]
    assert await limiter.hit(per_second, "mutation", "member:0")
