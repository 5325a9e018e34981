"""Shared shapes of loaders: rows by primary key, and rows grouped by a key."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from resolvers.ids import fits_primary_key

M = TypeVar("M", bound=Model)


class ByIdLoader(DataLoader[int, M | None], Generic[M]):
    """Rows of `model` by primary key, in key order, None where absent."""

    model: type[M]

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[M | None]:
        wanted = _storable(self.model, keys)
        rows = {row.pk: row for row in await self.model.filter(pk__in=wanted)} if wanted else {}
        return [rows.get(key) for key in keys]

    async def load_existing(self, key: int) -> M:
        """The row a reference points at (a post's author, a membership's community). Cercle deletes no such
        row, so one missing is a bug: an unexpected error, not an answer."""
        row = await self.load(key)
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
