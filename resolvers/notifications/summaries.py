"""A notification in one line for people, e.g. 'Bob replied “Hello”'."""

from __future__ import annotations

from models.notifications import NotificationKind as Kind

PHRASES = {
    Kind.MENTION: "mentioned you",
    Kind.REPLY: "replied",
    Kind.MEMBERSHIP_REQUESTED: "asked to join",
    Kind.MEMBERSHIP_APPROVED: "approved your request to join",
    Kind.MEMBERSHIP_REJECTED: "declined your request to join",
    Kind.BADGE_AWARDED: "awarded you a badge",
    Kind.KUDOS: "thanked you in",
    Kind.TASK_VOLUNTEERED: "volunteered for",
    Kind.TASK_ASSIGNED: "gave you the task",
    Kind.TASK_IN_REVIEW: "says this task is done:",
    Kind.TASK_COMPLETED: "confirmed you completed",
    Kind.WAITLIST_PROMOTED: "found you a seat at",
    Kind.COMMUNITY_STALE: "noticed nothing was published today in",
    Kind.NEWCOMER_UNANSWERED: "is new here and waiting for a reply:",
    Kind.DIGEST_DRAFTED: "drafted the weekly digest of",
    Kind.DIGEST_PUBLISHED: "published the digest",
}


def notification_summary(kind: Kind, actor_name: str | None, title: str | None) -> str:
    """`actor_name` is None for Cercle itself; `title` is the post's title or the community's name."""
    if kind == Kind.RANK_UP:
        return f"You rose to {title}"
    if kind == Kind.OVERTAKEN:
        return f"{actor_name if actor_name is not None else 'Someone'} passed you: {title}"
    phrase = PHRASES.get(kind, kind.lower().replace("_", " "))
    return f"{actor_name if actor_name is not None else 'Cercle'} {phrase}" + (f" “{title}”" if title else "")
