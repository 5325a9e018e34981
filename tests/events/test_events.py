"""Events: RSVPs within capacity with a waitlist, check-in windows, attendance counts and points."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from models.activity import Activity
from models.communities import Community
from models.events import Event, Rsvp, RsvpStatus
from models.notifications import Notification
from models.recognition import BadgeAward
from resolvers.events.events import NewEvent, do_create_event, do_rsvp
from resolvers.ids import from_global_id, to_global_id
from tests.factories import Persona, count_queries, join, make_member
from tests.recognition.test_earning import points

CREATE = """
mutation C($input: CreateEventInput!) {
  createEvent(input: $input) { id title capacity seatsLeft goingCount place link }
}
"""
RSVP = "mutation R($id: ID!, $s: RsvpStatus!) { rsvp(eventId: $id, status: $s) { status waitlisted } }"
CHECK_IN = "mutation K($id: ID!, $u: String) { checkIn(eventId: $id, username: $u) { status checkedInAt } }"
COUNTS = """
query Q($id: ID!) {
  node(id: $id) { ... on Event { goingCount waitlistCount maybeCount checkedInCount seatsLeft
                                 viewerRsvp { status waitlisted } } }
}
"""
LIST = """
query L($slug: String!, $upcoming: Boolean) {
  community(slug: $slug) { events(upcoming: $upcoming) { edges { node { title } } } }
}
"""


def soon(hours: float) -> datetime:
    return datetime.now(UTC) + timedelta(hours=hours)


async def an_event(owner: Persona, community: Community, *, capacity: int | None = None, title: str = "Meetup") -> str:
    event = await do_create_event(
        owner.ctx, NewEvent(community.slug, title, starts_at=soon(24), ends_at=soon(26), capacity=capacity)
    )
    return to_global_id("Event", event.id)


async def move_event(event_id: str, *, starts_in: timedelta, lasts: timedelta = timedelta(hours=2)) -> None:
    """Tests put an event where they need it in time: creation only accepts future starts."""
    starts = datetime.now(UTC) + starts_in
    await Event.filter(id=from_global_id(event_id)[1]).update(starts_at=starts, ends_at=starts + lasts)


async def members(community: Community, *names: str) -> list[Persona]:
    personas = [await make_member(name) for name in names]
    for persona in personas:
        await join(persona, community)
    return personas


async def test_an_event_is_announced_with_its_seats(gql, owner_alice: Persona, public_community: Community):
    variables = {
        "input": {
            "communitySlug": public_community.slug,
            "title": "Python evening",
            "startsAt": soon(48).isoformat(),
            "endsAt": soon(50).isoformat(),
            "place": "Le Lieu, Lyon",
            "capacity": 30,
        }
    }
    created = (await gql.data(CREATE, variables, token=owner_alice.token))["createEvent"]
    assert created["capacity"] == 30 and created["seatsLeft"] == 30 and created["goingCount"] == 0
    assert await Activity.filter(community_id=public_community.id, verb="EVENT_CREATED").count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"startsAt": "2020-01-01T10:00:00+00:00"}, "startsAt"),
        ({"startsAt": soon(48).replace(tzinfo=None).isoformat()}, "startsAt"),  # no time zone
        ({"endsAt": soon(47).isoformat()}, "endsAt"),  # before the start
        ({"endsAt": soon(48 + 31 * 24).isoformat()}, "endsAt"),  # a month long
        ({"capacity": 0}, "capacity"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"place": "x" * 301}, "place"),
    ],
)
async def test_bad_events_are_refused_with_the_field(gql, owner_alice: Persona, public_community, fields, field):
    base = {"communitySlug": public_community.slug, "title": "T"}
    base |= {"startsAt": soon(48).isoformat(), "endsAt": soon(50).isoformat()}
    error = await gql.error(CREATE, {"input": base | fields}, token=owner_alice.token)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert await Event.all().count() == 0


async def test_members_cannot_announce_events(gql, member_bob: Persona, public_community: Community):
    base = {"communitySlug": public_community.slug, "title": "T"}
    base |= {"startsAt": soon(5).isoformat(), "endsAt": soon(6).isoformat()}
    error = await gql.error(CREATE, {"input": base}, token=member_bob.token)
    assert error["extensions"]["code"] == "FORBIDDEN"


async def test_going_past_the_capacity_waits_and_a_freed_seat_goes_to_the_first_in_line(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: two seats
    event_id = await an_event(owner_alice, public_community, capacity=2)
    carol, dave = await members(public_community, "carol", "dave")
    # when: four members say GOING, in order
    answers = [
        (await gql.data(RSVP, {"id": event_id, "s": "GOING"}, token=p.token))["rsvp"]
        for p in (member_bob, carol, dave, owner_alice)
    ]
    # then: bob and carol have the seats, dave then alice wait
    assert [a["waitlisted"] for a in answers] == [False, False, True, True]
    counts = (await gql.data(COUNTS, {"id": event_id}, token=dave.token))["node"]
    assert counts == {
        "goingCount": 2,
        "waitlistCount": 2,
        "maybeCount": 0,
        "checkedInCount": 0,
        "seatsLeft": 0,
        "viewerRsvp": {"status": "GOING", "waitlisted": True},
    }
    # when: carol cannot come after all
    await gql.data(RSVP, {"id": event_id, "s": "MAYBE"}, token=carol.token)
    # then: dave (first in line) has her seat and is told; alice still waits
    dave_view = (await gql.data(COUNTS, {"id": event_id}, token=dave.token))["node"]
    assert dave_view["viewerRsvp"] == {"status": "GOING", "waitlisted": False}
    assert (dave_view["goingCount"], dave_view["waitlistCount"], dave_view["maybeCount"]) == (2, 1, 1)
    told = await Notification.filter(member_id=dave.member.id, kind="WAITLIST_PROMOTED").count()
    assert told == 1
    assert await Notification.filter(member_id=owner_alice.member.id, kind="WAITLIST_PROMOTED").count() == 0


POSITIONS = """
query P($id: ID!) {
  node(id: $id) { ... on Event { viewerRsvp { waitlistPosition }
                                 rsvps { edges { node { member { username } waitlisted waitlistPosition } } } } }
}
"""


async def test_the_waitlist_says_each_member_their_place_in_line(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    # given: one seat; carol answers MAYBE first and only later GOING, after dave and erin
    event_id = await an_event(owner_alice, public_community, capacity=1)
    carol, dave, erin = await members(public_community, "carol", "dave", "erin")
    await gql.data(RSVP, {"id": event_id, "s": "MAYBE"}, token=carol.token)
    for persona in (member_bob, dave, erin, carol):
        await gql.data(RSVP, {"id": event_id, "s": "GOING"}, token=persona.token)

    async def places(viewer: Persona) -> tuple[int | None, dict[str, int | None]]:
        node = (await gql.data(POSITIONS, {"id": event_id}, token=viewer.token))["node"]
        line = {e["node"]["member"]["username"]: e["node"]["waitlistPosition"] for e in node["rsvps"]["edges"]}
        return node["viewerRsvp"]["waitlistPosition"], line

    # then: the line is served in the order members joined it, not the order they first answered
    assert await places(carol) == (3, {"bob": None, "carol": 3, "dave": 1, "erin": 2})
    assert (await places(member_bob))[0] is None  # seated: not in line
    # when: bob gives up his seat, dave takes it and everyone moves up
    await gql.data(RSVP, {"id": event_id, "s": "DECLINED"}, token=member_bob.token)
    assert await places(erin) == (1, {"bob": None, "carol": 2, "dave": None, "erin": 1})
    # when: erin leaves the line, carol is next
    await gql.data(RSVP, {"id": event_id, "s": "DECLINED"}, token=erin.token)
    assert (await places(carol))[0] == 1


async def test_waitlist_places_of_a_page_of_answers_take_one_query(
    gql, owner_alice: Persona, public_community: Community
):
    event_id = await an_event(owner_alice, public_community, capacity=1)
    for persona in await members(public_community, "carol", "dave", "erin", "frank"):
        await do_rsvp(persona.ctx, event_id, RsvpStatus.GOING)
    with count_queries() as queries:
        line = (await gql.data(POSITIONS, {"id": event_id}, token=owner_alice.token))["node"]["rsvps"]["edges"]
    assert [e["node"]["waitlistPosition"] for e in line] == [None, 1, 2, 3]
    with count_queries() as fewer:
        await gql.data(POSITIONS.replace("waitlistPosition } } }", "} } }"), {"id": event_id}, token=owner_alice.token)
    assert len(queries) - len(fewer) <= 1


async def test_the_last_seat_goes_to_one_of_two_simultaneous_answers(owner_alice: Persona, public_community):
    event_id = await an_event(owner_alice, public_community, capacity=1)
    carol, dave = await members(public_community, "carol", "dave")
    await asyncio.gather(*(do_rsvp(p.ctx, event_id, RsvpStatus.GOING) for p in (carol, dave)))
    seated = await Rsvp.filter(status="GOING", waitlisted_at__isnull=True).count()
    waiting = await Rsvp.filter(status="GOING", waitlisted_at__isnull=False).count()
    assert (seated, waiting) == (1, 1)


async def test_answering_again_the_same_way_changes_nothing(gql, owner_alice, member_bob, public_community):
    event_id = await an_event(owner_alice, public_community)
    for _ in range(2):
        await gql.data(RSVP, {"id": event_id, "s": "GOING"}, token=member_bob.token)
    assert await Activity.filter(verb="RSVP").count() == 1


async def test_members_check_themselves_in_only_around_the_event(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    event_id = await an_event(owner_alice, public_community)
    await gql.data(RSVP, {"id": event_id, "s": "GOING"}, token=member_bob.token)
    # a day before: too early
    early = await gql.error(CHECK_IN, {"id": event_id}, token=member_bob.token)
    assert early["extensions"] == {"code": "BAD_USER_INPUT", "field": "eventId"}
    # 20 minutes before the start: the doors are open
    await move_event(event_id, starts_in=timedelta(minutes=20))
    before = await points(gql, member_bob, public_community)
    checked = (await gql.data(CHECK_IN, {"id": event_id}, token=member_bob.token))["checkIn"]
    assert checked["status"] == "GOING" and checked["checkedInAt"] is not None
    # twice counts once
    await gql.data(CHECK_IN, {"id": event_id}, token=member_bob.token)
    assert await points(gql, member_bob, public_community) == before + 10
    assert await Activity.filter(verb="CHECKED_IN").count() == 1
    assert await BadgeAward.filter(member_id=member_bob.member.id, badge__slug="event-goer").exists()
    # once it is over, members can no longer check themselves in
    carol = (await members(public_community, "carol"))[0]
    await move_event(event_id, starts_in=-timedelta(hours=3))
    late = await gql.error(CHECK_IN, {"id": event_id}, token=carol.token)
    assert late["extensions"]["code"] == "BAD_USER_INPUT"


async def test_managers_check_members_in_until_a_day_after(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    event_id = await an_event(owner_alice, public_community, capacity=1)
    carol = (await members(public_community, "carol"))[0]
    await gql.data(RSVP, {"id": event_id, "s": "GOING"}, token=carol.token)
    await move_event(event_id, starts_in=-timedelta(hours=5))  # ended three hours ago
    # bob never answered but was there: alice checks him in from her paper list
    await gql.data(CHECK_IN, {"id": event_id, "u": "bob"}, token=owner_alice.token)
    forbidden = await gql.error(CHECK_IN, {"id": event_id, "u": "carol"}, token=member_bob.token)
    assert forbidden["extensions"]["code"] == "FORBIDDEN"
    counts = (await gql.data(COUNTS, {"id": event_id}, token=owner_alice.token))["node"]
    assert (counts["goingCount"], counts["checkedInCount"]) == (2, 1)  # being there takes a seat, even when full
    await move_event(event_id, starts_in=-timedelta(hours=30))
    too_late = await gql.error(CHECK_IN, {"id": event_id, "u": "carol"}, token=owner_alice.token)
    assert too_late["extensions"]["code"] == "BAD_USER_INPUT"


async def test_upcoming_and_past_events(gql, owner_alice: Persona, public_community: Community):
    past = await an_event(owner_alice, public_community, title="Last month")
    await move_event(past, starts_in=-timedelta(days=30))
    await an_event(owner_alice, public_community, title="Tomorrow")
    later = await an_event(owner_alice, public_community, title="Next week")
    await move_event(later, starts_in=timedelta(days=7))

    async def titles(upcoming: bool | None) -> list[str]:
        data = await gql.data(LIST, {"slug": public_community.slug, "upcoming": upcoming})
        return [edge["node"]["title"] for edge in data["community"]["events"]["edges"]]

    assert await titles(True) == ["Tomorrow", "Next week"]
    assert await titles(False) == ["Last month"]
    assert await titles(None) == ["Next week", "Tomorrow", "Last month"]


async def test_over_events_take_no_answers_and_outsiders_none(
    gql, owner_alice: Persona, outsider_mallory: Persona, public_community: Community
):
    event_id = await an_event(owner_alice, public_community)
    outsider = await gql.error(RSVP, {"id": event_id, "s": "GOING"}, token=outsider_mallory.token)
    assert outsider["extensions"]["code"] == "FORBIDDEN"
    await move_event(event_id, starts_in=-timedelta(days=2))
    over = await gql.error(RSVP, {"id": event_id, "s": "GOING"}, token=owner_alice.token)
    assert over["extensions"] == {"code": "BAD_USER_INPUT", "field": "eventId"}


EVENTS_PAGE = """
query EventsPage($slug: String!, $first: Int!) {
  community(slug: $slug) {
    events(upcoming: true, first: $first) {
      edges { node { title goingCount waitlistCount checkedInCount seatsLeft viewerRsvp { status } } }
    }
  }
}
"""
# community, events page, attendance counts (one grouped query), the viewer's answers.
EVENTS_PAGE_STATEMENTS = 4


async def test_an_events_page_costs_the_same_few_statements_for_2_and_10_events(
    gql, owner_alice: Persona, member_bob: Persona, public_community: Community
):
    carol = (await members(public_community, "carol"))[0]
    for i in range(10):
        event_id = await an_event(owner_alice, public_community, capacity=1, title=f"Event {i}")
        for persona in (member_bob, carol):
            await do_rsvp(persona.ctx, event_id, RsvpStatus.GOING)
    for first in (2, 10):
        with count_queries() as statements:
            data = await gql.data(EVENTS_PAGE, {"slug": public_community.slug, "first": first}, token=member_bob.token)
        nodes = [edge["node"] for edge in data["community"]["events"]["edges"]]
        assert len(nodes) == first
        assert all((n["goingCount"], n["waitlistCount"], n["seatsLeft"]) == (1, 1, 0) for n in nodes)
        assert all(n["viewerRsvp"] == {"status": "GOING"} for n in nodes)
        assert len(statements) == EVENTS_PAGE_STATEMENTS, "\n".join(statements)
