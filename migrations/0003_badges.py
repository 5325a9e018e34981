from tortoise import migrations
from tortoise.migrations import operations as ops
from models.recognition import BadgeTier
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_notifications')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Badge',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', null=True, db_constraint=True, to_field='id', related_name='badges', on_delete=OnDelete.CASCADE)),
                ('slug', fields.CharField(max_length=50)),
                ('name', fields.CharField(max_length=80)),
                ('description', fields.TextField(unique=False)),
                ('tier', fields.CharEnumField(description='BRONZE: BRONZE\nSILVER: SILVER\nGOLD: GOLD', enum_type=BadgeTier, max_length=10)),
                ('automatic', fields.BooleanField(db_default=False)),
                ('created_by', fields.ForeignKeyField('models.Member', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'badge', 'app': 'models', 'unique_together': (('community', 'slug'),), 'pk_attr': 'id', 'table_description': "Built in (no community: offered in every community) or created by a community's managers."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BadgeAward',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('badge', fields.ForeignKeyField('models.Badge', source_field='badge_id', db_constraint=True, to_field='id', related_name='awards', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='badge_awards', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('period', fields.CharField(db_default='', max_length=10)),
                ('reason', fields.TextField(null=True, unique=False)),
                ('awarded_by', fields.ForeignKeyField('models.Member', source_field='awarded_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('awarded_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'badge_award', 'app': 'models', 'unique_together': (('badge', 'member', 'community', 'period'),), 'indexes': [Index(fields=['community_id', 'awarded_at'])], 'pk_attr': 'id', 'table_description': 'A badge given to a member in a community. The unique key makes a second award impossible, not unlikely.'},
            bases=['Model'],
        ),
    ]
