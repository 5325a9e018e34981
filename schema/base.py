"""Shared GraphQL shapes: the Node interface, Relay connections, enums."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Generic, Protocol, TypeVar

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from models import activity, communities, events, members, notifications, posts, recognition, tasks
from resolvers.context import Context
from resolvers.pagination import Page
from resolvers.recognition.standings import Period

T = TypeVar("T")
R = TypeVar("R")

CercleInfo = Info[Context, None]

# The enums of the schema, registered with their GraphQL descriptions. strawberry.enum returns the class itself, so
# fields are typed with the model's enum (an alias of the call's result is no type to mypy). All are registered here,
# imported before any type: a field read before its enum's registration would register a second, bare copy.
strawberry.enum(communities.Visibility, description="Who sees a community's content.")
strawberry.enum(communities.JoinPolicy, description="How members get in.")
strawberry.enum(communities.Role, description="Responsibility in a community.")
strawberry.enum(communities.MembershipStatus, description="Where a membership stands.")
strawberry.enum(communities.Level, description="Earned by engagement; unlocks privileges.")
strawberry.enum(posts.PostKind, description="What a post is for.")
strawberry.enum(posts.PostStatus, description="Drafts and scheduled posts are seen by their author only.")
strawberry.enum(posts.ReactionKind, description="Ways to react to a post or comment.")
strawberry.enum(activity.Verb, name="ActivityVerb", description="What happened.")  # the contract's name
strawberry.enum(notifications.NotificationKind, description="Why a member is notified.")
strawberry.enum(tasks.TaskStatus, description="OPEN, ASSIGNED, IN_REVIEW (done, to confirm) or DONE.")
strawberry.enum(events.RsvpStatus, description="GOING, MAYBE or DECLINED.")
strawberry.enum(recognition.BadgeTier, description="Bronze for first steps, silver and gold for sustained help.")
strawberry.enum(members.DigestFrequency, description="How often digest emails come: never, daily or weekly.")
strawberry.enum(members.NotificationEmailMode, description="Notifications by email: each at once, bundled, or never.")
strawberry.enum(
    Period,
    description="A span of time; leaderboards count calendar periods in UTC: today, this week (from Monday), "
    "this month, all time.",
)


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global id.")

    @classmethod
    async def resolve_node(cls, info: CercleInfo, pk: int) -> Node | None:
        """For `node(id:)`: the object with this primary key if the viewer may see it, else None.
        A type `node` can return overrides this; the others (an RSVP) are never found by id."""
        return None


@strawberry.type(description="Where a page ends.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when `after: endCursor` gives more.")
    end_cursor: str | None = strawberry.field(description="The cursor of the last edge of this page.")


@strawberry.type(description="One item of a connection with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Pass as `after` to read on from here.")
    node: T = strawberry.field(description="The item.")


class CountsAll(Protocol):
    """What a connection keeps of its page (a Page of rows of any model): the size of the whole list."""

    async def total_count(self) -> int: ...


@strawberry.type(description="A page of a list that can grow (Relay connection).")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Whether there is more, and from where.")
    page: strawberry.Private[CountsAll]

    @strawberry.field(description="How many items the whole list has.")
    async def total_count(self) -> int:
        return await self.page.total_count()


def to_connection(page: Page[R], wrap: Callable[[R], T]) -> Connection[T]:
    edges = [Edge(cursor=c, node=wrap(row)) for row, c in zip(page.rows, page.cursors, strict=True)]
    return Connection(
        edges=edges,
        page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.cursors[-1] if page.cursors else None),
        page=page,
    )


def selected_below(info: CercleInfo, *path: str) -> set[str]:
    """The names of the fields selected at `path` below the field being resolved (`"edges", "node"` of a
    connection), through fragments: what a list may load ahead for all its items at once."""
    level: list[Selection] = list(info.selected_fields)  # the field itself
    for name in (info.field_name, *path):
        level = [child for field in _fields(level) if field.name == name for child in field.selections]
    return {field.name for field in _fields(level)}


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, FragmentSpread | InlineFragment):
            yield from _fields(selection.selections)
