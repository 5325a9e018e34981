"""`python -m fuzz` (`make fuzz`): schemathesis against a live Cercle, anonymous and as a member.

For each backend: a fresh database (a temporary PostgreSQL database, or an SQLite file),
migrated and seeded (fuzz/seed.py); a Cercle server process on it; then `st run` on every
Query and Mutation field twice, without a token and with the fuzzing member's. Dictionaries
make the generated arguments often name what exists (slugs, usernames, global ids, the
invitation code), so the fuzzer gets past "not found". The check (fuzz/hooks.py) fails on a
5xx, an INTERNAL_SERVER_ERROR or an error without extensions.code; each failure is printed
with a curl command that replays its query. The seed is fixed: a run finds the same cases
every time. Exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

from fuzz import PASSWORD

if TYPE_CHECKING:  # imported when needed: settings must see SECRET_KEY first
    from fuzz.seed import Seeded

ROOT = Path(__file__).resolve().parents[1]
SECRET_KEY = "cercle-fuzz-secret-key-long-enough-for-hs256"
QUICK_EXAMPLES, EXAMPLES = 3, 100  # per field and identity
SEED = 11_2026
PROBABILITY = 0.7  # of drawing an argument from a dictionary rather than generating it
TEXTS = ["Hello", "A **markdown** body with a [link](https://example.org)", "python", "Thanks for the help!"]
NUMBERS = [0, 1, 2, 10, 100, 101, -1, 2**31 - 1, -(2**31)]  # the edges of Cercle's ranges, and of GraphQL's Int
IDS = ("id", "postId", "commentId", "targetId", "eventId", "taskId", "membershipId", "badgeId", "parentId")
TEXT_FIELDS = ("title", "body", "name", "message", "description", "reason")


def dictionaries(seeded: Seeded) -> dict[str, tuple[list, list[str]]]:
    """Each dictionary's values, and the arguments (`Type.field.argument`, `*` for any) that draw from it."""
    return {
        "slugs": (seeded.slugs, ["*.*.slug", "*.*.communitySlug", "*.*.input.communitySlug"]),
        "usernames": (seeded.usernames, ["*.*.username", "*.*.input.toUsername", "*.*.input.login"]),
        "ids": (seeded.ids, [*(f"*.*.{name}" for name in IDS), *(f"*.*.input.{name}" for name in IDS), "*.*.ids[*]"]),
        "invite_codes": (seeded.invite_codes, ["*.*.inviteCode"]),
        "passwords": ([PASSWORD], ["*.*.input.password"]),
        "emails": (["newcomer@fuzz.cercle.invalid"], ["*.*.input.email"]),
        "texts": (TEXTS, [*(f"*.*.input.{name}" for name in TEXT_FIELDS), "*.*.reason"]),
        "numbers": (NUMBERS, []),  # for every Int, below
    }


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], action="append", help="default: both")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_EXAMPLES} cases per field (make test)")
    parser.add_argument("--examples", type=int, help=f"cases per field and identity (default {EXAMPLES})")
    parser.add_argument("--seed", type=int, default=SEED, help="the generator's seed (default: fixed)")
    args = parser.parse_args(argv)
    args.backend = args.backend or ["sqlite", "postgres"]
    args.examples = args.examples or (QUICK_EXAMPLES if args.quick else EXAMPLES)
    return args


@contextlib.asynccontextmanager
async def fresh_database(backend: str) -> AsyncIterator[str]:
    if backend == "postgres":
        from bench.harness import temporary_database

        async with temporary_database(f"cercle_fuzz_{os.getpid()}") as url:
            yield url
    else:
        with tempfile.TemporaryDirectory(prefix="cercle-fuzz-") as directory:
            yield f"sqlite://{directory}/cercle.db"


async def seeded_database(url: str) -> Seeded:
    from tortoise import Tortoise

    import settings
    from fuzz.seed import seed
    from manage import run_migrations

    await run_migrations(url)
    await Tortoise.init(config=settings.tortoise_config(url))
    try:
        return await seed()
    finally:
        await Tortoise.close_connections()


def write_config(seeded: Seeded, path: Path) -> Path:
    """A schemathesis.toml with the dictionaries, and the arguments bound to them."""
    entries = dictionaries(seeded)
    lines = ["[cache]", "enabled = false  # no replay of earlier runs' crashes: the seed alone decides the cases", ""]
    for name, (values, _) in entries.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    lines += ["[generation.dictionaries]", f'integer = {{ dictionary = "numbers", probability = {PROBABILITY} }}', ""]
    lines.append("[parameters]")
    for name, (_, keys) in entries.items():
        lines += [f'"{key}" = {{ dictionary = "{name}", probability = {PROBABILITY} }}' for key in keys]
    path.write_text("\n".join(lines) + "\n")
    return path


async def schemathesis(url: str, config: Path, examples: int, seed: int, token: str | None) -> bool:
    """One `st run`, its report printed as it goes; whether it passed."""
    st = Path(sys.executable).with_name("st")  # schemathesis's command, installed beside this Python
    command = [str(st), "--config-file", str(config), "run", url, "--checks", "cercle_errors_are_coded"]
    command += ["--max-examples", str(examples), "--seed", str(seed), "--workers", "1"]
    command += ["--generation-database", "none", "--request-timeout", "30"]
    command += ["--no-color", "--output-truncate", "false"]  # each failing query in full, to replay it
    command += ["--header", f"Authorization: Bearer {token}"] if token else []
    # logout would end the member's session: every later case would run as anonymous.
    command += ["--exclude-name", "Mutation.logout"] if token else []
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "fuzz.hooks", "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env)
    return await process.wait() == 0


def server_env(database_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,  # the seed's token must be valid on the server
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        "SCHEDULER_INTERVAL_SECONDS": "3600",
        # The fuzzer is one member sending thousands of requests: limits would only answer RATE_LIMITED.
        "RATE_LIMIT_MUTATIONS": "1000000/minute",
        "RATE_LIMIT_LOGIN": "1000000/minute",
        "RATE_LIMIT_KUDOS": "1000000/day",
    }


async def fuzz(backend: str, examples: int, seed: int) -> bool:
    from bench.harness import running_server

    async with fresh_database(backend) as url:
        seeded = await seeded_database(url)
        async with running_server(f"fuzz-{backend}", "app:app", server_env(url)) as server:
            with tempfile.TemporaryDirectory(prefix="cercle-fuzz-config-") as directory:
                config = write_config(seeded, Path(directory) / "schemathesis.toml")
                passed = True
                for who, token in (("anonymous", None), ("as a member", seeded.token)):
                    print(f"\n=== fuzz on {backend}, {who}: {examples} case(s) per field, seed {seed} ===", flush=True)
                    passed &= await schemathesis(server.url + "/graphql", config, examples, seed, token)
            if not passed:
                print(f"\n=== the {backend} server's log (the details of masked errors) ===\n{server.log_tail(200)}")
    return passed


def each_backend_apart(args: argparse.Namespace) -> bool:
    """Each backend in a process of its own: Tortoise keeps the SQL dialect it first started with."""
    results = {}
    for backend in args.backend:
        command = [sys.executable, "-m", "fuzz", "--backend", backend]
        command += ["--examples", str(args.examples), "--seed", str(args.seed)]
        results[backend] = subprocess.run(command, cwd=ROOT, check=False).returncode == 0
    for backend, passed in results.items():
        print(f"fuzz on {backend}: {'passed' if passed else 'FAILED'}")
    return all(results.values())


def main(argv: list[str] | None = None) -> None:
    args = parse(sys.argv[1:] if argv is None else argv)
    if len(args.backend) > 1:
        sys.exit(0 if each_backend_apart(args) else 1)
    os.environ["SECRET_KEY"] = SECRET_KEY  # before settings is imported: the seed signs the member's token
    os.environ.setdefault("COMMUNITY_CREATORS", "anyone")  # its members have no verified address
    sys.exit(0 if asyncio.run(fuzz(args.backend[0], args.examples, args.seed)) else 1)


if __name__ == "__main__":
    main()
