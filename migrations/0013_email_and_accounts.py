from tortoise import migrations
from tortoise.migrations import operations as ops
from models.email import EmailStatus
from models.members import DigestFrequency, NotificationEmailMode, TokenPurpose
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("models", "0012_access_version")]

    initial = False

    operations = [
        ops.CreateModel(
            name="AccountToken",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "member",
                    fields.ForeignKeyField(
                        "models.Member",
                        source_field="member_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "purpose",
                    fields.CharEnumField(
                        description="VERIFY_EMAIL: VERIFY_EMAIL\nRESET_PASSWORD: RESET_PASSWORD",
                        enum_type=TokenPurpose,
                        max_length=16,
                    ),
                ),
                ("digest", fields.CharField(unique=True, max_length=64)),
                ("email", fields.CharField(max_length=254)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "account_token",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A single-use, expiring token sent by email. Only its SHA-256 is stored, so a leaked database reveals none.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OutgoingEmail",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "member",
                    fields.ForeignKeyField(
                        "models.Member",
                        source_field="member_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("to_address", fields.CharField(max_length=254)),
                ("template", fields.CharField(max_length=40)),
                ("params", fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ("language", fields.CharField(null=True, max_length=5)),
                (
                    "status",
                    fields.CharEnumField(
                        description="QUEUED: QUEUED\nSENT: SENT\nFAILED: FAILED\nSKIPPED: SKIPPED",
                        db_default="QUEUED",
                        enum_type=EmailStatus,
                        max_length=8,
                    ),
                ),
                ("attempts", fields.SmallIntField(db_default=0)),
                ("next_attempt_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("claimed_until", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("last_error", fields.CharField(null=True, max_length=500)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("sent_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "outgoing_email",
                "app": "models",
                "indexes": [Index(fields=["status", "next_attempt_at"])],
                "pk_attr": "id",
                "table_description": "An email in the outbox: written in the transaction that causes it, sent later by the sender job.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Session",
            fields=[
                ("id", fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                (
                    "member",
                    fields.ForeignKeyField(
                        "models.Member",
                        source_field="member_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="sessions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("device", fields.CharField(null=True, max_length=200)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("last_seen_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "session",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One login: a token names its session, and stops working once the session is revoked.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Member",
            name="deleted_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Member",
            name="digest_email",
            field=fields.CharEnumField(
                description="NEVER: NEVER\nDAILY: DAILY\nWEEKLY: WEEKLY",
                db_default="WEEKLY",
                enum_type=DigestFrequency,
                max_length=10,
            ),
        ),
        ops.AddField(
            model_name="Member",
            name="email_bounced_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Member",
            name="email_notified_seq",
            field=fields.BigIntField(db_default=0),
        ),
        ops.AddField(
            model_name="Member",
            name="email_verified_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Member",
            name="is_admin",
            field=fields.BooleanField(db_default=False),
        ),
        ops.AddField(
            model_name="Member",
            name="language",
            field=fields.CharField(db_default="en", max_length=5),
        ),
        ops.AddField(
            model_name="Member",
            name="last_seen_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Member",
            name="notification_email",
            field=fields.CharEnumField(
                description="IMMEDIATE: IMMEDIATE\nBUNDLED: BUNDLED\nNEVER: NEVER",
                db_default="BUNDLED",
                enum_type=NotificationEmailMode,
                max_length=10,
            ),
        ),
        ops.AddField(
            model_name="Member",
            name="suspended_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
