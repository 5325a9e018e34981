"""Cercle's own origin, and whether a browser request comes from a page on it.

The web app's session cookie is ambient: a browser attaches it to requests from any site. So it only
counts on requests that come from Cercle's own pages (see schema/transport/session.py).
"""

from __future__ import annotations

import re

from starlette.requests import HTTPConnection
from strawberry.http.websocket_origin import normalize_origin

import settings

# What an origin may hold once normalised: it is written into headers (the CSP), so nothing else gets through.
_PLAIN_ORIGIN = re.compile(r"https?://[a-z0-9.\-]+(:\d+)?|https?://\[[0-9a-f:.]+\](:\d+)?")
_HTTP_SCHEMES = {"http": "http", "ws": "http", "https": "https", "wss": "https"}


def own_origin(connection: HTTPConnection) -> str | None:
    """PUBLIC_URL's origin, or else the scheme and Host this request came with (None when unreadable)."""
    if settings.PUBLIC_URL:
        origin = normalize_origin(settings.PUBLIC_URL)
    else:
        scheme = _HTTP_SCHEMES.get(connection.url.scheme, "http")
        host = connection.headers.get("host", "")
        origin = normalize_origin(f"{scheme}://{host}") if host else None
    return origin if origin and _PLAIN_ORIGIN.fullmatch(origin) else None


def is_from_own_origin(connection: HTTPConnection) -> bool:
    """True when a browser says the request comes from one of Cercle's own pages.

    Browsers send `Origin` on every POST and WebSocket handshake; a same-origin GET may lack it, and then
    `Sec-Fetch-Site: same-origin` (sent to https and localhost) says so. Anything else, including clients
    that send neither, is not from Cercle's pages.
    """
    origin = connection.headers.get("origin")
    if origin is None:
        return connection.headers.get("sec-fetch-site") == "same-origin"
    expected = own_origin(connection)
    return expected is not None and normalize_origin(origin) == expected
