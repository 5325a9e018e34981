"""Broker messages and activity cursors: plain data, no I/O.

A message says that something happened in a feed, with ids and what a summary
needs, never whole rows. There is one kind per TypedDict below, each built by
its constructor here and nowhere else; the Redis broker sends them as JSON and
subscriptions read their keys.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Literal, TypedDict, TypeGuard

from models.activity import Activity
from models.communities import Membership, MembershipStatus, Role
from models.notifications import Notification
from realtime.errors import InvalidCursor

# Both feeds number their rows in a bigint column: a larger number is no cursor of ours, and the
# database would refuse to compare with it instead of finding nothing.
MAX_SEQ = Activity._meta.fields_map["seq"].constraints["le"]


class ActivityMessage(TypedDict):
    """A row of a community's activity, numbered in its feed."""

    type: Literal["activity"]
    feed: str
    community_id: int
    seq: int
    verb: str
    actor_id: int | None
    subject_type: str | None
    subject_id: int | None
    payload: dict[str, Any]
    at: str
    access_version: int


class MembershipMessage(TypedDict):
    """A membership changed (a ban, a role): its member's feeds re-check at once, not only at the next message."""

    type: Literal["membership"]
    feed: str
    community_id: int
    member_id: int
    status: str
    role: str
    access_version: int


class PointsMessage(TypedDict):
    """Points moved in a community: not numbered, it makes live boards read themselves again."""

    type: Literal["points"]
    feed: str
    community_id: int
    access_version: int


class NotificationMessage(TypedDict):
    """A row of a member's notifications, numbered in their feed."""

    type: Literal["notification"]
    feed: str
    seq: int
    id: int
    kind: str
    community_id: int | None
    actor_id: int | None
    subject_type: str | None
    subject_id: int | None
    payload: dict[str, Any]
    at: str
    read_at: str | None


class SessionsEndedMessage(TypedDict):
    """Sessions were revoked (logout, revokeSession, a password change, a suspension): every process closes the
    sockets they authenticated, and forgets that it found them valid. Sent on the feed every process follows."""

    type: Literal["sessions_ended"]
    feed: str
    member_id: int
    session_ids: list[str]


Message = ActivityMessage | MembershipMessage | PointsMessage | NotificationMessage
BrokerMessage = Message | SessionsEndedMessage  # what the broker carries: feeds' messages, and the process-wide ones
SequencedMessage = ActivityMessage | NotificationMessage


def is_sequenced(message: Message) -> TypeGuard[SequencedMessage]:
    """A numbered row of its feed, delivered in order; the others are control messages, delivered as they come."""
    return "seq" in message


# The feed every process follows from start-up (Redis: the process's own channel), whatever its subscriptions.
PROCESS_FEED = "process"


def community_feed(community_id: int) -> str:
    return f"community:{community_id}"


def member_feed(member_id: int) -> str:
    return f"member:{member_id}"


def activity_message(activity: Activity) -> ActivityMessage:
    return {
        "type": "activity",
        "feed": community_feed(activity.community_id),
        "community_id": activity.community_id,
        "seq": activity.seq,
        "verb": str(activity.verb.value if hasattr(activity.verb, "value") else activity.verb),
        "actor_id": activity.actor_id,
        "subject_type": activity.subject_type,
        "subject_id": activity.subject_id,
        "payload": activity.payload or {},
        "at": activity.created_at.isoformat(),
        "access_version": activity.access_version,
    }


def membership_message(membership: Membership, access_version: int) -> MembershipMessage:
    return {
        "type": "membership",
        "feed": community_feed(membership.community_id),
        "community_id": membership.community_id,
        "member_id": membership.member_id,
        "status": MembershipStatus(membership.status).value,
        "role": Role(membership.role).value,
        "access_version": access_version,
    }


def points_message(community_id: int, access_version: int) -> PointsMessage:
    return {
        "type": "points",
        "feed": community_feed(community_id),
        "community_id": community_id,
        "access_version": access_version,
    }


def notification_message(notification: Notification) -> NotificationMessage:
    return {
        "type": "notification",
        "feed": member_feed(notification.member_id),
        "seq": notification.seq,
        "id": notification.id,
        "kind": str(notification.kind.value if hasattr(notification.kind, "value") else notification.kind),
        "community_id": notification.community_id,
        "actor_id": notification.actor_id,
        "subject_type": notification.subject_type,
        "subject_id": notification.subject_id,
        "payload": notification.payload or {},
        "at": notification.created_at.isoformat(),
        "read_at": notification.read_at.isoformat() if notification.read_at else None,
    }


def sessions_ended_message(member_id: int, session_ids: list[str]) -> SessionsEndedMessage:
    return {"type": "sessions_ended", "feed": PROCESS_FEED, "member_id": member_id, "session_ids": session_ids}


def encode_cursor(community_id: int, seq: int) -> str:
    return base64.urlsafe_b64encode(f"activity:{community_id}:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str, community_id: int) -> int:
    """The sequence number in a cursor of this community's activity."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, community, seq = raw.split(":")
        # Exactly as written by encode_cursor: int() alone would also read " 7" or Arabic-Indic digits.
        if kind != "activity" or encode_cursor(int(community), int(seq)) != cursor or not 0 <= int(seq) <= MAX_SEQ:
            raise ValueError(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidCursor("'after' is not an activity cursor.", field="after") from None
    if int(community) != community_id:
        raise InvalidCursor("'after' is a cursor of another community's activity.", field="after")
    return int(seq)
