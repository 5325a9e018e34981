"""The web app in a real (headless) Chromium: a member logs in, in English and in French, on a phone too."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import PASSWORD, Persona
from tests.fixtures.server import Server, browse

LABELS = {
    "en-GB": {"login": "Username or email", "password": "Password", "submit": "Log in"},
    "fr-FR": {"login": "Nom d'utilisateur ou e-mail", "password": "Mot de passe", "submit": "Se connecter"},
}


async def log_in(chromium: str, server: Server, persona: Persona, locale: str, **options: object) -> dict:
    return await browse(
        "web_login.mjs",
        {
            "executablePath": chromium,
            "origin": server.graphql_url.removesuffix("/graphql"),
            "locale": locale,
            "labels": LABELS[locale],
            "login": persona.member.username,
            "password": PASSWORD,
            "expect": persona.member.display_name,
            **options,
        },
    )


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
async def test_a_member_logs_in_in_their_language(
    live_server: Server, node_modules: Path, chromium: str, web_app: Path, owner_alice: Persona, locale: str
) -> None:
    # when alice opens /login in a browser speaking her language and logs in with the labelled form
    report = await log_in(chromium, live_server, owner_alice, locale)
    # then the page had no serious accessibility fault, the app greets her, her session is an HttpOnly cookie
    # (nothing a script can read), and nothing left the server
    assert report["ok"], report["error"]
    assert report["accessibility"] == []
    session = [cookie for cookie in report["cookies"] if cookie["httpOnly"]]
    assert session and all(cookie["sameSite"] == "Lax" for cookie in session), report["cookies"]
    assert owner_alice.token not in report["storage"] and "eyJ" not in report["storage"]
    assert report["externalRequests"] == [] and report["consoleErrors"] == []


async def test_the_login_page_fits_a_phone(
    live_server: Server, node_modules: Path, chromium: str, web_app: Path, owner_alice: Persona
) -> None:
    report = await log_in(chromium, live_server, owner_alice, "en-GB", viewport={"width": 390, "height": 844})
    assert report["ok"], report["error"]
    assert report["overflowX"] is False
