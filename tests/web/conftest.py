"""The web app's browser tests need it built."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def web_app() -> Path:
    index = ROOT / "static" / "app" / "index.html"
    assert index.exists(), "the web app is not built: run `make test` (or `make static/app/.installed`)"
    return index
