from tortoise import fields
from tortoise.models import Model


class JobRun(Model):
    """A scheduled job claimed for one slot (a day, a week, a post): the unique key lets one process run it."""

    id = fields.BigIntField(primary_key=True)
    job = fields.CharField(max_length=40)
    slot = fields.CharField(max_length=80)
    claimed_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "job_run"
        unique_together = (("job", "slot"),)
