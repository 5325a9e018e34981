from tortoise import migrations
from tortoise.migrations import operations as ops
from models.notifications import NotificationKind
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_kudos')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Notification',
            name='kind',
            field=fields.CharEnumField(description='MENTION: MENTION\nREPLY: REPLY\nMEMBERSHIP_REQUESTED: MEMBERSHIP_REQUESTED\nMEMBERSHIP_APPROVED: MEMBERSHIP_APPROVED\nMEMBERSHIP_REJECTED: MEMBERSHIP_REJECTED\nBADGE_AWARDED: BADGE_AWARDED\nKUDOS: KUDOS\nLEVEL_UP: LEVEL_UP\nRANK_UP: RANK_UP\nOVERTAKEN: OVERTAKEN', enum_type=NotificationKind, max_length=24),
        ),
    ]
