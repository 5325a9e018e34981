"""Each rolled-up day keeps its members as Roaring bitmaps (models/engagement.py), and a newcomer's member-days
are found by member, from the index alone on PostgreSQL (the report looks them up newcomer by newcomer).

The days rolled up before have no bitmaps: their rollups are dropped, so the report reads every day from the
raw tables until the scheduler has rolled them up again, a month per run, as on a new deployment.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.operations import StateApps
from tortoise.migrations.schema_editor.base import BaseSchemaEditor

FORGET_ROLLUPS = [
    f"DELETE FROM {table}"
    for table in ("engagement_rollup", "engagement_day", "engagement_member_day", "engagement_question")
]
BY_MEMBER = "CREATE INDEX engagement_member_day_by_member ON engagement_member_day (community_id, member_id, day)"
POSTGRES_INCLUDE = " INCLUDE (first_contribution_at, authored_at)"


async def create_index(apps: StateApps, editor: BaseSchemaEditor) -> None:
    postgres = editor.client.capabilities.dialect == "postgres"
    await editor.client.execute_script(BY_MEMBER + (POSTGRES_INCLUDE if postgres else ""))


async def drop_index(apps: StateApps, editor: BaseSchemaEditor) -> None:
    await editor.client.execute_script("DROP INDEX IF EXISTS engagement_member_day_by_member")


class Migration(migrations.Migration):
    dependencies = [("models", "0019_weekly_top")]

    initial = False

    operations = [
        ops.AddField(model_name="EngagementDay", name="acted_members", field=fields.BinaryField(null=True)),
        ops.AddField(model_name="EngagementDay", name="authors", field=fields.BinaryField(null=True)),
        ops.RunPython(create_index, drop_index),
        ops.RunSQL(FORGET_ROLLUPS, reverse_sql=ops.RunSQL.noop),
    ]
