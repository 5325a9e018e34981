from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader
from tortoise.expressions import Q

from models.recognition import Badge, BadgeAward
from schema.dataloaders.base import ByIdLoader
from schema.dataloaders.points import MembershipKey


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
