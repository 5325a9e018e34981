from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # for the annotations: Tortoise links models by their "models.Name" strings
    from models.communities import Community
    from models.members import Member


class RsvpStatus(StrEnum):
    GOING = "GOING"
    MAYBE = "MAYBE"
    DECLINED = "DECLINED"


class Event(Model):
    """A meetup, call or workshop of a community, where participation is measured by RSVPs and check-ins."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="events", on_delete=fields.CASCADE
    )
    community_id: int
    title = fields.CharField(max_length=200)
    description = fields.TextField(db_default="")
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    place = fields.CharField(max_length=300, null=True)  # an address or a room
    link = fields.CharField(max_length=500, null=True)  # an https link for online events
    capacity = fields.IntField(null=True)  # seats for GOING, null for no limit
    created_by: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, on_delete=fields.RESTRICT
    )
    created_by_id: int
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "event"
        indexes = (("community_id", "starts_at"),)


class Rsvp(Model):
    """A member answer to an event, with a waitlist place when GOING found it full, and their check-in."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="rsvps", on_delete=fields.CASCADE
    )
    event_id: int
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, on_delete=fields.CASCADE
    )
    member_id: int
    status = fields.CharEnumField(RsvpStatus, max_length=10)
    # Set while GOING is waiting for a seat: the earliest is promoted when one frees up.
    waitlisted_at = fields.DatetimeField(null=True)
    checked_in_at = fields.DatetimeField(null=True)
    checked_in_by: fields.ForeignKeyNullableRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    checked_in_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "rsvp"
        unique_together = (("event", "member"),)
