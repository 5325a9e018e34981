from tortoise import migrations
from tortoise.migrations import operations as ops
from models.notifications import NotificationKind
from models.tasks import TaskStatus
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0008_pinned_posts')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Task',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='tasks', on_delete=OnDelete.CASCADE)),
                ('title', fields.CharField(max_length=200)),
                ('description', fields.TextField(db_default='', unique=False)),
                ('required_skills', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('due_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('points', fields.IntField(db_default=0)),
                ('status', fields.CharEnumField(description='OPEN: OPEN\nASSIGNED: ASSIGNED\nIN_REVIEW: IN_REVIEW\nDONE: DONE', db_default='OPEN', enum_type=TaskStatus, max_length=10)),
                ('created_by', fields.ForeignKeyField('models.Member', source_field='created_by_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('assignee', fields.ForeignKeyField('models.Member', source_field='assignee_id', null=True, db_constraint=True, to_field='id', related_name='tasks', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('assigned_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('completed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('confirmed_by', fields.ForeignKeyField('models.Member', source_field='confirmed_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'task', 'app': 'models', 'indexes': [Index(fields=['community_id', 'status', 'created_at']), Index(fields=['assignee_id', 'status'])], 'pk_attr': 'id', 'table_description': 'Work that runs the community (welcoming, moderating, the digest), matched to the skills of members.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TaskVolunteer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('task', fields.ForeignKeyField('models.Task', source_field='task_id', db_constraint=True, to_field='id', related_name='volunteers', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'task_volunteer', 'app': 'models', 'unique_together': (('task', 'member'),), 'pk_attr': 'id', 'table_description': 'A member offering to take a task, for a manager to pick among them.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Notification',
            name='kind',
            field=fields.CharEnumField(description='MENTION: MENTION\nREPLY: REPLY\nMEMBERSHIP_REQUESTED: MEMBERSHIP_REQUESTED\nMEMBERSHIP_APPROVED: MEMBERSHIP_APPROVED\nMEMBERSHIP_REJECTED: MEMBERSHIP_REJECTED\nBADGE_AWARDED: BADGE_AWARDED\nKUDOS: KUDOS\nLEVEL_UP: LEVEL_UP\nRANK_UP: RANK_UP\nOVERTAKEN: OVERTAKEN\nTASK_VOLUNTEERED: TASK_VOLUNTEERED\nTASK_ASSIGNED: TASK_ASSIGNED\nTASK_IN_REVIEW: TASK_IN_REVIEW\nTASK_COMPLETED: TASK_COMPLETED', enum_type=NotificationKind, max_length=24),
        ),
    ]
