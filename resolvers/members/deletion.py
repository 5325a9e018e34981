"""Deleting an account: the person's data goes, what they gave the community stays.

The member row stays (posts, comments, kudos and the points ledger point at it), with every personal field
removed or replaced by a neutral placeholder: clients show its posts as by "a former member" (Member.formerMember).
"""

from __future__ import annotations

from datetime import UTC, datetime

from models.communities import Community, Membership, MembershipStatus, Role
from models.email import OutgoingEmail
from models.members import AccountToken, DigestFrequency, Member, MemberSkill, NotificationEmailMode, Session
from models.notifications import Notification
from resolvers.context import Context
from resolvers.errors import Conflict
from resolvers.members.accounts import check_own_password
from resolvers.members.sessions import end_sessions
from resolvers.outbox import Transaction, writing


def placeholder_username(member_id: int) -> str:
    # A '.' no registration may use (USERNAME_RE), so a placeholder never collides with a real username,
    # and no lookup by username finds it.
    return f"former.{member_id}"


def placeholder_email(member_id: int) -> str:
    # The .invalid top-level domain is reserved (RFC 2606): nothing is ever delivered there, and the address
    # fails EMAIL_RE (no dot in its domain), so no login or reset request can name it.
    return f"former.{member_id}@invalid"


def placeholder_display_name(member_id: int) -> str:
    return f"Former member {member_id}"


async def do_delete_account(ctx: Context, password: str) -> None:
    member = await ctx.require_viewer()
    await check_own_password(ctx, member, password, "password")
    async with writing() as tx:
        await _check_not_sole_owner(tx, member.id)
        await end_sessions(tx, member.id)
        await _erase(tx, member)


async def _check_not_sole_owner(tx: Transaction, member_id: int) -> None:
    """CONFLICT when a community would be left without an owner: it must be handed over first (setRole).

    The owners' rows are locked (in id order, as setRole locks them), so two owners deleting their accounts at
    once cannot both leave: the second sees the first gone.
    """
    owned = (
        await Membership.filter(member_id=member_id, role=Role.OWNER, status=MembershipStatus.ACTIVE)
        .using_db(tx)
        .order_by("community_id")
        .values_list("community_id", flat=True)
    )
    for community_id in owned:
        owners = (
            await Membership.filter(community_id=community_id, role=Role.OWNER, status=MembershipStatus.ACTIVE)
            .using_db(tx)
            .select_for_update()
            .order_by("id")
        )
        if all(owner.member_id == member_id for owner in owners):
            community = await Community.filter(id=community_id).using_db(tx).get()
            raise Conflict(
                f"You are the only owner of '{community.name}' ({community.slug}): make another member owner "
                "first, then delete your account."
            )


async def _erase(tx: Transaction, member: Member) -> None:
    await (
        Member.filter(id=member.id)
        .using_db(tx)
        .update(
            username=placeholder_username(member.id),
            email=placeholder_email(member.id),
            display_name=placeholder_display_name(member.id),
            password_hash="",  # no password verifies against an empty hash
            bio=None,
            experience=None,
            email_verified_at=None,
            email_bounced_at=None,
            language="en",
            digest_email=DigestFrequency.NEVER,
            notification_email=NotificationEmailMode.NEVER,
            last_seen_at=None,
            deleted_at=datetime.now(UTC),
        )
    )
    for model in (MemberSkill, Session, AccountToken, OutgoingEmail, Notification):
        await model.filter(member_id=member.id).using_db(tx).delete()
    # Memberships go (the member left every community); points, posts, comments, reactions and kudos stay.
    await Membership.filter(member_id=member.id).using_db(tx).delete()
