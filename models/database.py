"""The PostgreSQL client the models run on: Tortoise's asyncpg client, honest about lost connections.

When PostgreSQL ends a connection (a restart, a failover, `pg_terminate_backend`),
asyncpg drops it from the pool, but the statement that meets it fails, and not
always with a clear error: a connection ended while idle in the pool has read
the server's farewell but not yet its end of stream, and the next statement on
it fails with "cannot switch to state ...; another operation is in progress"
(asyncpg issues 784 and 1069). A transaction's rollback on such a connection
then fails too, and its error hides the first one.

Here every such failure is `DatabaseUnavailable`, which clients see as a
retryable error. When a statement outside a transaction, or a BEGIN, meets a
lost connection, the pool's other connections are replaced before their next
use (they were most likely ended too), and a read or the BEGIN is tried once
more, on a new connection: nothing was written yet. A rollback on a lost
connection is a success (the server rolled back when it ended the
connection). SQLite has no connections to lose and keeps Tortoise's client.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import NestedTransactionContext, TransactionContextPooled
from tortoise.connection import get_connections
from tortoise.exceptions import DBConnectionError, TransactionManagementError

logger = logging.getLogger("cercle.database")
T = TypeVar("T")

# Errors that mean the connection is gone (or cannot be had), whatever the statement was.
LOST_CONNECTION_ERRORS = (
    asyncpg.PostgresConnectionError,  # class 08: "connection was closed in the middle of operation"...
    asyncpg.AdminShutdownError,  # 57P01: terminated by an administrator (pg_terminate_backend)
    asyncpg.CrashShutdownError,
    asyncpg.CannotConnectNowError,  # the server is starting or stopping
    asyncpg.IdleSessionTimeoutError,
    asyncpg.IdleInTransactionSessionTimeoutError,
    asyncpg.TooManyConnectionsError,
    asyncpg.InternalClientError,  # the protocol met the farewell of a connection ended while idle
    OSError,  # refused, reset, timed out
)
# asyncpg's InterfaceError also means misuse; only these messages say the connection is gone.
LOST_CONNECTION_MESSAGES = ("connection is closed", "released back to the pool")


class DatabaseUnavailable(DBConnectionError):
    """A statement failed because its database connection was lost: clients may try again."""

    def __init__(self, message: str = "The database connection was lost: try again.", *, retryable: bool = True):
        super().__init__(message)
        self.message = message
        self.retryable = retryable


def is_connection_lost(error: BaseException | None) -> bool:
    """Also true of a Tortoise error whose cause is a lost connection (Tortoise translates some)."""
    while error is not None:
        if isinstance(error, (DatabaseUnavailable, *LOST_CONNECTION_ERRORS)):
            return True
        if isinstance(error, asyncpg.InterfaceError) and any(m in str(error) for m in LOST_CONNECTION_MESSAGES):
            return True
        error = error.__cause__
    return False


@contextmanager
def committing() -> Iterator[None]:
    """Around a statement that sends COMMIT: a connection lost there leaves the outcome unknown, so the error
    is not retryable (trying again could write twice)."""
    try:
        yield
    except Exception as error:
        if not is_connection_lost(error):
            raise
        message = "The database connection was lost while saving: the change may or may not have been made."
        raise DatabaseUnavailable(message, retryable=False) from error


async def lost_as_unavailable(statement: Awaitable[T]) -> T:
    try:
        return await statement
    except DatabaseUnavailable:
        raise
    except Exception as error:
        if is_connection_lost(error):
            raise DatabaseUnavailable() from error
        raise


def is_read(func: Callable[..., object], args: tuple[object, ...]) -> bool:
    """A SELECT run by execute_query(_dict): harmless to run twice."""
    query = args[0] if args and isinstance(args[0], str) else ""
    return func.__name__.startswith("execute_query") and query.lstrip()[:6].upper() == "SELECT"


class PostgresClient(AsyncpgDBClient):
    """Outside transactions: each statement takes a connection of the pool."""

    async def _translate_exceptions(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        run = super()._translate_exceptions
        try:
            return await lost_as_unavailable(run(func, *args, **kwargs))
        except DatabaseUnavailable as error:
            await self.replace_connections()
            if not is_read(func, args):
                raise
            logger.warning("a read lost its connection (%s): reading again on a new one", error.__cause__)
            return await lost_as_unavailable(run(func, *args, **kwargs))

    async def replace_connections(self) -> None:
        """One connection lost: its siblings were most likely ended with it (a restart, a failover), so
        every connection of the pool is replaced before its next use, and a second try meets a new one."""
        await self._expire_connections()

    def _in_transaction(self) -> PooledTransaction:
        return PooledTransaction(self)

    async def create_pool(self, **kwargs: Any) -> asyncpg.Pool:
        return await asyncpg.create_pool(None, reset=_keep_session, **kwargs)


async def _keep_session(connection: asyncpg.Connection) -> None:
    """What a connection released to the pool runs besides asyncpg's own rollback of a transaction left open:
    nothing. asyncpg's default sends `SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL` on every
    release, a round trip for each statement run outside a transaction (half of a feed page's round trips).
    Cercle leaves no session state behind: no SET outside a transaction, no LISTEN (events go through Redis),
    advisory locks only for the transaction, no cursors."""


class PostgresTransaction(TransactionWrapper):
    """Inside a transaction: nothing is tried again, the whole transaction failed."""

    async def _translate_exceptions(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        return await lost_as_unavailable(super()._translate_exceptions(func, *args, **kwargs))

    def _in_transaction(self) -> NestedTransactionContext:
        return NestedTransactionContext(PostgresTransaction(self))

    async def commit(self) -> None:
        with committing():  # the COMMIT may have reached the server before the connection went
            await super().commit()

    async def rollback(self) -> None:
        try:
            await super().rollback()
        except Exception as error:
            if not is_connection_lost(error):
                raise
            self._finalized = True  # PostgreSQL rolled the transaction back when the connection ended


class PooledTransaction(TransactionContextPooled):
    """A transaction on a connection of the pool; a connection lost before BEGIN is replaced once."""

    client: PostgresTransaction

    def __init__(self, pooled: PostgresClient) -> None:
        super().__init__(PostgresTransaction(pooled), pooled._pool_init_lock)
        self.pooled = pooled

    async def __aenter__(self) -> PostgresTransaction:
        try:
            return await self._begin()
        except DatabaseUnavailable as error:
            await self.pooled.replace_connections()
            logger.warning(
                "a transaction lost its connection before BEGIN (%s): beginning on a new one", error.__cause__
            )
            return await self._begin()

    async def _begin(self) -> PostgresTransaction:
        try:
            await super().__aenter__()
            return self.client
        except BaseException as error:
            # Tortoise neither releases the connection nor restores the task's own when BEGIN fails.
            await self._give_back()
            if is_connection_lost(error) and not isinstance(error, DatabaseUnavailable):
                raise DatabaseUnavailable() from error
            raise

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        # Tortoise's, but for the giving back: a connection lost after COMMIT or ROLLBACK fails its release,
        # and Tortoise then let that error stand for the transaction's outcome, and left this task on the
        # dead transaction.
        try:
            if not self.client._finalized:
                if exc_type is None:
                    await self.client.commit()
                elif exc_type is not TransactionManagementError:  # a failed transaction cannot roll back
                    await self.client.rollback()
        finally:
            await self._give_back()

    async def _give_back(self) -> None:
        connection, self.client._connection = self.client._connection, None
        pool = self.pooled._pool
        try:
            if connection is not None and pool is not None:
                await pool.release(connection)
        except Exception as error:
            if not is_connection_lost(error):
                raise
            # asyncpg has terminated it; the pool opens a new one when asked
            logger.warning("a connection was lost as its transaction ended: %s", error)
        finally:
            token = getattr(self, "token", None)
            if token is not None:
                get_connections().reset(token)
                del self.token


client_class = PostgresClient  # Tortoise finds an engine's client here
