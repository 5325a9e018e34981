from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from models.communities import Community, Invitation, Membership, MembershipStatus
from resolvers.loaders.base import ByIdLoader
from resolvers.loaders.sql import ModelRows, Statement, key_list
from resolvers.validation import SLUG_RE

BY_SLUG = ModelRows(Community, "slug = ANY($1)")
VIEWER_MEMBERSHIPS = ModelRows(Membership, "member_id = $1 AND community_id = ANY($2)")
MEMBER_COUNTS = Statement(
    Membership,
    "SELECT community_id, count(*) AS n FROM membership WHERE community_id = ANY($1) AND status = $2 "
    "GROUP BY community_id",
)


class CommunityByIdLoader(ByIdLoader[Community]):
    model = Community


class MembershipByIdLoader(ByIdLoader[Membership]):
    model = Membership


class InvitationByIdLoader(ByIdLoader[Invitation]):
    model = Invitation


class ViewerMembershipLoader(DataLoader[int, Membership | None]):
    """The viewer's membership (any status) in each community; None when anonymous."""

    def __init__(self, viewer_id: int | None) -> None:
        super().__init__(load_fn=self._load)
        self.viewer_id = viewer_id

    async def _load(self, keys: Sequence[int]) -> list[Membership | None]:
        if self.viewer_id is None:
            return [None] * len(keys)
        rows = await VIEWER_MEMBERSHIPS.fetch(self.viewer_id, key_list(keys))
        by_community = {row.community_id: row for row in rows}
        return [by_community.get(key) for key in keys]


class CommunityBySlugLoader(DataLoader[str, Community | None]):
    """Communities by slug as typed (any case, spaces around); a malformed slug is never sent to the database."""

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[str]) -> list[Community | None]:
        slugs = {key: key.strip().lower() for key in keys}
        wanted = {slug for slug in slugs.values() if SLUG_RE.match(slug)}
        rows = {row.slug: row for row in await BY_SLUG.fetch(list(wanted))} if wanted else {}
        return [rows.get(slugs[key]) for key in keys]


class MemberCountLoader(DataLoader[int, int]):
    """Active members per community."""

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[int]:
        rows = await MEMBER_COUNTS.rows(key_list(keys), MembershipStatus.ACTIVE.value)
        counts = {row["community_id"]: row["n"] for row in rows}
        return [counts.get(key, 0) for key in keys]
