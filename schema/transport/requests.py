"""What a GraphQL-over-HTTP request asks for: the media type of its answer, its parameters, its operation.

See schema/http.py for how the endpoint answers.
"""

from __future__ import annotations

import json
from typing import Any

from graphql import DocumentNode, GraphQLError, OperationDefinitionNode, get_operation_ast
from graphql import OperationType as GraphQLOperationType
from starlette.requests import Request

import settings
from resolvers.errors import ErrorCode
from schema.execution.limits import parsed_document

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"


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
        retryable: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.headers = headers or {}
        self.extensions: dict[str, Any] = {"code": code.value}
        if field:
            self.extensions["field"] = field
        if retryable:
            self.extensions["retryable"] = True

    def error(self) -> dict[str, Any]:
        return {"message": self.message, "extensions": self.extensions}


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


def parsed(query: str) -> DocumentNode | None:
    """The document, parsed as the schema parses it (one remembered copy for both); None if it does not parse:
    execution reports why."""
    try:
        return parsed_document(query, {"max_tokens": settings.MAX_TOKENS})
    except GraphQLError:
        return None


def count_operations(query: str) -> int:
    """How many operations the document defines."""
    document = parsed(query)
    return sum(isinstance(d, OperationDefinitionNode) for d in document.definitions) if document else 0


def is_mutation(params: GraphQLParams) -> bool:
    document = parsed(params.query)
    operation = get_operation_ast(document, params.operation_name) if document else None
    return operation is not None and operation.operation == GraphQLOperationType.MUTATION
