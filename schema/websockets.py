"""GraphQL over WebSocket: Strawberry's handlers for `graphql-transport-ws` and legacy `graphql-ws`.

Two changes to them: every error sent over the socket carries `extensions.code` (and unexpected
ones are masked) as over HTTP, and the per-connection operation cap answers with an error that
has a code.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Any

from graphql import GraphQLError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler

from resolvers.errors import ErrorCode, is_client_error
from schema.errors import with_code


def ws_error(error: GraphQLError) -> GraphQLError:
    """The error with its code, as `ErrorCodes` gives it on HTTP.

    Over WebSocket, Strawberry sends each result while the operation is still running, before
    the `ErrorCodes` extension sees it, so the code is added here; unexpected errors are masked.
    """
    if (error.extensions or {}).get("code"):
        return error
    original = error.original_error
    if isinstance(original, InvalidOperationTypeError):  # e.g. a query on legacy graphql-ws
        return GraphQLError(error.message, error.nodes, extensions={"code": ErrorCode.BAD_USER_INPUT.value})
    if isinstance(original, CannotGetOperationTypeError) or is_client_error(error):
        # Kept as is (graphql-transport-ws closes with 4400 on syntax and operation errors).
        error.extensions = with_code(GraphQLError(error.message)).extensions
        return error
    return with_code(error)  # masked and logged


class WebSocketSchema:
    """The schema as the WebSocket handlers see it: results whose errors all carry a code."""

    def __init__(self, schema: Any) -> None:
        self._schema = schema

    def __getattr__(self, name: str) -> Any:
        return getattr(self._schema, name)

    async def stream(self, *args: Any, **kwargs: Any) -> Any:
        return self._with_codes(await self._schema.stream(*args, **kwargs))

    async def subscribe(self, *args: Any, **kwargs: Any) -> Any:
        return self._with_codes(await self._schema.subscribe(*args, **kwargs))

    @staticmethod
    def _with_codes(results: Any) -> Any:
        if not hasattr(results, "__aiter__"):
            _fix_errors(results)
            return results
        return _fixed_stream(results)


def _fix_errors(result: Any) -> None:
    if getattr(result, "errors", None):
        result.errors = [ws_error(error) for error in result.errors]


async def _fixed_stream(results: AsyncGenerator[Any, None]) -> AsyncGenerator[Any, None]:
    async with aclosing(results):
        async for result in results:
            _fix_errors(result)
            yield result


def _limit_error(limit: int | None) -> dict[str, Any]:
    return {
        "message": f"At most {limit} operations can run at once on one connection: complete one first.",
        "extensions": {"code": ErrorCode.RATE_LIMITED.value},
    }


class TransportWSHandler(BaseGraphQLTransportWSHandler):
    """graphql-transport-ws, with codes on every error."""

    def __init__(self, *, schema: Any, **kwargs: Any) -> None:
        super().__init__(schema=WebSocketSchema(schema), **kwargs)

    async def handle_subscribe(self, message: Any) -> None:
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and limit is not None
            and message["id"] not in self.operations
            and len(self.operations) >= limit
        ):
            await self.send_message({"id": message["id"], "type": "error", "payload": [_limit_error(limit)]})
            return
        await super().handle_subscribe(message)


class LegacyWSHandler(BaseGraphQLWSHandler):
    """Legacy graphql-ws, with codes on every error."""

    def __init__(self, *, schema: Any, **kwargs: Any) -> None:
        super().__init__(schema=WebSocketSchema(schema), **kwargs)

    async def handle_start(self, message: Any) -> None:
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and limit is not None
            and message["id"] not in self.tasks
            and len(self.tasks) >= limit
        ):
            await self.send_message({"id": message["id"], "type": "error", "payload": _limit_error(limit)})
            return
        await super().handle_start(message)
