"""The web app in a real (headless) Chromium: an event's waitlist, a freed seat, and checking in."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from models.communities import Community
from models.events import Rsvp, RsvpStatus
from resolvers.ids import from_global_id
from tests.events.test_events import an_event, members, move_event
from tests.factories import PASSWORD, Persona
from tests.fixtures.server import Server, browse
from tests.web.test_login import LABELS

ENGLISH = LABELS["en-GB"] | {
    "going": "Going",
    "notGoing": "Not going",
    "youGo": "You are going",
    "youDecline": "You are not going",
    "inLine": "you are on the waitlist, number",
    "checkIn": "Check in",
    "checkedIn": "You checked in at",
    "upcoming": "Coming up",
}


async def test_a_freed_seat_goes_to_the_waitlist_and_members_check_in(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,
    owner_alice: Persona,
    member_bob: Persona,
    public_community: Community,
) -> None:
    # given an event with one seat, and another under way since a minute ago
    full_event = await an_event(owner_alice, public_community, capacity=1, title="Code review night")
    live_event = await an_event(owner_alice, public_community, title="Sprint")
    await move_event(live_event, starts_in=timedelta(minutes=-1))
    (carol,) = await members(public_community, "carol")
    # when bob takes the seat, carol answers Going, then bob cannot come, then carol checks in to the sprint
    report = await browse(
        "web_events.mjs",
        {
            "executablePath": chromium,
            "origin": live_server.graphql_url.removesuffix("/graphql"),
            "slug": public_community.slug,
            "labels": ENGLISH,
            "password": PASSWORD,
            "first": member_bob.member.username,
            "second": carol.member.username,
            "fullEvent": full_event,
            "liveEvent": live_event,
        },
    )
    assert report["ok"], report["error"]
    # then carol saw her place in line, then the seat given to her without reloading, then her check-in
    assert report["waitlistText"] == "The event is full: you are on the waitlist, number 1 in line."
    assert report["promotedText"] == "You are going"
    assert report["checkedInText"].startswith("You checked in at")
    seat = await Rsvp.get(event_id=from_global_id(full_event)[1], member_id=carol.member.id)
    assert (seat.status, seat.waitlisted_at) == (RsvpStatus.GOING, None)
    checked_in = Rsvp.filter(event_id=from_global_id(live_event)[1], member_id=carol.member.id)
    assert await checked_in.filter(checked_in_at__isnull=False).exists()
    assert report["accessibility"] == {"event": [], "events": []}
    assert report["overflowX"] is False
    assert report["consoleErrors"] == []
    assert report["externalRequests"] == []
