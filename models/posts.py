from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # for the annotations: Tortoise links models by their "models.Name" strings
    from models.communities import Community
    from models.members import Member


class PostKind(StrEnum):
    DISCUSSION = "DISCUSSION"
    QUESTION = "QUESTION"
    ANNOUNCEMENT = "ANNOUNCEMENT"
    INTRODUCTION = "INTRODUCTION"
    DIGEST = "DIGEST"


class PostStatus(StrEnum):
    DRAFT = "DRAFT"
    SCHEDULED = "SCHEDULED"
    PUBLISHED = "PUBLISHED"


class ReactionKind(StrEnum):
    LIKE = "LIKE"
    INSIGHTFUL = "INSIGHTFUL"
    THANKS = "THANKS"
    CELEBRATE = "CELEBRATE"


class TargetType(StrEnum):
    POST = "post"
    COMMENT = "comment"


class Post(Model):
    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="posts", on_delete=fields.CASCADE
    )
    community_id: int
    author: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="posts", on_delete=fields.CASCADE
    )
    author_id: int
    kind = fields.CharEnumField(PostKind, max_length=16, db_default=PostKind.DISCUSSION.value)
    status = fields.CharEnumField(PostStatus, max_length=10, db_default=PostStatus.PUBLISHED.value)
    title = fields.CharField(max_length=200)
    body = fields.TextField()
    body_html = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)
    publish_at = fields.DatetimeField(null=True)
    published_at = fields.DatetimeField(null=True)
    deleted_at = fields.DatetimeField(null=True)
    pinned_at = fields.DatetimeField(null=True)  # pinned to the top of the community by a LEADER or moderator

    class Meta:
        table = "post"
        indexes = (("community_id", "status", "published_at"), ("status", "publish_at"))


class PostTag(Model):
    id = fields.IntField(primary_key=True)
    post: fields.ForeignKeyRelation[Post] = fields.ForeignKeyField(
        "models.Post", related_name="tag_rows", on_delete=fields.CASCADE
    )
    post_id: int
    tag = fields.CharField(max_length=40, db_index=True)
    position = fields.SmallIntField(db_default=0)

    class Meta:
        table = "post_tag"
        unique_together = (("post", "tag"),)


class Comment(Model):
    id = fields.IntField(primary_key=True)
    post: fields.ForeignKeyRelation[Post] = fields.ForeignKeyField(
        "models.Post", related_name="comments", on_delete=fields.CASCADE
    )
    post_id: int
    author: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="comments", on_delete=fields.CASCADE
    )
    author_id: int
    parent: fields.ForeignKeyNullableRelation[Comment] = fields.ForeignKeyField(
        "models.Comment", related_name="replies", null=True, on_delete=fields.CASCADE
    )
    parent_id: int | None
    body = fields.TextField()
    body_html = fields.TextField()
    accepted = fields.BooleanField(db_default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    deleted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "comment"
        # created_at alone: engagement reports count a period's comments (their post says the community).
        indexes = (("post_id", "created_at"), ("created_at",))


class Reaction(Model):
    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="reactions", on_delete=fields.CASCADE
    )
    member_id: int
    target_type = fields.CharEnumField(TargetType, max_length=10)
    target_id = fields.IntField()
    kind = fields.CharEnumField(ReactionKind, max_length=12)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "reaction"
        unique_together = (("member", "target_type", "target_id", "kind"),)
        indexes = (("target_type", "target_id"), ("created_at",))  # created_at: a period's reactions, for reports
