from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class DigestFrequency(StrEnum):
    NEVER = "NEVER"
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"


class NotificationEmailMode(StrEnum):
    IMMEDIATE = "IMMEDIATE"
    BUNDLED = "BUNDLED"
    NEVER = "NEVER"


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
    email_verified_at = fields.DatetimeField(null=True)
    # An address whose mail bounced permanently gets nothing more until it is verified again.
    email_bounced_at = fields.DatetimeField(null=True)
    language = fields.CharField(max_length=5, db_default="en")  # of the web app and of email
    digest_email = fields.CharEnumField(DigestFrequency, max_length=10, db_default="WEEKLY")
    notification_email = fields.CharEnumField(NotificationEmailMode, max_length=10, db_default="BUNDLED")
    # Notifications up to this sequence number have been considered for email (sent, or seen in the app first).
    email_notified_seq = fields.BigIntField(db_default=0)
    last_seen_at = fields.DatetimeField(null=True)  # the last request of any session, to the minute
    is_admin = fields.BooleanField(db_default=False)  # a site administrator
    suspended_at = fields.DatetimeField(null=True)
    deleted_at = fields.DatetimeField(null=True)  # personal data removed; posts stay, by "a former member"

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


class Session(Model):
    """One login: a token names its session, and stops working once the session is revoked."""

    id = fields.CharField(max_length=32, primary_key=True)  # random, so ids cannot be guessed or counted
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name="sessions", on_delete=fields.CASCADE, db_index=True
    )
    member_id: int
    device = fields.CharField(max_length=200, null=True)  # the User-Agent it logged in with
    created_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "session"


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "VERIFY_EMAIL"
    RESET_PASSWORD = "RESET_PASSWORD"


class AccountToken(Model):
    """A single-use, expiring token sent by email. Only its SHA-256 is stored, so a leaked database reveals none."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "models.Member", related_name=False, on_delete=fields.CASCADE
    )
    member_id: int
    purpose = fields.CharEnumField(TokenPurpose, max_length=16)
    digest = fields.CharField(max_length=64, unique=True)
    email = fields.CharField(max_length=254)  # the address being verified, or the one the reset was sent to
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "account_token"
