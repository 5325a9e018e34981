"""Broker messages and activity cursors: plain data, no I/O."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from models.activity import Activity
from resolvers.errors import BadUserInput

Event = dict[str, Any]


def activity_event(activity: Activity) -> Event:
    """What the broker carries: ids, the sequence number and what a summary needs, never whole rows."""
    return {
        "type": "activity",
        "community_id": activity.community_id,
        "seq": activity.seq,
        "verb": str(activity.verb.value if hasattr(activity.verb, "value") else activity.verb),
        "actor_id": activity.actor_id,
        "subject_type": activity.subject_type,
        "subject_id": activity.subject_id,
        "payload": activity.payload or {},
        "at": activity.created_at.isoformat(),
    }


def encode_cursor(community_id: int, seq: int) -> str:
    return base64.urlsafe_b64encode(f"activity:{community_id}:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str, community_id: int) -> int:
    """The sequence number in a cursor of this community's activity."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, community, seq = raw.split(":")
        if kind != "activity" or int(seq) < 0:
            raise ValueError(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadUserInput("'after' is not an activity cursor.", field="after") from None
    if int(community) != community_id:
        raise BadUserInput("'after' is a cursor of another community's activity.", field="after")
    return int(seq)
