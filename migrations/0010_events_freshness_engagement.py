from tortoise import migrations
from tortoise.migrations import operations as ops
from models.events import RsvpStatus
from models.notifications import NotificationKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0009_tasks')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Event',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.CASCADE)),
                ('title', fields.CharField(max_length=200)),
                ('description', fields.TextField(db_default='', unique=False)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('place', fields.CharField(null=True, max_length=300)),
                ('link', fields.CharField(null=True, max_length=500)),
                ('capacity', fields.IntField(null=True)),
                ('created_by', fields.ForeignKeyField('models.Member', source_field='created_by_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'event', 'app': 'models', 'indexes': [Index(fields=['community_id', 'starts_at'])], 'pk_attr': 'id', 'table_description': 'A meetup, call or workshop of a community, where participation is measured by RSVPs and check-ins.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='JobRun',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('job', fields.CharField(max_length=40)),
                ('slot', fields.CharField(max_length=80)),
                ('claimed_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'job_run', 'app': 'models', 'unique_together': (('job', 'slot'),), 'pk_attr': 'id', 'table_description': 'A scheduled job claimed for one slot (a day, a week, a post): the unique key lets one process run it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Rsvp',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('models.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='rsvps', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(description='GOING: GOING\nMAYBE: MAYBE\nDECLINED: DECLINED', enum_type=RsvpStatus, max_length=10)),
                ('waitlisted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('checked_in_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('checked_in_by', fields.ForeignKeyField('models.Member', source_field='checked_in_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'rsvp', 'app': 'models', 'unique_together': (('event', 'member'),), 'pk_attr': 'id', 'table_description': 'A member answer to an event, with a waitlist place when GOING found it full, and their check-in.'},
            bases=['Model'],
        ),
        ops.AddIndex(
            model_name='Activity',
            index=Index(fields=['community_id', 'created_at', 'actor_id', 'verb']),
        ),
        ops.AddIndex(
            model_name='Comment',
            index=Index(fields=['created_at']),
        ),
        ops.AddField(
            model_name='Community',
            name='daily_goal',
            field=fields.IntField(db_default=1),
        ),
        ops.AlterField(
            model_name='Notification',
            name='kind',
            field=fields.CharEnumField(description='MENTION: MENTION\nREPLY: REPLY\nMEMBERSHIP_REQUESTED: MEMBERSHIP_REQUESTED\nMEMBERSHIP_APPROVED: MEMBERSHIP_APPROVED\nMEMBERSHIP_REJECTED: MEMBERSHIP_REJECTED\nBADGE_AWARDED: BADGE_AWARDED\nKUDOS: KUDOS\nLEVEL_UP: LEVEL_UP\nRANK_UP: RANK_UP\nOVERTAKEN: OVERTAKEN\nTASK_VOLUNTEERED: TASK_VOLUNTEERED\nTASK_ASSIGNED: TASK_ASSIGNED\nTASK_IN_REVIEW: TASK_IN_REVIEW\nTASK_COMPLETED: TASK_COMPLETED\nWAITLIST_PROMOTED: WAITLIST_PROMOTED\nCOMMUNITY_STALE: COMMUNITY_STALE\nNEWCOMER_UNANSWERED: NEWCOMER_UNANSWERED\nDIGEST_DRAFTED: DIGEST_DRAFTED\nDIGEST_PUBLISHED: DIGEST_PUBLISHED', enum_type=NotificationKind, max_length=24),
        ),
        ops.AddIndex(
            model_name='Reaction',
            index=Index(fields=['created_at']),
        ),
        ops.AddField(
            model_name='Task',
            name='post',
            field=fields.ForeignKeyField('models.Post', source_field='post_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL),
        ),
    ]
