"""Custom badges: created by a community's managers and given by hand with a reason."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from models.recognition import Badge, BadgeAward, BadgeTier
from resolvers.access import (
    MANAGING_ROLES,
    active_member_named,
    refuse_self_reward,
    require_community,
    require_role,
    visible_community,
)
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, NotFound
from resolvers.ids import pk_of
from resolvers.outbox import writing
from resolvers.ratelimit import check_rate
from resolvers.recognition.badge_catalogue import AUTOMATIC_BADGES
from resolvers.recognition.badges import record_award
from resolvers.validation import check_line, check_text, slugify

AUTOMATIC_SLUGS = frozenset(badge.slug for badge in AUTOMATIC_BADGES)  # reserved in every community


async def do_create_badge(ctx: Context, community_slug: str, name: str, description: str, tier: BadgeTier) -> Badge:
    """A custom badge, given by hand: the community's public thank-you for its advocates (managers)."""
    community = await require_community(ctx, community_slug)
    manager = await require_role(ctx, community, MANAGING_ROLES, "create badges")
    await check_rate(ctx, "mutation")
    name = check_line(name, "name", max_length=80)
    description = check_text(description, "description", max_length=500)
    slug = slugify(name)
    if len(slug) < 3:
        raise BadUserInput("'name' needs at least three letters or digits.", field="name")
    if slug in AUTOMATIC_SLUGS or await Badge.filter(community_id=community.id, slug=slug).exists():
        raise Conflict(f"This community already has a badge '{slug}'.", field="name")
    try:
        async with writing() as conn:
            return await Badge.create(
                using_db=conn,
                community_id=community.id,
                slug=slug,
                name=name,
                description=description,
                tier=tier,
                created_by_id=manager.member_id,
            )
    except IntegrityError:
        raise Conflict(f"This community already has a badge '{slug}'.", field="name") from None


async def do_award_badge(ctx: Context, badge_id: str, username: str, reason: str) -> BadgeAward:
    """Give a custom badge to a member, with the reason shown to everyone (managers)."""
    badge = await Badge.get_or_none(id=pk_of(badge_id, "Badge", field="badgeId"))
    community = await visible_community(ctx, badge.community_id) if badge and badge.community_id else None
    if badge is None or community is None:
        raise NotFound("No such badge.", field="badgeId")
    manager = await require_role(ctx, community, MANAGING_ROLES, "award badges")
    await check_rate(ctx, "mutation")
    if badge.automatic:
        raise BadUserInput("Automatic badges are earned, not given.", field="badgeId")
    reason = check_line(reason, "reason", max_length=200)
    member = await active_member_named(community, username)
    refuse_self_reward(manager, member, "username")
    async with writing() as conn:
        award = await record_award(
            conn,
            badge,
            member_id=member.member_id,
            community_id=community.id,
            reason=reason,
            awarded_by_id=manager.member_id,
        )
        if award is None:
            raise Conflict("This member already holds this badge.", field="username")
    return award
