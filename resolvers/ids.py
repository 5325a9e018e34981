"""Opaque Relay global ids: base64 of "Type:pk"."""

from __future__ import annotations

import base64
import binascii

from resolvers.errors import BadUserInput

# What activity and notification rows call their subjects, and the GraphQL type of each.
SUBJECT_TYPES = {
    "post": "Post",
    "comment": "Comment",
    "membership": "Membership",
    "badge_award": "BadgeAward",
    "kudos": "Kudos",
    "task": "Task",
    "event": "Event",
}


def subject_global_id(subject_type: str | None, subject_id: int | None) -> str | None:
    type_name = SUBJECT_TYPES.get(subject_type or "")
    return to_global_id(type_name, subject_id) if type_name and subject_id is not None else None


def to_global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def from_global_id(global_id: str, *, field: str = "id") -> tuple[str, int]:
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, pk = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        return type_name, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadUserInput(f"'{global_id[:60]}' is not a valid id.", field=field) from None


def pk_of(global_id: str, expected_type: str, *, field: str = "id") -> int:
    type_name, pk = from_global_id(global_id, field=field)
    if type_name != expected_type:
        raise BadUserInput(f"Expected the id of a {expected_type}, got one of a {type_name}.", field=field)
    return pk
