from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class RequestState(StrEnum):
    RUNNING = "RUNNING"  # claimed; nothing committed yet
    APPLIED = "APPLIED"  # its writes committed (in their own transaction); the answer is not recorded yet
    ANSWERED = "ANSWERED"  # the answer is recorded and replayed to repeats


class IdempotentRequest(Model):
    """A mutation sent with an `Idempotency-Key`: claimed before it runs, its answer kept for repeats."""

    id = fields.BigIntField(primary_key=True)
    member_id = fields.IntField()
    key = fields.CharField(max_length=255)
    fingerprint = fields.CharField(max_length=64)  # of the query, variables and operation name
    state = fields.CharEnumField(RequestState, max_length=10)
    status_code = fields.IntField(null=True)
    media_type = fields.CharField(max_length=80, null=True)
    body = fields.TextField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "idempotent_request"
        unique_together = (("member_id", "key"),)
        indexes = (("created_at",),)
