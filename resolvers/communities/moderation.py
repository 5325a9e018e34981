"""Banning and unbanning members. A ban takes effect at once, live feeds included."""

from __future__ import annotations

from models.communities import Membership, MembershipStatus, Role
from resolvers.access import MODERATING_ROLES, require_community, require_role
from resolvers.communities.access_changes import announce_access_change
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, Forbidden, NotFound
from resolvers.outbox import writing
from resolvers.ratelimit import check_rate
from resolvers.validation import username_for_lookup

PROTECTED_ROLES = {Role.OWNER, Role.MANAGER}


async def do_set_banned(ctx: Context, community_slug: str, username: str, banned: bool) -> Membership:
    community = await require_community(ctx, community_slug)
    actor = await require_role(ctx, community, MODERATING_ROLES, "ban members")
    await check_rate(ctx, "mutation")
    key = username_for_lookup(username)
    target = await Membership.get_or_none(community_id=community.id, member__username=key) if key else None
    if target is None:
        raise NotFound(f"'{username[:30]}' is not a member of this community.", field="username")
    if target.member_id == actor.member_id:
        raise BadUserInput("You cannot ban yourself.", field="username")
    if target.role in PROTECTED_ROLES and actor.role != Role.OWNER:
        raise Forbidden("Only owners can ban managers and owners.")
    before, after = (
        (MembershipStatus.ACTIVE, MembershipStatus.BANNED)
        if banned
        else (MembershipStatus.BANNED, MembershipStatus.ACTIVE)
    )
    async with writing() as conn:
        if not await Membership.filter(id=target.id, status=before).using_db(conn).update(status=after):
            raise Conflict(f"'{username.strip().lower()[:30]}' is not {before.value.lower()} here.", field="username")
        target.status = after
        await announce_access_change(conn, target)
    return target
