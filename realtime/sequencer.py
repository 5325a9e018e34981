"""Orders one feed's messages for delivery, with no I/O (tested without Redis or a database).

Sequence numbers are dense per feed (see resolvers/activity.py), so a process
can tell what to do with each message the broker hands it: the next number is
delivered, a number ahead is held until the missing ones arrive (or are read
from the table), a number already seen is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from realtime.messages import SequencedMessage


@dataclass
class Sequencer:
    last_seq: int
    held: dict[int, SequencedMessage] = field(default_factory=dict)

    def offer(self, message: SequencedMessage) -> list[SequencedMessage]:
        """The messages that are now deliverable, in order (possibly none)."""
        seq = message["seq"]
        if seq <= self.last_seq or seq in self.held:
            return []
        self.held[seq] = message
        ready = []
        while self.last_seq + 1 in self.held:
            self.last_seq += 1
            ready.append(self.held.pop(self.last_seq))
        return ready

    def missing(self) -> range | None:
        """Sequence numbers to read from the table, when messages ahead are held."""
        if not self.held:
            return None
        return range(self.last_seq + 1, min(self.held))
