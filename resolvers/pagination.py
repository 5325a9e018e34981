"""Keyset pagination for Relay connections: stable under inserts, one query a page."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import orjson
from tortoise.expressions import Q
from tortoise.fields import CharField, DatetimeField, IntField
from tortoise.models import Model
from tortoise.queryset import QuerySet

import settings
from resolvers.errors import BadUserInput

T = TypeVar("T")
M = TypeVar("M", bound=Model)


@dataclass
class Page(Generic[T]):
    rows: list[T]
    cursors: list[str]
    has_next_page: bool
    total_count_query: QuerySet[Any]

    async def total_count(self) -> int:
        return await self.total_count_query.count()


def check_first(first: int | None, default: int | None = None) -> int:
    """`first` within 1..MAX_PAGE_SIZE; null (or absent) asks for the field's default."""
    if first is None:
        return default or settings.DEFAULT_PAGE_SIZE
    if not 1 <= first <= settings.MAX_PAGE_SIZE:
        raise BadUserInput(f"'first' must be between 1 and {settings.MAX_PAGE_SIZE}, got {first}.", field="first")
    return first


def encode_values(values: list[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(orjson.dumps(plain)).decode().rstrip("=")


def decode_values(cursor: str, size: int) -> list[Any]:
    try:
        values = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, orjson.JSONDecodeError, ValueError):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise BadUserInput("'after' is not a cursor from this list.", field="after")
    return values


async def paginate(query: QuerySet[M], order: tuple[str, ...], *, first: int | None, after: str | None) -> Page[M]:
    """Fetch one page of `query` ordered by `order` (each "-field" or "field", the last unique)."""
    limit = check_first(first)
    page_query = query
    if after:
        values = _typed(query, order, decode_values(after, len(order)))
        page_query = page_query.filter(_after_filter(order, values))
    rows = await page_query.order_by(*order).limit(limit + 1)
    has_next = len(rows) > limit
    rows = rows[:limit]
    names = [o.lstrip("-") for o in order]
    cursors = [encode_values([getattr(row, n) for n in names]) for row in rows]
    return Page(rows=rows, cursors=cursors, has_next_page=has_next, total_count_query=query)


def _typed(query: QuerySet[Any], order: tuple[str, ...], values: list[Any]) -> list[Any]:
    """Cursor values back to their column types; a value no page of ours made is BAD_USER_INPUT.

    Datetimes travel as ISO strings: compared as strings, SQLite orders them as
    text and PostgreSQL refuses them. A crafted cursor ("x" or 2**40 for an int
    column) must not reach the database either.
    """
    fields = query.model._meta.fields_map
    try:
        return [_column_value(fields.get(key.lstrip("-")), value) for key, value in zip(order, values, strict=True)]
    except (TypeError, ValueError, OverflowError):
        raise BadUserInput("'after' is not a cursor from this list.", field="after") from None


def _column_value(field: Any, value: Any) -> Any:
    if value is None:
        if field is not None and not field.null:
            raise ValueError("null for a required column")
        return None
    if isinstance(field, DatetimeField):
        parsed = datetime.fromisoformat(value)
        # Times are stored in UTC. Converting here, not in the driver, makes a time that
        # falls outside the calendar in UTC (0001-01-01T00:00+05:00) an OverflowError.
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if isinstance(field, IntField):
        limits = field.constraints
        if type(value) is not int or not limits["ge"] <= value <= limits["le"]:
            raise ValueError("not an integer of the column's range")
    elif isinstance(field, CharField) and not isinstance(value, str):
        raise ValueError("not a string")
    return value


def _after_filter(order: tuple[str, ...], values: list[Any]) -> Q:
    """(a, b) after (x, y) in the given directions: a beyond x, or a = x and b beyond y."""
    clauses = []
    for i, key in enumerate(order):
        name = key.lstrip("-")
        op = "lt" if key.startswith("-") else "gt"
        equal = {order[j].lstrip("-"): values[j] for j in range(i)}
        value = values[i]
        if value is None:
            continue
        clauses.append(Q(**equal, **{f"{name}__{op}": value}))
    return Q(*clauses, join_type="OR")
