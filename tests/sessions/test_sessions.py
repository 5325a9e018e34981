"""Sessions through the GraphQL API of one process: listing, revoking, logging out, and hostile tokens and ids."""

from __future__ import annotations

import asyncio
import base64
import os
import time
from datetime import UTC, datetime

import jwt
import pytest

import settings
from models.members import Member, Session
from resolvers.members import sessions
from tests.factories import PASSWORD, Persona

TEST_SECRET = os.environ["SECRET_KEY"]
LOGIN = "mutation Login($input: LoginInput!) { login(input: $input) { token } }"
ME = "{ me { username } }"
MY_SESSIONS = "{ me { sessions { id device createdAt lastSeenAt current } } }"
REVOKE = "mutation Revoke($id: ID!) { revokeSession(id: $id) }"
LOGOUT = "mutation { logout }"
UPDATE_BIO = 'mutation { updateProfile(input: {bio: "still here"}) { bio } }'


async def log_in(http, username: str, device: str) -> str:
    response = await http.post(
        "/graphql",
        json={"query": LOGIN, "variables": {"input": {"login": username, "password": PASSWORD}}},
        headers={"user-agent": device},
    )
    return response.json()["data"]["login"]["token"]


def sid_of(token: str) -> str:
    return jwt.decode(token, options={"verify_signature": False})["sid"]


def session_of(token: str) -> str:
    """The GraphQL id of the token's session."""
    return sessions.session_global_id(sid_of(token))


def encoded(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def crafted(member_id: int, session_id: object, secret: str = TEST_SECRET) -> str:
    now = int(time.time())
    claims = {"sub": str(member_id), "sid": session_id, "iat": now, "exp": now + 3600}
    return jwt.encode(claims, secret, algorithm="HS256")


async def test_each_login_is_a_session_listed_with_its_device_and_the_current_one_marked(
    gql, http, owner_alice: Persona
):
    # given: alice registered (one session), then logged in from a laptop and a phone
    laptop = await log_in(http, "alice", "Firefox on a laptop")
    phone = await log_in(http, "alice", "Safari on a phone " + "x" * 500)
    # when
    listed = (await gql.data(MY_SESSIONS, token=phone))["me"]["sessions"]
    # then
    assert len(listed) == 3
    by_id = {entry["id"]: entry for entry in listed}
    assert by_id[session_of(laptop)]["device"] == "Firefox on a laptop"
    assert by_id[session_of(phone)]["device"].startswith("Safari on a phone")
    assert len(by_id[session_of(phone)]["device"]) == sessions.MAX_DEVICE  # a huge User-Agent is cut to fit
    assert [entry["current"] for entry in listed].count(True) == 1
    assert by_id[session_of(phone)]["current"] is True


async def test_a_revoked_session_stops_working_and_the_others_go_on(gql, http, owner_alice: Persona):
    # given
    laptop = await log_in(http, "alice", "laptop")
    phone = await log_in(http, "alice", "phone")
    assert (await gql.data(ME, token=laptop))["me"] == {"username": "alice"}  # checked, and cached
    # when: the phone ends the laptop's session
    assert (await gql.data(REVOKE, {"id": session_of(laptop)}, token=phone))["revokeSession"] is True
    # then: at once in this process, cache or not
    assert (await gql.data(ME, token=laptop))["me"] is None
    error = await gql.error(UPDATE_BIO, token=laptop)
    assert error["extensions"]["code"] == "UNAUTHENTICATED" and "log in again" in error["message"]
    assert (await gql.data(ME, token=phone))["me"] == {"username": "alice"}
    listed = (await gql.data(MY_SESSIONS, token=phone))["me"]["sessions"]
    assert session_of(laptop) not in {entry["id"] for entry in listed}


async def test_logout_ends_the_session_it_came_from_only(gql, http, owner_alice: Persona):
    # given
    laptop = await log_in(http, "alice", "laptop")
    # when
    assert (await gql.data(LOGOUT, token=laptop))["logout"] is True
    # then
    assert (await gql.data(ME, token=laptop))["me"] is None
    assert (await gql.data(ME, token=owner_alice.token))["me"] == {"username": "alice"}
    assert (await Session.get(id=sid_of(laptop))).revoked_at is not None
    assert (await gql.data(LOGOUT))["logout"] is True  # anonymous: nothing to end, still true


async def test_the_web_apps_cookie_session_ends_at_logout(http, owner_alice: Persona):
    # given: the web app's cookie, from its own origin
    own = {"origin": "http://cercle.test"}
    login = await http.post(
        "/graphql",
        json={"query": LOGIN, "variables": {"input": {"login": "alice", "password": PASSWORD}}},
        headers=own,
    )
    cookie = login.cookies["cercle_session"]
    http.cookies.clear()  # sent by hand below, so it survives the logout's deletion

    async def me_by_cookie() -> dict | None:
        answer = await http.post("/graphql", json={"query": ME}, headers={**own, "cookie": f"cercle_session={cookie}"})
        return answer.json()["data"]["me"]

    assert await me_by_cookie() == {"username": "alice"}
    # when
    logout = await http.post("/graphql", json={"query": LOGOUT}, headers={**own, "cookie": f"cercle_session={cookie}"})
    # then: the cookie is cleared, and a copy of it kept elsewhere no longer works
    assert 'cercle_session=""' in logout.headers["set-cookie"] or "Max-Age=0" in logout.headers["set-cookie"]
    assert await me_by_cookie() is None


async def test_sessions_admin_and_suspension_fields_are_null_for_others(gql, owner_alice: Persona, member_bob):
    # given / when
    seen = await gql.data('{ member(username: "alice") { sessions { id } isAdmin suspended } }', token=member_bob.token)
    own = (await gql.data("{ me { sessions { id } isAdmin suspended } }", token=owner_alice.token))["me"]
    # then
    assert seen["member"] == {"sessions": None, "isAdmin": None, "suspended": None}
    assert own["isAdmin"] is False and own["suspended"] is False and len(own["sessions"]) == 1


@pytest.mark.parametrize("session_id", ["0" * 32, "f" * 32])
async def test_revoking_a_session_that_does_not_exist_is_not_found(gql, owner_alice: Persona, session_id: str):
    # given / when
    error = await gql.error(REVOKE, {"id": sessions.session_global_id(session_id)}, token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "id"}


@pytest.mark.parametrize(
    "global_id",
    [
        "",
        "nope",
        "x" * 100_000,
        "1; DROP TABLE",
        encoded("Session:" + "0" * 31),
        encoded("Session:" + "F" * 32),
        encoded("Session:" + "é" * 32),
        encoded("Post:" + "0" * 32),
        encoded("Session:1"),
    ],
)
async def test_revoking_a_malformed_session_id_is_bad_user_input(gql, owner_alice: Persona, global_id: str):
    # given / when
    error = await gql.error(REVOKE, {"id": global_id}, token=owner_alice.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}
    assert (await gql.data(ME, token=owner_alice.token))["me"] == {"username": "alice"}


async def test_another_members_session_is_not_found_and_stays_open(gql, owner_alice: Persona, member_bob: Persona):
    # given / when
    error = await gql.error(REVOKE, {"id": session_of(owner_alice.token)}, token=member_bob.token)
    # then: the same answer as an id that does not exist: nobody learns whose sessions exist
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert (await gql.data(ME, token=owner_alice.token))["me"] == {"username": "alice"}


async def test_revoking_twice_is_true_twice(gql, http, owner_alice: Persona):
    # given
    laptop = await log_in(http, "alice", "laptop")
    # when
    first = await gql.data(REVOKE, {"id": session_of(laptop)}, token=owner_alice.token)
    second = await gql.data(REVOKE, {"id": session_of(laptop)}, token=owner_alice.token)
    # then
    assert first == second == {"revokeSession": True}


async def test_revoking_needs_a_login(gql, owner_alice: Persona):
    # given / when
    error = await gql.error(REVOKE, {"id": session_of(owner_alice.token)})
    # then
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("session_id", ["f" * 32, "short", 12345, None, ["a"], "F" * 32, "0" * 33])
async def test_a_token_naming_no_live_session_is_refused(gql, owner_alice: Persona, session_id: object):
    # given: a token signed with the server's key, for alice, naming a session that is not hers or not one
    token = crafted(owner_alice.member.id, session_id)
    # when
    error = await gql.error(UPDATE_BIO, token=token)
    # then
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_token_cannot_borrow_another_members_session(gql, owner_alice: Persona, member_bob: Persona):
    # given: bob's member id with alice's live session id, correctly signed
    token = crafted(member_bob.member.id, sid_of(owner_alice.token))
    # when / then
    assert (await gql.error(UPDATE_BIO, token=token))["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_forged_token_naming_a_live_session_is_refused(gql, owner_alice: Persona):
    # given: a real session id, signed with another key
    token = crafted(owner_alice.member.id, sid_of(owner_alice.token), secret="another-key-of-enough-length-1234")
    # when / then
    assert (await gql.error(UPDATE_BIO, token=token))["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_token_without_a_session_is_refused(gql, owner_alice: Persona):
    # given: a token as issued before sessions existed
    now = int(time.time())
    token = jwt.encode({"sub": str(owner_alice.member.id), "iat": now, "exp": now + 60}, TEST_SECRET, "HS256")
    # when / then
    assert (await gql.error(UPDATE_BIO, token=token))["extensions"]["code"] == "UNAUTHENTICATED"


async def test_last_seen_is_written_once_in_a_while_not_per_request(
    gql, owner_alice: Persona, monkeypatch: pytest.MonkeyPatch
):
    # given: a session last seen long ago, and a process that writes last-seen times at most once an hour
    session_id = sid_of(owner_alice.token)
    await Session.filter(id=session_id).update(last_seen_at=datetime(2020, 1, 1, tzinfo=UTC))
    monkeypatch.setattr(settings, "LAST_SEEN_WRITE_SECONDS", 3600.0)
    sessions._last_seen_written.pop(session_id, None)  # as if this process had not written it yet
    writes = []
    write = sessions._write_last_seen

    async def counted(*args: object) -> None:
        writes.append(args)
        await write(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(sessions, "_write_last_seen", counted)
    # when: three requests
    for _ in range(3):
        await gql.data(ME, token=owner_alice.token)
    # then: written once (in the background: waited for), for the session and the member
    assert len(writes) == 1
    await asyncio.wait_for(asyncio.gather(*sessions._background), 5)
    assert (await Session.get(id=session_id)).last_seen_at.year > 2020
    member = await Member.get(id=owner_alice.member.id)
    assert member.last_seen_at is not None and member.last_seen_at.year > 2020
    assert sessions._last_seen_written[session_id] > 0
