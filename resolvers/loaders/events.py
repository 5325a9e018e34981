from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from strawberry.dataloader import DataLoader
from tortoise.functions import Count

from models.events import Event, Rsvp, RsvpStatus
from resolvers.loaders.base import ByIdLoader


class Attendance(Counter[str]):
    """Counts of one event: GOING (seated), WAITLISTED, MAYBE, DECLINED, CHECKED_IN."""

    def seats_left(self, capacity: int) -> int:
        return max(0, capacity - self["GOING"])


class AttendanceByEventIdLoader(DataLoader[int, Attendance]):
    """Answer and check-in counts of each event, for a whole page of events in one grouped query."""

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[Attendance]:
        counts: dict[int, Attendance] = {key: Attendance() for key in keys}
        rows = (
            await Rsvp.filter(event_id__in=list(set(keys)))
            .annotate(n=Count("id"), checked_in=Count("checked_in_at"), waiting=Count("waitlisted_at"))
            .group_by("event_id", "status")
            .values("event_id", "status", "n", "checked_in", "waiting")
        )
        for row in rows:
            attendance = counts[row["event_id"]]
            status = RsvpStatus(row["status"]).value
            attendance[status] += row["n"] - (row["waiting"] if status == "GOING" else 0)
            attendance["WAITLISTED"] += row["waiting"] if status == "GOING" else 0
            attendance["CHECKED_IN"] += row["checked_in"]
        return [counts[key] for key in keys]


class ViewerRsvpByEventIdLoader(DataLoader[int, Rsvp | None]):
    """The viewer's own answer to each event of a page."""

    def __init__(self, viewer_id: int | None) -> None:
        super().__init__(load_fn=self._load)
        self.viewer_id = viewer_id

    async def _load(self, keys: Sequence[int]) -> list[Rsvp | None]:
        if self.viewer_id is None:
            return [None] * len(keys)
        rows = {r.event_id: r for r in await Rsvp.filter(event_id__in=list(set(keys)), member_id=self.viewer_id)}
        return [rows.get(key) for key in keys]


class EventByIdLoader(ByIdLoader[Event]):
    model = Event


class WaitlistByEventIdLoader(DataLoader[int, list[int]]):
    """The ids of each event's waitlisted answers in the order the seats are served (first in line first)."""

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, keys: Sequence[int]) -> list[list[int]]:
        lines: dict[int, list[int]] = {key: [] for key in keys}
        waiting = Rsvp.filter(event_id__in=list(set(keys)), status=RsvpStatus.GOING, waitlisted_at__isnull=False)
        for event_id, rsvp_id in await waiting.order_by("waitlisted_at", "id").values_list("event_id", "id"):
            lines[event_id].append(rsvp_id)
        return [lines[key] for key in keys]
