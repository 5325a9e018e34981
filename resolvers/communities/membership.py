"""Joining a community (open, by invitation, or by asking) and deciding membership requests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from models.activity import Activity, Verb
from models.communities import Community, JoinPolicy, Level, Membership, MembershipStatus, Visibility
from models.notifications import Notification, NotificationKind
from resolvers.access import MANAGING_ROLES, at_least, has_role, is_active, viewer_membership, visible_community
from resolvers.activity import append_activity
from resolvers.communities.invitations import usable_invitation, use_invitation
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, Forbidden, NotFound
from resolvers.ids import pk_of
from resolvers.loaders import forget
from resolvers.notifications.notifications import notify
from resolvers.outbox import Transaction, queue, writing
from resolvers.ratelimit import check_rate
from resolvers.validation import SLUG_RE
from resolvers.welcome.welcome import welcome_newcomer


async def _community_row(slug: str) -> Community | None:
    """The community with this slug whoever asks; a malformed slug is never sent to the database."""
    slug = slug.strip().lower()
    return await Community.get_or_none(slug=slug) if SLUG_RE.match(slug) else None


async def joined(conn: BaseDBAsyncClient, membership: Membership) -> Activity:
    return await append_activity(
        conn,
        community_id=membership.community_id,
        actor_id=membership.member_id,
        verb=Verb.JOINED,
        subject_type="membership",
        subject_id=membership.id,
    )


async def _became_active(conn: Transaction, membership: Membership) -> list[Activity]:
    """A join or an approval: JOINED, then the newcomer's welcome (once per member and community)."""
    return [await joined(conn, membership), *await welcome_newcomer(conn, membership)]


async def do_join_community(ctx: Context, slug: str, invite_code: str | None) -> Membership:
    viewer = await ctx.require_viewer()
    await check_rate(ctx, "mutation")
    community = await _community_row(slug)
    existing = await Membership.get_or_none(member_id=viewer.id, community_id=community.id) if community else None
    _check_not_member(existing)
    invitation = await usable_invitation(community, invite_code)
    if invite_code and invitation is None:
        # Whatever the policy, and even for an absent community: the same answer for every
        # bad code, so a wrong code does not tell which private slugs exist.
        raise BadUserInput("This invitation code is invalid, used up or expired.", field="inviteCode")
    if community is None or (invitation is None and _hidden_without_invitation(community, existing)):
        raise NotFound(f"No community '{slug[:50]}'.", field="slug")
    if invitation is None and community.join_policy == JoinPolicy.INVITE:
        raise Forbidden("This community is joined by invitation only: an 'inviteCode' is needed.")
    status = (
        MembershipStatus.PENDING
        if invitation is None and community.join_policy == JoinPolicy.APPROVAL
        else MembershipStatus.ACTIVE
    )
    async with writing() as conn:
        if invitation is not None and not await use_invitation(conn, invitation):
            raise BadUserInput("This invitation code was used up just now.", field="inviteCode")
        if existing:  # a rejected request, asked again: once, however many ask at the same time
            now = datetime.now(UTC)
            changed = (
                await Membership.filter(id=existing.id, status=MembershipStatus.REJECTED)
                .using_db(conn)
                .update(status=status, joined_at=now)
            )
            if not changed:
                raise Conflict("You asked to join this community just now.")
            existing.status, existing.joined_at = status, now
            membership = existing
        else:
            try:
                membership = await Membership.create(
                    using_db=conn, member_id=viewer.id, community_id=community.id, status=status
                )
            except IntegrityError:
                raise Conflict("You joined this community just now.") from None
        if status == MembershipStatus.ACTIVE:
            activities, notifications = await _became_active(conn, membership), []
        else:
            activities, notifications = [], await _tell_managers_of_request(conn, community, membership)
        queue(conn, *activities, *notifications)
    forget_membership(ctx, membership)
    return membership


async def _tell_managers_of_request(
    conn: BaseDBAsyncClient, community: Community, membership: Membership
) -> list[Notification]:
    managers = cast(
        list[int],
        await Membership.filter(community_id=community.id, status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES)
        .using_db(conn)
        .values_list("member_id", flat=True),
    )
    return await notify(
        conn,
        dict.fromkeys(managers, NotificationKind.MEMBERSHIP_REQUESTED),
        actor_id=membership.member_id,
        community_id=community.id,
        subject_type="membership",
        subject_id=membership.id,
        payload={"community": community.name},
    )


def forget_membership(ctx: Context, membership: Membership) -> None:
    """After a membership changed: what the request's loaders hold about it is stale."""
    forget(ctx.loaders.membership_by_id, membership.id)
    forget(ctx.loaders.member_count_by_community_id, membership.community_id)
    if membership.member_id == ctx.viewer_id:
        forget(ctx.loaders.viewer_membership_by_community_id, membership.community_id)


def _check_not_member(existing: Membership | None) -> None:
    """Banned members stay out; active and pending ones have nothing to join."""
    if existing and existing.status == MembershipStatus.BANNED:
        raise Forbidden("You are banned from this community.")
    if existing and existing.status in (MembershipStatus.ACTIVE, MembershipStatus.PENDING):
        raise Conflict(f"You are already {existing.status.value.lower()} in this community.")


def _hidden_without_invitation(community: Community, existing: Membership | None) -> bool:
    """A private community only shows itself to people who may ask to join or asked before."""
    return (
        community.visibility == Visibility.PRIVATE and community.join_policy != JoinPolicy.APPROVAL and existing is None
    )


async def do_decide_membership(ctx: Context, membership_id: str, approve: bool) -> Membership:
    await ctx.require_viewer()
    pk = pk_of(membership_id, "Membership", field="membershipId")
    membership = await ctx.loaders.membership_by_id.load(pk)  # skips pks no row can have (2**40)
    community = await visible_community(ctx, membership.community_id) if membership else None
    if community is None:  # absent, or in a private community hidden from the viewer
        raise NotFound("No such membership request.", field="membershipId")
    decider = await viewer_membership(ctx, community.id)
    if not (has_role(decider, MANAGING_ROLES) or (approve and is_active(decider) and at_least(decider, Level.REGULAR))):
        raise Forbidden("Owners and managers decide membership requests; members from level REGULAR may approve them.")
    await check_rate(ctx, "mutation")
    async with writing() as conn:
        # Conditional update: two managers deciding at once cannot both win.
        new_status = MembershipStatus.ACTIVE if approve else MembershipStatus.REJECTED
        changed = (
            await Membership.filter(id=pk, status=MembershipStatus.PENDING)
            .using_db(conn)
            .update(status=new_status, joined_at=datetime.now(UTC))
        )
        if not changed:
            raise Conflict("This membership is not pending any more.", field="membershipId")
        membership = await Membership.get(id=pk, using_db=conn)
        activities = await _became_active(conn, membership) if approve else []
        kind = NotificationKind.MEMBERSHIP_APPROVED if approve else NotificationKind.MEMBERSHIP_REJECTED
        notifications = await notify(
            conn,
            {membership.member_id: kind},
            actor_id=ctx.viewer_id,
            community_id=community.id,
            subject_type="membership",
            subject_id=membership.id,
            payload={"community": community.name},
        )
        queue(conn, *activities, *notifications)
    forget_membership(ctx, membership)
    return membership
