from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # for the annotations: Tortoise links models by their "models.Name" strings
    from models.communities import Community
    from models.members import Member
    from models.posts import Post


class TaskStatus(StrEnum):
    OPEN = "OPEN"  # looking for someone: members volunteer, a manager assigns
    ASSIGNED = "ASSIGNED"
    IN_REVIEW = "IN_REVIEW"  # the assignee says it is done, a manager has to confirm
    DONE = "DONE"  # confirmed by a manager: the points are earned


class Task(Model):
    """Work that runs the community (welcoming, moderating, the digest), matched to the skills of members."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="tasks", on_delete=fields.CASCADE
    )
    community_id: int
    title = fields.CharField(max_length=200)
    description = fields.TextField(db_default="")
    # Labels as normalise_labels gives them.
    required_skills: fields.JSONField[list[str]] = fields.JSONField(default=list)
    due_at = fields.DatetimeField(null=True)
    points = fields.IntField(db_default=0)  # earned by the assignee when a manager confirms it done
    status = fields.CharEnumField(TaskStatus, max_length=10, db_default=TaskStatus.OPEN.value)
    created_by: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, on_delete=fields.RESTRICT
    )
    created_by_id: int
    assignee: fields.ForeignKeyNullableRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="tasks", null=True, on_delete=fields.SET_NULL
    )
    assignee_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    assigned_at = fields.DatetimeField(null=True)
    completed_at = fields.DatetimeField(null=True)
    confirmed_by: fields.ForeignKeyNullableRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    confirmed_by_id: int | None
    # A draft the assignee edits and publishes, such as the weekly digest.
    post: fields.ForeignKeyNullableRelation[Post] = fields.ForeignKeyField(
        "models.Post", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    post_id: int | None

    class Meta:
        table = "task"
        indexes = (("community_id", "status", "created_at"), ("assignee_id", "status"))


class TaskVolunteer(Model):
    """A member offering to take a task, for a manager to pick among them."""

    id = fields.IntField(primary_key=True)
    task: fields.ForeignKeyRelation[Task] = fields.ForeignKeyField(
        "models.Task", related_name="volunteers", on_delete=fields.CASCADE
    )
    task_id: int
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, on_delete=fields.CASCADE
    )
    member_id: int
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "task_volunteer"
        unique_together = (("task", "member"),)
