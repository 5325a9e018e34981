"""Logins, tokens and the login rate limit, through the GraphQL API."""

from __future__ import annotations

import os
import time

import jwt
import pytest

import settings
from resolvers.ratelimit import reset_limits
from tests.factories import PASSWORD, Persona

LOGIN = "mutation Login($input: LoginInput!) { login(input: $input) { token member { username } } }"
ME = "{ me { username } }"
UPDATE_PROFILE = "mutation Update($input: UpdateProfileInput!) { updateProfile(input: $input) { username bio } }"
TEST_SECRET = os.environ["SECRET_KEY"]


def token_for(member_id: int, *, expires_in: int, secret: str = TEST_SECRET, session_id: str = "0" * 32) -> str:
    now = int(time.time())
    claims = {"sub": str(member_id), "sid": session_id, "iat": now, "exp": now + expires_in}
    return jwt.encode(claims, secret, algorithm="HS256")


async def test_login_returns_a_token_that_authenticates(gql, owner_alice: Persona):
    # given / when
    data = await gql.data(LOGIN, {"input": {"login": "alice", "password": PASSWORD}})
    # then
    me = await gql.data(ME, token=data["login"]["token"])
    assert me["me"] == {"username": "alice"}


async def test_wrong_password_and_unknown_user_get_the_same_message_and_code(gql, owner_alice: Persona):
    # given: alice exists, nobody does not
    # when
    wrong = await gql.error(LOGIN, {"input": {"login": "alice", "password": "not the password"}})
    unknown = await gql.error(LOGIN, {"input": {"login": "nobody@example.org", "password": "not the password"}})
    # then
    assert wrong["extensions"] == unknown["extensions"] == {"code": "UNAUTHENTICATED"}
    assert wrong["message"] == unknown["message"]


async def test_login_refuses_the_password_followed_by_more_characters(gql):
    # given: a member whose password is 128 characters, the most allowed
    password = "p" * 128
    register = "mutation R($input: RegisterInput!) { register(input: $input) { token } }"
    await gql.data(register, {"input": {"username": "zoe", "email": "zoe@example.org", "password": password}})
    # when
    longer = await gql.error(LOGIN, {"input": {"login": "zoe", "password": password + "extra"}})
    # then
    assert longer["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await gql.data(LOGIN, {"input": {"login": "zoe", "password": password}}))["login"]["token"]


async def test_login_with_a_huge_login_is_unauthenticated(gql):
    # given / when
    error = await gql.error(LOGIN, {"input": {"login": "a" * 200_000, "password": "p" * 200_000}})
    # then
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("login", ["al\u0000ice", "alice\u0000@example.org", "", "   "])
async def test_login_with_a_malformed_login_is_unauthenticated(gql, owner_alice: Persona, login: str):
    # given / when
    error = await gql.error(LOGIN, {"input": {"login": login, "password": PASSWORD}})
    # then
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}


async def test_expired_token_is_anonymous_for_me_and_unauthenticated_for_mutations(gql, owner_alice: Persona):
    # given
    expired = token_for(owner_alice.member.id, expires_in=-60)
    # when
    me = await gql.data(ME, token=expired)
    error = await gql.error(UPDATE_PROFILE, {"input": {"bio": "hacked"}}, token=expired)
    # then
    assert me["me"] is None
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "expired" in error["message"] and "log in again" in error["message"]


async def test_forged_token_is_anonymous_for_me_and_unauthenticated_for_mutations(gql, owner_alice: Persona):
    # given: a well-formed token for alice, signed with another key
    forged = token_for(owner_alice.member.id, expires_in=3600, secret="not-the-server-secret-key-at-all-no")
    # when
    me = await gql.data(ME, token=forged)
    error = await gql.error(UPDATE_PROFILE, {"input": {"bio": "hacked"}}, token=forged)
    # then
    assert me["me"] is None
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "invalid" in error["message"] and "log in again" in error["message"]
    assert (await gql.data('{ member(username: "alice") { bio } }'))["member"]["bio"] is None


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "Bearer", "x" * 10_000])
async def test_malformed_token_is_unauthenticated_for_mutations(gql, token: str):
    # given / when
    error = await gql.error(UPDATE_PROFILE, {"input": {"bio": "x"}}, token=token)
    # then
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_unsigned_token_is_refused(gql, owner_alice: Persona):
    # given: alg "none", no signature at all
    unsigned = jwt.encode({"sub": str(owner_alice.member.id), "exp": int(time.time()) + 3600}, None, algorithm="none")
    # when
    me = await gql.data(ME, token=unsigned)
    # then
    assert me["me"] is None


async def test_token_without_expiry_is_refused(gql, owner_alice: Persona):
    # given: signed with the right key, but never expiring
    endless = jwt.encode({"sub": str(owner_alice.member.id)}, TEST_SECRET, algorithm="HS256")
    # when
    me = await gql.data(ME, token=endless)
    # then
    assert me["me"] is None


async def test_valid_crafted_token_authenticates(gql, owner_alice: Persona):
    # given: the same crafting as the expired-token test, with a future expiry and a live session (guards that test)
    session_id = jwt.decode(owner_alice.token, options={"verify_signature": False})["sid"]
    token = token_for(owner_alice.member.id, expires_in=3600, session_id=session_id)
    # when
    me = await gql.data(ME, token=token)
    # then
    assert me["me"] == {"username": "alice"}


async def test_logins_per_ip_are_rate_limited(gql, owner_alice: Persona, monkeypatch: pytest.MonkeyPatch):
    # given
    monkeypatch.setattr(settings, "RATE_LIMIT_LOGIN", "3/minute")
    reset_limits()
    attempts = [{"input": {"login": "alice", "password": "wrong password"}}] * 3
    for variables in attempts:
        assert (await gql.error(LOGIN, variables))["extensions"]["code"] == "UNAUTHENTICATED"
    # when: the fourth attempt, even with the right password
    error = await gql.error(LOGIN, {"input": {"login": "alice", "password": PASSWORD}})
    # then
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert "3/minute" in error["message"]


async def test_registrations_count_against_the_login_limit(gql, monkeypatch: pytest.MonkeyPatch):
    # given
    monkeypatch.setattr(settings, "RATE_LIMIT_LOGIN", "2/minute")
    reset_limits()
    register = "mutation R($input: RegisterInput!) { register(input: $input) { token } }"
    for name in ("one", "two"):
        await gql.data(register, {"input": {"username": name, "email": f"{name}@example.org", "password": PASSWORD}})
    # when
    error = await gql.error(
        register, {"input": {"username": "three", "email": "three@example.org", "password": PASSWORD}}
    )
    # then
    assert error["extensions"]["code"] == "RATE_LIMITED"
