from realtime.sequencer import Sequencer


def events(*seqs: int) -> list[dict]:
    return [{"seq": s} for s in seqs]


def delivered(sequencer: Sequencer, *seqs: int) -> list[int]:
    return [e["seq"] for event in events(*seqs) for e in sequencer.offer(event)]


def test_next_in_sequence_is_delivered_at_once():
    assert delivered(Sequencer(last_seq=4), 5, 6, 7) == [5, 6, 7]


def test_events_ahead_wait_for_the_missing_ones_then_go_in_order():
    sequencer = Sequencer(last_seq=0)
    assert delivered(sequencer, 3, 2) == []
    assert sequencer.missing() == range(1, 2)
    assert delivered(sequencer, 1) == [1, 2, 3]
    assert sequencer.missing() is None


def test_duplicates_and_old_events_are_dropped():
    sequencer = Sequencer(last_seq=10)
    assert delivered(sequencer, 9, 10, 11, 11, 13, 13) == [11]
    assert delivered(sequencer, 12) == [12, 13]


def test_any_arrival_order_delivers_each_event_once_in_order():
    import random

    rng = random.Random(7)
    for _ in range(200):
        seqs = list(range(1, 30))
        arrivals = seqs + rng.sample(seqs, 10)  # with duplicates
        rng.shuffle(arrivals)
        sequencer = Sequencer(last_seq=0)
        assert delivered(sequencer, *arrivals) == seqs
