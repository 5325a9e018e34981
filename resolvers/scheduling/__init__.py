"""Scheduled jobs: claimed once across processes, run on a timer."""
