"""The web app in a real (headless) Chromium: a newcomer joins and is welcomed while a member sees them arrive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from models.communities import Community
from models.members import Member
from models.posts import PostKind
from resolvers.events.events import NewEvent, do_create_event
from tests.factories import PASSWORD, Persona, gid, introduction_of, make_post
from tests.fixtures.server import Server, browse
from tests.web.test_login import LABELS

LABELS_EN = LABELS["en-GB"] | {
    "username": "Username",
    "email": "Email",
    "displayName": "Display name",
    "skills": "Skills",
    "experience": "Experience",
    "register": "Create account",
    "join": "Join",
    "welcome": "Welcome, Dave!",
    "readIntroduction": "Read your introduction",
    "dismiss": "Hide this welcome",
    "greet": "Say hello to Dave",
    "composer": "Write a post",
}
DAVE = {
    "username": "dave",
    "displayName": "Dave",
    "email": "dave@example.org",
    "skills": "python, postgres",
    "experience": "Ten years of web apps",
}


async def test_a_newcomer_is_welcomed_while_a_member_sees_them_arrive(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,
    owner_alice: Persona,
    member_bob: Persona,
    public_community: Community,
) -> None:
    # given an open question for pythonistas and an upcoming event
    question = await make_post(
        owner_alice, public_community, "Profiling asyncio?", kind=PostKind.QUESTION, tags=["python"]
    )
    starts = datetime.now(UTC) + timedelta(days=3)
    event = await do_create_event(
        owner_alice.ctx, NewEvent(public_community.slug, "Python meetup", starts, starts + timedelta(hours=2))
    )
    # when bob has the community open, and dave registers (skills, experience), joins and reads his welcome
    report = await browse(
        "web_welcome.mjs",
        {
            "executablePath": chromium,
            "origin": live_server.graphql_url.removesuffix("/graphql"),
            "slug": public_community.slug,
            "community": public_community.name,
            "labels": LABELS_EN,
            "member": member_bob.member.username,
            "password": PASSWORD,
            "newcomer": DAVE,
        },
    )
    assert report["ok"], report["error"]
    # then dave's welcome links to his introduction and to each first step, where it is done
    dave = await Member.get(username="dave")
    assert dave.experience == DAVE["experience"]
    introduction = f"/posts/{gid(await introduction_of(Persona(dave, ''), public_community))}"
    assert report["introduction"] == introduction
    assert report["actions"] == [
        {"kind": "Answer a question", "title": "Answer: Profiling asyncio?", "path": f"/posts/{gid(question)}"},
        {"kind": "Come to an event", "title": "Meet the community: Python meetup", "path": f"/events/{gid(event)}"},
    ]
    # and bob was told, politely, and greets dave under his introduction
    assert report["announced"] == "Dave just joined: say hello!"
    assert report["greeting"] == introduction
    assert report["greetingOpens"] == "Introducing Dave"
    # a dismissed welcome stays hidden; the page had no serious accessibility fault, nor any error
    assert report["welcomeAfterDismissal"] is False
    assert report["accessibility"] == []
    assert report["consoleErrors"] == [] and report["externalRequests"] == []
