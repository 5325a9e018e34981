"""Errors of the live feeds that a client sees: an exact message and a code from API.md.

Realtime sits below the resolvers, so these are not their AppError, but they have
its shape: `code`, `message`, `field`, and `extensions` (which graphql-core copies
into the error it sends). The schema layer shows them as it shows AppError (see
schema/execution/errors.py), so a client cannot tell where an error came from.
"""

from __future__ import annotations

from typing import ClassVar


class FeedError(Exception):
    code: ClassVar[str]

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def extensions(self) -> dict[str, object]:
        extensions: dict[str, object] = {"code": self.code}
        if self.field:
            extensions["field"] = self.field
        return extensions


class InvalidCursor(FeedError):
    """Not a cursor of this feed: malformed, of another kind, or of another community."""

    code = "BAD_USER_INPUT"


class CursorExpired(FeedError):
    """Messages after the cursor were deleted by the retention: the client loads the current state again."""

    code = "CURSOR_EXPIRED"


class ListenerOverflow(FeedError):
    """The listener fell too far behind; it should resume from its last cursor."""

    code = "RATE_LIMITED"

    @property
    def extensions(self) -> dict[str, object]:
        return {**super().extensions, "resume": True}
