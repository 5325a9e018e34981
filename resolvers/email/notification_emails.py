"""Notification emails: what a member has not read in the app, by email, at once (IMMEDIATE) or bundled (BUNDLED).

Member.email_notified_seq marks the notifications already considered. The job moves it forward with a
conditional UPDATE (from the value it read), in the transaction that queues the email: that UPDATE is the
claim, so two processes never email the same notifications. A notification is considered once it is
EMAIL_NOTIFICATION_DELAY_SECONDS old, and emailed only if still unread then: what the member saw in the
app meanwhile is not sent. BUNDLED members are considered once per EMAIL_BUNDLE_MINUTES, for what arrived
before the start of the current interval, so each interval sends at most one email.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

from tortoise.expressions import F, Subquery
from tortoise.functions import Max

import settings
from models.communities import Community
from models.members import Member, NotificationEmailMode
from models.notifications import Notification, NotificationKind
from models.posts import Comment
from resolvers.email.audience import reachable
from resolvers.email.outbox import queue_email
from resolvers.ids import to_global_id
from resolvers.outbox import writing

# What brings a member back; rank churn (RANK_UP, OVERTAKEN) and the managers' task bookkeeping do not.
EMAILED_KINDS = [
    NotificationKind.REPLY,
    NotificationKind.MENTION,
    NotificationKind.KUDOS,
    NotificationKind.BADGE_AWARDED,
    NotificationKind.LEVEL_UP,
    NotificationKind.MEMBERSHIP_APPROVED,
    NotificationKind.MEMBERSHIP_REJECTED,
    NotificationKind.TASK_ASSIGNED,
    NotificationKind.WAITLIST_PROMOTED,
    NotificationKind.COMMUNITY_STALE,
]
# Older notifications are past news: a member who switches email on is not sent their history.
TOO_OLD = timedelta(days=7)
MEMBERS_PER_RUN = 500  # the rest wait for the next tick
LISTED = 20  # an email lists this many; the rest are counted, and waiting in the app


def cutoff(mode: NotificationEmailMode, now: datetime) -> datetime:
    """Notifications created before this are due for members of `mode`."""
    settled = now - timedelta(seconds=settings.EMAIL_NOTIFICATION_DELAY_SECONDS)
    if mode == NotificationEmailMode.IMMEDIATE:
        return settled
    interval = timedelta(minutes=settings.EMAIL_BUNDLE_MINUTES).total_seconds()
    # The start of the interval `settled` falls in: fixed for the whole interval, hence one email per interval.
    return datetime.fromtimestamp(settled.timestamp() // interval * interval, UTC)


async def send_notification_emails(now: datetime | None = None) -> int:
    """Queue the notification emails that are due (every member, both modes); how many were queued."""
    now = now or datetime.now(UTC)
    sent = 0
    for mode in (NotificationEmailMode.IMMEDIATE, NotificationEmailMode.BUNDLED):
        for member_id, considered, due in await _due(mode, cutoff(mode, now), since=now - TOO_OLD):
            sent += await _email_member(member_id, considered, due, now)
    return sent


async def _due(mode: NotificationEmailMode, before: datetime, *, since: datetime) -> list[tuple[int, int, int]]:
    """(member, seq considered so far, last seq due) of members of `mode` with notifications due.

    Only the last TOO_OLD are looked at, so each tick reads a bounded window, not every notification ever.
    """
    members = reachable(Member.filter(notification_email=mode))
    rows = (
        await Notification.filter(
            member_id__in=Subquery(members.values("id")),
            created_at__lt=before,
            created_at__gte=since,
            seq__gt=F("member__email_notified_seq"),
        )
        .group_by("member_id", "member__email_notified_seq")
        .annotate(last=Max("seq"))
        .order_by("member_id")
        .limit(MEMBERS_PER_RUN)
        .values_list("member_id", "member__email_notified_seq", "last")
    )
    return cast(list[tuple[int, int, int]], rows)


async def _email_member(member_id: int, considered: int, due: int, now: datetime) -> int:
    async with writing() as tx:
        claimed = (
            await Member.filter(id=member_id, email_notified_seq=considered).using_db(tx).update(email_notified_seq=due)
        )
        if not claimed:
            return 0  # another process took these
        unread = (
            Notification.filter(member_id=member_id, seq__gt=considered, seq__lte=due, read_at__isnull=True)
            .filter(kind__in=EMAILED_KINDS, created_at__gte=now - TOO_OLD)
            .using_db(tx)
        )
        rows = await unread.order_by("-seq").limit(LISTED)
        if not rows:
            return 0
        address = cast(str, await Member.filter(id=member_id).using_db(tx).first().values_list("email", flat=True))
        items = await _items(rows)
        await queue_email(
            tx,
            template="notifications",
            to_address=address,
            member_id=member_id,
            params={
                "notifications": items,
                "more": await unread.count() - len(rows),
                "community_names": list(dict.fromkeys(i["community_name"] for i in items if i["community_name"])),
            },
        )
    return 1


async def _items(rows: list[Notification]) -> list[dict[str, Any]]:
    """What the template shows of each notification, with the web app's link to it."""
    communities = {c.id: c for c in await Community.filter(id__in={r.community_id for r in rows if r.community_id})}
    actors = dict(
        await Member.filter(id__in={r.actor_id for r in rows if r.actor_id}, deleted_at__isnull=True).values_list(
            "id", "display_name"
        )
    )
    comments = [r.subject_id for r in rows if r.subject_type == "comment"]
    post_of = dict(await Comment.filter(id__in=comments).values_list("id", "post_id")) if comments else {}
    items = []
    for row in rows:
        community = communities.get(row.community_id) if row.community_id else None
        items.append(
            {
                "kind": row.kind.value,
                "title": row.payload.get("title") or row.payload.get("community") or "",
                "excerpt": row.payload.get("excerpt") or "",
                "level": row.payload.get("level"),  # LEVEL_UP: the level's name, translated by the template
                "actor": actors.get(row.actor_id) if row.actor_id else None,
                "community_name": community.name if community else None,
                "community_slug": community.slug if community else None,
                "link": _link(row, community, post_of),
                "created_at": row.created_at.isoformat(),
            }
        )
    return items


def _link(row: Notification, community: Community | None, post_of: dict[int, int]) -> str:
    if row.subject_type == "post" and row.subject_id:
        return f"/posts/{to_global_id('Post', row.subject_id)}"
    if row.subject_type == "comment" and row.subject_id in post_of:
        return f"/posts/{to_global_id('Post', post_of[row.subject_id])}"
    if row.subject_type == "event" and row.subject_id:
        return f"/events/{to_global_id('Event', row.subject_id)}"
    if row.subject_type in ("membership", "community", "task") and community:
        return f"/c/{community.slug}"
    return "/notifications"
