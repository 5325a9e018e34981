"""The WebSockets of this process by the session that authenticated them, so an ended session closes its sockets.

A session ends (logout, revokeSession, a password change or reset, a suspension, a deleted account) on any
process; the broker tells every process (realtime/sessions.py), and each closes that session's sockets with 4401
Unauthorized. graphql-ws clients treat 4401 as final: they do not reconnect with the same credentials, and hand
the close event to every subscription's error sink (the web app then shows the member as logged out).

Should the broker lose the message (Redis down, or no Redis between processes), each process also checks the
sessions of its open sockets every SESSION_CHECK_SECONDS, in one query, while it has any.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.websockets import WebSocket, WebSocketState

import settings
from realtime.sessions import on_sessions_ended, sessions_ended
from resolvers.members.sessions import ended_among

logger = logging.getLogger("cercle.realtime")

UNAUTHORIZED = 4401  # graphql-transport-ws's close code for an unauthorised socket
SESSION_ENDED = "Your session has ended: log in again."

_by_session: dict[str, set[WebSocket]] = {}
_session_of: dict[WebSocket, str] = {}
_closing: set[asyncio.Task[None]] = set()
_sweeping: asyncio.Task[None] | None = None


def add(session_id: str, websocket: WebSocket) -> None:
    global _sweeping
    discard(websocket)  # a socket that authenticates again (a second connection_init is refused anyway)
    _by_session.setdefault(session_id, set()).add(websocket)
    _session_of[websocket] = session_id
    if _sweeping is None or _sweeping.done():
        _sweeping = asyncio.create_task(_sweep())


async def _sweep() -> None:
    """While this process holds sockets: every SESSION_CHECK_SECONDS, end those whose session ended unannounced."""
    while _by_session:
        await asyncio.sleep(settings.SESSION_CHECK_SECONDS)
        try:
            ended = await ended_among(list(_by_session))
        except Exception:  # noqa: BLE001 - the database may be away for a while: the next round tries again
            logger.warning("could not check the sessions of open sockets", exc_info=True)
            continue
        if ended:
            sessions_ended(ended)  # as if announced: sockets close, cached checks are forgotten


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
