from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # for the annotations: Tortoise links models by their "models.Name" strings
    from models.members import Member


class Visibility(StrEnum):
    PUBLIC = "PUBLIC"
    PRIVATE = "PRIVATE"


class JoinPolicy(StrEnum):
    OPEN = "OPEN"
    APPROVAL = "APPROVAL"
    INVITE = "INVITE"


class Role(StrEnum):
    OWNER = "OWNER"
    MANAGER = "MANAGER"
    MODERATOR = "MODERATOR"
    MEMBER = "MEMBER"


class MembershipStatus(StrEnum):
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    BANNED = "BANNED"
    REJECTED = "REJECTED"


class Level(StrEnum):
    NEWCOMER = "NEWCOMER"
    MEMBER = "MEMBER"
    REGULAR = "REGULAR"
    LEADER = "LEADER"


class Community(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=50, unique=True)
    name = fields.CharField(max_length=100)
    description = fields.TextField(null=True)
    visibility = fields.CharEnumField(Visibility, max_length=10, db_default=Visibility.PUBLIC.value)
    join_policy = fields.CharEnumField(JoinPolicy, max_length=10, db_default=JoinPolicy.OPEN.value)
    created_by: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, on_delete=fields.RESTRICT
    )
    created_by_id: int
    created_at = fields.DatetimeField(auto_now_add=True)
    # Last activity sequence number: incremented under a row lock in each
    # writing transaction, so activity cursors are dense and commit-ordered.
    activity_seq = fields.BigIntField(db_default=0)
    # Counts the membership changes that can take access away (a ban, a role change), bumped under the
    # same row lock. Every event carries it, so a live feed re-checks its viewer before the first event
    # after such a change, even if the broker lost the change's own message.
    access_version = fields.IntField(db_default=0)
    # Posts a day the managers aim for: community.freshness counts the streak of days that met it.
    daily_goal = fields.IntField(db_default=1)

    class Meta:
        table = "community"


class Membership(Model):
    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="memberships", on_delete=fields.CASCADE
    )
    member_id: int
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="memberships", on_delete=fields.CASCADE
    )
    community_id: int
    role = fields.CharEnumField(Role, max_length=10, db_default=Role.MEMBER.value)
    status = fields.CharEnumField(MembershipStatus, max_length=10, db_default=MembershipStatus.ACTIVE.value)
    level = fields.CharEnumField(Level, max_length=10, db_default=Level.NEWCOMER.value)
    joined_at = fields.DatetimeField(auto_now_add=True)
    welcomed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "membership"
        unique_together = (("member", "community"),)
        indexes = (("community_id", "status", "role"),)


class Invitation(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="invitations", on_delete=fields.CASCADE
    )
    community_id: int
    code = fields.CharField(max_length=40, unique=True)
    created_by: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, on_delete=fields.CASCADE
    )
    created_by_id: int
    max_uses = fields.IntField(null=True)
    uses = fields.IntField(db_default=0)
    expires_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    email = fields.CharField(max_length=254, null=True)  # the address it was sent to (inviteByEmail)

    class Meta:
        table = "invitation"
