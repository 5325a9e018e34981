"""Who may be emailed at all, and who is away: the filters every trigger shares."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.members import Member


def reachable(members: QuerySet[Member]) -> QuerySet[Member]:
    """Members whose address still takes mail and whose account is in use (the sender checks again at send)."""
    return members.filter(email_bounced_at__isnull=True, suspended_at__isnull=True, deleted_at__isnull=True)


def not_seen_since(moment: datetime) -> Q:
    """Members with no request since `moment` (never seen counts as away)."""
    return Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=moment)


def excerpt(text: str, length: int = 140) -> str:
    """The start of a text on one line (notifications' excerpts have the same length: email sits below them)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def start_of_day(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
