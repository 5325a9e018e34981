"""Shared shapes of loaders: rows by primary key, rows grouped by a key, and values already loaded."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from functools import partial
from typing import Any, Generic, TypeVar, cast

from graphql.pyutils import AwaitableOrValue
from strawberry.dataloader import DataLoader
from tortoise.models import Model

from resolvers.ids import fits_primary_key
from resolvers.loaders.sql import by_primary_key

M = TypeVar("M", bound=Model)
K = TypeVar("K")
V = TypeVar("V")
R = TypeVar("R")


class ByIdLoader(DataLoader[int, M | None], Generic[M]):
    """Rows of `model` by primary key, in key order, None where absent."""

    model: type[M]

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[M | None]:
        wanted = _storable(self.model, keys)
        rows = {row.pk: row for row in await by_primary_key(self.model).fetch(list(wanted))} if wanted else {}
        return [rows.get(key) for key in keys]

    async def load_existing(self, key: int) -> M:
        """The row a reference points at (a post's author, a membership's community). Cercle deletes no such
        row, so one missing is a bug: an unexpected error, not an answer."""
        return self._existing(key, await self.load(key))

    def existing_now_or_later(self, key: int) -> AwaitableOrValue[M]:
        """`load_existing`, at once when the row is loaded already (see `now_or_later`)."""
        return then(now_or_later(self, key), partial(self._existing, key))

    def _existing(self, key: int, row: M | None) -> M:
        if row is None:
            raise LookupError(f"{self.model.__name__} {key} is referenced but absent.")
        return row

    async def load_many_existing(self, keys: Iterable[int]) -> list[M]:
        """`load_existing` for each key, in one batch."""
        return list(await asyncio.gather(*map(self.load_existing, keys)))

    def prime_rows(self, rows: Iterable[M]) -> None:
        """Let later fields reuse rows a list query already fetched."""
        for row in rows:
            self.prime(row.pk, row)


def _storable(model: type[Model], keys: Iterable[int]) -> set[int]:
    """Keys a row can have: PostgreSQL refuses a 2**40 for an int column instead of finding nothing."""
    return {key for key in keys if fits_primary_key(model, key)}


def grouped(rows: Iterable[Any], key: str, keys: Sequence[Any], value: str | None = None) -> list[list[Any]]:
    """`rows` grouped by attribute `key`, one list per requested key, in key order."""
    groups: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        groups[row[key] if isinstance(row, dict) else getattr(row, key)].append(
            row if value is None else (row[value] if isinstance(row, dict) else getattr(row, value))
        )
    return [groups.get(k, []) for k in keys]


def now_or_later(loader: DataLoader[K, V], key: K) -> AwaitableOrValue[V]:
    """The value itself when the loader holds it already (a page fetched it ahead for all its rows), so that the
    field resolves at once, without a coroutine per field; otherwise the load, to await."""
    future = loader.cache_map.get(key) if loader.cache else None
    if future is not None and future.done() and not future.cancelled() and future.exception() is None:
        return future.result()
    return loader.load(key)


def then(value: AwaitableOrValue[V], use: Callable[[V], R]) -> AwaitableOrValue[R]:
    """`use(value)`, at once when the value is there, after awaiting it otherwise."""
    if isinstance(value, asyncio.Future | Coroutine):  # not any awaitable: Tortoise's rows are awaitable too
        return _then(value, use)
    return use(cast(V, value))


async def _then(value: Awaitable[V], use: Callable[[V], R]) -> R:
    return use(await value)
