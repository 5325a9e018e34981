from tortoise import migrations
from tortoise.migrations import operations as ops
from models.notifications import NotificationKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0004_points')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Kudos',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('giver', fields.ForeignKeyField('models.Member', source_field='giver_id', db_constraint=True, to_field='id', related_name='kudos_given', on_delete=OnDelete.CASCADE)),
                ('receiver', fields.ForeignKeyField('models.Member', source_field='receiver_id', db_constraint=True, to_field='id', related_name='kudos_received', on_delete=OnDelete.CASCADE)),
                ('message', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'kudos', 'app': 'models', 'indexes': [Index(fields=['community_id', 'created_at']), Index(fields=['receiver_id', 'community_id'])], 'pk_attr': 'id', 'table_description': 'Public thanks from one member to another, in a community.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Notification',
            name='kind',
            field=fields.CharEnumField(description='MENTION: MENTION\nREPLY: REPLY\nMEMBERSHIP_REQUESTED: MEMBERSHIP_REQUESTED\nMEMBERSHIP_APPROVED: MEMBERSHIP_APPROVED\nMEMBERSHIP_REJECTED: MEMBERSHIP_REJECTED\nBADGE_AWARDED: BADGE_AWARDED\nKUDOS: KUDOS\nLEVEL_UP: LEVEL_UP', enum_type=NotificationKind, max_length=24),
        ),
    ]
