"""emailPreferences and updateEmailPreferences through GraphQL."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.factories import Persona

PREFERENCES = (
    "query($username: String!) { member(username: $username) { emailPreferences { digest notifications language } } }"
)
ME = "{ me { emailPreferences { digest notifications language } } }"
UPDATE = """
mutation($input: EmailPreferencesInput!) {
  updateEmailPreferences(input: $input) { digest notifications language }
}
"""


async def test_a_member_reads_and_changes_their_preferences(gql: GraphQLClient, member_bob: Persona) -> None:
    before = await gql.data(ME, token=member_bob.token)
    assert before["me"]["emailPreferences"] == {"digest": "WEEKLY", "notifications": "BUNDLED", "language": "en"}

    changed = await gql.data(UPDATE, {"input": {"digest": "DAILY", "language": "fr"}}, token=member_bob.token)
    assert changed["updateEmailPreferences"] == {"digest": "DAILY", "notifications": "BUNDLED", "language": "fr"}

    changed = await gql.data(UPDATE, {"input": {"notifications": "NEVER"}}, token=member_bob.token)
    assert changed["updateEmailPreferences"] == {"digest": "DAILY", "notifications": "NEVER", "language": "fr"}
    after = await gql.data(ME, token=member_bob.token)
    assert after["me"]["emailPreferences"] == changed["updateEmailPreferences"]


async def test_others_preferences_are_hidden(gql: GraphQLClient, member_bob: Persona, owner_alice: Persona) -> None:
    seen = await gql.data(PREFERENCES, {"username": member_bob.username}, token=owner_alice.token)
    assert seen["member"]["emailPreferences"] is None
    anonymous = await gql.data(PREFERENCES, {"username": member_bob.username})
    assert anonymous["member"]["emailPreferences"] is None


async def test_unknown_languages_are_refused_and_nothing_changes(gql: GraphQLClient, member_bob: Persona) -> None:
    for language in ("de", "", "EN", "en\x00", "x" * 100_000):
        error = await gql.error(UPDATE, {"input": {"language": language, "digest": "NEVER"}}, token=member_bob.token)
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "language"}
    after = await gql.data(ME, token=member_bob.token)
    assert after["me"]["emailPreferences"]["digest"] == "WEEKLY"


async def test_an_unknown_frequency_is_refused(gql: GraphQLClient, member_bob: Persona) -> None:
    error = await gql.error(UPDATE, {"input": {"digest": "HOURLY"}}, token=member_bob.token)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_anonymous_cannot_change_preferences(gql: GraphQLClient) -> None:
    error = await gql.error(UPDATE, {"input": {"digest": "NEVER"}})
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
