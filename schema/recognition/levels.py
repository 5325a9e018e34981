"""A member's way to the next level (resolvers/recognition/levels.py)."""

from __future__ import annotations

import strawberry

from models.communities import Level


@strawberry.type(description="Where a member stands against the next level's thresholds; both are needed.")
class LevelProgress:
    level: Level = strawberry.field(description="The next level.")
    points: int = strawberry.field(description="Points earned in the community.")
    points_needed: int = strawberry.field(description="Points the next level needs.")
    active_days: int = strawberry.field(description="Days with any activity of the member's in the community.")
    active_days_needed: int = strawberry.field(description="Active days the next level needs.")
