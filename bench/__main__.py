"""`python -m bench [name ...]` (`make bench`): run the benchmarks, each against its own baseline.

With no name, every benchmark runs in the order of BENCHMARKS. Each benchmark is a module with
`NAME`, `DESCRIPTION` and `async def run(options: Options, console: Console) -> None`; add one
by listing its module below. Benchmarks print figures and ratios; they never assert timings, but
the run exits 1 when a benchmark could not do its work (`make test` runs `--quick` for that).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import sys
import time
from pathlib import Path
from types import ModuleType

# Benchmark members have no verified address, and create communities: here and in the servers started (before
# settings is read, which the harness's imports do).
os.environ.setdefault("COMMUNITY_CREATORS", "anyone")

from rich.console import Console  # noqa: E402

from bench import figures  # noqa: E402
from bench.harness import BenchmarkFailed, Options, machine_text  # noqa: E402

# name -> module; imported only when run, so one benchmark's dependencies never slow another.
BENCHMARKS: dict[str, str] = {
    "feed": "bench.feed",
    "fanout": "bench.fanout",
    "recognition": "bench.recognition",
    "engagement": "bench.engagement",
    "webload": "bench.webload",
    "email": "bench.mail",
    "load": "bench.load",
}


def load(name: str) -> ModuleType:
    return importlib.import_module(BENCHMARKS[name])


def parse(argv: list[str]) -> tuple[list[str], Options]:
    defaults = Options()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", metavar="name", help=f"benchmarks to run: {', '.join(BENCHMARKS)}")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--requests", type=int, default=defaults.requests, help="timed requests per round")
    parser.add_argument("--rounds", type=int, default=defaults.rounds, help="rounds per measurement (median kept)")
    parser.add_argument("--warmup", type=int, default=defaults.warmup, help="untimed requests first")
    parser.add_argument("--concurrency", type=int, default=defaults.concurrency, help="concurrent clients")
    parser.add_argument("--quick", action="store_true", help="a fast smoke run: small counts, one round")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure, by stable name, to FILE")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    if args.list:
        for name in BENCHMARKS:
            print(f"{name}: {load(name).DESCRIPTION}")
        sys.exit(0)
    if args.quick:
        options = Options(requests=40, rounds=1, warmup=8, concurrency=args.concurrency, quick=True)
    else:
        options = Options(requests=args.requests, rounds=args.rounds, warmup=args.warmup, concurrency=args.concurrency)
    options.json = args.json
    if min(options.requests, options.rounds, options.concurrency) < 1 or options.warmup < 0:
        parser.error("--requests, --rounds and --concurrency must be at least 1, --warmup at least 0")
    return args.names or list(BENCHMARKS), options


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop when available: the servers under test run on it too (uvicorn's default)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


async def run_all(names: list[str], options: Options, console: Console) -> list[str]:
    """Run each benchmark, the others even when one fails; the names of those that failed."""
    failed = []
    for name in names:
        started = time.perf_counter()
        console.print(f"[dim]Before {name}: {machine_text(before=True)}[/dim]")
        try:
            await load(name).run(options, console)
        except BenchmarkFailed as error:
            console.print(f"[bold red]{name} failed: {error}[/bold red]")
            failed.append(name)
        except Exception:  # noqa: BLE001 - shown in full, and the run still fails at the end
            console.print_exception()
            failed.append(name)
        took = time.perf_counter() - started
        console.print(f"[dim]{name} took {took:.0f} s; after it: {machine_text(before=False)}[/dim]\n")
    return failed


def main(argv: list[str] | None = None) -> None:
    names, options = parse(sys.argv[1:] if argv is None else argv)
    console = Console()
    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        failed = runner.run(run_all(names, options, console))
    figures.print_summary(console)
    if options.json is not None:
        figures.write_json(
            options.json, {"cpus": os.cpu_count(), "quick": options.quick, "benchmarks": names, "failed": failed}
        )
        console.print(f"[dim]Figures written to {options.json}[/dim]")
    if failed:
        console.print(f"[bold red]Benchmark(s) failed: {', '.join(failed)}[/bold red]")
        sys.exit(1)


if __name__ == "__main__":
    main()
