from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # for the annotations: Tortoise links models by their "models.Name" strings
    from models.communities import Community
    from models.members import Member


class Verb(StrEnum):
    JOINED = "JOINED"
    WELCOMED = "WELCOMED"
    POSTED = "POSTED"
    COMMENTED = "COMMENTED"
    ANSWER_ACCEPTED = "ANSWER_ACCEPTED"
    REACTED = "REACTED"
    KUDOS = "KUDOS"
    BADGE_AWARDED = "BADGE_AWARDED"
    LEVEL_UP = "LEVEL_UP"
    TASK_ASSIGNED = "TASK_ASSIGNED"
    TASK_COMPLETED = "TASK_COMPLETED"
    EVENT_CREATED = "EVENT_CREATED"
    RSVP = "RSVP"
    CHECKED_IN = "CHECKED_IN"
    DIGEST_PUBLISHED = "DIGEST_PUBLISHED"


class Activity(Model):
    """The append-only log: the source of truth for live feeds and replays."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="activity", on_delete=fields.CASCADE
    )
    community_id: int
    # NULL only inside the writing transaction: numbered just before it commits (resolvers/outbox.py).
    seq = fields.BigIntField(null=True)
    actor: fields.ForeignKeyNullableRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    actor_id: int | None
    verb = fields.CharEnumField(Verb, max_length=20)
    subject_type = fields.CharField(max_length=20, null=True)
    subject_id = fields.IntField(null=True)
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    # The community's access_version when this event committed: replays and gap fills carry it too.
    access_version = fields.IntField(db_default=0)

    class Meta:
        table = "activity"
        unique_together = (("community", "seq"),)
        # Engagement reports read a period of a community: with the actor and the verb in the index, from
        # the index alone (PostgreSQL: an index-only scan, no visit to the rows and their payloads).
        indexes = (("community_id", "created_at", "actor_id", "verb"),)
