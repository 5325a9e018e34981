from tortoise import fields
from tortoise.models import Model


class Member(Model):
    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=30, unique=True)
    email = fields.CharField(max_length=254, unique=True)
    password_hash = fields.CharField(max_length=255)
    display_name = fields.CharField(max_length=80)
    bio = fields.TextField(null=True)
    experience = fields.TextField(null=True)
    joined_at = fields.DatetimeField(auto_now_add=True)
    # Last notification sequence number, incremented under the row's lock (see Community.activity_seq).
    notification_seq = fields.BigIntField(db_default=0)

    class Meta:
        table = "member"


class MemberSkill(Model):
    """One row per skill, so members can be found by skill with an index."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="skill_rows", on_delete=fields.CASCADE
    )
    member_id: int
    skill = fields.CharField(max_length=40, db_index=True)
    position = fields.SmallIntField(db_default=0)

    class Meta:
        table = "member_skill"
        unique_together = (("member", "skill"),)
