"""Notifications: written in the transaction that causes them, read and marked read by their member."""
