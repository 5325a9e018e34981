"""Loader reads as plain SQL through the connection Tortoise holds for a model.

A queryset costs more to build than its rows cost to fetch (a feed page's loaders spent most of
their time in `filter` and in compiling SQL), so the hot loaders send fixed statements, written
once: the text never changes, and asyncpg reuses the statement it prepared on each connection.

Statements are written for PostgreSQL, with `$1`, `$2`... each used once and in order, and
`= ANY($n)` for a list. On SQLite the placeholders become `?`, and a list is matched with
`IN (SELECT value FROM json_each(?))`, the list sent as JSON. Rows of a model are made as
Tortoise makes them from its own queries (`_init_from_db`), so they are the same objects.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, cached_property
from typing import Any, Generic, TypeVar

import orjson
from tortoise.models import Model

M = TypeVar("M", bound=Model)

_PLACEHOLDER = re.compile(r"\$(\d+)")
_ANY = re.compile(r"= ANY\(\$(\d+)\)")


def _for_sqlite(sql: str) -> str:
    numbers = [int(n) for n in _PLACEHOLDER.findall(sql)]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"placeholders must be $1, $2... each once, in order: {sql}")
    listed = _ANY.sub(lambda match: f"IN (SELECT value FROM json_each(${match[1]}))", sql)
    return _PLACEHOLDER.sub("?", listed)


class Statement:
    """A SELECT over `model`'s connection; `rows(...)` runs it with one value per placeholder."""

    def __init__(self, model: type[Model], sql: str) -> None:
        self.model = model
        self.postgres_sql = " ".join(sql.split())
        self.sqlite_sql = _for_sqlite(self.postgres_sql)

    async def rows(self, *values: object) -> list[dict[str, Any]]:
        db = self.model._meta.db
        if db.capabilities.dialect == "postgres":
            return await db.execute_query_dict(self.postgres_sql, list(values))
        listed = [orjson.dumps(value).decode() if isinstance(value, list) else value for value in values]
        return await db.execute_query_dict(self.sqlite_sql, listed)


def _quoted(name: str) -> str:
    return f'"{name}"'


class ModelRows(Generic[M]):
    """Rows of `model` (every column, as Tortoise selects them) matching `where`."""

    def __init__(self, model: type[M], where: str) -> None:
        self.model = model
        self.where = where

    @cached_property
    def statement(self) -> Statement:
        """Made on first use: Tortoise adds the foreign key columns to a model when it starts."""
        meta = self.model._meta
        columns = ", ".join(_quoted(column) for column in sorted(meta.db_fields))
        return Statement(self.model, f"SELECT {columns} FROM {_quoted(meta.db_table)} WHERE {self.where}")

    async def fetch(self, *values: object) -> list[M]:
        return [self.model._init_from_db(**row) for row in await self.statement.rows(*values)]


@cache  # one statement per model
def by_primary_key(model: type[M]) -> ModelRows[M]:
    return ModelRows(model, f"{_quoted(model._meta.db_pk_column)} = ANY($1)")


def key_list(keys: Sequence[Any] | set[Any]) -> list[Any]:
    """Distinct keys, as a list (what a `= ANY($n)` takes)."""
    return list(dict.fromkeys(keys))
