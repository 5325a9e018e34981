"""The WebSockets of this process by the session that authenticated them, so an ended session closes its sockets.

A session ends (logout, revokeSession, a password change or reset, a suspension, a deleted account) on any
process; the broker tells every process (realtime/sessions.py), and each closes that session's sockets with 4401
Unauthorized. graphql-ws clients treat 4401 as final: they do not reconnect with the same credentials, and hand
the close event to every subscription's error sink (the web app then shows the member as logged out).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.websockets import WebSocket, WebSocketState

from realtime.sessions import on_sessions_ended

logger = logging.getLogger("cercle.realtime")

UNAUTHORIZED = 4401  # graphql-transport-ws's close code for an unauthorised socket
SESSION_ENDED = "Your session has ended: log in again."

_by_session: dict[str, set[WebSocket]] = {}
_session_of: dict[WebSocket, str] = {}
_closing: set[asyncio.Task[None]] = set()


def add(session_id: str, websocket: WebSocket) -> None:
    discard(websocket)  # a socket that authenticates again (a second connection_init is refused anyway)
    _by_session.setdefault(session_id, set()).add(websocket)
    _session_of[websocket] = session_id


def discard(websocket: WebSocket) -> None:
    session_id = _session_of.pop(websocket, None)
    if session_id is None:
        return
    sockets = _by_session.get(session_id)
    if sockets is not None:
        sockets.discard(websocket)
        if not sockets:
            del _by_session[session_id]


def count() -> int:
    return len(_session_of)


def _close_sessions(session_ids: list[str]) -> None:
    for session_id in session_ids:
        for websocket in list(_by_session.get(session_id, ())):
            discard(websocket)
            task = asyncio.create_task(_close(websocket))
            _closing.add(task)
            task.add_done_callback(_closing.discard)


async def _close(websocket: WebSocket) -> None:
    if websocket.application_state == WebSocketState.DISCONNECTED:
        return
    # Sending the close frame may race the socket's own end (the client left meanwhile): nothing to close then.
    with contextlib.suppress(RuntimeError, OSError):
        await websocket.close(UNAUTHORIZED, SESSION_ENDED)


on_sessions_ended(_close_sessions)
