"""The members' and managers' web app: built by Vite from web/ into WEB_APP_DIR, served at its stable routes.

Every route of the app answers the same index.html (the app reads the path itself), never cached, so a new
build is picked up at once; it loads its scripts and styles from /assets/, whose names carry a hash of their
content, so they are cached for a year.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from schema.transport.origins import own_origin

ASSETS_URL = "/assets"  # Vite's default `base: "/"` writes this prefix into index.html
# Stable: emails, digests and the acceptance checks link to them (API.md, "Transport additions").
PAGE_PATHS = (
    "/",
    "/login",
    "/register",
    "/notifications",
    "/c/{slug}",
    "/c/{slug}/leaderboard",
    "/c/{slug}/badges",
    "/c/{slug}/events",
    "/c/{slug}/tasks",
    "/c/{slug}/manage",
    "/posts/{id}",
    "/events/{id}",
    "/members/{username}",
    "/settings",
    "/forgot-password",
    "/reset-password",
    "/verify-email",
    "/unsubscribe",  # the page; its button POSTs to the same path (app.py), which unsubscribes
)
NOT_BUILT = "Cercle's web app is not built yet: run `make run`, which builds it from web/ with npm and Vite.\n"
SECURITY_HEADERS = {"x-content-type-options": "nosniff"}


def content_security_policy(request: Request) -> str:
    """Scripts, styles and connections from Cercle's own origin only; no inline script.

    'self' covers WebSockets to the same host in current browsers (CSP 3), but not in Safari before 16:
    the own origin's ws: or wss: address is named too.
    """
    connect = "'self'"
    origin = own_origin(request)
    if origin:
        connect += " " + origin.replace("http", "ws", 1)
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src {connect}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )


class HashedAssets(StaticFiles):
    """The build's hashed files: a name never changes content, so browsers keep them for a year."""

    async def check_config(self) -> None:
        """No build yet is no error: each asset is a 404 until there is one."""

    def file_response(
        self, full_path: os.PathLike[str] | str, stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers.update({"cache-control": "public, max-age=31536000, immutable", **SECURITY_HEADERS})
        return response


def web_app_routes(directory: Path) -> list[BaseRoute]:
    index = directory / "index.html"

    async def page(request: Request) -> Response:
        if not index.is_file():
            return PlainTextResponse(NOT_BUILT, status_code=503, headers={"cache-control": "no-store"})
        headers = {"cache-control": "no-cache", "content-security-policy": content_security_policy(request)}
        return FileResponse(index, media_type="text/html; charset=utf-8", headers={**headers, **SECURITY_HEADERS})

    return [
        *(Route(path, page, methods=["GET"]) for path in PAGE_PATHS),
        Mount(ASSETS_URL, HashedAssets(directory=directory / "assets", check_dir=False)),
    ]
