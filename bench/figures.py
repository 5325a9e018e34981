"""Every figure a run measured, under a stable name: the summary table `make bench` ends with, and
`python -m bench --json FILE`, so a regression can be tracked from run to run.

A benchmark calls `record(...)` for each figure it prints. Names are dotted and never change once
published (`feed.http.ratio`, `fanout.1p.5000.last_ms`); `goal` says what the issue asks of it,
as text, for the summary table only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import orjson
from rich.console import Console
from rich.table import Table


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str  # "ms", "req/s", "KiB", "x" (a ratio), "writes/s", ...
    label: str = ""  # what it is, in words, for the summary table
    baseline: float | None = None  # the floor measured in the same run, in the same unit
    goal: str = ""  # e.g. "<= 2.5x"

    @property
    def ratio(self) -> float | None:
        """How many times the floor: for rates, baseline / value (slower is above 1); for times and sizes,
        value / baseline."""
        if self.baseline is None or not self.baseline or not self.value:
            return None
        if self.unit.endswith("/s"):
            return self.baseline / self.value
        return self.value / self.baseline


_figures: dict[str, Figure] = {}


def record(
    name: str, value: float, unit: str, *, label: str = "", baseline: float | None = None, goal: str = ""
) -> None:
    """Keep a figure of this run (the last one recorded under a name wins)."""
    _figures[name] = Figure(name, float(value), unit, label, None if baseline is None else float(baseline), goal)


def figures() -> list[Figure]:
    return list(_figures.values())


def clear() -> None:
    _figures.clear()


def print_summary(console: Console) -> None:
    if not _figures:
        return
    table = Table(title="Every figure of this run (python -m bench --json FILE writes them)")
    for column in ("name", "what", "value", "floor", "ratio", "goal"):
        table.add_column(column, justify="right" if column in {"value", "floor", "ratio"} else "left")
    for figure in _figures.values():
        ratio = figure.ratio
        table.add_row(
            figure.name,
            figure.label,
            f"{_number(figure.value)} {figure.unit}",
            "" if figure.baseline is None else f"{_number(figure.baseline)} {figure.unit}",
            "" if ratio is None else f"{ratio:.2f}x",
            figure.goal,
        )
    console.print(table)


def write_json(path: Path, machine: dict[str, object]) -> None:
    document = {
        "machine": machine,
        "figures": {
            figure.name: {
                **{key: value for key, value in asdict(figure).items() if key != "name"},
                "ratio": figure.ratio,
            }
            for figure in _figures.values()
        },
    }
    path.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"
