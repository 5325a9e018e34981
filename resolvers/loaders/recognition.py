from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader
from tortoise.expressions import Q
from tortoise.functions import Count

from models.recognition import Badge, BadgeAward
from resolvers.access import visible_communities
from resolvers.loaders.base import ByIdLoader, grouped
from resolvers.loaders.points import MembershipKey
from resolvers.recognition.badge_catalogue import catalogue_order, missing_automatic_badges


class BadgeByIdLoader(ByIdLoader[Badge]):
    model = Badge


class BadgeAwardByIdLoader(ByIdLoader[BadgeAward]):
    model = BadgeAward


class BadgesByMembershipLoader(DataLoader[MembershipKey, list[BadgeAward]]):
    """The badges each member holds in each community, oldest first, for a whole page of memberships at once."""

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[MembershipKey]) -> list[list[BadgeAward]]:
        wanted = Q(*(Q(member_id=m, community_id=c) for m, c in set(keys)), join_type="OR")
        held: dict[MembershipKey, list[BadgeAward]] = {}
        for award in await BadgeAward.filter(wanted).order_by("awarded_at", "id"):
            held.setdefault((award.member_id, award.community_id), []).append(award)
        return [held.get(key, []) for key in keys]


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

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[list[Badge]]:
        badges = await Badge.filter(community_id__in=set(keys))
        if missing := missing_automatic_badges(badges, set(keys)):
            await Badge.bulk_create(missing, ignore_conflicts=True)
            badges = await Badge.filter(community_id__in=set(keys))
        return grouped(sorted(badges, key=catalogue_order), "community_id", keys)


class HolderCountByBadgeIdLoader(DataLoader[int, int]):
    """How many members hold each badge (a weekly badge won three times is one holder)."""

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[int]:
        rows = (
            await BadgeAward.filter(badge_id__in=set(keys))
            .annotate(holders=Count("member_id", distinct=True))
            .group_by("badge_id")
            .values("badge_id", "holders")
        )
        counts = {row["badge_id"]: row["holders"] for row in rows}
        return [counts.get(key, 0) for key in keys]
