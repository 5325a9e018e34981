"""Costly, deep or malformed queries get a clear error with a code, before any resolver runs."""

import pytest

import settings
from tests.factories import count_queries

NESTED_TOO_DEEP = "{ me { memberships { edges { node { community { members { edges { node { member { memberships { edges { node { role } } } } } } } } } } } } }"  # noqa: E501


async def test_too_deep_query_is_refused(gql, owner_alice):
    with count_queries() as statements:
        error = await gql.error(NESTED_TOO_DEEP, token=owner_alice.token)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "depth" in error["message"]
    assert statements == []


async def test_too_many_aliases_are_refused(gql):
    query = "{ " + " ".join(f"a{i}: me {{ username }}" for i in range(settings.MAX_ALIASES + 1)) + " }"
    error = await gql.error(query)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_aliases_hidden_in_fragments_are_counted(gql):
    aliases = " ".join(f"a{i}: me {{ username }}" for i in range(settings.MAX_ALIASES + 1))
    error = await gql.error("query { ...F } fragment F on Query { " + aliases + " }")
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_too_many_tokens_are_refused(gql):
    query = "{ " + "me { username } " * (settings.MAX_TOKENS // 3) + "}"
    error = await gql.error(query)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_costly_nested_pages_are_refused(gql):
    query = """{ communities(first: 100) { edges { node {
        posts(first: 100) { edges { node { comments(first: 100) { edges { node { body } } } } } } } } } }"""
    error = await gql.error(query)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "limit" in error["message"]


async def test_page_sizes_given_by_variables_count_at_their_maximum(gql):
    query = """query($n: Int) { communities(first: $n) { edges { node {
        posts(first: $n) { edges { node { comments(first: $n) { edges { node { body } } } } } } } } } }"""
    error = await gql.error(query, {"n": 1})
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_an_ordinary_feed_query_is_accepted(gql, public_community):
    data = await gql.data(
        """{ community(slug: "python-paris") { posts(first: 20) { edges { node {
            title author { username } comments(first: 10) { edges { node { body } } } } } } } }"""
    )
    assert data["community"]["posts"]["edges"] == [
        {"node": {"title": "Introducing Bob", "author": {"username": "bob"}, "comments": {"edges": []}}}
    ]


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("{ me { username ", None),  # unparsable
        ("{ nosuchfield }", None),  # invalid
        ("query($n: Int!) { communities(first: $n) { totalCount } }", {"n": "ten"}),  # wrong variable type
        ("query($n: Int!) { communities(first: $n) { totalCount } }", None),  # missing variable
    ],
)
async def test_bad_requests_get_bad_user_input(gql, query, variables):
    error = await gql.error(query, variables)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_unexpected_errors_are_masked_and_logged(gql, owner_alice, monkeypatch, caplog):
    # given: a resolver that fails in a way nobody planned for
    from resolvers import members

    async def broken(*_args, **_kwargs):
        raise RuntimeError("secret detail: connection string postgres://user:pw@db")

    monkeypatch.setattr(members, "member_by_username", broken)
    # when
    error = await gql.error('{ member(username: "alice") { username } }')
    # then: the client sees a code and no detail; the log has the detail
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "secret" not in error["message"]
    assert "secret detail" in caplog.text


async def test_nested_pages_without_first_count_at_the_default_page_size(gql):
    # given: three nested connections without `first`: 20 * 20 * 20 objects
    query = """{ communities { edges { node {
        posts { edges { node { comments { edges { node { body } } } } } } } } } }"""
    # when
    error = await gql.error(query)
    # then
    assert settings.DEFAULT_PAGE_SIZE**3 > settings.MAX_QUERY_COST
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_pages_without_first_hidden_in_fragments_are_counted(gql):
    # given
    query = """{ communities { ...C } }
        fragment C on CommunityConnection { edges { node { ... on Community { posts { ...P } } } } }
        fragment P on PostConnection { edges { node { comments { edges { node { body } } } } } }"""
    # when
    error = await gql.error(query)
    # then
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
