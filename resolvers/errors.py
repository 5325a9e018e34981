"""Errors a client may see. Anything else is masked as INTERNAL_SERVER_ERROR."""

from __future__ import annotations

from enum import StrEnum

from graphql import GraphQLError


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    CONFLICT = "CONFLICT"
    RATE_LIMITED = "RATE_LIMITED"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    CURSOR_EXPIRED = "CURSOR_EXPIRED"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class AppError(Exception):
    """Base of every error whose message and code are meant for the client."""

    code: ErrorCode = ErrorCode.INTERNAL_SERVER_ERROR

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def extensions(self) -> dict[str, str]:
        extensions = {"code": self.code.value}
        if self.field:
            extensions["field"] = self.field
        return extensions


class Unauthenticated(AppError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(AppError):
    code = ErrorCode.FORBIDDEN


class NotFound(AppError):
    code = ErrorCode.NOT_FOUND


class BadUserInput(AppError):
    code = ErrorCode.BAD_USER_INPUT


class Conflict(AppError):
    code = ErrorCode.CONFLICT


class RateLimited(AppError):
    code = ErrorCode.RATE_LIMITED


class QueryTooComplex(AppError):
    code = ErrorCode.QUERY_TOO_COMPLEX


def is_client_error(error: GraphQLError) -> bool:
    """True for errors whose message is safe to show: ours, and GraphQL's own request errors."""
    original = error.original_error
    if original is None:
        return True  # syntax, validation and variable errors raised by graphql-core itself
    return isinstance(original, AppError | GraphQLError)
