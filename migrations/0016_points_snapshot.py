from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0015_indexes_for_email_and_sessions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PointsSnapshot',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.OneToOneField('models.Community', source_field='community_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('through_id', fields.BigIntField()),
                ('folded_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'points_snapshot', 'app': 'models', 'pk_attr': 'id', 'table_description': "How far a community's ledger is summed into PointsTotal: every row up to `through_id`, none after."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PointsTotal',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('period', fields.CharField(max_length=5)),
                ('since', fields.DateField()),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('points', fields.IntField()),
            ],
            options={'table': 'points_total', 'app': 'models', 'unique_together': (('community', 'period', 'since', 'member'),), 'pk_attr': 'id', 'table_description': "A member's points in a community over one period (ALL, or the day, week or month starting on `since`),"},
            bases=['Model'],
        ),
        ops.AddIndex(
            model_name='PointsEntry',
            index=Index(fields=['community_id', 'id']),
        ),
        # A board's order, best first (Tortoise declares no descending column): its top and a rank's count read
        # the index in order and stop early.
        ops.RunSQL(
            'CREATE INDEX "points_total_board" ON "points_total" ("community_id", "period", "since", "points" DESC, "member_id")',
            reverse_sql='DROP INDEX "points_total_board"',
        ),
    ]
