from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from models.members import Member, MemberSkill
from resolvers.loaders.base import ByIdLoader, grouped


class MemberByIdLoader(ByIdLoader[Member]):
    model = Member


class SkillsByMemberIdLoader(DataLoader[int, list[str]]):
    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[list[str]]:
        rows = await MemberSkill.filter(member_id__in=set(keys)).order_by("position").values("member_id", "skill")
        return grouped(rows, "member_id", keys, "skill")
