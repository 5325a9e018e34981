"""Changing a member's role; a community always keeps an owner."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from models.communities import Community, Membership, MembershipStatus, Role
from resolvers.access import MANAGING_ROLES, active_member_named, require_community, require_role
from resolvers.communities.access_changes import announce_access_change
from resolvers.communities.membership import forget_membership
from resolvers.context import Context
from resolvers.errors import Conflict, Forbidden
from resolvers.outbox import writing
from resolvers.ratelimit import check_rate


async def do_set_role(ctx: Context, community_slug: str, username: str, role: Role) -> Membership:
    community = await require_community(ctx, community_slug)
    actor = await require_role(ctx, community, MANAGING_ROLES, "change roles")
    await check_rate(ctx, "mutation")
    target = await active_member_named(community, username)
    if not _may_set_role(actor.role, target.role, role):
        raise Forbidden("Only owners can grant the owner role or change owners' and managers' roles.")
    async with writing() as conn:
        # The checks above read outside this transaction: check the actor again under lock,
        # and change the target only as it was checked (still active, same role).
        if target.role == Role.OWNER and role != Role.OWNER:
            await _lock_owners_keeping_one(conn, community, actor)
        else:
            await _lock_actor_and_target(conn, actor, target, role)
        changed = (
            await Membership.filter(id=target.id, status=MembershipStatus.ACTIVE, role=target.role)
            .using_db(conn)
            .update(role=role)
        )
        if not changed:
            raise Conflict(f"The membership of '{username[:30]}' changed just now: look again.", field="username")
        target.role = role
        await announce_access_change(conn, target)  # a manager made a member loses the manager's feeds
    forget_membership(ctx, target)
    return target


def _may_set_role(actor_role: Role, target_role: Role, role: Role) -> bool:
    if actor_role not in MANAGING_ROLES:
        return False
    return actor_role == Role.OWNER or (role != Role.OWNER and target_role not in (Role.OWNER, Role.MANAGER))


async def _lock_actor_and_target(conn: BaseDBAsyncClient, actor: Membership, target: Membership, role: Role) -> None:
    """Lock both rows (in id order, as the owners' lock does, so lockers cannot deadlock) and
    check that the actor, as they are now, may still give the target this role."""
    rows = await Membership.filter(id__in={actor.id, target.id}).using_db(conn).select_for_update().order_by("id")
    now = next((row for row in rows if row.id == actor.id), None)
    if now is None or now.status != MembershipStatus.ACTIVE or not _may_set_role(now.role, target.role, role):
        raise Forbidden("Your role in this community changed just now: you can no longer change this role.")


async def _lock_owners_keeping_one(conn: BaseDBAsyncClient, community: Community, actor: Membership) -> None:
    """Before an owner is demoted: lock the owners' rows, so two owners demoting each other
    at once run one after the other and cannot leave the community without an owner."""
    # Whole rows, in id order: `values_list` would silently drop FOR UPDATE, and a fixed
    # order keeps concurrent lockers from deadlocking.
    owners = await (
        Membership.filter(community_id=community.id, role=Role.OWNER, status=MembershipStatus.ACTIVE)
        .using_db(conn)
        .select_for_update()
        .order_by("id")
    )
    if actor.id not in {owner.id for owner in owners}:  # demoted while this request waited
        raise Forbidden("You are no longer an owner of this community.")
    if len(owners) <= 1:
        raise Conflict("A community needs at least one owner: make someone else owner first.")
