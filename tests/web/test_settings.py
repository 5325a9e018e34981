"""/settings in a real (headless) Chromium: email preferences, sessions, password, address, data, deletion."""

from __future__ import annotations

from pathlib import Path

import httpx

from models.communities import Community
from models.email import OutgoingEmail
from models.members import DigestFrequency, Member, NotificationEmailMode, Session
from tests.factories import PASSWORD, Persona, gid, make_comment, make_post
from tests.fixtures.server import Server, browse, execute
from tests.web.test_login import LABELS

ENGLISH = LABELS["en-GB"] | {
    "settingsLink": "Settings",
    "sessions": "Where you are logged in",
    "revokeThis": "Log out this device",
    "revoked": "That session is logged out.",
    "preferences": "Email preferences",
    "digest": "Digest emails",
    "notifications": "Notification emails",
    "language": "Language of the emails and of the app",
    "save": "Save the preferences",
    "password": "Password",
    "currentPassword": "Current password",
    "newPassword": "New password",
    "repeatPassword": "New password again",
    "changePassword": "Change the password",
    "passwordChanged": "Password changed. Your other sessions are logged out.",
    "email": "Email address",
    "newEmail": "New address",
    "emailPassword": "Your password",
    "changeEmail": "Change the address",
    "resend": "Send the verification link again",
    "resent": "Verification link sent.",
    "delete": "Delete your account",
    "deletePassword": "Your password",
    "deleteConfirm": "I understand that my account is deleted for good.",
    "deleteSubmit": "Delete my account",
    "former": "a former member",
    "headerLogin": "Log in",
}
FRENCH = {
    "title": "Paramètres",
    "saved": "Préférences enregistrées.",
    "preferences": "Préférences d’e-mail",
    "export": "Télécharger mes données",
    "sessions": "Où vous êtes connecté",
    "revokeThis": "Déconnecter cet appareil",
    "login": "Se connecter",
}
FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
ME = "{ me { username } }"


def origin(server: Server) -> str:
    return server.graphql_url.removesuffix("/graphql")


async def log_in_from(server: Server, username: str, user_agent: str) -> str:
    """A login from another device: its token."""
    login = "mutation Login($input: LoginInput!) { login(input: $input) { token } }"
    async with httpx.AsyncClient() as client:
        response = await client.post(
            server.graphql_url,
            json={"query": login, "variables": {"input": {"login": username, "password": PASSWORD}}},
            headers={"user-agent": user_agent},
        )
    return response.json()["data"]["login"]["token"]


async def test_a_member_chooses_their_emails_ends_a_session_and_downloads_their_data(
    live_server: Server, node_modules: Path, chromium: str, web_app: Path, owner_alice: Persona
) -> None:
    # given alice, also logged in on a Windows laptop
    laptop = await log_in_from(live_server, "alice", FIREFOX_ON_WINDOWS)
    assert (await execute(live_server, ME, {}, laptop))["data"]["me"] == {"username": "alice"}
    # when she opens her settings from the header, logs the laptop out, picks daily digests, no notification
    # emails and French, downloads her data, then logs this browser out from the list
    report = await browse(
        "web_settings.mjs",
        {
            "executablePath": chromium,
            "origin": origin(live_server),
            "run": "preferences",
            "labels": ENGLISH,
            "fr": FRENCH,
            "login": "alice",
            "password": PASSWORD,
            "otherDevice": "Firefox on Windows",
            "choose": {"digest": "Daily", "notifications": "Never", "language": "Français"},
        },
    )
    assert report["ok"], report["error"]
    assert report["accessibility"] == []
    # then the list showed this browser (marked) and the laptop, by name; the laptop's session ended at once
    assert any("Chrome on Linux" in shown and "this device" in shown for shown in report["sessionsBefore"])
    assert any("Firefox on Windows" in shown for shown in report["sessionsBefore"])
    assert not any("Firefox on Windows" in shown for shown in report["sessionsAfter"])
    assert (await execute(live_server, ME, {}, laptop))["data"]["me"] is None
    # the preferences are stored, and the app switched to French with them
    alice = await Member.get(username="alice")
    assert (alice.digest_email, alice.notification_email, alice.language) == (
        DigestFrequency.DAILY,
        NotificationEmailMode.NEVER,
        "fr",
    )
    assert report["htmlLang"] == "fr"
    assert report["chosenShown"] == ["Chaque jour", "Jamais", "Français"]
    # the download is her own data, as a JSON attachment
    assert report["exportName"].endswith(".json")
    assert "alice" in str(report["exported"]) and PASSWORD not in str(report["exported"])
    # logging this browser out from the list ended its session too: only her registration's stays open
    assert report["loggedOut"] is True
    still_open = await Session.filter(member_id=alice.id, revoked_at=None).values_list("device", flat=True)
    assert still_open == [None]
    assert report["consoleErrors"] == [] and report["externalRequests"] == []


async def test_a_member_changes_password_and_address_on_a_phone(
    live_server: Server, node_modules: Path, chromium: str, web_app: Path, member_bob: Persona
) -> None:
    new_password, new_email = "a much better passphrase", "bob.new@example.org"
    report = await browse(
        "web_settings.mjs",
        {
            "executablePath": chromium,
            "origin": origin(live_server),
            "run": "credentials",
            "labels": ENGLISH,
            "login": "bob",
            "password": PASSWORD,
            "newPassword": new_password,
            "newEmail": new_email,
            "viewport": {"width": 390, "height": 844},
        },
    )
    assert report["ok"], report["error"]
    assert report["accessibility"] == [] and report["overflowX"] is False
    # a wrong current password and two different new ones are said beside their fields
    assert "wrong password" in report["wrongCurrent"].lower()
    assert report["differ"] == "The two new passwords differ."
    # the new password works, and bob's other session (his registration's token) ended
    assert report["fieldsCleared"] is True
    login = "mutation Login($input: LoginInput!) { login(input: $input) { member { username } } }"
    logged = await execute(live_server, login, {"input": {"login": "bob", "password": new_password}})
    assert logged["data"]["login"]["member"]["username"] == "bob"
    assert (await execute(live_server, ME, {}, member_bob.token))["data"]["me"] is None
    # the new address waits for its verification link, shown as such; the address itself has not changed
    assert new_email in report["pending"]
    assert await OutgoingEmail.filter(template="verify_email", to_address=new_email).exists()
    assert (await Member.get(username="bob")).email == "bob@example.org"
    assert report["consoleErrors"] == [] and report["externalRequests"] == []


async def test_a_deleted_account_leaves_its_posts_by_a_former_member(
    live_server: Server,
    node_modules: Path,
    chromium: str,
    web_app: Path,
    owner_alice: Persona,
    member_bob: Persona,
    public_community: Community,
) -> None:
    # given bob's post in the community, a comment of his under alice's, and alice's answer under his
    his = await make_post(member_bob, public_community, "Bob's tips")
    await make_comment(owner_alice, his, "Thanks Bob")
    await make_comment(member_bob, his, "You are welcome")
    # when bob deletes his account from his settings (first unticked, then with a wrong password)
    report = await browse(
        "web_settings.mjs",
        {
            "executablePath": chromium,
            "origin": origin(live_server),
            "run": "delete",
            "labels": ENGLISH,
            "login": "bob",
            "password": PASSWORD,
            "slug": public_community.slug,
            "postTitle": "Bob's tips",
            "postId": gid(his),
        },
    )
    assert report["ok"], report["error"]
    assert report["accessibility"] == [] and report["postAccessibility"] == []
    assert report["unticked"] == "Tick the box to confirm."
    assert "wrong password" in report["wrongPassword"].lower()
    # then he is logged out on the home page, and his account is gone
    assert report["loggedOut"] is True
    bob = await Member.get(id=member_bob.member.id)
    assert bob.deleted_at is not None
    # his post and comment stay, by "a former member" with no link to a profile; alice's comment keeps hers
    assert "a former member" in report["card"] and report["cardProfileLinks"] == 0
    assert "a former member" in report["byline"]
    assert sorted("a former member" in shown for shown in report["comments"]) == [False, True]
    assert report["postProfileLinks"] == ["Alice"]
    assert "un ancien membre" in report["frenchByline"]
    assert report["consoleErrors"] == [] and report["externalRequests"] == []
