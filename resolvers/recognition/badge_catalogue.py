"""Badges as people browse them: a community's catalogue, and the badges a member holds."""

from __future__ import annotations

from collections.abc import Iterable

from models.recognition import Badge, BadgeAward, BadgeTier
from resolvers.access import require_community
from resolvers.context import Context
from resolvers.recognition.automatic_badges import CATALOGUE, AutomaticBadge
from resolvers.recognition.weekly_badges import TOP_CONTRIBUTOR

# Every badge a rule awards, in every community: their slugs are reserved there.
AUTOMATIC_BADGES: tuple[AutomaticBadge, ...] = (*CATALOGUE, TOP_CONTRIBUTOR)
TIERS = list(BadgeTier)  # bronze first


def catalogue_order(badge: Badge) -> tuple[int, str, str]:
    """Bronze to gold, then by name."""
    return TIERS.index(badge.tier), badge.name, badge.slug


def missing_automatic_badges(badges: list[Badge], community_ids: Iterable[int]) -> list[Badge]:
    """The rows these communities lack for the automatic badges (unsaved).

    An automatic badge gets its row in a community when first earned, but a catalogue shows them all, each
    with a stable id: reading it makes the missing rows, once per community (and again when Cercle adds a
    badge). Insert them ignoring conflicts: an award may make one at the same time.
    """
    made = {(badge.community_id, badge.slug) for badge in badges}
    return [
        Badge(
            community_id=community_id,
            slug=spec.slug,
            name=spec.name,
            description=spec.description,
            tier=spec.tier,
            automatic=True,
        )
        for community_id in community_ids
        for spec in AUTOMATIC_BADGES
        if (community_id, spec.slug) not in made
    ]


async def badges_of_member(ctx: Context, member_id: int, community_slug: str | None) -> list[BadgeAward]:
    """The member's badges, oldest first: in the community named (NOT_FOUND if absent or hidden from the
    viewer, like every field naming a community), or in every community the viewer may see."""
    if community_slug is None:
        return await ctx.loaders.visible_badges_by_member_id.load(member_id)
    community = await require_community(ctx, community_slug)
    return await ctx.loaders.badges_by_membership.load((member_id, community.id))
