"""The checks a live subscription starts with (the community, the viewer's access), remembered per process.

Ten thousand members subscribing to one community would otherwise read the community and their membership
ten thousand times. A check is reused, for a few seconds, only while this process's hub follows the
community's feed and has seen no change of access on it since the check began (any membership message, any
newer access version: realtime/hub.py `access_epoch`); an ended session forgets them all. Should the broker
lose a ban's message, the subscription still starts at the access version it was checked at, so the first
newer message makes it check again (resolvers/access.py FeedAccess), as a live subscription always does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from models.communities import Community
from realtime import get_hub
from realtime.messages import community_feed
from realtime.sessions import on_sessions_ended
from resolvers.access import FeedAccess, may_follow, require_followable_community
from resolvers.context import Context

REMEMBER_SECONDS = 10.0


@dataclass(slots=True, frozen=True)
class _Check:
    community: Community
    version: int  # the access version the viewer was found allowed at
    epoch: tuple[object, int]
    until: float


_checks: dict[tuple[int | None, str], _Check] = {}


async def follow_community(ctx: Context, slug: str) -> tuple[Community, FeedAccess]:
    """The community a live feed follows and the viewer's access to it: NOT_FOUND, FORBIDDEN as
    require_followable_community and may_follow say, from a recent check when nothing changed since."""
    key = (ctx.viewer_id, slug)
    check = _checks.get(key)
    if check is not None:
        if check.until > time.monotonic() and get_hub().access_epoch(community_feed(check.community.id)) == check.epoch:
            return check.community, await may_follow(ctx, check.community.id, checked_at_version=check.version)
        del _checks[key]
    community = await require_followable_community(ctx, slug)
    epoch = get_hub().access_epoch(community_feed(community.id))  # before the check: a change during it counts
    access = await may_follow(ctx, community.id)
    if epoch is not None:
        _checks[key] = _Check(community, access.version, epoch, time.monotonic() + REMEMBER_SECONDS)
    return community, access


def forget_all(_: list[str] | None = None) -> None:
    _checks.clear()


on_sessions_ended(forget_all)
