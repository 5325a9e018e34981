"""Daily rollups of the engagement report, kept by the scheduler (resolvers/engagement/rollups.py).

A closed day of a community is rolled up once it is past ROLLUP_GRACE, and rolled up again when
something of that day changes (a post or comment deleted, a reaction undone, the log pruned, a
question of that day answered): the database's triggers append an `EngagementChange` for the day
(migration 0017), and the report reads that day from the raw tables until the scheduler rebuilds it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # for the annotations: Tortoise links models by their "models.Name" strings
    from models.communities import Community
    from models.members import Member


class EngagementRollup(Model):
    """How far a community is rolled up: every day before `rolled_until` has its rows."""

    id = fields.IntField(primary_key=True)
    community: fields.OneToOneRelation[Community] = fields.OneToOneField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    community_id: int
    rolled_until = fields.DateField()

    class Meta:
        table = "engagement_rollup"


class EngagementDay(Model):
    """A community's counts of one UTC day, as the report counts them."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    community_id: int
    day = fields.DateField()
    posts = fields.IntField()
    comments = fields.IntField()
    reactions = fields.IntField()
    kudos = fields.IntField()
    active = (
        fields.IntField()
    )  # members in the log, or authors of counted posts and comments (before the log's horizon)
    active_logged = fields.IntField()  # members in the log only
    # The day's members as serialized Roaring bitmaps of member ids (resolvers/engagement/distinct.py): distinct
    # counts over a period are the size of their union. Null only in rows rolled up before migration 0020.
    acted_members = fields.BinaryField(null=True)  # the member-days with `acted`
    authors = fields.BinaryField(null=True)  # the member-days with `authored_at`

    class Meta:
        table = "engagement_day"
        unique_together = (("community", "day"),)


class EngagementMemberDay(Model):
    """A member who did something in a community on a day: distinct counts across days need one row each."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    community_id: int
    day = fields.DateField()
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, on_delete=fields.CASCADE
    )
    member_id: int
    acted = fields.SmallIntField()  # 1: an activity of their own in the log
    first_contribution_at = fields.DatetimeField(null=True)  # their first logged contribution of the day
    authored_at = fields.DatetimeField(null=True)  # their first counted post or comment of the day

    class Meta:
        table = "engagement_member_day"
        unique_together = (("community", "day", "member"),)


class EngagementChange(Model):
    """A day whose rollup is stale: appended by the triggers of migration 0017, removed once rebuilt.

    No foreign key: a trigger must never fail the write that fired it.
    """

    id = fields.BigIntField(primary_key=True)
    community_id = fields.IntField(db_index=True)
    at = fields.DatetimeField()  # a time in the changed day

    class Meta:
        table = "engagement_change"


class EngagementQuestion(Model):
    """A question published that day, with the minutes to its first answer by someone else (null: none yet)."""

    id = fields.BigIntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name=False, on_delete=fields.CASCADE
    )
    community_id: int
    day = fields.DateField()
    post_id = fields.IntField()  # no foreign key: a rebuilt day replaces its rows
    minutes = fields.FloatField(null=True)

    class Meta:
        table = "engagement_question"
        indexes = (("community_id", "day"),)
