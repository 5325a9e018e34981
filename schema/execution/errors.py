"""Every error leaves with a code from API.md; unexpected ones are masked and logged."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from models.database import DatabaseUnavailable
from realtime.errors import FeedError
from resolvers.errors import ErrorCode, is_client_error
from schema.execution.limits import TOO_MANY_TOKENS_MARKER

logger = logging.getLogger("cercle.errors")
MASKED_MESSAGE = "Internal server error."


def with_code(error: GraphQLError) -> GraphQLError:
    if isinstance(error.original_error, DatabaseUnavailable):
        return database_unavailable(error, error.original_error)
    if not (is_client_error(error) or isinstance(error.original_error, FeedError)):
        logger.error("unexpected error at %s", error.path, exc_info=error.original_error)
        return GraphQLError(
            MASKED_MESSAGE,
            error.nodes,
            path=error.path,
            extensions={"code": ErrorCode.INTERNAL_SERVER_ERROR.value},
        )
    if (error.extensions or {}).get("code"):
        return error
    message = error.message
    code = ErrorCode.QUERY_TOO_COMPLEX if TOO_MANY_TOKENS_MARKER in message else ErrorCode.BAD_USER_INPUT
    extensions = {**(error.extensions or {}), "code": code.value}
    return GraphQLError(
        message, error.nodes, error.source, error.positions, error.path, error.original_error, extensions
    )


def database_unavailable(error: GraphQLError, lost: DatabaseUnavailable) -> GraphQLError:
    """Not a bug to mask: the database connection went (a restart, a failover). Said plainly, with whether
    trying again is safe; API.md has no code for it, so INTERNAL_SERVER_ERROR with `retryable`."""
    logger.warning("database unavailable at %s: %s", error.path, lost.__cause__ or lost)
    extensions = {"code": ErrorCode.INTERNAL_SERVER_ERROR.value, "retryable": lost.retryable}
    return GraphQLError(lost.message, error.nodes, path=error.path, extensions=extensions)


class ErrorCodes(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        # graphql-core's incremental results (@defer, @stream) carry no `errors` of their own: left as they are.
        if isinstance(result, ExecutionResult | GraphQLExecutionResult) and result.errors:
            result.errors = [with_code(e) for e in result.errors]


class OperationName(SchemaExtension):
    """Remembers the operation's name on the context, for the access log."""

    def on_operation(self) -> Iterator[None]:
        yield
        # After parsing, the name is known even when the client did not send `operationName`.
        context = self.execution_context.context
        if hasattr(context, "operation_name"):
            context.operation_name = self.execution_context.operation_name
