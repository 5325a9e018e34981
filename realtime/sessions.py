"""Sessions ended on any process: what this process holds for them (live sockets, cached checks) lets go.

A revocation is announced once, after its transaction commits (a SessionsEndedMessage on the feed every process
follows); each process's hub hands it to the handlers registered here. Should the broker lose it, the per-process
check of sessions (resolvers/members/sessions.py) still refuses the session within SESSION_CHECK_SECONDS.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger("cercle.realtime")

SessionsEndedHandler = Callable[[list[str]], None]
_handlers: list[SessionsEndedHandler] = []


def on_sessions_ended(handler: SessionsEndedHandler) -> None:
    """Call `handler(session_ids)` in this process whenever sessions end on any process."""
    if handler not in _handlers:
        _handlers.append(handler)


def sessions_ended(session_ids: list[str]) -> None:
    for handler in list(_handlers):
        try:
            handler(session_ids)
        except Exception:  # noqa: BLE001 - one handler's failure must not keep the others from running
            logger.exception("a handler of ended sessions failed")
