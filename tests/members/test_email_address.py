"""The welcome email at registration, requestEmailVerification, verifyEmail and changeEmail."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

import settings
from models.email import OutgoingEmail
from models.members import AccountToken, Member, TokenPurpose
from resolvers.members.tokens import digest_of
from tests.factories import PASSWORD, Persona, make_member
from tests.members.accounts import ME, emails_to, last_token

REGISTER = "mutation Register($input: RegisterInput!) { register(input: $input) { token } }"
REQUEST = "mutation { requestEmailVerification }"
VERIFY = """
mutation Verify($token: String!) { verifyEmail(token: $token) { username email emailVerified pendingEmail } }
"""
CHANGE = "mutation Change($email: String!, $password: String!) { changeEmail(email: $email, password: $password) }"
LOGIN = 'mutation Login($login: String!) { login(input: {login: $login, password: "correct horse battery"}) { token } }'


async def me(gql, persona: Persona) -> dict:
    return (await gql.data(ME, token=persona.token))["me"]


# Registration and verification


async def test_registration_queues_the_welcome_email_with_a_verification_link(gql):
    # when
    await gql.data(REGISTER, {"input": {"username": "zoe", "email": "Zoe@Example.org", "password": PASSWORD}})
    # then: one welcome email, its token stored only as a digest, valid for VERIFY_EMAIL_TOKEN_HOURS
    member = await Member.get(username="zoe")
    [email] = await emails_to("zoe@example.org")
    assert (email.template, email.member_id, email.params["welcome"]) == ("verify_email", member.id, True)
    stored = await AccountToken.get(member_id=member.id)
    assert stored.purpose == TokenPurpose.VERIFY_EMAIL and stored.digest == digest_of(email.params["token"])
    lifetime = stored.expires_at - stored.created_at
    assert abs(lifetime - timedelta(hours=settings.VERIFY_EMAIL_TOKEN_HOURS)) < timedelta(seconds=5)


async def test_a_refused_registration_queues_no_email(gql, owner_alice: Persona):
    before = await OutgoingEmail.all().count()
    await gql.error(REGISTER, {"input": {"username": "alice", "email": "zoe@example.org", "password": PASSWORD}})
    assert await OutgoingEmail.all().count() == before


async def test_verify_email_verifies_the_address(gql, owner_alice: Persona):
    # given: not verified yet
    assert (await me(gql, owner_alice))["emailVerified"] is False
    token = await last_token("alice@example.org", "verify_email")
    # when: the link is opened, logged in or not
    data = await gql.data(VERIFY, {"token": token})
    # then
    assert data["verifyEmail"]["username"] == "alice"
    assert (await me(gql, owner_alice))["emailVerified"] is True


async def test_verifying_clears_a_bounce(gql, owner_alice: Persona):
    await Member.filter(id=owner_alice.member.id).update(email_bounced_at=datetime.now(UTC))
    await gql.data(VERIFY, {"token": await last_token("alice@example.org", "verify_email")})
    assert (await Member.get(id=owner_alice.member.id)).email_bounced_at is None


async def test_a_verification_token_works_once(gql, owner_alice: Persona):
    token = await last_token("alice@example.org", "verify_email")
    await gql.data(VERIFY, {"token": token})
    error = await gql.error(VERIFY, {"token": token})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}


async def test_an_expired_verification_token_is_refused(gql, owner_alice: Persona):
    token = await last_token("alice@example.org", "verify_email")
    await AccountToken.filter(digest=digest_of(token)).update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    error = await gql.error(VERIFY, {"token": token})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}
    assert (await me(gql, owner_alice))["emailVerified"] is False


@pytest.mark.parametrize("token", ["", "forged", "x" * 100_000, "\x00\x01", "🙂" * 40])
async def test_forged_verification_tokens_are_refused(gql, owner_alice: Persona, token: str):
    error = await gql.error(VERIFY, {"token": token})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}


async def test_a_reset_token_cannot_verify_an_address(gql, owner_alice: Persona):
    await gql.data('mutation { requestPasswordReset(email: "alice@example.org") }')
    token = await last_token("alice@example.org", "reset_password")
    error = await gql.error(VERIFY, {"token": token})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}


async def test_request_email_verification_mails_a_new_link(gql, owner_alice: Persona):
    # when
    assert (await gql.data(REQUEST, token=owner_alice.token)) == {"requestEmailVerification": True}
    # then: a second verify_email (not the welcome), whose link works
    welcome, again = await emails_to("alice@example.org", "verify_email")
    assert again.params["welcome"] is False and again.member_id == owner_alice.member.id
    await gql.data(VERIFY, {"token": again.params["token"]})
    assert (await me(gql, owner_alice))["emailVerified"] is True


async def test_request_email_verification_sends_nothing_once_verified(gql, owner_alice: Persona):
    await gql.data(VERIFY, {"token": await last_token("alice@example.org", "verify_email")})
    assert (await gql.data(REQUEST, token=owner_alice.token)) == {"requestEmailVerification": False}
    assert len(await emails_to("alice@example.org", "verify_email")) == 1


async def test_request_email_verification_resends_to_a_new_address_awaiting_its_link(gql, owner_alice: Persona):
    # given alice verified, then asking for a new address
    await gql.data(VERIFY, {"token": await last_token("alice@example.org", "verify_email")})
    await gql.data(CHANGE, {"email": "alice@new.example", "password": PASSWORD}, token=owner_alice.token)
    # when she asks for the link again
    assert (await gql.data(REQUEST, token=owner_alice.token)) == {"requestEmailVerification": True}
    # then the new address gets a second link, which makes it hers; the old address got nothing more
    first, again = await emails_to("alice@new.example", "verify_email")
    await gql.data(VERIFY, {"token": again.params["token"]})
    assert (await me(gql, owner_alice))["email"] == "alice@new.example"
    assert len(await emails_to("alice@example.org", "verify_email")) == 1


async def test_request_email_verification_is_rate_limited(gql, owner_alice: Persona, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(settings, "RATE_LIMIT_ACCOUNT_EMAIL", "2/hour")
    for _ in range(2):
        await gql.data(REQUEST, token=owner_alice.token)
    error = await gql.error(REQUEST, token=owner_alice.token)
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert len(await emails_to("alice@example.org", "verify_email")) == 3  # the welcome and two


async def test_anonymous_cannot_request_a_verification(gql):
    error = await gql.error(REQUEST)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_verification_fields_are_for_the_member_alone(gql, owner_alice: Persona, member_bob: Persona):
    query = '{ member(username: "alice") { email emailVerified pendingEmail formerMember } }'
    data = await gql.data(query, token=member_bob.token)
    assert data["member"] == {"email": None, "emailVerified": None, "pendingEmail": None, "formerMember": False}


# changeEmail


async def test_change_email_waits_for_the_new_address_to_be_verified(gql, owner_alice: Persona):
    # when
    data = await gql.data(CHANGE, {"email": " Alice@New.example ", "password": PASSWORD}, token=owner_alice.token)
    # then: a link to the new address; the address stays until it is used
    assert data == {"changeEmail": True}
    [email] = await emails_to("alice@new.example")
    assert (email.template, email.member_id, email.params["welcome"]) == ("verify_email", owner_alice.member.id, False)
    assert await me(gql, owner_alice) == {
        "username": "alice",
        "email": "alice@example.org",
        "emailVerified": False,
        "pendingEmail": "alice@new.example",
        "formerMember": False,
    }
    # when: the link is used
    verified = (await gql.data(VERIFY, {"token": email.params["token"]}))["verifyEmail"]
    # then: the new address is alice's, verified, and she logs in with it
    assert verified == {"username": "alice", "email": None, "emailVerified": None, "pendingEmail": None}
    assert (await me(gql, owner_alice))["email"] == "alice@new.example"
    assert (await me(gql, owner_alice))["emailVerified"] is True
    assert (await me(gql, owner_alice))["pendingEmail"] is None
    await gql.data(LOGIN, {"login": "alice@new.example"})


async def test_verify_email_answers_the_member_its_token_names_to_that_member(gql, owner_alice: Persona):
    token = await last_token("alice@example.org", "verify_email")
    data = await gql.data(VERIFY, {"token": token}, token=owner_alice.token)
    assert data["verifyEmail"] == {
        "username": "alice",
        "email": "alice@example.org",
        "emailVerified": True,
        "pendingEmail": None,
    }


async def test_change_email_needs_the_password(gql, owner_alice: Persona):
    error = await gql.error(CHANGE, {"email": "alice@new.example", "password": "wrong"}, token=owner_alice.token)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "password"}
    assert await emails_to("alice@new.example") == []


async def test_change_email_to_a_taken_address_is_a_conflict(gql, owner_alice: Persona, member_bob: Persona):
    error = await gql.error(CHANGE, {"email": "BOB@example.org", "password": PASSWORD}, token=owner_alice.token)
    assert error["extensions"] == {"code": "CONFLICT", "field": "email"}
    assert len(await emails_to("bob@example.org")) == 1  # bob's own welcome only


@pytest.mark.parametrize("email", ["no-at-sign", "a@b", "x" * 250 + "@example.org", "a\x00@example.org", ""])
async def test_change_email_refuses_malformed_addresses(gql, owner_alice: Persona, email: str):
    error = await gql.error(CHANGE, {"email": email, "password": PASSWORD}, token=owner_alice.token)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "email"}


async def test_change_email_to_the_same_address_is_refused(gql, owner_alice: Persona):
    error = await gql.error(CHANGE, {"email": "alice@example.org", "password": PASSWORD}, token=owner_alice.token)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "email"}


async def test_the_latest_change_wins(gql, owner_alice: Persona):
    # given: two changes asked for
    await gql.data(CHANGE, {"email": "first@new.example", "password": PASSWORD}, token=owner_alice.token)
    first = await last_token("first@new.example", "verify_email")
    await gql.data(CHANGE, {"email": "second@new.example", "password": PASSWORD}, token=owner_alice.token)
    # then: the first link is dead, the second is pending
    error = await gql.error(VERIFY, {"token": first})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}
    assert (await me(gql, owner_alice))["pendingEmail"] == "second@new.example"


async def test_an_address_taken_before_verification_stays_with_its_owner(gql, owner_alice: Persona):
    # given: alice asks for an address, then someone registers it first
    await gql.data(CHANGE, {"email": "wanted@example.org", "password": PASSWORD}, token=owner_alice.token)
    token = await last_token("wanted@example.org", "verify_email")
    await gql.data(REGISTER, {"input": {"username": "zoe", "email": "wanted@example.org", "password": PASSWORD}})
    # when
    error = await gql.error(VERIFY, {"token": token})
    # then
    assert error["extensions"] == {"code": "CONFLICT", "field": "email"}
    assert (await Member.get(id=owner_alice.member.id)).email == "alice@example.org"


async def test_an_email_change_voids_reset_links_sent_to_the_old_address(gql, owner_alice: Persona):
    await gql.data('mutation { requestPasswordReset(email: "alice@example.org") }')
    reset = await last_token("alice@example.org", "reset_password")
    await gql.data(CHANGE, {"email": "alice@new.example", "password": PASSWORD}, token=owner_alice.token)
    await gql.data(VERIFY, {"token": await last_token("alice@new.example", "verify_email")})
    reset_mutation = 'mutation R($t: String!) { resetPassword(token: $t, password: "another passphrase") { token } }'
    error = await gql.error(reset_mutation, {"t": reset})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}


async def test_change_email_is_rate_limited(gql, owner_alice: Persona, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(settings, "RATE_LIMIT_ACCOUNT_EMAIL", "2/hour")
    for i in range(2):
        await gql.data(CHANGE, {"email": f"new{i}@example.org", "password": PASSWORD}, token=owner_alice.token)
    error = await gql.error(CHANGE, {"email": "new9@example.org", "password": PASSWORD}, token=owner_alice.token)
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert await emails_to("new9@example.org") == []


async def test_concurrent_verifications_with_one_token_succeed_once(gql, owner_alice: Persona):
    token = await last_token("alice@example.org", "verify_email")
    answers = await asyncio.gather(*(gql.execute(VERIFY, {"token": token}) for _ in range(4)))
    assert sum("errors" not in answer for answer in answers) == 1, answers


async def test_a_token_is_for_its_own_member_only(gql, owner_alice: Persona):
    # given: bob registers; alice holds bob's link (forwarded, say) and uses it while logged in
    bob = await make_member("bob")
    token = await last_token("bob@example.org", "verify_email")
    data = await gql.data(VERIFY, {"token": token}, token=owner_alice.token)
    # then: bob's address is verified, not alice's, and alice sees nothing of bob's
    assert data["verifyEmail"] == {"username": "bob", "email": None, "emailVerified": None, "pendingEmail": None}
    assert (await Member.get(id=bob.member.id)).email_verified_at is not None
    assert (await me(gql, owner_alice))["emailVerified"] is False
