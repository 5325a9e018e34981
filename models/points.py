from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # for the annotations: Tortoise links models by their "models.Name" strings
    from models.activity import Activity
    from models.communities import Community
    from models.members import Member


class PointsEntry(Model):
    """One change of a member's points in a community. Points are sums over these rows, never a counter."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="points_entries", on_delete=fields.CASCADE
    )
    member_id: int
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    community_id: int
    amount = fields.IntField()
    reason = fields.CharField(max_length=30)  # a rule's key, MANUAL, or REVERSAL
    # What earned it (a post, a comment, a reaction), so undoing it can take the points back.
    subject_type = fields.CharField(max_length=20, null=True)
    subject_id = fields.IntField(null=True)
    activity: fields.ForeignKeyNullableRelation[Activity] = fields.ForeignKeyField(
        "models.Activity", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    activity_id: int | None
    # A reversal names the entry it takes back. Unique: an entry is taken back once at most.
    reverses: fields.OneToOneNullableRelation[PointsEntry] = fields.OneToOneField(
        "models.PointsEntry", related_name="reversed_by", null=True, on_delete=fields.CASCADE
    )
    reverses_id: int | None
    note = fields.TextField(null=True)
    # Who gave them: the reactor, the asker who accepted, the manager who granted; null for the rules alone.
    given_by: fields.ForeignKeyNullableRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    given_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "points_entry"
        # (community, created_at) first for the period boards; member and amount too, so PostgreSQL sums
        # a period from the index alone.
        indexes = (
            ("community_id", "created_at", "member_id", "amount"),
            ("member_id", "community_id"),
            ("subject_type", "subject_id"),
            ("community_id", "id"),  # the rows after a community's snapshot (PointsSnapshot)
        )


class PointsSnapshot(Model):
    """How far a community's ledger is summed into PointsTotal: every row up to `through_id`, none after.

    A board is the totals plus the ledger rows after `through_id`, so it is always a sum over the ledger.
    The ledger is append-only (rows go only with their member or community, and the totals with them).
    """

    id = fields.IntField(primary_key=True)
    community: fields.OneToOneRelation[Community] = fields.OneToOneField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    community_id: int
    through_id = fields.BigIntField()
    folded_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "points_snapshot"


class WeeklyTop(Model):
    """A community's weekly top as its last settlement announced it: what the next one compares the board with
    (resolvers/recognition/weekly_top.py)."""

    id = fields.IntField(primary_key=True)
    community: fields.OneToOneRelation[Community] = fields.OneToOneField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    community_id: int
    week = fields.CharField(max_length=8)  # week_key(): "2026-W48"
    size = fields.IntField()  # LEADERBOARD_NOTIFY_TOP when it was saved
    board: fields.JSONField[list[list[int]]] = fields.JSONField()  # [[member_id, points], ...], best first

    class Meta:
        table = "weekly_top"


class PointsTotal(Model):
    """A member's points in a community over one period (ALL, or the day, week or month starting on `since`),
    summed from the ledger rows up to the community's PointsSnapshot.through_id."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    community_id: int
    period = fields.CharField(max_length=5)  # a standings.Period value
    since = fields.DateField()  # the period's first day (UTC); 1970-01-01 for ALL
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, on_delete=fields.CASCADE
    )
    member_id: int
    points = fields.IntField()

    class Meta:
        table = "points_total"
        unique_together = (("community", "period", "since", "member"),)
        # Migration 0016 also indexes (community_id, period, since, points DESC, member_id): a board's order.


class CommunityRule(Model):
    """A community's own value for one engagement rule. Absent rules take the default in code."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="rules", on_delete=fields.CASCADE
    )
    community_id: int
    key = fields.CharField(max_length=40)
    value = fields.IntField()
    updated_by: fields.ForeignKeyNullableRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    updated_by_id: int | None
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "community_rule"
        unique_together = (("community", "key"),)


class Kudos(Model):
    """Public thanks from one member to another, in a community."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    community_id: int
    giver: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="kudos_given", on_delete=fields.CASCADE
    )
    giver_id: int
    receiver: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="kudos_received", on_delete=fields.CASCADE
    )
    receiver_id: int
    message = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "kudos"
        indexes = (("community_id", "created_at"), ("receiver_id", "community_id"))
