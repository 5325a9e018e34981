"""Points: leaderboards, the rules a community plays by, and points granted by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from models.communities import Level
from resolvers.recognition import leaderboard
from resolvers.recognition import points as resolvers
from resolvers.recognition.levels import level_of
from schema.base import CercleInfo
from schema.members import Member

if TYPE_CHECKING:
    from schema.communities.membership import Membership


@strawberry.type(description="A member's standing in a leaderboard.")
class LeaderboardEntry:
    rank: int = strawberry.field(description="1 for the most points; equal points go to the earlier member.")
    points: int = strawberry.field(description="Points earned in the period.")
    member_id: strawberry.Private[int]
    community_id: strawberry.Private[int]

    @classmethod
    def of(cls, entry: leaderboard.Entry, community_id: int) -> LeaderboardEntry:
        rank, member_id, points = entry
        return cls(rank=rank, member_id=member_id, points=points, community_id=community_id)

    @strawberry.field(description="Who.")
    async def member(self, info: CercleInfo) -> Member:
        return Member.from_row(await info.context.loaders.member_by_id.load_existing(self.member_id))

    @strawberry.field(description="Their level in the community, earned by engagement.")
    async def level(self, info: CercleInfo) -> Level:
        return await level_of(info.context, self.member_id, self.community_id)


@strawberry.type(description="One engagement rule: points for a contribution, or a cap.")
class PointsRule:
    key: str = strawberry.field(description="e.g. ANSWER_ACCEPTED, REACTION_DAILY_CAP.")
    value: int = strawberry.field(description="This community's value.")
    default_value: int = strawberry.field(description="Cercle's default.")


@strawberry.type
class PointsMutation:
    @strawberry.mutation(
        description="Set one of the community's points rules (owners and managers); applies from now on."
    )
    async def set_points_rule(self, info: CercleInfo, community_slug: str, key: str, value: int) -> PointsRule:
        key, value = await resolvers.do_set_rule(info.context, community_slug, key, value)
        return PointsRule(key=key, value=value, default_value=resolvers.DEFAULT_RULES[key])

    @strawberry.mutation(
        description="Grant (or, negative, remove) points by hand with a reason, e.g. a talk at a meetup (managers)."
    )
    async def grant_points(
        self, info: CercleInfo, community_slug: str, username: str, amount: int, reason: str
    ) -> Annotated[Membership, strawberry.lazy("schema.communities.membership")]:
        from schema.communities.membership import Membership

        return Membership.from_row(
            await resolvers.do_grant_points(info.context, community_slug, username, amount, reason)
        )
