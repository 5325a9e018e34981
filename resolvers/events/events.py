"""Events: managers create them, members answer (GOING, MAYBE, DECLINED) and check in.

GOING takes a seat while there is one; past the capacity it waits in line
(`waitlisted_at`), and the first in line takes the seat someone gives up.
Checking in is open from CHECK_IN_OPENS before the start to the end for the
member themselves; a manager may check someone in until CHECK_IN_LATE after
the end (a paper list typed in afterwards). A check-in earns EVENT_ATTENDED.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient

from models.activity import Activity, Verb
from models.events import Event, Rsvp, RsvpStatus
from models.notifications import NotificationKind
from resolvers.access import (
    MANAGING_ROLES,
    active_member_named,
    has_role,
    require_active_member,
    require_community,
    require_event,
    require_role,
    viewer_membership,
)
from resolvers.activity import append_activity
from resolvers.context import Context
from resolvers.errors import BadUserInput, Forbidden
from resolvers.notifications.notifications import notify
from resolvers.outbox import Transaction, queue, writing
from resolvers.pagination import Page, paginate
from resolvers.ratelimit import check_rate
from resolvers.recognition.automatic_badges import check_badges
from resolvers.recognition.levels import check_level
from resolvers.recognition.points import earn, rules_of
from resolvers.validation import check_line, check_text

CHECK_IN_OPENS = timedelta(minutes=30)
CHECK_IN_LATE = timedelta(hours=24)
MAX_DURATION = timedelta(days=14)
MAX_CAPACITY = 100_000


@dataclass
class NewEvent:
    community_slug: str
    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    place: str | None = None
    link: str | None = None
    capacity: int | None = None


def _checked_times(starts_at: datetime, ends_at: datetime) -> None:
    """Both are aware and within the DateTime scalar's range already (schema/inputs.py)."""
    if starts_at <= datetime.now(UTC):
        raise BadUserInput("'startsAt' must be in the future.", field="startsAt")
    if not starts_at < ends_at <= starts_at + MAX_DURATION:
        raise BadUserInput("'endsAt' must be after 'startsAt', within 14 days.", field="endsAt")


def _checked_link(link: str | None) -> str | None:
    if link is None or not link.strip():
        return None
    link = check_line(link, "link", max_length=500)
    if not link.startswith("https://") or " " in link:
        raise BadUserInput("'link' must be an https:// address.", field="link")
    return link


async def do_create_event(ctx: Context, data: NewEvent) -> Event:
    community = await require_community(ctx, data.community_slug)
    manager = await require_role(ctx, community, MANAGING_ROLES, "create events")
    await check_rate(ctx, "mutation")
    title = check_line(data.title, "title", max_length=200)
    description = check_text(data.description, "description", max_length=5000, required=False)
    _checked_times(data.starts_at, data.ends_at)
    place = check_line(data.place, "place", max_length=300) if data.place and data.place.strip() else None
    link = _checked_link(data.link)
    if data.capacity is not None and not 1 <= data.capacity <= MAX_CAPACITY:
        raise BadUserInput(f"'capacity' must be between 1 and {MAX_CAPACITY}, or null.", field="capacity")
    async with writing() as conn:
        event = await Event.create(
            using_db=conn,
            community_id=community.id,
            title=title,
            description=description,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            place=place,
            link=link,
            capacity=data.capacity,
            created_by_id=manager.member_id,
        )
        when = {"starts_at": event.starts_at.isoformat()}
        queue(conn, await _log(conn, event, Verb.EVENT_CREATED, manager.member_id, when))
    return event


async def do_rsvp(ctx: Context, event_id: str, status: RsvpStatus) -> Rsvp:
    event, community = await require_event(ctx, event_id)
    membership = await require_active_member(ctx, community, "answer events")
    await check_rate(ctx, "mutation")
    if event.ends_at <= datetime.now(UTC):
        raise BadUserInput("This event is over.", field="eventId")
    async with writing() as conn:
        await _lock(conn, event)
        rsvp = await Rsvp.get_or_none(event_id=event.id, member_id=membership.member_id, using_db=conn)
        if rsvp is not None and rsvp.status == status:
            return rsvp  # the same answer again changes nothing
        gave_up_seat = rsvp is not None and _seated(rsvp)
        waitlisted_at = None
        if status == RsvpStatus.GOING and not await _has_seat(conn, event):
            waitlisted_at = datetime.now(UTC)
        if rsvp is None:
            rsvp = await Rsvp.create(
                using_db=conn,
                event_id=event.id,
                member_id=membership.member_id,
                status=status,
                waitlisted_at=waitlisted_at,
            )
        else:
            rsvp.status, rsvp.waitlisted_at = status, waitlisted_at
            await rsvp.save(using_db=conn, update_fields=["status", "waitlisted_at", "updated_at"])
        answer = {"status": status.value, "waitlisted": waitlisted_at is not None}
        queue(conn, await _log(conn, event, Verb.RSVP, membership.member_id, answer))
        if gave_up_seat:
            await _promote_first_waiting(conn, event)
    return rsvp


def _seated(rsvp: Rsvp) -> bool:
    return rsvp.status == RsvpStatus.GOING and rsvp.waitlisted_at is None


async def _lock(conn: BaseDBAsyncClient, event: Event) -> None:
    """Seats are counted and given under the event's row lock, so two last answers cannot both get the last seat."""
    await Event.filter(id=event.id).using_db(conn).select_for_update()


async def _has_seat(conn: BaseDBAsyncClient, event: Event) -> bool:
    if event.capacity is None:
        return True
    seated = Rsvp.filter(event_id=event.id, status=RsvpStatus.GOING, waitlisted_at__isnull=True)
    return await seated.using_db(conn).count() < event.capacity


async def _promote_first_waiting(conn: Transaction, event: Event) -> None:
    waiting = Rsvp.filter(event_id=event.id, status=RsvpStatus.GOING, waitlisted_at__isnull=False)
    first = await waiting.using_db(conn).order_by("waitlisted_at", "id").first()
    if first is None or not await _has_seat(conn, event):
        return
    first.waitlisted_at = None
    await first.save(using_db=conn, update_fields=["waitlisted_at", "updated_at"])
    promoted = await notify(
        conn,
        {first.member_id: NotificationKind.WAITLIST_PROMOTED},
        actor_id=None,
        community_id=event.community_id,
        subject_type="event",
        subject_id=event.id,
        payload={"title": event.title},
    )
    queue(conn, *promoted)


async def do_check_in(ctx: Context, event_id: str, username: str | None) -> Rsvp:
    """Check the viewer in during the event, or, for a manager, any member until a day after it."""
    event, community = await require_event(ctx, event_id)
    viewer = await ctx.require_viewer()
    now = datetime.now(UTC)
    if username is None or username.strip().lower() == viewer.username:
        attendee = await require_active_member(ctx, community, "check in")
        closes = event.ends_at
    else:
        if not has_role(await viewer_membership(ctx, community.id), MANAGING_ROLES):
            raise Forbidden("Only managers can check other members in.")
        attendee = await active_member_named(community, username)
        closes = event.ends_at + CHECK_IN_LATE
    await check_rate(ctx, "mutation")
    if not event.starts_at - CHECK_IN_OPENS <= now <= closes:
        opens = (event.starts_at - CHECK_IN_OPENS).isoformat()
        raise BadUserInput(f"Check-in is open from {opens} until {closes.isoformat()}.", field="eventId")
    async with writing() as conn:
        return await _check_in(conn, event, attendee.member_id, viewer.id, now)


async def _check_in(conn: Transaction, event: Event, member_id: int, by_id: int, now: datetime) -> Rsvp:
    await _lock(conn, event)
    rsvp = await Rsvp.get_or_none(event_id=event.id, member_id=member_id, using_db=conn)
    if rsvp is not None and rsvp.checked_in_at is not None:
        return rsvp  # once is enough: no second activity, no second points
    if rsvp is None:  # walked in without answering: they are here, so they are going
        rsvp = Rsvp(event_id=event.id, member_id=member_id)
    # Being there takes a seat, even past the waitlist.
    rsvp.status, rsvp.waitlisted_at, rsvp.checked_in_at, rsvp.checked_in_by_id = RsvpStatus.GOING, None, now, by_id
    await rsvp.save(using_db=conn)
    activity = await _log(conn, event, Verb.CHECKED_IN, member_id, {})
    rules = await rules_of(conn, event.community_id)
    earned = await earn(
        conn,
        rules,
        "EVENT_ATTENDED",
        member_id=member_id,
        community_id=event.community_id,
        subject=("event", event.id),
        activity_id=activity.id,
    )
    if earned:
        await check_level(conn, rules, member_id, event.community_id)
    await check_badges(conn, member_id, event.community_id, "EVENT_ATTENDED")
    queue(conn, activity)
    return rsvp


async def _log(
    conn: BaseDBAsyncClient, event: Event, verb: Verb, actor_id: int, extra: Mapping[str, object]
) -> Activity:
    return await append_activity(
        conn,
        community_id=event.community_id,
        actor_id=actor_id,
        verb=verb,
        subject_type="event",
        subject_id=event.id,
        payload={"title": event.title, **extra},
    )


async def list_events(community_id: int, *, upcoming: bool | None, first: int | None, after: str | None) -> Page[Event]:
    """upcoming: not over yet, soonest first; upcoming=false: over, latest first; null: all, latest first."""
    query = Event.filter(community_id=community_id)
    if upcoming:
        not_over = query.filter(ends_at__gt=datetime.now(UTC))
        return await paginate(not_over, ("starts_at", "id"), first=first, after=after)
    if upcoming is False:
        query = query.filter(ends_at__lte=datetime.now(UTC))
    return await paginate(query, ("-starts_at", "-id"), first=first, after=after)


async def list_rsvps(event_id: int, *, status: RsvpStatus | None, first: int | None, after: str | None) -> Page[Rsvp]:
    """An event's answers, first answer first; only those of `status` when given."""
    query = Rsvp.filter(event_id=event_id)
    if status is not None:
        query = query.filter(status=status)
    return await paginate(query, ("created_at", "id"), first=first, after=after)
