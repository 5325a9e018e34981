"""Invitations by email from the manage page, in a real (headless) Chromium."""

from __future__ import annotations

from pathlib import Path

from models.communities import Community
from models.email import OutgoingEmail
from tests.factories import PASSWORD, Persona
from tests.fixtures.server import Server, browse
from tests.web.test_login import LABELS

ENGLISH = LABELS["en-GB"] | {
    "byEmail": "Invite by email",
    "emails": "Email addresses",
    "send": "Send the invitations",
    "sent": "2 invitations sent.",
    "list": "Invitations in use",
    "sentTo": "sent to",
}


async def test_a_manager_invites_two_people_by_email(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,
    owner_alice: Persona,
    public_community: Community,
) -> None:
    # when alice sends the form empty, then with two addresses (a comma and a line apart)
    report = await browse(
        "web_invite_by_email.mjs",
        {
            "executablePath": chromium,
            "origin": live_server.graphql_url.removesuffix("/graphql"),
            "labels": ENGLISH,
            "login": "alice",
            "password": PASSWORD,
            "slug": public_community.slug,
            "addresses": "carol@example.org,\ndave@example.org",
        },
    )
    assert report["ok"], report["error"]
    assert report["accessibility"] == []
    # then the empty form is refused beside its field, the two are invited, each by its own email with a code
    assert report["empty"] == "Give at least one address."
    assert report["sent"] == "2 invitations sent." and report["cleared"] is True
    for address in ("carol@example.org", "dave@example.org"):
        assert any(f"sent to {address}" in shown for shown in report["listed"]), report["listed"]
        mail = await OutgoingEmail.get(template="invitation", to_address=address)
        assert mail.params["community_slug"] == public_community.slug and mail.params["code"]
    assert report["consoleErrors"] == [] and report["externalRequests"] == []
