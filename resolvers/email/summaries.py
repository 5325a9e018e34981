"""The summary for absent members, as Discourse's activity summary: members who chose digests and have not
been seen for EMAIL_SUMMARY_ABSENT_DAYS get the top new posts of their communities, once per digest period
(a day or a week), claimed per member and period in `job_run`. Nothing new, nothing sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count

import settings
from models.communities import Community, Membership, MembershipStatus
from models.members import DigestFrequency, Member
from models.posts import Comment, Post, PostKind, PostStatus, Reaction, TargetType
from models.scheduling import JobRun
from resolvers.claims import claim
from resolvers.email.audience import excerpt, reachable
from resolvers.email.outbox import queue_email
from resolvers.ids import to_global_id
from resolvers.outbox import Transaction, writing

JOB = "email-summary"
PERIODS = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}
TOP_POSTS = 5
CANDIDATE_POSTS = 100  # the newest this many are ranked: enough for a period, bounded for a busy community
MEMBERS_PER_RUN = 200  # the rest wait for the next tick
# Absence is measured in days: a look every few minutes is often enough, and spares the database each tick.
LOOK_EVERY = timedelta(minutes=5)
_looked_at: datetime | None = None


def period_key(frequency: DigestFrequency, now: datetime) -> str:
    year, week, _ = now.astimezone(UTC).isocalendar()
    return now.astimezone(UTC).date().isoformat() if frequency == DigestFrequency.DAILY else f"{year}-W{week:02d}"


async def send_summaries(now: datetime | None = None) -> int:
    """Queue the summaries due now; how many were queued. Every process may run it: the claims decide."""
    global _looked_at
    now = now or datetime.now(UTC)
    if _looked_at is not None and _looked_at <= now < _looked_at + LOOK_EVERY:
        return 0
    _looked_at = now
    sent = 0
    for member in await _absent_unclaimed(now):
        async with writing() as tx:
            if await claim(tx, JOB, f"{period_key(member.digest_email, now)}:{member.id}"):
                sent += await _summarise(tx, member, now)
    return sent


async def _absent_unclaimed(now: datetime) -> list[Member]:
    absent_since = now - timedelta(days=settings.EMAIL_SUMMARY_ABSENT_DAYS)
    away = Q(last_seen_at__lt=absent_since) | Q(last_seen_at__isnull=True, joined_at__lt=absent_since)
    members = await reachable(Member.filter(away, digest_email__in=list(PERIODS))).order_by("id")
    slots = [f"{period_key(m.digest_email, now)}:{m.id}" for m in members]
    done = set()
    for start in range(0, len(slots), 1000):  # SQLite takes at most 32766 parameters a statement
        taken = JobRun.filter(job=JOB, slot__in=slots[start : start + 1000]).values_list("slot", flat=True)
        done.update(cast(list[str], await taken))
    return [m for m, slot in zip(members, slots, strict=True) if slot not in done][:MEMBERS_PER_RUN]


async def _summarise(tx: Transaction, member: Member, now: datetime) -> int:
    """Queue the member's summary if their communities have anything new since their visit or last period."""
    seen = member.last_seen_at or member.joined_at
    since = max(seen, now - PERIODS[member.digest_email])
    theirs = Membership.filter(member_id=member.id, status=MembershipStatus.ACTIVE).values("community_id")
    new = (
        Post.filter(
            community_id__in=Subquery(theirs),
            status=PostStatus.PUBLISHED,
            deleted_at__isnull=True,
            published_at__gte=since,
        )
        .exclude(author_id=member.id)
        .exclude(kind__in=[PostKind.INTRODUCTION, PostKind.DIGEST])
        .using_db(tx)
    )
    candidates = await new.order_by("-published_at", "-id").limit(CANDIDATE_POSTS)
    if not candidates:
        return 0
    top = await _top(candidates)
    communities = {c.id: c for c in await Community.filter(id__in={p.community_id for p, _, _ in top})}
    posts = [
        _post_params(post, communities[post.community_id], comments, reactions) for post, comments, reactions in top
    ]
    await queue_email(
        tx,
        template="summary",
        to_address=member.email,
        member_id=member.id,
        params={
            "posts": posts,
            "more": await new.count() - len(posts),
            "community_names": list(dict.fromkeys(p["community_name"] for p in posts)),
            "since": since.isoformat(),
        },
    )
    return 1


async def _top(candidates: list[Post]) -> list[tuple[Post, int, int]]:
    """The most discussed and liked first (the newest on a tie): (post, comments, reactions)."""
    ids = [post.id for post in candidates]
    comments = dict(
        await Comment.filter(post_id__in=ids, deleted_at__isnull=True)
        .annotate(n=Count("id"))
        .group_by("post_id")
        .values_list("post_id", "n")
    )
    reactions = dict(
        await Reaction.filter(target_type=TargetType.POST, target_id__in=ids)
        .annotate(n=Count("id"))
        .group_by("target_id")
        .values_list("target_id", "n")
    )
    ranked = sorted(candidates, key=lambda p: -(comments.get(p.id, 0) + reactions.get(p.id, 0)))  # stable: newest
    return [(p, comments.get(p.id, 0), reactions.get(p.id, 0)) for p in ranked[:TOP_POSTS]]


def _post_params(post: Post, community: Community, comments: int, reactions: int) -> dict[str, Any]:
    return {
        "post_id": to_global_id("Post", post.id),
        "title": post.title,
        "excerpt": excerpt(post.body),
        "community_name": community.name,
        "community_slug": community.slug,
        "comments": comments,
        "reactions": reactions,
    }
