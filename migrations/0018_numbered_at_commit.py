from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0015_indexes_for_email_and_sessions')]

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
