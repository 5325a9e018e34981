"""Who a request authenticates as: a bearer token, or the web app's session cookie.

The web app keeps its token in an HttpOnly cookie, out of reach of any script on the page (an injected one
included). A browser attaches that cookie to requests from every site, so it only counts on requests from
Cercle's own pages (schema/transport/origins.py): another site's page cannot act as the member. Its POSTs
must also carry JSON, which a cross-site form cannot send without a CORS preflight (that Cercle refuses).
Refused, the cookie is simply not read: the request is anonymous, and what needs a member is UNAUTHENTICATED.

A request with an `Authorization` header is authenticated by that header alone, cookie or not. Either way the
token names a session, checked on every request (resolvers/members/sessions.py): logging out, or revoking the
session from another device, ends the cookie's session and the Bearer token's alike.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.responses import Response

import settings
from models.database import DatabaseUnavailable
from resolvers.context import Context
from resolvers.errors import ErrorCode
from resolvers.members.sessions import Authentication, authenticate
from resolvers.security import bearer_token
from schema.transport.origins import is_from_own_origin
from schema.transport.requests import APPLICATION_JSON, BadRequest

SESSION_COOKIE = "cercle_session"


def request_token(connection: HTTPConnection) -> str | None:
    """The token this request (or WebSocket handshake) carries, if any may count."""
    authorization = connection.headers.get("authorization")
    if authorization:
        return bearer_token(authorization)
    token = connection.cookies.get(SESSION_COOKIE)
    if not token or not is_from_own_origin(connection):
        return None
    if connection.scope["type"] == "http" and connection.scope["method"] == "POST" and not _sends_json(connection):
        return None
    return token


async def authenticate_request(connection: HTTPConnection) -> Authentication:
    """Who the request authenticates as, its session checked (once per request: the answer is kept on it)."""
    known = getattr(connection.state, "authentication", None)
    if isinstance(known, Authentication):
        return known
    try:
        known = await authenticate(request_token(connection))
    except DatabaseUnavailable as error:  # the session could not be checked: nothing ran, safe to repeat
        raise BadRequest(
            error.message, 503, {"retry-after": "1"}, code=ErrorCode.INTERNAL_SERVER_ERROR, retryable=True
        ) from None
    connection.state.authentication = known
    return known


def _sends_json(connection: HTTPConnection) -> bool:
    return connection.headers.get("content-type", "").partition(";")[0].strip().lower() == APPLICATION_JSON


def start_session(context: Context, token: str) -> None:
    """Hand the web app its session: the cookie lives as long as the token. Nothing to do on a WebSocket."""
    if isinstance(context.response, Response) and context.request is not None:
        context.response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=settings.TOKEN_TTL_SECONDS,
            path="/",
            secure=_secure(context.request),
            httponly=True,
            samesite="lax",
        )


def end_session(context: Context) -> None:
    if isinstance(context.response, Response) and context.request is not None:
        context.response.delete_cookie(
            SESSION_COOKIE, path="/", secure=_secure(context.request), httponly=True, samesite="lax"
        )


def _secure(connection: HTTPConnection) -> bool:
    return settings.SESSION_COOKIE_SECURE or connection.url.scheme == "https"
