"""Orders one community's events for delivery, with no I/O (tested without Redis or a database).

Activity sequence numbers are dense per community (see resolvers/activity.py),
so a process can tell what to do with each event the broker hands it: the
next number is delivered, a number ahead is held until the missing ones
arrive (or are read from the table), a number already seen is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Event = dict[str, Any]


@dataclass
class Sequencer:
    last_seq: int
    held: dict[int, Event] = field(default_factory=dict)

    def offer(self, event: Event) -> list[Event]:
        """The events that are now deliverable, in order (possibly none)."""
        seq = event["seq"]
        if seq <= self.last_seq or seq in self.held:
            return []
        self.held[seq] = event
        ready = []
        while self.last_seq + 1 in self.held:
            self.last_seq += 1
            ready.append(self.held.pop(self.last_seq))
        return ready

    def missing(self) -> range | None:
        """Sequence numbers to read from the table, when events ahead are held."""
        if not self.held:
            return None
        return range(self.last_seq + 1, min(self.held))
