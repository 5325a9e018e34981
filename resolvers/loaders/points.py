from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader
from tortoise.expressions import Q
from tortoise.functions import Sum

from models.points import Kudos, PointsEntry
from resolvers.loaders.base import ByIdLoader

MembershipKey = tuple[int, int]  # (member_id, community_id)


class KudosByIdLoader(ByIdLoader[Kudos]):
    model = Kudos


class PointsByMembershipLoader(DataLoader[MembershipKey, int]):
    """A member's points in a community: the sum of their ledger, for a whole page of memberships at once."""

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[MembershipKey]) -> list[int]:
        wanted = Q(*(Q(member_id=m, community_id=c) for m, c in set(keys)), join_type="OR")
        rows = (
            await PointsEntry.filter(wanted)
            .annotate(points=Sum("amount"))
            .group_by("member_id", "community_id")
            .values("member_id", "community_id", "points")
        )
        totals = {(row["member_id"], row["community_id"]): row["points"] for row in rows}
        return [totals.get(key, 0) for key in keys]
