from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # for the annotations: Tortoise links models by their "models.Name" strings
    from models.communities import Community
    from models.members import Member


class NotificationKind(StrEnum):
    MENTION = "MENTION"
    REPLY = "REPLY"
    MEMBERSHIP_REQUESTED = "MEMBERSHIP_REQUESTED"
    MEMBERSHIP_APPROVED = "MEMBERSHIP_APPROVED"
    MEMBERSHIP_REJECTED = "MEMBERSHIP_REJECTED"
    BADGE_AWARDED = "BADGE_AWARDED"
    KUDOS = "KUDOS"
    LEVEL_UP = "LEVEL_UP"
    RANK_UP = "RANK_UP"
    OVERTAKEN = "OVERTAKEN"
    TASK_VOLUNTEERED = "TASK_VOLUNTEERED"
    TASK_ASSIGNED = "TASK_ASSIGNED"
    TASK_IN_REVIEW = "TASK_IN_REVIEW"
    TASK_COMPLETED = "TASK_COMPLETED"
    WAITLIST_PROMOTED = "WAITLIST_PROMOTED"
    COMMUNITY_STALE = "COMMUNITY_STALE"
    NEWCOMER_UNANSWERED = "NEWCOMER_UNANSWERED"
    DIGEST_DRAFTED = "DIGEST_DRAFTED"
    DIGEST_PUBLISHED = "DIGEST_PUBLISHED"


class Notification(Model):
    """Something for one member's attention, numbered densely per member like activity per community."""

    # No semicolon in this docstring: Tortoise splits SQLite table comments on it.

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="notifications", on_delete=fields.CASCADE
    )
    member_id: int
    # NULL only inside the writing transaction: numbered just before it commits (resolvers/outbox.py).
    seq = fields.BigIntField(null=True)
    kind = fields.CharEnumField(NotificationKind, max_length=24)
    community: fields.ForeignKeyNullableRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, null=True, on_delete=fields.CASCADE
    )
    community_id: int | None
    actor: fields.ForeignKeyNullableRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    actor_id: int | None
    subject_type = fields.CharField(max_length=20, null=True)
    subject_id = fields.IntField(null=True)
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    # Indexed: the notification emails job reads the last days of every member's notifications each tick.
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    read_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notification"
        unique_together = (("member", "seq"),)
