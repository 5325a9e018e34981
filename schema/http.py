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
from functools import cached_property, lru_cache
from typing import Any

import orjson
from graphql import DocumentNode, GraphQLError, OperationDefinitionNode, get_operation_ast, parse
from graphql import OperationType as GraphQLOperationType
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET

import settings
from models.idempotency import IdempotentRequest, RequestState
from resolvers import idempotency
from resolvers.context import Context
from resolvers.errors import ErrorCode
from resolvers.security import bearer_token, member_id_from_token
from schema.websockets import FrameAdapter, LegacyWSHandler, TransportWSHandler, WebSocketsPerAddress

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
RETRY_AFTER_SECONDS = 1  # after a lost database connection: the pool opens a new one at once
APPLICATION_JSON = "application/json"
GRAPHIQL_PAGE = settings.ROOT / "static" / "graphiql.html"
# GraphiQL's page loads everything from /static/vendor; the browser refuses anything else.
GRAPHIQL_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def context_for(authorization: str | None, ip: str, request: Any = None) -> Context:
    token = bearer_token(authorization)
    viewer_id = member_id_from_token(token) if token else None
    return Context(viewer_id=viewer_id, token_invalid=bool(token) and viewer_id is None, ip=ip, request=request)


def _accept_entries(accept: str) -> list[tuple[str, float]]:
    """`Accept` as (media type, q) pairs, lower-cased; unparsable q values count as 0."""
    entries = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        entries.append((media.lower(), q))
    return entries


def preferred_media_type(accept: str | None) -> str | None:
    """The response media type for this `Accept` header, or None when we can offer none of them.

    No `Accept` (or an empty one) means `application/json`, as the spec asks of servers
    until clients have moved on; `*/*` and `application/*` also get `application/json`. On a
    tie the newer `application/graphql-response+json` wins.
    """
    if not accept or not accept.strip():
        return APPLICATION_JSON
    explicit: dict[str, float] = {}
    wildcard = 0.0
    for media, q in _accept_entries(accept):
        if media in (GRAPHQL_RESPONSE_JSON, APPLICATION_JSON):
            explicit[media] = max(explicit.get(media, 0.0), q)
        elif media in ("*/*", "application/*"):
            wildcard = max(wildcard, q)
    json_q = explicit.get(APPLICATION_JSON, wildcard)
    # A wildcard stands for application/json, unless the client refused that one explicitly.
    graphql_q = explicit.get(GRAPHQL_RESPONSE_JSON, wildcard if json_q == 0 else 0.0)
    if json_q == graphql_q == 0:
        return None
    return GRAPHQL_RESPONSE_JSON if graphql_q >= json_q else APPLICATION_JSON


def wants_html(accept: str | None) -> bool:
    """A browser navigating to the endpoint (it lists text/html)."""
    return any(media == "text/html" and q > 0 for media, q in _accept_entries(accept or ""))


class BadRequest(Exception):
    """A request refused before it runs (not a well-formed GraphQL-over-HTTP request, ...): always a 4xx."""

    def __init__(
        self,
        message: str,
        status: int = 400,
        headers: dict[str, str] | None = None,
        *,
        code: ErrorCode = ErrorCode.BAD_USER_INPUT,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.headers = headers or {}
        self.code = code
        self.field = field

    def error(self) -> dict[str, Any]:
        extensions = {"code": self.code.value, **({"field": self.field} if self.field else {})}
        return {"message": self.message, "extensions": extensions}


class GraphQLParams:
    __slots__ = ("query", "variables", "operation_name", "extensions")

    def __init__(self, query: str, variables: Any, operation_name: str | None, extensions: Any) -> None:
        self.query = query
        self.variables = variables
        self.operation_name = operation_name
        self.extensions = extensions


def _check_params(query: object, variables: object, operation_name: object, extensions: object) -> GraphQLParams:
    if query is None or query == "":
        raise BadRequest("The request has no GraphQL document: send it in the `query` parameter.")
    if not isinstance(query, str):
        raise BadRequest("The `query` parameter must be a string.")
    if variables is not None and not isinstance(variables, dict):
        raise BadRequest("The `variables` parameter must be an object (a map of variable names to values) or null.")
    if operation_name is not None and not isinstance(operation_name, str):
        raise BadRequest("The `operationName` parameter must be a string or null.")
    if extensions is not None and not isinstance(extensions, dict):
        raise BadRequest("The `extensions` parameter must be an object or null.")
    return GraphQLParams(query, variables, operation_name or None, extensions)


def _json_param(request: Request, name: str) -> object:
    """A GET parameter that carries JSON (`variables`, `extensions`); absent or empty means null."""
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise BadRequest(f"The `{name}` parameter is not valid JSON.") from None


def _single_param(request: Request, name: str) -> str | None:
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise BadRequest(f"The `{name}` parameter is given {len(values)} times; give it once.")
    return values[0] if values else None


async def _read_body(request: Request) -> bytes:
    """The body, refused past MAX_BODY_BYTES without reading the rest into memory."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.MAX_BODY_BYTES:
        raise BadRequest(f"The request body is over {settings.MAX_BODY_BYTES} bytes.", status=413)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > settings.MAX_BODY_BYTES:
            raise BadRequest(f"The request body is over {settings.MAX_BODY_BYTES} bytes.", status=413)
    return bytes(body)


async def read_params(request: Request) -> GraphQLParams:
    """The GraphQL parameters of a GET (query string) or POST (JSON body) request."""
    if request.method == "GET":
        return _check_params(
            _single_param(request, "query"),
            _json_param(request, "variables"),
            _single_param(request, "operationName"),
            _json_param(request, "extensions"),
        )
    content_type = request.headers.get("content-type", "")
    media, *params = (p.strip() for p in content_type.split(";"))
    if media.lower() != APPLICATION_JSON:
        shown = f"`{media}`" if media else "none"
        raise BadRequest(
            f"A GraphQL POST must have `Content-Type: application/json` (this one has {shown}).", status=415
        )
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise BadRequest("GraphQL requests must be encoded in UTF-8.", status=415)
    body = await _read_body(request)
    if not body.strip():
        raise BadRequest("The request body is empty: send a JSON object with a `query`.")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, absurdly deep nesting
        raise BadRequest("The request body is not valid JSON.") from None
    if isinstance(data, list):
        raise BadRequest("Batched requests are not supported: send one JSON object per request.")
    if not isinstance(data, dict):
        raise BadRequest("The request body must be a JSON object with a `query`.")
    return _check_params(data.get("query"), data.get("variables"), data.get("operationName"), data.get("extensions"))


def _parse(query: str) -> DocumentNode | None:
    """The document (None if it does not parse: execution reports why)."""
    try:
        return parse(query, no_location=True, max_tokens=settings.MAX_TOKENS)
    except GraphQLError:
        return None


_parse_cached = lru_cache(maxsize=256)(_parse)


def parsed(query: str) -> DocumentNode | None:
    # Like Strawberry's ParserCache, remember recent documents; but not huge ones.
    return _parse_cached(query) if len(query) <= 20_000 else _parse(query)


def count_operations(query: str) -> int:
    """How many operations the document defines."""
    document = parsed(query)
    return sum(isinstance(d, OperationDefinitionNode) for d in document.definitions) if document else 0


def is_mutation(params: GraphQLParams) -> bool:
    document = parsed(params.query)
    operation = get_operation_ast(document, params.operation_name) if document else None
    return operation is not None and operation.operation == GraphQLOperationType.MUTATION


def is_request_error(result: ExecutionResult) -> bool:
    """True when the request failed before execution began (the response has no `data` entry).

    Parse and validation errors come back as PreExecutionError; variable coercion errors come
    from graphql-core's execute with no data and no path (field errors always have a path).
    """
    if isinstance(result, PreExecutionError):
        return True
    return result.data is None and bool(result.errors) and all(error.path is None for error in result.errors)


def is_unavailable(result: ExecutionResult) -> bool:
    """No data, because the database connection was lost (see schema/errors.py): worth trying again."""
    errors = result.errors or ()
    return result.data is None and bool(errors) and all((e.extensions or {}).get("retryable") for e in errors)


def _error(message: str) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": ErrorCode.BAD_USER_INPUT.value}}


class CercleGraphQL(GraphQL):
    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler
    websocket_adapter_class = FrameAdapter  # type: ignore[assignment]

    def __init__(
        self,
        schema: Any,
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

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:  # type: ignore[override]
        ip = request.client.host if request.client else ""
        context = context_for(request.headers.get("authorization"), ip, request)
        context.response = response
        request.state.graphql_context = context
        return context

    async def on_ws_connect(self, context: Context) -> None:  # type: ignore[override]
        """Authenticate a WebSocket from its connection_init payload; a bad token closes it (4403)."""
        params = context.connection_params or {}
        authorization = params.get("authorization") or params.get("Authorization")
        if not authorization and params.get("authToken"):
            authorization = f"Bearer {params['authToken']}"
        if not isinstance(authorization, str) or not authorization:
            return None
        context.viewer_id = member_id_from_token(bearer_token(authorization) or "")
        if context.viewer_id is None:
            raise ConnectionRejectionError({"message": "Invalid or expired token."})
        context.refresh_loaders()
        return None

    @cached_property
    def graphiql_html(self) -> str:
        return GRAPHIQL_PAGE.read_text(encoding="utf-8")

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(
            self.graphiql_html,
            headers={"content-security-policy": GRAPHIQL_CSP, "cache-control": "no-cache", "vary": "Accept"},
        )

    async def run(self, request: Request | WebSocket, context: Any = UNSET, root_value: Any = UNSET) -> Any:  # type: ignore[override]
        if not self.is_websocket_request(request):
            return await self.handle_http(request)
        address = request.client.host if request.client else ""
        if not self.websockets.open(address):
            return await self.websockets.refuse(request, await self.pick_websocket_subprotocol(request))
        try:
            return await super().run(request, context, root_value)
        finally:
            self.websockets.close(address)

    async def handle_http(self, request: Request) -> Response:
        accept = request.headers.get("accept")
        if request.method not in ("GET", "POST"):
            return self.json_response(
                {"errors": [_error("GraphQL is served over GET (queries) and POST.")]},
                APPLICATION_JSON,
                405,
                {"allow": "GET, POST"},
            )
        if request.method == "GET" and "query" not in request.query_params and wants_html(accept):
            return await self.render_graphql_ide(request)
        media_type = preferred_media_type(accept)
        if media_type is None:
            return self.json_response(
                {"errors": [_error(f"Ask for `{GRAPHQL_RESPONSE_JSON}` or `{APPLICATION_JSON}` in `Accept`.")]},
                APPLICATION_JSON,
                406,
            )
        try:
            params = await read_params(request)
            return await self.answer_once(request, params, media_type)
        except BadRequest as error:
            return self.json_response({"errors": [error.error()]}, media_type, error.status, error.headers)

    async def answer_once(self, request: Request, params: GraphQLParams, media_type: str) -> Response:
        """A member's mutation sent with an `Idempotency-Key` runs once; its repeats get the first answer.

        Keys belong to members: an anonymous request (register, login) runs as if it had none.
        """
        header = request.headers.get("idempotency-key")
        viewer_id = member_id_from_token(bearer_token(request.headers.get("authorization")) or "")
        if header is None or viewer_id is None or request.method != "POST" or not is_mutation(params):
            return await self.execute_http(request, params, media_type)
        key = idempotency.parse_key(header)
        if key is None:
            raise BadRequest(
                f"`Idempotency-Key` must be 1 to {idempotency.MAX_KEY_LENGTH} visible ASCII characters.",
                field="Idempotency-Key",
            )
        fingerprint = idempotency.fingerprint(params.query, params.variables, params.operation_name)
        held = await idempotency.claim(viewer_id, key, fingerprint)
        if not isinstance(held, idempotency.Claim):
            return self.repeat_response(held, fingerprint)
        answer: idempotency.Answer | None = None
        try:
            with idempotency.holding(held):
                response = await self.execute_http(request, params, media_type)
            body = bytes(response.body)
            failed = response.status_code >= 400 or "errors" in orjson.loads(body)
            answer = idempotency.Answer(response.status_code, response.headers["content-type"], body, failed)
        finally:
            await idempotency.settle(held, answer)
        return response

    def repeat_response(self, earlier: IdempotentRequest, fingerprint: str) -> Response:
        if earlier.fingerprint != fingerprint:
            raise BadRequest(
                "This `Idempotency-Key` was used for another request: use a new key for a new request.",
                422,
                field="Idempotency-Key",
            )
        if earlier.state == RequestState.RUNNING:
            raise BadRequest(
                "The request with this `Idempotency-Key` is still running: repeat it in a moment.",
                409,
                {"retry-after": "1"},
                code=ErrorCode.CONFLICT,
            )
        if earlier.state == RequestState.APPLIED:
            raise BadRequest(
                "The request with this `Idempotency-Key` was applied, but its answer was lost: "
                "read the result with a query.",
                409,
                code=ErrorCode.CONFLICT,
            )
        return Response(
            earlier.body,
            status_code=earlier.status_code or 200,
            media_type=earlier.media_type,
            headers={"vary": "Accept", "idempotent-replayed": "true"},
        )

    async def execute_http(self, request: Request, params: GraphQLParams, media_type: str) -> Response:
        sub_response = await self.get_sub_response(request)
        context = await self.get_context(request, response=sub_response)
        root_value = await self.get_root_value(request)
        get = request.method == "GET"
        try:
            if params.operation_name is None and count_operations(params.query) > 1:
                # Strawberry would quietly run the first one; the spec wants a request error.
                raise CannotGetOperationTypeError(None)
            result = await self.schema.execute(
                params.query,
                variable_values=params.variables,
                context_value=context,
                root_value=root_value,
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
            self.encode_json(body),
            status_code=status,
            headers={"vary": "Accept", **(headers or {})},
            media_type=f"{media_type}; charset=utf-8",
        )
