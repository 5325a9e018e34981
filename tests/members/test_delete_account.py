"""deleteAccount: personal data goes, posts, comments and points stay, by "a former member"."""

from __future__ import annotations

import asyncio

import pytest

from models.communities import Community, Membership
from models.email import OutgoingEmail
from models.members import AccountToken, Member, MemberSkill, Session
from models.notifications import Notification
from models.points import PointsEntry
from models.posts import Comment, Post, ReactionKind
from resolvers.posts.reactions import do_react
from tests.factories import PASSWORD, Persona, gid, make_comment, make_community, make_post
from tests.members.accounts import emails_to

DELETE = "mutation Delete($password: String!) { deleteAccount(password: $password) }"
REGISTER = "mutation Register($input: RegisterInput!) { register(input: $input) { token } }"
LOGIN = 'mutation Login($login: String!) { login(input: {login: $login, password: "correct horse battery"}) { token } }'
AUTHORS = """
query Authors($id: ID!) {
  post(id: $id) {
    title
    author { username displayName bio skills formerMember }
    comments(first: 10) { edges { node { body author { displayName formerMember } } } }
  }
}
"""
LEADERBOARD = """
query Board($slug: String!) {
  community(slug: $slug) { memberCount leaderboard(period: ALL, first: 10) { points member { formerMember } } }
}
"""


@pytest.fixture
async def bob_contributed(public_community: Community, owner_alice: Persona, member_bob: Persona) -> Post:
    """Bob wrote a post, commented on alice's, reacted, and earned points."""
    post = await make_post(member_bob, public_community, "Bob's question", "How do I…?")
    alices = await make_post(owner_alice, public_community, "Alice's post")
    await make_comment(member_bob, alices, "Bob's comment")
    await make_comment(owner_alice, post, "Alice's answer")
    await do_react(owner_alice.ctx, gid(post), ReactionKind.LIKE, True)
    await do_react(member_bob.ctx, gid(alices), ReactionKind.THANKS, True)
    return post


async def test_deleting_an_account_removes_personal_data(gql, member_bob: Persona, bob_contributed: Post):
    # given: a pending reset link and queued email
    await gql.data('mutation { requestPasswordReset(email: "bob@example.org") }')
    bob_id = member_bob.member.id
    # when
    assert (await gql.data(DELETE, {"password": PASSWORD}, token=member_bob.token)) == {"deleteAccount": True}
    # then: the row keeps nothing personal
    row = await Member.get(id=bob_id)
    assert (row.username, row.email, row.display_name) == (
        f"former.{bob_id}",
        f"former.{bob_id}@invalid",
        f"Former member {bob_id}",
    )
    assert (row.bio, row.experience, row.password_hash, row.email_verified_at) == (None, None, "", None)
    assert row.deleted_at is not None
    for model in (MemberSkill, Session, AccountToken, OutgoingEmail, Notification, Membership):
        assert await model.filter(member_id=bob_id).count() == 0, model.__name__
    assert await OutgoingEmail.filter(to_address="bob@example.org").count() == 0


async def test_a_deleted_account_can_no_longer_log_in_and_frees_its_names(gql, member_bob: Persona):
    await gql.data(DELETE, {"password": PASSWORD}, token=member_bob.token)
    for login in ("bob", "bob@example.org"):
        assert (await gql.error(LOGIN, {"login": login}))["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await gql.data('{ member(username: "bob") { id } }')) == {"member": None}
    # the username and address can be registered again
    await gql.data(REGISTER, {"input": {"username": "bob", "email": "bob@example.org", "password": PASSWORD}})


async def test_posts_and_comments_stay_by_a_former_member(gql, member_bob: Persona, bob_contributed: Post):
    # when
    await gql.data(DELETE, {"password": PASSWORD}, token=member_bob.token)
    # then: bob's post and comment are there, by a former member with a neutral name
    post = (await gql.data(AUTHORS, {"id": gid(bob_contributed)}))["post"]
    bob_id = member_bob.member.id
    assert post["title"] == "Bob's question"
    assert post["author"] == {
        "username": f"former.{bob_id}",
        "displayName": f"Former member {bob_id}",
        "bio": None,
        "skills": [],
        "formerMember": True,
    }
    alices_answer = post["comments"]["edges"][0]["node"]
    assert alices_answer["author"] == {"displayName": "Alice", "formerMember": False}
    assert await Comment.filter(author_id=bob_id, body="Bob's comment").exists()


async def test_points_stay_in_the_ledger_and_the_member_leaves_the_community(
    gql, public_community: Community, member_bob: Persona, bob_contributed: Post
):
    # given
    entries = await PointsEntry.filter(member_id=member_bob.member.id).count()
    assert entries > 0
    before = (await gql.data(LEADERBOARD, {"slug": public_community.slug}))["community"]
    assert len(before["leaderboard"]) == 2
    # when
    await gql.data(DELETE, {"password": PASSWORD}, token=member_bob.token)
    # then: bob's ledger rows stay (the history the boards and reports are sums over); he left the community,
    # so its current board and member count, which list active members (as for a banned member), leave him out
    assert await PointsEntry.filter(member_id=member_bob.member.id).count() == entries
    after = (await gql.data(LEADERBOARD, {"slug": public_community.slug}))["community"]
    assert after["memberCount"] == before["memberCount"] - 1
    assert [entry["member"]["formerMember"] for entry in after["leaderboard"]] == [False]


async def test_a_wrong_password_deletes_nothing(gql, member_bob: Persona):
    error = await gql.error(DELETE, {"password": "not my password"}, token=member_bob.token)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "password"}
    assert (await Member.get(id=member_bob.member.id)).deleted_at is None


async def test_a_huge_password_is_just_wrong(gql, member_bob: Persona):
    error = await gql.error(DELETE, {"password": "x" * 200_000}, token=member_bob.token)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "password"}


async def test_anonymous_cannot_delete_an_account(gql, member_bob: Persona):
    error = await gql.error(DELETE, {"password": PASSWORD})
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_sole_owner_must_hand_the_community_over_first(
    gql, public_community: Community, owner_alice: Persona, member_bob: Persona
):
    # when: alice, the only owner, tries
    error = await gql.error(DELETE, {"password": PASSWORD}, token=owner_alice.token)
    # then: refused, naming the community, and nothing changed
    assert error["extensions"]["code"] == "CONFLICT"
    assert "Python Paris" in error["message"] and "python-paris" in error["message"]
    assert (await Member.get(id=owner_alice.member.id)).deleted_at is None
    # when: she makes bob an owner first
    set_role = 'mutation { setRole(communitySlug: "python-paris", username: "bob", role: OWNER) { role } }'
    await gql.data(set_role, token=owner_alice.token)
    # then: she may go, and bob owns the community
    await gql.data(DELETE, {"password": PASSWORD}, token=owner_alice.token)
    assert (await Member.get(id=owner_alice.member.id)).deleted_at is not None


async def test_two_owners_leaving_at_once_leave_one(
    gql, public_community: Community, owner_alice: Persona, member_bob: Persona
):
    # given: alice and bob own the community
    await gql.data(
        'mutation { setRole(communitySlug: "python-paris", username: "bob", role: OWNER) { role } }',
        token=owner_alice.token,
    )
    # when: both delete their accounts at once
    answers = await asyncio.gather(
        gql.execute(DELETE, {"password": PASSWORD}, token=owner_alice.token),
        gql.execute(DELETE, {"password": PASSWORD}, token=member_bob.token),
    )
    # then: one went, the other was refused, and the community still has an owner
    codes = sorted(a["errors"][0]["extensions"]["code"] if a.get("errors") else "OK" for a in answers)
    assert codes == ["CONFLICT", "OK"], answers
    assert await Membership.filter(community_id=public_community.id, role="OWNER").count() == 1


async def test_an_owner_of_nothing_else_deletes_freely(gql, owner_alice: Persona, member_bob: Persona):
    await make_community(owner_alice, "Alice's own")
    await gql.data(DELETE, {"password": PASSWORD}, token=member_bob.token)  # bob owns nothing


async def test_a_deleted_account_gets_no_more_email(gql, member_bob: Persona):
    await gql.data(DELETE, {"password": PASSWORD}, token=member_bob.token)
    await gql.data('mutation { requestPasswordReset(email: "bob@example.org") }')
    assert await emails_to("bob@example.org") == []


async def test_deleting_ends_every_session(gql, member_bob: Persona):
    # given: bob logged in twice
    other = (await gql.data(LOGIN, {"login": "bob"}))["login"]["token"]
    # when
    await gql.data(DELETE, {"password": PASSWORD}, token=member_bob.token)
    # then: both tokens are refused, and a repeat is refused too
    for token in (member_bob.token, other):
        error = await gql.error("query { notifications(first: 1) { totalCount } }", token=token)
        assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await gql.error(DELETE, {"password": PASSWORD}, token=other))["extensions"]["code"] == "UNAUTHENTICATED"
