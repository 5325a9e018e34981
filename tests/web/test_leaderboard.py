"""The web app in a real (headless) Chromium: a member sees the leaderboard move live, with toasts, and the badges."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from models.communities import Community
from models.recognition import BadgeTier
from resolvers.recognition.custom_badges import do_create_badge
from tests.factories import PASSWORD, Persona, gid, join, make_member, make_post
from tests.fixtures.server import ROOT, Server, execute
from tests.web.test_login import LABELS

ENGLISH = LABELS["en-GB"] | {
    "caption": "Points earned: This week",
    "ownRankPrefix": "Your rank:",
    "toasts": "Your news",
    "dismiss": "Dismiss",
    "sections": "Community pages",
    "badges": "Badges",
    "held": "You hold this badge.",
    "progressOf": "Your progress toward",
}
FRENCH = LABELS["fr-FR"] | {
    "caption": "Points gagnés : Cette semaine",
    "ownRankPrefix": "Votre rang :",
    "periods": "Période",
}
GRANT = """
mutation G($slug: String!, $username: String!) {
  grantPoints(communitySlug: $slug, username: $username, amount: 20, reason: "Ran the March meetup") { points }
}
"""
AWARD = """
mutation A($badgeId: ID!, $username: String!) {
  awardBadge(input: {badgeId: $badgeId, username: $username, reason: "A talk at the meetup"}) { id }
}
"""


async def follow_leaderboard(chromium: str, server: Server, viewer: Persona, slug: str, steps: dict) -> dict:
    """Runs web_leaderboard.mjs; when it says it waits for a step, runs that step (API calls), then its report."""
    options = {
        "executablePath": chromium,
        "origin": server.graphql_url.removesuffix("/graphql"),
        "slug": slug,
        "login": viewer.username,
        "password": PASSWORD,
        "labels": ENGLISH,
        "fr": FRENCH,
        "overtaker": "Dave",
        "badge": "Speaker",
        "progressBadge": "Contributor",
    }
    process = await asyncio.create_subprocess_exec(
        "node",
        str(ROOT / "tests" / "js" / "web_leaderboard.mjs"),
        json.dumps(options),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    try:
        async with asyncio.timeout(90):
            while line := await process.stdout.readline():
                message = json.loads(line)
                if "waiting" not in message:
                    await process.wait()
                    return message
                await steps[message["waiting"]]()
    except (TimeoutError, ValueError):
        process.kill()
        raise
    await process.wait()
    pytest.fail(f"web_leaderboard.mjs printed no report: {(await process.stderr.read()).decode()[-2000:]}")


async def test_a_member_follows_the_leaderboard_live_and_reads_the_badges(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,
    owner_alice: Persona,
    member_bob: Persona,
    public_community: Community,
) -> None:
    # given: alice 15 points this week, bob 10, carol 5; dave none yet; a custom badge
    carol = await make_member("carol", display_name="Carol")
    dave = await make_member("dave", display_name="Dave")
    for persona in (carol, dave):
        await join(persona, public_community)
    for persona in (owner_alice, owner_alice, owner_alice, member_bob, member_bob, carol):
        await make_post(persona, public_community)
    badge = await do_create_badge(owner_alice.ctx, public_community.slug, "Speaker", "Gave a talk", BadgeTier.BRONZE)

    async def dave_earns_points() -> None:
        variables = {"slug": public_community.slug, "username": "dave"}
        assert "errors" not in await execute(live_server, GRANT, variables, owner_alice.token)

    async def bob_is_awarded_the_badge() -> None:
        variables = {"badgeId": gid(badge), "username": "bob"}
        assert "errors" not in await execute(live_server, AWARD, variables, owner_alice.token)

    # when bob opens the week's leaderboard, dave earns 20 points, then alice gives bob the badge
    steps = {"points": dave_earns_points, "badge": bob_is_awarded_the_badge}
    report = await follow_leaderboard(chromium, live_server, member_bob, public_community.slug, steps)

    # then the open board reordered without a reload, bob's rank followed, and screen readers heard the move once
    assert report.get("ok"), report.get("error")
    assert report["before"] == ["Alice", "Bob", "Carol"]
    assert report["ownRankBefore"] == "Your rank: #2, with 10 points."
    assert report["after"] == ["Dave", "Alice", "Bob", "Carol"]
    assert report["ownRankAfter"] == "Your rank: #3, with 10 points."
    assert report["reloaded"] is False
    assert report["announced"] == "Dave moved up to #1."
    # toasts told him he was overtaken and earned the badge; the close button dismissed one
    assert report["overtakenToast"] == "Dave overtook you on this week's leaderboard of Python Paris. See"
    assert report["badgeToast"] == "You earned the badge “Speaker” in Python Paris. See"
    assert report["toastDismissed"] is True
    # the badges page shows the badge held and his progress toward the next (2 posts of 10)
    assert report["badgeHeld"] is True
    assert report["progress"] == {"text": "2 of 10", "value": "2", "max": "10"}
    # the leaderboard speaks French to a French browser, and fits a phone
    assert report["french"] == {
        "heading": "Classement",
        "ownRank": "Votre rang : n° 3, avec 10 points.",
        "periods": ["Aujourd'hui", "Cette semaine", "Ce mois-ci", "Depuis le début"],
        "fitsPhone": True,
    }
    assert report["accessibility"] == {"leaderboard": [], "badges": [], "french": []}
    assert report["consoleErrors"] == [] and report["externalRequests"] == []
