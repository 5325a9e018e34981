"""Opaque Relay global ids: base64 of "Type:pk"."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable

from tortoise.models import Model

from models.communities import Community, Invitation, Membership
from models.events import Event, Rsvp
from models.members import Member
from models.notifications import Notification
from models.points import Kudos
from models.posts import Comment, Post
from models.recognition import Badge, BadgeAward
from models.tasks import Task
from resolvers.errors import BadUserInput, NotFound

# Every type that has global ids, by name: its primary key column bounds the numbers a row can
# have (PostgreSQL refuses to compare an int column with 2**31 instead of finding nothing).
MODELS_BY_TYPE: dict[str, type[Model]] = {
    model.__name__: model
    for model in (
        Member,
        Community,
        Membership,
        Invitation,
        Post,
        Comment,
        Task,
        Event,
        Rsvp,
        Kudos,
        Badge,
        BadgeAward,
        Notification,
    )
}
# Far longer than any id Cercle writes ("Notification:" and 19 digits make 44 characters).
MAX_ID_LENGTH = 200

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
    """The type name and number of an id exactly as Cercle writes it; BAD_USER_INPUT for anything else.

    int() alone would also read " 7", "+7", "007", "1_0" and Arabic-Indic digits: ids nobody was given,
    so they are refused rather than guessed. A readable id may still name no row ("Task:0", "Task:-1",
    "Task:2147483648"): callers answer NOT_FOUND for those (see can_name_a_row).
    """
    if len(global_id) <= MAX_ID_LENGTH:
        try:
            padded = global_id + "=" * (-len(global_id) % 4)
            type_name, _, number = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
            pk = int(number)
        except (binascii.Error, UnicodeError, ValueError):
            pass
        else:
            if to_global_id(type_name, pk) == global_id:
                return type_name, pk
    raise BadUserInput(f"'{global_id[:60]}' is not a valid id.", field=field)


def can_name_a_row(type_name: str, pk: int) -> bool:
    """False for an unknown type, or a number that no row of the type can have."""
    model = MODELS_BY_TYPE.get(type_name)
    return model is not None and fits_primary_key(model, pk)


def fits_primary_key(model: type[Model], pk: int) -> bool:
    """Ids start at 1 and end where the column does."""
    largest: int = model._meta.pk.constraints["le"]
    return 1 <= pk <= largest


def pk_of(global_id: str, expected_type: str, *, field: str = "id") -> int:
    """The primary key of an id of `expected_type`, for a lookup: NOT_FOUND when no row can have it."""
    pk = _number_of(global_id, expected_type, field)
    if not can_name_a_row(expected_type, pk):
        raise NotFound(f"No {expected_type} has this id.", field=field)
    return pk


def pks_for_filter(global_ids: Iterable[str], expected_type: str, *, field: str) -> list[int]:
    """The primary keys of ids of `expected_type`, for a filter: ids no row can have are left out
    (they would match nothing, like the id of a row that is gone)."""
    numbers = [_number_of(global_id, expected_type, field) for global_id in global_ids]
    return [pk for pk in numbers if can_name_a_row(expected_type, pk)]


def _number_of(global_id: str, expected_type: str, field: str) -> int:
    type_name, pk = from_global_id(global_id, field=field)
    if type_name != expected_type:
        raise BadUserInput(f"Expected the id of a {expected_type}, got one of a {type_name}.", field=field)
    return pk
