"""The pages emails link to, in a real (headless) Chromium: forgotten password, reset, verification, unsubscribe.

The links' tokens are read where the mailer finds them: in the outbox rows (OutgoingEmail.params)."""

from __future__ import annotations

from pathlib import Path

from models.email import OutgoingEmail
from models.members import DigestFrequency, Member
from resolvers.email.preferences import Preference
from resolvers.email.unsubscribe import unsubscribe_token
from tests.factories import Persona
from tests.fixtures.server import Server, browse, execute

ENGLISH = {
    "forgotLink": "Forgot your password?",
    "email": "Email",
    "send": "Send the link",
    "password": "New password",
    "repeat": "New password again",
    "submit": "Save and log in",
    "askAgain": "Ask for a new link",
}
SENT = "If an account uses this address, a link to choose a new password is on its way."
FRENCH_VERIFY = {"askAgain": "Demander un nouveau lien depuis vos paramètres"}
UNSUBSCRIBE = {"submit": "Unsubscribe", "settings": "Choose which emails you receive"}
ME = "{ me { username } }"


def origin(server: Server) -> str:
    return server.graphql_url.removesuffix("/graphql")


async def token_mailed(template: str, to_address: str) -> str:
    """The token of the latest `template` email queued to `to_address`."""
    row = await OutgoingEmail.filter(template=template, to_address=to_address).order_by("-id").first()
    assert row is not None, f"no {template} email to {to_address}"
    return row.params["token"]


async def test_a_forgotten_password_is_reset_from_the_emailed_link(
    live_server: Server, node_modules: Path, chromium: str, web_app: Path, owner_alice: Persona
) -> None:
    # given alice, logged in elsewhere (her registration's token)
    common = {"executablePath": chromium, "origin": origin(live_server), "labels": ENGLISH}
    # when, logged out, she follows /login's link and asks for a reset; and someone asks for an unknown address
    addresses = ["alice@example.org", "nobody@example.org"]
    asked = await browse("web_account_recovery.mjs", common | {"run": "forgot", "addresses": addresses})
    assert asked["ok"], asked["error"]
    assert asked["accessibility"] == []
    # then both see the same confirmation, which tells nothing of who has an account; only alice is mailed
    assert asked["confirmations"][0].startswith(SENT)
    assert asked["confirmations"][0] == asked["confirmations"][1]
    assert not await OutgoingEmail.filter(to_address="nobody@example.org").exists()
    token = await token_mailed("reset_password", "alice@example.org")
    # when she opens the emailed link and chooses a new password (first mistyped)
    new_password = "a fresh start at last"
    reset = await browse(
        "web_account_recovery.mjs",
        common | {"run": "reset", "token": token, "newPassword": new_password, "displayName": "Alice"},
    )
    assert reset["ok"], reset["error"]
    assert reset["accessibility"] == []
    assert reset["differ"] == "The two new passwords differ."
    # then she is logged in on the home page; the new password works, and her other session ended
    assert reset["loggedInAs"] == "Alice"
    login = "mutation Login($input: LoginInput!) { login(input: $input) { member { username } } }"
    logged = await execute(live_server, login, {"input": {"login": "alice", "password": new_password}})
    assert logged["data"]["login"]["member"]["username"] == "alice"
    assert (await execute(live_server, ME, {}, owner_alice.token))["data"]["me"] is None
    # the same link a second time is refused clearly, with a way to ask again; so is a link without a token
    assert reset["spentAgain"] == "This link has expired or was already used."
    assert reset["askAgainHref"] == "/forgot-password"
    assert reset["noToken"] == "This page needs the link from the email."
    assert reset["consoleErrors"] == [] and reset["externalRequests"] == []


async def test_the_emailed_link_verifies_the_address_in_french(
    live_server: Server, node_modules: Path, chromium: str, web_app: Path, owner_alice: Persona
) -> None:
    # given alice's welcome email, with its verification link (registration sends it)
    token = await token_mailed("verify_email", "alice@example.org")
    assert (await Member.get(username="alice")).email_verified_at is None
    # when she opens it in a French browser, not logged in, then opens it again
    report = await browse(
        "web_account_recovery.mjs",
        {
            "executablePath": chromium,
            "origin": origin(live_server),
            "locale": "fr-FR",
            "labels": FRENCH_VERIFY,
            "run": "verify",
            "token": token,
        },
    )
    assert report["ok"], report["error"]
    assert report["accessibility"] == []
    # then the page says so in French (not naming the address: nobody is logged in), and the address is verified
    assert report["verified"] == "Votre adresse est vérifiée."
    assert (await Member.get(username="alice")).email_verified_at is not None
    # the used link says clearly that it is spent, and where to ask for another
    assert report["spentAgain"] == "Ce lien a expiré ou a déjà servi."
    assert report["askAgainHref"] == "/settings"
    assert report["consoleErrors"] == [] and report["externalRequests"] == []


async def test_unsubscribing_waits_for_the_button_then_says_what_stopped(
    live_server: Server, node_modules: Path, chromium: str, web_app: Path, member_bob: Persona
) -> None:
    # given bob's digest link, and a forged one naming him
    genuine = unsubscribe_token(member_bob.member.id, Preference.DIGEST)
    forged = genuine[:-4] + ("AAAA" if not genuine.endswith("AAAA") else "BBBB")
    report = await browse(
        "web_account_recovery.mjs",
        {
            "executablePath": chromium,
            "origin": origin(live_server),
            "labels": UNSUBSCRIBE,
            "run": "unsubscribe",
            "unsubscribeToken": genuine,
            "forgedToken": forged,
            "token": member_bob.token,
        },
    )
    assert report["ok"], report["error"]
    assert report["accessibility"] == []
    # then opening the page changed nothing (mail scanners open links); the button did, and the page says what
    assert report["digestBefore"] == "WEEKLY"
    assert report["done"] == "Done: you will no longer receive digest and summary emails."
    assert report["digestAfter"] == "NEVER"
    assert (await Member.get(id=member_bob.member.id)).digest_email == DigestFrequency.NEVER
    assert report["settingsHref"] == "/settings"
    # a forged link changes nothing and says it does not work
    assert report["forged"].startswith("This unsubscribe link does not work")
    # (the refused POST's 400 is the one line the browser logs)
    assert all("400" in line for line in report["consoleErrors"]) and len(report["consoleErrors"]) <= 1
    assert report["externalRequests"] == []
