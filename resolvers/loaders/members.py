from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from models.members import Member, MemberSkill
from resolvers.loaders.base import ByIdLoader, grouped
from resolvers.loaders.sql import Statement, key_list

SKILLS = Statement(MemberSkill, "SELECT member_id, skill FROM member_skill WHERE member_id = ANY($1) ORDER BY position")


class MemberByIdLoader(ByIdLoader[Member]):
    model = Member


class SkillsByMemberIdLoader(DataLoader[int, list[str]]):
    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[list[str]]:
        return grouped(await SKILLS.rows(key_list(keys)), "member_id", keys, "skill")
