"""Distinct members over a period: the rolled-up days' bitmaps of member ids united with the raw part's ids.

Distinct counts cannot be summed across days, but sets can be united. Each rolled-up day keeps its members
as serialized Roaring bitmaps (models/engagement.py): those with an activity of their own in the log
(`acted_members`) and the authors of counted posts and comments (`authors`). Before the log's horizon
(`kept`, ACTIVITY_RETENTION_DAYS before the report's end) authors stand in for the pruned log, as in
sql.people_sql: on the days before the horizon's day authors count as active, on the days after it only the
log does, and on the horizon's day the authors before the horizon who are not in the log (`early_authors`,
read from that day's member-days) count too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from pyroaring import BitMap


def serialized(member_ids: Iterable[int]) -> bytes:
    """A bitmap as a rollup keeps it."""
    members = BitMap(member_ids)
    members.run_optimize()  # runs of consecutive ids (members who joined together) shrink to a range each
    return members.serialize()


@dataclass
class PeriodMembers:
    """The period's members, as the rolled-up days and the raw part give them."""

    kept_day: date
    active: list[BitMap] = field(default_factory=list)
    contributors: list[BitMap] = field(default_factory=list)

    def add_day(self, day: date, acted_members: bytes, authors: bytes) -> None:
        """A rolled-up day."""
        day_authors = BitMap.deserialize(authors)
        self.active.append(BitMap.deserialize(acted_members))
        self.contributors.append(day_authors)
        if day < self.kept_day:
            self.active.append(day_authors)

    def add_raw(self, active: Iterable[int], early_authors: Iterable[int], authors: Iterable[int]) -> None:
        """The raw part's active members and authors, and the horizon's day's authors outside the log."""
        self.active += [BitMap(active), BitMap(early_authors)]
        self.contributors.append(BitMap(authors))

    def counts(self) -> tuple[int, int]:
        """(active members, contributors)."""
        return len(BitMap.union(BitMap(), *self.active)), len(BitMap.union(BitMap(), *self.contributors))
