"""A client process of the load benchmark (bench/load.py): writers, readers and subscribers, each
with a connection of its own to the server it was given, spoken to in JSON lines.

    python -m bench.load_client

The first line on stdin is the plan: {"slug", "after" (an activity cursor), "writers": [{"url",
"token", "username"}], "readers": [{"url", "token"}], "subscribers": [{"url", "token"}], "posts":
[ids to comment and react on], "feed_query" (with a $slug), "seed"}. The process subscribes every
subscriber (`activity(after:)`), prints {"ready": n, "failed": n, "error": ...}, then answers:

- {"cmd": "go", "seconds": s, "writers": n, "readers": n}: writers and readers (the first n of
  each, all when absent) send requests back to back for s seconds, then finish the one in flight;
  answers {"seconds" (until the last answer), "ops": {op: {"ms": [...], "in_time" (successes
  answered within s), "errors", "error"}} of this run, "written": {"posts", "comments",
  "reactions": [[username, target id, kind]]} of every run so far};
- {"cmd": "drain", "last_seq": n, "timeout": s}: waits until every subscriber has seen sequence
  number n, closes them, answers {"subscribers": [...]}: per subscriber what it saw, checked as it
  came (count, first and last sequence numbers, duplicates, gaps, the first anomaly) and a digest
  of (seq, verb) in the order received, for bench/load.py to compare with the table.

A subscriber the server closes resumes from its last cursor, as a real client does. End of stdin
ends the process.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import random
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import uvloop
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from bench.fanout_client import PROTOCOL, emit, init_message

CREATE_POST = "mutation CreatePost($input: CreatePostInput!) { createPost(input: $input) { id } }"
ADD_COMMENT = "mutation AddComment($input: AddCommentInput!) { addComment(input: $input) { id } }"
REACT = "mutation React($target: ID!, $kind: ReactionKind!) { react(targetId: $target, reaction: $kind) { total } }"
ACTIVITY = (
    "subscription Activity($slug: String!, $after: String) { activity(communitySlug: $slug, after: $after) "
    "{ cursor verb summary at actor { username displayName } } }"
)
WRITES = ("createPost", "addComment", "react")
REACTION_KINDS = ("LIKE", "INSIGHTFUL", "THANKS", "CELEBRATE")
RECENT_TARGETS = 200  # writers comment and react on recent content, as people do
MAX_RESUMES = 20  # a subscriber closed more often than this is a failure, not a slow client


def seq_of(cursor: str) -> int:
    """The sequence number in an activity cursor (base64 of "activity:<community>:<seq>")."""
    return int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().rsplit(":", 1)[1])


class ToldToResume(Exception):
    pass


def told_to_resume(frame: dict[str, Any]) -> bool:
    """A subscriber that fell behind is dropped with an error whose extensions say `resume: true`."""
    errors = frame["payload"].get("errors", []) if frame.get("type") == "next" else frame.get("payload")
    return isinstance(errors, list) and any((e.get("extensions") or {}).get("resume") for e in errors)


@dataclass
class Op:
    ms: list[float] = field(default_factory=list)  # every request's, also those answered after the deadline
    in_time: int = 0  # answered successfully by the deadline: the rates count these over the run's length
    errors: int = 0
    error: str | None = None  # the first one


def new_ops() -> dict[str, Op]:
    return {name: Op() for name in (*WRITES, "feed")}


@dataclass
class Workload:
    """What the writers and readers of this process did, and the content they share."""

    slug: str
    posts: list[str]
    rng: random.Random
    comments: list[str] = field(default_factory=list)
    ops: dict[str, Op] = field(default_factory=lambda: new_ops())
    reacted: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # by writer: (target, kind)
    written: dict[str, list[Any]] = field(default_factory=lambda: {"posts": [], "comments": [], "reactions": []})
    deadline: float = 0.0  # time.monotonic() at which the clients stop sending

    def target(self) -> str:
        pool = self.posts[-RECENT_TARGETS:] + self.comments[-RECENT_TARGETS:]
        return self.rng.choice(pool)

    async def send(
        self, http: httpx.AsyncClient, name: str, query: str, variables: dict[str, Any]
    ) -> dict[str, Any] | None:
        """One GraphQL request, timed; its data, or None (counted as an error) when it failed."""
        op = self.ops[name]
        started = time.perf_counter()
        try:
            response = await http.post("/graphql", content=orjson.dumps({"query": query, "variables": variables}))
            body = orjson.loads(response.content)
        except (httpx.HTTPError, orjson.JSONDecodeError) as error:
            body, response = {"errors": [repr(error)]}, None
        op.ms.append(1000 * (time.perf_counter() - started))
        if response is None or response.status_code != 200 or body.get("errors") or not body.get("data"):
            op.errors += 1
            op.error = op.error or f"{name}: {str(body)[:300]}"
            return None
        op.in_time += time.monotonic() <= self.deadline
        return body["data"]


def client(url: str, token: str) -> httpx.AsyncClient:
    """One keep-alive connection, as one browser tab."""
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json", "accept": "application/json"}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    return httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=120)


async def write(work: Workload, http: httpx.AsyncClient, username: str, first: int) -> None:
    """createPost, addComment and react in turn (starting at `first`, so the mix is even at every moment)."""
    reacted = work.reacted.setdefault(username, set())
    turn = first
    while time.monotonic() < work.deadline:
        name = WRITES[turn % len(WRITES)]
        turn += 1
        if name == "createPost":
            title = f"Load {username} {turn}"
            post = {"communitySlug": work.slug, "title": title, "body": "Measured under **load**.", "tags": ["load"]}
            if data := await work.send(http, name, CREATE_POST, {"input": post}):
                work.posts.append(data["createPost"]["id"])
                work.written["posts"].append(data["createPost"]["id"])
        elif name == "addComment":
            comment = {
                "postId": work.rng.choice(work.posts[-RECENT_TARGETS:]),
                "body": f"Reply {turn} from {username}.",
            }
            if data := await work.send(http, name, ADD_COMMENT, {"input": comment}):
                work.comments.append(data["addComment"]["id"])
                work.written["comments"].append(data["addComment"]["id"])
        else:
            target, kind = work.target(), work.rng.choice(REACTION_KINDS)
            while (target, kind) in reacted:  # a new reaction each time: reacting again writes nothing
                target, kind = work.target(), work.rng.choice(REACTION_KINDS)
            reacted.add((target, kind))
            if await work.send(http, name, REACT, {"target": target, "kind": kind}):
                work.written["reactions"].append([username, target, kind])


async def read(work: Workload, http: httpx.AsyncClient, query: str) -> None:
    while time.monotonic() < work.deadline:
        await work.send(http, "feed", query, {"slug": work.slug})


class Subscriber:
    """One `activity(after:)` subscription that checks, as events come, that they are dense and in order."""

    def __init__(self, url: str, token: str, slug: str, after: str) -> None:
        self.url, self.token, self.slug, self.cursor = url.replace("http://", "ws://") + "/graphql", token, slug, after
        self.start = self.last = seq_of(after)
        self.count = self.duplicates = self.gaps = self.resumes = 0
        self.anomaly: str | None = None
        self.error: str | None = None
        self.digest = hashlib.sha256()
        self.target = 0
        self.reached = asyncio.Event()
        self.subscribed = asyncio.Event()

    def received(self, event: dict[str, Any]) -> None:
        seq = seq_of(event["cursor"])
        self.count += 1
        self.digest.update(f"{seq}:{event['verb']}\n".encode())
        if seq != self.last + 1:
            self.duplicates += seq <= self.last
            self.gaps += seq > self.last + 1
            self.anomaly = self.anomaly or f"seq {seq} after {self.last}"
        self.last, self.cursor = max(self.last, seq), event["cursor"]
        if self.target and self.last >= self.target:
            self.reached.set()

    async def run(self) -> None:
        """Subscribe, and resume from the last cursor whenever the server closes the socket."""
        while True:
            try:
                async with connect(self.url, subprotocols=[PROTOCOL], ping_interval=None, max_size=None) as ws:
                    await ws.send(init_message(self.token))
                    ack = orjson.loads(await asyncio.wait_for(ws.recv(), 60))
                    if ack.get("type") != "connection_ack":
                        raise RuntimeError(f"no connection_ack: {ack}")
                    variables = {"slug": self.slug, "after": self.cursor}
                    payload = {"query": ACTIVITY, "variables": variables}
                    await ws.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": payload}).decode())
                    self.subscribed.set()
                    async for message in ws:
                        frame = orjson.loads(message)
                        if frame.get("type") == "next" and not frame["payload"].get("errors"):
                            self.received(frame["payload"]["data"]["activity"])
                        elif told_to_resume(frame):
                            raise ToldToResume(str(frame)[:300])
                        else:
                            raise RuntimeError(f"the subscription got {str(frame)[:300]}")
                    raise ToldToResume("the server closed the socket")
            except (ConnectionClosed, ToldToResume) as closed:  # as a client does: again, from its cursor
                self.resumes += 1
                if self.resumes > MAX_RESUMES:
                    self.fail(f"closed {self.resumes} times, the last with {closed!r}")
                    return
                await asyncio.sleep(0.1)  # a client's backoff, short: the benchmark waits for it
            except Exception as error:  # noqa: BLE001 - reported to bench/load.py, which fails the run
                self.fail(repr(error))
                return

    def fail(self, why: str) -> None:
        self.error = why
        self.subscribed.set()  # nobody waits for it any more
        self.reached.set()

    def report(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "first": self.start + 1,
            "last": self.last,
            "duplicates": self.duplicates,
            "gaps": self.gaps,
            "anomaly": self.anomaly,
            "resumes": self.resumes,
            "error": self.error,
            "digest": self.digest.hexdigest(),
        }


async def main() -> None:
    reader = asyncio.StreamReader(limit=2**26)
    await asyncio.get_running_loop().connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    plan = orjson.loads(await reader.readline())
    work = Workload(plan["slug"], list(plan["posts"]), random.Random(plan["seed"]))
    subscribers = [Subscriber(s["url"], s["token"], plan["slug"], plan["after"]) for s in plan["subscribers"]]
    tasks = [asyncio.create_task(s.run()) for s in subscribers]  # kept: the loop holds tasks weakly
    await asyncio.gather(*(s.subscribed.wait() for s in subscribers))
    failed = [s.error for s in subscribers if s.error]
    emit({"ready": len(subscribers) - len(failed), "failed": len(failed), "error": failed[0] if failed else None})
    async with contextlib.AsyncExitStack() as stack:
        writers = [
            (await stack.enter_async_context(client(w["url"], w["token"])), w["username"]) for w in plan["writers"]
        ]
        readers = [await stack.enter_async_context(client(r["url"], r["token"])) for r in plan["readers"]]
        while line := await reader.readline():
            command = orjson.loads(line)
            if command["cmd"] == "go":
                started = time.monotonic()
                work.deadline, work.ops = started + command["seconds"], new_ops()
                some_writers, some_readers = writers[: command.get("writers")], readers[: command.get("readers")]
                await asyncio.gather(
                    *(write(work, http, name, i) for i, (http, name) in enumerate(some_writers)),
                    *(read(work, http, plan["feed_query"]) for http in some_readers),
                )
                ops = {name: vars(op) for name, op in work.ops.items()}
                emit({"seconds": time.monotonic() - started, "ops": ops, "written": work.written})
            elif command["cmd"] == "drain":
                for s in subscribers:
                    s.target = command["last_seq"]
                    if s.last >= s.target:
                        s.reached.set()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.gather(*(s.reached.wait() for s in subscribers)), command["timeout"])
                for task in tasks:
                    task.cancel()
                emit({"subscribers": [s.report() for s in subscribers]})


if __name__ == "__main__":
    uvloop.run(main())
