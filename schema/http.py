"""The GraphQL endpoint: auth, per-request context, and GraphQL-over-HTTP media types."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse

from resolvers.context import Context
from resolvers.security import bearer_token, member_id_from_token

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"
# The request being answered, for content negotiation in `create_response` (same task).
_current_request: ContextVar[Request | None] = ContextVar("current_request", default=None)


def context_for(authorization: str | None, ip: str, request: Any = None) -> Context:
    token = bearer_token(authorization)
    viewer_id = member_id_from_token(token) if token else None
    return Context(viewer_id=viewer_id, token_invalid=bool(token) and viewer_id is None, ip=ip, request=request)


def preferred_media_type(accept: str) -> str:
    """The response type the client prefers; `application/json` for old clients and `*/*`."""
    best, best_q = APPLICATION_JSON, -1.0
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = next((float(p[2:]) for p in params if p.startswith("q=") and p[2:].replace(".", "", 1).isdigit()), 1.0)
        if media in (GRAPHQL_RESPONSE_JSON, APPLICATION_JSON) and q > best_q:
            best, best_q = media, q
    return best


class CercleGraphQL(GraphQL):
    def __init__(self, schema: Any, *, connection_init_timeout_seconds: float, max_subscriptions: int) -> None:
        super().__init__(
            schema,
            connection_init_wait_timeout=timedelta(seconds=connection_init_timeout_seconds),
            max_subscriptions_per_connection=max_subscriptions,
        )

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:  # type: ignore[override]
        ip = request.client.host if request.client else ""
        context = context_for(request.headers.get("authorization"), ip, request)
        context.response = response
        request.state.graphql_context = context
        return context

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        request = _current_request.get()
        accept = request.headers.get("accept", "") if request else ""
        if preferred_media_type(accept) == GRAPHQL_RESPONSE_JSON:
            response.headers["content-type"] = GRAPHQL_RESPONSE_JSON + "; charset=utf-8"
            # A request error (no `data` at all: unparsable or invalid) is the client's fault.
            if isinstance(response_data, dict) and "data" not in response_data and not sub_response.status_code:
                response.status_code = 400
        return response

    async def run(self, request: Request | WebSocket, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        _current_request.set(request if isinstance(request, Request) else None)
        return await super().run(request, *args, **kwargs)
