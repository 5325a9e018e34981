from tortoise import migrations
from tortoise.migrations import operations as ops
from models.activity import Verb
from models.communities import JoinPolicy, Level, MembershipStatus, Role, Visibility
from models.posts import PostKind, PostStatus, ReactionKind, TargetType
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Member',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('username', fields.CharField(unique=True, max_length=30)),
                ('email', fields.CharField(unique=True, max_length=254)),
                ('password_hash', fields.CharField(max_length=255)),
                ('display_name', fields.CharField(max_length=80)),
                ('bio', fields.TextField(null=True, unique=False)),
                ('experience', fields.TextField(null=True, unique=False)),
                ('joined_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'member', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Community',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=50)),
                ('name', fields.CharField(max_length=100)),
                ('description', fields.TextField(null=True, unique=False)),
                ('visibility', fields.CharEnumField(description='PUBLIC: PUBLIC\nPRIVATE: PRIVATE', db_default='PUBLIC', enum_type=Visibility, max_length=10)),
                ('join_policy', fields.CharEnumField(description='OPEN: OPEN\nAPPROVAL: APPROVAL\nINVITE: INVITE', db_default='OPEN', enum_type=JoinPolicy, max_length=10)),
                ('created_by', fields.ForeignKeyField('models.Member', source_field='created_by_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('activity_seq', fields.BigIntField(db_default=0)),
            ],
            options={'table': 'community', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Activity',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='activity', on_delete=OnDelete.CASCADE)),
                ('seq', fields.BigIntField()),
                ('actor', fields.ForeignKeyField('models.Member', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('verb', fields.CharEnumField(description='JOINED: JOINED\nWELCOMED: WELCOMED\nPOSTED: POSTED\nCOMMENTED: COMMENTED\nANSWER_ACCEPTED: ANSWER_ACCEPTED\nREACTED: REACTED\nKUDOS: KUDOS\nBADGE_AWARDED: BADGE_AWARDED\nLEVEL_UP: LEVEL_UP\nTASK_ASSIGNED: TASK_ASSIGNED\nTASK_COMPLETED: TASK_COMPLETED\nEVENT_CREATED: EVENT_CREATED\nRSVP: RSVP\nCHECKED_IN: CHECKED_IN\nDIGEST_PUBLISHED: DIGEST_PUBLISHED', enum_type=Verb, max_length=20)),
                ('subject_type', fields.CharField(null=True, max_length=20)),
                ('subject_id', fields.IntField(null=True)),
                ('payload', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'activity', 'app': 'models', 'unique_together': (('community', 'seq'),), 'pk_attr': 'id', 'table_description': 'The append-only log: the source of truth for live feeds and replays.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Invitation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='invitations', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(unique=True, max_length=40)),
                ('created_by', fields.ForeignKeyField('models.Member', source_field='created_by_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('max_uses', fields.IntField(null=True)),
                ('uses', fields.IntField(db_default=0)),
                ('expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'invitation', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MemberSkill',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='skill_rows', on_delete=OnDelete.CASCADE)),
                ('skill', fields.CharField(db_index=True, max_length=40)),
                ('position', fields.SmallIntField(db_default=0)),
            ],
            options={'table': 'member_skill', 'app': 'models', 'unique_together': (('member', 'skill'),), 'pk_attr': 'id', 'table_description': 'One row per skill, so members can be found by skill with an index.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Membership',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('role', fields.CharEnumField(description='OWNER: OWNER\nMANAGER: MANAGER\nMODERATOR: MODERATOR\nMEMBER: MEMBER', db_default='MEMBER', enum_type=Role, max_length=10)),
                ('status', fields.CharEnumField(description='PENDING: PENDING\nACTIVE: ACTIVE\nBANNED: BANNED\nREJECTED: REJECTED', db_default='ACTIVE', enum_type=MembershipStatus, max_length=10)),
                ('level', fields.CharEnumField(description='NEWCOMER: NEWCOMER\nMEMBER: MEMBER\nREGULAR: REGULAR\nLEADER: LEADER', db_default='NEWCOMER', enum_type=Level, max_length=10)),
                ('joined_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('welcomed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'membership', 'app': 'models', 'unique_together': (('member', 'community'),), 'indexes': [Index(fields=['community_id', 'status', 'role'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Post',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='posts', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('models.Member', source_field='author_id', db_constraint=True, to_field='id', related_name='posts', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='DISCUSSION: DISCUSSION\nQUESTION: QUESTION\nANNOUNCEMENT: ANNOUNCEMENT\nINTRODUCTION: INTRODUCTION\nDIGEST: DIGEST', db_default='DISCUSSION', enum_type=PostKind, max_length=16)),
                ('status', fields.CharEnumField(description='DRAFT: DRAFT\nSCHEDULED: SCHEDULED\nPUBLISHED: PUBLISHED', db_default='PUBLISHED', enum_type=PostStatus, max_length=10)),
                ('title', fields.CharField(max_length=200)),
                ('body', fields.TextField(unique=False)),
                ('body_html', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('publish_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('deleted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'post', 'app': 'models', 'indexes': [Index(fields=['community_id', 'status', 'published_at']), Index(fields=['status', 'publish_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Comment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('post', fields.ForeignKeyField('models.Post', source_field='post_id', db_constraint=True, to_field='id', related_name='comments', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('models.Member', source_field='author_id', db_constraint=True, to_field='id', related_name='comments', on_delete=OnDelete.CASCADE)),
                ('parent', fields.ForeignKeyField('models.Comment', source_field='parent_id', null=True, db_constraint=True, to_field='id', related_name='replies', on_delete=OnDelete.CASCADE)),
                ('body', fields.TextField(unique=False)),
                ('body_html', fields.TextField(unique=False)),
                ('accepted', fields.BooleanField(db_default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('deleted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'comment', 'app': 'models', 'indexes': [Index(fields=['post_id', 'created_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PostTag',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('post', fields.ForeignKeyField('models.Post', source_field='post_id', db_constraint=True, to_field='id', related_name='tag_rows', on_delete=OnDelete.CASCADE)),
                ('tag', fields.CharField(db_index=True, max_length=40)),
                ('position', fields.SmallIntField(db_default=0)),
            ],
            options={'table': 'post_tag', 'app': 'models', 'unique_together': (('post', 'tag'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Reaction',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('models.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='reactions', on_delete=OnDelete.CASCADE)),
                ('target_type', fields.CharEnumField(description='POST: post\nCOMMENT: comment', enum_type=TargetType, max_length=10)),
                ('target_id', fields.IntField()),
                ('kind', fields.CharEnumField(description='LIKE: LIKE\nINSIGHTFUL: INSIGHTFUL\nTHANKS: THANKS\nCELEBRATE: CELEBRATE', enum_type=ReactionKind, max_length=12)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'reaction', 'app': 'models', 'unique_together': (('member', 'target_type', 'target_id', 'kind'),), 'indexes': [Index(fields=['target_type', 'target_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
