"""Invitation codes: made by managers, used up by joining members."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F, Q

from models.communities import Community, Invitation
from resolvers.access import MANAGING_ROLES, can_view_invitation, require_community, require_role
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.ids import pk_of
from resolvers.outbox import writing
from resolvers.ratelimit import check_rate

# The managers' panel lists these; older codes still work, but one rarely shares dozens at a time.
USABLE_SHOWN = 50

# What secrets.token_urlsafe makes; anything else is not a code and is not looked up.
INVITE_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}\Z")


async def do_create_invitation(
    ctx: Context, community_slug: str, *, max_uses: int | None, expires_in_hours: int | None
) -> Invitation:
    community = await require_community(ctx, community_slug)
    viewer = await require_role(ctx, community, MANAGING_ROLES, "invite members")
    await check_rate(ctx, "mutation")
    if max_uses is not None and not 1 <= max_uses <= 10_000:
        raise BadUserInput("'maxUses' must be between 1 and 10000.", field="maxUses")
    if expires_in_hours is not None and not 1 <= expires_in_hours <= 24 * 365:
        raise BadUserInput("'expiresInHours' must be between 1 and 8760.", field="expiresInHours")
    expires_at = datetime.now(UTC) + timedelta(hours=expires_in_hours) if expires_in_hours else None
    async with writing() as conn:
        return await Invitation.create(
            using_db=conn,
            community_id=community.id,
            code=secrets.token_urlsafe(12),
            created_by_id=viewer.member_id,
            max_uses=max_uses,
            expires_at=expires_at,
        )


async def usable_invitations(ctx: Context, community: Community) -> list[Invitation]:
    """The invitations that still let people in (not expired, not used up), newest first (managers)."""
    await require_role(ctx, community, MANAGING_ROLES, "see invitations")
    unexpired = Q(expires_at__isnull=True) | Q(expires_at__gt=datetime.now(UTC))
    not_used_up = Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses"))
    query = Invitation.filter(unexpired, not_used_up, community_id=community.id)
    return await query.order_by("-created_at", "-id").limit(USABLE_SHOWN)


async def do_revoke_invitation(ctx: Context, invitation_id: str) -> str:
    """Delete an invitation so its code lets nobody else in (owners and managers); its id."""
    await ctx.require_viewer()
    invitation = await Invitation.get_or_none(id=pk_of(invitation_id, "Invitation", field="invitationId"))
    # Hidden from whoever may not see it, as `node(id:)` hides it: NOT_FOUND, not FORBIDDEN.
    if invitation is None or not await can_view_invitation(ctx, invitation):
        raise NotFound("No such invitation.", field="invitationId")
    await check_rate(ctx, "mutation")
    async with writing() as conn:
        await Invitation.filter(id=invitation.id).using_db(conn).delete()
    return invitation_id


async def usable_invitation(community: Community | None, code: str | None) -> Invitation | None:
    if community is None or not code or not INVITE_CODE_RE.match(code.strip()):
        return None
    invitation = await Invitation.get_or_none(code=code.strip(), community_id=community.id)
    if invitation is None:
        return None
    if invitation.expires_at and invitation.expires_at <= datetime.now(UTC):
        return None
    if invitation.max_uses is not None and invitation.uses >= invitation.max_uses:
        return None
    return invitation


async def use_invitation(conn: BaseDBAsyncClient, invitation: Invitation) -> bool:
    """Count one use, unless concurrent joins used it up first."""
    query = Invitation.filter(id=invitation.id).using_db(conn)
    if invitation.max_uses is not None:
        query = query.filter(uses__lt=invitation.max_uses)
    return await query.update(uses=F("uses") + 1) == 1
