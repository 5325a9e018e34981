"""A member's notifications: written in the transaction that causes them, published by its outbox after commit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from tortoise.backends.base.client import BaseDBAsyncClient

from models.communities import Membership, MembershipStatus
from models.notifications import Notification, NotificationKind
from resolvers.activity import number_at_commit
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.ids import pks_for_filter
from resolvers.outbox import writing
from resolvers.pagination import Page, paginate

MAX_MENTIONS = 10  # per post or comment: more is a broadcast, not a mention
MENTION_RE = re.compile(r"(?<![\w@/])@([a-zA-Z0-9_-]{3,30})\b")
EXCERPT_LENGTH = 140
MAX_MARKED = 100


async def notify(
    conn: BaseDBAsyncClient,
    recipients: dict[int, NotificationKind],
    *,
    actor_id: int | None,
    community_id: int | None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> list[Notification]:
    """One notification per recipient, of its kind (never to the actor), numbered densely per recipient
    just before commit (resolvers/activity.py)."""
    rows = []
    for member_id, kind in sorted(recipients.items()):
        if member_id == actor_id:
            continue
        rows.append(
            await Notification.create(
                using_db=conn,
                member_id=member_id,
                seq=None,
                kind=kind,
                actor_id=actor_id,
                community_id=community_id,
                subject_type=subject_type,
                subject_id=subject_id,
                payload=payload or {},
            )
        )
    number_at_commit(conn, *rows)
    return rows


async def notify_community(
    conn: BaseDBAsyncClient,
    kind: NotificationKind,
    *,
    community_id: int,
    skip: set[int],
    **about: Any,
) -> list[Notification]:
    """`kind` to every active member of the community but those in `skip`, for thousands of members at once:
    the rows are written in one statement, and numbered with the transaction's others just before commit."""
    recipients = await (
        Membership.filter(community_id=community_id, status=MembershipStatus.ACTIVE)
        .exclude(member_id__in=[member_id for member_id in skip if member_id is not None])
        .using_db(conn)
        .order_by("member_id")
        .values_list("member_id", flat=True)
    )
    now = datetime.now(UTC)
    common = {"kind": kind, "community_id": community_id, "created_at": now, **about}
    rows = [Notification(member_id=member_id, seq=None, **common) for member_id in recipients]
    await Notification.bulk_create(rows, batch_size=1000, using_db=conn)
    subject = {"subject_type": about.get("subject_type"), "subject_id": about.get("subject_id")}
    written = Notification.filter(member_id__in=[row.member_id for row in rows], kind=kind, **subject)
    # Bulk inserts do not return ids: read them back, the newest of each member being this one.
    newest = dict(await written.using_db(conn).order_by("id").values_list("member_id", "id"))
    for row in rows:
        row.id = newest[row.member_id]
    number_at_commit(conn, *rows)
    return rows


async def mentioned_members(conn: BaseDBAsyncClient, text: str, community_id: int) -> list[int]:
    """Active members of the community named as @username in the text (the first ten names)."""
    names = list(dict.fromkeys(name.lower() for name in MENTION_RE.findall(text)))[:MAX_MENTIONS]
    if not names:
        return []
    return cast(
        list[int],
        await Membership.filter(community_id=community_id, status=MembershipStatus.ACTIVE, member__username__in=names)
        .using_db(conn)
        .values_list("member_id", flat=True),
    )


def excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_LENGTH else flat[: EXCERPT_LENGTH - 1] + "…"


async def list_notifications(
    ctx: Context, *, unread_only: bool, first: int | None, after: str | None
) -> Page[Notification]:
    viewer = await ctx.require_viewer()
    query = Notification.filter(member_id=viewer.id)
    if unread_only:
        query = query.filter(read_at__isnull=True)
    return await paginate(query, ("-seq",), first=first, after=after)


async def do_mark_read(ctx: Context, ids: Sequence[str] | None) -> int:
    """Mark the given notifications (or all) read; returns how many changed."""
    viewer = await ctx.require_viewer()
    query = Notification.filter(member_id=viewer.id, read_at__isnull=True)
    if ids is not None:
        if len(ids) > MAX_MARKED:
            raise BadUserInput(f"'ids' may have at most {MAX_MARKED} entries; leave it out to mark all.", field="ids")
        query = query.filter(id__in=pks_for_filter(ids, "Notification", field="ids"))
    async with writing() as conn:
        return await query.using_db(conn).update(read_at=datetime.now(UTC))
