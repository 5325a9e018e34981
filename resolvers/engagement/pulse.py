"""`engagementPulse`: today's report, pushed again when the community's activity changes it.

A report is five aggregate statements, so it is not recomputed per event: the
events that come within ENGAGEMENT_PULSE_SECONDS of the last computation are
read as they arrive (the listener's queue stays short) and answered by one
report at the end of that interval, pushed only when its figures changed.
Managers following the same community on one process share a computation
that started after the events they answer (as `leaderboardChanged` shares a
board read).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncGenerator

import settings
from models.communities import Community
from realtime import get_hub
from realtime.hub import Listener
from realtime.messages import community_feed
from resolvers.access import FeedAccess, require_manager
from resolvers.context import Context
from resolvers.engagement.report import Report, engagement_report
from resolvers.recognition.standings import Period, next_period_start

# {community_id: (when it started, on the loop's clock; the report being computed)}, while in flight.
_computing: dict[int, tuple[float, asyncio.Future[Report]]] = {}


async def pulse(ctx: Context, community: Community) -> AsyncGenerator[Report, None]:
    """The DAY report now, then each changed one, as long as the viewer manages the community.

    Every event heard is checked against the viewer's access (see FeedAccess), so a manager
    made a plain member stops at the next event, even if the message saying so was lost.
    """
    access = FeedAccess(ctx, community.id, lambda: require_manager(ctx, community))
    await access.recheck()
    loop = asyncio.get_running_loop()
    async with get_hub().listen(community_feed(community.id)) as listener:
        computed_at = loop.time()
        shown = await _report_after(community.id, computed_at)
        yield shown
        while True:
            heard_at = await _next_trigger(access, listener)
            deadline = computed_at + settings.ENGAGEMENT_PULSE_SECONDS
            heard_at = await _gather_until(access, listener, deadline) or heard_at
            computed_at = loop.time()
            report = await _report_after(community.id, heard_at)
            if report != shown:  # the time of the report is not compared, only its figures
                yield report
                shown = report


async def _report_after(community_id: int, heard_at: float) -> Report:
    """Today's report, from a computation that started after `heard_at` (the loop's clock), shared."""
    loop = asyncio.get_running_loop()
    running = _computing.get(community_id)
    if running is None or running[0] < heard_at:
        running = (loop.time(), asyncio.ensure_future(engagement_report(community_id, Period.DAY)))
        _computing[community_id] = running
        running[1].add_done_callback(lambda _: _forget(community_id, running))
    return await asyncio.shield(running[1])


def _forget(community_id: int, running: tuple[float, asyncio.Future[Report]]) -> None:
    if _computing.get(community_id) is running:
        del _computing[community_id]


async def _next_trigger(access: FeedAccess, listener: Listener) -> float:
    """When the community's next event was heard, or midnight UTC came (a new day, a new report)."""
    midnight = next_period_start(Period.DAY)
    timeout = max(0.0, (midnight - dt.datetime.now(dt.UTC)).total_seconds()) if midnight else None
    try:
        event = await asyncio.wait_for(listener.next(), timeout)
    except TimeoutError:
        await access.recheck()  # no event carries a version here
        return asyncio.get_running_loop().time()
    heard_at = asyncio.get_running_loop().time()
    await access.check(event)
    return heard_at


async def _gather_until(access: FeedAccess, listener: Listener, deadline: float) -> float | None:
    """Read the events that come until `deadline` (the loop's clock); when the last one was heard, if any."""
    loop = asyncio.get_running_loop()
    heard_at = None
    while (left := deadline - loop.time()) > 0:
        try:
            event = await asyncio.wait_for(listener.next(), left)
        except TimeoutError:
            break
        heard_at = loop.time()
        await access.check(event)
    for event in listener.drain():
        heard_at = loop.time()
        await access.check(event)
    return heard_at
