"""The request context: who is asking, and the per-request dataloaders."""

from __future__ import annotations

from typing import Any

from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.websockets import WebSocket

from models.members import Member
from resolvers.errors import Unauthenticated


class Context:
    """One per HTTP request, and one per delivered event on a WebSocket (fresh loaders)."""

    def __init__(
        self,
        *,
        viewer_id: int | None,
        token_invalid: bool = False,
        ip: str = "",
        request: HTTPConnection | None = None,
        session_id: str | None = None,
    ) -> None:
        from resolvers.loaders import Loaders

        self.viewer_id = viewer_id
        self.session_id = session_id  # the session the token names (see resolvers/members/sessions.py)
        self.token_invalid = token_invalid
        self.ip = ip
        self.request = request
        self.response: Response | WebSocket | None = None
        self.loaders = Loaders(viewer_id)
        self.operation_name: str | None = None
        self.connection_params: dict[str, Any] | None = None  # WebSocket connection_init payload

    async def viewer(self) -> Member | None:
        if self.viewer_id is None:
            return None
        return await self.loaders.member_by_id.load(self.viewer_id)

    async def require_viewer(self) -> Member:
        member = await self.viewer()
        if member is None:
            if self.token_invalid:
                raise Unauthenticated("Your token is invalid or has expired, or its session has ended: log in again.")
            raise Unauthenticated("You must be logged in to do this.")
        return member

    def set_response_header(self, name: str, value: str) -> None:
        """A header on the HTTP answer (a WebSocket message has none: nothing to do)."""
        if isinstance(self.response, Response):
            self.response.headers[name] = value

    def refresh_loaders(self) -> None:
        """Forget cached rows: a WebSocket keeps one context for its life, so each event starts fresh."""
        from resolvers.loaders import Loaders

        self.loaders = Loaders(self.viewer_id)
