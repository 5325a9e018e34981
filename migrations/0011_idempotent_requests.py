from tortoise import migrations
from tortoise.migrations import operations as ops
from models.idempotency import RequestState
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0010_events_freshness_engagement')]

    initial = False

    operations = [
        ops.CreateModel(
            name='IdempotentRequest',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member_id', fields.IntField()),
                ('key', fields.CharField(max_length=255)),
                ('fingerprint', fields.CharField(max_length=64)),
                ('state', fields.CharEnumField(description='RUNNING: RUNNING\nAPPLIED: APPLIED\nANSWERED: ANSWERED', enum_type=RequestState, max_length=10)),
                ('status_code', fields.IntField(null=True)),
                ('media_type', fields.CharField(null=True, max_length=80)),
                ('body', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'idempotent_request', 'app': 'models', 'unique_together': (('member_id', 'key'),), 'indexes': [Index(fields=['created_at'])], 'pk_attr': 'id', 'table_description': 'A mutation sent with an `Idempotency-Key`: claimed before it runs, its answer kept for repeats.'},
            bases=['Model'],
        ),
    ]
