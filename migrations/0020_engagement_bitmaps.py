"""Each rolled-up day keeps its members as Roaring bitmaps (models/engagement.py), and a newcomer's member-days
are found by member.

The days rolled up before have no bitmaps: their rollups are dropped, so the report reads every day from the
raw tables until the scheduler has rolled them up again, a month per run, as on a new deployment.
"""

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

FORGET_ROLLUPS = [
    f"DELETE FROM {table}"
    for table in ("engagement_rollup", "engagement_day", "engagement_member_day", "engagement_question")
]


class Migration(migrations.Migration):
    dependencies = [("models", "0019_weekly_top")]

    initial = False

    operations = [
        ops.AddField(model_name="EngagementDay", name="acted_members", field=fields.BinaryField(null=True)),
        ops.AddField(model_name="EngagementDay", name="authors", field=fields.BinaryField(null=True)),
        ops.AddIndex(model_name="EngagementMemberDay", index=Index(fields=["community_id", "member_id", "day"])),
        ops.RunSQL(FORGET_ROLLUPS, reverse_sql=ops.RunSQL.noop),
    ]
