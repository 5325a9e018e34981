"""Site administration: suspending accounts, and who may create communities."""

from __future__ import annotations

from datetime import UTC, datetime

import settings
from models.members import Member
from resolvers.context import Context
from resolvers.errors import BadUserInput, Forbidden, NotFound
from resolvers.members.sessions import end_sessions
from resolvers.outbox import writing
from resolvers.ratelimit import check_rate
from resolvers.validation import username_for_lookup


async def _require_admin(ctx: Context) -> Member:
    viewer = await ctx.require_viewer()
    if not viewer.is_admin:
        raise Forbidden("Only the site's administrators can do this.")
    return viewer


async def _member_to_moderate(ctx: Context, username: str) -> tuple[Member, Member]:
    admin = await _require_admin(ctx)
    await check_rate(ctx, "mutation")
    key = username_for_lookup(username)
    member = await Member.get_or_none(username=key, deleted_at__isnull=True) if key else None
    if member is None:
        raise NotFound(f"No member is named '{username[:40]}'.", field="username")
    return admin, member


async def do_suspend_account(ctx: Context, username: str) -> Member:
    """Suspend a member site-wide: every session ends at once (live feeds included), and logging in is refused."""
    admin, member = await _member_to_moderate(ctx, username)
    if member.id == admin.id:
        raise BadUserInput("You cannot suspend your own account.", field="username")
    async with writing() as tx:
        if member.suspended_at is None:
            member.suspended_at = datetime.now(UTC)
            await Member.filter(id=member.id).using_db(tx).update(suspended_at=member.suspended_at)
        await end_sessions(tx, member.id)
    return member


async def do_unsuspend_account(ctx: Context, username: str) -> Member:
    _, member = await _member_to_moderate(ctx, username)
    async with writing() as tx:
        await Member.filter(id=member.id).using_db(tx).update(suspended_at=None)
    member.suspended_at = None
    return member


def can_see_suspension(viewer: Member | None, member: Member) -> bool:
    """Whether a member is suspended is theirs and the administrators' to know."""
    return viewer is not None and (viewer.id == member.id or viewer.is_admin)


def check_may_create_community(viewer: Member) -> None:
    """COMMUNITY_CREATORS: `anyone`, `verified` (a verified email address) or `admins`; FORBIDDEN says why."""
    policy = settings.COMMUNITY_CREATORS
    if policy == "admins" and not viewer.is_admin:
        raise Forbidden("Only the site's administrators can create communities here.")
    if policy == "verified" and viewer.email_verified_at is None and not viewer.is_admin:
        raise Forbidden("Verify your email address to create a community: follow the link we emailed you.")
