from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0006_rank_notifications')]

    initial = False

    operations = [
        ops.RemoveIndex(
            model_name='PointsEntry',
            name=None,
            fields=['community_id', 'created_at'],
        ),
        ops.AddIndex(
            model_name='PointsEntry',
            index=Index(fields=['community_id', 'created_at', 'member_id', 'amount']),
        ),
    ]
