from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0003_badges')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CommunityRule',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='rules', on_delete=OnDelete.CASCADE)),
                ('key', fields.CharField(max_length=40)),
                ('value', fields.IntField()),
                ('updated_by', fields.ForeignKeyField('models.Member', source_field='updated_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'community_rule', 'app': 'models', 'unique_together': (('community', 'key'),), 'pk_attr': 'id', 'table_description': "A community's own value for one engagement rule. Absent rules take the default in code."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PointsEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='points_entries', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('amount', fields.IntField()),
                ('reason', fields.CharField(max_length=30)),
                ('subject_type', fields.CharField(null=True, max_length=20)),
                ('subject_id', fields.IntField(null=True)),
                ('activity', fields.ForeignKeyField('models.Activity', source_field='activity_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('reverses', fields.OneToOneField('models.PointsEntry', source_field='reverses_id', null=True, db_constraint=True, to_field='id', related_name='reversed_by', on_delete=OnDelete.CASCADE)),
                ('note', fields.TextField(null=True, unique=False)),
                ('given_by', fields.ForeignKeyField('models.Member', source_field='given_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'points_entry', 'app': 'models', 'indexes': [Index(fields=['community_id', 'created_at']), Index(fields=['member_id', 'community_id']), Index(fields=['subject_type', 'subject_id'])], 'pk_attr': 'id', 'table_description': "One change of a member's points in a community. Points are sums over these rows, never a counter."},
            bases=['Model'],
        ),
    ]
