"""When the demo's moments happen: a calendar of the past weeks, and a player that moves the clock to each.

The demo is made through the resolvers, and they read the clock (`datetime.now`) for every row
they date: joins, posts, comments, reactions, the points ledger, badges, levels, activity. So
the player travels in time (time-machine) to each moment in turn, and every row is dated as if
the members had done it then, including what the rules derive from time: levels need active
days, the top contributor badge a finished week, a streak consecutive days.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from resolvers.freshness.freshness import start_of_day

SQUEEZE = timedelta(hours=12)  # today's moments and later ones are squeezed into the part of today already past


@dataclass(frozen=True)
class At:
    """`week` weeks before the current one (0 = this week), on `weekday` (0 = Monday), at hour:minute UTC."""

    week: int
    weekday: int
    hour: int
    minute: int = 0

    def moment(self, calendar: Calendar) -> datetime:
        day = calendar.monday - timedelta(weeks=self.week) + timedelta(days=self.weekday)
        return day + timedelta(hours=self.hour, minutes=self.minute)


@dataclass(frozen=True)
class Ago:
    """`days` days before today (0 = today), at hour:minute UTC."""

    days: int
    hour: int
    minute: int = 0

    def moment(self, calendar: Calendar) -> datetime:
        return calendar.today - timedelta(days=self.days) + timedelta(hours=self.hour, minutes=self.minute)


class Calendar:
    """The demo's weeks, counted back from `now`: the demo always ends today, whenever it is loaded."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.today = start_of_day(now)
        self.monday = self.today - timedelta(days=self.today.weekday())

    def real(self, moment: datetime) -> datetime:
        """The moment itself when it is before today; a moment of today (or later, say a reply to
        yesterday's post) is squeezed, in order, into the part of today already past: nothing
        happens in the future, and the demo always has something today."""
        if moment < self.today:
            return moment
        later = (moment - self.today) / SQUEEZE
        return self.today + (self.now - self.today) * (later / (later + 1))


Step = Callable[[], Awaitable[object]]


class Timeline:
    """Steps at moments, played in time order with the clock at each moment."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self._steps: list[tuple[datetime, int, Step]] = []

    def add(self, moment: datetime, step: Step) -> None:
        self._steps.append((self.calendar.real(moment), len(self._steps), step))

    async def play(self) -> None:
        import time_machine  # a development dependency: only the demo travels in time

        steps = sorted(self._steps, key=lambda step: step[:2])
        with time_machine.travel(steps[0][0], tick=True) as traveller:
            for when, _, step in steps:
                # Never back in time: rows keep the order they were written in (their activity sequence).
                traveller.move_to(max(when, datetime.now(UTC)))
                await step()
