"""Site administration: suspending accounts, who may create communities, and `manage.py createadmin`."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime

import pytest

import settings
from models.members import Member, Session
from tests.conftest import TEST_DATABASE_URL
from tests.factories import PASSWORD, Persona, make_member
from tests.fixtures.server import ROOT

SUSPEND = "mutation S($u: String!) { suspendAccount(username: $u) { username suspended } }"
UNSUSPEND = "mutation U($u: String!) { unsuspendAccount(username: $u) { username suspended } }"
LOGIN = (
    "mutation L($login: String!, $password: String!) { login(input: {login: $login, password: $password}) { token } }"
)
ME = "{ me { username } }"
CREATE = 'mutation { createCommunity(input: {name: "New Circle", visibility: PUBLIC, joinPolicy: OPEN}) { slug } }'


@pytest.fixture
async def admin() -> Persona:
    persona = await make_member("root")
    await Member.filter(id=persona.member.id).update(is_admin=True)
    return persona


async def test_a_site_admin_suspends_an_account_its_sessions_end_and_login_is_refused(
    gql, admin: Persona, member_bob: Persona
):
    # given: bob is logged in
    assert (await gql.data(ME, token=member_bob.token))["me"] == {"username": "bob"}
    # when
    suspended = await gql.data(SUSPEND, {"u": "Bob"}, token=admin.token)
    # then
    assert suspended["suspendAccount"] == {"username": "bob", "suspended": True}
    assert (await gql.data(ME, token=member_bob.token))["me"] is None
    assert not await Session.filter(member_id=member_bob.member.id, revoked_at__isnull=True).exists()
    refused = await gql.error(LOGIN, {"login": "bob", "password": PASSWORD})
    assert refused["extensions"]["code"] == "FORBIDDEN" and "suspended" in refused["message"]
    wrong = await gql.error(LOGIN, {"login": "bob", "password": "not the password at all"})
    assert wrong["extensions"]["code"] == "UNAUTHENTICATED"  # the suspension is told only to who knows the password
    seen_by_admin = await gql.data('{ member(username: "bob") { suspended } }', token=admin.token)
    assert seen_by_admin["member"]["suspended"] is True


async def test_lifting_a_suspension_lets_the_member_log_in_again(gql, admin: Persona, member_bob: Persona):
    # given
    await gql.data(SUSPEND, {"u": "bob"}, token=admin.token)
    # when
    lifted = await gql.data(UNSUSPEND, {"u": "bob"}, token=admin.token)
    # then
    assert lifted["unsuspendAccount"] == {"username": "bob", "suspended": False}
    token = (await gql.data(LOGIN, {"login": "bob", "password": PASSWORD}))["login"]["token"]
    assert (await gql.data(ME, token=token))["me"] == {"username": "bob"}
    assert (await gql.data(ME, token=member_bob.token))["me"] is None  # the old sessions stay ended


async def test_only_site_admins_suspend(gql, owner_alice: Persona, member_bob: Persona):
    # given / when
    error = await gql.error(SUSPEND, {"u": "bob"}, token=owner_alice.token)
    anonymous = await gql.error(SUSPEND, {"u": "bob"})
    # then
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await gql.data(ME, token=member_bob.token))["me"] == {"username": "bob"}
    hidden = await gql.data('{ member(username: "bob") { suspended } }', token=owner_alice.token)
    assert hidden["member"]["suspended"] is None


@pytest.mark.parametrize("username", ["nobody", "", "x" * 100_000, "bob\u0000", "../bob"])
async def test_suspending_an_unknown_member_is_not_found(gql, admin: Persona, member_bob: Persona, username: str):
    # given / when
    error = await gql.error(SUSPEND, {"u": username}, token=admin.token)
    # then
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_an_admin_cannot_suspend_themselves(gql, admin: Persona):
    # given / when
    error = await gql.error(SUSPEND, {"u": "root"}, token=admin.token)
    # then
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "username"}


async def test_suspending_twice_keeps_the_first_date(gql, admin: Persona, member_bob: Persona):
    # given
    await gql.data(SUSPEND, {"u": "bob"}, token=admin.token)
    first = (await Member.get(id=member_bob.member.id)).suspended_at
    # when
    again = await gql.data(SUSPEND, {"u": "bob"}, token=admin.token)
    # then
    assert again["suspendAccount"]["suspended"] is True
    assert (await Member.get(id=member_bob.member.id)).suspended_at == first


async def test_is_admin_is_told_to_the_member_only(gql, admin: Persona, member_bob: Persona):
    # given / when
    own = await gql.data("{ me { isAdmin } }", token=admin.token)
    other = await gql.data('{ member(username: "root") { isAdmin } }', token=member_bob.token)
    # then
    assert own["me"]["isAdmin"] is True
    assert other["member"]["isAdmin"] is None


async def test_verified_policy_asks_unverified_members_to_verify(
    gql, owner_alice: Persona, monkeypatch: pytest.MonkeyPatch
):
    # given
    monkeypatch.setattr(settings, "COMMUNITY_CREATORS", "verified")
    # when
    refused = await gql.error(CREATE, token=owner_alice.token)
    await Member.filter(id=owner_alice.member.id).update(email_verified_at=datetime.now(UTC))
    created = await gql.data(CREATE, token=owner_alice.token)
    # then
    assert refused["extensions"]["code"] == "FORBIDDEN" and "Verify your email address" in refused["message"]
    assert created["createCommunity"]["slug"] == "new-circle"


async def test_admins_policy_lets_only_site_admins_create(
    gql, owner_alice: Persona, admin: Persona, monkeypatch: pytest.MonkeyPatch
):
    # given: alice's address is verified, which is not enough
    monkeypatch.setattr(settings, "COMMUNITY_CREATORS", "admins")
    await Member.filter(id=owner_alice.member.id).update(email_verified_at=datetime.now(UTC))
    # when
    refused = await gql.error(CREATE, token=owner_alice.token)
    created = await gql.data(CREATE, token=admin.token)
    # then
    assert refused["extensions"]["code"] == "FORBIDDEN" and "administrators" in refused["message"]
    assert created["createCommunity"]["slug"] == "new-circle"


async def test_anyone_policy_lets_unverified_members_create(gql, owner_alice: Persona, monkeypatch: pytest.MonkeyPatch):
    # given / when
    monkeypatch.setattr(settings, "COMMUNITY_CREATORS", "anyone")
    created = await gql.data(CREATE, token=owner_alice.token)
    # then
    assert created["createCommunity"]["slug"] == "new-circle"


async def createadmin(*args: str) -> tuple[int, str]:
    """`python manage.py createadmin …` against the test database, without a terminal; (exit code, output)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "manage.py",
        "createadmin",
        "--database-url",
        TEST_DATABASE_URL,
        *args,
        cwd=ROOT,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, output.decode()


async def test_createadmin_makes_an_existing_member_a_site_admin(gql, owner_alice: Persona):
    # given / when
    code, output = await createadmin("--username", "alice")
    # then
    assert code == 0, output
    assert "alice" in output
    assert (await gql.data("{ me { isAdmin } }", token=owner_alice.token))["me"]["isAdmin"] is True


async def test_createadmin_finds_a_member_by_email(gql, owner_alice: Persona):
    # given / when
    code, output = await createadmin("--email", "ALICE@example.org")
    # then
    assert code == 0, output
    assert (await Member.get(id=owner_alice.member.id)).is_admin


async def test_createadmin_creates_an_account_that_can_log_in_and_administer(gql, member_bob: Persona):
    # given / when
    code, output = await createadmin("--username", "chief", "--email", "chief@example.org", "--password", PASSWORD)
    # then
    assert code == 0, output
    token = (await gql.data(LOGIN, {"login": "chief", "password": PASSWORD}))["login"]["token"]
    assert (await gql.data(SUSPEND, {"u": "bob"}, token=token))["suspendAccount"]["suspended"] is True
    listed = (await gql.data("{ me { sessions { id } } }", token=token))["me"]["sessions"]
    assert len(listed) == 1  # the login's; none left over from the command's registration


async def test_createadmin_without_a_password_and_no_terminal_says_what_is_missing(database):
    # given / when
    code, output = await createadmin("--username", "ghost", "--email", "ghost@example.org")
    # then
    assert code != 0
    assert "--password" in output
    assert not await Member.filter(username="ghost").exists()


async def test_createadmin_refuses_a_bad_new_account(database):
    # given / when
    code, output = await createadmin("--username", "shorty", "--email", "shorty@example.org", "--password", "short")
    # then
    assert code != 0
    assert "password" in output
    assert not await Member.filter(username="shorty").exists()
