"""The viewer's notifications, live: with a cursor first what they missed, then as they happen."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from realtime.messages import MAX_SEQ, NotificationMessage
from realtime.streams import notification_stream
from resolvers.access import visible_community
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.pagination import decode_values, encode_values


async def viewer_notifications(ctx: Context, after: str | None) -> AsyncGenerator[NotificationMessage, None]:
    """Needs a token; a notification from a community the viewer can no longer see is left out."""
    viewer = await ctx.require_viewer()
    after_seq = _seq_of(after) if after else None
    async for event in notification_stream(viewer.id, after_seq):
        ctx.refresh_loaders()  # a socket keeps one context: each notification is checked against fresh rows
        if event["community_id"] is None or await visible_community(ctx, event["community_id"]):
            yield event


def notification_cursor(seq: int) -> str:
    """Pass as `after` to resume after this notification."""
    return encode_values([seq])


def _seq_of(cursor: str) -> int:
    (seq,) = decode_values(cursor, 1)
    if type(seq) is not int or not 0 <= seq <= MAX_SEQ:
        raise BadUserInput("'after' is not a notification cursor.", field="after")
    return seq
