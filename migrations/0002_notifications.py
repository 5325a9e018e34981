from tortoise import migrations
from tortoise.migrations import operations as ops
from models.notifications import NotificationKind
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Notification',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('seq', fields.BigIntField()),
                ('kind', fields.CharEnumField(description='MENTION: MENTION\nREPLY: REPLY\nMEMBERSHIP_REQUESTED: MEMBERSHIP_REQUESTED\nMEMBERSHIP_APPROVED: MEMBERSHIP_APPROVED\nMEMBERSHIP_REJECTED: MEMBERSHIP_REJECTED\nBADGE_AWARDED: BADGE_AWARDED', enum_type=NotificationKind, max_length=24)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('actor', fields.ForeignKeyField('models.Member', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('subject_type', fields.CharField(null=True, max_length=20)),
                ('subject_id', fields.IntField(null=True)),
                ('payload', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('read_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notification', 'app': 'models', 'unique_together': (('member', 'seq'),), 'pk_attr': 'id', 'table_description': "Something for one member's attention, numbered densely per member like activity per community."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Member',
            name='notification_seq',
            field=fields.BigIntField(db_default=0),
        ),
    ]
