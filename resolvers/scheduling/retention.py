"""Rows that have served their purpose, deleted by the scheduler so tables stop growing with every login and email."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TypeVar

from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

import settings
from models.email import EmailStatus, OutgoingEmail
from models.members import AccountToken, Session
from models.scheduling import JobRun

BATCH = 1000  # rows per DELETE: a large backlog never holds one long lock
KEPT_AFTER_USE = timedelta(days=1)  # a spent or revoked row still answers "used" or "ended" this long
# Claimed slots are looked up for a week at most (a newcomer's post stays a candidate 7 days, a digest's week is
# the last one, a summary's period a week): older claims only fill the table.
CLAIMS_KEPT = timedelta(days=35)
Row = TypeVar("Row", bound=Model)


async def _delete_in_batches(rows: QuerySet[Row]) -> int:
    deleted = 0
    while ids := await rows.limit(BATCH).values_list("id", flat=True):
        await rows.model.filter(id__in=ids).delete()
        deleted += len(ids)
    return deleted


async def prune_accounts(now: datetime | None = None) -> int:
    """Sessions no token can name any more (revoked, or older than any token), and spent or expired email links.

    A pruned session is refused like a revoked one: the check finds no live row.
    """
    now = now or datetime.now(UTC)
    done = now - KEPT_AFTER_USE
    sessions = Session.filter(
        Q(revoked_at__lt=done) | Q(created_at__lt=now - timedelta(seconds=settings.TOKEN_TTL_SECONDS))
    )
    tokens = AccountToken.filter(Q(used_at__lt=done) | Q(expires_at__lt=done))
    return await _delete_in_batches(sessions) + await _delete_in_batches(tokens)


async def prune_sent_email(now: datetime | None = None) -> int:
    """Outbox rows settled (sent, skipped or failed) more than EMAIL_RETENTION_DAYS ago."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=settings.EMAIL_RETENTION_DAYS)
    settled = OutgoingEmail.filter(
        status__in=[EmailStatus.SENT, EmailStatus.SKIPPED, EmailStatus.FAILED], created_at__lt=cutoff
    )
    return await _delete_in_batches(settled)


async def prune_job_runs(now: datetime | None = None) -> int:
    """Claimed slots older than any job looks back (CLAIMS_KEPT): one per member per summary period adds up."""
    return await _delete_in_batches(JobRun.filter(claimed_at__lt=(now or datetime.now(UTC)) - CLAIMS_KEPT))
