from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # for the annotations: Tortoise links models by their "models.Name" strings
    from models.communities import Community
    from models.members import Member


class BadgeTier(StrEnum):
    BRONZE = "BRONZE"
    SILVER = "SILVER"
    GOLD = "GOLD"


class Badge(Model):
    """Built in (no community: offered in every community) or created by a community's managers."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyNullableRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="badges", null=True, on_delete=fields.CASCADE
    )
    community_id: int | None
    slug = fields.CharField(max_length=50)
    name = fields.CharField(max_length=80)
    description = fields.TextField()
    tier = fields.CharEnumField(BadgeTier, max_length=10)
    automatic = fields.BooleanField(db_default=False)
    created_by: fields.ForeignKeyNullableRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "badge"
        unique_together = (("community", "slug"),)


class BadgeAward(Model):
    """A badge given to a member in a community. The unique key makes a second award impossible, not unlikely."""

    id = fields.IntField(primary_key=True)
    badge: fields.ForeignKeyRelation[Badge] = fields.ForeignKeyField(
        "models.Badge", related_name="awards", on_delete=fields.CASCADE
    )
    badge_id: int
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="badge_awards", on_delete=fields.CASCADE
    )
    member_id: int
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    community_id: int
    # "" for badges earned once; the period (e.g. "2026-W47") for badges earned again each period.
    period = fields.CharField(max_length=10, db_default="")
    reason = fields.TextField(null=True)
    awarded_by: fields.ForeignKeyNullableRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    awarded_by_id: int | None
    awarded_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "badge_award"
        unique_together = (("badge", "member", "community", "period"),)
        indexes = (("community_id", "awarded_at"),)
