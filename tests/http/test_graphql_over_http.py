"""GraphQL over HTTP: media types, status codes and methods, as clients of the spec expect them.

The conformance audits of npm `graphql-http` run against a real server; the rest goes through
the ASGI stack in-process.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

import settings
from schema.execution.inputs import InputErrorFields
from tests.factories import PASSWORD, Persona
from tests.fixtures.server import Server, run_node

ROOT = Path(__file__).resolve().parents[2]
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"
MODERN = {"accept": GRAPHQL_RESPONSE_JSON}
LEGACY = {"accept": APPLICATION_JSON}
COMMUNITIES = "{ communities(first: 5) { edges { node { slug name memberCount } } } }"
LOGIN = "mutation Login($input: LoginInput!) { login(input: $input) { token } }"
REGISTER = 'mutation { register(input: {username: "zoe", email: "zoe@example.org", password: "%s"}) { token } }'


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


async def post(http: httpx.AsyncClient, body: object, headers: dict[str, str] | None = None) -> httpx.Response:
    return await http.post("/graphql", json=body, headers=headers or {})


# --- the conformance audits ------------------------------------------------------------------


async def test_graphql_http_audits_pass(live_server: Server, node_modules: Path) -> None:
    # given a real server, when graphql-http audits it
    returncode, stdout, stderr = await run_node("audit.mjs", live_server.graphql_url, timeout_seconds=60)
    assert returncode == 0, stderr.decode()
    audits = json.loads(stdout)

    # then every MUST and SHOULD passes
    failing = [
        f"{a['id']} {a['name']} ({a.get('reason')}; got {a.get('responseStatus')})"
        for a in audits
        if a["level"] in ("MUST", "SHOULD") and a["status"] != "ok"
    ]
    assert not failing, "failing GraphQL-over-HTTP audits:\n" + "\n".join(failing)
    levels = [a["level"] for a in audits]
    assert levels.count("MUST") >= 13 and levels.count("SHOULD") >= 23, levels


# --- media types ------------------------------------------------------------------------------


async def test_modern_clients_get_graphql_response_json(http, public_community) -> None:
    response = await post(http, {"query": COMMUNITIES}, MODERN)
    assert response.status_code == 200
    assert media_type(response) == GRAPHQL_RESPONSE_JSON
    assert "accept" in response.headers["vary"].lower()  # caches must not mix the two media types
    assert response.json()["data"]["communities"]["edges"][0]["node"] == {
        "slug": "python-paris",
        "name": "Python Paris",
        "memberCount": 2,
    }


@pytest.mark.parametrize(
    "accept",
    [None, "*/*", APPLICATION_JSON, "application/*", f"{APPLICATION_JSON}, {GRAPHQL_RESPONSE_JSON};q=0.5"],
)
async def test_older_clients_get_application_json(http, accept: str | None) -> None:
    headers = {"accept": accept} if accept else {}
    response = await http.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
    assert response.status_code == 200
    assert media_type(response) == APPLICATION_JSON
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_the_spec_recommended_accept_header_gets_the_new_media_type(http) -> None:
    headers = {"accept": f"{GRAPHQL_RESPONSE_JSON}, {APPLICATION_JSON};q=0.9"}
    response = await post(http, {"query": "{ __typename }"}, headers)
    assert media_type(response) == GRAPHQL_RESPONSE_JSON


async def test_refusing_application_json_explicitly_gets_the_new_media_type(http) -> None:
    response = await post(http, {"query": "{ __typename }"}, {"accept": "application/json;q=0, */*"})
    assert response.status_code == 200
    assert media_type(response) == GRAPHQL_RESPONSE_JSON


async def test_an_accept_header_we_cannot_satisfy_gets_406(http) -> None:
    response = await post(http, {"query": "{ __typename }"}, {"accept": "text/plain"})
    assert response.status_code == 406
    assert "application/graphql-response+json" in response.json()["errors"][0]["message"]


# --- request errors: 400 under the new media type, 200 for older clients -------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"query": "{ communities(first: 5) { edges "}, "Syntax Error"),
        ({"query": "{ noSuchField }"}, "noSuchField"),
        ({"query": "query ($n: Int!) { communities(first: $n) { totalCount } }", "variables": {"n": "ten"}}, "$n"),
        ({"query": "query ($n: Int!) { communities(first: $n) { totalCount } }"}, "$n"),
        ({"query": "query A { __typename } query B { __typename }"}, "operationName"),
        ({"query": "query A { __typename }", "operationName": "B"}, '"B"'),
    ],
    ids=["syntax", "validation", "variable-coercion", "missing-variable", "ambiguous-operation", "unknown-operation"],
)
async def test_request_errors_have_no_data_and_their_status_depends_on_the_media_type(
    http, body: dict, message: str
) -> None:
    modern = await post(http, body, MODERN)
    legacy = await post(http, body, LEGACY)

    assert modern.status_code == 400
    assert media_type(modern) == GRAPHQL_RESPONSE_JSON
    assert legacy.status_code == 200
    assert media_type(legacy) == APPLICATION_JSON
    for response in (modern, legacy):
        assert "data" not in response.json()
        error = response.json()["errors"][0]
        assert message in error["message"]
        assert error["extensions"]["code"] in ("BAD_USER_INPUT", "QUERY_TOO_COMPLEX")


async def test_field_errors_after_execution_began_are_200_with_data(http) -> None:
    # `first` over 100 is refused by the resolver: execution had started, so it's a 200 with data.
    response = await post(http, {"query": "{ me { username } communities(first: 500) { totalCount } }"}, MODERN)
    assert response.status_code == 200
    body = response.json()
    assert "data" in body
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}


# --- malformed requests: 4xx whatever the media type ---------------------------------------------


@pytest.mark.parametrize("headers", [MODERN, LEGACY], ids=["graphql-response+json", "json"])
@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b'{ "query": "{ __typename }"', "not valid JSON"),
        (b"", "empty"),
        (b'{"variables": {}}', "query"),
        (b'{"query": 42}', "`query`"),
        (b'{"query": "{ __typename }", "variables": "{}"}', "`variables`"),
        (b'{"query": "{ __typename }", "variables": [1]}', "`variables`"),
        (b'{"query": "{ __typename }", "operationName": 1}', "`operationName`"),
        (b'{"query": "{ __typename }", "extensions": "x"}', "`extensions`"),
        (b'[{"query": "{ __typename }"}]', "Batched"),
        (b'"{ __typename }"', "JSON object"),
    ],
    ids=[
        "bad-json",
        "empty-body",
        "missing-query",
        "non-string-query",
        "string-variables",
        "list-variables",
        "non-string-operation-name",
        "string-extensions",
        "batch",
        "not-an-object",
    ],
)
async def test_malformed_requests_get_400(http, headers: dict, content: bytes, fragment: str) -> None:
    response = await http.post("/graphql", content=content, headers={**headers, "content-type": "application/json"})
    assert response.status_code == 400
    assert media_type(response) == headers["accept"]
    body = response.json()
    assert "data" not in body
    assert fragment in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
async def test_posts_that_are_not_json_get_415(http, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = await http.post("/graphql", content=b'{"query": "{ __typename }"}', headers=headers)
    assert response.status_code == 415
    assert "application/json" in response.json()["errors"][0]["message"]


async def test_json_with_a_charset_is_accepted(http) -> None:
    response = await http.post(
        "/graphql",
        content=json.dumps({"query": '{ __type(name: "Run🏃Swim🏊") { name } }'}, ensure_ascii=False).encode(),
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"__type": None}}


# --- GET: queries only ----------------------------------------------------------------------------


async def test_queries_over_get_with_json_variables(http, public_community) -> None:
    params = {
        "query": "query Find($slug: String!) { community(slug: $slug) { name } }",
        "variables": json.dumps({"slug": "python-paris"}),
        "operationName": "Find",
    }
    response = await http.get("/graphql?" + urlencode(params), headers=MODERN)
    assert response.status_code == 200
    assert media_type(response) == GRAPHQL_RESPONSE_JSON
    assert response.json() == {"data": {"community": {"name": "Python Paris"}}}


async def test_get_with_variables_that_are_not_json_is_400(http) -> None:
    params = {"query": "query ($n: Int) { communities(first: $n) { totalCount } }", "variables": "{n: 1"}
    response = await http.get("/graphql?" + urlencode(params), headers=LEGACY)
    assert response.status_code == 400
    assert "`variables`" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("headers", [MODERN, LEGACY, {}], ids=["graphql-response+json", "json", "no-accept"])
async def test_mutations_over_get_are_refused_with_405_and_nothing_happens(http, headers: dict) -> None:
    # when someone tries to register over GET
    response = await http.get("/graphql?" + urlencode({"query": REGISTER % PASSWORD}), headers=headers)

    # then it is refused, pointing at POST
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert "POST" in response.json()["errors"][0]["message"]
    # and no account was created
    login = await post(http, {"query": LOGIN, "variables": {"input": {"login": "zoe", "password": PASSWORD}}})
    assert login.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_same_mutation_over_post_works(http) -> None:
    response = await post(http, {"query": REGISTER % PASSWORD}, MODERN)
    assert response.status_code == 200
    assert response.json()["data"]["register"]["token"]


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS"])
async def test_other_methods_get_a_json_405_with_allow(http, method: str) -> None:
    # when: a method GraphQL is not served over (OPTIONS without CORS configured is no preflight)
    response = await http.request(method, "/graphql", json={"query": "{ __typename }"})
    # then: the spec's answer, as JSON like every other answer of the endpoint
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert media_type(response) == APPLICATION_JSON
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_head_gets_the_405_headers_without_a_body(http) -> None:
    response = await http.head("/graphql?query=%7B__typename%7D")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert media_type(response) == APPLICATION_JSON


async def test_a_get_without_query_from_a_program_is_400_not_html(http) -> None:
    response = await http.get("/graphql", headers=LEGACY)
    assert response.status_code == 400
    assert "query" in response.json()["errors"][0]["message"]


async def test_bearer_token_identifies_the_viewer_over_http(http, owner_alice: Persona) -> None:
    headers = {**MODERN, "authorization": f"Bearer {owner_alice.token}"}
    response = await post(http, {"query": "{ me { username } }"}, headers)
    assert response.json() == {"data": {"me": {"username": "alice"}}}


# --- GraphiQL, as a browser asks for it -----------------------------------------------------------


async def test_browsers_get_graphiql_with_only_local_assets(http) -> None:
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = await http.get("/graphql", headers={"accept": browser_accept})
    assert response.status_code == 200
    assert media_type(response) == "text/html"
    page = response.text
    assert "GraphiQL" in page
    assert "http://" not in page and "https://" not in page and "//unpkg" not in page
    for asset in (
        "/static/vendor/react.production.min.js",
        "/static/vendor/react-dom.production.min.js",
        "/static/vendor/graphiql.min.js",
        "/static/vendor/graphiql.min.css",
        "/static/vendor/graphql-ws.min.js",
    ):
        assert asset in page
        served = await http.get(asset)
        assert served.status_code == 200, f"{asset} is not served: run `bash scripts/vendor-graphiql.sh`"
    assert "default-src 'self'" in response.headers["content-security-policy"]


async def test_a_browser_following_a_query_link_gets_json(http) -> None:
    browser_accept = "text/html,application/xhtml+xml,*/*;q=0.8"
    response = await http.get("/graphql?query=%7B__typename%7D", headers={"accept": browser_accept})
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_an_oversized_body_is_refused_with_413(http) -> None:
    body = '{"query": "{ me { username } }", "variables": {"pad": "' + "x" * settings.MAX_BODY_BYTES + '"}}'
    response = await http.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413


async def test_absurdly_nested_json_is_a_bad_request_not_a_crash(http) -> None:
    body = '{"query": "{ me { username } }", "variables": {"a": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    response = await http.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400


async def test_an_unexpected_failure_outside_the_resolvers_is_masked_with_a_code(
    http, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a bug in a schema extension, raised where the error-code extension does not see it
    def bug(self, result) -> None:  # noqa: ANN001
        raise RuntimeError("internal detail: /srv/cercle/settings.py")

    monkeypatch.setattr(InputErrorFields, "_name_fields", bug)
    # when
    response = await http.post("/graphql", json={"query": "{ me { username } }"})
    # then: the client learns nothing of it but that it failed
    assert response.json()["errors"] == [
        {"message": "Internal server error.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
    ]
