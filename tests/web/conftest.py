"""The web app's browser tests need it built."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fixtures.server import Server, start_server, stop_server

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def web_app() -> Path:
    index = ROOT / "static" / "app" / "index.html"
    assert index.exists(), "the web app is not built: run `make test` (or `make static/app/.installed`)"
    return index


@pytest.fixture
async def live_server(database: str) -> AsyncIterator[Server]:
    """A server of its own for each browser test. The tests' tables are emptied and their ids start again
    between tests, and a shared server can still hold a live feed of the last test's community or member
    under the same id, whose numbering then drops the new test's events as already delivered."""
    server = await start_server(database, SCHEDULER_IN_WEB="false")
    yield server
    stop_server(server)
