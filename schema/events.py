"""Events with RSVPs, a waitlist and check-ins."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import events as models
from resolvers.access import require_inside_view, visible_community
from resolvers.events import events as resolvers
from resolvers.ids import to_global_id
from schema.base import CercleInfo, Connection, Node, to_connection
from schema.communities.community import Community
from schema.members import Member


@strawberry.type(description="A member's answer to an event, and their check-in.")
class Rsvp(Node):
    row: strawberry.Private[models.Rsvp]
    status: models.RsvpStatus = strawberry.field(description="Their answer.")
    waitlisted: bool = strawberry.field(description="GOING but the event is full: waiting for a seat to free up.")
    checked_in_at: datetime | None = strawberry.field(description="When they checked in; null if not (yet).")
    updated_at: datetime = strawberry.field(description="When they last answered or checked in.")

    @classmethod
    def from_row(cls, row: models.Rsvp) -> Rsvp:
        return cls(
            id=strawberry.ID(to_global_id("Rsvp", row.id)),
            row=row,
            status=row.status,
            waitlisted=row.waitlisted_at is not None,
            checked_in_at=row.checked_in_at,
            updated_at=row.updated_at,
        )

    @strawberry.field(description="Place in the waitlist, 1 for next in line; null when not waitlisted.")
    async def waitlist_position(self, info: CercleInfo) -> int | None:
        if self.row.waitlisted_at is None:
            return None
        line = await info.context.loaders.waitlist_by_event_id.load(self.row.event_id)
        return line.index(self.row.id) + 1 if self.row.id in line else None

    @strawberry.field(description="Who answered.")
    async def member(self, info: CercleInfo) -> Member:
        return Member.from_row(await info.context.loaders.member_by_id.load_existing(self.row.member_id))

    @strawberry.field(description="The event.")
    async def event(self, info: CercleInfo) -> Event:
        return Event.from_row(await info.context.loaders.event_by_id.load_existing(self.row.event_id))


@strawberry.type(description="A meetup, call or workshop; attendance is measured by check-ins.")
class Event(Node):
    row: strawberry.Private[models.Event]
    title: str = strawberry.field(description="What, in one line.")
    description: str = strawberry.field(description="Details (plain text).")
    starts_at: datetime = strawberry.field(description="When it starts.")
    ends_at: datetime = strawberry.field(description="When it ends.")
    place: str | None = strawberry.field(description="Where, for events in person.")
    link: str | None = strawberry.field(description="An https link, for events online.")
    capacity: int | None = strawberry.field(description="Seats for GOING; null for no limit.")
    created_at: datetime = strawberry.field(description="When it was announced.")

    @classmethod
    def from_row(cls, row: models.Event) -> Event:
        return cls(
            id=strawberry.ID(to_global_id("Event", row.id)),
            row=row,
            title=row.title,
            description=row.description,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            place=row.place,
            link=row.link,
            capacity=row.capacity,
            created_at=row.created_at,
        )

    @classmethod
    async def resolve_node(cls, info: CercleInfo, pk: int) -> Event | None:
        row = await info.context.loaders.event_by_id.load(pk)  # seen with its community
        return cls.from_row(row) if row and await visible_community(info.context, row.community_id) else None

    @strawberry.field(description="Where it is organised.")
    async def community(self, info: CercleInfo) -> Community:
        return Community.from_row(await info.context.loaders.community_by_id.load_existing(self.row.community_id))

    @strawberry.field(description="Members with a seat (GOING, not waitlisted).")
    async def going_count(self, info: CercleInfo) -> int:
        return (await info.context.loaders.attendance_by_event_id.load(self.row.id))["GOING"]

    @strawberry.field(description="Members GOING who wait for a seat.")
    async def waitlist_count(self, info: CercleInfo) -> int:
        return (await info.context.loaders.attendance_by_event_id.load(self.row.id))["WAITLISTED"]

    @strawberry.field(description="Members who answered MAYBE.")
    async def maybe_count(self, info: CercleInfo) -> int:
        return (await info.context.loaders.attendance_by_event_id.load(self.row.id))["MAYBE"]

    @strawberry.field(description="Members who checked in: the attendance.")
    async def checked_in_count(self, info: CercleInfo) -> int:
        return (await info.context.loaders.attendance_by_event_id.load(self.row.id))["CHECKED_IN"]

    @strawberry.field(description="Seats still free; null for no limit.")
    async def seats_left(self, info: CercleInfo) -> int | None:
        if self.row.capacity is None:
            return None
        return (await info.context.loaders.attendance_by_event_id.load(self.row.id)).seats_left(self.row.capacity)

    @strawberry.field(description="Your own answer; null if you have not answered.")
    async def viewer_rsvp(self, info: CercleInfo) -> Rsvp | None:
        row = await info.context.loaders.viewer_rsvp_by_event_id.load(self.row.id)
        return Rsvp.from_row(row) if row else None

    @strawberry.field(description="Answers, first answer first; the waitlist in the order it is served.")
    async def rsvps(
        self,
        info: CercleInfo,
        status: models.RsvpStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Rsvp]:
        community = await info.context.loaders.community_by_id.load_existing(self.row.community_id)
        await require_inside_view(info.context, community)
        page = await resolvers.list_rsvps(self.row.id, status=status, first=first, after=after)
        return to_connection(page, Rsvp.from_row)


@strawberry.input(description="An event for members to attend.")
class CreateEventInput:
    community_slug: str = strawberry.field(description="Where.")
    title: str = strawberry.field(description="What, one line, up to 200 characters.")
    starts_at: datetime = strawberry.field(description="When it starts (future, with time zone).")
    ends_at: datetime = strawberry.field(description="When it ends (after the start, within 14 days).")
    description: str = strawberry.field(default="", description="Details, up to 5,000 characters.")
    place: str | None = strawberry.field(default=None, description="An address or room, up to 300 characters.")
    link: str | None = strawberry.field(default=None, description="An https:// link for online events.")
    capacity: int | None = strawberry.field(default=None, description="Seats, 1 to 100,000; null for no limit.")


@strawberry.type
class EventMutation:
    @strawberry.mutation(description="Announce an event (managers); EVENT_CREATED goes to the feed.")
    async def create_event(self, info: CercleInfo, input: CreateEventInput) -> Event:
        return Event.from_row(await resolvers.do_create_event(info.context, resolvers.NewEvent(**vars(input))))

    @strawberry.mutation(
        description="Answer an event (members). GOING past the capacity joins the waitlist; giving up a seat "
        "hands it to the first in line."
    )
    async def rsvp(self, info: CercleInfo, event_id: strawberry.ID, status: models.RsvpStatus) -> Rsvp:
        return Rsvp.from_row(await resolvers.do_rsvp(info.context, event_id, status))

    @strawberry.mutation(
        description="Check in: yourself from 30 minutes before the start to the end, or another member "
        "(managers, until a day after the end). Earns EVENT_ATTENDED once."
    )
    async def check_in(self, info: CercleInfo, event_id: strawberry.ID, username: str | None = None) -> Rsvp:
        return Rsvp.from_row(await resolvers.do_check_in(info.context, event_id, username))
