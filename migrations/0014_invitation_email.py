from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0013_email_and_accounts')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Invitation',
            name='email',
            field=fields.CharField(null=True, max_length=254),
        ),
    ]
