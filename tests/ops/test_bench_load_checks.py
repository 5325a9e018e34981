"""`bench load` fails when a subscriber missed, repeated or reordered an event (make bench-quick only ever sees
it pass), and passes when it saw each event of the table once, in order."""

from __future__ import annotations

from typing import Any

from bench.load_checks import check_subscribers
from bench.load_client import Subscriber
from realtime.messages import encode_cursor

COMMUNITY, START, LAST = 7, 10, 15
TABLE = [(seq, "POSTED" if seq % 2 else "REACTED") for seq in range(START + 1, LAST + 1)]
VERBS = dict(TABLE)


def report(seqs: list[int]) -> dict[str, Any]:
    """What a subscriber of bench/load_client.py reports after receiving these events."""
    subscriber = Subscriber("http://server", "token", "slug", encode_cursor(COMMUNITY, START))
    for seq in seqs:
        subscriber.received({"cursor": encode_cursor(COMMUNITY, seq), "verb": VERBS[seq]})
    return subscriber.report()


def test_every_event_once_in_order_passes() -> None:
    assert check_subscribers([report([11, 12, 13, 14, 15])], START, LAST, TABLE) == []


def test_a_missed_a_repeated_a_reordered_and_a_late_subscriber_fail() -> None:
    # given
    missed, repeated, reordered, late = (
        report([11, 12, 14, 15]),
        report([11, 12, 12, 13, 14, 15]),
        report([11, 13, 12, 14, 15]),
        report([11, 12, 13, 14]),
    )
    # when
    problems = check_subscribers([missed, repeated, reordered, late], START, LAST, TABLE)
    # then
    assert [problem.split(":")[0] for problem in problems] == [f"subscriber {i}" for i in range(4)]
    assert "1 gap(s), first seq 14 after 12" in problems[0]
    assert "1 duplicate(s)" in problems[1]
    assert "saw up to 14, not 15" in problems[3]


def test_events_unlike_the_tables_fail() -> None:
    other_verbs = [(seq, "COMMENTED") for seq, _ in TABLE]
    assert check_subscribers([report([11, 12, 13, 14, 15])], START, LAST, other_verbs) != []
    holed_table = TABLE[:2] + TABLE[3:]
    assert check_subscribers([report([11, 12, 13, 14, 15])], START, LAST, holed_table) == [
        f"the activity table's sequence is not dense after {START}"
    ]
