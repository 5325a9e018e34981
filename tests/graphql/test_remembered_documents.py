"""Documents are parsed and validated once and remembered by their text: a document sent again gets the
same answer as the first time, refusals and their codes included."""

import settings
from tests.factories import Persona, count_queries

TOO_MANY_ALIASES = "{ " + " ".join(f"a{i}: me {{ username }}" for i in range(settings.MAX_ALIASES + 1)) + " }"
MEMBER = "query Member($username: String!) { member(username: $username) { username displayName } }"


async def test_a_document_over_a_limit_is_refused_every_time_it_is_sent(gql):
    for _ in range(2):
        with count_queries() as statements:
            error = await gql.error(TOO_MANY_ALIASES)
        assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
        assert statements == []


async def test_a_document_that_does_not_parse_is_refused_with_its_code_every_time(gql):
    errors = [await gql.error("{ me { username ") for _ in range(2)]
    assert errors[0] == errors[1]
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Syntax Error" in errors[0]["message"]


async def test_a_remembered_document_answers_for_the_variables_of_each_request(
    gql, owner_alice: Persona, member_bob: Persona
):
    answers = [await gql.data(MEMBER, {"username": name}) for name in ("alice", "bob", "alice")]
    assert [answer["member"]["displayName"] for answer in answers] == ["Alice", "Bob", "Alice"]


async def test_an_invalid_document_is_refused_every_time_it_is_sent(gql):
    for _ in range(2):
        error = await gql.error("{ me { noSuchField } }")
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert "noSuchField" in error["message"]
