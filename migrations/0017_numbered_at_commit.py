from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0016_points_snapshot')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Activity',
            name='seq',
            field=fields.BigIntField(null=True),
        ),
        ops.AlterField(
            model_name='Notification',
            name='seq',
            field=fields.BigIntField(null=True),
        ),
    ]
