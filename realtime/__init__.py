"""Realtime delivery: a broker says "there is something new"; the Activity table is the truth."""

from realtime.broker import Broker, get_broker, set_broker

__all__ = ["Broker", "get_broker", "set_broker"]
