"""Badges as people browse them: a community's catalogue, and the badges a member holds (with their loaders)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from strawberry.dataloader import DataLoader

from models.recognition import Badge, BadgeAward, BadgeTier
from resolvers.access import require_community, visible_communities
from resolvers.context import Context
from resolvers.loaders.base import grouped
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


class VisibleBadgesByMemberIdLoader(DataLoader[int, list[BadgeAward]]):
    """Each member's badges in the communities the viewer may see, oldest first: one statement for a page."""

    def __init__(self, viewer_id: int | None) -> None:
        super().__init__(load_fn=self._load)
        self.viewer_id = viewer_id

    async def _load(self, keys: Sequence[int]) -> list[list[BadgeAward]]:
        visible = visible_communities(self.viewer_id, through="community__")
        awards = await BadgeAward.filter(visible, member_id__in=set(keys)).order_by("awarded_at", "id")
        return grouped(awards, "member_id", keys)


class CatalogueByCommunityIdLoader(DataLoader[int, list[Badge]]):
    """Each community's badge catalogue, in catalogue order: every automatic badge (its missing rows made
    on the way, see missing_automatic_badges) and its custom ones. At most three statements for a page."""

    def __init__(self, viewer_id: int | None) -> None:  # the same catalogue for every viewer
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[list[Badge]]:
        badges = await Badge.filter(community_id__in=set(keys))
        if missing := missing_automatic_badges(badges, set(keys)):
            await Badge.bulk_create(missing, ignore_conflicts=True)
            badges = await Badge.filter(community_id__in=set(keys))
        return grouped(sorted(badges, key=catalogue_order), "community_id", keys)


async def catalogue(ctx: Context, community_id: int) -> list[Badge]:
    return await ctx.loaders.of(CatalogueByCommunityIdLoader).load(community_id)


async def badges_of_member(ctx: Context, member_id: int, community_slug: str | None) -> list[BadgeAward]:
    """The member's badges, oldest first: in the community named (NOT_FOUND if absent or hidden from the
    viewer, like every field naming a community), or in every community the viewer may see."""
    if community_slug is None:
        return await ctx.loaders.of(VisibleBadgesByMemberIdLoader).load(member_id)
    community = await require_community(ctx, community_slug)
    return await ctx.loaders.badges_by_membership.load((member_id, community.id))
