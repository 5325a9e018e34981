"""One event to many subscribers: the same bytes for all but the operation id, with no compression by default."""

from __future__ import annotations

import asyncio

from realtime.messages import encode_cursor
from tests.factories import Persona, make_community
from tests.fixtures.server import Server
from tests.realtime.test_protocol import LEGACY, connected, initialise, post, seasoned, send

WAIT_SECONDS = 10


async def frame_of(socket, operation_id: str) -> str:
    """The raw text of the operation's next result (or legacy data) message."""
    async with asyncio.timeout(WAIT_SECONDS):
        while True:
            frame = await socket.recv()
            if f'"id":"{operation_id}"' in frame and ('"next"' in frame or '"data"' in frame):
                return frame


async def test_every_subscriber_gets_the_same_frame_but_for_its_id(live_server: Server, owner_alice: Persona):
    community = await make_community(owner_alice, "Same Bytes", slug="same-bytes")
    after = encode_cursor(community.id, await seasoned(live_server, owner_alice, community.slug))
    query = (
        "subscription($slug: String!, $after: String) "
        "{ activity(communitySlug: $slug, after: $after) { cursor verb summary } }"
    )
    ids = ["a", "a-much-longer-operation-id"]
    async with (
        connected(live_server) as first,
        connected(live_server) as second,
        connected(live_server, LEGACY) as legacy,
    ):
        for socket, operation_id in ((first, ids[0]), (second, ids[1]), (legacy, "legacy")):
            await initialise(socket, owner_alice)
            kind = "start" if socket is legacy else "subscribe"
            variables = {"slug": community.slug, "after": after}
            await send(socket, {"id": operation_id, "type": kind, "payload": {"query": query, "variables": variables}})
        # when
        await post(live_server, owner_alice, community.slug, "For everyone")
        frames = [await frame_of(first, ids[0]), await frame_of(second, ids[1]), await frame_of(legacy, "legacy")]
        offered = first.response.headers.get("sec-websocket-extensions")
    # then: byte for byte the same, once the ids are swapped
    assert frames[0].replace(f'"{ids[0]}"', '"ID"') == frames[1].replace(f'"{ids[1]}"', '"ID"')
    assert "For everyone" in frames[0]
    legacy_frame = frames[2].replace('"legacy"', '"ID"').replace('"type":"data"', '"type":"next"')
    assert legacy_frame == frames[0].replace(f'"{ids[0]}"', '"ID"')
    # and: the client offered permessage-deflate (as browsers do); the server did not take it
    assert offered is None
