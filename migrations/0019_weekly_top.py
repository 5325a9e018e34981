from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("models", "0018_engagement_rollups")]

    initial = False

    operations = [
        ops.CreateModel(
            name="WeeklyTop",
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
                ("week", fields.CharField(max_length=8)),
                ("size", fields.IntField()),
                ("board", fields.JSONField()),
            ],
            options={
                "table": "weekly_top",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A community's weekly top as its last settlement announced it: what the next one compares the board with",
            },
            bases=["Model"],
        ),
    ]
