"""The managers' dashboard in a real (headless) Chromium: charts of weeks of history, the live pulse, the
digest from draft to published post, and the refusal a plain member sees."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tortoise.models import Model

from models.activity import Activity
from models.communities import Community, Membership
from models.points import Kudos
from models.posts import Comment, Post, PostKind, PostStatus, Reaction, ReactionKind
from models.tasks import Task
from resolvers.posts.reactions import do_react
from resolvers.recognition.kudos import do_give_kudos
from tests.factories import PASSWORD, Persona, gid, join, make_comment, make_member, make_post
from tests.fixtures.server import Server, run_node
from tests.web.test_login import LABELS

ENGLISH = LABELS["en-GB"] | {
    "report": "Engagement",
    "pulse": "Live pulse: today",
    "refused": "Only the community's managers see this page.",
    "contentChart": "Posts, comments, reactions and kudos per day",
    "period": "Covering",
    "periodChoice": "Last 30 days",
    "generate": "Draft the digest",
    "digestTitle": "Digest title",
    "createTask": "Create the task",
    "editor": "Editor",
    "assign": "Give the task",
    "publish": "Publish the digest",
}
HISTORY_DAYS = 24
WRITTEN = (Post, Comment, Reaction, Kudos, Activity)


async def written_at(moment: datetime, write: Callable[[], Awaitable[object]]) -> None:
    """Runs `write` through the resolvers, as members would, then dates every row it wrote `moment`."""
    marks = {model: await _last_id(model) for model in WRITTEN}
    await write()
    for model, mark in marks.items():
        dated = {"created_at": moment, "published_at": moment} if model is Post else {"created_at": moment}
        await model.filter(id__gt=mark).update(**dated)


async def _last_id(model: type[Model]) -> int:
    last = await model.all().order_by("-id").first()
    return int(last.pk) if last else 0


async def weeks_of_history(community: Community, people: list[Persona]) -> tuple[int, int]:
    """HISTORY_DAYS days of posts (1 to 3 a day), comments, reactions and kudos; how many posts and comments."""
    now = datetime.now(UTC)
    start = now - timedelta(days=HISTORY_DAYS + 2)
    await Community.filter(id=community.id).update(created_at=start)
    await Membership.filter(community_id=community.id).update(joined_at=start)
    posts = comments = 0
    for days_ago in range(HISTORY_DAYS, 0, -1):
        moment = (now - timedelta(days=days_ago)).replace(hour=10, minute=0)
        for number in range(1 + (days_ago * 7) % 3):
            author, other = people[(days_ago + number) % len(people)], people[(days_ago + number + 1) % len(people)]
            kind = PostKind.QUESTION if number == 1 else PostKind.DISCUSSION
            tags = ["python"] if days_ago <= 7 else ["events"]

            async def conversation() -> None:
                post = await make_post(author, community, f"Day {days_ago} post {number}", kind=kind, tags=tags)
                for _ in range(number + days_ago % 2):
                    await make_comment(other, post, "Thanks, here is what I found.")
                if days_ago % 2:
                    await do_react(other.ctx, gid(post), ReactionKind.LIKE, True)

            await written_at(moment + timedelta(minutes=number), conversation)
            posts, comments = posts + 1, comments + number + days_ago % 2
        if days_ago % 5 == 0:
            giver, receiver = people[0], people[1 + days_ago % (len(people) - 1)]
            await written_at(moment, lambda: do_give_kudos(giver.ctx, community.slug, receiver.username, "Merci !"))
    return posts, comments


async def open_dashboard(chromium: str, server: Server, options: dict) -> dict:
    returncode, stdout, stderr = await run_node(
        "web_manage.mjs",
        json.dumps(
            {
                "executablePath": chromium,
                "origin": server.graphql_url.removesuffix("/graphql"),
                "labels": ENGLISH,
                "password": PASSWORD,
                **options,
            }
        ),
    )
    try:
        return json.loads(stdout)
    except ValueError:
        pytest.fail(f"web_manage.mjs printed no report (exit {returncode}): {stderr.decode()[-2000:]}")


async def test_a_manager_runs_the_community_from_the_dashboard(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,
    owner_alice: Persona,
    member_bob: Persona,
    public_community: Community,
) -> None:
    # given a community with weeks of posts, comments, reactions and kudos by alice (its owner), bob and carol
    carol = await make_member("carol", skills=["writing"], display_name="Carol")
    await join(carol, public_community)
    posts, comments = await weeks_of_history(public_community, [owner_alice, member_bob, carol])
    # when alice opens the dashboard, bob posts meanwhile, and alice drafts, hands over and publishes the digest;
    # and bob, a plain member, opens the dashboard too
    report = await open_dashboard(
        chromium,
        live_server,
        {
            "slug": public_community.slug,
            "manager": owner_alice.username,
            "member": member_bob.username,
            "memberToken": member_bob.token,
            "digestTitle": "Our month in Python Paris",
        },
    )
    assert report["ok"], report["error"]
    # then the three charts are drawn, each with its series in colour, and the figures are the history's
    for chart in ("chart-content", "chart-people", "chart-health"):
        drawn = report["charts"][chart]
        assert drawn["width"] > 0 and drawn["height"] > 0, drawn
        assert drawn["seriesPixels"] > 20, drawn
    assert report["figures"]["Posts"] == str(posts)
    assert report["figures"]["Comments"] == str(comments)
    assert report["tableRows"] == 30  # one row per day of the 30, for screen readers
    # and the pulse rose live with bob's post
    assert (report["pulseBefore"], report["pulseAfter"]) == ("0", "1")
    # and the dashboard had no serious accessibility fault
    assert report["accessibility"] == []
    # and the digest went to an editor as a task, then out, edited, with links that open the posts they name
    digest = await Post.get(kind=PostKind.DIGEST)
    assert (digest.status, digest.title) == (PostStatus.PUBLISHED, "Our month in Python Paris")
    task = await Task.get(post_id=digest.id).prefetch_related("assignee")
    assert task.assignee is not None and task.assignee.username == report["editor"]
    assert report["assigned"].startswith(f"Given to {task.assignee.display_name}.")
    assert report["linkedTitle"] and report["linkedHeading"] == report["linkedTitle"]
    assert report["linkedPath"].startswith("/posts/")
    # and bob was refused, without the dashboard's code or data ever reaching his browser
    assert report["refusal"] == ENGLISH["refused"]
    assert report["memberCanvases"] == 0 and report["memberDashboardRequests"] == []
    assert report["consoleErrors"] == [] and report["externalRequests"] == []
