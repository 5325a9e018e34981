"""Is the community publishing enough? The daily goal, the streak and the stale flag."""

from __future__ import annotations

from datetime import datetime

import strawberry

from resolvers.freshness import freshness as resolvers
from schema.base import CercleInfo
from schema.communities.community import Community


@strawberry.type(description="Publication against the community's daily goal (UTC days, introductions left out).")
class Freshness:
    posts_today: int = strawberry.field(description="Posts published today.")
    daily_goal: int = strawberry.field(description="Posts a day the managers aim for.")
    streak_days: int = strawberry.field(
        description="Days in a row meeting the goal, up to today once met, else up to yesterday."
    )
    last_post_at: datetime | None = strawberry.field(description="When the latest post was published.")
    stale: bool = strawberry.field(
        description="Nothing published today past the alert hour, or nothing in the last 24 hours."
    )

    @classmethod
    def of(cls, figures: resolvers.Freshness) -> Freshness:
        return cls(**vars(figures))


@strawberry.type
class FreshnessMutation:
    @strawberry.mutation(description="Set the daily publication goal, 1 to 100 posts (managers).")
    async def set_daily_goal(self, info: CercleInfo, community_slug: str, goal: int) -> Community:
        return Community.from_row(await resolvers.do_set_daily_goal(info.context, community_slug, goal))
