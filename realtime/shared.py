"""What the listeners of one message in this process share: reads and executions made once for all of them.

The hub hands the same message dict to every listener of the process, so a table kept on the dict is seen by
all of them and goes away with the message. (A table beside the messages, keyed by id(), would outlive them or
see a new message at a reused id: dicts cannot be weakly referenced.)
"""

from __future__ import annotations

from typing import Generic, TypeVar, cast

from realtime.messages import Message

K = TypeVar("K")
V = TypeVar("V")


class Shared(Generic[K, V]):
    """One kind of table shared on a message, e.g. the rows read for it by (model, id); each kind has its own key."""

    def __init__(self, key: str) -> None:
        self.key = key

    def on(self, message: Message | dict[str, object]) -> dict[K, V]:
        """The message's table, created by the first listener to ask."""
        # The TypedDicts of messages leave the table out: it never leaves the process, and only this class reads it.
        carrier = cast(dict[str, object], message)
        return cast(dict[K, V], carrier.setdefault(self.key, {}))
