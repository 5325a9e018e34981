"""Engagement rollups (models/engagement.py), and the triggers that mark a rolled-up day stale.

Each trigger appends the times whose day changed, as `engagement_change` rows: a post or comment whose
deletion, status, kind or publication changed (with the comments and reactions it counted), a reaction
undone, kudos or activity deleted (the log is pruned), a question answered (its day's answer times).
Plain appends, no row shared by writers. On PostgreSQL, two indexes let the report read a period's
member-days from the index alone.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.operations import StateApps

# The times of a changed post's day, of its comments' days and of its reactions' days.
POST_TIMES = """
    SELECT OLD.published_at AS t UNION SELECT NEW.published_at
    UNION SELECT c.created_at FROM comment c WHERE c.post_id = OLD.id
    UNION SELECT r.created_at FROM reaction r WHERE r.target_type = 'post' AND r.target_id = OLD.id
    UNION SELECT r.created_at FROM reaction r JOIN comment c ON c.id = r.target_id
          WHERE r.target_type = 'comment' AND c.post_id = OLD.id
"""
POST_CHANGED = (
    "OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.status IS DISTINCT FROM NEW.status"
    " OR OLD.published_at IS DISTINCT FROM NEW.published_at OR OLD.kind IS DISTINCT FROM NEW.kind"
)
COMMENT_TIMES = """
    SELECT OLD.created_at AS t UNION SELECT p.published_at FROM post p WHERE p.id = OLD.post_id
    UNION SELECT r.created_at FROM reaction r WHERE r.target_type = 'comment' AND r.target_id = OLD.id
"""
REACTION_COMMUNITY = """
    SELECT p.community_id FROM post p WHERE OLD.target_type = 'post' AND p.id = OLD.target_id
    UNION ALL SELECT p.community_id FROM comment c JOIN post p ON p.id = c.post_id
    WHERE OLD.target_type = 'comment' AND c.id = OLD.target_id
"""
# {name: (table, event, condition or None, INSERT ... SELECT of (community_id, at))}
TRIGGERS = {
    "engagement_post_changed": (
        "post",
        "UPDATE",
        POST_CHANGED,
        f"SELECT OLD.community_id, t FROM ({POST_TIMES}) AS times WHERE t IS NOT NULL",
    ),
    "engagement_comment_changed": (
        "comment",
        "UPDATE",
        "OLD.deleted_at IS DISTINCT FROM NEW.deleted_at",
        f"SELECT p.community_id, t FROM ({COMMENT_TIMES}) AS times, post p WHERE p.id = OLD.post_id",
    ),
    "engagement_reaction_undone": (
        "reaction",
        "DELETE",
        None,
        f"SELECT community_id, OLD.created_at FROM ({REACTION_COMMUNITY}) AS target",
    ),
    "engagement_kudos_deleted": ("kudos", "DELETE", None, "SELECT OLD.community_id, OLD.created_at"),
    # A question's first answer may come days later: the question's day changes.
    "engagement_question_answered": (
        "comment",
        "INSERT",
        None,
        "SELECT p.community_id, p.published_at FROM post p"
        " WHERE p.id = NEW.post_id AND p.kind = 'QUESTION' AND p.published_at IS NOT NULL",
    ),
}
# PostgreSQL reads a period's member-days from these indexes alone (once vacuumed).
POSTGRES_INDEXES = (
    "CREATE INDEX engagement_member_day_covering ON engagement_member_day (community_id, day)"
    " INCLUDE (member_id, acted, first_contribution_at, authored_at)",
    "CREATE INDEX engagement_member_day_authors ON engagement_member_day (community_id, day, member_id)"
    " WHERE authored_at IS NOT NULL",
)
INSERT = "INSERT INTO engagement_change (community_id, at) "


def postgres_triggers() -> list[str]:
    statements = []
    for name, (table, event, condition, select) in TRIGGERS.items():
        statements.append(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN {INSERT}{select}; RETURN NULL; END $$"
        )
        when = f" WHEN ({condition})" if condition else ""
        statements.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when} EXECUTE FUNCTION {name}()"
        )
    # Pruning deletes the log by thousands: one statement-level insert per batch, a row per day.
    statements.append(
        "CREATE FUNCTION engagement_activity_pruned() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{INSERT}SELECT DISTINCT community_id, date_trunc('day', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
        " FROM gone; RETURN NULL; END $$"
    )
    statements.append(
        "CREATE TRIGGER engagement_activity_pruned AFTER DELETE ON activity REFERENCING OLD TABLE AS gone"
        " FOR EACH STATEMENT EXECUTE FUNCTION engagement_activity_pruned()"
    )
    return [*statements, *POSTGRES_INDEXES]


def sqlite_triggers() -> list[str]:
    triggers = {
        **TRIGGERS,
        "engagement_activity_pruned": ("activity", "DELETE", None, "SELECT OLD.community_id, OLD.created_at"),
    }
    statements = []
    for name, (table, event, condition, select) in triggers.items():
        when = " WHEN " + condition.replace("IS DISTINCT FROM", "IS NOT") if condition else ""
        statements.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when} BEGIN {INSERT}{select}; END"
        )
    return statements


async def create_triggers(apps: StateApps, editor: BaseSchemaEditor) -> None:
    postgres = editor.client.capabilities.dialect == "postgres"
    for statement in postgres_triggers() if postgres else sqlite_triggers():
        await editor.client.execute_script(statement)


async def drop_triggers(apps: StateApps, editor: BaseSchemaEditor) -> None:
    postgres = editor.client.capabilities.dialect == "postgres"
    tables = {name: table for name, (table, *_) in TRIGGERS.items()} | {"engagement_activity_pruned": "activity"}
    for name, table in tables.items():
        await editor.client.execute_script(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
        if postgres:
            await editor.client.execute_script(f"DROP FUNCTION IF EXISTS {name}()")
    for index in ("engagement_member_day_covering", "engagement_member_day_authors"):
        await editor.client.execute_script(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [("models", "0017_numbered_at_commit")]

    initial = False

    operations = [
        ops.CreateModel(
            name="EngagementChange",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("community_id", fields.IntField(db_index=True)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "engagement_change",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A day whose rollup is stale: appended by the triggers of migration 0017, removed once rebuilt.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="EngagementDay",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "community",
                    fields.ForeignKeyField(
                        "models.Community",
                        source_field="community_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("day", fields.DateField()),
                ("posts", fields.IntField()),
                ("comments", fields.IntField()),
                ("reactions", fields.IntField()),
                ("kudos", fields.IntField()),
                ("active", fields.IntField()),
                ("active_logged", fields.IntField()),
            ],
            options={
                "table": "engagement_day",
                "app": "models",
                "unique_together": (("community", "day"),),
                "pk_attr": "id",
                "table_description": "A community's counts of one UTC day, as the report counts them.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="EngagementMemberDay",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "community",
                    fields.ForeignKeyField(
                        "models.Community",
                        source_field="community_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("day", fields.DateField()),
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
                ("acted", fields.SmallIntField()),
                ("first_contribution_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("authored_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "engagement_member_day",
                "app": "models",
                "unique_together": (("community", "day", "member"),),
                "pk_attr": "id",
                "table_description": "A member who did something in a community on a day: distinct counts across days need one row each.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="EngagementRollup",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "community",
                    fields.OneToOneField(
                        "models.Community",
                        source_field="community_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("rolled_until", fields.DateField()),
            ],
            options={
                "table": "engagement_rollup",
                "app": "models",
                "pk_attr": "id",
                "table_description": "How far a community is rolled up: every day before `rolled_until` has its rows.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name='EngagementQuestion',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('day', fields.DateField()),
                ('post_id', fields.IntField()),
                ('minutes', fields.FloatField(null=True)),
            ],
            options={'table': 'engagement_question', 'app': 'models', 'indexes': [Index(fields=['community_id', 'day'])], 'pk_attr': 'id', 'table_description': 'A question published that day, with the minutes to its first answer by someone else (null: none yet).'},
            bases=['Model'],
        ),
        ops.RunPython(create_triggers, drop_triggers),
    ]
