"""The web app in a real (headless) Chromium: a member writes a post with the server's preview; an outsider joins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.communities import Community
from resolvers.markdown import render_markdown
from tests.factories import PASSWORD, Persona
from tests.fixtures.server import Server, run_node
from tests.web.test_login import LABELS, web_app  # noqa: F401  (web_app: a fixture)

ENGLISH = LABELS["en-GB"] | {
    "composer": "Write a post",
    "title": "Title",
    "body": "Body",
    "preview": "Preview",
    "tags": "Tags",
    "kind": "Kind",
    "publish": "Publish",
    "feed": "Posts",
    "join": "Join",
}
BODY = "Read **the docs** first:\n\n- [the tutorial](https://docs.python.org/3/tutorial/)\n- `help()`"


async def take_part(chromium: str, server: Server, persona: Persona, slug: str, **options: object) -> dict:
    returncode, stdout, stderr = await run_node(
        "web_compose.mjs",
        json.dumps(
            {
                "executablePath": chromium,
                "origin": server.graphql_url.removesuffix("/graphql"),
                "slug": slug,
                "labels": ENGLISH,
                "login": persona.member.username,
                "password": PASSWORD,
                **options,
            }
        ),
    )
    try:
        return json.loads(stdout)
    except ValueError:
        pytest.fail(f"web_compose.mjs printed no report (exit {returncode}): {stderr.decode()[-2000:]}")


async def test_a_member_previews_and_publishes_a_post(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,  # noqa: F811
    public_community: Community,
    member_bob: Persona,
) -> None:
    # when bob, a member, opens his community, writes a markdown post, waits for the preview and publishes it
    post = {"title": "Where to start?", "body": BODY, "tags": "python, Beginners", "kind": "Question"}
    report = await take_part(chromium, live_server, member_bob, public_community.slug, post=post)
    # then the preview was the server's rendering, and the post tops the feed
    assert report["ok"], report["error"]
    assert report["previewHtml"] == render_markdown(BODY)
    assert report["firstFeedTitle"] == "Where to start?"
    assert report["consoleErrors"] == []


async def test_an_outsider_joins_an_open_community(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,  # noqa: F811
    public_community: Community,
    outsider_mallory: Persona,
) -> None:
    # when mallory, not a member, opens the community and presses Join
    report = await take_part(chromium, live_server, outsider_mallory, public_community.slug)
    # then she is a member: the composer shows
    assert report["ok"], report["error"]
    assert report["composerShown"] is True
    assert report["consoleErrors"] == []
