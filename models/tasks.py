from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class TaskStatus(StrEnum):
    OPEN = "OPEN"  # looking for someone: members volunteer, a manager assigns
    ASSIGNED = "ASSIGNED"
    IN_REVIEW = "IN_REVIEW"  # the assignee says it is done, a manager has to confirm
    DONE = "DONE"  # confirmed by a manager: the points are earned


class Task(Model):
    """Work that runs the community (welcoming, moderating, the digest), matched to the skills of members."""

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("models.Community", related_name="tasks", on_delete=fields.CASCADE)
    title = fields.CharField(max_length=200)
    description = fields.TextField(db_default="")
    required_skills = fields.JSONField(default=list)  # labels as normalise_labels gives them
    due_at = fields.DatetimeField(null=True)
    points = fields.IntField(db_default=0)  # earned by the assignee when a manager confirms it done
    status = fields.CharEnumField(TaskStatus, max_length=10, db_default=TaskStatus.OPEN.value)
    created_by = fields.ForeignKeyField("models.Member", related_name=False, on_delete=fields.RESTRICT)
    assignee = fields.ForeignKeyField("models.Member", related_name="tasks", null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)
    assigned_at = fields.DatetimeField(null=True)
    completed_at = fields.DatetimeField(null=True)
    confirmed_by = fields.ForeignKeyField("models.Member", related_name=False, null=True, on_delete=fields.SET_NULL)
    # A draft the assignee edits and publishes, such as the weekly digest.
    post = fields.ForeignKeyField("models.Post", related_name=False, null=True, on_delete=fields.SET_NULL)

    class Meta:
        table = "task"
        indexes = (("community_id", "status", "created_at"), ("assignee_id", "status"))


class TaskVolunteer(Model):
    """A member offering to take a task, for a manager to pick among them."""

    id = fields.IntField(primary_key=True)
    task = fields.ForeignKeyField("models.Task", related_name="volunteers", on_delete=fields.CASCADE)
    member = fields.ForeignKeyField("models.Member", related_name=False, on_delete=fields.CASCADE)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "task_volunteer"
        unique_together = (("task", "member"),)
