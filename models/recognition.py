from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class BadgeTier(StrEnum):
    BRONZE = "BRONZE"
    SILVER = "SILVER"
    GOLD = "GOLD"


class Badge(Model):
    """Built in (no community: offered in every community) or created by a community's managers."""

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("models.Community", related_name="badges", null=True, on_delete=fields.CASCADE)
    slug = fields.CharField(max_length=50)
    name = fields.CharField(max_length=80)
    description = fields.TextField()
    tier = fields.CharEnumField(BadgeTier, max_length=10)
    automatic = fields.BooleanField(db_default=False)
    created_by = fields.ForeignKeyField("models.Member", related_name=False, null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "badge"
        unique_together = (("community", "slug"),)


class BadgeAward(Model):
    """A badge given to a member in a community. The unique key makes a second award impossible, not unlikely."""

    id = fields.IntField(primary_key=True)
    badge = fields.ForeignKeyField("models.Badge", related_name="awards", on_delete=fields.CASCADE)
    member = fields.ForeignKeyField("models.Member", related_name="badge_awards", on_delete=fields.CASCADE)
    community = fields.ForeignKeyField("models.Community", related_name=False, on_delete=fields.CASCADE)
    # "" for badges earned once; the period (e.g. "2026-W47") for badges earned again each period.
    period = fields.CharField(max_length=10, db_default="")
    reason = fields.TextField(null=True)
    awarded_by = fields.ForeignKeyField("models.Member", related_name=False, null=True, on_delete=fields.SET_NULL)
    awarded_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "badge_award"
        unique_together = (("badge", "member", "community", "period"),)
        indexes = (("community_id", "awarded_at"),)
