"""GraphiQL in a real (headless) Chromium: it loads, runs queries, and never leaves the server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories import Persona
from tests.fixtures.server import Server, run_node

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = "/tmp/graphiql.png"


async def drive_graphiql(chromium: str, options: dict) -> dict:
    """Runs tests/js/graphiql.mjs with these options and returns its report."""
    assert (ROOT / "static" / "vendor" / "graphiql.min.js").exists(), "run `bash scripts/vendor-graphiql.sh`"
    returncode, stdout, stderr = await run_node(
        "graphiql.mjs", json.dumps({"executablePath": chromium, "timeoutMs": 20000, **options})
    )
    try:
        return json.loads(stdout)
    except ValueError:
        pytest.fail(f"graphiql.mjs printed no report (exit {returncode}): {stderr.decode()[-2000:]}")


async def test_graphiql_runs_queries_offline_in_a_browser(
    live_server: Server, node_modules: Path, chromium: str, public_community, owner_alice: Persona
) -> None:
    # given a member and a public community, when someone opens GraphiQL, looks at the docs,
    # runs the default query, then pastes a token in the headers editor and asks who they are
    report = await drive_graphiql(
        chromium,
        {
            "url": live_server.graphql_url,
            "checkDocs": True,
            "steps": [
                {"expect": '"slug": "python-paris"'},
                {
                    "query": "{ me { username } }",
                    "headers": {"Authorization": f"Bearer {owner_alice.token}"},
                    "expect": '"username": "alice"',
                },
            ],
            "screenshot": SCREENSHOT,
        },
    )

    # then both answers came back, the schema was introspected, and nothing left the server
    assert report["ok"], report["error"]
    first, second = (json.loads(text) for text in report["results"])
    assert first["data"]["communities"]["edges"][0]["node"] == {
        "slug": "python-paris",
        "name": "Python Paris",
        "memberCount": 2,
    }
    assert second == {"data": {"me": {"username": "alice"}}}
    assert "query: Query" in report["docs"] and "mutation: Mutation" in report["docs"]
    assert report["externalRequests"] == []
    assert report["consoleErrors"] == []
