"""Freshness: the daily goal and streak, stale alerts, and trending tags."""
