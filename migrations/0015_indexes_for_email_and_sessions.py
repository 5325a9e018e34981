from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0014_invitation_email')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Notification',
            name='created_at',
            field=fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='Session',
            name='member',
            field=fields.ForeignKeyField('models.Member', source_field='member_id', db_index=True, db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE),
        ),
    ]
