"""The GraphQL endpoint: auth, per-request context, GraphQL-over-HTTP and the offline GraphiQL page.

HTTP follows the GraphQL-over-HTTP spec (https://graphql.github.io/graphql-over-http/draft/):

- the response media type is negotiated from `Accept`: `application/graphql-response+json`
  when the client asks for it, `application/json` for older clients, `*/*` and no `Accept`;
  406 when neither is acceptable;
- a request that is not a well-formed GraphQL-over-HTTP request (bad JSON body, missing or
  non-string `query`, `variables`/`extensions` that are not objects, unsupported
  `Content-Type`) is refused with a 4xx whatever the media type;
- a GraphQL request error (document that fails to parse or validate, variables that fail
  coercion, unknown operation) answers 400 under `application/graphql-response+json` and 200
  under `application/json`; in both cases the body has `errors` and no `data` entry;
- once execution has started the answer is 200, with `data` (possibly null) and any field
  errors; except that under `application/graphql-response+json` a null `data` because the
  database connection was lost (errors with `extensions.retryable`) answers 503 with
  `Retry-After`, as a server that cannot answer for now;
- GET runs queries only: a mutation over GET is refused with 405 and `Allow: POST`.

WebSocket subscriptions (`graphql-transport-ws` and legacy `graphql-ws`) are served on the same
path by the handlers of schema/websockets.py.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from functools import cached_property
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.schema.base import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET

import settings
from models.database import DatabaseUnavailable
from resolvers.context import Context
from resolvers.errors import ErrorCode
from resolvers.members.sessions import authenticate
from resolvers.security import bearer_token
from schema.execution.errors import with_code
from schema.transport import live_sockets
from schema.transport.idempotent import answer_once
from schema.transport.requests import (
    APPLICATION_JSON,
    GRAPHQL_RESPONSE_JSON,
    BadRequest,
    GraphQLParams,
    count_operations,
    preferred_media_type,
    read_params,
    wants_html,
)
from schema.transport.session import authenticate_request
from schema.transport.websockets import FrameAdapter, LegacyWSHandler, TransportWSHandler, WebSocketsPerAddress

RETRY_AFTER_SECONDS = 1  # after a lost database connection: the pool opens a new one at once
GRAPHIQL_PAGE = settings.ROOT / "static" / "graphiql.html"
# GraphiQL's page loads everything from /static/vendor; the browser refuses anything else.
GRAPHIQL_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


async def context_for(request: HTTPConnection) -> Context:
    ip = request.client.host if request.client else ""
    auth = await authenticate_request(request)
    return Context(
        viewer_id=auth.viewer_id, session_id=auth.session_id, token_invalid=auth.token_invalid, ip=ip, request=request
    )


def encode_body(body: Any) -> bytes:
    """orjson, several times faster than the json module on a page of results. A string orjson refuses (a lone
    surrogate quoted back in an error message) goes through the json module, which escapes it."""
    try:
        return orjson.dumps(body)
    except orjson.JSONEncodeError:
        return json.dumps(body, separators=(",", ":")).encode()


def is_request_error(result: ExecutionResult) -> bool:
    """True when the request failed before execution began (the response has no `data` entry).

    Parse and validation errors come back as PreExecutionError; variable coercion errors come
    from graphql-core's execute with no data and no path (field errors always have a path).
    """
    if isinstance(result, PreExecutionError):
        return True
    errors = result.errors or ()
    return result.data is None and bool(errors) and all(error.path is None for error in errors)


def is_unavailable(result: ExecutionResult) -> bool:
    """No data, because the database connection was lost (see schema/errors.py): worth trying again."""
    errors = result.errors or ()
    return result.data is None and bool(errors) and all((e.extensions or {}).get("retryable") for e in errors)


class CercleGraphQL(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler
    websocket_adapter_class = FrameAdapter

    def __init__(
        self,
        schema: BaseSchema,
        *,
        connection_init_timeout_seconds: float,
        max_subscriptions: int,
        max_websockets_per_address: int,
        allowed_origins: Sequence[str],
    ) -> None:
        """`allowed_origins`: the other sites whose pages may open WebSockets (Strawberry refuses the
        handshake of any other page with 403); the same list as CORS's."""
        super().__init__(
            schema,
            connection_init_wait_timeout=timedelta(seconds=connection_init_timeout_seconds),
            max_subscriptions_per_connection=max_subscriptions,
            allowed_origins=allowed_origins,
        )
        self.websockets = WebSocketsPerAddress(max_websockets_per_address)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        context = await context_for(request)
        context.response = response
        request.state.graphql_context = context
        return context

    async def on_ws_connect(self, context: Context) -> None:
        """Authenticate a WebSocket from its connection_init payload (a bad token closes it: 4403); without
        one, the session cookie of the handshake, if it came from Cercle's own pages, stays in force. Either way
        the socket is filed under its session, whose end closes it (schema/transport/live_sockets.py)."""
        params = context.connection_params or {}
        authorization = params.get("authorization") or params.get("Authorization")
        if not authorization and params.get("authToken"):
            authorization = f"Bearer {params['authToken']}"
        if isinstance(authorization, str) and authorization:
            try:
                auth = await authenticate(bearer_token(authorization) or "-")
            except DatabaseUnavailable:  # 4403 too: graphql-ws clients retry it (a 4401 they would not)
                raise ConnectionRejectionError({"message": "The session could not be checked: try again."}) from None
            if auth.viewer_id is None:
                raise ConnectionRejectionError({"message": "Invalid or expired token, or its session has ended."})
            context.viewer_id, context.session_id = auth.viewer_id, auth.session_id
            context.refresh_loaders()
        if context.session_id is not None and isinstance(context.response, WebSocket):
            live_sockets.add(context.session_id, context.response)
        return None

    @cached_property
    def graphiql_html(self) -> str:
        return GRAPHIQL_PAGE.read_text(encoding="utf-8")

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(
            self.graphiql_html,
            headers={"content-security-policy": GRAPHIQL_CSP, "cache-control": "no-cache", "vary": "Accept"},
        )

    async def run(self, request: Request | WebSocket, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        if not isinstance(request, WebSocket):
            return await self.handle_http(request)
        address = request.client.host if request.client else ""
        if not self.websockets.open(address):
            return await self.websockets.refuse(request, await self.pick_websocket_subprotocol(request))
        try:
            return await super().run(request, context, root_value)
        finally:
            self.websockets.close(address)
            live_sockets.discard(request)

    async def handle_http(self, request: Request) -> Response:
        accept = request.headers.get("accept")
        if request.method not in ("GET", "POST"):
            return self.json_response(
                {"errors": [BadRequest("GraphQL is served over GET (queries) and POST.").error()]},
                APPLICATION_JSON,
                405,
                {"allow": "GET, POST"},
            )
        if settings.GRAPHIQL and request.method == "GET" and "query" not in request.query_params and wants_html(accept):
            return await self.render_graphql_ide(request)
        media_type = preferred_media_type(accept)
        if media_type is None:
            return self.json_response(
                {
                    "errors": [
                        BadRequest(f"Ask for `{GRAPHQL_RESPONSE_JSON}` or `{APPLICATION_JSON}` in `Accept`.").error()
                    ]
                },
                APPLICATION_JSON,
                406,
            )
        try:
            params = await read_params(request)
            return await answer_once(request, params, lambda: self.execute_http(request, params, media_type))
        except BadRequest as error:
            return self.json_response({"errors": [error.error()]}, media_type, error.status, error.headers)

    async def execute_http(self, request: Request, params: GraphQLParams, media_type: str) -> Response:
        sub_response = await self.get_sub_response(request)
        context = await self.get_context(request, response=sub_response)
        get = request.method == "GET"
        try:
            if params.operation_name is None and count_operations(params.query) > 1:
                # Strawberry would quietly run the first one; the spec wants a request error.
                raise CannotGetOperationTypeError(None)
            result = await self.schema.execute(
                params.query,
                variable_values=params.variables,
                context_value=context,
                root_value=None,
                operation_name=params.operation_name,
                allowed_operation_types={OperationType.QUERY} if get else {OperationType.QUERY, OperationType.MUTATION},
                operation_extensions=params.extensions,
            )
        except InvalidOperationTypeError as error:
            if error.operation_type == OperationType.MUTATION:
                raise BadRequest(
                    "Mutations are not allowed over GET: send them with POST.", 405, {"allow": "POST"}
                ) from None
            raise BadRequest("Subscriptions are served over WebSocket at /graphql (graphql-transport-ws).") from None
        except CannotGetOperationTypeError as error:
            if error.operation_name:
                message = f'Unknown operation named "{error.operation_name}".'
            elif count_operations(params.query) > 1:
                message = "The document has several operations: choose one with `operationName`."
            else:
                message = "The document has no operation to run."
            error_extensions = {"code": ErrorCode.BAD_USER_INPUT.value}
            result = PreExecutionError(data=None, errors=[GraphQLError(message, extensions=error_extensions)])
        except MissingQueryError:  # pragma: no cover - read_params refuses these first
            raise BadRequest("The request has no GraphQL document: send it in the `query` parameter.") from None

        if result.errors:
            # ErrorCodes misses what an extension raises outside the operation it wraps: none leaves without a code.
            result.errors = [with_code(error) for error in result.errors]
        body = await self.process_result(request, result)
        if result.errors:
            self._handle_errors(result.errors, body)
        status = 200
        if is_request_error(result):
            body.pop("data", None)  # no execution happened, so no data entry at all
            if media_type == GRAPHQL_RESPONSE_JSON:
                server_fault = any(
                    (e.extensions or {}).get("code") == ErrorCode.INTERNAL_SERVER_ERROR and not e.locations
                    for e in result.errors or ()
                )
                status = 500 if server_fault else 400
        elif media_type == GRAPHQL_RESPONSE_JSON and is_unavailable(result):
            # Nothing was answered: tell HTTP clients and proxies too (`application/json` keeps its 200).
            status = 503
            sub_response.headers["retry-after"] = str(RETRY_AFTER_SECONDS)
        response = self.json_response(body, media_type, sub_response.status_code or status)
        response.headers.raw.extend(
            (k, v) for k, v in sub_response.headers.raw if k.lower() not in (b"content-type", b"content-length")
        )
        if sub_response.background:
            response.background = sub_response.background
        return response

    def json_response(
        self, body: Any, media_type: str, status: int = 200, headers: dict[str, str] | None = None
    ) -> Response:
        return Response(
            encode_body(body),
            status_code=status,
            headers={"vary": "Accept", **(headers or {})},
            media_type=f"{media_type}; charset=utf-8",
        )
