"""changePassword, requestPasswordReset and resetPassword through the GraphQL API."""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import UTC, datetime, timedelta

import pytest

import settings
from models.members import AccountToken, Member, TokenPurpose
from resolvers.members.tokens import digest_of
from tests.factories import PASSWORD, Persona
from tests.members.accounts import emails_to, last_token

NEW_PASSWORD = "a brand new passphrase"
CHANGE_PASSWORD = """
mutation Change($current: String!, $new: String!) { changePassword(currentPassword: $current, newPassword: $new) }
"""
REQUEST_RESET = "mutation Request($email: String!) { requestPasswordReset(email: $email) }"
RESET = """
mutation Reset($token: String!, $password: String!) {
  resetPassword(token: $token, password: $password) { token member { username emailVerified } }
}
"""
LOGIN = """
mutation Login($login: String!, $password: String!) { login(input: {login: $login, password: $password}) { token } }
"""
ME = "query { me { username } }"
NEEDS_LOGIN = "query { notifications(first: 1) { totalCount } }"


async def can_log_in(gql, login: str, password: str) -> bool:
    body = await gql.execute(LOGIN, {"login": login, "password": password})
    return "errors" not in body


async def request_reset(gql, email: str) -> None:
    assert (await gql.data(REQUEST_RESET, {"email": email})) == {"requestPasswordReset": True}


# changePassword


async def test_change_password_replaces_the_password(gql, owner_alice: Persona):
    # when
    data = await gql.data(CHANGE_PASSWORD, {"current": PASSWORD, "new": NEW_PASSWORD}, token=owner_alice.token)
    # then
    assert data == {"changePassword": True}
    assert await can_log_in(gql, "alice", NEW_PASSWORD)
    assert not await can_log_in(gql, "alice", PASSWORD)


async def test_change_password_keeps_the_session_that_asked(gql, owner_alice: Persona):
    await gql.data(CHANGE_PASSWORD, {"current": PASSWORD, "new": NEW_PASSWORD}, token=owner_alice.token)
    assert (await gql.data(ME, token=owner_alice.token)) == {"me": {"username": "alice"}}


async def test_change_password_ends_the_other_sessions(gql, owner_alice: Persona):
    # given: alice is also logged in elsewhere
    other = (await gql.data(LOGIN, {"login": "alice", "password": PASSWORD}))["login"]["token"]
    this = (await gql.data(LOGIN, {"login": "alice", "password": PASSWORD}))["login"]["token"]
    # when
    await gql.data(CHANGE_PASSWORD, {"current": PASSWORD, "new": NEW_PASSWORD}, token=this)
    # then
    assert (await gql.data(ME, token=this)) == {"me": {"username": "alice"}}
    error = await gql.error(NEEDS_LOGIN, token=other)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_wrong_current_password_changes_nothing(gql, owner_alice: Persona):
    error = await gql.error(
        CHANGE_PASSWORD, {"current": "not my password", "new": NEW_PASSWORD}, token=owner_alice.token
    )
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "currentPassword"}
    assert await can_log_in(gql, "alice", PASSWORD)


async def test_current_password_guesses_count_like_failed_logins(
    gql, owner_alice: Persona, monkeypatch: pytest.MonkeyPatch
):
    # given: three failures per account name
    monkeypatch.setattr(settings, "RATE_LIMIT_LOGIN_NAME", "3/15 minutes")
    for _ in range(3):
        await gql.error(CHANGE_PASSWORD, {"current": "guess", "new": NEW_PASSWORD}, token=owner_alice.token)
    # when: the right one now
    error = await gql.error(CHANGE_PASSWORD, {"current": PASSWORD, "new": NEW_PASSWORD}, token=owner_alice.token)
    # then: refused like a fourth login would be, and the login itself is refused too
    assert error["extensions"]["code"] == "RATE_LIMITED"
    login_error = await gql.error(LOGIN, {"login": "alice", "password": PASSWORD})
    assert login_error["extensions"]["code"] == "RATE_LIMITED"


@pytest.mark.parametrize(
    ("new", "field"),
    [("short", "newPassword"), ("x" * 129, "newPassword"), ("", "newPassword")],
)
async def test_a_new_password_out_of_bounds_is_refused(gql, owner_alice: Persona, new: str, field: str):
    error = await gql.error(CHANGE_PASSWORD, {"current": PASSWORD, "new": new}, token=owner_alice.token)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert await can_log_in(gql, "alice", PASSWORD)


async def test_a_huge_current_password_is_just_wrong(gql, owner_alice: Persona):
    error = await gql.error(
        CHANGE_PASSWORD, {"current": PASSWORD + "x" * 100_000, "new": NEW_PASSWORD}, token=owner_alice.token
    )
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "currentPassword"}


async def test_anonymous_cannot_change_a_password(gql, owner_alice: Persona):
    error = await gql.error(CHANGE_PASSWORD, {"current": PASSWORD, "new": NEW_PASSWORD})
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


# requestPasswordReset


async def test_a_reset_request_mails_a_link_to_the_member(gql, owner_alice: Persona):
    # when
    await request_reset(gql, "  Alice@Example.ORG ")
    # then: one reset email, its token stored only as a digest, valid for RESET_PASSWORD_TOKEN_MINUTES
    [email] = await emails_to("alice@example.org", "reset_password")
    assert email.member_id == owner_alice.member.id and set(email.params) == {"token"}
    token = email.params["token"]
    stored = await AccountToken.get(purpose=TokenPurpose.RESET_PASSWORD)
    assert stored.digest == digest_of(token) and token not in stored.digest
    lifetime = stored.expires_at - stored.created_at
    assert abs(lifetime - timedelta(minutes=settings.RESET_PASSWORD_TOKEN_MINUTES)) < timedelta(seconds=5)


async def test_a_reset_request_for_an_unknown_address_answers_the_same_and_sends_nothing(gql, owner_alice: Persona):
    body = await gql.execute(REQUEST_RESET, {"email": "nobody@example.org"})
    assert body == {"data": {"requestPasswordReset": True}}
    assert await emails_to("nobody@example.org") == []


async def test_a_reset_request_takes_about_the_same_time_whether_the_address_exists(gql, owner_alice: Persona):
    async def duration(email: str) -> float:
        started = time.perf_counter()
        await request_reset(gql, email)
        return time.perf_counter() - started

    known = [await duration("alice@example.org") for _ in range(3)]
    unknown = [await duration(f"nobody{i}@example.org") for i in range(3)]
    # Both wait for the same floor, which is far above the cost of the write the known address makes.
    assert min(known + unknown) >= settings.PASSWORD_RESET_ANSWER_SECONDS
    assert abs(statistics.median(known) - statistics.median(unknown)) < 0.1, (known, unknown)


async def test_a_malformed_or_huge_address_is_refused(gql):
    for email in ("not an address", "x" * 300 + "@example.org", "a\x00b@example.org"):
        error = await gql.error(REQUEST_RESET, {"email": email})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "email"}, email


async def test_reset_requests_are_limited_per_address_without_telling(
    gql, owner_alice: Persona, monkeypatch: pytest.MonkeyPatch
):
    # given: two emails per address
    monkeypatch.setattr(settings, "RATE_LIMIT_ACCOUNT_EMAIL", "2/hour")
    # when: five requests for alice's address
    for _ in range(5):
        await request_reset(gql, "alice@example.org")
    # then: every answer was true, and only two emails left
    assert len(await emails_to("alice@example.org", "reset_password")) == 2


async def test_reset_requests_are_limited_per_client_address(gql, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(settings, "RATE_LIMIT_PASSWORD_RESET_IP", "3/hour")
    monkeypatch.setattr(settings, "PASSWORD_RESET_ANSWER_SECONDS", 0.0)
    for i in range(3):
        await request_reset(gql, f"someone{i}@example.org")
    error = await gql.error(REQUEST_RESET, {"email": "another@example.org"})
    assert error["extensions"]["code"] == "RATE_LIMITED"


async def test_no_reset_is_mailed_to_a_suspended_account(gql, owner_alice: Persona):
    await Member.filter(id=owner_alice.member.id).update(suspended_at=datetime.now(UTC))
    await request_reset(gql, "alice@example.org")
    assert await emails_to("alice@example.org", "reset_password") == []


# resetPassword


async def test_reset_password_sets_the_password_and_logs_in(gql, owner_alice: Persona):
    # given
    await request_reset(gql, "alice@example.org")
    token = await last_token("alice@example.org", "reset_password")
    # when
    data = (await gql.data(RESET, {"token": token, "password": NEW_PASSWORD}))["resetPassword"]
    # then: a working token, the new password works, the old does not, and the address counts as verified
    assert data["member"] == {"username": "alice", "emailVerified": None}  # the request had no viewer yet
    assert (await gql.data(ME, token=data["token"])) == {"me": {"username": "alice"}}
    assert await can_log_in(gql, "alice", NEW_PASSWORD)
    assert not await can_log_in(gql, "alice", PASSWORD)
    assert (await Member.get(id=owner_alice.member.id)).email_verified_at is not None


async def test_a_reset_token_works_once(gql, owner_alice: Persona):
    await request_reset(gql, "alice@example.org")
    token = await last_token("alice@example.org", "reset_password")
    await gql.data(RESET, {"token": token, "password": NEW_PASSWORD})
    error = await gql.error(RESET, {"token": token, "password": "yet another passphrase"})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}
    assert await can_log_in(gql, "alice", NEW_PASSWORD)


async def test_concurrent_uses_of_one_reset_token_succeed_once(gql, owner_alice: Persona):
    await request_reset(gql, "alice@example.org")
    token = await last_token("alice@example.org", "reset_password")
    answers = await asyncio.gather(
        *(gql.execute(RESET, {"token": token, "password": f"new passphrase {i}"}) for i in range(4))
    )
    assert sum("errors" not in answer for answer in answers) == 1, answers


async def test_an_expired_reset_token_is_refused(gql, owner_alice: Persona):
    await request_reset(gql, "alice@example.org")
    token = await last_token("alice@example.org", "reset_password")
    await AccountToken.filter(digest=digest_of(token)).update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    error = await gql.error(RESET, {"token": token, "password": NEW_PASSWORD})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}
    assert await can_log_in(gql, "alice", PASSWORD)


async def test_a_verification_token_cannot_reset_a_password(gql, owner_alice: Persona):
    token = await last_token("alice@example.org", "verify_email")  # the welcome email's
    error = await gql.error(RESET, {"token": token, "password": NEW_PASSWORD})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}


@pytest.mark.parametrize("token", ["", "forged-token", "x" * 100_000, "\x00", "é" * 43])
async def test_forged_reset_tokens_are_refused(gql, owner_alice: Persona, token: str):
    error = await gql.error(RESET, {"token": token, "password": NEW_PASSWORD})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}
    assert await can_log_in(gql, "alice", PASSWORD)


async def test_a_newer_reset_or_a_password_change_voids_older_links(gql, owner_alice: Persona):
    # given: two reset links
    await request_reset(gql, "alice@example.org")
    first = await last_token("alice@example.org", "reset_password")
    await request_reset(gql, "alice@example.org")
    second = await last_token("alice@example.org", "reset_password")
    # when: the second is used
    await gql.data(RESET, {"token": second, "password": NEW_PASSWORD})
    # then: the first no longer works
    error = await gql.error(RESET, {"token": first, "password": "yet another passphrase"})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}


async def test_a_reset_link_stops_working_once_the_password_is_changed(gql, owner_alice: Persona):
    await request_reset(gql, "alice@example.org")
    token = await last_token("alice@example.org", "reset_password")
    await gql.data(CHANGE_PASSWORD, {"current": PASSWORD, "new": NEW_PASSWORD}, token=owner_alice.token)
    error = await gql.error(RESET, {"token": token, "password": "yet another passphrase"})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}


async def test_a_bad_new_password_keeps_the_token(gql, owner_alice: Persona):
    await request_reset(gql, "alice@example.org")
    token = await last_token("alice@example.org", "reset_password")
    error = await gql.error(RESET, {"token": token, "password": "short"})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "password"}
    await gql.data(RESET, {"token": token, "password": NEW_PASSWORD})


async def test_reset_password_ends_every_session(gql, owner_alice: Persona):
    # given: alice's token from before the reset works
    assert (await gql.data(ME, token=owner_alice.token)) == {"me": {"username": "alice"}}
    await request_reset(gql, "alice@example.org")
    token = await last_token("alice@example.org", "reset_password")
    # when
    fresh = (await gql.data(RESET, {"token": token, "password": NEW_PASSWORD}))["resetPassword"]["token"]
    # then: the old token is refused, the new one works
    error = await gql.error(NEEDS_LOGIN, token=owner_alice.token)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await gql.data(ME, token=fresh)) == {"me": {"username": "alice"}}
