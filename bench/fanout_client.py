"""The child processes of the fan-out benchmark (bench/fanout.py): subscribers, and the bare
`websockets` server Cercle is compared against. Both speak just enough graphql-transport-ws.

    python -m bench.fanout_client subscribers URL COUNT QUERY [--token T] [--concurrency C]
    python -m bench.fanout_client bare-server PORT [--compression]

`subscribers` opens COUNT WebSockets to URL (at most C handshakes at a time), one subscription
each (id "1"), prints {"ready": ...} on stdout, then answers JSON commands read from stdin, one
a line, with one JSON line each:

- {"cmd": "live", "timeout": s}: wait until every subscriber has received some event;
- {"cmd": "expect", "marker": m}: from now on, watch for events whose text contains m;
- {"cmd": "collect", "timeout": s}: wait for them, then give each subscriber's arrival time
  (time.monotonic(), system-wide on Linux) or null if it did not come within s.

End of stdin ends the process. `bare-server` prints {"ready": port} once it listens; it takes
permessage-deflate only with --compression, as Cercle does with WEBSOCKET_COMPRESSION.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import sys
import time

import uvloop
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed

PROTOCOL = "graphql-transport-ws"


def init_message(token: str | None) -> str:
    return json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"} if token else {}})


def subscribe_message(query: str) -> str:
    return json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}})


def raise_open_files_limit() -> int:
    """Up to the hard limit: one descriptor per WebSocket. Children inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def emit(payload: dict) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


class Subscribers:
    def __init__(self, count: int) -> None:
        self.count = count
        self.seen = [False] * count
        self.live = 0
        self.all_live = asyncio.Event()
        self.marker: str | None = None
        self.times: list[float | None] = [None] * count
        self.remaining = count
        self.done = asyncio.Event()
        self.unexpected: list[str] = []  # the first messages that were not events
        self.closed = 0
        self.sockets: list[ClientConnection] = []
        self.failures: list[BaseException] = []
        self.accounted = 0  # subscribed or failed
        self.all_accounted = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []

    def expect(self, marker: str) -> None:
        self.marker, self.times, self.remaining = marker, [None] * self.count, self.count
        self.done.clear()

    def received(self, i: int, message: str, at: float) -> None:
        if '"next"' not in message:
            if len(self.unexpected) < 5:
                self.unexpected.append(message[:300])
            return
        if not self.seen[i]:
            self.seen[i] = True
            self.live += 1
            if self.live == self.count:
                self.all_live.set()
        if self.marker is not None and self.times[i] is None and self.marker in message:
            self.times[i] = at
            self.remaining -= 1
            if self.remaining == 0:
                self.done.set()

    async def open(self, i: int, url: str, init: str, subscribe: str, gate: asyncio.Semaphore) -> None:
        try:
            async with gate:
                ws = await connect(url, subprotocols=[PROTOCOL], open_timeout=60, ping_interval=None, max_size=None)
                self.sockets.append(ws)
                await ws.send(init)
                ack = await asyncio.wait_for(ws.recv(), 60)
                if json.loads(ack).get("type") != "connection_ack":
                    raise RuntimeError(f"no connection_ack: {ack[:300]}")
                await ws.send(subscribe)
        except Exception as error:  # noqa: BLE001 - counted and reported to the orchestrator
            self.failures.append(error)
            return
        finally:
            self.accounted += 1
            if self.accounted == self.count:
                self.all_accounted.set()
        try:
            async for message in ws:  # time first, look second
                self.received(i, message if isinstance(message, str) else message.decode(), time.monotonic())
        except ConnectionClosed:
            pass
        self.closed += 1


async def subscribers_main(args: argparse.Namespace) -> None:
    raise_open_files_limit()
    state = Subscribers(args.count)
    init, subscribe = init_message(args.token), subscribe_message(args.query)
    gate = asyncio.Semaphore(args.concurrency)
    started = time.monotonic()
    # Held in `state`: the event loop keeps only weak references to tasks.
    state.tasks = [asyncio.create_task(state.open(i, args.url, init, subscribe, gate)) for i in range(args.count)]
    await state.all_accounted.wait()  # every handshake bounded by its own timeouts
    emit(
        {
            "ready": args.count - len(state.failures),
            "failed": len(state.failures),
            "error": repr(state.failures[0]) if state.failures else None,
            "seconds": time.monotonic() - started,
            "extensions": state.sockets[0].response.headers.get("sec-websocket-extensions") if state.sockets else None,
        }
    )
    reader = asyncio.StreamReader()
    await asyncio.get_running_loop().connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        command = json.loads(line)
        if command["cmd"] == "live":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(state.all_live.wait(), command["timeout"])
            emit({"live": state.live})
        elif command["cmd"] == "expect":
            state.expect(command["marker"])
            emit({"ok": True})
        elif command["cmd"] == "collect":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(state.done.wait(), command["timeout"])
            emit({"times": state.times, "unexpected": state.unexpected, "closed": state.closed})
            state.marker, state.unexpected = None, []


async def bare_server_main(args: argparse.Namespace) -> None:
    """Accepts graphql-transport-ws clients; a {"type": "fanout", "message": text} message from the
    orchestrator is answered at once, then `text` goes to every subscriber with `broadcast`."""
    raise_open_files_limit()
    subscribers: set[ServerConnection] = set()

    async def handler(ws: ServerConnection) -> None:
        try:
            async for message in ws:
                kind = json.loads(message).get("type")
                if kind == "connection_init":
                    await ws.send('{"type":"connection_ack"}')
                elif kind == "subscribe":
                    subscribers.add(ws)
                elif kind == "ping":
                    await ws.send('{"type":"pong"}')
                elif kind == "fanout":
                    await ws.send('{"type":"fanned"}')
                    broadcast(subscribers, json.loads(message)["message"])
        except ConnectionClosed:
            pass  # the benchmark ends by killing its clients
        finally:
            subscribers.discard(ws)

    compression = "deflate" if args.compression else None
    async with serve(
        handler, "127.0.0.1", args.port, subprotocols=[PROTOCOL], max_size=None, compression=compression
    ) as server:
        emit({"ready": args.port})
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fanout_client")
    commands = parser.add_subparsers(dest="command", required=True)
    subscribers = commands.add_parser("subscribers")
    subscribers.add_argument("url")
    subscribers.add_argument("count", type=int)
    subscribers.add_argument("query")
    subscribers.add_argument("--token")
    subscribers.add_argument("--concurrency", type=int, default=100)
    bare = commands.add_parser("bare-server")
    bare.add_argument("port", type=int)
    bare.add_argument("--compression", action="store_true")
    args = parser.parse_args()
    uvloop.run(subscribers_main(args) if args.command == "subscribers" else bare_server_main(args))


if __name__ == "__main__":
    main()
