"""GET /me/export: the member's own data, to the member alone."""

from __future__ import annotations

import httpx
import pytest

from models.communities import Community
from models.posts import Post, ReactionKind
from resolvers.posts.reactions import do_react
from resolvers.recognition.kudos import do_give_kudos
from tests.factories import PASSWORD, Persona, gid, make_comment, make_post
from tests.fixtures.server import Server
from tests.members.accounts import last_token

LOGIN = """
mutation Login($login: String!, $password: String!) { login(input: {login: $login, password: $password}) { token } }
"""


@pytest.fixture
async def alice_contributed(public_community: Community, owner_alice: Persona, member_bob: Persona) -> Post:
    post = await make_post(owner_alice, public_community, "Alice's post", "Hello", tags=["intro"])
    bobs = await make_post(member_bob, public_community, "Bob's post")
    await make_comment(owner_alice, bobs, "Alice's comment")
    await do_react(owner_alice.ctx, gid(bobs), ReactionKind.INSIGHTFUL, True)
    await do_give_kudos(owner_alice.ctx, public_community.slug, "bob", "Thanks for the design!")
    return post


async def export(http: httpx.AsyncClient, token: str | None = None, **headers: str) -> httpx.Response:
    if token:
        headers["authorization"] = f"Bearer {token}"
    return await http.get("/me/export", headers=headers)


async def test_export_holds_the_members_own_data(http, owner_alice: Persona, alice_contributed: Post):
    # when
    response = await export(http, owner_alice.token)
    # then: a JSON attachment
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"] == 'attachment; filename="cercle-alice.json"'
    assert response.headers["cache-control"] == "no-store"
    data = response.json()
    assert data["profile"] | {"joinedAt": None} == {
        "id": gid(owner_alice.member),
        "username": "alice",
        "displayName": "Alice",
        "email": "alice@example.org",
        "emailVerified": False,
        "bio": None,
        "skills": ["python", "writing"],
        "experience": None,
        "joinedAt": None,
        "lastSeenAt": None,
        "language": "en",
        "emailPreferences": {"digest": "WEEKLY", "notifications": "BUNDLED"},
    }
    assert [(m["community"], m["role"], m["status"]) for m in data["memberships"]] == [
        ("python-paris", "OWNER", "ACTIVE")
    ]
    [post] = [p for p in data["posts"] if p["title"] == "Alice's post"]
    assert (post["id"], post["body"], post["tags"], post["community"]) == (
        gid(alice_contributed),
        "Hello",
        ["intro"],
        "python-paris",
    )
    assert [c["body"] for c in data["comments"]] == ["Alice's comment"]
    assert [r["kind"] for r in data["reactions"]] == ["INSIGHTFUL"]
    assert [(k["to"], k["message"]) for k in data["kudosGiven"]] == [("bob", "Thanks for the design!")]
    assert data["kudosReceived"] == []
    assert "first-post" in [b["badge"] for b in data["badges"]]
    assert sum(entry["amount"] for entry in data["points"]) > 0


async def test_export_holds_nothing_of_other_members_personal_data(http, member_bob: Persona, alice_contributed: Post):
    response = await export(http, member_bob.token)
    data = response.json()
    assert data["profile"]["email"] == "bob@example.org"
    assert [(k["from"], k["message"]) for k in data["kudosReceived"]] == [("alice", "Thanks for the design!")]
    assert "alice@example.org" not in response.text
    assert "Alice's comment" not in response.text and "Alice's post" not in response.text


@pytest.mark.parametrize("token", [None, "forged", "x" * 10_000])
async def test_export_without_a_valid_token_is_401_json(http, owner_alice: Persona, token: str | None):
    response = await export(http, token)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHENTICATED"
    assert "alice" not in response.text


async def test_export_is_get_only(http, owner_alice: Persona):
    response = await http.post("/me/export", headers={"authorization": f"Bearer {owner_alice.token}"})
    assert response.status_code == 405


async def test_a_deleted_member_has_nothing_to_export(http, gql, member_bob: Persona):
    await gql.data('mutation { deleteAccount(password: "correct horse battery") }', token=member_bob.token)
    response = await export(http, member_bob.token)
    assert response.status_code == 401


async def test_the_web_apps_session_cookie_downloads_the_export_over_a_real_socket(
    live_server: Server, owner_alice: Persona
):
    async with httpx.AsyncClient(base_url=live_server.url) as browser:
        # given: the web app logged in, holding its session cookie
        login = await browser.post(
            "/graphql",
            json={"query": LOGIN, "variables": {"login": "alice", "password": PASSWORD}},
            headers={"origin": live_server.url},
        )
        assert login.status_code == 200 and "cercle_session" in browser.cookies
        # when: the settings page's download link is followed (a same-origin navigation)
        download = await browser.get("/me/export", headers={"sec-fetch-site": "same-origin"})
        # then
        assert download.status_code == 200 and download.json()["profile"]["username"] == "alice"
        assert download.headers["content-disposition"].startswith("attachment;")
        # and: another site's page cannot make the browser download it with the cookie
        cross_site = await browser.get("/me/export", headers={"sec-fetch-site": "cross-site"})
        assert cross_site.status_code == 401


async def test_a_revoked_session_cannot_export(http, gql, owner_alice: Persona):
    # given: alice's token, then a reset that ends every session
    await gql.data('mutation { requestPasswordReset(email: "alice@example.org") }')
    token = await last_token("alice@example.org", "reset_password")
    reset = 'mutation R($t: String!) { resetPassword(token: $t, password: "another passphrase") { token } }'
    await gql.data(reset, {"t": token})
    # then
    assert (await export(http, owner_alice.token)).status_code == 401
