"""The hub's ordering and fan-out, with the table stood in for by a list (the logic does no I/O)."""

import asyncio

import pytest

import settings
from realtime.broker import InProcessBroker
from realtime.errors import ListenerOverflow
from realtime.hub import Hub

COMMUNITY = "community:1"


class Table:
    """What the Activity table would answer, and how often it was asked."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.reads = 0

    def append(self, count: int) -> list[dict]:
        start = len(self.rows)
        new = [{"type": "activity", "feed": COMMUNITY, "seq": start + i + 1} for i in range(count)]
        self.rows += new
        return new

    async def fetch_range(self, feed: str, after: int, up_to: int | None) -> list[dict]:
        self.reads += 1
        return [r for r in self.rows if after < r["seq"] <= (up_to or len(self.rows))]

    async def current_seq(self, feed: str) -> int:
        return len(self.rows)


async def received(listener, count: int) -> list[int]:
    return [(await asyncio.wait_for(listener.next(), 2))["seq"] for _ in range(count)]


async def test_listeners_get_events_in_sequence_whatever_the_arrival_order():
    table = Table()
    table.append(3)  # history before anyone listened
    hub = Hub(InProcessBroker(), table.fetch_range, table.current_seq)
    async with hub.listen(COMMUNITY) as first, hub.listen(COMMUNITY) as second:
        events = table.append(4)  # seq 4..7
        for event in (events[2], events[0], events[3], events[1], events[0]):
            hub.receive(event)
        assert await received(first, 4) == [4, 5, 6, 7]
        assert await received(second, 4) == [4, 5, 6, 7]


async def test_a_lost_event_is_read_from_the_table_once_for_all_listeners():
    table = Table()
    hub = Hub(InProcessBroker(), table.fetch_range, table.current_seq)
    async with hub.listen(COMMUNITY) as first, hub.listen(COMMUNITY) as second:
        lost, arrived = table.append(2)
        hub.receive(arrived)  # seq 1 never comes through the broker
        assert await received(first, 2) == [1, 2]
        assert await received(second, 2) == [1, 2]
    assert table.reads == 1


async def test_catch_up_after_an_outage_delivers_what_was_missed():
    table = Table()
    hub = Hub(InProcessBroker(), table.fetch_range, table.current_seq)
    async with hub.listen(COMMUNITY) as listener:
        table.append(3)  # committed while the broker was unreachable
        await hub.catch_up()
        assert await received(listener, 3) == [1, 2, 3]


async def test_a_slow_listener_is_dropped_without_holding_back_the_others(monkeypatch):
    monkeypatch.setattr(settings, "LISTENER_QUEUE_SIZE", 5)
    table = Table()
    hub = Hub(InProcessBroker(), table.fetch_range, table.current_seq)
    async with hub.listen(COMMUNITY) as slow, hub.listen(COMMUNITY) as fast:
        for event in table.append(5):
            hub.receive(event)
        assert await received(fast, 5) == [1, 2, 3, 4, 5]
        for event in table.append(5):
            hub.receive(event)
        assert await received(fast, 5) == [6, 7, 8, 9, 10]
        with pytest.raises(ListenerOverflow, match="resume from your last cursor"):
            await asyncio.wait_for(slow.next(), 2)


async def test_events_of_communities_nobody_follows_are_ignored():
    table = Table()
    hub = Hub(InProcessBroker(), table.fetch_range, table.current_seq)
    hub.receive({"type": "activity", "feed": "community:99", "seq": 5})
    assert hub.feeds == []
    assert table.reads == 0


async def test_control_events_reach_listeners_without_taking_a_sequence_number():
    table = Table()
    hub = Hub(InProcessBroker(), table.fetch_range, table.current_seq)
    async with hub.listen(COMMUNITY) as listener:
        hub.receive({"type": "membership", "feed": COMMUNITY, "member_id": 3})
        (event,) = table.append(1)
        hub.receive(event)
        assert (await asyncio.wait_for(listener.next(), 2))["type"] == "membership"
        assert await received(listener, 1) == [1]
