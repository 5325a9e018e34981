"""Small documents that expand enormously or repeat fields: what the query limits must refuse quickly."""

from __future__ import annotations


def fragment_fan_out(levels: int, *, on: str = "Query", leaf: str = "__typename", root: str = "{ ...F1 }") -> str:
    """`root` spreads F1, and each fragment spreads the next one twice: 2**(levels-1) copies of `leaf`."""
    fragments = [f"fragment F{n} on {on} {{ ...F{n + 1} ...F{n + 1} }}" for n in range(1, levels)]
    return "\n".join([root, *fragments, f"fragment F{levels} on {on} {{ {leaf} }}"])
