"""Invitations by email: a manager lists addresses, each gets its own single-use code by email."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import cast

from models.communities import Invitation, MembershipStatus
from models.members import Member
from resolvers.access import MANAGING_ROLES, require_community, require_role
from resolvers.context import Context
from resolvers.email.outbox import queue_email
from resolvers.errors import BadUserInput
from resolvers.outbox import writing
from resolvers.ratelimit import check_rate
from resolvers.validation import EMAIL_RE

MAX_ADDRESSES = 50  # a call; more is a mailing list, not an invitation
VALID_FOR = timedelta(days=14)
# Members (and those banned) are not invited again: the address is skipped, and the others go out.
NOT_INVITED = [MembershipStatus.ACTIVE, MembershipStatus.BANNED]


def check_addresses(emails: list[str]) -> list[str]:
    """The addresses, trimmed, lowercased and each once, in their order; BAD_USER_INPUT naming a bad one."""
    if not emails:
        raise BadUserInput("Give at least one address.", field="emails")
    if len(emails) > MAX_ADDRESSES:
        raise BadUserInput(f"At most {MAX_ADDRESSES} addresses at a time.", field="emails")
    for raw in emails:
        address = raw.strip().lower()
        if len(address) > 254 or not EMAIL_RE.match(address):
            raise BadUserInput(f"'{raw[:60]}' is not a valid email address.", field="emails")
    return list(dict.fromkeys(raw.strip().lower() for raw in emails))


async def do_invite_by_email(ctx: Context, community_slug: str, emails: list[str]) -> list[Invitation]:
    """One single-use invitation per new address, mailed with its code (managers); the invitations made."""
    community = await require_community(ctx, community_slug)
    manager = await require_role(ctx, community, MANAGING_ROLES, "invite members")
    addresses = check_addresses(emails)
    await check_rate(ctx, "mutation")
    inviter = await Member.get(id=manager.member_id)
    known = dict(await Member.filter(email__in=addresses).values_list("email", "id"))
    inside = Member.filter(
        email__in=addresses, memberships__community_id=community.id, memberships__status__in=NOT_INVITED
    )
    skipped = set(cast(list[str], await inside.values_list("email", flat=True)))
    expires_at = datetime.now(UTC) + VALID_FOR
    invitations = []
    async with writing() as tx:
        for address in (a for a in addresses if a not in skipped):
            invitation = await Invitation.create(
                using_db=tx,
                community_id=community.id,
                code=secrets.token_urlsafe(12),
                created_by_id=inviter.id,
                max_uses=1,
                expires_at=expires_at,
                email=address,
            )
            await queue_email(
                tx,
                template="invitation",
                to_address=address,
                member_id=known.get(address),
                # A stranger has no language yet: the inviter's is the community's best guess.
                language=inviter.language,
                params={
                    "community_name": community.name,
                    "community_slug": community.slug,
                    "code": invitation.code,
                    "inviter": inviter.display_name,
                    "expires_at": expires_at.isoformat(),
                    "valid_days": VALID_FOR.days,
                },
            )
            invitations.append(invitation)
    return invitations
