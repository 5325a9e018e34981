"""The checks a live subscription starts with (the community, the viewer's access), remembered per process.

Ten thousand members subscribing to one community would otherwise read the community (and, when it is
private, their membership) ten thousand times. A check is reused, for a few seconds, only while this
process's hub follows the community's feed and has seen no change of access on it since the check began
(any membership message, any newer access version: realtime/hub.py `access_epoch`); an ended session
forgets them all. Should the broker lose a ban's message, the subscription still starts at the access
version it was checked at, so the first newer message makes it check again (resolvers/access.py
FeedAccess), as a live subscription always does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from models.communities import Community, Visibility
from realtime import get_hub
from realtime.messages import community_feed
from realtime.sessions import on_sessions_ended
from resolvers.access import FeedAccess, may_follow, require_followable_community
from resolvers.context import Context

REMEMBER_SECONDS = 10.0
MAX_REMEMBERED = 100_000  # checks of either kind; past it they are all forgotten (stale ones are never read)


@dataclass(slots=True, frozen=True)
class _Check:
    community: Community
    version: int  # the access version it was found followable at
    epoch: tuple[object, int]
    until: float

    def holds(self) -> bool:
        if self.until <= time.monotonic():
            return False
        current = get_hub().access_epoch(community_feed(self.community.id))
        return current is not None and current[0] is self.epoch[0] and current[1] == self.epoch[1]


_communities: dict[str, _Check] = {}  # by slug: followable by its viewer, public or private
_members: dict[tuple[int | None, int], _Check] = {}  # by (viewer, community id): a private community's member


async def follow_community(ctx: Context, slug: str) -> tuple[Community, FeedAccess]:
    """The community a live feed follows and the viewer's access to it: NOT_FOUND, FORBIDDEN as
    require_followable_community and may_follow say, from a recent check when nothing changed since."""
    check = _communities.get(slug)
    if check is not None and check.holds():
        if check.community.visibility == Visibility.PUBLIC:
            return check.community, await may_follow(ctx, check.community.id, checked_at_version=check.version)
        member = _members.get((ctx.viewer_id, check.community.id))
        if member is not None and member.holds():
            return member.community, await may_follow(ctx, member.community.id, checked_at_version=member.version)
    community = await require_followable_community(ctx, slug)
    epoch = get_hub().access_epoch(community_feed(community.id))  # before the check: a change during it counts
    access = await may_follow(ctx, community.id)
    if len(_members) + len(_communities) > MAX_REMEMBERED:
        forget_all()
    if epoch is not None:
        check = _Check(community, access.version, epoch, time.monotonic() + REMEMBER_SECONDS)
        _communities[slug] = check
        if community.visibility != Visibility.PUBLIC:
            _members[(ctx.viewer_id, community.id)] = check
    return community, access


def forget_all(_: list[str] | None = None) -> None:
    _communities.clear()
    _members.clear()


on_sessions_ended(forget_all)
