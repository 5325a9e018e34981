from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0011_idempotent_requests')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Activity',
            name='access_version',
            field=fields.IntField(db_default=0),
        ),
        ops.AddField(
            model_name='Community',
            name='access_version',
            field=fields.IntField(db_default=0),
        ),
    ]
