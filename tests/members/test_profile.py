"""updateProfile through the GraphQL API."""

from __future__ import annotations

from tests.factories import Persona

UPDATE_PROFILE = """
mutation Update($input: UpdateProfileInput!) {
  updateProfile(input: $input) { username displayName bio skills experience }
}
"""
MEMBER = "query M($username: String!) { member(username: $username) { displayName bio skills experience } }"


async def test_update_profile_changes_the_given_fields(gql, owner_alice: Persona):
    # given
    variables = {
        "input": {
            "displayName": "  Alice L.  ",
            "bio": "Organiser",
            "skills": ["Rust", "rust", " #Public Speaking "],
            "experience": "Ten years",
        }
    }
    # when
    data = await gql.data(UPDATE_PROFILE, variables, token=owner_alice.token)
    # then
    expected = {"displayName": "Alice L.", "bio": "Organiser", "skills": ["rust", "public-speaking"]}
    assert data["updateProfile"] == {"username": "alice", **expected, "experience": "Ten years"}
    stored = await gql.data(MEMBER, {"username": "alice"})
    assert stored["member"] == {**expected, "experience": "Ten years"}


async def test_update_profile_keeps_absent_fields(gql, owner_alice: Persona):
    # given: alice has skills python and writing, and display name Alice
    # when
    data = await gql.data(UPDATE_PROFILE, {"input": {"bio": "New bio"}}, token=owner_alice.token)
    # then
    assert data["updateProfile"]["displayName"] == "Alice"
    assert data["updateProfile"]["skills"] == ["python", "writing"]


async def test_update_profile_replaces_skills_and_empty_list_clears_them(gql, owner_alice: Persona):
    # given
    await gql.data(UPDATE_PROFILE, {"input": {"skills": ["go"]}}, token=owner_alice.token)
    # when
    data = await gql.data(UPDATE_PROFILE, {"input": {"skills": []}}, token=owner_alice.token)
    # then
    assert data["updateProfile"]["skills"] == []


async def test_update_profile_with_an_empty_bio_and_experience_clears_them(gql, owner_alice: Persona):
    # given
    await gql.data(UPDATE_PROFILE, {"input": {"bio": "Old", "experience": "Old"}}, token=owner_alice.token)
    # when
    data = await gql.data(UPDATE_PROFILE, {"input": {"bio": "", "experience": "  "}}, token=owner_alice.token)
    # then
    assert data["updateProfile"]["bio"] is None
    assert data["updateProfile"]["experience"] is None
    assert (await gql.data(MEMBER, {"username": "alice"}))["member"]["bio"] is None


async def test_update_profile_rejects_bad_input_and_changes_nothing(gql, owner_alice: Persona):
    # given
    cases = [
        ({"bio": "b" * 2001}, "bio"),
        ({"displayName": "   "}, "displayName"),
        ({"skills": [f"s{i}" for i in range(21)]}, "skills"),
        ({"skills": ["x" * 41]}, "skills"),
        ({"experience": "e" * 2001}, "experience"),
    ]
    for profile, field in cases:
        # when
        error = await gql.error(
            UPDATE_PROFILE, {"input": {"displayName": "Changed", **profile}}, token=owner_alice.token
        )
        # then
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    stored = await gql.data(MEMBER, {"username": "alice"})
    assert stored["member"]["displayName"] == "Alice"
    assert stored["member"]["skills"] == ["python", "writing"]


async def test_anonymous_cannot_update_a_profile(gql, owner_alice: Persona):
    # given / when
    error = await gql.error(UPDATE_PROFILE, {"input": {"bio": "anonymous"}})
    # then
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "logged in" in error["message"]


async def test_update_profile_changes_only_the_viewers_own_profile(gql, owner_alice: Persona, member_bob: Persona):
    # given / when
    await gql.data(UPDATE_PROFILE, {"input": {"bio": "Bob's bio"}}, token=member_bob.token)
    # then
    assert (await gql.data(MEMBER, {"username": "alice"}))["member"]["bio"] is None
    assert (await gql.data(MEMBER, {"username": "bob"}))["member"]["bio"] == "Bob's bio"
