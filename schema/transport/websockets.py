"""GraphQL over WebSocket: Strawberry's handlers for `graphql-transport-ws` and legacy `graphql-ws`.

The changes to them:

- every frame that is not a well-formed message of the protocol (binary, not JSON, not an
  object, a payload or member of the wrong JSON type) closes the socket with 4400 and a reason,
  in both protocols; Strawberry's handlers would crash on some (close 1006) and ignore others;
- `connection_init` may carry `"payload": null`, as graphql-transport-ws allows;
- close reasons are cut to what a close frame can carry, so closing never fails;
- each client address may hold so many sockets open at once (WebSocketsPerAddress);
- every error sent over the socket carries `extensions.code` (and unexpected ones are masked)
  as over HTTP, and the per-connection operation cap answers with an error that has a code;
- results (`next`, legacy `data`) are written without awaiting the socket, a shared result's JSON made
  once for all its subscribers; a subscriber too far behind is dropped with `resume: true`
  (schema/transport/live_frames.py).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import AsyncGenerator, Callable, Mapping
from contextlib import aclosing
from typing import Any

import orjson
from graphql import GraphQLError, GraphQLFormattedError
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.schema.base import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions.protocols.graphql_transport_ws import types as transport
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    _OperationStreamClosed,
)
from strawberry.subscriptions.protocols.graphql_ws import types as legacy
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler

from resolvers.context import Context
from resolvers.errors import ErrorCode, is_client_error
from schema.execution.errors import with_code
from schema.transport.live_frames import Written, data_frame, overflow_frames, write_now

BAD_MESSAGE = 4400  # graphql-transport-ws's close code for a malformed message; used for legacy too
MAX_CLOSE_REASON_BYTES = 123  # RFC 6455 5.5: control frames carry 125 bytes, 2 of them the code
# A temporary refusal (IANA's registry of close codes): graphql-ws clients retry after a back-off,
# whereas they give up on 44xx codes (and 4429 means "too many connection_init" in graphql-transport-ws).
TRY_AGAIN_LATER = 1013
JsonObject = dict[str, object]
MessageCheck = Callable[[JsonObject], str | None]  # why a message of one type is malformed, or None


class WebSocketsPerAddress:
    """The sockets each client address holds open in this process, up to `limit`."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.counts: Counter[str] = Counter()

    def open(self, address: str) -> bool:
        """Counts one more socket for the address; False (counting nothing) when it holds `limit`."""
        if self.counts[address] >= self.limit:
            return False
        self.counts[address] += 1
        return True

    def close(self, address: str) -> None:
        self.counts[address] -= 1
        if self.counts[address] <= 0:
            del self.counts[address]

    async def refuse(self, websocket: WebSocket, subprotocol: str | None) -> WebSocket:
        """Accepts the handshake only to close it with a reason a client can show (a refused
        handshake tells a browser nothing)."""
        await websocket.accept(subprotocol=subprotocol)
        reason = f"Too many WebSockets from your address (at most {self.limit}): close one, then retry."
        await websocket.close(TRY_AGAIN_LATER, reason)
        return websocket


class MalformedFrame:
    """A frame that is not JSON text, handed to the protocol handler to refuse."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


class FrameAdapter(ASGIWebSocketAdapter):
    """Yields every frame to the handler: JSON values, or MalformedFrame for anything else."""

    async def iter_json(self, *, ignore_parsing_errors: bool = False) -> AsyncGenerator[object, None]:
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    return
                if message.get("text") is None:
                    yield MalformedFrame("WebSocket messages must be text.")
                    continue
                try:
                    yield self.view.decode_json(message["text"])
                except (ValueError, RecursionError):  # not JSON, or nested deeper than the decoder goes
                    yield MalformedFrame("WebSocket messages must be JSON.")
        except WebSocketDisconnect:
            return

    async def close(self, code: int, reason: str) -> None:
        # A close frame carries at most 123 bytes of reason: a longer one (Strawberry quotes operation
        # ids in some) would fail to send, and drop the connection without a close frame.
        await super().close(code, reason.encode()[:MAX_CLOSE_REASON_BYTES].decode(errors="ignore"))


def _object_or_null(value: object) -> bool:
    return value is None or isinstance(value, dict)


def _id_problem(message: JsonObject) -> str | None:
    return None if isinstance(message.get("id"), str) else f"`{message['type']}` needs a string `id`."


def _operation_problem(message: JsonObject) -> str | None:
    """Why a `subscribe` (or legacy `start`) message cannot start an operation."""
    payload = message.get("payload")
    if not isinstance(payload, dict):
        return f"`{message['type']}` needs a `payload` object."
    if not isinstance(payload.get("query"), str):
        return "`payload.query` must be a string."
    if not (_object_or_null(payload.get("variables")) and _object_or_null(payload.get("extensions"))):
        return "`payload.variables` and `payload.extensions` must be objects."
    if not isinstance(payload.get("operationName"), str | None):
        return "`payload.operationName` must be a string."
    return _id_problem(message)


def _message_problem(message: object, checks: Mapping[str, MessageCheck]) -> str | None:
    """Why a frame is not a well-formed message, given the check of each message type; None if it is."""
    if isinstance(message, MalformedFrame):
        return message.reason
    if not isinstance(message, dict):
        return "A message must be a JSON object."
    kind = message.get("type")
    check = checks.get(kind) if isinstance(kind, str) else None
    if check is None:
        return f"Unknown message type: {ascii(kind)[:40]}."
    return check(message)


def _payload_object_or_null(message: JsonObject) -> str | None:
    return None if _object_or_null(message.get("payload")) else f"The payload of `{message['type']}` must be an object."


TRANSPORT_MESSAGES: dict[str, MessageCheck] = {
    "connection_init": _payload_object_or_null,
    "ping": _payload_object_or_null,
    "pong": _payload_object_or_null,
    "subscribe": _operation_problem,
    "complete": _id_problem,
}
LEGACY_MESSAGES: dict[str, MessageCheck] = {
    "connection_init": _payload_object_or_null,
    "connection_terminate": lambda _: None,
    "start": _operation_problem,
    "stop": _id_problem,
}


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

    def __init__(self, schema: BaseSchema) -> None:
        self._schema = schema

    @staticmethod
    def remove_field_suggestion(error: GraphQLError) -> None:
        """The protocol's static method (__getattr__ cannot stand in for one)."""
        BaseSchema.remove_field_suggestion(error)

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


class SubscriberDropped(_OperationStreamClosed):
    """The client left too much unread: its operation ends, told so (Strawberry's handler ends it quietly)."""


def write_result(websocket: Any, message: Any) -> bool:
    """Writes a result message at once; False when it must go the awaited way. Raises SubscriberDropped."""
    try:
        frame = data_frame(message)
    except orjson.JSONEncodeError:
        return False
    scope = websocket.ws.scope
    written = write_now(scope, frame)
    if written is Written.FULL:
        for notice in overflow_frames(message["id"], message["type"]):
            write_now(scope, notice, bounded=False)
        raise SubscriberDropped
    return written is Written.SENT


def _limit_error(limit: int | None) -> GraphQLFormattedError:
    return {
        "message": f"At most {limit} operations can run at once on one connection: complete one first.",
        "extensions": {"code": ErrorCode.RATE_LIMITED.value},
    }


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws, refusing malformed frames, with codes on every error."""

    def __init__(self, *, schema: BaseSchema, **kwargs: Any) -> None:
        super().__init__(schema=WebSocketSchema(schema), **kwargs)

    async def handle_message(self, message: Any) -> None:
        if problem := _message_problem(message, TRANSPORT_MESSAGES):
            await self.handle_invalid_message(problem)
        elif message["type"] == "connection_init" and message.get("payload") is None:
            await super().handle_message(transport.ConnectionInitMessage(type="connection_init", payload={}))
        else:
            await super().handle_message(message)

    async def handle_subscribe(self, message: Any) -> None:
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and limit is not None
            and message["id"] not in self.operations
            and len(self.operations) >= limit
        ):
            error = transport.ErrorMessage(id=message["id"], type="error", payload=[_limit_error(limit)])
            await self.send_message(error)
            return
        await super().handle_subscribe(message)

    async def send_message(self, message: Any) -> None:
        if message["type"] == "next":
            try:
                if write_result(self.websocket, message):
                    return
            except SubscriberDropped:
                self.operations.pop(message["id"], None)
                raise
        await super().send_message(message)


class LegacyWSHandler(BaseGraphQLWSHandler[Context, None]):
    """Legacy graphql-ws, refusing malformed frames, with codes on every error."""

    def __init__(self, *, schema: BaseSchema, **kwargs: Any) -> None:
        super().__init__(schema=WebSocketSchema(schema), **kwargs)

    async def handle_message(self, message: Any) -> None:
        if problem := _message_problem(message, LEGACY_MESSAGES):
            await self.websocket.close(code=BAD_MESSAGE, reason=problem)
        else:
            await super().handle_message(message)

    async def handle_start(self, message: Any) -> None:
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and limit is not None
            and message["id"] not in self.tasks
            and len(self.tasks) >= limit
        ):
            await self.send_message(legacy.ErrorMessage(id=message["id"], type="error", payload=_limit_error(limit)))
            return
        await super().handle_start(message)

    async def handle_async_results(self, operation_id: str, *args: Any) -> None:
        with contextlib.suppress(SubscriberDropped):  # its bookkeeping is released by Strawberry's `finally`
            await super().handle_async_results(operation_id, *args)

    async def send_message(self, message: Any) -> None:
        if message["type"] == "data" and write_result(self.websocket, message):
            return
        await super().send_message(message)
