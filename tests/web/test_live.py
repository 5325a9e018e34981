"""The web app live in a real (headless) Chromium: what one member publishes, another sees at once, and
after a dropped network every post and comment once, in order (the page resumes from its last cursor)."""

from __future__ import annotations

from pathlib import Path

from models.communities import Community
from tests.factories import PASSWORD, Persona
from tests.fixtures.server import Server, browse
from tests.web.test_login import LABELS

ENGLISH = LABELS["en-GB"] | {"feed": "Posts", "backToCommunity": "In Python Paris"}


async def test_a_member_sees_posts_and_comments_live_and_misses_none_while_offline(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,
    owner_alice: Persona,
    member_bob: Persona,
    public_community: Community,
) -> None:
    # given bob on the community's page, then on a post, in his browser; alice publishing through the API
    report = await browse(
        "web_live.mjs",
        {
            "executablePath": chromium,
            "origin": live_server.graphql_url.removesuffix("/graphql"),
            "slug": public_community.slug,
            "login": member_bob.username,
            "password": PASSWORD,
            "posterToken": owner_alice.token,
            "labels": ENGLISH,
        },
    )
    # when alice posts and comments, and again while bob's network is cut, then restored
    assert report["ok"], report["error"]
    # then bob's page shows everything once, in order: comments oldest first, posts newest first
    assert report["comments"] == ["First live comment", "Written while offline", "Written while still offline"]
    assert report["feed"][:4] == ["Offline three", "Offline two", "Live again", "Live one"]  # then bob's introduction
    assert len(report["feed"]) == len(set(report["feed"])), report["feed"]
    # and every subscription started from a cursor: the one read with the page (3 pages), then the last
    # event's after each of the 2 network cuts, never from "now"
    assert len(report["subscribedFrom"]) >= 5, report["subscribedFrom"]
    assert None not in report["subscribedFrom"], report["subscribedFrom"]
    assert report["consoleErrors"] == []
