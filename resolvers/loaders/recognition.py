from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader
from tortoise.expressions import Q
from tortoise.functions import Count

from models.recognition import Badge, BadgeAward
from resolvers.loaders.base import ByIdLoader
from resolvers.loaders.points import MembershipKey


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
