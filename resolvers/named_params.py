"""SQL written with `:name` parameters, bound for the database at hand."""

from __future__ import annotations

import re
from typing import Any

_NAMED = re.compile(r"(?<![:\w]):([a-z_]+)\b")  # not `::` casts, nor a colon inside a word


def bind_named(sql: str, params: dict[str, Any], *, postgres: bool) -> tuple[str, list[Any]]:
    """`:name` placeholders to `$n` (PostgreSQL, each name once) or `?` (SQLite, in order); the values to send."""
    names: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        if not postgres:
            names.append(match[1])
            return "?"
        if match[1] not in names:
            names.append(match[1])
        return f"${names.index(match[1]) + 1}"

    text = _NAMED.sub(placeholder, sql)
    return text, [params[name] for name in names]
