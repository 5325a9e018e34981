"""The web app in a real (headless) Chromium: a member's bell counts what others do for them, live."""

from __future__ import annotations

from pathlib import Path

from models.communities import Community
from tests.factories import PASSWORD, Persona, gid, make_post
from tests.fixtures.server import Server, browse
from tests.web.test_login import LABELS

ENGLISH = LABELS["en-GB"] | {
    "title": "Notifications",
    "bell": "Notifications, \\d+ unread",
    "bellCount": "Notifications, {count} unread",
    "reply": "Bob replied to you",
    "mention": "Bob mentioned you",
    "markRead": "Mark as read",
    "markAllRead": "Mark all as read",
}


async def test_the_bell_counts_replies_and_mentions_live_and_marking_read_lowers_it(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,
    owner_alice: Persona,
    member_bob: Persona,
    public_community: Community,
) -> None:
    # given alice's post, and alice with the app open on /notifications
    post = await make_post(owner_alice, public_community, "Pairing tips?")
    report = await browse(
        "web_notifications.mjs",
        {
            "executablePath": chromium,
            "origin": live_server.graphql_url.removesuffix("/graphql"),
            "login": owner_alice.username,
            "password": PASSWORD,
            "actorToken": member_bob.token,
            "postId": gid(post),
            "slug": public_community.slug,
            "labels": ENGLISH,
        },
    )
    # when bob replies to her post and names her in his, then she marks the reply read, then all
    assert report["ok"], report["error"]
    # then the bell rose by two without a reload, fell by one, then to none
    before = report["counts"][0]
    assert report["counts"] == [before, before + 2, before + 1, 0]
    # and the list showed both, newest first, the reply leading to her post
    assert report["items"] == ["Unread Bob mentioned you", "Unread Bob replied to you"]
    assert report["replyHref"] == f"/posts/{gid(post)}"
    assert report["violations"] == []
    assert report["consoleErrors"] == []
