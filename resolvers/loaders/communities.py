from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader
from tortoise.functions import Count

from models.communities import Community, Invitation, Membership, MembershipStatus
from resolvers.loaders.base import ByIdLoader
from resolvers.validation import SLUG_RE


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
        rows = await Membership.filter(member_id=self.viewer_id, community_id__in=set(keys))
        by_community = {row.community_id: row for row in rows}
        return [by_community.get(key) for key in keys]


class CommunityBySlugLoader(DataLoader[str, Community | None]):
    """Communities by slug as typed (any case, spaces around); a malformed slug is never sent to the database."""

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[str]) -> list[Community | None]:
        slugs = {key: key.strip().lower() for key in keys}
        wanted = {slug for slug in slugs.values() if SLUG_RE.match(slug)}
        rows = {row.slug: row for row in await Community.filter(slug__in=wanted)} if wanted else {}
        return [rows.get(slugs[key]) for key in keys]


class MemberCountLoader(DataLoader[int, int]):
    """Active members per community."""

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[int]:
        rows = (
            await Membership.filter(community_id__in=set(keys), status=MembershipStatus.ACTIVE)
            .group_by("community_id")
            .annotate(n=Count("id"))
            .values("community_id", "n")
        )
        counts = {row["community_id"]: row["n"] for row in rows}
        return [counts.get(key, 0) for key in keys]
