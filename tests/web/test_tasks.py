"""The web app in a real (headless) Chromium: the task board, volunteering, assigning with suggestions."""

from __future__ import annotations

from pathlib import Path

from models.communities import Community
from models.tasks import Task, TaskStatus
from resolvers.tasks.tasks import NewTask, do_create_task
from tests.factories import PASSWORD, Persona, join, make_member
from tests.fixtures.server import Server, browse
from tests.web.test_login import LABELS

ENGLISH = LABELS["en-GB"] | {
    "open": "Open",
    "inProgress": "In progress",
    "inReview": "In review",
    "volunteer": "Volunteer",
    "offered": "You volunteered",
    "assign": "Assign",
    "assignTo": "Assign to",
    "markDone": "Mark as done",
}
TITLE = "Organise the design meetup"


async def test_a_volunteer_is_assigned_from_the_suggestions_and_marks_the_task_done(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,
    owner_alice: Persona,
    member_bob: Persona,
    public_community: Community,
) -> None:
    # given a task wanting design and events; bob knows design, carol both, dave neither
    carol = await make_member("carol", skills=["Design", "Events"], display_name="Carol")
    dave = await make_member("dave", skills=["cooking"], display_name="Dave")
    for persona in (carol, dave):
        await join(persona, public_community)
    wanted = ["design", "events"]
    await do_create_task(owner_alice.ctx, NewTask(public_community.slug, TITLE, required_skills=wanted, points=20))
    # when bob volunteers, alice opens the suggestions and assigns him, and bob marks it done
    report = await browse(
        "web_tasks.mjs",
        {
            "executablePath": chromium,
            "origin": live_server.graphql_url.removesuffix("/graphql"),
            "slug": public_community.slug,
            "labels": ENGLISH,
            "password": PASSWORD,
            "member": member_bob.member.username,
            "memberName": "Bob",
            "manager": owner_alice.member.username,
            "task": TITLE,
        },
    )
    assert report["ok"], report["error"]
    # then bob's offer showed; carol (both skills) came before bob (one), dave not at all, each with why
    assert report["offeredText"].startswith("You volunteered")
    names = [suggestion["name"] for suggestion in report["suggestions"]]
    assert names == ["Carol", "Bob"]
    carol_reason, bob_reason = (suggestion["reason"] for suggestion in report["suggestions"])
    assert carol_reason.startswith("knows design, events · ")
    assert bob_reason.startswith("volunteered · knows design · ")
    assert "contributions in the last 30 days" in bob_reason
    # and the card moved on bob's open board when alice assigned it, then to review when he marked it done
    assert report["movedLive"] and report["inReview"]
    task = await Task.get(title=TITLE).prefetch_related("assignee")
    assert (task.status, task.assignee.username) == (TaskStatus.IN_REVIEW, "bob")
    assert report["accessibility"] == []
    assert report["overflowX"] is False
    assert report["consoleErrors"] == []
    assert report["externalRequests"] == []
