from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # for the annotations: Tortoise links models by their "models.Name" strings
    from models.members import Member


class EmailStatus(StrEnum):
    QUEUED = "QUEUED"  # waiting for its turn (next_attempt_at)
    SENT = "SENT"
    FAILED = "FAILED"  # refused for good (a 5xx reply), or out of attempts
    SKIPPED = "SKIPPED"  # nothing to send by the time its turn came (unsubscribed, bounced, deleted)


class OutgoingEmail(Model):
    """An email in the outbox: written in the transaction that causes it, sent later by the sender job.

    The row keeps the template and its parameters, not the rendered text: rendering happens at send time, in
    the recipient's language then, and a digest to 10,000 members is one INSERT of small rows.
    """

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyNullableRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    member_id: int | None
    to_address = fields.CharField(max_length=254)
    template = fields.CharField(max_length=40)
    params: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    language = fields.CharField(max_length=5, null=True)  # for an address with no member (an invitation)
    status = fields.CharEnumField(EmailStatus, max_length=8, db_default="QUEUED")
    attempts = fields.SmallIntField(db_default=0)
    next_attempt_at = fields.DatetimeField()
    # A sender that claimed the row holds it until then; past it (the sender died), another may take it.
    claimed_until = fields.DatetimeField(null=True)
    last_error = fields.CharField(max_length=500, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outgoing_email"
        indexes = (("status", "next_attempt_at"),)
