"""Costly, deep or malformed queries get a clear error with a code, before any resolver runs."""

import httpx
import pytest

import settings
from tests.factories import count_queries
from tests.fixtures.server import Server
from tests.graphql.documents import fragment_fan_out

# Refusals take milliseconds; an implementation that expands fragments would take years.
PROMPTLY_SECONDS = 20

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
    from resolvers.members import members

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


# Documents that are small but expand enormously: each limit measures a fragment once


@pytest.mark.parametrize(
    ("on", "leaf", "root"),
    [
        ("Query", "__typename", "{ ...F1 }"),
        ("Query", "a: __typename", "query Aliased { ...F1 }"),
        ("Member", "memberships { totalCount }", "{ me { ...F1 } }"),
    ],
    ids=["on-the-root", "aliases", "on-an-object"],
)
async def test_a_fragment_fan_out_is_refused_promptly(live_server: Server, on: str, leaf: str, root: str):
    # given: under 2 KB, but 2**39 copies of the leaf once fragments are expanded
    document = fragment_fan_out(40, on=on, leaf=leaf, root=root)
    assert len(document) < 2048
    # when
    async with httpx.AsyncClient(timeout=PROMPTLY_SECONDS) as client:
        response = await client.post(live_server.graphql_url, json={"query": document})
        health = await client.get(live_server.url + "/healthz")
    # then
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert health.status_code == 200


async def test_fragments_nested_too_deeply_to_validate_are_too_complex(gql):
    # given: a chain of 200 fragments, each spreading the next (graphql-core stops validating past 200)
    chain = " ".join(f"fragment F{n} on Query {{ ...F{n + 1} }}" for n in range(200))
    # when
    error = await gql.error("{ ...F0 } " + chain + " fragment F200 on Query { __typename }")
    # then
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "fragments nest too deeply" in error["message"]


# Fields repeated at one place: graphql checks every pair of them can merge


async def test_a_field_repeated_hundreds_of_times_is_refused(gql):
    # given: 490 times the same field, within the token limit
    query = "{ " + "me { id } " * 490 + "}"
    # when
    error = await gql.error(query)
    # then
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "same fields" in error["message"]


async def test_repeats_below_repeats_are_counted(gql):
    # given: ten `me`, each with ten `memberships`: a hundred memberships at one place once merged
    query = "{ " + ("me { " + "memberships { totalCount } " * 10 + "} ") * 10 + "}"
    # when
    error = await gql.error(query)
    # then
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "same fields" in error["message"]


async def test_many_fragments_on_one_object_are_accepted(gql, public_community):
    # given: a feed built from twenty components' fragments, each asking for the post's id and author,
    # as a client with colocated fragments (and __typename added to each selection) sends it
    fragments = " ".join(
        f"fragment Post{n} on Post {{ __typename id title author {{ __typename id username }} }}" for n in range(20)
    )
    spreads = " ".join(f"...Post{n}" for n in range(20))
    feed = f"posts(first: 20) {{ edges {{ node {{ __typename id {spreads} }} }} }}"
    query = f'{{ community(slug: "python-paris") {{ {feed} }} }} {fragments}'
    # when
    data = await gql.data(query)
    # then
    node = data["community"]["posts"]["edges"][0]["node"]
    assert node["title"] == "Introducing Bob" and node["author"]["username"] == "bob"
