"""Engagement: the report of a period, its health score and the live pulse."""
