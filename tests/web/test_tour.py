"""The demo community in a real (headless) Chromium, page by page, as a newcomer sees it after `make run`:
every main page shows the demo's life (posts, a leaderboard, badges, events, tasks, charts), has no serious
accessibility fault, and fits a phone. These runs also take the README's screenshots (`make screenshots`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from tortoise.functions import Count

from bench.demo import DEMO_PASSWORD, DEMO_SLUG, load_demo
from models.events import Event
from models.posts import Post
from resolvers import security
from resolvers.digest import digest as digests
from resolvers.ids import to_global_id
from resolvers.recognition import weekly_badges
from tests.fixtures.server import Server, browse
from tests.web.test_login import LABELS


def pages(post_id: str, event_id: str) -> list[dict]:
    """Each main page, and what it shows of the demo's life: at least `least` of `content`."""
    community = f"/c/{DEMO_SLUG}"
    return [
        {"name": "home", "path": "/", "content": "main li.card", "least": 1},
        {"name": "community", "path": community, "content": "main article", "least": 10},
        {"name": "post", "path": f"/posts/{post_id}", "content": "main li.comment", "least": 2},
        {"name": "profile", "path": "/members/ada", "content": "main li", "least": 3},
        {
            "name": "leaderboard",
            "path": f"{community}/leaderboard?period=ALL",  # this week's may be empty: it is Monday morning
            "content": "table.leaderboard tbody tr",
            "least": 5,
        },
        {"name": "badges", "path": f"{community}/badges", "content": "li.badge-card", "least": 3},
        {"name": "events", "path": f"{community}/events", "content": "li.event-card", "least": 2},
        {"name": "event", "path": f"/events/{event_id}", "content": "main h1", "least": 1},
        {"name": "tasks", "path": f"{community}/tasks", "content": "li.task-card", "least": 1},
        {"name": "manage", "path": f"{community}/manage", "content": "main canvas", "least": 3},
        {"name": "notifications", "path": "/notifications", "content": "main li", "least": 1},
    ]


async def test_the_demo_community_is_alive_on_every_page(
    live_server: Server, node_modules: Path, chromium: str, web_app: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the demo, as `make run` loads it (cheap password hashes: ten real ones cost seconds)
    monkeypatch.setattr(security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    # The demo runs the weekly jobs, which remember the last week they did: restored after the test.
    monkeypatch.setattr(digests, "_drafted_week", digests._drafted_week)
    monkeypatch.setattr(weekly_badges, "_crowned_week", weekly_badges._crowned_week)
    await load_demo()
    discussed = (
        await Post.filter(community__slug=DEMO_SLUG)
        .annotate(replies=Count("comments"))
        .order_by("-replies", "id")
        .first()
    )
    hack_day = await Event.get(title="Saturday hack day")
    assert discussed is not None
    # when: its owner tours it in a browser
    report = await browse(
        "web_tour.mjs",
        {
            "executablePath": chromium,
            "origin": live_server.graphql_url.removesuffix("/graphql"),
            "labels": LABELS["en-GB"],
            "frenchLabels": LABELS["fr-FR"],
            "login": "ada",
            "password": DEMO_PASSWORD,
            "pages": pages(to_global_id("Post", discussed.id), to_global_id("Event", hack_day.id)),
            "french": "community",
        },
        timeout_seconds=240,
    )
    # then: every page showed the demo's content, with no serious accessibility fault, and fit a phone
    assert report["ok"], report["error"]
    for name, page in report["pages"].items():
        assert page["accessibility"] == [], (name, page["accessibility"])
        assert page["overflowX"] is False, name
    assert report["french"] == {"lang": "fr", "overflowX": False}
    assert report["consoleErrors"] == [] and report["externalRequests"] == []
