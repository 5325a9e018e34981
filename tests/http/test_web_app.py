"""The web app served at its stable routes, with its Content-Security-Policy, and its hashed assets.

The servers point WEB_APP_DIR at a small stand-in for Vite's build, so the tests need no npm build.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

import settings
from tests.fixtures.server import Server, start_server, stop_server

INDEX_HTML = '<!doctype html><html><head><script type="module" src="/assets/index-3f2a1b.js"></script></head></html>\n'
ASSET = "/assets/index-3f2a1b.js"
PAGES = [
    "/",
    "/login",
    "/register",
    "/c/neighbours",
    "/c/neighbours/leaderboard",
    "/c/neighbours/badges",
    "/c/neighbours/events",
    "/c/neighbours/tasks",
    "/c/neighbours/manage",
    "/posts/UG9zdDox",
    "/events/RXZlbnQ6MQ",
    "/members/ada",
    "/notifications",
    "/settings",
    "/forgot-password",
    "/reset-password?token=abc",
    "/verify-email?token=abc",
    "/unsubscribe?token=1.digest.abc",  # the page: only its POST unsubscribes
]


@pytest.fixture(scope="module")
async def built_app_server(database: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    build = tmp_path_factory.mktemp("web-app")
    (build / "assets").mkdir()
    (build / "index.html").write_text(INDEX_HTML)
    (build / ASSET.removeprefix("/")).write_text("console.log('cercle')\n")
    server = await start_server(database, WEB_APP_DIR=str(build))
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
async def unbuilt_app_server(database: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    server = await start_server(database, WEB_APP_DIR=str(tmp_path_factory.mktemp("no-build") / "app"))
    yield server
    stop_server(server)


async def get(server: Server, path: str, **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.url) as client:
        return await client.get(path, headers=headers)


def directives(policy: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (d.split() for d in policy.split(";") if d.strip())}


@pytest.mark.parametrize("path", PAGES)
async def test_each_route_serves_the_app_under_its_policy(built_app_server: Server, path: str) -> None:
    response = await get(built_app_server, path)
    assert response.status_code == 200
    assert response.text == INDEX_HTML
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-content-type-options"] == "nosniff"
    policy = directives(response.headers["content-security-policy"])
    assert policy["script-src"] == ["'self'"]  # no inline script, nothing from elsewhere
    assert policy["default-src"] == policy["style-src"] == policy["base-uri"] == policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:"]


async def test_the_policy_lets_the_app_open_its_websocket_in_older_safari_too(built_app_server: Server) -> None:
    response = await get(built_app_server, "/c/neighbours")
    own_websocket = built_app_server.url.replace("http://", "ws://")
    assert directives(response.headers["content-security-policy"])["connect-src"] == ["'self'", own_websocket]


async def test_hashed_assets_are_cached_for_a_year(built_app_server: Server) -> None:
    response = await get(built_app_server, ASSET)
    assert response.status_code == 200
    assert response.text == "console.log('cercle')\n"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-type"].startswith(("text/javascript", "application/javascript"))


@pytest.mark.parametrize("path", ["/nowhere", "/c/neighbours/nowhere", "/posts", "/assets/missing-0000.js"])
async def test_other_paths_are_still_not_found(built_app_server: Server, path: str) -> None:
    assert (await get(built_app_server, path)).status_code == 404


@pytest.mark.parametrize("path", ["/static/app/index.html", "/static/graphiql.html", "/static/app/", "/static/"])
async def test_static_serves_nothing_but_graphiqls_vendor_files(built_app_server: Server, path: str) -> None:
    # The built app and GraphiQL's page are served by their routes, each under its policy: not here without one.
    assert (await get(built_app_server, path)).status_code == 404


async def test_graphiqls_vendor_files_are_served(built_app_server: Server) -> None:
    vendored = settings.ROOT / "static" / "vendor" / "graphiql.min.js"
    if not vendored.exists():
        pytest.skip("GraphiQL is not vendored here (scripts/vendor-graphiql.sh)")
    response = await get(built_app_server, "/static/vendor/graphiql.min.js")
    assert response.status_code == 200
    assert response.content == vendored.read_bytes()


async def test_graphiql_and_health_are_unchanged(built_app_server: Server) -> None:
    graphiql = await get(built_app_server, "/graphql", accept="text/html")
    assert graphiql.status_code == 200
    assert "graphiql" in graphiql.text.lower()
    assert (await get(built_app_server, "/healthz")).json() == {"status": "ok"}
    assert (await get(built_app_server, "/readyz")).status_code == 200


async def test_before_the_build_the_pages_say_how_to_build_it(unbuilt_app_server: Server) -> None:
    response = await get(unbuilt_app_server, "/c/neighbours")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/plain")
    assert "make run" in response.text
    assert (await get(unbuilt_app_server, ASSET)).status_code == 404
