"""Live frames written to a socket at once, without awaiting it, as `websockets.broadcast` does.

Awaiting each subscriber's send makes one event cost a task switch per subscriber, and a client that reads
slowly holds its operation until its socket drains. Here a frame goes straight to the connection's transport
(uvicorn's `websockets-sansio` and legacy `websockets` protocols; any other server keeps the awaited send).
A client that leaves more than MAX_UNSENT_BYTES unread is not written to any more: its subscription ends with
the overflow error (`resume: true`), so memory per subscriber stays bounded.

The ASGI middleware RawWebSocketSend keeps the server's own `send` on the scope, below Starlette's wrappers,
and declines permessage-deflate unless settings.WEBSOCKET_COMPRESSION (see its comment for the cost).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, MutableMapping
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.types import ASGIApp, Receive, Scope, Send
from websockets.frames import OP_TEXT
from websockets.protocol import State

import settings
from realtime.errors import ListenerOverflow
from realtime.hub import OVERFLOW_MESSAGE
from schema.execution.sharing import SharedData

RAW_SEND = "cercle.raw_send"
MAX_UNSENT_BYTES = 256 * 1024  # a few events behind; past it the client is dropped and resumes from its cursor


class Written(enum.Enum):
    SENT = "sent"  # or the socket is closing: nothing more to do, its handler ends with it
    FULL = "full"  # nothing written: the client has MAX_UNSENT_BYTES unread
    AWAIT = "await"  # this server cannot write without awaiting: send as usual


class RawWebSocketSend:
    """Outermost middleware: keeps the server's `send` for WebSockets, and settles compression before accept."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[RAW_SEND] = send
            if not settings.WEBSOCKET_COMPRESSION:
                _decline_compression(_protocol(scope))
        await self.app(scope, receive, send)


def write_now(scope: MutableMapping[str, Any], text: bytes, *, bounded: bool = True) -> Written:
    """Writes `text` (UTF-8 JSON) as one text frame, unless the client is too far behind (when `bounded`)."""
    protocol = _protocol(scope)
    if protocol is None:
        return Written.AWAIT
    transport = protocol.transport
    if hasattr(protocol, "conn"):  # websockets-sansio
        if protocol.close_sent or protocol.conn.state is not State.OPEN:
            return Written.SENT
        if bounded and transport.get_write_buffer_size() > MAX_UNSENT_BYTES:
            return Written.FULL
        protocol.conn.send_text(text)
        transport.write(b"".join(protocol.conn.data_to_send()))
        return Written.SENT
    if hasattr(protocol, "write_frame_sync"):  # legacy websockets
        if protocol.state is not State.OPEN:
            return Written.SENT
        if protocol._fragmented_message_waiter is not None:  # never for uvicorn, which sends whole messages
            return Written.AWAIT
        if bounded and transport.get_write_buffer_size() > MAX_UNSENT_BYTES:
            return Written.FULL
        protocol.write_frame_sync(True, OP_TEXT, text)
        return Written.SENT
    return Written.AWAIT


def data_frame(message: Mapping[str, Any]) -> bytes:
    """A `next` (legacy: `data`) message as JSON; a shared result's data is serialised once for every
    subscriber it goes to, so their frames differ only by the operation id."""
    payload = message["payload"]
    data = payload.get("data")
    if isinstance(data, SharedData) and payload.keys() == {"data"}:
        head = b'{"id":' + orjson.dumps(message["id"]) + b',"type":' + orjson.dumps(message["type"])
        return head + b',"payload":{"data":' + data.json() + b"}}"
    return orjson.dumps(message)


def overflow_frames(operation_id: str, kind: str) -> list[bytes]:
    """What a dropped subscriber is told, as when its queue overflows: an error with `resume: true`, then complete."""
    error = GraphQLError(OVERFLOW_MESSAGE, original_error=ListenerOverflow(OVERFLOW_MESSAGE))
    next_message = {"id": operation_id, "type": kind, "payload": {"data": None, "errors": [error.formatted]}}
    return [orjson.dumps(next_message), orjson.dumps({"id": operation_id, "type": "complete"})]


def _protocol(scope: MutableMapping[str, Any]) -> Any:
    """uvicorn's protocol object behind the scope's send, if it is one of the two this module writes to."""
    protocol = getattr(scope.get(RAW_SEND), "__self__", None)
    if protocol is None or getattr(protocol, "transport", None) is None:
        return None
    return protocol if hasattr(protocol, "conn") or hasattr(protocol, "write_frame_sync") else None


def _decline_compression(protocol: Any) -> None:
    """Before accept: the handshake's answer offers no permessage-deflate, and no frame is compressed."""
    if protocol is None:
        return
    if hasattr(protocol, "conn"):  # websockets-sansio negotiated when the request came: undo it
        protocol.conn.extensions = []
        headers = protocol.response.headers
    else:  # legacy websockets negotiates after the app accepts, from the request's headers
        headers = protocol.request_headers
    if "Sec-WebSocket-Extensions" in headers:
        del headers["Sec-WebSocket-Extensions"]
